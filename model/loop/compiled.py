"""The projection's rows as straight-line NumPy programs: each subexpression the rows repeat
assigned once (`shared`), and, for the market's clearing, a step split in three (`hoisted`):
what no coupling input reaches, computed once a step; what only the slow coupling inputs reach
(the market's frontier, known at the step's start), computed when they change; and the rest,
once an iteration.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import sympy
from sympy.functions.elementary.piecewise import ExprCondPair

from model.core.numpy_printer import FastNumPyPrinter


def replace(expr: sympy.Basic, mapping: Mapping[sympy.Basic, sympy.Basic]) -> sympy.Basic:
    """xreplace without evaluation (sympy folds Piecewise conditions, exponentially slowly)."""
    if expr in mapping:
        return mapping[expr]
    if not expr.args:
        return expr
    args = [replace(a, mapping) for a in expr.args]
    if all(new is old for new, old in zip(args, expr.args, strict=True)):
        return expr
    if isinstance(expr, sympy.Piecewise | ExprCondPair):
        return sympy.Basic.__new__(type(expr), *args)
    with sympy.evaluate(False):
        return expr.func(*args)


def shared(rows: list[tuple]) -> list[tuple]:
    """The rows' assignments with the subexpressions they repeat (sympy.cse over all of them:
    a fleet's GPU-hours, a log of a price, in several rows and branches) each assigned once,
    just before the first row that needs it. A subexpression of a row holds only what the row
    holds (inputs, last step's rows, earlier rows), so it can go there."""
    # unevaluated: rebuilding each Min and Max evaluated would look for redundant arguments
    # again (two thirds of the time to compile a program), and it finds none cse could add
    with sympy.evaluate(False):
        subs, reduced = sympy.cse([e for _, e in rows],
                                  symbols=sympy.numbered_symbols("_cse"), optimizations=None)
    pending = dict(subs)
    out, done = [], set()
    for (name, _), expr in zip(rows, reduced, strict=True):
        need, stack = set(), [s for s in expr.free_symbols if s in pending]
        while stack:
            s = stack.pop()
            if s not in need and s not in done:
                need.add(s)
                stack.extend(t for t in pending[s].free_symbols if t in pending)
        out += [(s, e) for s, e in subs if s in need]  # in cse's order: each after its parts
        done |= need
        out.append((name, expr))
    return out


def reached_from(assignments: list[tuple], targets: set) -> set:
    """The symbols `targets` are computed from through `assignments`, themselves included."""
    by_symbol: dict[sympy.Symbol, list] = {}
    for s, e in assignments:
        by_symbol.setdefault(s, []).append(e)
    seen, stack = set(), list(targets)
    while stack:
        s = stack.pop()
        if s not in seen:
            seen.add(s)
            stack.extend(x for e in by_symbol.get(s, ()) for x in e.free_symbols)
    return seen


def pruned(assignments: list[tuple], targets: set) -> list[tuple]:
    """The assignments `targets` are computed from, unchanged and in their order: the values
    of `targets` are the whole list's, bit for bit."""
    reached = reached_from(assignments, targets)
    return [(s, e) for s, e in assignments if s in reached]


def program(args: Sequence[sympy.Symbol], assignments: list[tuple], outs: list):
    """A NumPy function of `args` running `assignments` (in order) and returning `outs`."""
    return sympy.lambdify(list(args), outs, modules="numpy", printer=FastNumPyPrinter,
                          cse=lambda _: (assignments, outs))


@dataclass(frozen=True)
class Hoisted:
    """A step split for a loop in which only some arguments change: fixed(*args) returns the
    values `kept`; slow(*args, *kept) the values `slow_kept`, from what only the slow
    arguments reach; rest(*args, *kept, *slow_kept) the outs. Together they compute what the
    whole program does, bit for bit."""

    fixed: Callable
    slow: Callable
    rest: Callable
    kept: list
    slow_kept: list


def hoisted(args: Sequence[sympy.Symbol], assignments: list[tuple], outs: list,
            moving: set, slow: set = frozenset()) -> Hoisted:
    """`assignments` split for a loop in which only the symbols `moving` change, those in
    `slow` (a subset) seldom: an assignment any other moving symbol reaches is the rest's, one
    only slow ones reach the slow part's, any other the fixed part's."""
    assignments, outs = _single(args, assignments, outs)
    fast, reached = set(moving) - set(slow), set(slow)
    still, slows, moves = [], [], []
    for s, e in assignments:
        if e.free_symbols & fast:
            fast.add(s)
            moves.append((s, e))
        elif e.free_symbols & reached:
            reached.add(s)
            slows.append((s, e))
        else:
            still.append((s, e))

    def read(parts: list[tuple]) -> set:
        return set().union(*(e.free_symbols for _, e in parts), *(o.free_symbols for o in outs))

    kept = [s for s, _ in still if s in read(slows + moves)]
    slow_kept = [s for s, _ in slows if s in read(moves)]
    return Hoisted(program(args, still, kept), program([*args, *kept], slows, slow_kept),
                   program([*args, *kept, *slow_kept], moves, outs), kept, slow_kept)


def _single(args: Sequence[sympy.Symbol], assignments: list[tuple], outs: list) -> tuple:
    """(assignments, outs) with every symbol assigned once and no argument assigned: a row
    named as its input (fleet_gpus: the input is the base year's) gets a symbol of its own,
    read under it from there on, so that the split does not depend on where a value was
    assigned."""
    renamed, fresh, taken, out = {}, sympy.numbered_symbols("_row"), set(args), []
    for s, e in assignments:
        e = replace(e, renamed)
        if s in taken:
            renamed[s] = next(fresh)
            s = renamed[s]
        taken.add(s)
        out.append((s, e))
    return out, [renamed.get(o, o) for o in outs]
