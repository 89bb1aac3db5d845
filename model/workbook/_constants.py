"""Named constants: the numbers of the model's equations, each a defined name on a Constants
sheet, so that no formula hides a number a reader cannot look up (issue 20).

The printer (model.workbook.excel_printer) asks `constant_name` for every number it prints
outside STRUCTURAL, and for the option a choice is compared with.  Every such number has a name
that says what it is and a reason (KNOWN, or the choice's option): a number the equations gain
without one is refused when printed, rather than shown under a name that only spells its digits.
Names depend on the number (and the choice compared) alone, so that the printed templates can be
cached across workbooks; each workbook then lists the constants its formulas use
(`constants_sheet`).
"""

from __future__ import annotations

import re

import sympy

from model.core.catalogue import CATALOGUE, is_valid_excel_name
from model.core.errors import ModelDefinitionError
from model.loop.rows import BINDING_CONSTRAINTS

from ._book import Book
from ._styles import SECTION_FONT, TITLE_FONT, set_widths, style_header, style_input

TITLE = "Constants"
# Numbers a formula may hold as they are: they read as what they are (halves, doubling, a
# percentage) and naming them would hide nothing.
STRUCTURAL = frozenset({0.0, 0.5, 1.0, 2.0, 10.0, 100.0})
# The model's own numbers, by value: their name and why the equations hold them.
KNOWN = {
    1e-6: (
        "near_zero",
        "below this size a rate is treated as zero: a series form replaces a "
        "closed form that would lose digits (or divide 0 by 0)",
    ),
    2e-6: ("near_zero_twice", "near_zero for twice a rate (the series switch of a half step)"),
    4.0: (
        "half_step_series_divisor",
        "a path's mean growth over half a step, by its series where the closed form "
        "(e^(x/2) - 1)/(x/2) loses digits: 1 + x/4, for x e-folds over the whole step",
    ),
    1e-9: (
        "catch_up_margin",
        "a share that has just caught up with demand equals it only to "
        "the last bit: it binds below 1 - catch_up_margin of it",
    ),
    1 - 1e-9: (
        "just_below_one",
        "1 - catch_up_margin: a share that has just caught up with "
        "demand equals it only to the last bit",
    ),
    1e-12: (
        "settled_change",
        "a change of a share this small is no change (the split has "
        "settled), and the least a logit factor is read as",
    ),
    1e12: ("largest_factor", "the most a logit share factor is read as (its log stays finite)"),
    0.01: (
        "least_price_elasticity",
        "the demand price elasticity divided by is at least this (a zero would divide by zero)",
    ),
    700.0: ("exp_cap", "the largest argument passed to EXP: EXP overflows (#NUM!) past 709"),
    1e-200: (
        "least_index",
        "a research index is read as at least this, so that 0 to a negative "
        "power does not overflow",
    ),
    50.0: (
        "largest_log_growth",
        "the largest growth rate of a path, in e-folds per fleet year "
        "(beyond it the log change is cut)",
    ),
}
BINDS = {
    f"binds_{re.sub(r'[^a-z0-9]+', '_', w)}": (float(i), w)
    for i, w in enumerate(BINDING_CONSTRAINTS)
}
WORDS = "binding_constraint_words"  # the range of BINDING_CONSTRAINTS' words, code order
_registry: dict[str, tuple[float, str]] = {
    n: (v, f"binding_constraint code: {w}") for n, (v, w) in BINDS.items()
}


def _register(name: str, value: float, why: str) -> str:
    if not is_valid_excel_name(name) or name in CATALOGUE:
        raise ModelDefinitionError(f"{name!r} cannot name the constant {value!r}")
    found = _registry.setdefault(name, (value, why))
    if found[0] != value:
        raise ModelDefinitionError(f"constant {name} is {found[0]!r}, not {value!r}")
    return name


def constant_name(value: float, about: sympy.Basic | None = None) -> str | None:
    """The defined name for the number `value` (not negative) in a formula, or None to print it
    as it is; `about`: the symbol it is compared with (a choice's option reads as its name)."""
    q = CATALOGUE.get(str(about)) if isinstance(about, sympy.Symbol) else None
    if (
        q is not None
        and q.kind == "choice"
        and float(value).is_integer()
        and 0 <= value < len(q.choices)
    ):
        option = re.sub(r"[^a-z0-9]+", "_", q.choices[int(value)].lower())
        return _register(
            f"{q.name}_{option}",
            float(value),
            f"{q.name}'s option {q.choices[int(value)]!r} (its index)",
        )
    if float(value) in STRUCTURAL:
        return None
    if float(value) not in KNOWN:
        raise ModelDefinitionError(
            f"the number {value!r} in a formula has no name: add it to KNOWN in "
            "model/workbook/_constants.py with what it is and why the equations hold it"
        )
    name, why = KNOWN[float(value)]
    return _register(name, float(value), why)


def binds_symbols() -> dict[sympy.Symbol, str]:
    """The binding_constraint codes as symbols, each printed as its constant's name."""
    return {sympy.Symbol(name): name for name in BINDS}


def binding_words_expr(expr: sympy.Expr) -> sympy.Expr:
    """binding_constraint's expression (a code, or a Piecewise of codes) with its codes as the
    binds_* symbols."""
    codes = {v: sympy.Symbol(n) for n, (v, _) in BINDS.items()}
    if expr.is_Number:
        return codes[float(expr)]
    return sympy.Piecewise(*[(codes[float(v)], c) for v, c in expr.args])


def formula(expr: sympy.Expr, names: dict) -> str:
    """The workbook's formula for expr: excel_formula with the constants named."""
    from .excel_printer import excel_formula

    return excel_formula(expr, names, constant_name)


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


def used_constants(book: Book) -> list[str]:
    """The registered constants the book's formulas name, in registry order."""
    seen: set[str] = set()
    for ws in book.wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" and isinstance(cell.value, str):
                    seen.update(_IDENTIFIER.findall(cell.value))
    # BINDS first, in code order (the words' range); the rest by name, whatever printed first
    return [*BINDS, *sorted(n for n in _registry if n in seen and n not in BINDS)]


def constants_sheet(book: Book, after: str = "Inputs") -> None:
    """The Constants sheet (placed after `after`): each constant a named cell with its reason,
    and the binding_constraint words its lookup rows read."""
    names = used_constants(book)
    ws = book.sheet(TITLE)
    book.wb.move_sheet(ws, offset=book.wb.index(book.wb[after]) + 1 - book.wb.index(ws))
    book.text(ws, 1, 1, "Constants", TITLE_FONT)
    book.text(
        ws,
        2,
        1,
        "The numbers the formulas use by name (other than 0, 0.5, 1, 2, 10 and "
        "100): not inputs, but here so that no formula hides one.",
    )
    book.row(ws, 3, ["name", "value", "words", "why"])
    style_header(ws, 3, 1, 4)
    book.text(ws, 4, 1, "constants", SECTION_FONT)
    row = 5
    for name in names:
        value, why = _registry[name]
        book.text(ws, row, 1, name)
        style_input(book.number(ws, row, 2, value, "General"), constant=True)
        if name in BINDS:
            book.text(ws, row, 3, BINDS[name][1])
        book.text(ws, row, 4, why)
        book.define(name, ws, row, 2)
        row += 1
    rows = [i for i, n in enumerate(names, start=5) if n in BINDS]
    book.define_range(WORDS, ws, rows[0], 3, rows[-1], 3)
    ws.freeze_panes = "A4"
    set_widths(ws, {"A": 34, "B": 14, "C": 14, "D": 100})
