"""Look of the exported workbook: cell styles, the colour legend, number formats by unit.

Input cells (blue font on a pale yellow fill) are the only cells a reader should change; constants
are grey, calculations black, checks green/red.  Number formats come from the one display
catalogue (model.report.formats) the app and the CLI use too.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from itertools import groupby

from openpyxl.formatting.rule import Rule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.styles.numbers import NumberFormat

from model.report.formats import excel_format, excel_formats, measure_of
from model.report.money import MONEY_TINY, MONEY_ZERO, money_scales

INPUT_FONT = Font(color="0000CC")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
CONSTANT_FILL = PatternFill("solid", fgColor="E7E6E6")
CHECK_FILL = PatternFill("solid", fgColor="E2EFDA")
HEADER_FILL = PatternFill("solid", fgColor="1F3864")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=14)
SECTION_FONT = Font(bold=True, size=11, color="1F3864")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
THIN = Border(bottom=Side(style="thin", color="BFBFBF"))

# (label, font, fill, meaning) for the Cover's colour legend.
LEGEND = (
    ("Input", INPUT_FONT, INPUT_FILL, "a value you may change (validated against its bounds)"),
    ("Constant", None, CONSTANT_FILL, "a fixed definition (hours per year...), not to be changed"),
    ("Calculation", None, None, "a live formula over the named inputs; do not overwrite"),
    ("Check", None, CHECK_FILL, "TRUE when the model is consistent"),
)

PERCENT = "0.0%"
SCIENTIFIC = "0.00E+00"
# LibreOffice does not recalculate an xlsx on load and shows a cached boolean as 1 or 0 unless
# the cell says it is one; Excel ignores number formats on booleans.
BOOLEAN = '"TRUE";"TRUE";"FALSE"'
LINE_POINTS = 15


def number_format(name: str, unit: str, values: Iterable[float] = ()) -> str:
    """The Excel number format of quantity `name` (`unit` is its catalogue unit): the display
    catalogue's (model.report.formats), money on the scale of the largest of `values`."""
    return excel_format(name, values, unit)


def number_formats(name: str, unit: str, values: Iterable[float]) -> list[str]:
    """One format per cell of a row, as the app and the CLI print each value: money and
    multipliers on each value's own scale (a price from $0.55 to $8M never reads '$0.00M'), the
    rest the row's. A recalculated money cell follows the rule through follow_money; another
    keeps its format (the text stays right, its decimals may not be the rule's)."""
    return excel_formats(name, list(values), unit)


def unit_text(name: str, unit: str) -> str:
    """A unit column's text: the unit, or for a pure number what it is (%, x, OOMs, code...), as
    the app's labels say, rather than a blank a reader cannot tell from a missing unit."""
    return unit or measure_of(name, unit).label


def column_letter(index: int) -> str:
    """1 -> 'A', 27 -> 'AA' (Excel's bijective base 26)."""
    text = ""
    while index:
        index, rest = divmod(index - 1, 26)
        text = chr(65 + rest) + text
    return text


def set_widths(ws, widths: dict[str, float]) -> None:
    """Column widths in characters, by column letter."""
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width


def fit_row_heights(ws, widths: dict[int, float], first: int = 1) -> None:
    """Give each row from `first` on the height its wrapped text needs (`widths`: column number
    -> its width in digits; a line of proportional text holds about 1.15 times as many
    characters).  LibreOffice opens an xlsx without growing rows for wrapped text, which then
    overlaps the next row on screen and in print."""
    for row in range(first, ws.max_row + 1):
        lines = 1
        for col, width in widths.items():
            text = ws.cell(row, col).value
            if isinstance(text, str) and len(text) > width:
                lines = max(lines, sum(len(textwrap.wrap(part, int(width * 1.15)) or [""])
                                       for part in text.split("\n")))
        if lines > 1:
            ws.row_dimensions[row].height = LINE_POINTS * lines
            for cell in ws[row]:  # a label beside the text starts level with it, not below
                cell.alignment = Alignment(wrap_text=cell.alignment.wrap_text, vertical="top")


def style_header(ws, row: int, first: int, last: int) -> None:
    """White bold text on navy across columns first..last of `row`."""
    for col in range(first, last + 1):
        cell = ws.cell(row, col)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL


def style_input(cell, constant: bool = False) -> None:
    """Mark a cell as an input (blue on yellow) or a constant (grey fill)."""
    if constant:
        cell.fill = CONSTANT_FILL
    else:
        cell.font, cell.fill = INPUT_FONT, INPUT_FILL


MONEY_FORMATS = frozenset({MONEY_ZERO, MONEY_TINY, *(fmt for _, fmt in money_scales())})
_DXF_IDS = 300  # the conditional formats' number format ids: clear of the cells' (164 up)


def _money_rules(first: str) -> list[Rule]:
    """The money rule (model.report.formats.money_scales) as conditional formats of a range
    whose top-left cell is `first`, largest scale first; the first that holds applies."""
    tests = [(f"ABS({first})>={least:.10G}", fmt) for least, fmt in money_scales()]
    tests += [(f"{first}=0", MONEY_ZERO), (f"ISNUMBER({first})", MONEY_TINY)]
    return [Rule(type="expression", formula=[test], stopIfTrue=True, dxf=DifferentialStyle(
        numFmt=NumberFormat(numFmtId=_DXF_IDS + i, formatCode=fmt)))
        for i, (test, fmt) in enumerate(tests)]


def follow_money(ws) -> None:
    """Let every money cell of ws (one with a money rule's format) follow the rule live: the
    formats are fixed at export, so a value an edit moves to another scale ($658B to $1.30T)
    would keep the old one; conditional formats choose the scale from the value instead (Excel
    and LibreOffice both apply a number format from a conditional format). One set of rules
    per first column, so that each set's formula is relative to its top-left cell."""
    runs: dict[int, list[str]] = {}
    for row in ws.iter_rows():
        for money, group in groupby(row, key=lambda c: c.number_format in MONEY_FORMATS):
            cells = list(group)
            if money:
                end = f":{cells[-1].coordinate}" if len(cells) > 1 else ""
                runs.setdefault(cells[0].column, []).append(cells[0].coordinate + end)
    for ranges in runs.values():
        for rule in _money_rules(ranges[0].split(":")[0]):  # ranges in row order: top-left
            ws.conditional_formatting.add(" ".join(ranges), rule)
