"""Projection rows of research at the end of a step: research output (a CES of cognitive labour
and experiment compute, each against the frontier's in its reference year, AI labour scaled by
the multiplier), the effective speed-up, and the rate of software progress under the brakes and
the ceiling.

Research is in absolute units: a lab with the frontier's reference-year research staff and
compute has output 1 and progresses at the historical rate; no research compute, no own
progress (diffusion from the frontier still lifts it).
"""

from __future__ import annotations

from sympy import And, Max, Min, Piecewise, exp, log

from model.core.loop_inputs import prev

from . import finance_rows  # noqa: F401 - its rows come first
from .rows import choose, on, row, s

researchers, multiplier = s("researchers"), s("ai_rd_multiplier")
software = s("mid_step_software")
index = row("research_compute_index", s("compute_research") / s("frontier_research_compute"))
a, rho, lam = s("research_labour_weight"), s("research_ces_rho"), s("parallelisation_exponent")
# A row of its own, so that a L + (1 - a) is never summed as a L - a + 1: at a = 1 a tiny
# a L is lost against the 1s and the speed-up's ratio becomes 0^(negative) = inf.
b = row("research_compute_weight", 1 - a)


def ces(labour, compute):
    """(a L^rho + (1-a) E^rho)^(1/rho); with no labour or no compute and rho < 0 its limit, 0;
    with a weight of 0 the other input alone, (weight)^(1/rho) times it.

    The explicit limits keep spreadsheets finite: Excel's 0^rho for rho < 0 is #NUM!, and a
    weight of 0 times an input's rho-th power, infinite for a tiny input, is 0 x inf.
    """
    formula = (a * labour ** rho + b * compute ** rho) ** (1 / rho)
    return Piecewise((0, And(rho < 0, (compute <= 0) | (labour <= 0))),
                     (b ** (1 / rho) * compute, a <= 0), (a ** (1 / rho) * labour, b <= 0),
                     (formula, True))


all_research = choose("multiplier_scope", 0)
x_no_ai = row("research_output_no_ai", ces(researchers, index))
x = row("research_output", Piecewise((multiplier * x_no_ai, all_research),
                                     (ces(researchers * multiplier, index), True)))
# Labour per unit of experiment compute; a compute index that has decayed to a denormal would
# make it overflow (and 0 x inf where the labour weight is 0), so it is read as at least 1e-200.
_per_compute = researchers / Max(index, 1e-200)
# The AI R&D multiplier is a ratio of progress rates (AI 2027's definition): over all of research
# it passes in full; over labour only, experiments dilute it through the CES. With no experiment
# compute the labour-only ratio is a limit: 1 if compute is a complement (rho < 0: AI labour
# cannot help), multiplier^lambda if a substitute.
# Over labour only it is (w m^rho + (1 - w))^(lambda / rho), w the labour term's share of the
# CES sum, a L^rho / (a L^rho + b E^rho): written through its log-odds, so that a labour input
# whose rho-th power overflows (tiny staff per unit of compute, rho < 0) gives w = 0, not inf/inf.
_odds = Min(700, log(b / a) - rho * log(_per_compute))  # ln((1 - w) / w); EXP(>709) is #NUM!
_w, _rest = 1 / (1 + exp(_odds)), 1 / (1 + exp(-_odds))
speedup = row("research_speedup",
    Piecewise((multiplier, all_research),
              (Piecewise((1, rho < 0), (multiplier ** lam, True)), index <= 0),
              (1, (researchers <= 0) | (a <= 0)),  # AI speeds up no labour
              (multiplier ** lam, b <= 0),  # labour is all of research
              ((_w * multiplier ** rho + _rest) ** (lam / rho), True)))
# Research inputs against the frontier's (output^lambda: parallel effort duplicates), times the
# AI speed-up; ideas getting harder (beta = lambda / r) from the frontier's reference level on
# (ideas_reference_software; a lab behind it catches up by diffusion, not by finding old ideas
# easier), and the ceiling (headroom, the FTM's penalty) are separate brakes; the drive is the
# rate before the ceiling's, which the next step integrates.
drive = row("software_progress_drive", log(2) / s("software_halving_time") * x_no_ai ** lam
            * speedup * exp(-s("ideas_harder_exponent") * log(10)
                            * Max(0, software - s("ideas_reference_software"))))
# (the rate where the drive is read, at the step's middle)
row("software_progress_rate", drive * Piecewise((1 - software / s("software_ceiling"),
                                                 on("ceiling_model")), (1, True)))
# (within 50 e-folds a year either way, so that the next steps' extrapolations of it stay
# within floating point; the IF on the drives comes first so that a spreadsheet never takes the
# log of 0)
_bound = 50 / s("fleet_year")
_before, _between = prev("software_progress_drive"), (prev("step_length") + s("step_length")) / 2
_raw = Piecewise(
    (0, (drive <= 0) | (_before <= 0)),
    (Min(_bound, Max(-_bound, log(drive / _before) / _between)), True))
# Averaged over about a quarter (exponentially, as investors average revenue's growth over a
# year): a drive that grows steadily keeps its rate, while a step-to-step wobble (inference first
# chasing demand moves research, and so the drive, back and forth) is not extrapolated as a trend.
# Taken raw, that extrapolation fed the wobble: at quarterly steps the AI 2027 lab under
# inference first swung its drive by up to 18% a step by 2033 (3% at monthly steps); averaged,
# by 3% at either.
_w = 1 - exp(-_between / (s("fleet_year") / 4))
row("progress_drive_growth", prev("progress_drive_growth") * (1 - _w) + _raw * _w, 0)
