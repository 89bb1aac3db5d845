"""The static sheets: Cover, Inputs and Budget (Equations and Sources: _reference_sheets).

Inputs holds every settable quantity, one row each, one value column per exported scenario; the
first column's cells carry the defined names (the model's own names), so Budget's formulas read
`=gpus_training*cost_per_gpu_hour*hours_per_year`.  A choice (cost_basis) is stored as its option
text with a dropdown; a helper row `<name>_index` turns it into the option index the equations use.
"""

from __future__ import annotations

from functools import cache

import sympy

from model import __version__
from model.core.catalogue import CATALOGUE, Quantity, sym
from model.core.compiled import fleet_year
from model.core.equations import BUDGET_OUTPUTS, EQUATIONS, TRAINING_OUTPUTS
from model.core.numpy_printer import FastNumPyPrinter
from model.core.presets import PRESETS

from ._book import Book, absolute, excel_number
from ._constants import formula as excel_formula
from ._guards import ratio_formula
from ._split import compiled, split
from ._styles import (
    BOLD,
    LEGEND,
    SECTION_FONT,
    TITLE_FONT,
    WRAP,
    column_letter,
    fit_row_heights,
    number_format,
    number_formats,
    set_widths,
    style_header,
    style_input,
    unit_text,
)

Names = dict[sympy.Symbol, str]
FIRST_VALUE_COL = 3


@cache
def _row_by_row():
    """All fleet-year equations in one function that evaluates them as a sheet would: each
    from the values of the earlier outputs it names (one compile instead of one per equation)."""
    inputs = tuple(n for n in fleet_year().inputs)
    outs = [sym(n) for n in EQUATIONS]
    steps = [(sym(n), e) for n, e in EQUATIONS.items()]
    fn = sympy.lambdify([sym(n) for n in inputs], outs, modules="numpy",
                        printer=FastNumPyPrinter, cse=lambda _: (steps, outs))
    return inputs, fn


def _singular(values: dict[str, float]) -> set[str]:
    """Outputs whose cell-by-cell evaluation differs from the model's (expanded) one.

    The model substitutes earlier outputs before compiling, so a factor such as a zero share
    can cancel (cost per million tokens with no inference GPUs is finite); a sheet computing
    row by row would divide 0 by 0.  Such outputs get the expanded formula over the inputs.
    """
    import numpy as np

    model = fleet_year()(values)
    inputs, fn = _row_by_row()
    with np.errstate(all="ignore"):
        rows = fn(*(np.float64(values[n]) for n in inputs))
    differ = set()
    for name, a in zip(EQUATIONS, rows, strict=True):
        a, b = float(a), float(model[name])
        if not (a == b or np.isclose(a, b, rtol=1e-9, atol=0) or (a != a and b != b)):
            differ.add(name)
    return differ


@cache
def expanded_outputs() -> frozenset[str]:
    """Outputs written expanded: singular cell by cell for some zero share of the fleet."""
    base = {n: float(q.default) for n, q in CATALOGUE.items() if q.is_input}
    names: set[str] = set()
    for share in [n for n in base if n.startswith("share_")]:
        names |= _singular({**base, share: 0.0})
    return frozenset(names)


def input_records() -> list[Quantity]:
    """Settable quantities grouped as first seen in the catalogue (constants last)."""
    records = [q for q in CATALOGUE.values() if q.is_input]
    groups = list(dict.fromkeys(q.group for q in records if q.kind != "constant"))
    return sorted(records, key=lambda q: len(groups) if q.kind == "constant"
                  else groups.index(q.group))


def cover(book: Book, ex) -> None:
    """What this is, preset, scenario(s), date, version, how to use it, the colour legend."""
    ws = book.sheet("Cover")
    preset = PRESETS.get(ex.preset) if ex.preset else None
    book.text(ws, 1, 1, ex.title, TITLE_FONT)
    rows = [
        ("What this is", "The fleet-split model as live formulas: how a GPU fleet's compute and "
         "spend divide between training, research, automated research and inference, and a "
         "projection of that split over time. Every number outside Inputs is a formula."),
        ("Preset", ex.preset or "(catalogue defaults)"),
        ("Preset title", preset.title if preset else ""),
        ("Preset description", preset.description if preset else ""),
        ("Scenario", ex.scenarios[0] if ex.scenarios else "(none: fleet-year budget only)"),
        ("All scenarios", ", ".join(ex.scenarios)),
        ("Projection", f"{ex.years} years in steps of one {ex.step}" if ex.scenarios else ""),
        ("Made on", ex.created.isoformat()),
        ("Model version", f"fleet-split {__version__}"),
        ("Notes", ex.notes),
        ("How to use", "Pick a scenario in Summary's yellow cell to see its key figures. "
         "Change the blue cells on Inputs (the first value column drives Budget and "
         "Projection; further columns drive each scenario's own Projection sheet). Every "
         "other sheet recalculates. Checks shows TRUE when the inputs are consistent."),
        ("Read back", "python -m model budget --from-workbook THIS_FILE.xlsx reads the edited "
         "inputs back into the model."),
    ]
    for i, (label, text) in enumerate(rows, start=3):
        book.text(ws, i, 1, label, BOLD)
        book.text(ws, i, 2, text).alignment = WRAP
    top = len(rows) + 4
    book.text(ws, top, 1, "Colour legend", SECTION_FONT)
    for i, (label, font, fill, meaning) in enumerate(LEGEND, start=top + 1):
        cell = book.text(ws, i, 1, label, font)
        if fill is not None:
            cell.fill = fill
        book.text(ws, i, 2, meaning)
    set_widths(ws, {"A": 22, "B": 110})
    fit_row_heights(ws, {2: 110})


