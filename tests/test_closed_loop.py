"""The closed loop: chip supply, capital, customers and the software ceiling, by hand arithmetic
on a small fleet, each part switchable back to the open loop, and its promises for every preset
and scenario at defaults.

The hand arithmetic follows the documented economics, not the rows' expressions. Where a step's
figure depends on the last step's (revenue, the drive of software progress), the last step's
value is read from the projection and this step's formula is worked by hand from it.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hand import rolled
from scipy.integrate import quad

from model.core.catalogue import CATALOGUE
from model.core.presets import PRESETS
from model.loop.convergence import TOLERANCE, agreement, convergence_table, markdown
from model.loop.projection import STEPS, project, steps_for
from model.loop.scenarios import OPEN_LOOP, SCENARIOS, scenario_settings

LN10 = math.log(10)
HISTORICAL = math.log(2) / (8 / 12)  # software progress at the frontier's inputs, e-folds a year
BETA = 0.7 / 1.2  # ideas getting harder: lambda / r at the catalogue's defaults
USES = ("training", "research", "automation", "inference", "other")
SMALL = {
    "fleet_gpus": 1000, "share_training": 0.5, "share_research": 0.25, "share_automation": 0,
    "share_inference": 0.25, "share_other": 0, "cost_basis": "rented", "gpu_rental_price": 2,
    "gpu_capex": 20_000, "cluster_capex_multiplier": 1.5, "depreciation_life": 4,
    "price_performance_growth": 0.2, "rental_price_decline": 0.1, "token_price": 1,
    "serving_active_params": 1e9, "inference_flops_per_param_token": 2, "gpu_peak_flops": 1e15,
    "util_inference": 0.5, "util_research": 0.4, "discount_rate": 0.1,
    "reinvestment_rate": 0.5, "terminal_growth": 0.03, "serving_efficiency_growth": 0.2,
    # the lab's research is the frontier's reference: its research output starts at 1
    "frontier_research_compute": 250 * 1e15 * 0.4 * 3600 * 8760, "frontier_research_staff": 100,
    "research_staff": 100, "researcher_growth": 0.5, "software_gap": 0,
    # the closed loop's parts, at round values
    "world_gpus_anchor": 1e6, "world_anchor_year": 2024, "world_gpu_growth": math.log(2),
    "world_gpus_ceiling": 1e7, "lab_supply_share": 0.001, "financing_model": "parent",
    "external_financing": 1e7, "financing_growth": 0, "frontier_price_decline": math.log(2),
    "capability_price_elasticity": 1, "demand_price_elasticity": 1.5,
    "user_ceiling_multiple": 10, "user_demand_growth": 0.3, "competitive_markup": 1,
    "software_ceiling": 2,
    # tokens per task grow e^0.3 a year: the input is the trend at the calibration's elasticity
    # (1.11), which demand moves to the 1.5 set here by (1.11 - 1.5) x ln 6 / 2.40 a year
    "tokens_per_task_growth": 0.3 + (1.5 - 1.11) * math.log(6) / 2.40,
}
TOKENS_PER_GPU = 1e15 * 0.5 * 3600 * 8760 / (2 * 1e9)  # 7.884e12 token/GPU/year
SERVING = 2 * 8760 * 1e6 / TOKENS_PER_GPU  # the base year's serving cost, USD per M tokens
REVENUE = 250 * TOKENS_PER_GPU * 1 / 1e6  # the base year's, at $1 per M tokens: $1.971B


def near(value, rel=1e-9):
    """Hand arithmetic agrees with the model to about float precision (a chain of exp and log
    over a few steps loses a few ulps, never 1e-9)."""
    return pytest.approx(value, rel=rel, abs=1e-12)


def small(years=2, step="year", **more):
    return project(scenario_settings(None, "status-quo", overrides={**SMALL, **more}),
                   years=years, step=step)


def world(when: float, anchor_year: float = 2024) -> float:
    """The world's stock at calendar time `when`: 1e6 at the end of `anchor_year`, doubling a
    year while far below the 1e7 ceiling (logistic, in closed form)."""
    return 1e7 / (1 + 9 * math.exp(-math.log(2) * (when - anchor_year - 1)))


def under_ceiling(software: float, drive: float, years: float = 1.0) -> float:
    """Software efficiency `years` on at `drive` (e-folds a year) under SMALL's 2-OOM ceiling,
    whose penalty 1 - S/2 is integrated exactly: 2 - (2 - S) exp(-drive t / (2 ln 10))."""
    return 2 - (2 - software) * math.exp(-drive * years / (2 * LN10))


def frontier(when: float) -> float:
    """The frontier's software efficiency (OOMs above its 2024 level) at `when`: the historical
    rate from 2024 on, under the ceiling."""
    return under_ceiling(0, HISTORICAL, when - 2024)


# The frontier's price at the start of 2025: the base year averages $1 falling ln 2 a year, so
# it starts at ln 2 / (1 - 1/2) and halves to ln 2 by 2025's start; 2025 then averages $0.50.
START_2025 = math.log(2)


def averaged(start: float, growth: float) -> float:
    """Mean over a step of a price moving exponentially from `start` by `growth` e-folds."""
    return start * math.expm1(growth) / growth


# --- chip supply ------------------------------------------------------------------------------

@pytest.mark.parametrize("anchor_year", [2024, 2023])
def test_world_supply_by_hand(anchor_year):
    df = small(years=2, step="quarter", world_anchor_year=anchor_year)
    # the world's stock is the stock at each step's end, anchored at the end of the anchor year
    ends = [2025, 2025.25, 2025.5, 2025.75, 2026]
    for (_, r), end in zip(df.iterrows(), ends, strict=True):
        assert r["world_gpus"] == near(world(end, anchor_year))
    if anchor_year == 2024:
        assert df["world_gpus"].iloc[0] == near(1e6)
    # production over a step: the stock's growth plus the replacement of what retires, 1/life
    # a year of the stock as it stands through the step (integrated numerically here; the base
    # year a year, then a quarter)
    starts, lengths = [2024, 2025, 2025.25, 2025.5, 2025.75], [1, 0.25, 0.25, 0.25, 0.25]
    for (_, r), start, dt in zip(df.iterrows(), starts, lengths, strict=True):
        stock = world(start, anchor_year)
        gpu_years = quad(world, start, start + dt, args=(anchor_year,), epsabs=0, epsrel=1e-12)[0]
        made = world(start + dt, anchor_year) - stock + gpu_years / 4
        assert r["world_gpu_production"] == near(made)
        assert r["gpus_purchasable"] == near(0.001 * made)


def test_a_quarter_of_production_is_a_quarter_of_the_years_growth():
    # the stock is in closed form, so four quarters grow it as one year does
    year, quarter = small(years=2), small(years=2, step="quarter")
    assert quarter["world_gpus"].iloc[-1] == near(year["world_gpus"].iloc[-1])
    growth = quarter["world_gpus"].diff().iloc[1:].sum()
    assert growth == near(world(2026) - world(2025))


# --- capital and purchases --------------------------------------------------------------------

def _growth_factor(growth: float, reference: float = 1.0, cap: float = 2.0) -> float:
    """Financing's response to revenue growth: (1 + g) / (1 + g_ref), between 0 and the cap."""
    return min(cap, max(0.0, (1 + growth) / (1 + reference)))


