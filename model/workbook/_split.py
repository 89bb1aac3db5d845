"""Long formulas split into named helper rows, each piece short enough to read (issue 20).

A formula longer than MAX_LENGTH characters hides its structure; FAST and the ICAEW code both
ask for helper rows instead.  `split` takes the printed expression and, while it is too long,
moves one subexpression into a helper: the one whose extraction saves most characters (its
length times its occurrences, so a repeated subexpression goes first, as in sympy.cse), among
those short enough to be one helper's formula.  The helpers and the final expression are the
same sympy tree, cut: every piece is still printed from the model's expressions.

A helper cut out of one branch of an IF carries the condition under which the IF reaches it,
as IF(condition, piece, 0) (model.workbook._guards.reached): a helper row is computed in every
column, and unguarded would show an error (#DIV/0!) wherever its row takes another branch.
`compiled` evaluates a piece as the spreadsheet does, for the value the file carries: branches
lazily, and an error where Excel has one.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping

import sympy

from ._constants import formula
from ._guards import guarded, reached
from .excel_printer import ExcelPrintError

MAX_LENGTH = 300  # characters of a formula, "=" included


def compiled(expr: sympy.Expr) -> tuple[tuple[str, ...], Callable[..., float]]:
    """(its symbols' names, a function of their values) evaluating expr as a spreadsheet cell:
    with Python's math, whose IF (Piecewise) is lazy like Excel's and which raises where Excel
    shows an error (division by zero, LN(0), EXP overflow); NaN for an error."""
    symbols = sorted(expr.free_symbols, key=str)
    fn = sympy.lambdify(symbols, expr, modules="math")

    def value(*args: float) -> float:
        try:
            out = fn(*map(float, args))
        except (ArithmeticError, ValueError):
            return float("nan")
        return float(out) if not isinstance(out, complex) else float("nan")

    return tuple(map(str, symbols)), value


def _candidates(expr: sympy.Basic) -> Counter:
    """Non-atomic numeric subexpressions of expr (expr itself excluded), by occurrences."""
    found: Counter = Counter()
    for node in sympy.preorder_traversal(expr):
        if node is not expr and isinstance(node, sympy.Expr) and not node.is_Atom:
            found[node] += 1
    return found


def split(
    expr: sympy.Expr,
    names: Mapping[sympy.Symbol, str],
    helper: Callable[[int], tuple[sympy.Symbol, str]],
    length: Callable[[str], int] = len,
    limit: int = MAX_LENGTH,
) -> tuple[list[tuple[sympy.Symbol, sympy.Expr]], sympy.Expr]:
    """(helpers, final): expr cut into helper expressions, each printed within `limit`
    characters as `length` measures the printed text, and the final expression over them.

    `helper(i)` gives the i-th helper's symbol and the reference text it is printed as; each
    helper uses only `names`' symbols and earlier helpers.
    """
    refs = dict(names)
    helpers: list[tuple[sympy.Symbol, sympy.Expr]] = []

    def measure(e: sympy.Expr) -> float:
        try:
            return length(formula(e, refs))
        except ExcelPrintError as exc:  # over Excel's own limits: longer than any limit
            if "limit" not in str(exc):
                raise
            return math.inf

    while measure(expr) > limit:
        best, saved, whole, when = None, 0, None, reached(expr)
        for node, count in _candidates(expr).items():
            size = measure(node) - 1  # without its "="
            if size < limit and count * size <= saved:
                continue  # whether it fits or not, it saves less
            if size < limit and measure(guarded(node, when[node])) <= limit:
                best, saved, whole = node, count * size, None
            elif isinstance(node, sympy.Add | sympy.Mul):
                part = _leading(node, measure, limit, when[node])
                if part is not None and measure(part) > saved:
                    best, saved, whole = part, measure(part), node
        if best is None:
            break  # nothing left to cut: the caller's formula stays long
        symbol, ref = helper(len(helpers))
        refs[symbol] = ref
        helpers.append((symbol, guarded(best, when[whole if whole is not None else best])))
        if whole is None:
            expr = expr.xreplace({best: symbol})
        else:  # a sum or product too long for one helper: its leading terms are one
            rest = [a for a in whole.args if a not in best.args]
            expr = expr.xreplace({whole: whole.func(symbol, *rest)})
    return helpers, expr


def _leading(node: sympy.Expr, measure, limit: int, cond: sympy.Basic) -> sympy.Expr | None:
    """The longest run of node's leading terms (or factors) printed within limit, guarded by
    cond, if two or more."""
    best = None
    for k in range(2, len(node.args)):
        part = node.func(*node.args[:k])
        if measure(guarded(part, cond)) > limit:
            break
        best = part
    return best
