"""Projection rows of the fleet and the chips, at the start of a step: time, hardware prices and
rent, the world's accelerator stock and what the lab may add of it, the money for new compute
(from the last step's figures) and the fleet itself.

The base year is data: its fleet is the observed one, its step is a year at every step length,
and nothing is added or retired in it. Later steps add and retire GPUs through the step, so the
fleet in service during a step is the stock at its start plus half the step's net additions.
"""

from __future__ import annotations

from sympy import Eq, Max, Min, Piecewise, exp, log

from model.core.compiled import expand
from model.core.equations import EQUATIONS
from model.core.loop_inputs import prev

from .rows import choose, growth_mean, on, reuse, row, s

BASE = expand(EQUATIONS)  # the fleet-year equations over inputs: the base year's figures

year = row("year", prev("year") + prev("step_length"), s("start_year"))
dt = row("step_length", s("step_years"), s("fleet_year"))
since = prev("step_length")  # time from the last step's start to this one's
elapsed = row("elapsed_years", year - s("start_year"))
# The step after the base year: the first whose rows the lab's own last step moves.
after_base = Eq(prev("elapsed_years"), 0)
# Prices and rates are the step's: read at its middle (exact to second order for exponential
# paths), so a year's figure is the year's average at every step length; the base year's
# (observed averages) sit at its middle.
between = (since + dt) / 2  # from the last step's middle to this one's
middle = row("mid_step_years", elapsed + dt / 2 - s("fleet_year") / 2, 0)
# In a market of labs the chip price index moves both (chip_price_change: 1 for a lab alone).
gpu_capex = row("gpu_capex", prev("gpu_capex") * exp(-s("price_performance_growth") * between)
                * s("chip_price_change"), s("gpu_capex"))
rent = row("gpu_rental_price", prev("gpu_rental_price")
           * exp(-s("rental_price_decline") * between) * s("chip_price_change"),
           s("gpu_rental_price"))
hardware_price = row("hardware_price", gpu_capex * s("cluster_capex_multiplier"))


def world_stock(when):
    """Logistic stock of accelerators at calendar time `when` (closed form: no step error);
    the anchor is the stock at the end of world_anchor_year."""
    ceiling, anchor = s("world_gpus_ceiling"), s("world_gpus_anchor")
    return ceiling / (1 + (ceiling / anchor - 1)
                      * exp(-s("world_gpu_growth")
                            * (when - s("world_anchor_year") - s("fleet_year"))))


def world_stock_years(start, end):
    """GPU-years of the logistic stock between calendar times `start` and `end`: its integral,
    in closed form, so what retires from it through a step is counted whatever the step."""
    ceiling, anchor, growth = s("world_gpus_ceiling"), s("world_gpus_anchor"), s("world_gpu_growth")
    k = ceiling / anchor - 1
    t0, t1 = (start - s("world_anchor_year") - s("fleet_year"),
              end - s("world_anchor_year") - s("fleet_year"))
    return Piecewise((anchor * (end - start), growth <= 0), (ceiling / growth * log(
        (exp(growth * t1) + k) / (exp(growth * t0) + k)), True))


_lives = 1 - exp(-dt / s("depreciation_life"))  # share of a stock retired over the step
# Share of a step's purchases, spread evenly through it, still in service at its end: they
# retire from the day they arrive, as the stock does (L/dt (1 - e^(-dt/L)), 1 for short steps).
_phi = s("depreciation_life") / dt * _lives
world = row("world_gpus", world_stock(year + dt))
# The stock's growth plus what retires from it as it stands through the step (not at its start:
# quarterly steps then made 1.6% fewer chips a year than monthly ones).
production = row("world_gpu_production", world - world_stock(year)
                 + world_stock_years(year, year + dt) / s("depreciation_life"))
# (market_supply_share: the chip market's ration in a market of labs, lab_supply_share alone)
purchasable = row("gpus_purchasable", s("market_supply_share") * production)