def _revenue_multiple(growth=0.5, **more):
    """SMALL at $0.01 per M tokens on revenue-multiple financing: 10% a year of a valuation 65x
    the last year's revenue, grown `growth` a year in the base year against a reference of
    1.0 (0.5: 0.75 of it); quarters."""
    return small(years=2, step="quarter", financing_model="revenue-multiple",
                 base_revenue_growth=growth, reference_revenue_growth=1.0, token_price=0.01,
                 revenue_multiple=65, **more)


@pytest.mark.parametrize(("supply_share", "binds"), [(0.001, 1), (0.05, 2)])
@pytest.mark.parametrize("cost_basis", ["rented", "owned"])
def test_capital_and_purchases_on_revenue_by_hand(cost_basis, supply_share, binds):
    # tokens per task grow 1.5 e-folds a year, so customers want all the lab serves
    df = _revenue_multiple(cost_basis=cost_basis, lab_supply_share=supply_share,
                           tokens_per_task_growth=1.5)
    r0, r1, r2 = df.iloc[0], df.iloc[1], df.iloc[2]
    revenue = REVENUE / 100  # at $0.01 per M tokens
    assert r0["inference_revenue"] == near(revenue)
    financing = 0.1 * 65 * revenue * 0.75
    assert r0["external_financing"] == near(financing)
    # reinvested: a renter's revenue (its compute is all rent, paid from it); an owner's
    # operating cash (revenue less energy), never below 0
    energy = 1000 * r0["energy_per_gpu_hour"] * 8760
    cash = revenue if cost_basis == "rented" else max(0.0, revenue - energy)
    assert r0["capital_available"] == near(financing + 0.5 * cash)
    # the first quarter: the same last year's revenue and growth, so the same money, which
    # keeps growing through the quarter at the revenue's growth (0.5 a year) less the
    # multiple's compression (elasticity 0.36): 0.32 a year
    capital = financing + 0.5 * cash
    assert r1["external_financing"] == near(financing)
    assert r1["capital_available"] == near(capital)
    trend = 0.5 * (1 - 0.36)
    assert r1["financing_trend"] == near(trend)
    kept = 1000 * math.exp(-0.25 / 4)
    # of the quarter's additions, spread through it and retiring from the day they arrive,
    # L/dt (1 - e^(-dt/L)) are still in service at its end
    lasting = 4 / 0.25 * -math.expm1(-0.25 / 4)
    if cost_basis == "rented":
        # the stock whose year's rent the capital at the quarter's middle pays, less what it
        # keeps, contracted 1/lasting times over; the rent read at the quarter's middle, 0.625
        # years after the base year's
        rent = 2 * math.exp(-0.1 * 0.625)
        affordable = (capital * math.exp(trend * 0.125) / (rent * 8760) - kept) / lasting
        unit_cost = rent * 8760
    else:
        # a quarter's capital, growing through it (mean factor (e^x - 1) / x), at the
        # quarter's hardware price
        hardware = 30_000 * math.exp(-0.2 * 0.625)
        affordable = capital * 0.25 * math.expm1(trend * 0.25) / (trend * 0.25) / hardware
        unit_cost = hardware / 0.25
    assert r1["gpus_affordable"] == near(affordable)
    gpu_years = quad(world, 2025, 2025.25, epsabs=0, epsrel=1e-12)[0]
    made = world(2025.25) - 1e6 + gpu_years / 4
    purchasable = supply_share * made
    assert r1["gpus_purchasable"] == near(purchasable)
    assert r1["gpus_purchased"] == near(min(affordable, purchasable))
    assert (affordable > purchasable) == (binds == 1)
    assert r1["inference_demand_share"] > 0.25  # customers want all the lab serves
    assert r1["binding_constraint"] == binds
    assert r1["unspent_capex"] == near(max(0.0, affordable - purchasable) * unit_cost)
    bought = min(affordable, purchasable)
    assert r1["fleet_stock"] == near(kept + bought * lasting)
    assert r1["gpus_retired"] == near(1000 - kept + bought * (1 - lasting))
    assert r1["capex"] == near(0 if cost_basis == "rented"
                               else min(affordable, purchasable) * unit_cost)
    # the second quarter: revenue's growth, averaged over a year, and the last year's revenue,
    # from the first quarter's revenue (read from the projection); the first step runs no
    # slope on from the base year's growth
    revenue1 = r1["inference_revenue"]
    now = max(-LN10, min(LN10, math.log(revenue1 / revenue) / 0.625))  # middle to middle
    growth = 0.5 * math.exp(-0.25) + now * (1 - math.exp(-0.25))
    assert r1["revenue_growth"] == near(growth)
    # the last year's revenue rolls on over the quarter from the base year's (the window
    # loses its revenue x g / (e^g - 1) a year, what a year ago earned at growth g)
    trailing = rolled(revenue, revenue1, growth, 0.25)
    assert r1["trailing_revenue"] == near(trailing)
    # at a multiple compressed by the revenue's growth in scale: 65 x (trailing / base)^-0.36
    multiple = min(65.0, max(5.0, 65 * (trailing / revenue) ** -0.36))
    assert multiple < 65 * 0.99  # the revenue grew, so investors pay less for a dollar of it
    assert r2["financing_multiple"] == near(multiple)
    assert r2["external_financing"] == near(0.1 * multiple * trailing * _growth_factor(growth))
    cash1 = revenue1 if cost_basis == "rented" else max(0.0, r1["operating_cash_flow"])
    assert r2["capital_available"] == near(r2["external_financing"] + 0.5 * cash1)
    # from the second step on, the capital's own growth since the last step's start, within
    # tenfold a year (the renter's reinvested revenue jumps past it)
    assert r2["financing_trend"] == near(max(-LN10, min(LN10, math.log(
        r2["capital_available"] / r1["capital_available"]) / 0.25)))


