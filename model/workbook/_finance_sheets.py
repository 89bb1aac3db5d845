"""Presentation sheets over the Projection sheets: Finance, Compare and Charts.

Finance restates the money rows per step of the scenario picked on the Summary
(CHOOSE(summary_index, that cell of each Projection sheet)), then the cash flows, their
discounted values, the NPV at that scenario's `discount_rate` (SUMPRODUCT of cash flows and the
model's discount factors; Excel's own NPV beside it for yearly steps, where the two agree) and
the payback year, all live formulas.
"""

from __future__ import annotations

import math

import pandas as pd
import sympy
from openpyxl.chart import Reference, ScatterChart, Series
from openpyxl.styles import Alignment

from model.core.catalogue import CATALOGUE, sym
from model.core.fleet_inputs import USES
from model.report.formats import NEVER, year_of
from model.report.palette import excel

from ._book import Book, quote_sheet
from ._projection_sheets import FIRST_COL, FIRST_ROW
from ._styles import (
    BOLD,
    BOOLEAN,
    TITLE_FONT,
    column_letter,
    number_format,
    number_formats,
    set_widths,
    style_header,
    unit_text,
)

MONEY_ROWS = ("inference_revenue", *(f"budget_{u}" for u in USES), "compute_cost",
              "gross_margin", "capex", "depreciation", "free_cash_flow", "cumulative_cash",
              "discount_factor", "step_length", "npv_to_date")
COMPARE_ROWS = ("share_research", "share_inference", "budget_research", "budget_inference",
                "compute_research", "ai_rd_multiplier", "research_speedup",
                "software_efficiency", "capability", "fleet_gpus", "inference_revenue",
                "cumulative_cash", "npv_to_date")
Projections = list[tuple[str, str, dict[str, int], pd.DataFrame]]
NOTE = Alignment(horizontal="left", indent=1)
# Beside each result: what it is, for a reader who has not seen the model's names.
NOTES = {
    "initial_outlay": "the fleet bought at the start (0 when its GPU-hours are rented)",
    "terminal_value": "the last year's free cash flow growing at terminal_growth for ever, "
                      "discounted (Gordon)",
    "npv": "net present value: discounted cash flows less the initial outlay, plus the "
           "terminal value",
    "npv_excel": "the same NPV by Excel's NPV function: a cross-check",
    "payback_year": "the first year whose cumulative cash is not negative",
}


def _outlay_expr() -> sympy.Expr:
    """The initial fleet outlay, recovered from the first-step NPV row of the projection (whose
    first step is the discounted first cash flow less the outlay)."""
    s = sym
    return s("free_cash_flow") * s("step_length") * s("discount_factor") - s("npv_to_date")


def _header(book: Book, ws, n: int, label: str) -> None:
    book.row(ws, 3, ["name", label])
    for t in range(n):
        col = FIRST_COL + t
        book.formula(ws, 3, col, f"=Projection!{column_letter(col)}3",
                     book.cached["Projection"][f"{column_letter(col)}3"],
                     ws.parent["Projection"].cell(3, col).number_format)
    style_header(ws, 3, 1, FIRST_COL + n - 1)


def pick(done: Projections, name: str, col: int) -> str:
    """CHOOSE(summary_index, this cell of each scenario's Projection sheet): the scenario
    picked on the Summary (the sheets share one row layout)."""
    c = column_letter(col)
    cells = ",".join(f"{quote_sheet(title)}{c}{rows[name]}" for title, _, rows, _ in done)
    return f"CHOOSE(summary_index,{cells})"


def _picked(done: Projections, name: str) -> str:
    """CHOOSE(summary_index, the sheet-scoped input `name` of each Projection sheet)."""
    return "CHOOSE(summary_index," + ",".join(
        name if k == 0 else f"{quote_sheet(title)}{name}" for k, (title, *_) in enumerate(done)
    ) + ")"


