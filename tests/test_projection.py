"""The projection step by step against hand arithmetic, and its symbolic structure.

The hand arithmetic follows the documented economics, not the rows' expressions: the base year
is data (a year long, nothing bought or retired in it); a later step reads prices and rates at
its middle, adds and retires GPUs through it (the fleet in service is the stock at its start plus
half the net additions) and discounts at its middle; NPV is the free cash flow to date plus a
Gordon terminal value on the last year's free cash flow.
"""

from __future__ import annotations

import math

import pytest
from hand import rolled
from scipy.integrate import quad

from model.core.catalogue import CATALOGUE
from model.core.errors import InputError
from model.core.loop_inputs import prev
from model.loop.projection import INITIAL, STEP, STEP_ROWS, project, steps_for, summary
from model.loop.scenarios import OPEN_LOOP, scenario_settings

LN10 = math.log(10)
HISTORICAL = math.log(2) / (8 / 12)  # software progress at the frontier's inputs, e-folds a year
BETA = 0.7 / 1.2  # ideas getting harder: lambda / r at the catalogue's defaults
SMALL = {
    "fleet_gpus": 1000, "share_training": 0.5, "share_research": 0.25, "share_automation": 0,
    "share_inference": 0.25, "share_other": 0, "cost_basis": "rented", "gpu_rental_price": 2,
    "gpu_capex": 20_000, "cluster_capex_multiplier": 1.5, "depreciation_life": 4,
    "price_performance_growth": 0.2, "rental_price_decline": 0.1, "investment_rate": 0.1,
    "reinvestment_rate": 0.5, "token_price": 1, "serving_active_params": 1e9,
    "inference_flops_per_param_token": 2, "gpu_peak_flops": 1e15, "util_inference": 0.5,
    "util_research": 0.4, "discount_rate": 0.1, "terminal_growth": 0.03,
    "user_demand_growth": 0.3, "tokens_per_task_growth": 0.3, "serving_efficiency_growth": 0.2,
    # the lab's research is the frontier's reference: its research output starts at 1
    "frontier_research_compute": 250 * 1e15 * 0.4 * 3600 * 8760, "frontier_research_staff": 100,
    "research_staff": 100, "researcher_growth": 0.5, "software_gap": 0,
}
TOKENS_PER_GPU = 1e15 * 0.5 * 3600 * 8760 / (2 * 1e9)  # 7.884e12 token/GPU/year
REVENUE = 250 * TOKENS_PER_GPU * 1 / 1e6  # the base year's: 250 inference GPUs at $1/M tokens
RENT = 1000 * 2 * 8760  # the base year's compute bill: every GPU rented at $2 an hour
# The open loop: every closed-loop part switched off (no chip cap, an investment rate, a fixed
# price with unbounded users, no floor, no ceiling, a fixed rent).
SMALL_OPEN = {**SMALL, **OPEN_LOOP}
# The closed loop, at round values: the world's stock doubles a year towards ten times its
# end-2024 stock, the lab may buy 0.1% of production, and a parent funds it.
SMALL_CLOSED = {
    **SMALL, "world_gpus_anchor": 1e6, "world_anchor_year": 2024,
    "world_gpu_growth": math.log(2), "world_gpus_ceiling": 1e7, "lab_supply_share": 0.001,
    "financing_model": "parent", "external_financing": 1e7, "financing_growth": 0.1,
    "financing_growth_years": 1, "software_ceiling": 2, "frontier_price_decline": math.log(2),
    "capability_price_elasticity": 1, "demand_price_elasticity": 1.5,
    "user_ceiling_multiple": 10, "competitive_markup": 1,
    # tokens per task grow e^0.7 a year, so customers soon want more than the lab serves: the
    # input is the trend at the calibration's elasticity (1.11), which demand moves to the 1.5
    # set here by (1.11 - 1.5) x ln 6 / 2.40 a year
    "tokens_per_task_growth": 0.7 + (1.5 - 1.11) * math.log(6) / 2.40,
}


def near(value, rel=1e-9):
    """Hand arithmetic agrees with the model to about float precision (a chain of exp and log
    over a few steps loses a few ulps, never 1e-9)."""
    return pytest.approx(value, rel=rel, abs=1e-12)