@pytest.mark.parametrize("step", ["year", "quarter", "month"])
@pytest.mark.parametrize("growth", [0.0, 0.5, 2.0])
def test_the_last_years_revenue_rolls_on_exactly_at_steady_growth(step, growth):
    # trailing revenue T with dT/dt = R - phi(g) T: a revenue growing steadily at g keeps T at
    # the year's integral R (1 - e^-g) / g at every step length; check the roll on that path
    dt = STEPS[step]
    window = (-math.expm1(-growth) / growth) if growth else 1.0
    trailing, rate = window, 1.0
    for _ in range(round(3 / dt)):
        mean = rate * (math.expm1(growth * dt) / (growth * dt) if growth else 1.0)
        after = rolled(trailing, mean, growth, dt) if growth else trailing
        rate *= math.exp(growth * dt)
        trailing = rate * window
        assert after == near(trailing)


@pytest.mark.parametrize(("growth", "factor"), [
    (-1.5, 0.0),  # revenue falling by 1.5 e-folds a year: no one invests
    (0.5, 0.75),  # (1 + 0.5) / (1 + 1)
    (5.0, 2.0),  # (1 + 5) / 2 = 3, held at the cap: twice the multiple's money
])
def test_financing_follows_revenue_growth(growth, factor):
    df = _revenue_multiple(growth)
    assert _growth_factor(growth) == factor
    assert df["external_financing"].iloc[0] == near(0.1 * 65 * REVENUE / 100 * factor)
    # money keeps growing through the next step at the revenue's growth less the multiple's
    # compression (elasticity 0.36), within tenfold a year
    assert df["financing_trend"].iloc[1] == near(max(-LN10, min(LN10, growth * (1 - 0.36))))


