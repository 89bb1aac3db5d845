"""The projection's rows, each declared once: first-step and later-step expressions.

A row's later-step expression may use inputs, `prev(row)` (any row's previous value) and rows
declared before it; its first-step expression may use inputs and earlier rows' first-step values.
Rows whose name is a fleet-year output reuse that output's equation
(model.core.equations.EQUATIONS), with the fleet-year inputs that now vary over time (fleet_gpus,
share_<use>, gpu_capex) read as this step's rows. model.loop.projection checks units and compiles.
"""

from __future__ import annotations

import sympy
from sympy import And, Eq, Max, Min, Piecewise, exp, log

from model.core.catalogue import CATALOGUE, Quantity, register, sym
from model.core.equations import EQUATIONS
from model.core.fleet_inputs import USES
from model.core.loop_inputs import MILESTONES, SCHEDULE_STARTS, prev
from model.core.sources import cite

INIT_RAW: dict[str, sympy.Expr] = {}
STEP_RAW: dict[str, sympy.Expr] = {}
s = sym
_EPOCH = cite("epoch-costs", "amortised hardware cost")

# New rows: name, unit, description, source ('' = derived). Declared first so that any row may
# use any other's previous value. Rows named like fleet-year outputs are catalogued already.
_NEW_ROWS = (
    ("year", "year", "Calendar year at the start of the step", ""),
    ("elapsed_years", "year", "Years since the first step", ""),
    ("hardware_price", "USD/GPU", "Cluster capex of one new H100-equivalent", ""),
    ("gpus_retired", "GPU", "GPUs retired during the step (1/life of the fleet a year)",
     cite("epoch-costs", "5-year server lives")),
    ("researchers", "", "Human research staff relative to the first step", ""),
    ("software_efficiency", "", "Orders of magnitude (log10) by which algorithms have cut the "
     "compute needed for a given capability since the first step", ""),
    *((f"milestone_multiplier_{m}", "", f"Multiplier at milestone {m.upper()} on the chosen "
       "path", "") for m in MILESTONES),
    ("ai_rd_multiplier", "", "Headline AI R&D progress multiplier: log-linear in software "
     "efficiency between milestone thresholds, flat beyond the last",
     cite("ai2027-takeoff", "5x, 25x, 250x, 2000x")),
    *((f"scheduled_share_{u}", "", f"AI 2027 schedule's share for {u} in this step's period "
       "(unnormalised)", cite("ai2027-compute", "leading lab's compute by use")) for u in USES),
    ("scheduled_share_total", "", "Sum of the scheduled shares (the table rounds to 99-100%)",
     ""),
    ("initial_inference_gpus", "GPU", "Inference GPUs at the first step: the base of "
     "inference demand", ""),
    ("log_inference_demand", "", "Natural log of inference demand over the first step's "
     "(users, tokens per task, and capability at the previous step)", ""),
    ("inference_demand_share", "", "Inference demand as a share of the fleet (at most 1)", ""),
    ("token_capacity", "token/year", "Tokens the inference GPUs could serve in a year (the "
     "fleet-year tokens_served: capacity, all of it sold)", cite("kaplan", "2N FLOP per token")),
    ("compute_cost", "USD/year", "Cost of the fleet's compute, all uses (sum of budget_<use>: "
     "rent, or depreciation + energy when owned)", ""),
    ("depreciation", "USD/year", "Straight-line depreciation of the owned fleet (at this "
     "step's replacement price; 0 when rented)", _EPOCH),
    ("external_investment", "USD/year", "External investment in GPUs", ""),
    ("capex", "USD/year", "Spend on new GPUs: external investment + reinvested inference revenue "
     "(bought when owned; when rented it adds GPUs whose rent enters compute_cost)", ""),
    ("gpus_purchased", "GPU", "GPUs bought during the step (in service from the next step)", ""),
    ("free_cash_flow", "USD/year", "Inference revenue less cash compute cost (rent, or energy "
     "when owned) less capex when owned", ""),
    ("cumulative_cash", "USD", "Cumulative free cash flow, after buying the initial fleet when "
     "owned", ""),
    ("discount_factor", "", "Discount factor at the start of the step", ""),
    ("npv_to_date", "USD", "Net present value of free cash flow so far (initial fleet outlay "
     "included when owned)", ""),
    ("payback_year", "year", "First year whose cumulative cash is >= 0 (0 until then)", ""),
    ("research_compute_reference", "FLOP/year", "Research compute at the first step", ""),
    ("research_compute_index", "", "Experiment compute relative to the first step (1 if there "
     "was none)", ""),
    ("research_output_no_ai", "", "Research output without AI speed-up (CES of labour and "
     "compute)", cite("aifm-2025", "CES of cognitive labour and experiment compute")),
    ("research_output", "", "Research output: the multiplier scales all of research, or "
     "cognitive labour only", ""),
    ("research_speedup", "", "Effective speed-up: software-progress rate over the no-AI rate "
     "(= (research_output / research_output_no_ai)^lambda)", ""),
    ("software_progress_rate", "1/year", "Growth rate of software efficiency (e-folds a year)",
     cite("ho2024", "no-AI rate ln 2 / 8 months")),
    ("capability", "", "Effective compute (fleet compute x software efficiency), OOMs over the "
     "first step", ""),
)
register(*(Quantity(n, u, "output", d, src or "Derived (projection step)", group="projection")
           for n, u, d, src in _NEW_ROWS))


