"""The market workbook is live: `python -m model market ... --out` writes it, LibreOffice
recalculates it (cached values stripped, so every formula is its own) to the CLI's values, every
lab-sheet row and Market-sheet cell within RTOL of the engine's; and after an input is edited,
to the projection at that input with the market's coupling held, the Market sheet then showing
the coupling is no longer a fixed point.

Three labs, three years at yearly steps: one CLI run (~8 s) and one soffice call for both files.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import subprocess
from contextlib import redirect_stderr, redirect_stdout

import numpy as np
import openpyxl
import pytest

from model.cli.main import main
from model.cli.market import labs_from
from model.loop.projection import STEP_ROWS, run_arrays, steps_for
from model.market.engine import TOLERANCE, lab_coupling
from model.market.outcome import solve_shown
from model.workbook.cached_values import strip_cached_values
from model.workbook.market_book import market_settings
from tests.external import require, soffice
from tests.test_market_workbook import engine_values, market_rows, shares_of
from tests.test_workbook_libreoffice import _to_pdf, recalculate_all
from tests.workbook_habits import error_cells

pytestmark = pytest.mark.libreoffice
RTOL = 1e-6  # relative; absolute floor 1e-9 of the row's largest value (a row crossing 0)
REMOVED = ["-xai", "-meta", "-google-deepmind"]  # the market's --set edits
SETS = [f"--set={edit}" for edit in REMOVED]
YEARS, STEP = 3, "year"
EDIT = ("anthropic", "fleet_gpus", 1.5)  # lab, input, factor


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """(CLI JSON, labs, Nash, recalculated workbook, edited + recalculated workbook)."""
    soffice()
    root = tmp_path_factory.mktemp("market")
    path = root / "market.xlsx"
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["market", "--years", str(YEARS), "--step", STEP, *SETS, "--format",
                     "json", "--out", str(path)])
    assert code == 0 and f"wrote {path}" in err.getvalue()
    stripped = root / "stripped.xlsx"
    stripped.write_bytes(strip_cached_values(path.read_bytes()))
    wb = openpyxl.load_workbook(path)  # saving through openpyxl drops cached values
    lab, name, factor = EDIT
    cell = wb["Inputs"].cell(_row(wb["Inputs"], name), 3 + _labs(wb).index(lab))
    cell.value *= factor
    edited = root / "edited.xlsx"
    wb.save(edited)
    done = recalculate_all([stripped, edited], root / "lo")
    labs = labs_from(argparse.Namespace(market_file=None, sets=REMOVED))
    # deterministic: the CLI's, the labs choosing beyond the years shown
    eq = solve_shown(labs, None, None, YEARS, STEP, with_joint=False).nash
    return (json.loads(out.getvalue()), labs, eq,
            *(openpyxl.load_workbook(done[p], data_only=True) for p in (stripped, edited)))


def _row(ws, name: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == name)


def _labs(wb) -> list[str]:
    names = wb.sheetnames  # Cover, Inputs, Constants, the labs, Market, Observed
    return names[names.index("Constants") + 1:names.index("Market")]


def _values(ws, row: int) -> list:
    return [ws.cell(row, 3 + t).value for t in range(YEARS)]


def _differ(label: str, got: list, want: np.ndarray) -> list[str]:
    """Cells of `got` (LibreOffice) not within RTOL of `want` (the model)."""
    scale = float(np.max(np.abs(want))) if np.size(want) else 0.0
    bad = []
    for t, (a, b) in enumerate(zip(got, np.ravel(want), strict=True)):
        number = isinstance(a, int | float) and not isinstance(a, bool)
        if not (number and math.isclose(a, b, rel_tol=RTOL, abs_tol=1e-9 * scale)):
            bad.append(f"{label} step {t}: LibreOffice {a!r}, model {b!r}")
    return bad


def test_every_lab_row_is_the_engines(run):
    _, labs, eq, wb, _ = run
    bad = []
    for j, lab in enumerate(labs):
        ws = wb[lab.name]
        rows: dict = {}  # each row's first (the projection's: helper rows between them)
        for r in range(4, ws.max_row + 1):
            rows.setdefault(ws.cell(r, 1).value, r)
        for name in STEP_ROWS:
            bad += _differ(f"{lab.name} {name}", _values(ws, rows[name]),
                           eq.market.rows[name][:, j])
    assert not bad, f"{len(bad)} cells differ, e.g.\n" + "\n".join(bad[:10])


def test_every_market_cell_is_the_engines(run):
    _, labs, eq, wb, _ = run
    ws = wb["Market"]
    rows = market_rows(ws)
    bad, seen = [], 0
    for name, want in engine_values(eq.market, shares_of(labs)).items():
        for j, lab in enumerate(labs):
            label = name if want.ndim == 1 else f"{name}[{lab.name}]"
            bad += _differ(label, _values(ws, rows[label]), want if want.ndim == 1
                           else want[:, j])
            seen += 1
    assert seen == 15 * len(labs) and not bad, "\n".join(bad[:10])
    gaps = [v for label, r in rows.items() if label.startswith("gap_")
            for v in _values(ws, r)]
    assert len(gaps) == 9 * len(labs) * YEARS and max(gaps) <= TOLERANCE
    # an xlsx saved by LibreOffice stores a boolean result as the number 1 or 0
    assert ws.cell(rows["fixed_point: every gap within fixed_point_tolerance"], 3).value == 1


def test_recalculated_workbook_equals_the_cli(run):
    cli, labs, _, wb, _ = run
    market = wb["Market"]
    rows = market_rows(market)
    bad = []
    for lab in labs:
        ws = wb[lab.name]
        records = [r for r in cli["records"] if r["lab"] == lab.name]
        for key, row in (("share_research", "share_research"), ("fleet_gpus", "fleet_gpus"),
                         ("revenue", "inference_revenue"), ("npv", "npv")):
            bad += _differ(f"{lab.name} {key}", _values(ws, _row(ws, row)),
                           np.array([r[key] for r in records]))
        bad += _differ(f"{lab.name} market_share",
                       _values(market, rows[f"share_of_tokens_sold[{lab.name}]"]),
                       np.array([r["market_share"] for r in records]))
    bad += _differ("chip_price_index", _values(market, rows["chip_price_index"]),
                   np.array([p["value"] for p in cli["chip_price_index"]]))
    assert not bad, "\n".join(bad[:10])


def test_an_edited_input_recalculates_its_lab_and_leaves_the_fixed_point(run):
    _, labs, eq, _, edited = run
    lab, name, factor = EDIT
    j = [x.name for x in labs].index(lab)
    settings = market_settings(labs, None, True, STEP)[j]
    values = {**settings.values, name: settings.values[name] * factor, **eq.paths[j],
              **lab_coupling(eq.market, j)}
    # the coupling held, as the sheet's input rows hold it
    want = run_arrays(values, steps_for(YEARS, STEP)[0])
    ws = edited[lab]
    bad = []
    for row in STEP_ROWS:
        bad += _differ(f"{lab} {row}", _values(ws, _row(ws, row)), want[row])
    assert not bad, "\n".join(bad[:10])
    assert want["fleet_gpus"][-1] != pytest.approx(eq.market.rows["fleet_gpus"][-1, j])
    market = edited["Market"]
    rows = market_rows(market)
    gaps = [v for label, r in rows.items() if label.startswith("gap_")
            for v in _values(market, r)]
    assert max(gaps) > 100 * TOLERANCE
    assert market.cell(rows["fixed_point: every gap within fixed_point_tolerance"], 3).value == 0


def test_no_cell_recalculates_to_an_error(run):
    """As exported and after the edit: the lab sheets' helper rows are guarded by their IF's
    condition, and the Checks sheet reads each lab's inputs by its sheet's names."""
    for wb in run[3:]:
        found = error_cells(wb)
        assert not found, f"{len(found)} error cells: {found[:10]}"


def test_the_observed_chart_prints_whole_on_one_page(tmp_path):
    """Printed by LibreOffice, the Observed sheet's chart lies on one page, with its points: the
    chart's title is on one page only (run on below the panel it broke across two, its title
    read on both)."""
    path = tmp_path / "market.xlsx"
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        assert main(["market", "--years", "2", "--step", "year", "--choice", "policy", *SETS,
                     "--out", str(path)]) == 0
    pdf = _to_pdf(path, tmp_path)
    pages = subprocess.run([require("pdftotext", "poppler-utils"), "-layout", str(pdf), "-"],
                           check=True, capture_output=True, text=True).stdout.split("\f")
    title = "Research share of the fleet: the market's paths"
    holding = [k for k, text in enumerate(pages) if title in text]
    assert len(holding) == 1, f"the chart's title on pages {[k + 1 for k in holding]}"
    assert "Chart data" in pages[holding[0]]
