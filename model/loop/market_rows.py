"""Projection rows of the customers and the split: the token price (the frontier's, moved by the
lab's capability against the frontier, at most what the work is worth), the demand curve, the
allocation policies' targets and the bounded move towards them, the fleet-year budget per step,
and what the inference GPUs sell.
"""

from __future__ import annotations

import sympy
from sympy import Max, Min, Piecewise, exp, log

from model.core.equations import EQUATIONS
from model.core.fleet_inputs import USES
from model.core.loop_inputs import SCHEDULE_STARTS, prev

from .progress_rows import (  # (declares its rows first)
    ahead,
    frontier_path,
    in_market,
    start_software,
)
from .rows import choose, on, reuse, row, s

year, fleet, dt = s("year"), s("fleet_gpus"), s("step_length")
since = prev("step_length")
curve = on("demand_model")

# --- price: the frontier's price falls; the lab's moves with its place against the frontier --
# The base year's price is the observed one; after it, the price at the lab's base-year distance
# from the frontier falls at the frontier's pace.
_decline = s("frontier_price_decline") * s("fleet_year")
market = row("token_price_market", Piecewise(
    (prev("token_price_market") * exp(-s("frontier_price_decline") * since), curve),
    (prev("token_price_market"), True)),
    # the base year's price is its average: the start from which a price falling at the
    # frontier's pace averages token_price over the year, so each year's average is the last's
    # times exp(-frontier_price_decline), exactly
    Piecewise((s("token_price") * (1 + _decline / 2), curve & (_decline < 1e-6)),
              (s("token_price") * _decline / (1 - exp(-_decline)), curve),
              (s("token_price"), True)))
gap, software = s("capability_gap"), s("software_efficiency")
# A lab gaining on the frontier charges more, one falling behind less: what matters is the
# change in its gap since the base year, so keeping pace with the frontier earns nothing extra.
# The exponent stops at +-100 OOMs, so that a step's price path (its start times e^z, z up to
# the swing between the two bounds) stays within floating point.


def _premium(change):
    return Min(100, Max(-100, s("capability_price_elasticity") * change))


_gap0 = -s("software_gap")
_start = start_software
# The price moves within the step, so it is the step's average, exact for prices moving
# exponentially: the lab's software at the step's end as predicted at its start (its drive
# growing on at its last rate, under the ceiling and at least the diffusion floor); the
# frontier's at the historical rate.
_end_gap = ahead(dt) - frontier_path(year + dt)
# In a market of labs the frontier is the labs' own: the best gap among them (the lab's own or
# its best rival's, the rivals holding theirs to the exogenous path through the step), so
# progress every lab matches earns no premium, and a lab alone prices against the exogenous
# path. The frontier's move since the base year raises every price and demand alike: the
# frontier's price is the price of the frontier's capability (frontier_price_decline).
_rival = s("rival_capability_gap")


def _frontier_move(own):
    """OOMs the market's frontier has moved against the exogenous path since the base year,
    with the lab's own gap `own` (0 for a lab alone)."""
    return Piecewise((Max(own, _rival) - s("base_frontier_gap"), in_market), (0, True))


_start_change = gap - _gap0 - _frontier_move(gap)
_end_change = _end_gap - _gap0 - _frontier_move(_end_gap)
z = row("token_price_growth", Piecewise(
    (log(10) * (_premium(_end_change) - _premium(_start_change))
     - s("frontier_price_decline") * dt, curve), (0, True)), 0)
start = row("token_price_start", Piecewise((market * 10 ** _premium(_start_change), curve),
                                          (market, True)), s("token_price"))
end = start * exp(z)
_small = abs(z) < 1e-6  # (end - start) / z loses digits; the series is exact to z^2 there
mean = row("token_price_mean",
           Piecewise((start * (1 + z / 2), _small), ((end - start) / z, True)),
           s("token_price"))
# Competition: the price never falls below the floor where competitors would undercut; the
# step's average of max(price, floor), with the crossing inside the step integrated exactly.
# A lab whose observed base-year price was below the floor (selling under cost to win customers,
# as Anthropic's 2024 revenue at half its inference compute) keeps that discount.
_base_floor = ((1 + s("competitive_markup")) * s("gpu_rental_price") * s("hours_per_year")
               * s("tokens_per_million") / EQUATIONS["tokens_per_gpu_year"])
discount = row("floor_discount", prev("floor_discount"),
               Min(1, s("token_price") / _base_floor))
floor = row("token_price_floor", (1 + s("competitive_markup")) * s("serving_cost") * discount)
low, high = Min(start, end), Max(start, end)
crossing = floor + (high - floor - floor * log(high / floor)) / Max(abs(z), 1e-6)
_competed = Piecewise((mean, ~on("competition") | (low >= floor)),
                      (Max(mean, floor), (high <= floor) | _small), (crossing, True))
# No customer pays more than the work is worth to them, however capable the lab.
price = row("token_price_competitive", Min(s("token_value_cap"), _competed), s("token_price"))
price_index = row("log_price_index",
                  prev("log_price_index") + log(price / prev("token_price_competitive")), 0)