def row(name: str, step, initial=None) -> sympy.Symbol:
    """Set row `name`'s later-step and first-step expressions; return its symbol."""
    if name not in CATALOGUE or name in STEP_RAW:
        raise ValueError(f"row {name} is not declared, or declared twice")
    STEP_RAW[name] = sympy.sympify(step)
    INIT_RAW[name] = sympy.sympify(step if initial is None else initial)
    return sym(name)


def reuse(name: str) -> sympy.Symbol:
    """A row whose expression is the fleet-year equation of the same name."""
    return row(name, EQUATIONS[name])


def choose(name: str, index: int):
    return Eq(s(name), index)


# --- time and hardware -------------------------------------------------------------------
year = row("year", prev("year") + s("step_years"), s("start_year"))
elapsed = row("elapsed_years", year - s("start_year"))
gpu_capex = row("gpu_capex", prev("gpu_capex")
                * exp(-s("price_performance_growth") * s("step_years")), s("gpu_capex"))
hardware_price = row("hardware_price", gpu_capex * s("cluster_capex_multiplier"))
fleet = row("fleet_gpus", prev("fleet_gpus") - prev("gpus_retired") + prev("gpus_purchased"),
            s("fleet_gpus"))
row("gpus_retired", fleet * s("step_years") / s("depreciation_life"))

# --- the AI R&D multiplier (the loop) ----------------------------------------------------
researchers = row("researchers",
                  prev("researchers") * exp(s("researcher_growth") * s("step_years")), 1)
software = row("software_efficiency", prev("software_efficiency")
               + prev("software_progress_rate") * s("step_years") / log(10), 0)
for m in MILESTONES:
    row(f"milestone_multiplier_{m}",
        Piecewise((s(f"ai2027_multiplier_{m}"), choose("multiplier_path", 1)),
                  (s(f"summary_multiplier_{m}"), choose("multiplier_path", 2)), (1, True)))
_factors, _lo_t, _lo_m = [], sympy.Integer(0), sympy.Integer(1)
for m in MILESTONES:
    t, mult = s(f"milestone_{m}"), s(f"milestone_multiplier_{m}")
    _factors.append((mult / _lo_m) ** Min(1, Max(0, (software - _lo_t) / (t - _lo_t))))
    _lo_t, _lo_m = t, mult
multiplier = row("ai_rd_multiplier", sympy.Mul(*_factors))

# --- allocation ---------------------------------------------------------------------------
for use in USES:
    level = s(f"schedule_{use}_1")
    for k in range(2, len(SCHEDULE_STARTS) + 1):
        step_up = Piecewise((1, year >= s(f"schedule_start_{k}")), (0, True))
        level = level + (s(f"schedule_{use}_{k}") - s(f"schedule_{use}_{k - 1}")) * step_up
    row(f"scheduled_share_{use}", level)
sched_total = row("scheduled_share_total",
                  sympy.Add(*(s(f"scheduled_share_{u}") for u in USES)))
base_inference = row("initial_inference_gpus", prev("initial_inference_gpus"),
                     s("fleet_gpus") * s("share_inference"))
log_demand = row("log_inference_demand",
                 (s("user_demand_growth") + s("tokens_per_task_growth")) * elapsed
                 + s("demand_capability_elasticity") * log(10) * prev("capability"), 0)
demand_share = row("inference_demand_share",
                   Piecewise((0, base_inference <= 0),
                             (exp(Min(0, log_demand + log(base_inference / fleet))), True)))


def _share(use: str, step, initial):
    scheduled = s(f"scheduled_share_{use}") / sched_total
    return row(f"share_{use}", Piecewise((scheduled, choose("allocation_policy", 1)), *step),
               Piecewise((scheduled, choose("allocation_policy", 1)), (initial, True)))


for use in ("training", "automation", "other"):
    _share(use, [(prev(f"share_{use}"), True)], s(f"share_{use}"))
