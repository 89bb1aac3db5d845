"""Which inputs a result ignores, read from the equations rather than from a hand list.

An input is ignored under a configuration when no expression of what is reported contains it
once the choice inputs (cost_basis, financing_model, ...) are fixed at their values: each choice
is a Piecewise over `Eq(choice, k)`, so fixing it drops the other branches and whatever only they
read (an owned fleet's cost has no rent in it). This is structural: an input that the numbers
happen not to move (a utilisation times a zero share) is not called ignored, and one that is
called ignored cannot move the result at any value. The reason given is each choice whose other
options would read the input.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from functools import cache

import sympy

from .catalogue import CATALOGUE, sym
from .compiled import fleet_year

# free choice names -> the inputs the reported quantities read with the other choices fixed
Reach = Callable[[tuple[str, ...]], Collection[str]]


def fixed_choices(values: Mapping[str, float], names: Iterable[str],
                  free: Collection[str] = ()) -> dict[sympy.Symbol, sympy.Integer]:
    """Substitutions fixing each choice of `names` at its value, but those in `free`."""
    return {sym(n): sympy.Integer(int(values[n])) for n in names if n not in free}


def symbols_of(expr: sympy.Basic, fixed: Mapping[sympy.Symbol, sympy.Integer]) -> frozenset[str]:
    """The names `expr` reads once the `fixed` choices are substituted: a Piecewise branch
    whose condition is then false is dropped, and those after one that is then true."""
    if not expr.free_symbols & fixed.keys():
        return frozenset(str(s) for s in expr.free_symbols)
    if isinstance(expr, sympy.Piecewise):
        found: set[str] = set()
        for value, condition in expr.args:
            truth = condition.xreplace(fixed)  # a condition is small: cheap to evaluate
            if truth is sympy.false:
                continue
            found |= symbols_of(value, fixed)
            if truth is sympy.true:
                break
            found |= symbols_of(truth, fixed)
        return frozenset(found)
    return frozenset().union(*(symbols_of(a, fixed) for a in expr.args))


def choice_names(names: Iterable[str]) -> tuple[str, ...]:
    """The choice inputs among `names`."""
    return tuple(n for n in names if CATALOGUE[n].kind == "choice")


@cache
def _fleet_year(outputs: tuple[str, ...], choices: tuple[tuple[str, int], ...],
                free: tuple[str, ...]) -> frozenset[str]:
    compiled = fleet_year(outputs)
    fixed = fixed_choices(dict(choices), dict(choices), free)
    return frozenset().union(*(symbols_of(e, fixed) for e in compiled.expressions.values()))


def fleet_year_reach(values: Mapping[str, float], outputs: tuple[str, ...]) -> Reach:
    """What the fleet-year `outputs` read under `values`' choices, some of them left free."""
    names = choice_names(fleet_year(outputs).inputs)
    choices = tuple((n, int(values[n])) for n in names)
    return lambda free: _fleet_year(outputs, choices, tuple(sorted(free)))


def ignored(names: Iterable[str], reach: Reach) -> dict[str, tuple[str, ...]]:
    """{input: the choices that make it ignored} for each of `names` that `reach` leaves out.

    A choice is judged with itself left free (does any of its options matter?). The reasons are
    the choices which, left free too, bring the input back; none: the result never reads it."""
    found: dict[str, tuple[str, ...]] = {}
    for name in names:
        own = (name,) if CATALOGUE[name].kind == "choice" else ()
        if name in reach(own):
            continue
        others = [c for c in CATALOGUE if CATALOGUE[c].kind == "choice" and c != name]
        found[name] = tuple(c for c in others if name in reach((*own, c)))
    return found


def note(name: str, reasons: tuple[str, ...], what: str, text_of: Callable[[str], str]) -> str:
    """One line saying that setting `name` changes nothing in `what`, and why."""
    if not reasons:
        return f"note: {name} changes nothing in {what}, which never reads it"
    why = ", ".join(f"{c} {text_of(c)}" for c in reasons)
    return f"note: {name} changes nothing in {what}, which does not read it with {why}"
