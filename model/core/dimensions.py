"""Dimensional analysis of sympy expressions, run once per equation when the model is built.

Walks the expression tree (one `_<Node>` method per node type, like a sympy printer) carrying a
pint quantity of magnitude 1 in each symbol's declared unit. It checks both the dimension and the
scale: an equation must land in its declared unit with factor exactly 1, so a missing named
conversion (seconds per hour, tokens per million) is an error, not a silently wrong number.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pint
import sympy

from .errors import ModelDefinitionError
from .units import Q_, unit


class UnitMismatch(Exception):
    """Raised inside the walk; turned into a ModelDefinitionError naming the equation."""


def _fmt(q: pint.Quantity) -> str:
    text = f"{q.units:~}"
    scale = "" if math.isclose(q.magnitude, 1.0) else f"{q.magnitude:g} "
    return f"{scale}{text or 'dimensionless'}"


class UnitChecker:
    """Infer the unit of an expression from its symbols' units."""

    def __init__(self, units: Mapping[sympy.Symbol, str]):
        self._units = units

    def walk(self, expr: sympy.Basic) -> pint.Quantity:
        method = getattr(self, f"_{type(expr).__name__}", None)
        if method is None:
            for cls in type(expr).__mro__:
                method = getattr(self, f"_{cls.__name__}", None)
                if method:
                    break
        if method is None:
            raise UnitMismatch(f"cannot check the units of {type(expr).__name__}")
        return method(expr)

    def _same(self, parts, what: str) -> pint.Quantity:
        # A literal 0 has every unit: `Piecewise((0, c), (cost, True))`, `Max(0, x)`, `x >= 0`.
        parts = [p for p in parts if not (p.is_Number and p == 0)] or [sympy.Integer(1)]
        first = self.walk(parts[0])
        for part in parts[1:]:
            other = self.walk(part)
            if other.dimensionality != first.dimensionality:
                raise UnitMismatch(f"{what} mixes {_fmt(first)} with {_fmt(other)} ({part})")
            if not math.isclose(other.to(first.units).magnitude, first.magnitude, rel_tol=1e-12):
                raise UnitMismatch(f"{what} mixes scales {_fmt(first)} and {_fmt(other)} ({part})")
        return first

    def _Symbol(self, expr):
        if expr not in self._units:
            raise UnitMismatch(f"symbol {expr} has no declared unit")
        return Q_(1.0, unit(self._units[expr]))

    def _Number(self, expr):
        return Q_(1.0)

    _NumberSymbol = _Number
    _BooleanTrue = _Number
    _BooleanFalse = _Number

    def _Add(self, expr):
        return self._same(expr.args, "a sum")

    def _Mul(self, expr):
        out = Q_(1.0)
        for arg in expr.args:
            out = out * self.walk(arg)
        return out

    def _Pow(self, expr):
        base, exponent = expr.args
        b = self.walk(base)
        e = self.walk(exponent)
        if not e.dimensionless:
            raise UnitMismatch(f"exponent {exponent} has units {_fmt(e)}")
        if b.dimensionless:
            # pint drops the scale of dimensionless ratios such as hour/year under **
            return Q_(1.0) if not exponent.is_number else Q_(b.to("").magnitude ** float(exponent))
        if not exponent.is_Integer:
            raise UnitMismatch(f"{base} has units {_fmt(b)} but is raised to {exponent}")
        out = Q_(1.0)
        for _ in range(abs(int(exponent))):
            out = out * b
        return out if exponent > 0 else Q_(1.0) / out

    def _dimensionless_function(self, expr):
        for arg in expr.args:
            q = self.walk(arg)
            if not q.dimensionless or not math.isclose(q.to("").magnitude, 1.0):
                raise UnitMismatch(f"{type(expr).__name__} needs a dimensionless argument, "
                                   f"got {_fmt(q)} ({arg})")
        return Q_(1.0)

    _exp = _log = _floor = _ceiling = _dimensionless_function

    def _Abs(self, expr):
        return self.walk(expr.args[0])

    def _MinMaxBase(self, expr):
        return self._same(expr.args, type(expr).__name__)

    def _Relational(self, expr):
        self._same(expr.args, "a comparison")
        return Q_(1.0)

    def _BooleanFunction(self, expr):
        for arg in expr.args:
            self.walk(arg)
        return Q_(1.0)

    def _Piecewise(self, expr):
        for _, cond in expr.args:
            self.walk(cond)
        return self._same([value for value, _ in expr.args], "a piecewise choice")


def check_equation(name: str, expr: sympy.Expr, declared: str,
                   units: Mapping[sympy.Symbol, str], kind: str = "equation") -> None:
    """Raise ModelDefinitionError unless `expr` has exactly the unit `declared` (factor 1).

    `kind` names what is checked in the message ('equation', 'projection row')."""
    if expr.is_Number and expr == 0:  # zero is zero in any unit
        return
    try:
        got = UnitChecker(units).walk(expr)
    except UnitMismatch as exc:
        raise ModelDefinitionError(f"{kind} {name}: {exc}") from None
    want = Q_(1.0, unit(declared))
    if got.dimensionality != want.dimensionality:
        raise ModelDefinitionError(
            f"{kind} {name}: gives {_fmt(got)} but is declared in {declared or 'dimensionless'}"
        )
    scale = got.to(want.units).magnitude
    if not math.isclose(scale, 1.0, rel_tol=1e-12):
        raise ModelDefinitionError(
            f"{kind} {name}: gives {_fmt(got)}, which is {scale:g} x {declared}; "
            "add a named conversion constant"
        )