def _validation(book: Book, ws, q: Quantity, row: int, columns: int) -> None:
    last = column_letter(FIRST_VALUE_COL + columns - 1)
    ref = f"{column_letter(FIRST_VALUE_COL)}{row}:{last}{row}"
    if q.kind == "choice":
        book.validate(ws, ref, "list", '"' + ",".join(q.choices) + '"', None,
                      f"{q.name}: one of {', '.join(q.choices)}")
        return
    kind = "whole" if q.integer else "decimal"
    unit = f" {q.unit}" if q.unit else ""
    book.validate(ws, ref, kind, excel_number(q.min), excel_number(q.max),
                  f"{q.name}: a number from {q.min:g} to {q.max:g}{unit}")


def column_source(sources: list[str], labels: list[str]) -> str:
    """The source of one input's values, one per value column: the resolved settings' own
    (a preset's, GPU's, scenario's or the user's), so a preset's value is never credited to the
    catalogue default it replaced; where scenarios differ, each source after its scenarios."""
    groups: dict[str, list[str]] = {}
    for source, label in zip(sources, labels, strict=True):
        groups.setdefault(source, []).append(label)
    if len(groups) == 1:
        return sources[0]
    return "; ".join(f"{', '.join(names)}: {source}" for source, names in groups.items())


def inputs(book: Book, ex, define: bool = True) -> list[Names]:
    """The Inputs sheet; returns, per value column, the names map of every input symbol: the
    first column's defined names (`define`), the others' absolute references (all of them
    references without `define`: a market's labs name their own, sheet by sheet)."""
    ws = book.sheet("Inputs")
    n = len(ex.settings)
    book.text(ws, 1, 1, "Inputs", TITLE_FONT)
    book.text(ws, 2, 1, "Change the blue cells only; bounds are enforced by data validation.")
    labels = ex.scenarios or ["value"]
    header = ["name", "label", *labels, "unit", "min", "max", "description", "source"]
    book.row(ws, 3, header)
    style_header(ws, 3, 1, len(header))
    after = FIRST_VALUE_COL + n
    names: list[Names] = [{} for _ in range(n)]
    rows: dict[str, int] = {}
    row, group = 4, None
    records = input_records()
    for q in records:
        if q.group != group:
            group = q.group
            book.text(ws, row, 1, "constants" if q.kind == "constant" else group, SECTION_FONT)
            row += 1
        values = [s.values[q.name] for s in ex.settings]
        rows[q.name] = row
        book.row(ws, row, [q.name, q.label])
        fmts = [None] * len(values) if q.kind == "choice" else number_formats(q.name, q.unit,
                                                                                values)
        for k, value in enumerate(values):
            col = FIRST_VALUE_COL + k
            if q.kind == "choice":
                cell = book.text(ws, row, col, q.choices[int(value)])
            else:
                cell = book.number(ws, row, col, value, fmts[k])
            style_input(cell, constant=q.kind == "constant")
            names[k][q.symbol] = (book.define(q.name, ws, row, col) if k == 0 and define
                                  else absolute(ws.title, row, col))
        book.text(ws, row, after, q.unit)
        if q.kind == "choice":
            book.text(ws, row, after + 1, "one of: " + ", ".join(q.choices))
        else:
            # each bound as the app's input help prints it (the one money rule)
            low, high = number_formats(q.name, q.unit, [q.min, q.max])
            book.number(ws, row, after + 1, q.min, low)
            book.number(ws, row, after + 2, q.max, high)
        book.text(ws, row, after + 3, q.description)
        book.text(ws, row, after + 4, column_source([st.sources[q.name] for st in ex.settings],
                                                     labels))
        _validation(book, ws, q, row, n)
        row += 1
    choices = [q for q in records if q.kind == "choice"]
    _choice_helpers(book, ws, ex, names, [(q, rows[q.name]) for q in choices], row + 1, define)
    ws.freeze_panes = ws.cell(4, FIRST_VALUE_COL)
    # wide enough for the longest unit, a bound such as 1,000,000,000 and each scenario's name
    unit_width = max(14, max(len(q.unit) for q in records) + 2)
    # description and source wrapped, so that the sheet prints legibly one landscape A4 page
    # wide (model.workbook._page_setup)
    set_widths(ws, {"A": 30, "B": 30, column_letter(after): unit_width,
                    column_letter(after + 1): 14, column_letter(after + 2): 14,
                    column_letter(after + 3): 45, column_letter(after + 4): 35})
    for r in range(4, row):
        for c in (after + 3, after + 4):
            ws.cell(r, c).alignment = WRAP
    fit_row_heights(ws, {after + 3: 45, after + 4: 35}, first=4)
    for k, label in enumerate(labels):
        set_widths(ws, {column_letter(FIRST_VALUE_COL + k): max(16, len(label) + 3)})
    return names


