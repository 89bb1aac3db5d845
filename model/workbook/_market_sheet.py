"""The Market sheet: the market's clearing (model.workbook.market_clearing) as live formulas over
the labs' sheets, one column per step in the labs' columns, and the check that the coupling
inputs the labs' sheets read are the market's fixed point.

Nothing on it is an input but the market's parameters: the coupling paths are input rows of the
labs' sheets, so the sheet recomputes them without a circular reference, and the gap rows show
how far the inputs are from what it recomputes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ._book import Book, local_name, quote_sheet
from ._constants import formula as excel_formula
from ._projection_sheets import FIRST_COL
from ._styles import (
    BOOLEAN,
    CHECK_FILL,
    SECTION_FONT,
    TITLE_FONT,
    WRAP,
    column_letter,
    number_formats,
    set_widths,
    style_header,
    style_input,
    unit_text,
)
from .market_clearing import PARAMETERS, Clearing, Ref, evaluate

TITLE = "Market"
_TOKEN = re.compile(r"REF__(\d+)")
SECTIONS = {"customer_odds": "Customers: a logit over the labs' odds divides their demand",
            "world_gpu_production": "Chips: the labs' bids against their share of world "
                                    "production",
            "gap_market_supply_share": "Fixed point: each coupling input against what the "
                                       "market recomputes (the engine's measure)",
            "npv": "Value"}


@dataclass(frozen=True)
class LabSheet:
    """What the Market sheet reads of one lab: its sheet title, its rows (name -> sheet row) and
    its inputs (name -> an absolute reference to its Inputs cell)."""

    name: str
    title: str
    rows: dict[str, int]
    inputs: dict[str, str]


def _label(name: str, lab: int | None, labs: Sequence[LabSheet]) -> str:
    return name if lab is None else f"{name}[{labs[lab].name}]"


def market_sheet(book: Book, c: Clearing, labs: Sequence[LabSheet],
                 lookup: Callable[[Ref], object], n: int, heading: str) -> tuple[dict, list]:
    """Write the Market sheet; return its values {(name, lab): (n,)} (as cached) and its
    checks for the Checks sheet."""
    ws = book.sheet(TITLE)
    book.text(ws, 1, 1, heading, TITLE_FONT)
    book.text(ws, 2, 1, "Every cell right of the units is a formula over the labs' sheets; the "
              "coupling paths those sheets read are their input rows (the market's fixed "
              "point), so the gap rows show how far they are from what this sheet recomputes.")
    row = _parameters(book, ws, len(labs), 4)
    header = row + 1
    book.row(ws, header, ["name", "unit"])
    year_row = labs[0].rows["year"]
    years = np.asarray(lookup(("lab", "year", 0)), dtype=float)
    for t in range(n):
        col = FIRST_COL + t
        book.formula(ws, header, col, f"={quote_sheet(labs[0].title)}{column_letter(col)}"
                     f"{year_row}", float(years[t]), "0.00" if years[t] % 1 else "0")
    style_header(ws, header, 1, FIRST_COL + n - 1)
    values = evaluate(c, lookup, n)
    rows: dict[tuple[str, int | None], int] = {}
    row = header + 1
    for r in c.rows:  # every row placed first (formulas name rows by sheet row); a section
        if r.lab in (None, 0) and r.name in SECTIONS:  # label takes a row of its own
            row += 1
        rows[(r.name, r.lab)] = row
        row += 1
    for r in c.rows:
        at = rows[(r.name, r.lab)]
        if r.lab in (None, 0) and r.name in SECTIONS:
            book.text(ws, at - 1, 1, SECTIONS[r.name], SECTION_FONT)
        book.text(ws, at, 1, _label(r.name, r.lab, labs))
        book.text(ws, at, 2, unit_text(r.name, r.unit))
        shown = values[(r.name, r.lab)]
        fmts = (["0.0E+00"] * n if r.name.startswith("gap_") else
                number_formats(r.name, r.unit, [float(v) for v in shown]))
        first, later = (_template(e, c) for e in (r.first, r.later))
        for t in range(n):
            col = FIRST_COL + t
            formula = _fill(first if t == 0 else later, col, rows, labs)
            book.formula(ws, at, col, formula, float(shown[t]), fmts[t])
    _fixed_point(book, ws, c, rows, values, row + 1, n)
    fixed = f"{column_letter(FIRST_COL)}{row + 1}"
    checks = [*share_checks(c, rows, values, n),
              ("the coupling paths are the market's fixed point", f"={quote_sheet(TITLE)}{fixed}",
               bool(book.cached[TITLE][fixed]))]
    ws.freeze_panes = ws.cell(header + 1, FIRST_COL)
    set_widths(ws, {"A": 40, "B": 14, **{column_letter(FIRST_COL + t): 16 for t in range(n)}})
    return values, checks


def _parameters(book: Book, ws, labs: int, top: int) -> int:
    """The market's named inputs (and the labs' count, a constant); return the last row."""
    book.text(ws, top, 1, "Market parameters (inputs)", SECTION_FONT)
    row = top
    for row, (name, (value, unit, why)) in enumerate(PARAMETERS.items(), start=top + 1):
        book.text(ws, row, 1, name)
        book.text(ws, row, 2, unit_text(name, unit))
        style_input(book.number(ws, row, FIRST_COL, value, "General"))
        book.define(name, ws, row, FIRST_COL)
        book.text(ws, row, FIRST_COL + 1, why).alignment = WRAP
    row += 1
    book.text(ws, row, 1, "lab_count")
    book.text(ws, row, 2, "labs")
    style_input(book.number(ws, row, FIRST_COL, labs, "0"), constant=True)
    book.define("lab_count", ws, row, FIRST_COL)
    book.text(ws, row, FIRST_COL + 1, "the labs in this market (one sheet each)")
    return row + 1


def _template(expr, c: Clearing) -> tuple[str, list[Ref]]:
    """The expression printed with a token per reference, and the references in token order."""
    symbols = sorted(expr.free_symbols, key=str)
    text = excel_formula(expr, {s: f"REF__{k}" for k, s in enumerate(symbols)})
    return text, [c.refs[s] for s in symbols]


def _fill(template: tuple[str, list[Ref]], col: int, rows: dict, labs: Sequence[LabSheet]) -> str:
    text, refs = template
    letter, before = column_letter(col), column_letter(col - 1)

    def one(m: re.Match) -> str:
        kind, name, lab = refs[int(m[1])]
        if kind == "lab":
            return f"{quote_sheet(labs[lab].title)}{letter}{labs[lab].rows[name]}"
        if kind == "input":  # by the name scoped to the lab's sheet
            return f"{quote_sheet(labs[lab].title)}{local_name(name)}"
        if kind in ("row", "prev"):
            return f"{letter if kind == 'row' else before}{rows[(name, lab)]}"
        return name

    return _TOKEN.sub(one, text)


def share_checks(c: Clearing, rows: dict, values: dict, n: int) -> list[tuple[str, str, bool]]:
    """The labs' market shares (the customers' logit shares, the shares of the tokens sold) sum
    to 1 in every step."""
    out = []
    last = column_letter(FIRST_COL + n - 1)
    for name in ("logit_share", "share_of_tokens_sold"):
        labs = [r.lab for r in c.rows if r.name == name]
        spans = "+".join(f"{quote_sheet(TITLE)}{column_letter(FIRST_COL)}{rows[(name, j)]}:"
                         f"{last}{rows[(name, j)]}" for j in labs)
        total = sum(np.asarray(values[(name, j)], dtype=float) for j in labs)
        out.append((f"market shares ({name}) sum to 1 in every step",
                    f"=SUMPRODUCT(--(ABS({spans}-1)>tolerance))=0",
                    bool(np.all(np.abs(total - 1) <= 1e-6))))
    return out


def _fixed_point(book: Book, ws, c: Clearing, rows: dict, values: dict, at: int,
                 n: int) -> None:
    """One check: every gap row, every step, within fixed_point_tolerance."""
    gaps = [rows[(r.name, r.lab)] for r in c.rows if r.name.startswith("gap_")]
    first, last = column_letter(FIRST_COL), column_letter(FIRST_COL + n - 1)
    largest = max(float(np.max(v)) for (name, _), v in values.items() if name.startswith("gap_"))
    book.text(ws, at, 1, "fixed_point: every gap within fixed_point_tolerance", SECTION_FONT)
    book.formula(ws, at, FIRST_COL, f"=MAX({first}{min(gaps)}:{last}{max(gaps)})"
                 "<=fixed_point_tolerance", largest <= PARAMETERS["fixed_point_tolerance"][0],
                 BOOLEAN).fill = CHECK_FILL
