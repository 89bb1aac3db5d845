"""The Projection sheets: one row per quantity, one column per step, one formula per row.

Column A holds the model's row name, B its unit, C the first step, D onwards the later steps.
The first step's formula is the row's first-step expression; every later column holds the row's
step expression, shifted: `<row>_prev` is the same row in the previous column, other rows are
cells of the same column, and inputs are the Inputs sheet's defined names (the primary scenario)
or absolute references to that scenario's own Inputs column.

Formulas are printed once per row as templates (model.workbook._templates), then filled in per
column and per scenario; a row whose formula would be long has named helper rows above it.
"""

from __future__ import annotations

import math

import pandas as pd
from openpyxl.styles import Alignment

from model.core.catalogue import CATALOGUE

from ._book import Book
from ._constants import WORDS
from ._styles import (
    PERCENT,
    SECTION_FONT,
    TITLE_FONT,
    column_letter,
    number_format,
    number_formats,
    set_widths,
    style_header,
    style_input,
    unit_text,
)
from ._templates import Helper, helper_value, templates

FIRST_COL = 3
FIRST_ROW = 4
COUNT = "#,##0"
RIGHT = Alignment(horizontal="right")  # words under numbers
# Rows that can never be negative (checked on the Checks sheet).
_NON_NEGATIVE_PREFIXES = ("gpus_", "compute_", "budget_", "share_", "scheduled_share_")
_NON_NEGATIVE = ("fleet_gpus", "hardware_price", "capex", "inference_revenue", "tokens_served",
                 "depreciation", "compute_cost", "cost_per_gpu_hour")


def _fill(parts: list, col: int, rows: dict[str, int], names: dict[str, str]) -> str:
    letter, before = column_letter(col), column_letter(col - 1)
    text = []
    for part in parts:
        if isinstance(part, str):
            text.append(part)
        elif part[0] == "INP":
            text.append(names[part[1]])
        else:
            text.append(f"{letter if part[0] == 'CUR' else before}{rows[part[1]]}")
    return "".join(text)


CHOSEN = ("Chosen by the optimiser (inputs; read when allocation_policy is value-maximising, "
          "the first-step shares otherwise)")
NOTE = ("One formula per row: the first column starts the projection, later columns step from "
        "the previous one. Inputs come from the Inputs sheet; what each row means, and its "
        "equation: the Equations sheet.")


