"""The exported workbook is live: LibreOffice recalculates it to the CLI's numbers, before and
after an input cell is edited.

One workbook per preset holds every scenario (a Projection sheet each, over its own Inputs
column), so five files cover every preset x scenario. Cached values are stripped first, so
LibreOffice computes every formula itself; all files go through ONE soffice call per round.
"""

from __future__ import annotations

import math
import subprocess
import tempfile
from pathlib import Path

import openpyxl
import pytest

from model.cli import fleet_year as cli
from model.core.equations import BUDGET_OUTPUTS, TRAINING_OUTPUTS
from model.core.presets import PRESETS
from model.core.resolve import resolve
from model.loop.scenarios import SCENARIOS, scenario_settings
from model.policy.paths import project  # any policy, as the CLI projects
from model.workbook.build import build_workbook, projection_title, write_workbook
from model.workbook.cached_values import strip_cached_values
from model.workbook.read import read_workbook_inputs
from tests.external import require, soffice
from tests.workbook_habits import error_cells

pytestmark = pytest.mark.libreoffice
YEARS = 8
SCENARIO_NAMES = list(SCENARIOS)
NOISE = 1e-12  # the rounding noise of a helper row's difference (see the cached-value test)
# One edit per preset: (input, new value as written into the cell).
EDITS = {
    "meta-2024": ("fleet_gpus", 900_000.0),
    "openai-2024": ("cost_basis", "owned"),
    "anthropic-2024": ("revenue_multiple", 30.0),  # financing on revenue: the new money rows
    "deepseek-v3": ("gpu_rental_price", 3.5),
    "deepseek-inference-2025": ("token_price", 2.19),
    "ai-2027-lab-2024": ("lab_supply_share", 0.02),  # chips now bind: the closed loop's rows
}


def recalculate_all(paths: list[Path], outdir: Path) -> dict[Path, Path]:
    """Recalculate several xlsx files in one soffice call; input path -> recalculated copy."""
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        cmd = [soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
               "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(outdir),
               *map(str, paths)]
        subprocess.run(cmd, check=True, capture_output=True, timeout=600)
    out = {p: outdir / p.name for p in paths}
    missing = [str(p) for p, o in out.items() if not o.exists()]
    assert not missing, f"LibreOffice produced no output for {missing}"
    return out


def _cell(wb, name: str):
    (title, coord), = wb.defined_names[name].destinations
    return wb[title][coord.replace("$", "")]


@pytest.fixture(scope="module")
def rounds(tmp_path_factory):
    """Per preset: (exported file, recalculated file, edited+recalculated file)."""
    soffice()
    root = tmp_path_factory.mktemp("lo")
    exported, stripped = {}, {}
    for preset in PRESETS:
        path = root / "export" / f"{preset}.xlsx"
        path.parent.mkdir(exist_ok=True)
        write_workbook(build_workbook(preset, SCENARIO_NAMES, years=YEARS, title="=1+1"), path)
        exported[preset] = path
        stripped[preset] = root / "stripped" / path.name
        stripped[preset].parent.mkdir(exist_ok=True)
        stripped[preset].write_bytes(strip_cached_values(path.read_bytes()))
    first = recalculate_all(list(stripped.values()), root / "round1")
    edited = {}
    for preset, path in exported.items():
        wb = openpyxl.load_workbook(path)  # saving through openpyxl drops cached values
        name, value = EDITS[preset]
        _cell(wb, name).value = value
        edited[preset] = root / "edited" / path.name
        edited[preset].parent.mkdir(exist_ok=True)
        wb.save(edited[preset])
    second = recalculate_all(list(edited.values()), root / "round2")
    return {p: (exported[p], first[stripped[p]], second[edited[p]]) for p in PRESETS}


def _close(model: float, sheet, scale: float) -> bool:
    if isinstance(sheet, bool) or not isinstance(sheet, int | float):
        return False
    if not math.isfinite(model):
        return False
    return math.isclose(model, sheet, rel_tol=1e-6, abs_tol=1e-9 * scale)


def _zero_research_compute(df, t: int) -> bool:
    """Known model issue: with no research compute the CES takes 0^rho (rho < 0), which NumPy
    evaluates to inf (and the output to 0) while a spreadsheet returns an error (which then
    propagates to later steps)."""
    return bool((df["research_compute_index"].iloc[: t + 1] == 0).any())


