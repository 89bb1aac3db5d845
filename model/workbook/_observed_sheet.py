"""The Observed sheet of the market workbook: the published research, training and inference
shares per lab and year (model.market.observed) as plain values with their citations, and a
chart of the labs' research-share paths (from their sheets) with the observed shares as points.

Nothing here is a formula: the panel is data, and its text (notes, citations) is stored as text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from openpyxl.chart import Reference, ScatterChart, Series
from openpyxl.worksheet.pagebreak import Break

from model.market.observed import COLUMNS, PANEL, panel, research_points
from model.report.formats import money_format
from model.report.palette import lab_excel

from ._book import Book
from ._finance_sheets import year_axis
from ._projection_sheets import FIRST_COL
from ._styles import PERCENT, TITLE_FONT, WRAP, fit_row_heights, set_widths, style_header

TITLE = "Observed"
HEADER_ROW = 4
NOTE = ("What labs were observed to give research, training and inference (python -m model "
        "observed): shares of the measure named (expense: dollars of compute spend; compute: GPUs "
        "or their power capacity; energy: energy used), blank where no source gives one. "
        "research_share is R&D less final training runs (the model's share_research); rd_share "
        "all R&D. The note says how comparable each figure is and shows the arithmetic.")
_FORMATS = {"share": PERCENT, "h100e": "#,##0"}  # dollars: formats.money_format, each value
_WIDE = {"scope": 40, "note": 70, "citation": 60}


def _format(column: str, value: float) -> str | None:
    if column.endswith("usd"):
        return money_format(value)
    return next((f for end, f in _FORMATS.items() if column.endswith(end)), None)


def observed_sheet(book: Book, labs: Sequence = (), n: int = 0) -> dict[str, int]:
    """Write the Observed sheet; `labs` (model.workbook._market_sheet.LabSheet), each with `n`
    step columns, give the chart its model paths. Return column name -> sheet column."""
    ws = book.sheet(TITLE)
    book.text(ws, 1, 1, "Observed splits: published shares per lab and year", TITLE_FONT)
    book.text(ws, 2, 1, NOTE)
    cols = {c: i for i, c in enumerate(COLUMNS, start=1)}
    book.row(ws, HEADER_ROW, list(COLUMNS))
    style_header(ws, HEADER_ROW, 1, len(COLUMNS))
    for row, o in enumerate(PANEL, start=HEADER_ROW + 1):
        for column, col in cols.items():
            value = getattr(o, column)
            if isinstance(value, str):
                cell = book.text(ws, row, col, value)
                if column in _WIDE:
                    cell.alignment = WRAP
            elif not (isinstance(value, float) and math.isnan(value)):
                book.number(ws, row, col, value, _format(column, value))
    last = HEADER_ROW + len(PANEL)
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 3)
    set_widths(ws, {**{ws.cell(1, c).column_letter: 14 for c in cols.values()},
                    **{ws.cell(1, cols[c]).column_letter: w for c, w in _WIDE.items()}})
    fit_row_heights(ws, {cols[c]: w for c, w in _WIDE.items()}, HEADER_ROW + 1)
    _chart(book, ws, labs, n, last + 2)
    return cols


def _chart(book: Book, ws, labs: Sequence, n: int, top: int) -> None:
    """Below the panel, the points the chart plots (per lab, contiguous), then the chart: each
    lab's research share from its sheet as a line, the observed shares as markers."""
    points = sorted(research_points(panel()), key=lambda p: p["lab"])
    # The chart and its points start a printed page: run on below the panel, the chart broke
    # across two pages (the panel's wrapped rows leave a page's last third or so)
    ws.row_breaks.append(Break(id=top - 1))
    book.text(ws, top, 1, "Chart data: research where the source separates final runs, else "
              "all R&D (kind)")
    book.row(ws, top + 1, ["lab", "year", "research share shown", "kind"])
    style_header(ws, top + 1, 1, 4)
    spans: dict[str, list[int]] = {}
    for row, p in enumerate(points, start=top + 2):
        book.text(ws, row, 1, p["lab"])
        book.number(ws, row, 2, p["year"], "0")
        book.number(ws, row, 3, p["value"], PERCENT)
        book.text(ws, row, 4, p["kind"])
        spans.setdefault(p["lab"], []).append(row)
    chart = ScatterChart()
    chart.title = "Research share of the fleet: the market's paths and what was observed"
    chart.x_axis.title, chart.y_axis.title = "year", "share"
    chart.y_axis.number_format = "0%"
    year_axis(chart)
    chart.height, chart.width = 10, 24
    for lab in labs:  # each lab's colour on the page too (model.report.palette)
        sheet = book.wb[lab.title]
        x = Reference(sheet, min_col=FIRST_COL, max_col=FIRST_COL + n - 1,
                      min_row=lab.rows["year"])
        y = Reference(sheet, min_col=FIRST_COL, max_col=FIRST_COL + n - 1,
                      min_row=lab.rows["share_research"])
        line = Series(y, x, title=f"{lab.name} (model)")
        line.marker.symbol = "none"
        line.smooth = False
        line.graphicalProperties.line.solidFill = lab_excel(lab.name)
        line.graphicalProperties.line.width = 28575
        chart.series.append(line)
    for lab, rows in spans.items():
        fill = lab_excel(lab)
        x = Reference(ws, min_col=2, min_row=rows[0], max_row=rows[-1])
        y = Reference(ws, min_col=3, min_row=rows[0], max_row=rows[-1])
        dots = Series(y, x, title=f"{lab} (observed)")
        dots.marker.symbol, dots.marker.size = "circle", 8
        dots.marker.graphicalProperties.solidFill = fill
        dots.marker.graphicalProperties.line.solidFill = fill
        dots.graphicalProperties.line.noFill = True
        chart.series.append(dots)
    ws.add_chart(chart, f"A{top + len(points) + 3}")