def world(when: float) -> float:
    """SMALL_CLOSED's world stock at calendar time `when`: 1e6 at the end of 2024, doubling a
    year while far below the 1e7 ceiling (logistic)."""
    return 1e7 / (1 + 9 * math.exp(-math.log(2) * (when - 2025)))


def gpu_years(start: float, end: float) -> float:
    """GPU-years of the world's stock from `start` to `end` (numerical quadrature)."""
    return quad(world, start, end, epsabs=0, epsrel=1e-12)[0]


def lasting(dt: float) -> float:
    """Share of a step's purchases, spread evenly through it, in service at its end (life 4)."""
    return 4 / dt * -math.expm1(-dt / 4)


def ces(labour: float, compute: float) -> float:
    """Research output: CES of labour and compute, weights 0.7 / 0.3, rho -0.155."""
    return (0.7 * labour ** -0.155 + 0.3 * compute ** -0.155) ** (1 / -0.155)


def under_ceiling(software: float, drive: float, years: float = 1.0) -> float:
    """Software efficiency `years` on at `drive` (e-folds a year) under SMALL_CLOSED's 2-OOM
    ceiling, whose penalty 1 - S/2 is integrated exactly: 2 - (2 - S) exp(-drive t / (2 ln 10))."""
    return 2 - (2 - software) * math.exp(-drive * years / (2 * LN10))


def terminal(trailing_fcf: float, end: float) -> float:
    """Gordon value of a year's free cash flow growing at 3% for ever from `end` years on,
    discounted at 10% (never below 0)."""
    return max(0.0, trailing_fcf) * 1.03 / (0.10 - 0.03) * 1.1 ** -end


def small(years=2, step="year", closed=False, **more):
    base = SMALL_CLOSED if closed else SMALL_OPEN
    return project(scenario_settings(None, "status-quo", overrides={**base, **more}),
                   years=years, step=step)


@pytest.fixture(scope="module")
def small_open():
    return small()


@pytest.fixture(scope="module")
def small_closed():
    return small(closed=True)


def _check_base_year(r, fcf, middle, rate):
    """What every base year shares: it is the observed year, a year long, as the inputs say;
    its software read at `middle`, progressing at `rate` (e-folds a year)."""
    assert r["year"] == 2024 and r["step_length"] == 1 and r["elapsed_years"] == 0
    assert r["mid_step_years"] == 0
    assert r["gpu_capex"] == 20_000 and r["hardware_price"] == near(30_000)
    assert r["gpu_rental_price"] == 2
    # nothing is bought or retired in it: its fleet is the observed one
    assert r["gpus_retired"] == 0 and r["gpus_purchased"] == 0
    assert r["fleet_stock"] == 1000 and r["fleet_gpus"] == 1000
    assert r["tokens_per_gpu_year"] == near(TOKENS_PER_GPU)
    assert r["token_capacity"] == near(250 * TOKENS_PER_GPU)
    assert r["tokens_served"] == near(250 * TOKENS_PER_GPU)  # demand is the observed sales
    assert r["token_price"] == 1 and r["inference_revenue"] == near(REVENUE)
    assert REVENUE == near(1.971e9)
    assert r["compute_cost"] == near(RENT)
    assert r["gross_margin"] == near(REVENUE - 250 * 2 * 8760)
    assert r["depreciation"] == 0 and r["capex"] == 0  # rented: GPUs are paid as rent
    assert r["operating_cash_flow"] == near(fcf) and r["free_cash_flow"] == near(fcf)
    assert r["revenue_growth"] == near(math.log(3))  # the catalogue's base-year growth
    assert r["trailing_revenue"] == near(REVENUE)
    # discounted at the year's middle; the terminal value from its end
    assert r["cumulative_cash"] == near(fcf)
    assert r["discount_factor"] == near(1.1 ** -0.5)
    assert r["npv_to_date"] == near(fcf * 1.1 ** -0.5)
    assert r["trailing_free_cash_flow"] == near(fcf)
    assert r["terminal_value"] == near(terminal(fcf, 1))
    assert r["npv"] == near(fcf * 1.1 ** -0.5 + terminal(fcf, 1))
    assert r["payback_year"] == 2024
    # research at the frontier's reference inputs, at its software level: the historical rate
    # (read at the year's middle, half a year on at the frontier's pace, where the frontier's
    # reference inputs were measured: ideas are no harder there than the reference)
    assert r["software_efficiency"] == 0 and r["ai_rd_multiplier"] == 1
    assert r["researchers"] == 1 and r["research_compute_index"] == near(1)
    assert r["research_output"] == near(1) and r["research_speedup"] == 1
    assert r["mid_step_software"] == near(r["ideas_reference_software"])
    assert r["software_progress_drive"] == near(HISTORICAL)
    assert r["mid_step_software"] == near(middle)
    assert r["software_progress_rate"] == near(rate)
    assert r["capability"] == 0 and r["log_price_index"] == 0