# --- demand: users and tokens per user raise it; the quality-adjusted price^-elasticity ------
base_inference = row("initial_inference_gpus", prev("initial_inference_gpus"),
                     s("fleet_gpus") * s("share_inference"))
# Users grow logistically to user_ceiling_multiple times the first step's (closed form); the
# open loop's demand (fixed-price) grows without a ceiling.
_h = s("user_ceiling_multiple")
_users = Piecewise(
    (log(_h / (1 + (_h - 1) * exp(-s("user_demand_growth") * s("mid_step_years")))), curve),
    (s("user_demand_growth") * s("mid_step_years"), True))
# Customers buy capability: a lab's price counts against what its models can do, so demand
# follows the quality-adjusted price, the price over 10^(capability_price_elasticity x the gain
# on the exogenous frontier path) (in a market, the frontier's price over its own gain on that
# path: the market grows as its frontier advances). A lab whose price falls with its gap keeps
# its customers at that price; one whose price cannot fall (the floor) while it falls behind
# loses them.
# The capability is the step's, as the price is the step's average: halfway (in premium) from
# the start's to the end's, so that a premium price that only follows the lab's gain on the
# frontier leaves the quality-adjusted price where keeping pace would.
adjusted = price_index - log(10) * (_premium(gap - _gap0) + _premium(_end_gap - _gap0)) / 2
# Tokens per user is what is left of the tokens' observed growth once users and the price effect
# at calibration_demand_elasticity are taken out: at another elasticity it is that much more or
# less, so the three still add up to the observed growth (the demand curve's; the fixed price's
# has no price effect to split).
_per_user = s("tokens_per_task_growth") + Piecewise(
    ((s("calibration_demand_elasticity") - s("demand_price_elasticity"))
     * s("calibration_price_decline"), curve), (0, True))
own = row("log_own_demand", _users + _per_user * s("mid_step_years")
          - s("demand_price_elasticity") * adjusted, 0)
# At the first step demand equals capacity (the observed base year, all of it sold).
base_tokens = row("demand_base_tokens", prev("demand_base_tokens"),
                  base_inference * s("tokens_per_gpu_year"))
# Demand is kept in logs because it may be astronomic; as tokens (the market sums them) it stops
# at 100 OOMs either side of the base year's, as the premium does, so that it stays finite.
_OOMS = 100 * log(10)
wanted = row("own_tokens_demanded", base_tokens * exp(Max(-_OOMS, Min(_OOMS, own))))
# In a market of labs customers choose by a logit in software efficiency gained since the base
# year, each lab's own demand at the step its weight (model.market): labs that keep pace with
# each other keep their own demand curves, each growing as its own sourced adoption did, so
# matching the others earns nothing extra (with the base year's tokens as weights, a lab whose
# own demand grew faster than the others' lost customers to them while keeping pace). The other
# labs' odds and demand are the market's paths, the lab's own odds are this step's, so a lab
# choosing its research sees the customers its software wins from the others. A lab alone has
# no others: factor 1.
odds = row("customer_odds", wanted * exp(Max(-_OOMS, Min(
    _OOMS, s("quality_sensitivity") * (software - _start)))))
_market_share = odds / (odds + s("rival_odds"))
_wanted_all = wanted + s("rival_demand")
_won = _market_share * _wanted_all + s("spilled_demand")  # the tokens its customers want
_factor = _won / wanted
# within 1e-12..1e12: a logit share that underflows to 0 must not put log(0) into the demand
factor = row("customer_share_factor", Piecewise(
    (1, wanted <= 0), (Min(1e12, Max(1e-12, _factor)), True)), 1)
log_demand = row("log_inference_demand", own + log(factor), 0)
# Customers can spend at most the lab's share of the world's AI spending ceiling; as a share
# of the fleet's serving capacity, at this step's price (the open loop has no such ceiling). A lab
# alone has its share of the world's chips; in a market, its share of the tokens customers want,
# so that the labs' ceilings sum to the world's (the chip share times the customer factor summed
# to 2.6 of it in the ten-year AI 2027 market).
_customers = Piecewise((s("lab_supply_share"), s("rival_odds") <= 0), (0, _wanted_all <= 0),
                       (Min(1, _won / _wanted_all), True))
_gdp = row("world_gdp", s("world_gdp_base_year") * exp(s("world_gdp_growth")
                                                      * s("mid_step_years")))
_spend = _gdp * s("ai_spending_ceiling") * _customers
_budget_share = _spend * s("tokens_per_million") / (price * s("tokens_per_gpu_year") * fleet)
_ceiling = Piecewise((log(_budget_share), curve), (0, True))
# Demand in GPUs over the fleet, capped at 1 in log space (demand itself may be astronomic).
# Tokens demanded become GPUs at this step's tokens per GPU (inference gets more efficient).
_none = (base_inference <= 0) | (_budget_share <= 0)
_log_share = Min(log_demand + log(base_inference / fleet)
                 - s("serving_efficiency_growth") * s("mid_step_years"), _ceiling)
demand_share = row("inference_demand_share", Piecewise((0, _none), (exp(Min(0, _log_share)),
                                                                     True)))

