"""The Projection sheets' formula templates: each row printed once, with tokens (CUR__row,
PRV__row, INP__input) that model.workbook._projection_sheets fills in per column and per
scenario by string substitution (printing is the slow part).

A row whose formula would run over model.workbook._split.MAX_LENGTH characters is cut into
helper rows above it (`<row>_part1`, ...), each a piece of the same sympy expression; a helper
row's value per column is computed here too, so that the file carries it like every other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import sympy

from model.core.catalogue import CATALOGUE, sym

from ._book import local_name
from ._constants import BINDS, binding_words_expr, binds_symbols, formula
from ._split import compiled, split

_TOKEN = re.compile(r"(CUR|PRV|INP)__([a-z0-9_]+)")
# A filled token's length at most: a cell (two column letters, three row digits) or a name.
_CELL = "AA999"


@dataclass(frozen=True)
class Piece:
    """One step's helper: its template and (symbol names, function) computing its value."""

    parts: list
    names: tuple[str, ...]
    fn: object


@dataclass(frozen=True)
class Helper:
    """A helper row of `row`: its key in the sheet's rows, its label, and its first-step and
    later-step pieces (None where that step's formula needs no such helper)."""

    key: str
    label: str
    first: Piece | None
    later: Piece | None


def tokens(formula_text: str) -> list[str | tuple[str, str]]:
    """A template as literal text and (kind, name) tokens."""
    parts: list[str | tuple[str, str]] = []
    last = 0
    for m in _TOKEN.finditer(formula_text):
        parts += [formula_text[last : m.start()], (m[1], m[2])]
        last = m.end()
    return [*parts, formula_text[last:]]


def filled_length(template: str) -> int:
    """The most characters a template fills to."""

    def one(m: re.Match) -> str:
        return local_name(sym(m[2])) if m[1] == "INP" else _CELL

    return len(_TOKEN.sub(one, template))


def _piece(expr: sympy.Expr, refs: dict) -> Piece:
    names, fn = compiled(expr)
    return Piece(tokens(formula(expr, refs)), names, fn)


def _cut(row: str, expr: sympy.Expr, names: dict) -> tuple[list, dict, sympy.Expr]:
    """(helpers, names with the helpers', final expression) of one step's formula."""

    def helper(i: int) -> tuple[sympy.Symbol, str]:
        return sympy.Symbol(f"{row}__h{i}"), f"CUR__{row}__h{i}"

    helpers, final = split(expr, names, helper, filled_length)
    refs = {**names, **{h: f"CUR__{h}" for h, _ in helpers}}
    return helpers, refs, final


@cache
def templates(coupled: bool = False) -> tuple[tuple[str, ...], dict, dict[str, list[Helper]]]:
    """Row order; per row, the (first-step, later-step) formula templates; and per row, its
    helper rows: a lab alone's, or (coupled) a lab's in a market of labs, whose coupling inputs
    are input rows of its sheet (model.loop.coupling) but for quality_sensitivity, which keeps
    each lab's own (the market engine's default: it sets none)."""
    from model.loop.coupling import DEFAULTS
    from model.loop.projection import STEP, STEP_ROWS
    from model.loop.rows import COUPLED_RAW, INIT_RAW  # short: earlier rows stay cell references

    rows, initial, step = STEP_ROWS, dict(INIT_RAW), dict(STEP)
    if coupled:
        own = {sym("quality_sensitivity"): DEFAULTS["quality_sensitivity"]}
        initial |= {n: first.xreplace(own) for n, (first, _) in COUPLED_RAW.items()}
        step |= {n: later.xreplace(own) for n, (_, later) in COUPLED_RAW.items()}
    inputs = {q.symbol: f"INP__{n}" for n, q in CATALOGUE.items() if q.is_input}
    # the optimiser's path is an input row of the sheet itself: the same column's cell
    inputs |= {q.symbol: f"CUR__{n}" for n, q in CATALOGUE.items() if q.is_path}
    prevs = {sym(f"{r}_prev"): f"PRV__{r}" for r in rows if f"{r}_prev" in CATALOGUE}
    initial["binding_constraint"] = binding_words_expr(initial["binding_constraint"])
    step["binding_constraint"] = binding_words_expr(step["binding_constraint"])
    inputs |= binds_symbols()
    out, helpers, earlier = {}, {}, {}
    for r in rows:
        hf, ref_f, first = _cut(r, initial[r], {**inputs, **earlier})
        hl, ref_l, later = _cut(r, step[r], {**inputs, **earlier, **prevs})
        helpers[r] = [
            Helper(
                f"{r}__h{i}",
                f"{r}_part{i + 1}",
                _piece(hf[i][1], ref_f) if i < len(hf) else None,
                _piece(hl[i][1], ref_l) if i < len(hl) else None,
            )
            for i in range(max(len(hf), len(hl)))
        ]
        out[r] = (tokens(formula(first, ref_f)), tokens(formula(later, ref_l)))
        earlier[sym(r)] = f"CUR__{r}"
    return tuple(rows), out, helpers


def helper_value(piece: Piece, t: int, column: dict, values: dict) -> float:
    """A helper's value in step t: `column(name, t)` gives a sheet row's value (helpers', the
    projection's, its input rows'), `values` the inputs'."""

    def value(name: str) -> float:
        if name.endswith("_prev"):
            return column(name[: -len("_prev")], t - 1)
        if name in BINDS:
            return BINDS[name][0]
        found = column(name, t)
        return float(values[name]) if found is None else found

    return piece.fn(*(value(n) for n in piece.names))
