"""Projection rows of progress at the start of a step: the frontier (exogenous: the historical
rate of algorithmic progress, under the ceiling), the lab's software efficiency (its own progress
over the last step, never further behind the frontier than diffusion allows), the AI R&D
multiplier along its milestones, and capability, all known before the fleet is split.

Software efficiency is in OOMs above the frontier's level in its reference year, so a lab's
place against the frontier is a difference of two numbers in one unit.
"""

from __future__ import annotations

import sympy
from sympy import Max, Min, Piecewise, exp, log

from model.core.loop_inputs import MILESTONES, prev

from .coupling import NO_RIVAL
from .fleet_rows import after_base  # (its rows come first)
from .rows import choose, growth_mean, on, row, s

ceiling, ceiling_on = s("software_ceiling"), on("ceiling_model")
since = prev("step_length")
historical = log(2) / s("software_halving_time")


def frontier_headroom(when):
    """The frontier's headroom 1 - S/U at calendar time `when` (closed form). Before its
    reference year the frontier is extrapolated back at the historical rate, a straight line:
    the ceiling's penalty slows progress towards it, and run backwards it would put the frontier
    ever faster ever further below (hundreds of thousands of OOMs for a start decades early)."""
    elapsed = when - s("frontier_reference_year")
    return Piecewise((1 - historical * elapsed / (ceiling * log(10)), elapsed < 0),
                     (exp(-historical * elapsed / (ceiling * log(10))), True))


def frontier_path(when):
    """The frontier's software efficiency at `when`: the historical rate, under the ceiling."""
    return Piecewise((ceiling * (1 - frontier_headroom(when)), ceiling_on),
                     (historical * (when - s("frontier_reference_year")) / log(10), True))


year = s("year")
# staff is a flow's input: read at the step's middle, as prices are
researchers = row("researchers", prev("researchers") * exp(
    s("researcher_growth") * (since + s("step_length")) / 2),
    s("research_staff") / s("frontier_research_staff"))
row("ideas_harder_exponent", s("parallelisation_exponent") / s("software_returns"))
# The drive (the rate before the ceiling's penalty) is read at the step's middle, as its
# research inputs are: its software is predicted there (mid_step_software). Between two steps'
# drives it is assumed to grow exponentially at the rate it grew between their middles
# (progress_drive_growth, exact for a drive growing or decaying exponentially, as in a
# take-off), so the step's mean is the middle's times the mean of e^(r (t - middle)). Read at
# the step's start instead, with inputs read at its middle, the drive ran half a step ahead: a
# quarter's software led a month's by a few hundredths of an OOM. The
# ceiling's penalty (1 - S / U) is integrated exactly: dS/dt = d (1 - S/U) / ln 10 gives the
# headroom 1 - S/U falling by exp(-mean d dt / (U ln 10)), so no step overshoots the ceiling.
_drive, _rate = prev("software_progress_drive"), prev("progress_drive_growth")
_mean = _drive * exp(-_rate * since / 2) * growth_mean(_rate * since)
frontier = row("frontier_software", frontier_path(year))
# In a market of labs a follower catches up by diffusion from the labs' own frontier, not from
# the exogenous path (which no lab may keep pace with: every lab would ride it). The frontier's
# gap on that path is followed with a first-order lag of mean diffusion_lag, from the last
# step's: for a frontier moving steadily it is exactly the gap diffusion_lag ago at any step
# length (the weight 1 - step / lag makes the mean lag the lag), and the path is known at the
# step's start. A lag shorter than the step is one step. A lab alone: 0, the exogenous path's.
# whether the lab has rivals: the market of labs (model.loop.coupling), not a lab alone
in_market = s("rival_capability_gap") > NO_RIVAL
_lag = s("diffusion_lag")
_kept = Piecewise((1 - since / _lag, _lag > since), (0, True))
diffused = row("diffused_frontier_gap", Piecewise(
    (prev("frontier_gap") + (prev("diffused_frontier_gap") - prev("frontier_gap")) * _kept,
     in_market), (0, True)),
    Piecewise((s("base_frontier_gap"), in_market), (0, True)))
floor = row("diffusion_floor", frontier_path(year - _lag) + diffused)


def headroom_fall(drive, dt):
    """Factor by which the headroom 1 - S/U falls over `dt` years driven at `drive`."""
    return exp(-drive * dt / (ceiling * log(10)))