@pytest.mark.parametrize("cost_basis", ["rented", "owned"])
def test_capital_on_a_parents_budget_by_hand(cost_basis):
    # a parent's budget grows 0.4 a year for two years from the base year's, then holds
    df = small(years=4, step="quarter", cost_basis=cost_basis, financing_growth=0.4,
               financing_growth_years=2, lab_supply_share=0.05, token_price=0.01)
    for _, r in df.iterrows():
        assert r["external_financing"] == near(1e7 * math.exp(0.4 * min(r["elapsed_years"], 2)))
        assert r["financing_trend"] == 0  # a parent's budget does not grow with revenue
    for t in range(1, len(df)):
        before, r = df.iloc[t - 1], df.iloc[t]
        cash = (before["inference_revenue"] if cost_basis == "rented"
                else max(0.0, before["operating_cash_flow"]))
        capital = r["external_financing"] + 0.5 * cash
        assert r["capital_available"] == near(capital)
        kept = before["fleet_stock"] * math.exp(-0.25 / 4)
        lasting = 4 / 0.25 * -math.expm1(-0.25 / 4)  # of the quarter's additions, at its end
        if cost_basis == "rented":
            affordable = max(0.0, capital / (r["gpu_rental_price"] * 8760) - kept) / lasting
        else:
            affordable = capital * 0.25 / r["hardware_price"]
        assert r["gpus_affordable"] == near(affordable)
        # what it would bid in a market of labs (no shortage alone): a renter, what it brings
        # into service within the quarter closing the gap to its target at 1 / (10 weeks) a
        # year, the target moving linearly through the quarter; an owner, all it can pay for
        if cost_basis == "rented":
            target = capital / (r["gpu_rental_price"] * 8760)  # the money does not grow
            assert r["gpus_rentable"] == near(target)
            between = 0.625 if t == 1 else 0.25  # from the last step's middle
            slope = (target - before["gpus_rentable"]) / between
            a = 0.25 / (10 / 52)
            closing = (-math.expm1(-a) * (target - kept) + slope * 0.25
                       * ((1 + math.exp(-a)) / 2 + math.expm1(-a) / a))
            bid = max(0.0, min(target - kept, closing)) / lasting
        else:
            bid = affordable
        assert r["gpus_bid"] == near(bid)
        assert r["gpus_purchased"] == near(min(affordable, r["gpus_purchasable"]))
        assert r["fleet_stock"] == near(kept + r["gpus_purchased"] * lasting)
        assert r["gpus_retired"] == near(before["fleet_stock"] - r["fleet_stock"]
                                         + r["gpus_purchased"])
        assert r["fleet_gpus"] == near(before["fleet_stock"]
                                       + (r["gpus_purchased"] - r["gpus_retired"]) / 2)


def test_a_renter_with_no_lead_time_bids_its_whole_gap():
    df = small(years=2, step="quarter", cost_basis="rented", deployment_lead_time=0,
               lab_supply_share=0.05, token_price=0.01)
    assert (df["gpus_bid"] == df["gpus_affordable"]).all()
    assert (df["gpus_affordable"].iloc[1:] > 0).any()


def test_a_renter_whose_capital_pays_for_less_than_it_keeps_adds_nothing():
    df = small(years=2, step="quarter", external_financing=1, token_price=1e-4,
               reinvestment_rate=0)
    later = df.iloc[1:]
    assert (later["gpus_affordable"] == 0).all() and (later["gpus_purchased"] == 0).all()
    assert df["fleet_stock"].iloc[-1] == near(1000 * math.exp(-1 / 4))  # a year's retirements


# --- the price and demand ---------------------------------------------------------------------

def test_competitive_price_and_demand_by_hand():
    df = small(years=3, pricing="competitive")
    r0, r1, r2 = df.iloc[0], df.iloc[1], df.iloc[2]
    assert r0["floor_discount"] == 1 and r0["token_price_floor"] == near(2 * SERVING)
    # 2025: the frontier's price halved; the lab kept pace with the frontier (the frontier's
    # reference research), so it starts the year at the frontier's
    software = frontier(2025)
    assert r1["software_efficiency"] == near(software) and r1["capability_gap"] == near(0)
    assert r1["token_price_market"] == near(START_2025)
    assert r1["token_price_start"] == near(START_2025)
    # through the year the price falls at the frontier's pace and moves 10^(1 x the lab's
    # expected gain on the frontier): none, its last drive (the base year's, the frontier's)
    # expected to hold, no growth of it measured yet
    z = -math.log(2)
    assert r1["token_price_growth"] == near(z)
    assert r1["token_price_competitive"] == near(averaged(START_2025, z))
    # demand: users logistic towards 10x, tokens per task e^0.3, price^-1.5
    users = math.log(10 / (1 + 9 * math.exp(-0.3)))
    price_index = math.log(averaged(START_2025, z))
    assert r1["log_price_index"] == near(price_index)
    assert r1["log_inference_demand"] == near(users + 0.3 - 1.5 * price_index)
    # 2026: the lab's research lost ground to the frontier (ideas got harder, and its inputs
    # grew less than the frontier's pace needs): its price starts 10^gap below the frontier's
    gap = r2["software_efficiency"] - frontier(2026)
    assert gap < 0 and r2["capability_gap"] == near(gap)
    start = START_2025 / 2 * 10 ** gap
    assert r2["token_price_start"] == near(start)
    # the lab's software is expected to advance at its last drive (read at 2025's middle),
    # growing on at the rate it grew from the base year's middle (averaged over a quarter from
    # the base year's 0: weight 1 - e^-4 a year on): its mean over 2026
    software, drive, rate = (r2["software_efficiency"], r1["software_progress_drive"],
                             r1["progress_drive_growth"])
    assert rate == near(math.log(drive / r0["software_progress_drive"]) * -math.expm1(-4))
    expected = under_ceiling(software, drive * math.exp(rate / 2) * math.expm1(rate) / rate)
    end_gap = expected - frontier(2027)
    z = LN10 * (end_gap - gap) - math.log(2)
    assert r2["token_price_growth"] == near(z)
    price = averaged(start, z)
    assert r2["token_price_competitive"] == near(price)
    # customers buy capability: against the quality-adjusted price, the price over 10^gap,
    # the gap the step's (halfway from its start's to its expected end's)
    users = math.log(10 / (1 + 9 * math.exp(-0.3 * 2)))
    adjusted = math.log(price / 1) - LN10 * (gap + end_gap) / 2
    assert r2["log_inference_demand"] == near(users + 0.3 * 2 - 1.5 * adjusted)
    # competitive pricing: the excess demand goes unserved, at the competitive price
    demand = 250 * math.exp(r2["log_inference_demand"] - 0.2 * 2) / r2["fleet_gpus"]
    assert r2["inference_demand_share"] == near(min(1.0, demand))
    assert r2["token_price"] == r2["token_price_competitive"]
    assert r2["tokens_served"] == near(r2["token_capacity"] * min(1.0, demand / 0.25))


