"""Compile equations into one vectorised NumPy function, after checking each one's units once.

Evaluation takes plain floats or arrays (any broadcastable shape: scenarios, Monte Carlo samples)
in each input's declared unit and returns arrays of the outputs in their declared units.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache

import numpy as np
import sympy

from .catalogue import CATALOGUE, sym
from .dimensions import check_equation
from .equations import EQUATIONS
from .errors import ModelDefinitionError
from .numpy_printer import FastNumPyPrinter


def expand(equations: Mapping[str, sympy.Expr]) -> dict[str, sympy.Expr]:
    """Each output as an expression of inputs only (earlier outputs substituted in order)."""
    done: dict[sympy.Symbol, sympy.Expr] = {}
    for name, expr in equations.items():
        done[sym(name)] = expr.xreplace(done)
    return {str(k): v for k, v in done.items()}


def check_units(equations: Mapping[str, sympy.Expr]) -> None:
    """Check every equation against its declared unit (raises naming the first bad one)."""
    for name, expr in equations.items():
        units = {s: CATALOGUE[str(s)].unit for s in expr.free_symbols if str(s) in CATALOGUE}
        check_equation(name, expr, CATALOGUE[name].unit, units)


class Compiled:
    """A set of outputs compiled to one NumPy function of the inputs they depend on."""

    def __init__(self, equations: Mapping[str, sympy.Expr], outputs: Sequence[str] | None = None):
        order = list(equations)
        for name in order:
            unknown = [str(s) for s in equations[name].free_symbols if str(s) not in CATALOGUE]
            if unknown:
                raise ModelDefinitionError(f"equation {name}: unknown symbols {unknown}")
        check_units(equations)
        full = expand(equations)
        self.outputs = tuple(outputs or order)
        exprs = [full[n] for n in self.outputs]
        free = set().union(*(e.free_symbols for e in exprs)) if exprs else set()
        self.inputs = tuple(sorted(str(s) for s in free))
        self.expressions = dict(zip(self.outputs, exprs, strict=True))
        args = [sym(n) for n in self.inputs]
        self._fn = sympy.lambdify(args, exprs, modules="numpy", cse=True,
                                  printer=FastNumPyPrinter)

    def __call__(self, values: Mapping[str, float | np.ndarray]) -> dict[str, np.ndarray]:
        missing = [n for n in self.inputs if n not in values]
        if missing:
            raise ModelDefinitionError(f"missing inputs: {', '.join(missing)}")
        args = [np.asarray(values[n], dtype=float) for n in self.inputs]
        shape = np.broadcast_shapes(*(a.shape for a in args)) if args else ()
        with np.errstate(divide="ignore", invalid="ignore"):
            results = self._fn(*args)
        return {n: np.broadcast_to(np.asarray(r, dtype=float), shape).copy()
                for n, r in zip(self.outputs, results, strict=True)}


@cache
def fleet_year(outputs: tuple[str, ...] | None = None) -> Compiled:
    """The fleet-year equations (all, or `outputs`) compiled once per process."""
    return Compiled(EQUATIONS, outputs)