def test_first_step_by_hand_open_loop(small_open):
    r = small_open.iloc[0]
    _check_base_year(r, REVENUE - RENT, HISTORICAL / 2 / LN10, HISTORICAL)  # no ceiling
    assert r["external_investment"] == near(0.1 * 1000 * 30_000)
    capital = 3e6 + 0.5 * REVENUE  # investment plus half of revenue
    assert r["capital_available"] == near(capital)
    assert r["gpus_affordable"] == near(capital / 30_000)  # what it would buy (and does not)
    assert r["inference_demand_share"] == near(0.25)
    assert r["binding_constraint"] == 0  # the open loop: nothing binds


def test_first_step_by_hand_closed_loop(small_closed):
    r = small_closed.iloc[0]
    # half a year on under the 2-OOM ceiling, whose penalty slows the rate there
    middle = under_ceiling(0, HISTORICAL, 0.5)
    _check_base_year(r, REVENUE - RENT, middle, HISTORICAL * (1 - middle / 2))
    # the world's stock at the end of the base year is the anchor; production over the year is
    # its growth plus the replacement of what retires from it as it stands through the year
    # (1/life a year of the stock, integrated numerically here)
    assert r["world_gpus"] == near(1e6) and world(2025) == near(1e6)
    made = 1e6 - world(2024) + gpu_years(2024, 2025) / 4
    assert world(2024) == near(1e7 / 19)
    assert r["world_gpu_production"] == near(made)
    assert r["gpus_purchasable"] == near(0.001 * made)
    capital = 1e7 + 0.5 * REVENUE  # the parent's budget plus half of revenue (a renter)
    assert r["external_financing"] == 1e7 and r["capital_available"] == near(capital)
    # a renter can pay for the stock whose year's rent its capital covers, less what it keeps,
    # contracting 1/lasting(1) times that, since what it adds retires through the year too
    assert r["gpus_affordable"] == near((capital / (2 * 8760) - 1000) / lasting(1))
    # the price: at the frontier (gap 0), its own observed price, well above the floor
    serving = 2 * 8760 * 1e6 / TOKENS_PER_GPU  # USD per million tokens on rented GPUs
    assert r["serving_cost"] == near(serving)
    assert r["floor_discount"] == 1 and r["token_price_floor"] == near(2 * serving)
    # the frontier's price falls ln 2 a year; the base year's start is the price from which it
    # averages the observed $1 over the year: ln 2 / (1 - 1/2)
    assert r["token_price_market"] == near(2 * math.log(2)) and r["token_price_competitive"] == 1
    assert r["frontier_software"] == 0 and r["capability_gap"] == 0
    assert r["software_headroom"] == 1
    assert r["inference_demand_share"] == near(0.25)


