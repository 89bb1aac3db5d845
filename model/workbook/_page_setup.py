"""Print setup of every sheet: A4, fit to one page wide (a few for a long run of steps), the
frozen header rows repeated.

A4 fit-to-width also prints on letter paper (the printer scales it).  The print area is the used
range widened to cover the sheet's charts, whose size openpyxl knows only in centimetres: it is
converted to rows and columns with Excel's default metrics (a 15-point row; a column of w
characters is about 7w + 5 pixels).
"""

from __future__ import annotations

import math

from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from ._styles import column_letter

CM_PER_PIXEL = 2.54 / 96
ROW_CM = 15 / 72 * 2.54
DEFAULT_WIDTH = 8.43
# Characters of column width: wider sheets print landscape (A4 portrait holds ~100 at 100%).
LANDSCAPE_OVER = 120
# Characters a landscape page holds at ~75%: a wider sheet (a decade of quarters) prints over
# several pages wide rather than shrinking its charts and numbers out of reading.
PAGE_CHARACTERS = 200


MAX_ROW_POINTS = 409  # Excel's tallest row


def cap_row_heights(ws) -> None:
    """Rows no taller than Excel allows (a long equation's wrapped text would ask for more)."""
    for dim in ws.row_dimensions.values():
        if dim.height and dim.height > MAX_ROW_POINTS:
            dim.height = MAX_ROW_POINTS


def _width(ws, col: int) -> float:
    """Characters; .get, because indexing column_dimensions would create a column entry."""
    found = ws.column_dimensions.get(column_letter(col))
    return found.width if found is not None and found.width else DEFAULT_WIDTH


def _column_cm(ws, col: int) -> float:
    return (7 * _width(ws, col) + 5) * CM_PER_PIXEL


def _chart_extent(ws, chart) -> tuple[int, int]:
    """(last row, last column) a chart anchored at a cell ('A3') covers."""
    letter, row = coordinate_from_string(chart.anchor)
    col, width = column_index_from_string(letter), 0.0
    while width < chart.width:
        width += _column_cm(ws, col)
        col += 1
    return row + math.ceil(chart.height / ROW_CM), col - 1


def used_extent(ws) -> tuple[int, int]:
    """(last row, last column) of the cells and charts of a sheet."""
    rows, cols = ws.max_row, ws.max_column
    for chart in ws._charts:
        row, col = _chart_extent(ws, chart)
        rows, cols = max(rows, row), max(cols, col)
    return rows, cols


# Sheets of long text (wrapped in their columns) that print landscape one page wide: read as a
# table, row by row, they must not break across pages sideways (issue 20: they printed
# unreadably at a sliver of a page or over several).
LANDSCAPE_SHEETS = ("Inputs", "Equations")


def print_setup(ws, one_page: bool = False) -> None:
    """Print area, A4, fit to width (and to one page tall if `one_page`: a summary or a page
    of charts reads best unbroken), landscape when wide, title rows, header and footer."""
    rows, cols = used_extent(ws)
    ws.print_area = f"A1:{column_letter(cols)}{rows}"
    width = sum(_width(ws, c) for c in range(1, cols + 1))
    setup = ws.page_setup
    setup.paperSize = ws.PAPERSIZE_A4
    setup.orientation = (ws.ORIENTATION_LANDSCAPE if width > LANDSCAPE_OVER
                         else ws.ORIENTATION_PORTRAIT)
    setup.fitToWidth = max(1, math.ceil(width / PAGE_CHARACTERS))
    if ws.title in LANDSCAPE_SHEETS:
        setup.orientation, setup.fitToWidth = ws.ORIENTATION_LANDSCAPE, 1
        ws.page_margins.left = ws.page_margins.right = 0.4  # inches: more width for the text
    setup.fitToHeight = 1 if one_page else 0  # 0: as many pages tall as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if ws.freeze_panes:  # the rows frozen on screen are the headers each printed page repeats
        _, top = coordinate_from_string(ws.freeze_panes)
        if top > 1:
            ws.print_title_rows = f"1:{top - 1}"
    ws.oddHeader.left.text, ws.oddHeader.center.text = "&F", "&A"  # file, sheet
    ws.oddFooter.center.text = "Page &P of &N"