@pytest.mark.parametrize("step", ["year", "quarter"])
def test_a_lab_keeping_pace_charges_the_frontiers_price_a_year_on(step):
    # no capability premium and competitive pricing: the lab charges the frontier's price,
    # whose average was $1 in 2024 and falls at ln 2 a year, so 2025's average is $0.50
    df = small(years=2, step=step, capability_price_elasticity=0, pricing="competitive")
    in_2025 = df[df["year"] >= 2025]
    average = (in_2025["token_price"] * in_2025["step_length"]).sum()
    assert average == near(0.5)


def test_a_lab_without_research_trails_the_frontier_to_the_diffusion_floor():
    # no research staff: no progress of its own. Through the base year (observed) it keeps its
    # gap, 0; then it stays where it was until the diffusion floor (the frontier's level a year
    # ago) reaches it, and rides the floor on
    df = small(years=4, research_staff=0)
    assert (df["software_progress_drive"] == 0).all()
    r1, r2, r3 = df.iloc[1], df.iloc[2], df.iloc[3]
    assert r1["software_efficiency"] == near(frontier(2025))  # kept pace through 2024
    assert r1["capability_gap"] == near(0)
    assert r2["software_efficiency"] == near(frontier(2025))  # no progress in 2025
    assert r2["capability_gap"] == near(frontier(2025) - frontier(2026))
    assert r3["software_efficiency"] == near(frontier(2026))  # the floor: a year behind
    # its price starts at the frontier's ...
    assert r1["token_price_start"] == near(START_2025)
    # ... and through the year moves as its gap is expected to: at a standstill, the frontier
    # moving on, the gap at the step's end is a year of the frontier's progress
    end_gap = frontier(2025) - frontier(2026)
    z = LN10 * end_gap - math.log(2)
    assert r1["token_price_growth"] == near(z)
    price = averaged(START_2025, z)
    assert r1["token_price_competitive"] == near(price)
    # quality-adjusted at the step's gap (halfway from its start's to its end's), the price
    # is about what a lab keeping pace would charge: customers stay
    adjusted = math.log(price) - LN10 * (0 + end_gap) / 2
    users = math.log(10 / (1 + 9 * math.exp(-0.3)))
    assert r1["log_inference_demand"] == near(users + 0.3 - 1.5 * adjusted)
    # 2025's price starts 10^gap below the frontier's, as the floor's does
    assert r2["token_price_start"] == near(START_2025 / 2 * 10 ** end_gap)


def test_the_floor_holds_the_price_of_a_lab_selling_below_it():
    # a base-year price under the competition's floor (selling below cost to win customers)
    # keeps that discount; the frontier's price falls tenfold a year, faster than serving cost
    # (rent 0.1 a year, tokens per GPU 0.2), so the price sits on the floor all the next year
    price0 = 0.5 * 2 * SERVING  # half the base year's floor
    df = small(years=2, token_price=price0, frontier_price_decline=LN10, pricing="competitive")
    r0, r1 = df.iloc[0], df.iloc[1]
    assert r0["floor_discount"] == near(0.5)
    assert r0["token_price_floor"] == near(price0) and r0["token_price"] == near(price0)
    floor = price0 * math.exp(-0.1 - 0.2)  # serving cost at the year's middle, a year on
    assert r1["token_price_floor"] == near(floor)
    assert r1["token_price_start"] < floor  # the frontier-relative price is under it
    assert r1["token_price_competitive"] == near(floor)
    # with no floor it falls: the step's average of the frontier-relative path
    free = small(years=2, token_price=price0, frontier_price_decline=LN10,
                 pricing="competitive", competition="none").iloc[1]
    assert free["token_price_competitive"] == near(free["token_price_mean"])
    assert free["token_price_competitive"] < floor


def test_a_price_that_crosses_the_floor_within_the_step():
    # the price starts the year above the floor and ends below: the step's average of
    # max(price, floor), price above it until the crossing, the floor after
    price0 = 1.5 * 2 * SERVING
    df = small(years=2, token_price=price0, frontier_price_decline=0.5, pricing="competitive")
    r1 = df.iloc[1]
    start, z, floor = r1["token_price_start"], r1["token_price_growth"], r1["token_price_floor"]
    assert floor == near(2 * SERVING * math.exp(-0.3))  # at the year's middle, a year on
    assert start > floor > start * math.exp(z)
    crossing = math.log(floor / start) / z  # share of the year spent above the floor
    mean = start * math.expm1(z * crossing) / z + floor * (1 - crossing)
    assert r1["token_price_competitive"] == near(mean)
    assert r1["token_price_mean"] < mean  # the unfloored average is lower