def projection_sheet(book: Book, title: str, heading: str, names: dict, df: pd.DataFrame,
                     step_years: float, *, coupled: bool = False,
                     inputs: list[tuple[str, dict]] | None = None,
                     note: str = NOTE, values: dict | None = None) -> dict[str, int]:
    """Write one Projection sheet for the projection `df`; return row name -> sheet row.
    `inputs`: the sections of per-step input rows below the projection, each (label, {name:
    values}) (default: the optimiser's path, from `df`); `coupled`: the market's rows
    (see templates); `values`: the inputs' values (for the helper rows' cached values)."""
    order, forms, helpers = templates(coupled)
    given = values or {}
    ws = book.sheet(title)
    refs = {str(s): ref for s, ref in names.items()}
    rows: dict[str, int] = {}
    for r in order:  # each row below its helper rows
        for h in helpers[r]:
            rows[h.key] = FIRST_ROW + len(rows)
        rows[r] = FIRST_ROW + len(rows)
    from model.loop.projection import PATHS

    if inputs is None:
        inputs = [(CHOSEN, {p: df[p].to_numpy(dtype=float) for p in PATHS})]
    words_row = FIRST_ROW + len(rows)  # binding_constraint in words, below the rows
    top, tops = words_row + 2, []
    for _, paths in inputs:  # a label row, its input rows, a blank row
        tops.append(top)
        rows |= {p: top + 1 + i for i, p in enumerate(paths)}
        top += len(paths) + 2
    n = len(df)
    book.text(ws, 1, 1, heading, TITLE_FONT)
    book.text(ws, 2, 1, note)
    book.row(ws, 3, ["name", "unit"])
    years = df["year"].to_numpy()
    year_fmt = number_format("year", "year", years)  # whole years, or 2 decimals at sub-year
    for t in range(n):
        col = FIRST_COL + t
        book.formula(ws, 3, col, f"={column_letter(col)}{rows['year']}", float(years[t]),
                     year_fmt)
    style_header(ws, 3, 1, FIRST_COL + n - 1)
    widest = 0  # characters of the longest count (#,##0 shows every digit, or ### if cut)
    found: dict[str, list[float]] = {}  # the helper rows' values, for the later helpers
    columns = {k: v for _, paths in inputs for k, v in paths.items()}

    def column(name: str, t: int) -> float | None:
        for source in (found, columns, df):
            if name in source:
                return float(source[name][t])
        return None

    for r in order:
        for h in helpers[r]:
            found[h.key] = _helper_row(book, ws, h, rows, refs, n, column, given)
        row, (first, later) = rows[r], forms[r]
        q = CATALOGUE[r]
        values = df[r].to_numpy(dtype=float)
        fmts = number_formats(r, q.unit, values)  # the year row's is year_fmt
        book.text(ws, row, 1, r)
        book.text(ws, row, 2, unit_text(r, q.unit))
        if fmts[0] == COUNT:
            widest = max([widest, *(len(f"{v:,.0f}") for v in values if math.isfinite(v))])
        for t in range(n):
            col = FIRST_COL + t
            book.formula(ws, row, col, _fill(first if t == 0 else later, col, rows, refs),
                         float(values[t]), fmts[t])
    _words_row(book, ws, words_row, rows["binding_constraint"], df["binding_constraint"])
    rows[WORDS] = words_row
    for (label, paths), at in zip(inputs, tops, strict=True):
        _input_rows(book, ws, label, paths, at)
    ws.freeze_panes = ws.cell(FIRST_ROW, FIRST_COL)
    set_widths(ws, {"A": 34, "B": 14})
    for t in range(n):
        set_widths(ws, {column_letter(FIRST_COL + t): max(13, widest + 2)})
    return {k: v for k, v in rows.items() if "__h" not in k}  # the model's rows


def _helper_row(book: Book, ws, h: Helper, rows: dict, refs: dict, n: int, column,
                values: dict) -> list[float]:
    """One helper row (a piece of the row below it); returns its values by step."""
    row, out = rows[h.key], []
    book.text(ws, row, 1, h.label)
    book.text(ws, row, 2, "helper")
    for t in range(n):
        piece = h.first if t == 0 else h.later
        value = helper_value(piece, t, column, values) if piece else float("nan")
        out.append(value)
        if piece is not None:
            col = FIRST_COL + t
            book.formula(ws, row, col, _fill(piece.parts, col, rows, refs), value, "General")
    return out


def _words_row(book: Book, ws, row: int, codes_row: int, codes: pd.Series) -> None:
    """binding_constraint's code in words: a lookup in the Constants sheet's words."""
    from model.loop.rows import BINDING_CONSTRAINTS

    book.text(ws, row, 1, WORDS)
    book.text(ws, row, 2, "what binds")
    for t, code in enumerate(codes.to_numpy(dtype=float)):
        c = column_letter(FIRST_COL + t)
        book.formula(ws, row, FIRST_COL + t, f"=INDEX({WORDS},{c}{codes_row}+1)",
                     BINDING_CONSTRAINTS[int(code)]).alignment = RIGHT


def _input_rows(book: Book, ws, label: str, paths: dict, top: int) -> None:
    """Per-step input cells (the optimiser's path, a market's coupling), one row a quantity,
    under the section label `label`."""
    book.text(ws, top, 1, label, SECTION_FONT)
    for i, (name, values) in enumerate(paths.items(), start=top + 1):
        unit = CATALOGUE[name].unit
        fmts = ([PERCENT] * len(values) if name.startswith("chosen_") else
                number_formats(name, unit, values))
        book.text(ws, i, 1, name)
        book.text(ws, i, 2, unit)
        for t, value in enumerate(values):
            style_input(book.number(ws, i, FIRST_COL + t, float(value), fmts[t]))


