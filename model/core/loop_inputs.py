"""Inputs of the feedback-loop projection: one sourced record each, plus `prev(name)`.

Defaults are the `status-quo` scenario (no AI speed-up, fixed shares, no brakes); scenarios
(model.loop.scenarios) switch the loop's parts on. Figures come from DATA.md's sources; anything
that is not a sourced figure is cited as an assumption with its reasoning.
"""

from __future__ import annotations

import math

import sympy

from . import equations  # noqa: F401 - fleet-year records first (import order = layering)
from .catalogue import CATALOGUE, Quantity, register, sym
from .catalogue import choice as _choice
from .catalogue import number as _num
from .fleet_inputs import USES
from .sources import cite

HISTORICAL_HALVING_YEARS = 8.0 / 12.0
# Flagship list prices per million output tokens: GPT-4 $60 (14 Mar 2023), GPT-5 $10 (7 Aug
# 2025): 6x in 2.40 years, the frontier's price fall while the tokens below were counted.
FRONTIER_PRICE_DECLINE = math.log(60 / 10) / 2.40
# The demand elasticity that split the price effect out of the tokens' growth (the catalogue's
# default; another elasticity moves the per-user trend: calibration_demand_elasticity below).
CALIBRATION_ELASTICITY = 1.11
# What is left of Microsoft's 5x growth in tokens (a year to Q1 2025) once ChatGPT's user growth
# (ln 3 over 13 months) and the price effect (that elasticity x that decline) are counted.
TOKENS_PER_USER = (math.log(5.0) - math.log(3.0) / (13 / 12)
                   - CALIBRATION_ELASTICITY * FRONTIER_PRICE_DECLINE)
MILESTONES = ("sc", "sar", "siar", "asi")
MILESTONE_TEXT = {"sc": "superhuman coder", "sar": "superhuman AI researcher",
                  "siar": "superintelligent AI researcher", "asi": "artificial superintelligence"}
AI2027_MULTIPLIERS = {"sc": 5.0, "sar": 25.0, "siar": 250.0, "asi": 2000.0}
SUMMARY_MULTIPLIERS = {"sc": 2.0, "sar": 4.0, "siar": 100.0, "asi": 1000.0}
# Thresholds in orders of magnitude (OOMs) of software efficiency gained since the start.
MILESTONE_OOMS = {"sc": 3.0, "sar": 4.0, "siar": 6.0, "asi": 10.0}
# AI 2027 compute forecast, leading lab, mapped to our uses: research = synthetic data +
# experiments; other = monitoring. Periods start 2024, 2025, 2026, then 2027 by quarter.
SCHEDULE_STARTS = (2024.0, 2025.0, 2026.0, 2027.0, 2027.25, 2027.5, 2027.75)
SCHEDULE = {
    "training": (0.40, 0.40, 0.40, 0.30, 0.27, 0.22, 0.20),
    "research": (0.24, 0.25, 0.26, 0.41, 0.44, 0.50, 0.57),
    "automation": (0.01, 0.03, 0.04, 0.06, 0.06, 0.06, 0.06),
    "inference": (0.33, 0.30, 0.28, 0.20, 0.19, 0.18, 0.13),
    "other": (0.02, 0.02, 0.02, 0.03, 0.03, 0.03, 0.04),
}
_PERIOD = ("2024", "2025", "2026", "Q1 2027", "Q2 2027", "Q3 2027", "Q4 2027")


TIME = (
    _num("step_years", "year", 1.0, 1 / 12, 1.0,
         "Length of one projection step (a year, a quarter or a month)",
         cite("assumption", "yearly steps by default; quarters resolve 2027's quarterly AI 2027 "
              "schedule; months check the step-length error"), "projection"),
    _num("start_year", "year", 2024.0, 2000.0, 2100.0, "Calendar year of the first step",
         cite("ai2027-compute", "the compute table starts in 2024"), "projection"),
    _num("discount_rate", "", 0.10, 0.0, 1.0, "Annual discount rate for the NPV of the fleet's "
         "free cash flow", cite("assumption", "10% a year, a round cost of capital for a "
                                "growth company; change it to test it"), "finance"),
)

FLEET_GROWTH = (
    _num("price_performance_growth", "1/year", 0.14 * math.log(10), 0.0, 2.0,
         "Growth rate (continuous) of hardware price-performance: the price of an "
         "H100-equivalent falls as exp(-rate x time)",
         cite("epoch-costs", "0.14 orders of magnitude per year = 0.322/year"), "fleet"),
    _num("investment_rate", "1/year", 0.2, 0.0, 5.0,
         "External investment per year at the start, as a fraction of the initial fleet's "
         "replacement value", cite("assumption", "0.2/year replaces a fleet with 5-year lives "
                                   "([epoch-costs]); falling prices then grow it"), "fleet"),
    _num("investment_growth", "1/year", 0.0, -1.0, 3.0,
         "Growth rate (continuous) of external investment",
         cite("assumption", "flat external investment; growth comes from reinvested revenue"),
         "fleet"),
    _num("reinvestment_rate", "", 0.5, 0.0, 1.0,
         "Share of inference revenue reinvested in new GPUs (the revenue flywheel)",
         cite("assumption", "half of revenue; no public figure"), "fleet"),
)