def test_second_step_by_hand_open_loop(small_open):
    r0, r1 = small_open.iloc[0], small_open.iloc[1]
    assert r1["year"] == 2025 and r1["step_length"] == 1 and r1["mid_step_years"] == 1
    # prices a year on, middle to middle; OPEN_LOOP holds the rent
    hardware = 1.5 * 20_000 * math.exp(-0.2)
    assert r1["hardware_price"] == near(hardware) and r1["gpu_rental_price"] == 2
    capital = 3e6 + 0.5 * REVENUE  # flat investment, half of the base year's revenue
    bought = capital / hardware  # the open loop buys what its capital pays for, no chip cap
    # 1/life a year of the stock, decayed, and of the year's purchases from the day they arrive
    retired = 1000 * (1 - math.exp(-1 / 4)) + bought * (1 - lasting(1))
    assert r1["gpus_retired"] == near(retired) and r1["capital_available"] == near(capital)
    assert r1["gpus_purchased"] == near(bought)
    assert r1["fleet_stock"] == near(1000 - retired + bought)
    fleet = 1000 + (bought - retired) / 2  # in service: the start plus half the net additions
    assert r1["fleet_gpus"] == near(fleet)
    # software: a year at the historical rate, no ceiling; the frontier does the same
    software = HISTORICAL / LN10
    assert r1["software_efficiency"] == near(software)
    assert r1["frontier_software"] == near(software) and r1["capability_gap"] == near(0)
    assert r1["capability"] == near(software + math.log10(fleet / 1000))
    # a fixed price; demand grows e^0.3 (users) x e^0.3 (tokens per task); inference GPUs
    # serve e^0.2 more tokens each, read at the step's middle
    tokens = TOKENS_PER_GPU * math.exp(0.2)
    assert r1["tokens_per_gpu_year"] == near(tokens)
    assert r1["token_price"] == 1 and r1["log_inference_demand"] == near(0.6)
    demand = 250 * math.exp(0.6 - 0.2) / fleet  # GPUs demanded, over the fleet
    assert demand < 0.25  # far below the grown capacity: demand, not capacity, sells
    assert r1["inference_demand_share"] == near(demand)
    assert r1["token_capacity"] == near(0.25 * fleet * tokens)
    assert r1["tokens_served"] == near(250 * TOKENS_PER_GPU * math.exp(0.6))
    revenue = REVENUE * math.exp(0.6)
    assert r1["inference_revenue"] == near(revenue)
    assert r1["binding_constraint"] == 3  # customers
    fcf = revenue - fleet * 2 * 8760
    assert r1["free_cash_flow"] == near(fcf)
    assert r1["cumulative_cash"] == near(r0["free_cash_flow"] + fcf)
    assert r1["discount_factor"] == near(1.1 ** -1.5)
    assert r1["npv_to_date"] == near((REVENUE - RENT) * 1.1 ** -0.5 + fcf * 1.1 ** -1.5)
    last_year = (REVENUE - RENT) * math.exp(-1) + fcf * (1 - math.exp(-1))
    assert r1["trailing_free_cash_flow"] == near(last_year)
    assert r1["terminal_value"] == near(terminal(last_year, 2))
    growth = math.log(3) * math.exp(-1) + 0.6 * (1 - math.exp(-1))  # averaged over a year
    assert r1["revenue_growth"] == near(growth)
    # the last year's revenue rolls on from the base year's: it gains this year's revenue and
    # loses the window's revenue x g / (e^g - 1) a year (what a year ago earned, at growth g)
    # (this year's revenue entering as a path growing at g through the year)
    assert r1["trailing_revenue"] == near(rolled(REVENUE, revenue, growth, 1))
    # research: staff e^0.5 and compute fleet / 1000 times the frontier's; ideas get harder,
    # read at the software predicted at the step's middle: half a year on at the base year's
    # drive (no growth of it measured yet), no ceiling in the open loop
    x = ces(math.exp(0.5), fleet / 1000)
    assert r1["research_output"] == near(x)
    middle = software + HISTORICAL / 2 / LN10
    assert r1["mid_step_software"] == near(middle)
    # ideas harder above the frontier's level at its reference year's middle, half a year on
    reference = HISTORICAL / 2 / LN10
    assert r1["ideas_reference_software"] == near(reference)
    drive = HISTORICAL * x ** 0.7 * 10 ** (-BETA * (middle - reference))
    assert r1["software_progress_drive"] == near(drive)
    assert r1["software_progress_rate"] == near(drive)  # no ceiling in the open loop
    # a year apart, averaged over a quarter from the base year's 0 (weight 1 - e^-4)
    assert r1["progress_drive_growth"] == near(math.log(drive / HISTORICAL) * -math.expm1(-4))


