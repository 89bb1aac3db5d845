"""Sensitivity: one-at-a-time swings (tornado) of the projection, and exact elasticities.

The tornado moves each uncertain input (model.loop.montecarlo.UNCERTAIN) to the ends of its 90%
interval, one at a time, all runs in one vectorised evaluation. Elasticities of the fleet-year
outputs are exact: d ln(output) / d ln(input) from sympy derivatives, evaluated at the settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np
import pandas as pd
import sympy

from model.core.catalogue import CATALOGUE, sym
from model.core.compiled import fleet_year
from model.core.equations import BUDGET_OUTPUTS, EQUATIONS
from model.core.errors import InputError, quoted
from model.core.resolve import suggest

from .montecarlo import UNCERTAIN, _order_milestones
from .projection import DEFAULT_STEP, STEP_ROWS, check_paths, run_arrays, steps_for


def _check_output(output: str, options: Sequence[str]) -> None:
    if output not in options:
        raise InputError(f"unknown output {quoted(output)}{suggest(output, options)}; "
                         "expected a projection column")


def tornado(settings, output: str = "software_efficiency", years: int = 10,
            step: str = DEFAULT_STEP) -> pd.DataFrame:
    """Swing of `output` at the last step as each uncertain input goes to its 5th/95th value.

    Columns: input, low, high (input values), output_low, output_high, swing (|high - low|),
    sorted by swing, largest first; `attrs['base']` holds the output at the settings.
    """
    _check_output(output, [r for r in STEP_ROWS if r != "year"])  # the year does not swing
    n, dt = steps_for(years, step)
    names = list(UNCERTAIN)
    k = len(names)
    check_paths(settings, n)  # value-maximising: the path chosen at the settings
    values: dict[str, np.ndarray | float] = {**settings.values, **settings.paths,
                                             "step_years": dt}
    tested = {}
    for i, name in enumerate(names):
        q = CATALOGUE[name]
        base = settings.values[name]
        lo, hi = base * UNCERTAIN[name][0], base * UNCERTAIN[name][1]  # the 5th/95th
        column = np.full(2 * k + 1, base)
        column[1 + 2 * i], column[2 + 2 * i] = (float(np.clip(v, q.min, q.max)) for v in (lo, hi))
        values[name] = column
        tested[name] = (column[1 + 2 * i], column[2 + 2 * i])
    _order_milestones(values)
    final = run_arrays(values, n, keep=(output,))[output][-1]
    rows = [(name, *tested[name], final[1 + 2 * i], final[2 + 2 * i])
            for i, name in enumerate(names)]
    df = pd.DataFrame(rows, columns=["input", "low", "high", "output_low", "output_high"])
    df["swing"] = (df["output_high"] - df["output_low"]).abs()
    df = df.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
    df.attrs["base"] = float(final[0])
    df.attrs["output"] = output
    return df


@cache
def _derivatives(output: str) -> tuple[tuple[str, ...], object, object]:
    expr = fleet_year().expressions[output]  # already expanded over the inputs
    inputs = tuple(sorted(str(s) for s in expr.free_symbols))
    args = [sym(n) for n in inputs]
    grads = [sympy.diff(expr, a) for a in args]
    return inputs, sympy.lambdify(args, expr, "numpy"), sympy.lambdify(args, grads, "numpy")


def elasticities(settings, outputs: Sequence[str] = BUDGET_OUTPUTS) -> pd.DataFrame:
    """Exact elasticities d ln(output)/d ln(input) of fleet-year outputs at the settings.

    Columns: output, input, elasticity, note; choices and constants are left out. Where the
    elasticity is undefined it is NaN and `note` says why (else '').
    """
    rows = []
    for output in outputs:
        _check_output(output, list(EQUATIONS))
        inputs, value, grads = _derivatives(output)
        args = [settings.values[n] for n in inputs]
        with np.errstate(all="ignore"):
            y = float(value(*args))
            g = grads(*args)
        for name, d in zip(inputs, g, strict=True):
            if CATALOGUE[name].kind == "input":
                e = float(d) * settings.values[name] / y if y else float("nan")
                rows.append((output, name, e, _undefined(y, float(d), e)))
    return pd.DataFrame(rows, columns=["output", "input", "elasticity", "note"])


def _undefined(y: float, d: float, e: float) -> str:
    """Why an elasticity is undefined ('' where it is a number)."""
    if np.isfinite(e):
        return ""
    if y == 0:
        return "undefined: the output is 0 at these settings"
    if not np.isfinite(y):
        return "undefined: the output is not finite at these settings"
    return "undefined: the derivative is not finite at these settings"