def finance(book: Book, done: Projections, dt: float) -> dict:
    """The Finance sheet of the scenario picked on the Summary (cached: the primary one's);
    returns the primary scenario's summary values."""
    from model.loop.projection import summary

    from ._constants import formula as excel_formula

    df, n = done[0][3], len(done[0][3])
    ws = book.sheet("Finance")
    last = column_letter(FIRST_COL + n - 1)
    book.text(ws, 1, 1, "Finance: the scenario picked on the Summary", TITLE_FONT)
    book.formula(ws, 1, FIRST_COL + 2, "=summary_scenario", done[0][1]).font = TITLE_FONT
    book.text(ws, 2, 1, "Money per step from that scenario's Projection sheet; cash flow = free "
              "cash flow x step length; NPV at its discount_rate input, with the terminal "
              "value; all live formulas.")
    _header(book, ws, n, "unit")
    here: dict[str, int] = {}
    lengths = df["step_length"]
    extra = {"cash_flow": ("USD", df["free_cash_flow"] * lengths),
             "discounted_cash_flow": ("USD", df["free_cash_flow"] * lengths
                                      * df["discount_factor"]),
             "paid_back": ("", df["cumulative_cash"] >= 0)}
    for i, r in enumerate([*MONEY_ROWS, *extra], start=FIRST_ROW):
        here[r] = i
        unit, values = (CATALOGUE[r].unit, df[r]) if r in MONEY_ROWS else extra[r]
        book.text(ws, i, 1, r)
        book.text(ws, i, 2, unit_text(r, unit))
        fmts = [BOOLEAN] * n if r == "paid_back" else number_formats(
            r, unit, [float(v) for v in values])
        for t in range(n):
            c = column_letter(FIRST_COL + t)
            if r in MONEY_ROWS:
                formula = f"={pick(done, r, FIRST_COL + t)}"
            elif r == "cash_flow":
                formula = f"={c}{here['free_cash_flow']}*{c}{here['step_length']}"
            elif r == "discounted_cash_flow":
                formula = f"={c}{here['cash_flow']}*{c}{here['discount_factor']}"
            else:
                formula = f"={c}{here['cumulative_cash']}>=0"
            value = values.iloc[t]
            book.formula(ws, i, FIRST_COL + t, formula,
                         bool(value) if r == "paid_back" else float(value), fmts[t])
    top = FIRST_ROW + len(here) + 1
    summ = summary(df)
    parts = ("free_cash_flow", "step_length", "discount_factor", "npv_to_date")
    first = {sym(r): f"{column_letter(FIRST_COL)}{here[r]}" for r in parts}
    outlay_value = float(df["free_cash_flow"].iloc[0] * lengths.iloc[0]
                         * df["discount_factor"].iloc[0] - df["npv_to_date"].iloc[0])
    cf = f"{column_letter(FIRST_COL)}{here['cash_flow']}:{last}{here['cash_flow']}"
    dfs = f"{column_letter(FIRST_COL)}{here['discount_factor']}:{last}{here['discount_factor']}"
    items = [("initial_outlay", "USD", excel_formula(_outlay_expr(), first), outlay_value),
             ("terminal_value", "USD", f"={pick(done, 'terminal_value', FIRST_COL + n - 1)}",
              summ["terminal_value"]),
             ("npv", "USD", f"=SUMPRODUCT({cf},{dfs})-C{top}+C{top + 1}", summ["npv"])]
    if dt == 1.0 and n > 1:
        # Excel's NPV discounts each year's flow at its end; the model at its middle
        row_cf, rate = here["cash_flow"], _picked(done, "discount_rate")
        items.append(("npv_excel", "USD", f"=NPV({rate},{column_letter(FIRST_COL)}"
                      f"{row_cf}:{last}{row_cf})*(1+{rate})^0.5-C{top}+C{top + 1}",
                      summ["npv"]))
    payback = summ["payback_year"]
    # the calendar year in which cash first reaches 0, as the app and the CLI print it
    # (formats.year_of): 2026.4999999999977, a monthly step's start, is 2026
    items.append(("payback_year", "year", f"=IFERROR(INT(ROUND(INDEX({column_letter(FIRST_COL)}"
                  f"3:{last}3,MATCH(TRUE,{column_letter(FIRST_COL)}{here['paid_back']}:{last}"
                  f"{here['paid_back']},0)),2)),\"{NEVER}\")",
                  NEVER if (year := year_of(payback)) is None else float(year)))
    for i, (name, unit, formula, value) in enumerate(items, start=top):
        book.text(ws, i, 1, name, BOLD)
        book.text(ws, i, 2, unit)
        fmt = "0" if name == "payback_year" else number_format(name, unit, [value])
        book.formula(ws, i, FIRST_COL, formula, value, fmt)
        # two columns on: the payback cell's text ("not within the horizon") spills into one
        book.text(ws, i, FIRST_COL + 2, NOTES[name]).alignment = NOTE
    ws.freeze_panes = ws.cell(FIRST_ROW, FIRST_COL)
    set_widths(ws, {"A": 24, "B": 10, **{column_letter(FIRST_COL + t): 13 for t in range(n)}})
    return summ


