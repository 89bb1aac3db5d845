"""The Summary sheet: the page the workbook opens on, one scenario's key figures by year.

The input cell `summary_scenario` is a dropdown of the exported scenarios (the list below the
chart); `summary_index` is its position in that list.  Each figure is
CHOOSE(summary_index, the same cell of each Projection sheet): the Projection sheets share one
row layout, so a row holds one formula shifted across the year columns, and the block and its
chart follow the dropdown.  Cached values are the primary scenario's, which the dropdown shows
first.
"""

from __future__ import annotations

import pandas as pd
from openpyxl.styles import Alignment

from model.core.catalogue import CATALOGUE
from model.loop.scenarios import SCENARIOS
from model.report.formats import CODE_WORDS
from model.report.palette import excel

from ._book import Book, absolute, quote_sheet
from ._constants import WORDS
from ._finance_sheets import line_chart, pick, series
from ._projection_sheets import FIRST_COL
from ._styles import (
    BOLD,
    SECTION_FONT,
    TITLE_FONT,
    column_letter,
    number_formats,
    set_widths,
    style_header,
    style_input,
)

TITLE = "Summary"
SELECT_ROW, INDEX_ROW, FLAG_ROW, HEADER_ROW = 4, 5, 6, 7
ROWS = ("budget_research", "budget_inference", "share_research", "share_inference",
        "fleet_gpus", "inference_revenue", "capex", "free_cash_flow", "npv",
        "binding_constraint")
BINDS = CODE_WORDS["binding_constraint"]  # its codes 0..3, as words
RIGHT = Alignment(horizontal="right")
NOTE = Alignment(horizontal="left", indent=1)  # clear of the number to its left
Projections = list[tuple[str, str, dict[str, int], pd.DataFrame]]


def _selector(book: Book, ws, done: Projections, list_row: int) -> None:
    """The scenario dropdown, its position in the list, and the list itself."""
    book.text(ws, SELECT_ROW, 1, "summary_scenario", BOLD)
    book.text(ws, SELECT_ROW, 2, "scenario")
    style_input(book.text(ws, SELECT_ROW, FIRST_COL, done[0][1]))
    for row, note in ((SELECT_ROW, "← pick one from the cell's dropdown list"),
                      (INDEX_ROW, "calculated: its place in the list below the chart")):
        book.text(ws, row, FIRST_COL + 1, note).alignment = NOTE
    book.define("summary_scenario", ws, SELECT_ROW, FIRST_COL)
    first, last = list_row + 1, list_row + len(done)
    names = f"$A${first}:$A${last}"
    book.validate(ws, f"{column_letter(FIRST_COL)}{SELECT_ROW}", "list", names, None,
                  "Pick one of the scenarios exported (listed below the chart)")
    book.text(ws, INDEX_ROW, 1, "summary_index")
    book.text(ws, INDEX_ROW, 2, "position")
    book.formula(ws, INDEX_ROW, FIRST_COL, f"=MATCH(summary_scenario,{names},0)", 1, "0")
    book.define("summary_index", ws, INDEX_ROW, FIRST_COL)
    book.text(ws, list_row - 1, 1, "Scenarios in this workbook", SECTION_FONT)
    book.row(ws, list_row, ["scenario", "sheet", "", "", "title"])
    style_header(ws, list_row, 1, 5)
    for i, (title, scenario, *_) in enumerate(done, start=first):
        book.row(ws, i, [scenario, title])
        found = SCENARIOS.get(scenario)
        book.text(ws, i, 5, found.title if found else "")


def _block(book: Book, ws, done: Projections) -> dict[str, int]:
    """Year header and one CHOOSE row per key figure; returns name -> row."""
    primary, n = done[0][0], len(done[0][3])
    book.row(ws, HEADER_ROW, ["name", "unit"])
    for t in range(n):
        col = FIRST_COL + t
        ref = f"{column_letter(col)}3"
        book.formula(ws, HEADER_ROW, col, f"={quote_sheet(primary)}{ref}",
                     book.cached[primary][ref], ws.parent[primary][ref].number_format)
    style_header(ws, HEADER_ROW, 1, FIRST_COL + n - 1)
    rows = {}
    df = done[0][3]
    for i, name in enumerate(ROWS, start=HEADER_ROW + 1):
        rows[name] = i
        unit = CATALOGUE[name].unit
        book.text(ws, i, 1, name)
        book.text(ws, i, 2, "what binds" if name == "binding_constraint" else unit or "share")
        # each cell as the app prints the primary scenario's value (the one money rule); another
        # scenario chosen above keeps these scales, its values exact
        fmts = number_formats(name, unit, df[name].tolist())
        for t in range(n):
            col, value = FIRST_COL + t, float(df[name].iloc[t])
            if name == "binding_constraint":  # the Projection sheets' words row
                book.formula(ws, i, col, f"={pick(done, WORDS, col)}",
                             BINDS[int(value)]).alignment = RIGHT  # under the numbers
            else:
                book.formula(ws, i, col, f"={pick(done, name, col)}", value, fmts[t])
    return rows


def _chart(ws, rows: dict[str, int], n: int, anchor: str, years) -> None:
    """Research vs inference budget of the chosen scenario (the block's rows) over `years`."""
    chart = line_chart("Research vs inference budget (scenario above)", "USD/year",
                       '"$"#,##0,,"M"', years)
    for use in ("research", "inference"):
        chart.series.append(series(ws, rows[f"budget_{use}"], n, use, excel(use),
                                   years=HEADER_ROW))
    ws.add_chart(chart, anchor)


def summary_sheet(book: Book, heading: str, done: Projections) -> dict[str, int]:
    """Write the Summary, make it the first and active sheet; returns block name -> row."""
    ws = book.sheet(TITLE)
    n = len(done[0][3])
    book.text(ws, 1, 1, f"Summary: {heading}", TITLE_FONT)
    book.text(ws, 2, 1, "Change the yellow scenario cell to switch the figures and chart "
              "below to that scenario; edit inputs on the Inputs sheet. Money in $ millions "
              "(M); what each row means: the Equations sheet.")
    chart_row = HEADER_ROW + len(ROWS) + 2
    list_row = chart_row + 20  # below the chart (9 cm: about 17 rows)
    _selector(book, ws, done, list_row)
    rows = _block(book, ws, done)
    _chart(ws, rows, n, f"A{chart_row}", done[0][3]["year"].tolist())
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, FIRST_COL)
    set_widths(ws, {"A": 22, "B": 12, **{column_letter(FIRST_COL + t): 13 for t in range(n)}})
    wb = book.wb
    wb.move_sheet(ws, offset=-wb.index(ws))
    wb.active = 0
    for sheet in wb.worksheets:  # one selected tab, or Excel opens a group of sheets
        sheet.sheet_view.tabSelected = sheet is ws
    return rows


def summary_check(rows: dict[str, int], done: Projections) -> tuple[str, str, bool]:
    """The Summary's NPV is the primary Projection's last npv (TRUE when another scenario is
    chosen: the block then shows that scenario)."""
    title, _, projection_rows, df = done[0]
    last = FIRST_COL + len(df) - 1
    ours = absolute(TITLE, rows["npv"], last)
    theirs = absolute(title, projection_rows["npv"], last)
    return ("Summary: NPV equals the primary Projection's last npv",
            f"=OR(summary_index<>1,ABS({ours}-{theirs})<=tolerance)", True)