def non_negative_rows(order) -> list[str]:
    return [r for r in order if r.startswith(_NON_NEGATIVE_PREFIXES) or r in _NON_NEGATIVE]


def projection_checks(title: str, scenario: str, rows: dict[str, int], df: pd.DataFrame,
                      uses, scoped: bool = False) -> list[tuple[str, str, bool]]:
    """Shares sum to 1 in every step; no negative GPUs, compute, spend or revenue; the price
    within the sourced band. `scoped`: the sheet reads its inputs by names scoped to it, which
    another sheet reads as 'sheet'!name (the workbook-level name may not exist)."""
    last = column_letter(FIRST_COL + len(df) - 1)
    sheet = "'" + title.replace("'", "''") + "'!"

    def span(r: str) -> str:
        return f"{sheet}{column_letter(FIRST_COL)}{rows[r]}:{last}{rows[r]}"

    shares = [f"share_{u}" for u in uses]
    total = df[shares].sum(axis=1)
    summed = "+".join(span(s) for s in shares)
    return [
        (f"{scenario}: shares sum to 1 in every step",
         f"=SUMPRODUCT(--(ABS({summed}-1)>tolerance))=0",
         bool(((total - 1).abs() <= 1e-6).all())),
        *non_negative_checks(scenario, span, non_negative_rows(rows), df),
        price_band_check(scenario, span, df),
        revenue_check(scenario, span, df, sheet if scoped else ""),
    ]


def non_negative_checks(scenario: str, span, keep: list[str], df: pd.DataFrame,
                        limit: int = 300) -> list[tuple[str, str, bool]]:
    """GPUs, compute, spend and revenue never negative: one check per run of rows whose MIN
    fits in `limit` characters (a reader can read each)."""
    groups: list[list[str]] = [[]]
    for r in keep:
        if groups[-1] and len(f"=MIN({','.join(map(span, [*groups[-1], r]))})>=0") > limit:
            groups.append([])
        groups[-1].append(r)
    return [(f"{scenario}: never negative: {group[0]} to {group[-1]} ({len(group)} rows)",
             f"=MIN({','.join(map(span, group))})>=0", bool(df[group].min().min() >= 0))
            for group in groups]


def revenue_check(scenario: str, span, df: pd.DataFrame, scope: str) -> tuple[str, str, bool]:
    """Revenue no more than the tokens served at the price, in every step: a revenue row
    that has lost its link to the tokens (a price in the wrong unit, an edited cell) fails."""
    from model.core.catalogue import CATALOGUE

    per_million = float(CATALOGUE["tokens_per_million"].default)
    most = df["tokens_served"] * df["token_price"] / per_million
    return (f"{scenario}: revenue at most the tokens served times the price in every step",
            f"=SUMPRODUCT(--({span('inference_revenue')}>{span('tokens_served')}"
            f"*{span('token_price')}/{scope}tokens_per_million*(1+tolerance)))=0",
            bool((df["inference_revenue"] <= most * (1 + 1e-6)).all()))


def price_band_check(scenario: str, span, df: pd.DataFrame) -> tuple[str, str, bool]:
    """The price per million tokens within the sourced band in every step (relative
    tolerance: prices run to 1e-4 USD, where the absolute one would be 1%)."""
    price, low, high = (span(r) for r in ("token_price", "token_price_band_min",
                                           "token_price_band_max"))
    inside = ((df["token_price"] >= df["token_price_band_min"] * (1 - 1e-6))
              & (df["token_price"] <= df["token_price_band_max"] * (1 + 1e-6)))
    return (f"{scenario}: price per million tokens within the sourced band in every step",
            f"=SUMPRODUCT(--({price}<{low}*(1-tolerance)))"
            f"+SUMPRODUCT(--({price}>{high}*(1+tolerance)))=0", bool(inside.all()))