def compare(recalculated: Path, preset: str, overrides: dict) -> tuple[list[str], list[str]]:
    """(mismatches, known-issue mismatches) of Budget and every Projection sheet vs the CLI.

    `overrides` (an edit of the primary Inputs column) apply to Budget and the primary
    scenario; the other scenarios' sheets read their own, unedited, Inputs columns."""
    wb = openpyxl.load_workbook(recalculated, data_only=True)
    bad, known = [], []
    budget = cli.evaluate(resolve(preset, None, overrides),
                          tuple(dict.fromkeys(BUDGET_OUTPUTS + TRAINING_OUTPUTS)))
    for row in wb["Budget"].iter_rows(min_row=4):
        name, value = row[0].value, row[2].value
        if name in budget and not (_close(budget[name], value, abs(budget[name]))
                                   or (math.isnan(budget[name]) and isinstance(value, str))):
            bad.append(f"Budget {name}: model {budget[name]!r}, LibreOffice {value!r}")
    for k, scenario in enumerate(SCENARIO_NAMES):
        edits = overrides if k == 0 else {}
        df = project(scenario_settings(preset, scenario, overrides=edits), YEARS)
        ws = wb[projection_title(scenario, k == 0)]
        for row in ws.iter_rows(min_row=4):
            name = row[0].value
            if name not in df:  # the optimiser's path rows, when not its policy: inputs
                continue
            scale = float(df[name].abs().max())
            for t in range(len(df)):
                model, value = float(df[name].iloc[t]), row[2 + t].value
                if _close(model, value, scale) or (math.isnan(model) and isinstance(value, str)):
                    continue
                text = f"{ws.title} {name} step {t}: model {model!r}, LibreOffice {value!r}"
                (known if isinstance(value, str) and _zero_research_compute(df, t)
                 else bad).append(text)
    return bad, known


def _check(result: tuple[list[str], list[str]]) -> None:
    bad, known = result
    assert not bad, f"{len(bad)} cells differ, e.g.\n" + "\n".join(bad[:10])
    # Zero research compute once gave #NUM! (0^rho, rho < 0); the CES now takes its limit.
    assert not known, f"{len(known)} spreadsheet errors at zero research compute: {known[0]}"


@pytest.mark.parametrize("preset", list(PRESETS))
def test_recalculated_workbook_equals_cli(rounds, preset):
    _, recalculated, _ = rounds[preset]
    _check(compare(recalculated, preset, {}))


@pytest.mark.parametrize("preset", list(PRESETS))
def test_every_formula_cell_carries_the_value_libreoffice_computes(rounds, preset):
    exported, recalculated, _ = rounds[preset]
    formulas = openpyxl.load_workbook(exported)
    cached = openpyxl.load_workbook(exported, data_only=True)
    computed = openpyxl.load_workbook(recalculated, data_only=True)
    bad = []
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                ours = cached[ws.title][cell.coordinate].value
                theirs = computed[ws.title][cell.coordinate].value
                # a helper row can be a difference of near-equal terms, whose last bits differ
                # between engines (4.6e-15 against 0): there, rounding noise is not a mismatch
                helper = "_part" in str(ws.cell(cell.row, 1).value)
                noise = NOISE if helper else 0.0
                same = ours == theirs or (
                    isinstance(ours, float)
                    and (_close(ours, theirs, abs(ours)) or _close(ours, theirs, noise / 1e-9)))
                if not same and not (isinstance(ours, str) and isinstance(theirs, str)):
                    bad.append((ws.title, cell.coordinate, ws.cell(cell.row, 1).value, ours,
                                theirs))
    assert not bad, bad[:10]


@pytest.mark.parametrize("preset", list(PRESETS))
def test_edited_input_recalculates_to_the_cli_at_that_input(rounds, preset):
    _, _, edited = rounds[preset]
    name, value = EDITS[preset]
    found = read_workbook_inputs(edited)  # an edited, LibreOffice-saved file loads back
    assert found.preset == preset
    assert found.values[name] == (value if isinstance(value, str) else repr(float(value)))
    _check(compare(edited, preset, {name: value}))


@pytest.mark.parametrize("preset", list(PRESETS))
def test_no_cell_recalculates_to_an_error(rounds, preset):
    """Every preset, every scenario, as exported and after its edit: helper rows cut out of an
    IF's branch are guarded by its condition, a margin without revenue reads n/a."""
    for path in rounds[preset][1:]:
        found = error_cells(openpyxl.load_workbook(path, data_only=True))
        assert not found, f"{len(found)} error cells in {path.parent.name}: {found[:10]}"


def test_title_starting_with_equals_stays_text_after_libreoffice(rounds):
    _, recalculated, _ = rounds["meta-2024"]
    assert openpyxl.load_workbook(recalculated)["Cover"]["A1"].value == "=1+1"


