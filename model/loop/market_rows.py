"""Projection rows of the customers and the split: the token price and demand curve, the
allocation policies, the fleet-year budget per step, and what the inference GPUs sell.
"""

from __future__ import annotations

import sympy
from sympy import Max, Min, Piecewise, exp, log

from model.core.equations import EQUATIONS
from model.core.fleet_inputs import USES
from model.core.loop_inputs import SCHEDULE_STARTS, prev

from .progress_rows import advanced  # (importing it declares its rows first)
from .rows import choose, on, reuse, row, s

year, fleet = s("year"), s("fleet_gpus")
curve = on("demand_model")

# --- price: falls for a given capability; the lab's gaining capability is worth more -------
market = row("token_price_market", Piecewise(
    (prev("token_price_market") * exp(-s("token_price_decline") * s("step_years")), curve),
    (prev("token_price_market"), True)), s("token_price"))
# The lab's research lifts its price: software efficiency (OOMs of algorithmic progress, the
# capability research buys) raises what a token is worth, fleet size does not (no price premium
# for scale, which would make revenue grow with the square of the fleet).
# The exponent stops at 250 OOMs: beyond floating point only where software has no ceiling, and
# there customers' spending ceiling has capped revenue long before.
software = s("software_efficiency")


def _premium(oom):
    return Min(250, s("capability_price_elasticity") * oom)


# The price moves within the step too (10x a year in the market, and faster in a take-off), so
# it is the step's average, exact for prices moving exponentially. Software efficiency is
# expected to advance at the last step's drive, slowed by ideas getting harder as far as known
# at this step's start, under the ceiling's penalty (as in software_efficiency): experiment
# compute is not known until the split. The first step expects the historical rate.
_drive = prev("software_progress_drive") * exp(
    -s("ideas_harder_exponent") * log(10) * (software - prev("software_efficiency")))


def _growth(drive):
    """e-folds of the lab's own price over the step, software driven at `drive` (1/year)."""
    end = advanced(software, drive)
    return Piecewise((log(10) * (_premium(end) - _premium(software))
                      - s("token_price_decline") * s("step_years"), curve), (0, True))


z = row("token_price_growth", _growth(_drive), _growth(log(2) / s("software_halving_time")))
start = row("token_price_start", Piecewise((market * 10 ** _premium(software), curve),
                                          (market, True)))
end = start * exp(z)
_small = abs(z) < 1e-6  # (end - start) / z loses digits; the series is exact to z^2 there
mean = row("token_price_mean",
           Piecewise((start * (1 + z / 2), _small), ((end - start) / z, True)))
# Competition: the price never falls below the floor where competitors would undercut; the
# step's average of max(price, floor), with the crossing inside the step integrated exactly.
floor = row("token_price_floor", (1 + s("competitive_markup")) * s("serving_cost"))
low, high = Min(start, end), Max(start, end)
crossing = floor + (high - floor - floor * log(high / floor)) / Max(abs(z), 1e-6)
price = row("token_price", Piecewise(
    (mean, ~on("competition") | (low >= floor)),
    (Max(mean, floor), (high <= floor) | _small),
    (crossing, True)))
price_index = row("log_price_index", prev("log_price_index") + log(price / prev("token_price")),
                  0)

# --- demand: users, tokens per task and capability raise it; price^-elasticity ------------
base_inference = row("initial_inference_gpus", prev("initial_inference_gpus"),
                     s("fleet_gpus") * s("share_inference"))
# Users grow logistically to user_ceiling_multiple times the first step's (closed form); the
# open loop's demand (fixed-price) grows without a ceiling.
_h = s("user_ceiling_multiple")
_users = Piecewise(
    (log(_h / (1 + (_h - 1) * exp(-s("user_demand_growth") * s("elapsed_years")))), curve),
    (s("user_demand_growth") * s("elapsed_years"), True))
log_demand = row("log_inference_demand",
                 _users + s("tokens_per_task_growth") * s("elapsed_years")
                 + s("demand_capability_elasticity") * log(10) * s("capability")
                 - s("demand_price_elasticity") * price_index, 0)
# Customers can spend at most the lab's share of the world's AI spending ceiling; as a share
# of the fleet's serving capacity, at this step's price (the open loop has no such ceiling).
_spend = s("world_gdp") * s("ai_spending_ceiling") * s("lab_supply_share")
_budget_share = _spend * s("tokens_per_million") / (price * s("tokens_per_gpu_year") * fleet)
_ceiling = Piecewise((log(_budget_share), curve), (0, True))
# Demand in GPUs over the fleet, capped at 1 in log space (demand itself may be astronomic).
demand_share = row("inference_demand_share", Piecewise(
    (0, (base_inference <= 0) | (_budget_share <= 0)),
    (exp(Min(0, log_demand + log(base_inference / fleet), _ceiling)), True)))

# --- allocation ---------------------------------------------------------------------------
for use in USES:
    level = s(f"schedule_{use}_1")
    for k in range(2, len(SCHEDULE_STARTS) + 1):
        # half a step of slack: a year summed from month steps may land a hair short of 2025
        step_up = Piecewise((1, year + s("step_years") / 2 >= s(f"schedule_start_{k}")),
                            (0, True))
        level = level + (s(f"schedule_{use}_{k}") - s(f"schedule_{use}_{k - 1}")) * step_up
    row(f"scheduled_share_{use}", level)
sched_total = row("scheduled_share_total",
                  sympy.Add(*(s(f"scheduled_share_{u}") for u in USES)))


def _share(use: str, step, initial):
    """A share row: scheduled, or the optimiser's chosen path, or the policy's own `step`."""
    scheduled = s(f"scheduled_share_{use}") / sched_total
    chosen = (s(f"chosen_share_{use}"), choose("allocation_policy", 3))
    return row(f"share_{use}",
               Piecewise((scheduled, choose("allocation_policy", 1)), chosen, *step),
               Piecewise((scheduled, choose("allocation_policy", 1)), chosen, (initial, True)))


for use in ("training", "automation", "other"):
    _share(use, [(prev(f"share_{use}"), True)], s(f"share_{use}"))
_pool = prev("share_inference") + prev("share_research")
# Inference-first: demand is served from the research + inference pool, but research keeps its
# floor (the whole pool if the pool is smaller).
_kept = Min(s("research_floor"), _pool)
_share("inference", [(Min(demand_share, _pool - _kept), choose("allocation_policy", 2)),
                     (prev("share_inference"), True)], s("share_inference"))
_share("research", [(Max(_kept, _pool - demand_share), choose("allocation_policy", 2)),
                    (prev("share_research"), True)], s("share_research"))

# --- the fleet-year budget, per step --------------------------------------------------------
for use in USES:
    reuse(f"gpus_{use}")
    reuse(f"compute_{use}")
reuse("compute_total")
for use in USES:
    reuse(f"budget_{use}")
row("compute_cost", EQUATIONS["budget_total"])
owned = Piecewise((0, choose("cost_basis", 0)), (1, True))
row("depreciation", owned * fleet * s("capex_per_gpu_hour") * s("hours_per_year"))
# Tokens served are capacity capped by demand: GPUs beyond demand idle (and still cost), so the
# revenue flywheel cannot outrun the customers. At the first step demand equals capacity.
capacity = row("token_capacity", EQUATIONS["tokens_served"])
row("tokens_served", Piecewise((0, s("share_inference") <= 0),
                               (capacity * Min(1, demand_share / s("share_inference")), True)))
reuse("inference_revenue")
reuse("gross_margin")
