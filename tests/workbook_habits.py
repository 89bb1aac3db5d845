"""What the workbook tests measure of every formula (issue 20): numeric literals, length, and
raw references to the Inputs sheet.  Used by tests/test_workbook_habits.py and the market
workbook's tests."""

from __future__ import annotations

import re
from collections.abc import Iterator

from model.workbook._constants import STRUCTURAL
from model.workbook._split import MAX_LENGTH

# In order: a quoted sheet name or string, a name or cell reference ($ included), a number.
_TOKEN = re.compile(
    r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|[A-Za-z_$][A-Za-z0-9_.$]*"""
    r"|(\d+\.?\d*(?:E[+-]?\d+)?|\.\d+(?:E[+-]?\d+)?)",
    re.IGNORECASE,
)
RAW_INPUTS = re.compile(r"'?Inputs'?!\$?[A-Z]{1,3}\$?\d+")
# A constant's name that only spells its number ('k_two_e_minus_six', 'four') says nothing of
# what the number is.
_NUMBER_WORDS = "zero|one|two|three|four|five|six|seven|eight|nine|ten|point|e|minus|k"
SPELLED = re.compile(rf"(?:{_NUMBER_WORDS})(?:_(?:{_NUMBER_WORDS}))*")


def literals(formula: str) -> list[str]:
    """The numbers written in a formula (not the digits of a reference or a name)."""
    return [m[1] for m in _TOKEN.finditer(formula) if m[1]]


def stray_literals(formula: str) -> list[str]:
    """Its numbers other than the structural ones (0, 0.5, 1, 2, 10, 100)."""
    return [n for n in literals(formula) if float(n) not in STRUCTURAL]


def formulas(wb) -> Iterator[tuple[str, str, str]]:
    """(sheet, cell, formula) of every formula cell of an openpyxl workbook."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" and isinstance(cell.value, str):
                    yield ws.title, cell.coordinate, cell.value


def habits(wb) -> dict[str, list]:
    """Every formula with a stray literal, over MAX_LENGTH characters, or with a raw Inputs
    reference: (sheet, cell, what)."""
    found: dict[str, list] = {"literals": [], "long": [], "raw": []}
    for title, coord, text in formulas(wb):
        if stray := stray_literals(text):
            found["literals"].append((title, coord, stray))
        if len(text) > MAX_LENGTH:
            found["long"].append((title, coord, len(text)))
        if RAW_INPUTS.search(text):
            found["raw"].append((title, coord, text[:80]))
    return found


def constants_listed(wb) -> dict[str, tuple[float, str]]:
    """The Constants sheet's name -> (value, why)."""
    rows = wb["Constants"].iter_rows(min_row=5, values_only=True)
    return {r[0]: (r[1], r[3]) for r in rows if r[0] and r[1] is not None}


def badly_named(wb) -> list[str]:
    """The constants whose name spells their number or that give no reason."""
    return [n for n, (_, why) in constants_listed(wb).items()
            if SPELLED.fullmatch(n) or not (isinstance(why, str) and len(why) > 20)]


# What a cell shows for an error, as openpyxl reads a recalculated file (LibreOffice's own
# "Err:5xx" codes too).
ERRORS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "Err:")


def error_cells(wb) -> list[tuple[str, str, object, str]]:
    """(sheet, cell, its row's name, error) of every cell of a recalculated workbook (openpyxl,
    data_only) that shows an error: a financial modeller reads any as a broken model."""
    return [(ws.title, cell.coordinate, ws.cell(cell.row, 1).value, cell.value)
            for ws in wb.worksheets for row in ws.iter_rows() for cell in row
            if isinstance(cell.value, str) and cell.value.startswith(ERRORS)]
