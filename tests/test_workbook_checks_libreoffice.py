"""The Checks sheet catches nonsense (issue 20): a revenue cell no longer tied to the tokens
served, or a price far outside its sourced band, turns its check FALSE after LibreOffice
recalculates, and with it the overall flag on the Checks sheet and on the Summary."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from model.workbook.build import build_workbook, write_workbook
from tests.external import soffice
from tests.test_workbook_libreoffice import recalculate_all

pytestmark = pytest.mark.libreoffice
SCENARIOS = ["status-quo", "ai-2027"]
# sheet, row, and what the edit writes over the formula of its third step
EDITS = {
    "revenue": ("Projection ai-2027", "inference_revenue", lambda v: 10 * v),
    "price": ("Projection", "token_price", lambda v: 8e6),  # $8M per million tokens
}


def _row(ws, name: str) -> int:
    return next(r[0].row for r in ws.iter_rows(max_col=1) if r[0].value == name)


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    soffice()
    root = tmp_path_factory.mktemp("checks")
    base = write_workbook(
        build_workbook("openai-2024", SCENARIOS, years=3, created=date(2025, 1, 1)),
        root / "base.xlsx",
    )
    paths = {"base": base}
    cached = openpyxl.load_workbook(base, data_only=True)
    for what, (title, name, edit) in EDITS.items():
        wb = openpyxl.load_workbook(base)
        cell = wb[title].cell(_row(wb[title], name), 5)
        cell.value = edit(cached[title][cell.coordinate].value)
        paths[what] = root / f"{what}.xlsx"
        wb.save(paths[what])
    done = recalculate_all(list(paths.values()), root / "lo")
    return {k: openpyxl.load_workbook(done[p], data_only=True) for k, p in paths.items()}


def _bool(value: object) -> bool:
    """A recalculated TRUE/FALSE (LibreOffice writes 1/0), refusing anything else."""
    assert value in (True, False) and not isinstance(value, str), value
    return bool(value)


def _checks(wb) -> dict[str, bool]:
    return {r[0].value: _bool(r[2].value) for r in wb["Checks"].iter_rows(min_row=5) if r[0].value}


def _flag(wb) -> bool:
    return next(
        _bool(r[2].value) for r in wb["Summary"].iter_rows(max_row=7) if r[0].value == "checks_pass"
    )


def test_every_check_passes_as_exported(recalculated):
    checks = _checks(recalculated["base"])
    assert checks and all(checks.values()), checks
    assert _flag(recalculated["base"]) is True


@pytest.mark.parametrize(
    "what, label",
    [
        ("revenue", "ai-2027: revenue at most the tokens served times the price in every step"),
        ("price", "status-quo: price per million tokens within the sourced band in every step"),
    ],
)
def test_a_nonsense_value_turns_its_check_and_the_summary_flag_false(recalculated, what, label):
    checks = _checks(recalculated[what])
    assert checks[label] is False
    assert checks["All checks pass"] is False and _flag(recalculated[what]) is False
    base = _checks(recalculated["base"])
    assert [k for k, v in checks.items() if v is False and base[k] is True] != []