def advanced(software, drive, dt):
    """Software efficiency `dt` years on from `software` at `drive` (1/year): under the
    ceiling, U - (U - S) x headroom_fall; without it (the open loop), Euler."""
    return Piecewise((ceiling - (ceiling - software) * headroom_fall(drive, dt), ceiling_on),
                     (software + drive * dt / log(10), True))


def _held(when):
    """The lab's software at `when` while it keeps its base-year gap to the frontier (OOMs)."""
    return frontier_path(when) - s("software_gap")


start_software = _start = _held(s("start_year"))
# The base year is observed, its gap to the frontier with it (software_gap: the lab's gap in the
# base year, as its fleet is the base year's): through it the lab keeps that gap, so the step
# after it starts where the frontier then stands less the gap, and the lab's own drive moves it
# from there. (Until December 2026 the base year's own drive moved it: with a third of the
# frontier's research inputs, Anthropic ended 2024 0.23 OOMs behind the frontier its source
# puts it at, and the end-2025 market's labs drifted 0.03-0.30 OOMs in 2025.)
_kept = _held(year)
# The headroom is stepped itself, not taken as 1 - S/U: near the ceiling that difference is all
# rounding, and a spreadsheet would round it differently. Diffusion caps it at the floor's.
headroom = row("software_headroom", Piecewise(
    (Min(Piecewise((1 - _kept / ceiling, after_base),
                   (prev("software_headroom") * headroom_fall(_mean, since), True)),
         Max(0, frontier_headroom(year - _lag) - diffused / ceiling)), ceiling_on), (1, True)),
    Piecewise((1 - _start / ceiling, ceiling_on), (1, True)))
software = row("software_efficiency", Piecewise(
    (ceiling * (1 - headroom), ceiling_on),
    (Max(Piecewise((_kept, after_base),
                   (prev("software_efficiency") + _mean * since / log(10), True)), floor),
     True)), _start)


def ahead(dt):
    """The software efficiency predicted `dt` years after the step's start: the last step's
    drive growing on at its last rate, at least the diffusion floor then."""
    drive = _drive * exp(_rate * (since / 2)) * growth_mean(_rate * dt)
    return Max(advanced(software, drive, dt), frontier_path(year + dt - _lag) + diffused)


# The base year's drive is read at its middle too, as every later step's is: half a year on at
# the frontier's pace (no drive of the lab's own is known yet). Read at its start, the base
# year's drive stood half a year of ideas-getting-harder above every later step's, so each lab's
# drive fell by a quarter between its first two steps with nothing changed.
_half = s("fleet_year") / 2
middle = row("mid_step_software", ahead(s("step_length") / 2), software + frontier_path(
    s("start_year") + _half) - frontier_path(s("start_year")))
# Ideas get harder from where the frontier stood when its reference inputs (a year's research
# compute and staff) were measured: the middle of its reference year, where the frontier
# progresses at the historical rate on those inputs.
row("ideas_reference_software", frontier_path(s("frontier_reference_year") + _half))
gap = row("capability_gap", software - frontier)
row("frontier_gap", Piecewise((Max(gap, s("rival_capability_gap")), in_market), (0, True)))
for m in MILESTONES:
    row(f"milestone_multiplier_{m}",
        Piecewise((s(f"ai2027_multiplier_{m}"), choose("multiplier_path", 1)),
                  (s(f"summary_multiplier_{m}"), choose("multiplier_path", 2)), (1, True)))


def _multiplier(read_at):
    """The AI R&D multiplier at software efficiency `read_at`: log-linear between milestones."""
    factors, lo_t, lo_m = [], sympy.Integer(0), sympy.Integer(1)
    for m in MILESTONES:
        t, mult = s(f"milestone_{m}"), s(f"milestone_multiplier_{m}")
        factors.append((mult / lo_m) ** Min(1, Max(0, (read_at - lo_t) / (t - lo_t))))
        lo_t, lo_m = t, mult
    return s("base_multiplier") * sympy.Mul(*factors)


# The base year is observed: its multiplier is read at its start, where every scenario's is the
# base multiplier, so that its progress is the same under every scenario.
multiplier = row("ai_rd_multiplier", _multiplier(middle), _multiplier(software))

# Capability counts the fleet's peak compute, not its useful compute, so that it is known before
# the split (which, under inference-first, depends on the demand capability creates).
row("capability", prev("capability") + software - prev("software_efficiency")
    + log(s("fleet_gpus") / prev("fleet_gpus")) / log(10), 0)
