"""Projection rows of the money at the end of a step: cash from operations, revenue as investors
see it (which sets the next step's financing), capex, what binds, and the finance view (free cash
flow, cumulative cash, NPV with a terminal value, payback).
"""

from __future__ import annotations

from sympy import And, Eq, Max, Min, Piecewise, exp, log

from model.core.loop_inputs import prev

from . import market_rows  # noqa: F401 - its rows come first
from .rows import choose, on, row, s

fleet, revenue, dt = s("fleet_gpus"), s("inference_revenue"), s("step_length")
hardware_price, year = s("hardware_price"), s("year")
owned = Piecewise((0, choose("cost_basis", 0)), (1, True))
cash_costs = s("compute_cost") - s("depreciation")  # rent, or energy when owned

ocf = row("operating_cash_flow", revenue - cash_costs)
# Investors see revenue's growth over the last year and the last year's revenue. Growth this
# step is the log ratio of this step's revenue to the last one's over the time between their
# middles (exact for steady exponential growth at any step length), within a tenfold a year
# either way; investors average it over a year (exponentially), so one step's dip does not
# stop the money. That growth is centred at the step's start, a step before the next step reads
# the average, so the average runs on through the step as the last two steps' growth does (the
# exact average of a growth changing linearly): it trails a steadily changing growth by a year,
# and forgets its start at e^-1 a year, at any step length. Averaged from the step's start
# alone it trailed by a year and half a step, and in the market of labs OpenAI raised 6-10%
# more in 2028-29 at quarterly steps than at monthly ones; weighing each step step / year
# instead, it forgot its start faster at longer steps (Anthropic's tenfold 2024 growth read
# 1.30 a year over 2025 at quarterly steps, 1.55 at monthly ones).
# The last year's revenue, ending at the step's end, rolls on from the base year's observed
# one: it gains this step's revenue and loses what the year before earned, which at growth g is
# the window's revenue times g / (e^g - 1) (exact for steady exponential growth, and relaxing
# to a flat revenue in a year), integrated exactly over a step whose revenue grows at g.
# Written from the growth alone (revenue x its share of the window) it would restart from the
# step's revenue, forgetting a base year the step does not continue.
_tenfold = log(10) / s("fleet_year")
_between = (prev("step_length") + dt) / 2
_now = row("revenue_growth_step", Piecewise(
    (-_tenfold, (revenue <= 0) | (prev("inference_revenue") <= 0)),
    (Max(-_tenfold, Min(_tenfold, log(revenue / prev("inference_revenue")) / _between)), True)),
    s("base_revenue_growth"))
_kept_share = exp(-dt / s("fleet_year"))
# (none from the base year's growth, observed over a year rather than between two steps)
_slope = Piecewise((0, Eq(prev("elapsed_years"), 0)),
                   ((_now - prev("revenue_growth_step")) / _between, True))
_averaged = (prev("revenue_growth") * _kept_share + _now * (1 - _kept_share)
             + _slope * (dt - s("fleet_year") * (1 - _kept_share)))
growth = row("revenue_growth", Max(-_tenfold, Min(_tenfold, _averaged)),
             s("base_revenue_growth"))
_g, _h = growth * s("fleet_year"), dt / s("fleet_year")
_flat = abs(_g) < 1e-6
_leaving = Piecewise((1, _flat), (_g / (exp(_g) - 1), True))  # a year's, over the window's
_kept = exp(-_leaving * _h)
# this step's revenue (its average) enters as a path growing at g through the step
_gained = Piecewise((1 - _kept, _flat), (
    _g * _h * (exp(_g * _h) - _kept) / ((exp(_g * _h) - 1) * (_g + _leaving)), True))
row("trailing_revenue", prev("trailing_revenue") * _kept + revenue * _gained, revenue)
# An owner pays for GPUs as it buys them (at the step's price); a renter pays rent, already in
# compute_cost, so it has no capex.
bought, affordable = s("gpus_purchased"), s("gpus_affordable")
capex = row("capex", owned * bought * hardware_price / dt)
# Written from the GPUs not added (not capital - capex), so it is exactly 0 when nothing binds;
# a renter's are priced at a year's rent.
_unit_cost = Piecewise((s("gpu_rental_price") * s("hours_per_year"), choose("cost_basis", 0)),
                       (hardware_price / dt, True))
supply_on = on("supply_limit")
row("unspent_capex", Piecewise((Max(0, affordable - s("gpus_purchasable")) * _unit_cost,
                                supply_on), (0, True)), 0)  # the base year buys nothing
row("binding_constraint", Piecewise(
    # (a share that has just caught up with demand equals it only to the last bit)
    (3, s("inference_demand_share") < s("share_inference") * (1 - 1e-9)),
    (1, And(supply_on, s("gpus_purchasable") < affordable)),
    (2, on("capital_limit")), (0, True)), 0)  # the base year is observed: nothing binds it

fcf = row("free_cash_flow", ocf - capex)
outlay = owned * fleet * hardware_price
cash = row("cumulative_cash", prev("cumulative_cash") + fcf * dt, fcf * dt - outlay)
# Flows are discounted at the middle of their step, so a year of months and a year discount
# alike.
rate = s("discount_rate")
discount = row("discount_factor",
               (1 + rate) ** (-(s("elapsed_years") + dt / 2) / s("fleet_year")))
npv_to_date = row("npv_to_date", prev("npv_to_date") + fcf * dt * discount,
                  fcf * dt * discount - outlay)
# Gordon growth on the last year's free cash flow (its exponential average over a year, which
# steps of any length agree on) from the step's end on, discounted to the start.
_year_weight = 1 - exp(-dt / s("fleet_year"))
last_year = row("trailing_free_cash_flow",
                prev("trailing_free_cash_flow") * (1 - _year_weight) + fcf * _year_weight, fcf)
growth = s("terminal_growth")
_end = (1 + rate) ** (-(s("elapsed_years") + dt) / s("fleet_year"))
# Never below 0: a lab whose last year lost money would stop the losses (exit) rather than
# suffer them for ever.
terminal = row("terminal_value", Piecewise(
    (Max(0, last_year) * s("fleet_year") * (1 + growth) / (rate - growth) * _end,
     on("terminal_model")), (0, True)))
row("npv", npv_to_date + terminal)
row("payback_year",
    Piecewise((year, And(cash >= 0, Eq(prev("payback_year"), 0))), (prev("payback_year"), True)),
    Piecewise((year, cash >= 0), (0, True)))