def _choice_helpers(book: Book, ws, ex, names: list[Names], choices, row: int,
                    define: bool = True) -> None:
    """One calculated row per choice: the option index (0, 1...) the equations compare with."""
    book.text(ws, row, 1, "helpers (calculated, do not edit)", SECTION_FONT)
    for i, (q, source_row) in enumerate(choices, start=row + 1):
        book.row(ws, i, [f"{q.name}_index", f"{q.label} (option index)"])
        options = ",".join(f'"{c}"' for c in q.choices)
        for k, settings in enumerate(ex.settings):
            col = FIRST_VALUE_COL + k
            source = f"{column_letter(col)}{source_row}" if k or not define else q.name
            book.formula(ws, i, col, f"=MATCH({source},{{{options}}},0)-1",
                         int(settings.values[q.name]), "0")
            names[k][q.symbol] = (book.define(f"{q.name}_index", ws, i, col)
                                  if k == 0 and define else absolute(ws.title, i, col))


def _part(name: str):
    """The i-th helper row of output `name`: its symbol and defined name."""
    return lambda i: (sympy.Symbol(f"{name}_part{i + 1}"), f"{name}_part{i + 1}")


def _evaluate(expr: sympy.Expr, values: dict) -> float:
    """expr at `values` (by symbol name), as a helper cell's cached value."""
    names, fn = compiled(expr)
    return fn(*(values[n] for n in names))


def budget(book: Book, ex, names: Names) -> tuple[dict[str, float], Names]:
    """The fleet-year budget and the training-run calculator, one named formula row each."""
    ws = book.sheet("Budget")
    values = {k: float(v) for k, v in fleet_year()(ex.settings[0].values).items()}
    book.text(ws, 1, 1, "Fleet-year budget", TITLE_FONT)
    book.text(ws, 2, 1, f"Preset {ex.preset or '(defaults)'}; inputs from the Inputs sheet's "
              "first value column. Every value is a formula over the named inputs.")
    book.row(ws, 3, ["name", "unit", "value", "description"])
    style_header(ws, 3, 1, 4)
    refs = dict(names)
    expanded = expanded_outputs() | _singular(ex.settings[0].values)
    row = 4
    sections = [("Fleet-year budget", BUDGET_OUTPUTS),
                ("Training-run calculator", [n for n in TRAINING_OUTPUTS
                                             if n not in BUDGET_OUTPUTS])]
    for title, outputs in sections:
        book.text(ws, row, 1, title, SECTION_FONT)
        row += 1
        for name in outputs:
            q = CATALOGUE[name]
            expr = (fleet_year().expressions[name] if name in expanded
                    else EQUATIONS[name])
            helpers, expr = split(expr, refs, _part(name))
            known = {**ex.settings[0].values, **values}
            for symbol, piece in helpers:  # a long formula's pieces, named, above it
                known[str(symbol)] = value = _evaluate(piece, known)
                book.row(ws, row, [str(symbol), "helper"])
                book.formula(ws, row, 3, excel_formula(piece, refs), value, "General")
                book.text(ws, row, 4, f"a piece of {name}'s formula, below")
                refs[symbol] = book.define(str(symbol), ws, row, 3)
                row += 1
            book.row(ws, row, [name, unit_text(name, q.unit)])
            book.formula(ws, row, 3, *ratio_formula(expr, refs, values[name], values),
                         number_format(name, q.unit, [values[name]]))
            book.text(ws, row, 4, q.description)
            refs[sym(name)] = book.define(name, ws, row, 3)
            row += 1
    ws.freeze_panes = "C4"
    set_widths(ws, {"A": 30, "B": 16, "C": 18, "D": 90})
    return values, refs