def test_second_step_by_hand_closed_loop(small_closed):
    r0, r1 = small_closed.iloc[0], small_closed.iloc[1]
    assert r1["year"] == 2025 and r1["mid_step_years"] == 1
    rent = 2 * math.exp(-0.1)  # read at the step's middle, a year after the base year's
    assert r1["gpu_rental_price"] == near(rent)
    # chips: the lab may add 0.1% of the world's production over 2025
    made = world(2026) - 1e6 + gpu_years(2025, 2026) / 4
    assert r1["world_gpus"] == near(world(2026)) and world(2026) == near(1e7 / 5.5)
    assert r1["world_gpu_production"] == near(made)
    # money: the parent's budget grew 10% a year through the base year; half of revenue
    capital = 1e7 * math.exp(0.1) + 0.5 * REVENUE
    assert r1["capital_available"] == near(capital)
    kept = 1000 * math.exp(-1 / 4)
    # a renter: the stock a year's capital rents, less what it keeps, over what a year keeps
    affordable = (capital / (rent * 8760) - kept) / lasting(1)
    assert r1["gpus_affordable"] == near(affordable)
    assert affordable > 0.001 * made  # chips, not money, limit this lab
    assert r1["gpus_purchased"] == near(0.001 * made)
    assert r1["binding_constraint"] == 1
    assert r1["unspent_capex"] == near((affordable - 0.001 * made) * rent * 8760)
    retired = 1000 - kept + 0.001 * made * (1 - lasting(1))
    assert r1["gpus_retired"] == near(retired)
    fleet = 1000 + (0.001 * made - retired) / 2
    assert r1["fleet_stock"] == near(kept + 0.001 * made * lasting(1))
    assert r1["fleet_gpus"] == near(fleet)
    # software: the frontier's year at the historical rate under the 2-OOM ceiling; the lab, at
    # the frontier's inputs, makes the same year
    software = under_ceiling(0, HISTORICAL)
    assert r1["frontier_software"] == near(software)
    assert r1["software_efficiency"] == near(software) and r1["capability_gap"] == near(0)
    assert r1["software_headroom"] == near(1 - software / 2)
    # price: the frontier's halves a year; the lab keeps pace, so it charges the frontier's at
    # the start of the step, then moves by the frontier's decline and its expected gain on the
    # frontier over the step: none, its last drive (the base year's, the frontier's) being
    # expected to hold, no growth of it measured yet
    # (halved from the base year's start, so this year averages half the base year's $1)
    start = math.log(2)
    assert r1["token_price_market"] == near(start) and r1["token_price_start"] == near(start)
    z = -math.log(2)
    assert r1["token_price_growth"] == near(z)
    price = start * math.expm1(z) / z  # the step's average of an exponential path
    assert r1["token_price_mean"] == near(price)
    serving = rent * 8760 * 1e6 / (TOKENS_PER_GPU * math.exp(0.2))
    assert r1["token_price_floor"] == near(2 * serving)
    assert 0.5 * math.exp(z) > 2 * serving  # above the floor all year
    assert r1["token_price_competitive"] == near(price)
    # demand: users logistic towards 10x (e^0.3 a year far below it), tokens per task e^0.7,
    # price^-1.5 on the quality-adjusted price (the gap did not change: the price itself)
    users = math.log(10 / (1 + 9 * math.exp(-0.3)))
    log_demand = users + 0.7 - 1.5 * math.log(price)
    assert r1["log_price_index"] == near(math.log(price))
    assert r1["log_inference_demand"] == near(log_demand)
    demand = 250 * math.exp(log_demand - 0.2) / fleet  # GPUs demanded, over the fleet
    assert demand > 1  # customers want more than the whole fleet serves: the share stops at 1
    assert r1["inference_demand_share"] == 1
    # scarcity: the price rises until they want no more than the inference GPUs serve
    # (demand falls as price^-1.5)
    scarce = price * (demand / 0.25) ** (1 / 1.5)
    assert r1["token_price"] == near(scarce)
    capacity = 0.25 * fleet * TOKENS_PER_GPU * math.exp(0.2)
    assert r1["tokens_served"] == near(capacity)
    revenue = capacity * scarce / 1e6
    assert r1["inference_revenue"] == near(revenue)
    fcf = revenue - fleet * rent * 8760
    assert r1["free_cash_flow"] == near(fcf)
    assert r1["npv_to_date"] == near(r0["npv_to_date"] + fcf * 1.1 ** -1.5)
    last_year = (REVENUE - RENT) * math.exp(-1) + fcf * (1 - math.exp(-1))
    assert r1["npv"] == near(r0["npv_to_date"] + fcf * 1.1 ** -1.5 + terminal(last_year, 2))
    # research against the frontier's reference, under the ceiling's penalty; ideas get
    # harder at the software predicted half a year on (the base year's drive)
    x = ces(math.exp(0.5), fleet / 1000)
    middle = under_ceiling(software, HISTORICAL, 0.5)
    assert r1["mid_step_software"] == near(middle)
    reference = under_ceiling(0, HISTORICAL, 0.5)  # the frontier's at its reference year's middle
    assert r1["ideas_reference_software"] == near(reference)
    drive = HISTORICAL * x ** 0.7 * 10 ** (-BETA * (middle - reference))
    assert r1["software_progress_drive"] == near(drive)
    assert r1["software_progress_rate"] == near(drive * (1 - middle / 2))  # at the middle