def test_scarcity_raises_the_price_until_customers_want_no_more():
    scarce, competitive = small(), small(pricing="competitive")
    for r in (scarce.iloc[1], competitive.iloc[1]):
        demand = 250 * math.exp(r["log_inference_demand"] - 0.2) / r["fleet_gpus"]
        assert demand > 0.25  # customers want more than the inference GPUs serve
        assert r["tokens_served"] == near(r["token_capacity"])
    r, c = scarce.iloc[1], competitive.iloc[1]
    assert r["token_price_competitive"] == near(c["token_price_competitive"])
    price = r["token_price_competitive"]
    demand = 250 * math.exp(r["log_inference_demand"] - 0.2) / r["fleet_gpus"]
    assert r["token_price"] == near(price * (demand / 0.25) ** (1 / 1.5))  # demand ~ p^-1.5
    assert c["token_price"] == near(price)  # the competitive price, and the excess unserved
    assert r["inference_revenue"] == near(r["token_capacity"] * r["token_price"] / 1e6)


def test_scarcity_price_stops_at_what_customers_pay_to_be_served_first():
    # the scarce lab above prices at (demand / 0.25)^(1 / 1.5) its competitive price; capped
    # below that, it charges the cap times the competitive price and sells its capacity
    free = small().iloc[1]
    multiple = free["token_price"] / free["token_price_competitive"]
    assert multiple > 1.3
    r = small(scarcity_price_cap=1.3).iloc[1]
    assert r["token_price_competitive"] == near(free["token_price_competitive"])
    assert r["token_price"] == near(1.3 * r["token_price_competitive"])
    assert r["tokens_served"] == near(r["token_capacity"])
    assert r["inference_revenue"] == near(r["token_capacity"] * r["token_price"] / 1e6)
    # a cap above the scarcity price changes nothing; 1 is the competitive price
    assert small(scarcity_price_cap=multiple * 1.01).iloc[1]["token_price"] == near(
        free["token_price"])
    assert small(scarcity_price_cap=1).iloc[1]["token_price"] == near(
        free["token_price_competitive"])


def test_no_price_exceeds_what_the_work_is_worth():
    # tokens per task growing e-fold a year: customers want far more than the lab serves
    cap = 1.2  # above the base year's $1, below the scarcity price
    df = small(years=3, token_value_cap=cap, tokens_per_task_growth=1)
    assert (df["token_price"] <= cap).all()
    assert df["token_price"].iloc[1] == cap and df["token_price_competitive"].iloc[1] < cap
    free = small(years=3, tokens_per_task_growth=1)
    assert free["token_price"].iloc[1] > cap


def test_customers_cannot_spend_more_than_their_share_of_world_output():
    # world output $1T in the base year, growing 4.6% a year to each step's middle; 0.1% of it
    # on AI; the lab's 0.1% share: $1M a year in the base year
    df = small(years=4, world_gdp_base_year=1e12, world_gdp_growth=0.046,
               ai_spending_ceiling=1e-3)
    middle = df["year"] + df["step_length"] / 2 - (df["year"].iloc[0] + 0.5)
    assert list(df["world_gdp"]) == near(list(1e12 * np.exp(0.046 * middle)))
    assert df["world_gdp"].iloc[0] == near(1e12)
    ceiling = df["world_gdp"] * 1e-3 * 0.001
    assert (df["inference_revenue"] <= ceiling * (1 + 1e-9)).all()
    # demand in GPUs is at most what that spending buys at the competitive price
    r = df.iloc[1]
    affordable = ceiling.iloc[1] * 1e6 / (r["token_price_competitive"] * r["tokens_per_gpu_year"]
                                          * r["fleet_gpus"])
    assert r["inference_demand_share"] == near(affordable)
    # a lab far short of compute (ten GPUs, all serving, hardly growing) whose customers are
    # inelastic (0.5): scarcity would price past what they can spend ($100M a year in a world
    # that does not grow), so from 2026 they pay just that
    ceiling = 1e13 * 1e-2 * 0.001
    df = small(years=4, world_gdp_base_year=1e13, world_gdp_growth=0, ai_spending_ceiling=1e-2,
               demand_price_elasticity=0.5, fleet_gpus=10, share_inference=1,
               share_training=0, share_research=0, external_financing=1e5,
               reinvestment_rate=0)
    assert (df["inference_revenue"] <= ceiling * (1 + 1e-9)).all()
    for _, r in df.iloc[2:].iterrows():
        assert r["token_price"] == near(ceiling * 1e6 / r["token_capacity"])
        assert r["inference_revenue"] == near(ceiling)


# --- the ceiling and the switches -------------------------------------------------------------

def test_the_ceiling_bounds_software_efficiency():
    df = small(years=10, multiplier_path="ai-2027", software_halving_time=0.1)
    assert (df["software_efficiency"] <= 2).all()
    # (it approaches the ceiling exponentially: within a millionth of an OOM in ten years)
    assert df["software_efficiency"].iloc[-1] == pytest.approx(2, abs=1e-6)
    assert df["software_headroom"].iloc[0] == 1
    assert df["software_headroom"].iloc[-1] == pytest.approx(0, abs=1e-6)
    assert df["software_progress_rate"].iloc[-1] == pytest.approx(0, abs=1e-6)
    # the frontier and the diffusion floor stay under it too
    assert (df["frontier_software"] <= 2).all() and (df["diffusion_floor"] <= 2).all()
    # with the ceiling off, the same run overshoots it: the switch restores the open loop
    open_df = small(years=10, multiplier_path="ai-2027", software_halving_time=0.1,
                    ceiling_model="none")
    assert open_df["software_efficiency"].iloc[-1] > 2
    assert (open_df["software_headroom"] == 1).all()


