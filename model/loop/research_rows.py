"""Projection rows of research at the end of a step: research output (a CES of cognitive labour
and experiment compute, AI labour scaled by the multiplier), the effective speed-up, and the
rate of software progress under the brakes and the ceiling.
"""

from __future__ import annotations

from sympy import And, Max, Piecewise, exp, log

from model.core.loop_inputs import prev

from . import finance_rows  # noqa: F401 - its rows come first
from .rows import choose, row, s

researchers, multiplier = s("researchers"), s("ai_rd_multiplier")
software, headroom = s("software_efficiency"), s("software_headroom")
ref = row("research_compute_reference", prev("research_compute_reference"),
          s("compute_research"))
index = row("research_compute_index",
            Piecewise((1, ref <= 0), (s("compute_research") / ref, True)))
a, rho, lam = s("research_labour_weight"), s("research_ces_rho"), s("parallelisation_exponent")
# A row of its own, so that a L + (1 - a) is never summed as a L - a + 1: at a = 1 a tiny
# a L is lost against the 1s and the speed-up's ratio becomes 0^(negative) = inf.
b = row("research_compute_weight", 1 - a)


def ces(labour, compute):
    """(a L^rho + (1-a) E^rho)^(1/rho); with no compute and rho < 0 its limit, 0.

    The explicit limit keeps spreadsheets finite: Excel's 0^rho for rho < 0 is #NUM!.
    """
    formula = (a * labour ** rho + b * compute ** rho) ** (1 / rho)
    return Piecewise((0, And(compute <= 0, rho < 0)), (formula, True))


all_research = choose("multiplier_scope", 0)
x_no_ai = row("research_output_no_ai", ces(researchers, index))
x = row("research_output", Piecewise((multiplier * x_no_ai, all_research),
                                     (ces(researchers * multiplier, index), True)))
# Labour per unit of experiment compute; a compute index that has decayed to a denormal would
# make it overflow (and 0 x inf where the labour weight is 0), so it is read as at least 1e-200.
_per_compute = researchers / Max(index, 1e-200)
# With no experiment compute the labour-only ratio is a limit: 1 if compute is a complement
# (rho < 0: AI labour cannot help), multiplier^lambda if a substitute.
row("research_speedup",
    Piecewise((multiplier ** lam, all_research),
              (Piecewise((1, rho < 0), (multiplier ** lam, True)), index <= 0),
              (((a * (multiplier * _per_compute) ** rho + b)
                / (a * _per_compute ** rho + b)) ** (lam / rho), True)))
# Ideas getting harder (beta) and the ceiling (headroom, the FTM's penalty) are separate brakes;
# the drive is the rate before the ceiling's, which the next step integrates exactly.
drive = row("software_progress_drive", log(2) / s("software_halving_time") * x ** lam
            * exp(-s("ideas_harder_exponent") * log(10) * software))
row("software_progress_rate", drive * headroom)
