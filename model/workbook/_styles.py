"""Look of the exported workbook: cell styles, the colour legend, number formats by unit.

Input cells (blue font on a pale yellow fill) are the only cells a reader should change; constants
are grey, calculations black, checks green/red.  Number formats come from the one display
catalogue (model.report.formats) the app and the CLI use too.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from model.report.formats import excel_format, excel_formats, measure_of

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
    rest the row's. A recalculated cell keeps its format: the text stays right, its scale may not
    be the one the rule would choose for the new value."""
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