# --- allocation: each policy's target, and a bounded move towards it ------------------------
# The base year's split is data: the fixed policy keeps it, and the others move from it.
base_share = {u: row(f"base_share_{u}", prev(f"base_share_{u}"), s(f"share_{u}")) for u in USES}
for use in USES:
    level = s(f"schedule_{use}_1")
    for k in range(2, len(SCHEDULE_STARTS) + 1):
        # half a step of slack: a year summed from month steps may land a hair short of 2025
        step_up = Piecewise((1, year + dt / 2 >= s(f"schedule_start_{k}")), (0, True))
        level = level + (s(f"schedule_{use}_{k}") - s(f"schedule_{use}_{k - 1}")) * step_up
    row(f"scheduled_share_{use}", level)
sched_total = row("scheduled_share_total",
                  sympy.Add(*(s(f"scheduled_share_{u}") for u in USES)))
# The schedule moves a lab's own base-year split by the schedule's changes since the base year
# (the AI 2027 lab's own split is the schedule's, so it follows the schedule exactly): a rise by
# the schedule's points, a fall in proportion (training 40% to 20% halves a lab's 5%, where
# taking 20 points stopped every lab but the AI 2027 lab training in 2027), so no use falls
# below 0 and a use the base year has none of still starts.
for use in USES:
    now = s(f"scheduled_share_{use}") / sched_total
    base = row(f"base_scheduled_share_{use}", prev(f"base_scheduled_share_{use}"), now)
    _fall = Piecewise((base_share[use] / base, base > 0), (0, True))
    row(f"scheduled_target_{use}", Max(0, base_share[use] + (now - base) * Piecewise(
        (_fall, now < base), (1, True))))
sched_sum = row("scheduled_target_total",
                sympy.Add(*(s(f"scheduled_target_{u}") for u in USES)))
# Inference-first: customers come first. Inference grows to serve demand out of the research +
# inference pool (never below the base year's share: a lab that prioritises customers does not
# shrink serving when demand lags), and research gets the rest, never below its floor (the
# whole pool if the pool is smaller; no more than the base year's research).
_pool = prev("share_inference") + prev("share_research")
_kept = Min(s("research_floor"), base_share["research"], _pool)
_serve = Min(_pool - _kept, Max(base_share["inference"], demand_share))
_first = {"inference": _serve, "research": _pool - _serve}
# The value-maximising lab never aims for serving capacity its customers would leave idle: what
# it chose for inference beyond demand goes to experiments (all of it unless the optimiser keeps
# an assumed policy's path exactly: more research is not always worth more).
_idle = s("chosen_idle_inference_to_research") * Max(0, s("chosen_share_inference") - demand_share)
_chosen = {"inference": s("chosen_share_inference") - _idle,
           "research": s("chosen_share_research") + _idle}
targets = {}
for use in USES:
    targets[use] = row(f"target_share_{use}", Piecewise(
        (s(f"scheduled_target_{use}") / sched_sum, choose("allocation_policy", 1)),
        (_first.get(use, base_share[use]), choose("allocation_policy", 2)),
        (_chosen.get(use, s(f"chosen_share_{use}")), choose("allocation_policy", 3)),
        (base_share[use], True)), s(f"share_{use}"))
# One fraction for every use keeps the shares summing to 1 and each between 0 and 1; it is the
# largest that moves no share faster than split_adjustment_rate a year. A share is the step's
# average, so the time it may move over is from the last step's middle to this one's.
_furthest = Max(*(abs(targets[u] - prev(f"share_{u}")) for u in USES))
_between = (since + dt) / 2
move = row("split_adjustment", Piecewise(
    (1, _furthest <= 1e-12),
    (Min(1, s("split_adjustment_rate") * _between / _furthest), True)), 0)
for use in USES:
    row(f"share_{use}", prev(f"share_{use}") + move * (targets[use] - prev(f"share_{use}")),
        s(f"share_{use}"))

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
# Every token served needs compute: tokens served are capacity capped by demand (GPUs beyond
# demand idle and still cost), and no inference GPUs serve no tokens. At the first step demand
# equals capacity.
capacity = row("token_capacity", EQUATIONS["tokens_served"])
# Where customers want more than the inference GPUs serve at the competitive price, the price
# rises until they want no more (scarcity), up to what customers pay to be served first, what the
# work is worth and what customers can spend; the quantity sold is then the capacity.
_inference = s("share_inference")
_excess = Piecewise((0, _none | (_inference <= 0)), (Max(0, _log_share - log(_inference)), True))
_scarcity = exp(_excess / Max(s("demand_price_elasticity"), 0.01))
_spendable = Piecewise((_spend * s("tokens_per_million") / capacity, curve),
                       (s("token_value_cap"), True))
row("token_price", Piecewise(
    (Min(s("token_value_cap"), Max(price, Min(price * _scarcity,
                                              price * s("scarcity_price_cap"), _spendable))),
     on("pricing") & (capacity > 0)), (price, True)), s("token_price"))
row("tokens_served", Piecewise((0, _inference <= 0),
                               (capacity * Min(1, demand_share / _inference), True)))
reuse("inference_revenue")
reuse("gross_margin")
