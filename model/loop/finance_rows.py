"""Projection rows of the money: cash from operations, capital, purchases within the chip
supply, and the finance view (free cash flow, cumulative cash, NPV, payback).
"""

from __future__ import annotations

from sympy import And, Eq, Max, Min, Piecewise, exp

from model.core.loop_inputs import prev

from . import market_rows  # noqa: F401 - its rows come first
from .rows import choose, on, row, s

fleet, revenue, dt = s("fleet_gpus"), s("inference_revenue"), s("step_years")
hardware_price, year = s("hardware_price"), s("year")
owned = Piecewise((0, choose("cost_basis", 0)), (1, True))
cash_costs = s("compute_cost") - s("depreciation")  # rent, or energy when owned

ocf = row("operating_cash_flow", revenue - cash_costs)
# Growth for financing_growth_years, flat after (exact per step: no step-length error).
_grown = Min(s("elapsed_years"), s("financing_growth_years")) - Min(
    Max(0, s("elapsed_years") - dt), s("financing_growth_years"))
financing = row("external_financing",
                prev("external_financing") * exp(s("financing_growth") * _grown),
                s("external_financing"))
investment = row("external_investment",
                 prev("external_investment") * exp(s("investment_growth") * dt),
                 s("investment_rate") * fleet * hardware_price)
capital = row("capital_available", Piecewise(
    (financing + s("reinvestment_rate") * Max(0, ocf), on("capital_limit")),
    (investment + s("reinvestment_rate") * revenue, True)))
# Bought through the step as prices fall: at the mid-point price (second order in the step).
affordable = row("gpus_affordable", capital * dt * exp(s("price_performance_growth") * dt / 2)
                 / hardware_price)
purchasable = s("gpus_purchasable")
supply_on = on("supply_limit")
bought = row("gpus_purchased", Piecewise((Min(affordable, purchasable), supply_on),
                                         (affordable, True)))
capex = row("capex", bought * hardware_price * exp(-s("price_performance_growth") * dt / 2) / dt)
# Written from the GPUs not bought (not capital - capex), so it is exactly 0 when nothing binds.
row("unspent_capex", Piecewise((Max(0, affordable - purchasable) * hardware_price
                                * exp(-s("price_performance_growth") * dt / 2) / dt,
                                supply_on), (0, True)))
# binding_constraint's codes 0..3, in words (the CLI table, the page and the workbook say these).
BINDING_CONSTRAINTS = ("none", "chip supply", "capital", "customers")
row("binding_constraint", Piecewise(
    (3, s("inference_demand_share") < s("share_inference")),
    (1, And(supply_on, purchasable < affordable)),
    (2, on("capital_limit")), (0, True)))

# A renter pays for added GPUs as rent (in compute_cost), not up front: counting capex too
# would charge rented fleets twice.
fcf = row("free_cash_flow", ocf - owned * capex)
outlay = owned * fleet * hardware_price
cash = row("cumulative_cash", prev("cumulative_cash") + fcf * dt, fcf * dt - outlay)
discount = row("discount_factor",
               (1 + s("discount_rate")) ** (-s("elapsed_years") / s("fleet_year")))
row("npv_to_date", prev("npv_to_date") + fcf * dt * discount, fcf * dt * discount - outlay)
row("payback_year",
    Piecewise((year, And(cash >= 0, Eq(prev("payback_year"), 0))), (prev("payback_year"), True)),
    Piecewise((year, cash >= 0), (0, True)))