DEMAND = (
    _num("user_demand_growth", "1/year", math.log(3.0) / (13 / 12), -1.0, 5.0,
         "Growth rate (continuous) of inference demand from more users and uses",
         cite("openai-users", "ChatGPT weekly users 100M (Nov 2023) to 300M (Dec 2024): "
              "ln 3 over 13 months = 1.01 a year"), "demand"),
    _num("tokens_per_task_growth", "1/year", TOKENS_PER_USER, -2.0, 5.0,
         "Growth rate (continuous) of tokens demanded per user at a constant price: what is "
         "left of the observed growth in tokens once more users and falling prices are "
         "counted (negative: the observed growth is all users and prices), at "
         "calibration_demand_elasticity (another elasticity moves it to keep that sum)",
         cite("microsoft-tokens", "tokens processed up 5x year on year (Jan-Mar 2025)") + "; "
         + cite("openai-users", "less user growth of 1.01 a year") + "; " + cite(
             "nber-llm-market", "less the price effect, elasticity 1.11 x the frontier's "
             "price decline 0.75 a year [genai-prices]: ln 5 - 1.01 - 0.83 = -0.23 (derived)"),
         "demand"),
    # What tokens_per_task_growth was split out with: a demand elasticity set apart from it moves
    # the per-user trend by (this elasticity - that one) x this decline, so that users, tokens
    # per user and the price effect still add up to the tokens' observed growth.
    Quantity("calibration_demand_elasticity", "", "constant",
             "The demand elasticity tokens_per_task_growth was split out of the tokens' observed "
             "growth with", cite("nber-llm-market", "-1.11, the catalogue's "
                                 "demand_price_elasticity"),
             default=CALIBRATION_ELASTICITY, min=CALIBRATION_ELASTICITY,
             max=CALIBRATION_ELASTICITY, group="demand"),
    Quantity("calibration_price_decline", "1/year", "constant",
             "Growth rate (continuous) at which the frontier's list price fell while the tokens "
             "tokens_per_task_growth was split out of were counted",
             cite("genai-prices", "GPT-4 $60 (Mar 2023) to GPT-5 $10 (Aug 2025) per million "
                  "output tokens: ln 6 over 2.40 years = 0.747 a year"),
             default=FRONTIER_PRICE_DECLINE, min=FRONTIER_PRICE_DECLINE,
             max=FRONTIER_PRICE_DECLINE, group="demand"),
)

RESEARCH = (
    _num("software_halving_time", "year", HISTORICAL_HALVING_YEARS, 1 / 12, 5.0,
         "Historical halving time of the compute needed for a given performance (sets the "
         "no-AI rate of software progress, ln 2 / halving time)",
         cite("ho2024", "halves every ~8 months (95% CI 5-14)"), "research"),
    _num("researcher_growth", "1/year", math.log(1.7), -1.0, 2.0,
         "Growth rate (continuous) of the human research staff",
         cite("heninger-2025", "OpenAI's headcount ~1.7x a year: ln 1.7 = 0.53"), "research"),
    _num("research_labour_weight", "", 0.70, 0.0, 1.0,
         "CES weight a of cognitive labour against experiment compute (1 - a)",
         cite("aifm-2025", "labour weight ~0.70"), "research"),
    _num("research_ces_rho", "", -0.155, -10.0, 0.9,
         "CES substitution parameter rho (< 0: labour and compute are complements; not 0)",
         cite("aifm-2025", "rho ~ -0.155") + "; " + cite("davidson-ftm", "rho = -0.01"),
         "research"),
    _num("parallelisation_exponent", "", 0.7, 0.05, 1.5,
         "Exponent lambda on research output in the rate of software progress (< 1: "
         "parallel research duplicates effort, so a lab with twice the research inputs "
         "progresses less than twice as fast)",
         cite("davidson-ftm", "parallelisation penalty lambda = 0.7") + "; " + cite(
             "aifm-2025", "0.5"), "research"),
    _choice("multiplier_scope", ("all-research", "labour-only"),
            "What the AI R&D multiplier speeds up: all of research (the forecast's reading, "
            "at fixed compute) or cognitive labour only (experiments then bottleneck)",
            cite("ai2027-takeoff", "multipliers defined at fixed compute"), "research"),
    _choice("multiplier_path", ("none", "ai-2027", "summary"),
            "Milestone multipliers: none (1x), AI 2027's 5/25/250/2000x, or the 2/4/100/1000x "
            "summary", cite("ai2027-takeoff", "milestone multipliers"), "research"),
    _num("research_floor", "", 0.04, 0.0, 1.0,
         "Share of the fleet research keeps when demand would take it all (inference-first)",
         cite("ai2027-compute", "leading lab 2024: research experiments 4% of compute, the "
              "part a lab keeps for experiments beside synthetic data"), "allocation"),
    _choice("allocation_policy", ("fixed", "scheduled", "inference-first", "value-maximising"),
            "How shares evolve: fixed at the start's shares; AI 2027's schedule; inference "
            "demand served first with research getting the rest of research + inference; or the "
            "path that maximises the projection's NPV (chosen by the optimiser)",
            cite("ai2027-compute", "leading lab's split by use, 2024-2027"), "allocation"),
    _num("base_multiplier", "", 1.0, 1.0, 1e4,
         "A constant AI R&D multiplier on top of the milestone path (1: none); the break-even "
         "analysis varies it", cite("definition", "1 leaves the path as it is"), "research",
         log_scale=True),
)