for name in ("capex_per_gpu_hour", "energy_per_gpu_hour", "owned_cost_per_gpu_hour",
             "cost_per_gpu_hour"):
    reuse(name)
# Inference gets more efficient for a given capability, at the rate the frontier's serving cost
# falls beyond the rent's.
row("tokens_per_gpu_year", EQUATIONS["tokens_per_gpu_year"]
    * exp(s("serving_efficiency_growth") * middle))
# What competitors pay to serve a million tokens: renting the GPUs at the market rent.
row("serving_cost", rent * s("hours_per_year") * s("tokens_per_million")
    / s("tokens_per_gpu_year"))

# --- money for new compute, from the last step's figures (the base year's for the first) ---
rented = choose("cost_basis", 0)
# Investors pay less per dollar of revenue as a lab grows (mega-caps trade at 4-28x sales, labs
# at 40-80x): the base year's multiple compresses with scale, down to a floor.
_paid = s("revenue_multiple")
_base_revenue = row("multiple_base_revenue", prev("multiple_base_revenue"),
                    BASE["inference_revenue"])
# A lab with no base-year revenue (a parent's budget) was never priced on revenue: no scale.
_scale = Piecewise((1, Eq(_base_revenue, 0)), (prev("trailing_revenue") / _base_revenue, True))
_scaled = row("financing_multiple", Min(_paid, Max(
    s("revenue_multiple_floor"), _paid * _scale ** -s("multiple_scale_elasticity"))), _paid)
_multiple = s("raise_rate") * _scaled * s("fleet_year")  # x revenue: a year of it


def _growth_factor(growth):
    """Financing's response to revenue growth: valuations rise about linearly with growth, so
    (1 + g) / (1 + g_ref) (1 at the reference growth, 0.46 for flat revenue, 0 when revenue
    falls by an e-fold a year), at most financing_growth_cap."""
    year = s("fleet_year")
    return Min(s("financing_growth_cap"),
               Max(0, (1 + growth * year) / (1 + s("reference_revenue_growth") * year)))


# Growth for financing_growth_years, flat after (exact per step: no step-length error).
_grown = Min(elapsed, s("financing_growth_years")) - Min(
    Max(0, elapsed - since), s("financing_growth_years"))
financing = row("external_financing", Piecewise(
    (_multiple * prev("trailing_revenue") * _growth_factor(prev("revenue_growth")),
     choose("financing_model", 0)),
    (prev("external_financing") * exp(s("financing_growth") * _grown), True)), Piecewise(
    (_multiple * BASE["inference_revenue"] * _growth_factor(s("base_revenue_growth")),
     choose("financing_model", 0)),
    (s("external_financing"), True)))
investment = row("external_investment",
                 prev("external_investment") * exp(s("investment_growth") * since),
                 s("investment_rate") * s("fleet_gpus") * hardware_price)
# A renter's compute is all rent, paid from revenue; an owner reinvests operating cash.
_base_cash = BASE["inference_revenue"] - Piecewise(
    (BASE["budget_total"], rented),
    (s("fleet_gpus") * BASE["energy_per_gpu_hour"] * s("hours_per_year"), True))
_reinvested = s("reinvestment_rate") * Piecewise(
    (prev("inference_revenue"), rented), (Max(0, prev("operating_cash_flow")), True))
_base_reinvested = s("reinvestment_rate") * Piecewise(
    (BASE["inference_revenue"], rented), (Max(0, _base_cash), True))
# In a market of labs the one capital market may ration what investors offer
# (model.market.engine); alone, financing_share is 1 and the lab raises all of it.
raised = row("financing_raised", financing * s("financing_share"))
capital = row("capital_available", Piecewise(
    (raised + _reinvested, on("capital_limit")),
    (investment + s("reinvestment_rate") * prev("inference_revenue"), True)), Piecewise(
    (raised + _base_reinvested, on("capital_limit")),
    (investment + s("reinvestment_rate") * BASE["inference_revenue"], True)))

