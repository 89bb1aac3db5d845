"""Hand arithmetic the projection's hand tests share: closed forms worked apart from the rows."""

from __future__ import annotations

import math


def rolled(last: float, revenue: float, g: float, dt: float) -> float:
    """The last year's revenue `dt` years on: dT/dt = R(t) - T g / (e^g - 1), with R the
    step's average `revenue` growing at g through the step (solved in closed form)."""
    leaving = g / math.expm1(g)
    kept = math.exp(-leaving * dt)
    start = revenue * g * dt / math.expm1(g * dt)  # R at the step's start
    return last * kept + start * (math.exp(g * dt) - kept) / (g + leaving)