_pool = prev("share_inference") + prev("share_research")
_share("inference", [(Min(demand_share, _pool), choose("allocation_policy", 2)),
                     (prev("share_inference"), True)], s("share_inference"))
_share("research", [(Max(0, _pool - demand_share), choose("allocation_policy", 2)),
                    (prev("share_research"), True)], s("share_research"))

# --- the fleet-year budget, per step --------------------------------------------------------
for use in USES:
    reuse(f"gpus_{use}")
    reuse(f"compute_{use}")
reuse("compute_total")
for name in ("capex_per_gpu_hour", "energy_per_gpu_hour", "owned_cost_per_gpu_hour",
             "cost_per_gpu_hour"):
    reuse(name)
for use in USES:
    reuse(f"budget_{use}")
compute_cost = row("compute_cost", EQUATIONS["budget_total"])
owned = Piecewise((0, choose("cost_basis", 0)), (1, True))
depreciation = row("depreciation",
                   owned * fleet * s("capex_per_gpu_hour") * s("hours_per_year"))
# Tokens served are capacity capped by demand: GPUs beyond demand idle (and still cost), so the
# revenue flywheel cannot outrun the customers. At the first step demand equals capacity.
capacity = row("token_capacity", EQUATIONS["tokens_served"])
row("tokens_served", Piecewise((0, s("share_inference") <= 0),
                               (capacity * Min(1, demand_share / s("share_inference")), True)))
revenue = reuse("inference_revenue")
reuse("gross_margin")

# --- capex and the finance view -----------------------------------------------------------
investment = row("external_investment",
                 prev("external_investment") * exp(s("investment_growth") * s("step_years")),
                 s("investment_rate") * fleet * hardware_price)
capex = row("capex", investment + s("reinvestment_rate") * revenue)
row("gpus_purchased", capex * s("step_years") / hardware_price)
# A renter pays for added GPUs as rent (in compute_cost), not up front: counting capex too
# would charge rented fleets twice.
fcf = row("free_cash_flow", revenue - (compute_cost - depreciation) - owned * capex)
outlay = owned * fleet * hardware_price
cash = row("cumulative_cash", prev("cumulative_cash") + fcf * s("step_years"),
           fcf * s("step_years") - outlay)
discount = row("discount_factor", (1 + s("discount_rate")) ** (-elapsed / s("fleet_year")))
row("npv_to_date", prev("npv_to_date") + fcf * s("step_years") * discount,
    fcf * s("step_years") * discount - outlay)
row("payback_year",
    Piecewise((year, And(cash >= 0, Eq(prev("payback_year"), 0))), (prev("payback_year"), True)),
    Piecewise((year, cash >= 0), (0, True)))

# --- research and software progress -------------------------------------------------------
ref = row("research_compute_reference", prev("research_compute_reference"),
          s("compute_research"))
index = row("research_compute_index",
            Piecewise((1, ref <= 0), (s("compute_research") / ref, True)))
a, rho, lam = s("research_labour_weight"), s("research_ces_rho"), s("parallelisation_exponent")


def ces(labour, compute):
    """(a L^rho + (1-a) E^rho)^(1/rho); with no compute and rho < 0 its limit, 0.

    The explicit limit keeps spreadsheets finite: Excel's 0^rho for rho < 0 is #NUM!.
    """
    formula = (a * labour ** rho + (1 - a) * compute ** rho) ** (1 / rho)
    return Piecewise((0, And(compute <= 0, rho < 0)), (formula, True))


all_research = choose("multiplier_scope", 0)
x_no_ai = row("research_output_no_ai", ces(researchers, index))
x = row("research_output", Piecewise((multiplier * x_no_ai, all_research),
                                     (ces(researchers * multiplier, index), True)))
_per_compute = researchers / index
# With no experiment compute the labour-only ratio is a limit: 1 if compute is a complement
# (rho < 0: AI labour cannot help), multiplier^lambda if a substitute.
row("research_speedup",
    Piecewise((multiplier ** lam, all_research),
              (Piecewise((1, rho < 0), (multiplier ** lam, True)), index <= 0),
              (((a * (multiplier * _per_compute) ** rho + 1 - a)
                / (a * _per_compute ** rho + 1 - a)) ** (lam / rho), True)))
rate = row("software_progress_rate", log(2) / s("software_halving_time") * x ** lam
           * exp(-s("ideas_harder_exponent") * log(10) * software))
row("capability", prev("capability") + software - prev("software_efficiency")
    + log(s("compute_total") / prev("compute_total")) / log(10), 0)

_missing = [n for n, *_ in _NEW_ROWS if n not in STEP_RAW]
if _missing:
    raise ValueError(f"declared rows without expressions: {_missing}")