def test_monthly_closed_loop_workbook_recalculates_to_the_cli(tmp_path):
    """Month steps (issue 10), closed loop with the chip supply binding, recalculated."""
    soffice()
    overrides = {"lab_supply_share": 0.02}
    path = tmp_path / "monthly.xlsx"
    write_workbook(build_workbook("openai-2024", ["brakes", "status-quo"], years=2,
                                  step="month", overrides=overrides), path)
    stripped = tmp_path / "stripped" / path.name
    stripped.parent.mkdir()
    stripped.write_bytes(strip_cached_values(path.read_bytes()))
    wb = openpyxl.load_workbook(recalculate_all([stripped], tmp_path / "out")[stripped],
                                data_only=True)
    bad = []
    for k, scenario in enumerate(("brakes", "status-quo")):
        df = project(scenario_settings("openai-2024", scenario, overrides=overrides), 2,
                     "month")
        ws = wb[projection_title(scenario, k == 0)]
        assert ws.max_column == 2 + 1 + 12  # the base year, then a year of months
        for row in ws.iter_rows(min_row=4):
            name = row[0].value
            if name not in df:
                continue
            scale = float(df[name].abs().max())
            bad += [f"{ws.title} {name} step {t}" for t in range(len(df))
                    if not _close(float(df[name].iloc[t]), row[2 + t].value, scale)]
    assert not bad, bad[:10]


def test_value_maximising_workbook_recalculates_to_the_cli_npv(tmp_path):
    """The optimiser's path is an input row; every other cell is a formula (issue 11)."""
    soffice()
    overrides = {"allocation_policy": "value-maximising"}
    path = tmp_path / "vm.xlsx"
    write_workbook(build_workbook("ai-2027-lab-2024", ["ai-2027"], years=5,
                                  overrides=overrides), path)
    stripped = tmp_path / "stripped" / path.name
    stripped.parent.mkdir()
    stripped.write_bytes(strip_cached_values(path.read_bytes()))
    wb = openpyxl.load_workbook(recalculate_all([stripped], tmp_path / "out")[stripped],
                                data_only=True)
    df = project(scenario_settings("ai-2027-lab-2024", "ai-2027", overrides=overrides), 5)
    ws = wb["Projection"]
    found = {row[0].value: [c.value for c in row[2:2 + len(df)]] for row in ws.iter_rows()
             if row[0].value in df.columns}
    assert "chosen_share_research" in found and "npv_to_date" in found
    for name, cells in found.items():
        scale = float(df[name].abs().max())
        assert all(_close(float(df[name].iloc[t]), cells[t], scale) for t in range(len(df))), name
    assert found["npv_to_date"][-1] == pytest.approx(df["npv_to_date"].iloc[-1], rel=1e-6)


def _to_pdf(path: Path, outdir: Path) -> Path:
    """Print an xlsx to PDF with LibreOffice (every sheet, by its print setup)."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless",
                        "--norestore", "--convert-to", "pdf", "--outdir", str(outdir),
                        str(path)], check=True, capture_output=True, timeout=300)
    out = outdir / f"{path.stem}.pdf"
    assert out.exists(), f"LibreOffice produced no PDF for {path}"
    return out


def _page_png(pdf: Path, title: str, out: Path) -> Path:
    """Render to PNG the first page of `pdf` whose text holds `title` (poppler-utils)."""
    pages = subprocess.run([require("pdftotext", "poppler-utils"), "-layout", str(pdf), "-"],
                           check=True, capture_output=True, text=True).stdout.split("\f")
    page = next((k + 1 for k, text in enumerate(pages) if title in text), None)
    assert page, f"no page of {pdf} shows {title!r}"
    subprocess.run([require("pdftoppm", "poppler-utils"), "-png", "-r", "100", "-singlefile",
                    "-f", str(page), "-l", str(page), str(pdf), str(out)], check=True)
    return out.with_suffix(".png")


def _pixels_near(image, colour: str, distance: float = 60) -> int:
    """Pixels within `distance` (RGB) of the hex `colour`: a line's core survives antialiasing."""
    import numpy as np

    target = np.array([int(colour[i:i + 2], 16) for i in (0, 2, 4)], dtype=float)
    return int((np.linalg.norm(image - target, axis=2) < distance).sum())


def test_libreoffice_renders_the_charts(tmp_path):
    """Print the workbook to PDF; the Charts page and the Summary page carry drawn lines."""
    import numpy as np
    from PIL import Image

    from model.report.palette import excel

    path = write_workbook(build_workbook("openai-2024", ["status-quo", "ai-2027"], years=YEARS),
                          tmp_path / "charts.xlsx")
    pdf = _to_pdf(path, tmp_path)
    for title, name in (("Charts (from the Projection sheets)", "charts"),
                        ("Research vs inference budget", "summary")):
        png = _page_png(pdf, title, tmp_path / name)
        print(f"rendered {title!r}: {png}")
        image = np.asarray(Image.open(png).convert("RGB"), dtype=float)
        inked = (image.min(axis=2) < 200).mean()
        assert 0.02 < inked < 0.5, f"{png}: {inked:.1%} of the page inked (blank or garbled?)"
        lines = {c: _pixels_near(image, excel(c)) for c in ("research", "inference")}
        assert all(n > 300 for n in lines.values()), f"{png}: line pixels {lines}"
