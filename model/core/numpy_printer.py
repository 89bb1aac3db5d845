"""A NumPy code printer for lambdify that keeps vectorised evaluation cheap.

sympy's default prints Piecewise as `select([...])` and Min/Max as `reduce(minimum, [...])`,
which allocate lists and condition stacks per call; nested `where` and pairwise
`minimum`/`maximum` compute the same values with a fraction of the temporaries.
"""

from __future__ import annotations

from sympy.printing.numpy import NumPyPrinter


class FastNumPyPrinter(NumPyPrinter):
    """NumPyPrinter: Piecewise as nested where; Min, Max, And, Or as pairwise ufuncs."""

    def _print_Piecewise(self, expr):
        *branches, (last, cond) = expr.args
        if cond != True:  # noqa: E712 - sympy's true, not Python's
            return super()._print_Piecewise(expr)
        out = self._print(last)
        where = self._module_format(self._module + ".where")
        for value, c in reversed(branches):
            out = f"{where}({self._print(c)}, {self._print(value)}, {out})"
        return out

    def _pairwise(self, expr, func: str) -> str:
        name = self._module_format(f"{self._module}.{func}")
        args = [self._print(a) for a in expr.args]
        out = args[0]
        for a in args[1:]:
            out = f"{name}({out}, {a})"
        return out

    def _print_Min(self, expr):
        return self._pairwise(expr, "minimum")

    def _print_Max(self, expr):
        return self._pairwise(expr, "maximum")

    def _print_And(self, expr):
        # logical_and.reduce((a, b)) fails when a is an array and b a scalar
        return self._pairwise(expr, "logical_and")

    def _print_Or(self, expr):
        return self._pairwise(expr, "logical_or")