def test_owned_fleet_counts_its_outlay_and_depreciation():
    df = small(years=2, cost_basis="owned")
    r0, r1 = df.iloc[0], df.iloc[1]
    assert r0["depreciation"] == near(1000 * 30_000 / 4)
    energy = r0["energy_per_gpu_hour"] * 8760 * 1000  # an owner's cash cost is its power
    assert r0["operating_cash_flow"] == near(REVENUE - energy)
    assert r0["cumulative_cash"] == near(REVENUE - energy - 1000 * 30_000)  # the fleet's outlay
    assert r0["npv_to_date"] == near((REVENUE - energy) * 1.1 ** -0.5 - 1000 * 30_000)
    # the open loop buys what investment plus half of revenue pays (as that model did), at the
    # step's hardware price, as capex
    hardware = 30_000 * math.exp(-0.2)
    assert r1["gpus_purchased"] == near((3e6 + 0.5 * REVENUE) / hardware)
    assert r1["capex"] == near(r1["gpus_purchased"] * hardware)
    assert r1["free_cash_flow"] == near(r1["operating_cash_flow"] - r1["capex"])


def test_quarter_steps_after_a_base_year():
    q = small(years=2, step="quarter", closed=True)
    assert list(q["year"]) == [2024, 2025, 2025.25, 2025.5, 2025.75]
    assert list(q["step_length"]) == [1, 0.25, 0.25, 0.25, 0.25]
    assert list(q["mid_step_years"]) == [0, 0.625, 0.875, 1.125, 1.375]
    r0, r1 = q.iloc[0], q.iloc[1]
    # the base year is the same year at every step length
    y0 = small(years=2, closed=True).iloc[0]
    for column in ("inference_revenue", "compute_cost", "free_cash_flow", "npv_to_date",
                   "gpus_affordable", "software_progress_drive"):
        assert r0[column] == near(y0[column]), column
    # the first quarter reads prices 0.625 years on (middle to middle), retires a quarter's
    # GPUs and adds at most a quarter's share of production
    assert r1["gpu_rental_price"] == near(2 * math.exp(-0.1 * 0.625))
    assert r1["gpu_capex"] == near(20_000 * math.exp(-0.2 * 0.625))
    made = world(2025.25) - 1e6 + gpu_years(2025, 2025.25) / 4
    assert r1["gpus_purchasable"] == near(0.001 * made)
    assert r1["gpus_retired"] == near(1000 * (1 - math.exp(-0.25 / 4))
                                      + r1["gpus_purchased"] * (1 - lasting(0.25)))
    # flows are a quarter's: cash and NPV add a quarter of a year's rate, discounted at the
    # quarter's middle
    assert r1["cumulative_cash"] == near(r0["cumulative_cash"] + r1["free_cash_flow"] * 0.25)
    assert r1["discount_factor"] == near(1.1 ** -1.125)
    assert r1["npv_to_date"] == near(r0["npv_to_date"]
                                     + r1["free_cash_flow"] * 0.25 * 1.1 ** -1.125)
    # software at the quarter's start is the base year's end; a quarter later the frontier is
    # 1.25 years on, and the lab has advanced at its drive's mean over the quarter: the drive
    # is read at the quarter's middle and assumed to keep growing at the rate it grew from the
    # base year's middle, 0.625 years before
    software = under_ceiling(0, HISTORICAL)
    assert r1["frontier_software"] == near(software)
    assert r1["software_efficiency"] == near(software)
    r2 = q.iloc[2]
    assert r2["frontier_software"] == near(under_ceiling(0, HISTORICAL, 1.25))
    d0, d1 = r0["software_progress_drive"], r1["software_progress_drive"]
    # its growth from the base year's middle, 0.625 years before, averaged over a quarter from
    # the base year's 0: weight 1 - e^(-0.625 / 0.25)
    rate = math.log(d1 / d0) / 0.625 * -math.expm1(-2.5)
    assert r1["progress_drive_growth"] == near(rate) and rate != 0
    mean = d1 * math.exp(-rate * 0.125) * math.expm1(rate * 0.25) / (rate * 0.25)
    assert r2["software_efficiency"] == near(under_ceiling(software, mean, 0.25))