def compare(book: Book, sheets: list[tuple[str, str, dict[str, int], pd.DataFrame]]) -> None:
    """Key rows of every scenario side by side (references to each Projection sheet)."""
    ws = book.sheet("Compare")
    n = len(sheets[0][3])
    book.text(ws, 1, 1, "Scenarios compared", TITLE_FONT)
    book.text(ws, 2, 1, "Each line refers to that scenario's Projection sheet.")
    _header(book, ws, n, "scenario")
    i = FIRST_ROW
    for r in COMPARE_ROWS:
        for title, scenario, rows, df in sheets:
            book.text(ws, i, 1, r)
            book.text(ws, i, 2, scenario)
            fmts = number_formats(r, CATALOGUE[r].unit, df[r].tolist())
            for t in range(n):
                c = column_letter(FIRST_COL + t)
                book.formula(ws, i, FIRST_COL + t, f"={quote_sheet(title)}{c}{rows[r]}",
                             float(df[r].iloc[t]), fmts[t])
            i += 1
    ws.freeze_panes = ws.cell(FIRST_ROW, FIRST_COL)
    set_widths(ws, {"A": 24, "B": 22, **{column_letter(FIRST_COL + t): 13 for t in range(n)}})


def series(ws, row: int, n: int, title: str, colour: str, dashed: bool = False,
           years: int = FIRST_ROW - 1) -> Series:
    """One row of `ws` (the step columns) as a straight, coloured line over its `years` row
    (a Projection sheet's header, which repeats the steps' years)."""
    ref = Reference(ws, min_col=FIRST_COL, max_col=FIRST_COL + n - 1, min_row=row, max_row=row)
    at = Reference(ws, min_col=FIRST_COL, max_col=FIRST_COL + n - 1, min_row=years,
                   max_row=years)
    line = Series(ref, at, title=title)
    line.marker.symbol = "none"
    line.smooth = False  # a smoothed line invents values between the steps
    line.graphicalProperties.line.solidFill = colour
    line.graphicalProperties.line.width = 28575  # 2.25 pt, in EMU
    if dashed:
        line.graphicalProperties.line.prstDash = "dash"
    return line


def year_axis(chart: ScatterChart, years=None) -> ScatterChart:
    """`chart`'s x axis as calendar time: a tick each whole year, over `years` (if given, the
    steps' start years) to the end of the last step's year; axes shown (openpyxl hides them)."""
    axis = chart.x_axis
    axis.number_format, axis.majorUnit = "0", 1
    axis.majorGridlines = None  # the years' ticks suffice; the values keep their gridlines
    if years is not None:
        axis.scaling.min, axis.scaling.max = math.floor(min(years)), math.floor(max(years)) + 1
    axis.delete = chart.y_axis.delete = False
    return chart


def line_chart(title: str, y_title: str, fmt: str, years) -> ScatterChart:
    """Lines over calendar time (`year_axis`): a scatter chart, as a line chart's categories
    labelled every step with its start, 2025.25, 2025.5, ..., at quarterly steps."""
    chart = ScatterChart()  # its series drawn as lines without markers (`series`)
    chart.title, chart.y_axis.title, chart.x_axis.title = title, y_title, "year"
    chart.y_axis.number_format = fmt
    chart.height, chart.width = 9, 22
    return year_axis(chart, years)


def charts(book: Book, wb, sheets: list[tuple[str, str, dict[str, int], pd.DataFrame]]) -> None:
    """Research vs inference budget per scenario; shares over time; multiplier vs speed-up."""
    ws = book.sheet("Charts")
    book.text(ws, 1, 1, "Charts (from the Projection sheets)", TITLE_FONT)
    n = len(sheets[0][3])
    primary = wb[sheets[0][0]]
    years = sheets[0][3]["year"].tolist()
    budget = line_chart("Research (solid) vs inference (dashed) budget", "USD/year",
                        '"$"#,##0,,,"B"', years)
    shares = line_chart(f"Shares of the fleet ({sheets[0][1]})", "share", "0%", years)
    speed = line_chart(f"Headline multiplier vs effective speed-up ({sheets[0][1]})",
                       "multiplier (x)", '0.0"x"', years)
    # colours as on the page (model.report.palette): a scenario's, a use's, a series'
    for title, scenario, rows, _ in sheets:
        for use in ("research", "inference"):
            budget.series.append(series(wb[title], rows[f"budget_{use}"], n, f"{use} "
                                        f"({scenario})", excel(scenario), use == "inference"))
    for use in USES:
        shares.series.append(series(primary, sheets[0][2][f"share_{use}"], n, use, excel(use)))
    for k, (r, label) in enumerate((("ai_rd_multiplier", "headline multiplier"),
                                    ("research_speedup", "effective speed-up"))):
        # dashed: where the brakes are off the two coincide, and a solid line would hide one
        speed.series.append(series(primary, sheets[0][2][r], n, label, excel(r),
                                   dashed=k == 1))
    for k, chart in enumerate((budget, shares, speed)):
        ws.add_chart(chart, f"A{3 + 19 * k}")