@pytest.mark.parametrize(("switch", "row", "more"), [
    ({"supply_limit": "none"}, "gpus_purchased", {}),
    ({"capital_limit": "investment-rate"}, "capital_available", {}),
    ({"demand_model": "fixed-price"}, "token_price_competitive", {}),
    ({"competition": "none"}, "token_price_competitive",
     {"token_price": SERVING, "frontier_price_decline": LN10}),
    ({"pricing": "competitive"}, "token_price", {}),
    ({"ceiling_model": "none"}, "software_efficiency", {}),
])
def test_each_part_switches_off_alone(switch, row, more):
    closed, opened = small(years=4, **more), small(years=4, **more, **switch)
    assert not np.allclose(closed[row], opened[row])
    for data in ("fleet_gpus", "inference_revenue", "compute_cost", "token_price"):
        assert closed[data].iloc[0] == near(opened[data].iloc[0])  # the base year is data


def test_the_open_loop_still_runs():
    df = small(years=3, **OPEN_LOOP)
    r0, r1 = df.iloc[0], df.iloc[1]
    assert (df["token_price_competitive"] == 1).all()  # a fixed price
    assert df["binding_constraint"].isin([0, 3]).all()  # nothing but customers binds
    capital = 0.2 * 1000 * 30_000 + 0.5 * REVENUE  # the investment rate, half of revenue
    assert r0["capital_available"] == near(capital)
    hardware = 30_000 * math.exp(-0.2)  # at the step's middle, a year on
    assert r1["gpus_purchased"] == near(capital / hardware)  # no chip cap: it buys it all
    assert r1["gpu_rental_price"] == 2  # a fixed rent
    assert (df["software_headroom"] == 1).all()


_SHORT = {"tokens_per_task_growth": 1, "investment_rate": 0, "reinvestment_rate": 0}


def test_the_open_loop_sells_at_a_fixed_price():
    # customers want far more than the lab serves: tokens per task grow e-fold a year, and the
    # lab buys nothing (no investment, nothing reinvested)
    # (the open loop prices competitively: scarcity would raise the price)
    assert OPEN_LOOP["pricing"] == "competitive"
    df = small(years=3, **OPEN_LOOP, **_SHORT)
    assert (df["inference_demand_share"].iloc[1:] > df["share_inference"].iloc[1:]).all()
    assert (df["token_price"] == 1).all()
    assert (df["tokens_served"] == df["token_capacity"]).all()  # the excess goes unserved


# --- month steps ------------------------------------------------------------------------------

def test_month_steps():
    assert STEPS["month"] == pytest.approx(1 / 12)
    assert steps_for(10, "month") == (1 + 9 * 12, pytest.approx(1 / 12))
    df = small(years=2, step="month")
    assert len(df) == 13 and df["year"].iloc[0] == 2024 and df["year"].iloc[1] == 2025
    assert df["year"].iloc[-1] == pytest.approx(2025 + 11 / 12, rel=1e-12)
    assert df["step_length"].iloc[0] == 1 and (df["step_length"].iloc[1:] == 1 / 12).all()
    # a month retires a month's GPUs, of its stock and of what it adds, and discounts at its
    # middle
    r1 = df.iloc[1]
    lasting = 48 * -math.expm1(-1 / 48)
    assert r1["gpus_retired"] == near(-1000 * math.expm1(-1 / 48)
                                      + r1["gpus_purchased"] * (1 - lasting))
    assert r1["discount_factor"] == near(1.1 ** -(1 + 1 / 24))
    # twelve months of production are the year's (the stock is in closed form)
    assert df["world_gpus"].iloc[-1] == near(world(2026))


# --- promises for every preset and scenario at defaults, 10 years of quarters ----------------
CASES = [(preset, scenario) for preset in [None, *PRESETS] for scenario in SCENARIOS]
_RUNS: dict = {}


def run(preset, scenario):
    key = (preset, scenario)
    if key not in _RUNS:
        _RUNS[key] = project(scenario_settings(preset, scenario), years=10)
    return _RUNS[key]