def test_default_steps_are_quarters_after_the_base_year():
    df = project(scenario_settings(None, "status-quo"), years=3)
    assert list(df["year"]) == [2024, 2025, 2025.25, 2025.5, 2025.75, 2026, 2026.25, 2026.5,
                                2026.75]
    assert steps_for(3, "quarter") == (9, 0.25)
    assert steps_for(10, "year") == (10, 1.0)


def test_initial_uses_inputs_only_and_step_uses_prev_rows():
    for name in STEP_ROWS:
        for s in INITIAL[name].free_symbols:
            q = CATALOGUE[str(s)]
            assert q.is_input or q.is_path, (name, s)  # a path: the optimiser's input
            assert q.kind != "previous", (name, s)
    for name in ("fleet_stock", "fleet_gpus", "year", "npv_to_date", "cumulative_cash"):
        assert any(CATALOGUE[str(s)].kind == "previous" for s in STEP[name].free_symbols), name
    assert prev("fleet_stock") in STEP["fleet_stock"].free_symbols
    assert CATALOGUE["fleet_stock_prev"].kind == "previous"
    assert CATALOGUE["fleet_stock_prev"].unit == CATALOGUE["fleet_stock"].unit
    # the base year buys and retires nothing, whatever the inputs
    assert INITIAL["gpus_purchased"] == 0 and INITIAL["gpus_retired"] == 0


def test_required_columns_are_rows():
    required = ["year", "step_length", "mid_step_years", "fleet_gpus", "fleet_stock",
                "ai_rd_multiplier", "research_speedup", "software_efficiency", "capability",
                "capability_gap", "inference_revenue", "capex", "compute_cost", "depreciation",
                "gross_margin", "free_cash_flow", "cumulative_cash", "npv_to_date",
                "terminal_value", "npv", "payback_year", "discount_factor"]
    uses = ("training", "research", "automation", "inference", "other")
    required += [f"{p}_{u}" for u in uses for p in ("share", "compute", "budget")]
    assert set(required) <= set(STEP_ROWS)


def test_summary_reads_npv_terminal_value_and_payback(small_closed):
    out = summary(small_closed)
    last = small_closed.iloc[-1]
    assert out["npv"] == last["npv"]
    assert out["npv"] == near(last["npv_to_date"] + last["terminal_value"])
    assert out["terminal_value"] == last["terminal_value"] > 0
    assert out["payback_year"] == 2024  # profitable from the base year
    assert out["cumulative_cash"] == last["cumulative_cash"]
    assert out["final_year"] == 2025


def test_summary_has_no_payback_when_cash_never_turns():
    # at a thousandth of the price the fleet never earns its rent back: no payback, and a
    # terminal value of 0 (a losing lab would exit, not lose money for ever)
    df = small(years=3, closed=True, token_price=0.001)
    assert (df["cumulative_cash"] < 0).all() and (df["payback_year"] == 0).all()
    out = summary(df)
    assert out["payback_year"] is None
    assert out["terminal_value"] == 0
    assert out["npv"] == df["npv_to_date"].iloc[-1] < 0


@pytest.mark.parametrize(("years", "step"), [(0, "year"), (-3, "year"), (2, "fortnight"),
                                             (2.5, "year"), (1000, "quarter")])
def test_bad_horizon_or_step(years, step):
    with pytest.raises(InputError):
        steps_for(years, step)