# --- the fleet: retired and added through the step (none in the base year) ---
start = prev("fleet_stock")
# Money raised on revenue keeps growing through the step at the capital's own last growth
# (clamped to a tenfold a year either way), so a year-long step and twelve monthly ones raise
# alike. Not the revenue's: the multiple compresses as revenue grows and the premium for growth
# fades: capital grew at about a third of revenue's pace, and a capital-bound owner's NPV (the
# AI 2027 lab, status-quo) came 6.4% apart at quarterly and monthly steps (2.2% now). The first
# step has no last growth of its own: the revenue's less the multiple's compression.
_tenfold = log(10) / s("fleet_year")
_realised = Piecewise((0, (capital <= 0) | (prev("capital_available") <= 0)),
                      (log(capital / prev("capital_available")) / since, True))
_trend = row("financing_trend", Piecewise(
    (Min(_tenfold, Max(-_tenfold, Piecewise(
        (prev("revenue_growth") * (1 - s("multiple_scale_elasticity")), after_base),
        (_realised, True)))),
     choose("financing_model", 0) & on("capital_limit")), (0, True)), 0)
_x = _trend * dt
_mean = growth_mean(_x)
# An owner buys through the step (at the step's price, its middle's); a renter takes on the
# stock whose rent a year's capital at the step's middle pays (gpus_rentable), contracting
# 1/_phi times the gap since its new GPUs retire through the step too (in the open loop it
# buys, as that model did).
_hours = s("hours_per_year")
_renting = rented & on("capital_limit")
target = row("gpus_rentable", Piecewise((capital * exp(_x / 2) / (rent * _hours), _renting),
                                        (0, True)),
             Piecewise((capital / (rent * _hours), _renting), (0, True)))
_kept = start * (1 - _lives)
_gap = target - _kept
affordable = row("gpus_affordable", Piecewise(
    (Max(0, _gap) / _phi, _renting), (capital * dt * _mean / hardware_price, True)),
    Piecewise((Max(0, target - s("fleet_gpus")) / _phi, _renting),
              (capital * dt / hardware_price, True)))
# What the lab asks a market of labs' chip supply for this step (a lab alone buys at most its
# supply share and never bids). An owner's capital buys through the step, a flow as production
# is. A renter closes the gap between its stock and the target at the rate gap / lead time, as
# far as the market lets it: rationed to 1 / chip_shortage of what it asks, it closes the gap
# at the lead time times the shortage. Over the step that is the exact solution of
# dS/dt = (T - S) / (lead x shortage) with the target T moving linearly through its value at
# the step's middle, so a shortage clears at the same gap at any step length; it bids the
# shortage times that (what it asks at gap / lead time, integrated over the step). Bid its
# whole gap against a step's production, the first quarter of 2026 rented at $3.26 an hour
# at quarterly steps and $4.12 at monthly ones; bid 1 - e^(-step / lead time) of the gap, the
# fleets of the owners under inference first still came 15-17% apart.
_short = s("chip_shortage")
_lead = s("deployment_lead_time") * _short
_a = dt / Max(_lead, 1e-9 * s("fleet_year"))
_e = exp(-_a)
_slope = (target - prev("gpus_rentable")) / between  # the target's growth, GPU/year
_closing = (1 - _e) * _gap + _slope * dt * ((1 + _e) / 2 - (1 - _e) / _a)
_wanted = Piecewise((affordable, _lead <= 0), (Max(0, Min(_gap, _closing)) / _phi, True))
row("gpus_bid", Piecewise((_short * _wanted, _renting), (affordable, True)), affordable)
bought = row("gpus_purchased", Piecewise((Min(affordable, purchasable), on("supply_limit")),
                                         (affordable, True)), 0)
retired = row("gpus_retired", start - _kept + bought * (1 - _phi), 0)
row("fleet_stock", _kept + bought * _phi, s("fleet_gpus"))
row("fleet_gpus", start + (bought - retired) / 2, s("fleet_gpus"))