@pytest.mark.parametrize(("preset", "scenario"), CASES)
def test_the_closed_loop_holds(preset, scenario):
    df = run(preset, scenario)
    values = scenario_settings(preset, scenario).values
    share, ceiling = values["lab_supply_share"], values["software_ceiling"]
    tol = 1e-9  # relative: sums and products of a few roundings
    # chips: no step adds more than the lab's share of the world's production over it ...
    assert (df["gpus_purchased"] <= share * df["world_gpu_production"] * (1 + tol)).all()
    # ... so the fleet's excess over its share of the world's stock decays with retirements,
    # but for when in the step the world's production comes: a step's purchases, spread evenly
    # through it, keep L/dt (1 - e^(-dt/L)) of themselves to its end, and the world's growing
    # production keeps more (late chips retire less): the slack is negative while production
    # grows, and after it at most 3e-5 of the lab's share of the world's stock (quarterly
    # steps), when production falls as the stock nears its ceiling
    dt, life = df["step_length"].to_numpy(), values["depreciation_life"]
    decay, world = np.exp(-dt / life), df["world_gpus"].to_numpy()
    kept = life / dt * (1 - decay) * df["world_gpu_production"].to_numpy()
    slack = share * (kept[1:] - (world[1:] - world[:-1] * decay[1:]))
    excess = (df["fleet_stock"] - share * df["world_gpus"]).to_numpy()
    stock = df["fleet_stock"].to_numpy()[1:]
    assert (excess[1:] <= excess[:-1] * decay[1:] + slack + tol * stock).all()
    assert (slack <= 1e-4 * share * world[1:]).all()
    # software never passes the ceiling
    assert (df["software_efficiency"] <= ceiling + 1e-12).all()
    # no more tokens sold than the inference GPUs serve, nor than customers want
    assert (df["tokens_served"] <= df["token_capacity"] * (1 + tol)).all()
    wanted = df["inference_demand_share"] * df["fleet_gpus"] * df["tokens_per_gpu_year"]
    assert (df["tokens_served"] <= wanted * (1 + tol)).all()
    # revenue only from serving, no price above what the work is worth
    assert (df["inference_revenue"] >= 0).all()
    assert ((df["inference_revenue"] > 0) <= (df["share_inference"] > 0)).all()
    assert (df["token_price"] <= values["token_value_cap"] * (1 + tol)).all()
    # the split is a split
    shares = df[[f"share_{u}" for u in USES]]
    assert np.allclose(shares.sum(axis=1), 1, rtol=0, atol=1e-9)
    assert (shares.to_numpy() >= -1e-12).all()
    assert np.isfinite(df.drop(columns=["payback_year"]).to_numpy()).all()


# --- step length: quarters against months -----------------------------------------------------
# Entries of the convergence table beyond TOLERANCE (docs/MODEL.md, "Step length"), each named:
# (preset, scenario, column). Quarters, the default step, agree with months within TOLERANCE in
# every case (the largest, OpenAI's fleet under status-quo, 1.7%). Years are annual
# summaries, not the default: where the fleet or revenue moves within the year they miss it.
# The test fails when an entry outside this list goes beyond TOLERANCE and when a listed one
# comes back within it, so the list cannot go stale.
_ALL = tuple(SCENARIOS)
KNOWN_EXCEPTIONS = {
    # years against months
    # (ai-2027: 6.7% since its schedule cuts a lab's shares in proportion, 4.3% before)
    *(("openai-2024", s, "npv_year")
      for s in ("ai-2027", "ideas-harder", "inference-first", "brakes")),
    ("openai-2024", "brakes", "fleet_stock_year"),
    *(("anthropic-2024", s, "npv_year") for s in ("status-quo", "inference-first")),
    # (since the revenue's growth investors see runs on through a step as the last two steps'
    # growth does, a yearly step extrapolates a year of it)
    ("anthropic-2024", "ideas-harder", "fleet_stock_year"),
    *(("(defaults)", s, "npv_year") for s in ("ideas-harder", "brakes")),
    *(("deepseek-v3", s, m) for s in _ALL for m in ("fleet_stock_year", "npv_year")),
    *(("ai-2027-lab-2024", s, "npv_year") for s in _ALL),
}
COLUMNS = [f"{m}_{step}" for step in ("year", "quarter")
           for m in ("fleet_stock", "software_efficiency", "npv")]


@pytest.fixture(scope="module")
def table():
    return convergence_table()


def test_quarters_agree_with_months_but_for_the_known_exceptions(table):
    beyond = {(r["preset"], r["scenario"], c) for _, r in table.iterrows() for c in COLUMNS
              if r[c] > TOLERANCE}
    shown = table.to_string(float_format=lambda v: f"{v:.2%}")
    assert beyond - KNOWN_EXCEPTIONS == set(), f"new entries beyond {TOLERANCE:.0%}:\n{shown}"
    assert KNOWN_EXCEPTIONS - beyond == set(), f"listed, but now within {TOLERANCE:.0%} " \
        f"(remove them from KNOWN_EXCEPTIONS):\n{shown}"
    # quarters, the default, are within tolerance for every fleet, software efficiency and NPV
    for c in ("fleet_stock_quarter", "software_efficiency_quarter", "npv_quarter"):
        assert (table[c] <= TOLERANCE).all(), shown


def test_quarters_agree_with_months_when_a_short_lab_cannot_raise_its_price():
    # A lab short of serving GPUs earns in proportion to its fleet, and a renter's fleet is what
    # the money raised on its revenue pays for: a loop the explicit step integrates badly while
    # the money grew through the step at the revenue's pace (18% apart on the fleet at the
    # horizon). At the capital's own growth: 4.8%; with the growth investors see run on
    # through the step as the last two steps' does, 2.5% (docs/MODEL.md, known limitations).
    settings = scenario_settings("anthropic-2024", "status-quo",
                                 overrides={"pricing": "competitive"})
    quarter, month = (project(settings, 10, step)["fleet_stock"].iloc[-1]
                      for step in ("quarter", "month"))
    assert agreement(quarter, month) <= TOLERANCE


def test_agreement_is_relative_to_the_larger_value_or_the_scale():
    assert agreement(100, 95) == pytest.approx(0.05)
    assert agreement(1, -1, scale=100) == pytest.approx(0.02)
    assert agreement(0, 0) == 0


def test_the_docs_give_the_convergence_table(table):
    doc = (Path(__file__).resolve().parents[1] / "docs" / "MODEL.md").read_text()
    assert markdown(table) in doc, "regenerate with `make docs`"


def test_step_inputs_accept_a_month():
    assert CATALOGUE["step_years"].min == pytest.approx(1 / 12)