_MILESTONE_SRC = cite("assumption", "thresholds in OOMs of software efficiency placed so "
                      "that the ai-2027 scenario, in quarterly steps, passes 1.5x in 2025, 3x "
                      "in late 2026, SC (5x) in Q2 2027 and ASI by Q4 2027, close to the "
                      "narrative of [ai2027-takeoff]")
MILESTONE_INPUTS = tuple(
    q for m in MILESTONES for q in (
        _num(f"milestone_{m}", "", MILESTONE_OOMS[m], 0.01, 1000.0,
             f"Software efficiency (OOMs since the start) at which the {MILESTONE_TEXT[m]} "
             "milestone is reached", _MILESTONE_SRC, "milestones"),
        _num(f"ai2027_multiplier_{m}", "", AI2027_MULTIPLIERS[m], 1.0, 1e6,
             f"AI R&D progress multiplier at the {MILESTONE_TEXT[m]} milestone (AI 2027)",
             cite("ai2027-takeoff", f"{m.upper()} {AI2027_MULTIPLIERS[m]:g}x"), "milestones",
             log_scale=True),
        _num(f"summary_multiplier_{m}", "", SUMMARY_MULTIPLIERS[m], 1.0, 1e6,
             f"AI R&D progress multiplier at the {MILESTONE_TEXT[m]} milestone (summary path)",
             cite("ai2027-takeoff", "the 2x -> 4x -> 100x -> 1000x summary critics quote"),
             "milestones", log_scale=True),
    )
)

SCHEDULE_INPUTS = tuple(
    [_num(f"schedule_start_{k + 1}", "year", start, 2000.0, 2100.0,
          f"Start of period {k + 1} of the scheduled allocation ({_PERIOD[k]})",
          cite("ai2027-compute", "2024-2026 by year, 2027 by quarter"), "schedule")
     for k, start in enumerate(SCHEDULE_STARTS)]
    + [_num(f"schedule_{use}_{k + 1}", "", value, 0.0, 1.0,
            f"Scheduled share for {use} in period {k + 1} ({_PERIOD[k]})",
            cite("ai2027-compute", f"{_PERIOD[k]}: {value:.0%}"), "schedule")
       for use in USES for k, value in enumerate(SCHEDULE[use])]
)

# The value-maximising policy's chosen path: one share a step per use, written by the optimiser
# (model.policy.optimise), not by users; in the workbook, input rows on each Projection sheet.
CHOSEN_PATH = tuple(
    Quantity(f"chosen_share_{use}", "", "path",
             f"Share of the fleet for {use} in this step, chosen by the optimiser "
             "(allocation_policy value-maximising)", cite("definition", "the optimiser's choice"),
             default=0.0, min=0.0, max=1.0, group="optimiser")
    for use in USES) + (
    # Not a share of the fleet: what the lab does with inference GPUs its customers would leave
    # idle. The optimiser keeps 1 (experiments on them) but where an assumed policy's exact path,
    # idle GPUs and all, is worth more (more research is not always worth more), when it is 0.
    Quantity("chosen_idle_inference_to_research", "", "path",
             "Share of the inference GPUs its customers would leave idle in this step that the "
             "lab runs experiments on instead, chosen by the optimiser (allocation_policy "
             "value-maximising)", cite("definition", "the optimiser's choice; 1 unless an "
                                       "assumed policy's exact path is worth more"),
             default=1.0, min=0.0, max=1.0, group="optimiser"),)

LOOP_INPUTS = (TIME + FLEET_GROWTH + DEMAND + RESEARCH + MILESTONE_INPUTS + SCHEDULE_INPUTS
               + CHOSEN_PATH)
register(*LOOP_INPUTS)


def prev(name: str) -> sympy.Symbol:
    """The symbol of `name` at the previous step (`<name>_prev`, registered on first use)."""
    key = f"{name}_prev"
    if key not in CATALOGUE:
        q = CATALOGUE[name]
        register(Quantity(key, q.unit, "previous", f"{q.label} at the previous step",
                          "Previous step of the projection", group="previous"))
    return sym(key)
