"""Projection rows of progress at the start of a step: software efficiency (last step's rate,
under the ceiling), the AI R&D multiplier along its milestones, and capability (effective
compute: the fleet's peak compute times software efficiency), all known before the fleet is
split, so that prices and demand can use this step's capability.
"""

from __future__ import annotations

import sympy
from sympy import Max, Min, Piecewise, exp, log

from model.core.loop_inputs import MILESTONES, prev

from . import fleet_rows  # noqa: F401 - its rows come first
from .rows import choose, on, row, s

dt, ceiling, ceiling_on = s("step_years"), s("software_ceiling"), on("ceiling_model")

researchers = row("researchers", prev("researchers") * exp(s("researcher_growth") * dt), 1)
# The drive (the rate before the ceiling's penalty) is assumed to keep changing over the step
# by the factor it changed over the last (exact for a drive growing or decaying exponentially,
# as in a take-off): its step mean is d (g - 1) / ln g with g = d / d_before, clamped to
# [1/10, 10]; d where it did not change. The ceiling's penalty (1 - S / U) is integrated
# exactly: dS/dt = d (1 - S/U) / ln 10 gives the headroom 1 - S/U falling by
# exp(-mean d dt / (U ln 10)), so no step overshoots the ceiling. Without the ceiling (the open
# loop) the step is plain Euler, as before, since an unbounded take-off extrapolated would leave
# floating point within the decade.
_drive, _before = prev("software_progress_drive"), prev("earlier_progress_drive")
# (the IF on the earlier drive comes first so that a spreadsheet never divides by zero)
_g = Piecewise((1, _before <= 0), (Min(10, Max(sympy.Rational(1, 10), _drive / _before)), True))
_mean = Piecewise((_drive, (_drive <= 0) | (abs(_g - 1) < 1e-9)),
                  (_drive * (_g - 1) / log(_g), True))
row("earlier_progress_drive", _drive, 0)


def headroom_fall(drive):
    """Factor by which the headroom 1 - S/U falls over a step driven at `drive` (1/year)."""
    return exp(-drive * dt / (ceiling * log(10)))


def advanced(software, drive):
    """Software efficiency one step on from `software` at `drive` (1/year): under the ceiling,
    U - (U - S) x headroom_fall; without it (the open loop), Euler."""
    return Piecewise((ceiling - (ceiling - software) * headroom_fall(drive), ceiling_on),
                     (software + drive * dt / log(10), True))


# The headroom is stepped itself, not taken as 1 - S/U: near the ceiling that difference is all
# rounding, and a spreadsheet would round it differently.
headroom = row("software_headroom", Piecewise(
    (prev("software_headroom") * headroom_fall(_mean), ceiling_on), (1, True)), 1)
software = row("software_efficiency", Piecewise(
    (ceiling * (1 - headroom), ceiling_on),
    (prev("software_efficiency") + _drive * dt / log(10), True)), 0)
for m in MILESTONES:
    row(f"milestone_multiplier_{m}",
        Piecewise((s(f"ai2027_multiplier_{m}"), choose("multiplier_path", 1)),
                  (s(f"summary_multiplier_{m}"), choose("multiplier_path", 2)), (1, True)))
_factors, _lo_t, _lo_m = [], sympy.Integer(0), sympy.Integer(1)
for m in MILESTONES:
    t, mult = s(f"milestone_{m}"), s(f"milestone_multiplier_{m}")
    _factors.append((mult / _lo_m) ** Min(1, Max(0, (software - _lo_t) / (t - _lo_t))))
    _lo_t, _lo_m = t, mult
multiplier = row("ai_rd_multiplier", s("base_multiplier") * sympy.Mul(*_factors))

# Capability counts the fleet's peak compute, not its useful compute, so that it is known before
# the split (which, under inference-first, depends on the demand capability creates).
row("capability", prev("capability") + software - prev("software_efficiency")
    + log(s("fleet_gpus") / prev("fleet_gpus")) / log(10), 0)
