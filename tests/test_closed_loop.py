"""The closed loop (issue 10): chip supply, capital, customers and the software ceiling, by hand
arithmetic on a small fleet, each part switchable back to the open loop, and its promises for
every preset and scenario at defaults."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from model.core.catalogue import CATALOGUE
from model.core.presets import PRESETS
from model.loop.convergence import TOLERANCE, agreement, compare, convergence_table, markdown
from model.loop.projection import STEPS, project, steps_for
from model.loop.scenarios import OPEN_LOOP, SCENARIOS, scenario_settings

LN10 = math.log(10)
SMALL = {
    "fleet_gpus": 1000, "share_training": 0.5, "share_research": 0.25, "share_automation": 0,
    "share_inference": 0.25, "share_other": 0, "cost_basis": "rented", "gpu_rental_price": 2,
    "gpu_capex": 20_000, "cluster_capex_multiplier": 1.5, "depreciation_life": 4,
    "price_performance_growth": 0, "rental_price_decline": 0, "token_price": 1,
    "serving_active_params": 1e9, "inference_flops_per_param_token": 2, "gpu_peak_flops": 1e15,
    "util_inference": 0.5, "discount_rate": 0.1, "reinvestment_rate": 0.5,
    # the closed loop's parts, at round values
    "world_gpus_anchor": 1e6, "world_anchor_year": 2024, "world_gpu_growth": math.log(2),
    "world_gpus_ceiling": 1e7, "lab_supply_share": 0.001, "external_financing": 1e7,
    "financing_growth": 0, "token_price_decline": LN10, "demand_price_elasticity": 1.5,
    "user_ceiling_multiple": 10, "user_demand_growth": 0.5, "tokens_per_task_growth": 0.2,
    "demand_capability_elasticity": 0, "competitive_markup": 1, "software_ceiling": 2,
}
TOKENS_PER_GPU = 1e15 * 0.5 * 3600 * 8760 / (2 * 1e9)  # token/GPU/year
HISTORICAL = math.log(2) / (8 / 12)  # software progress without AI, e-folds a year


def averaged(start: float, growth: float) -> float:
    """Mean over a year of a price moving from `start` by `growth` e-folds: start (e^g - 1)/g."""
    return start * math.expm1(growth) / growth




def under_ceiling(software: float, drive: float = HISTORICAL, ceiling: float = 2) -> float:
    """Software efficiency a year on at `drive` under the ceiling's penalty (1 - S / ceiling):
    ceiling - (ceiling - S) exp(-drive / (ceiling ln 10))."""
    return ceiling - (ceiling - software) * math.exp(-drive / (ceiling * LN10))


# The first year: the market falls 10x while software is expected to advance at the historical
# rate under SMALL's 2-OOM ceiling, each of its OOMs raising the price 10x
# (capability_price_elasticity 1).
A_YEAR = averaged(1, LN10 * under_ceiling(0) - LN10)


def small(years=2, step="year", **more):
    return project(scenario_settings(None, "status-quo", overrides={**SMALL, **more}),
                   years=years, step=step)


def world(year: float) -> float:
    return 1e7 / (1 + 9 * math.exp(-math.log(2) * (year - 2024)))


def test_world_supply_by_hand():
    r0, r1 = small().iloc[0], small().iloc[1]
    assert r0["world_gpus"] == pytest.approx(1e6)
    assert r1["world_gpus"] == pytest.approx(world(2025)) and world(2025) == pytest.approx(
        1e7 / 5.5)
    made = world(2025) - 1e6 + 1e6 * (1 - math.exp(-1 / 4))  # growth + replacement
    assert r0["world_gpu_production"] == pytest.approx(made)
    assert r0["gpus_purchasable"] == pytest.approx(0.001 * made)


def test_capital_and_purchases_by_hand():
    r0 = small().iloc[0]
    revenue = 250 * TOKENS_PER_GPU * 1 * A_YEAR / 1e6  # the first year's average price
    assert r0["token_price"] == pytest.approx(A_YEAR)
    assert r0["inference_revenue"] == pytest.approx(revenue)
    ocf = revenue - 1000 * 2 * 8760
    assert r0["operating_cash_flow"] == pytest.approx(ocf)
    capital = 1e7 + 0.5 * max(0.0, ocf)
    assert r0["capital_available"] == pytest.approx(capital)
    affordable = capital / 30_000
    assert r0["gpus_affordable"] == pytest.approx(affordable)
    purchasable = r0["gpus_purchasable"]
    assert purchasable < affordable  # chips, not money, limit this lab
    assert r0["gpus_purchased"] == pytest.approx(purchasable)
    assert r0["capex"] == pytest.approx(purchasable * 30_000)
    assert r0["unspent_capex"] == pytest.approx(capital - purchasable * 30_000)
    assert r0["binding_constraint"] == 1  # supply


def test_price_floor_and_demand_curve_by_hand():
    df = small(years=3)
    r1, r2 = df.iloc[1], df.iloc[2]
    serving = 2 * 8760 * 1e6 / TOKENS_PER_GPU  # rented at $2: USD per million tokens
    assert r1["serving_cost"] == pytest.approx(serving)
    assert r1["token_price_market"] == pytest.approx(1 / 10)  # at the start of the year
    software = under_ceiling(0)  # a year at the historical rate, in OOMs, under the ceiling
    assert software < HISTORICAL / LN10  # what the year would give without the ceiling
    assert r1["software_efficiency"] == pytest.approx(software)
    # research lifts the price: 10^(1 x software efficiency) over the market's, and software is
    # expected to advance at last year's drive, again under the ceiling (2)
    assert df.iloc[0]["software_progress_drive"] == pytest.approx(HISTORICAL)
    assert df.iloc[0]["software_progress_rate"] == pytest.approx(HISTORICAL)  # headroom 1
    growth = LN10 * (under_ceiling(software) - software) - LN10
    assert r1["token_price_growth"] == pytest.approx(growth)
    assert r1["token_price"] == pytest.approx(averaged(10 ** software / 10, growth))
    assert r1["token_price"] > 2 * serving  # above the floor all year
    users = math.log(10 / (1 + 9 * math.exp(-0.5)))
    price_index = math.log(r1["token_price"] / A_YEAR)
    assert r1["log_price_index"] == pytest.approx(price_index)
    assert r1["log_inference_demand"] == pytest.approx(users + 0.2 - 1.5 * price_index)
    start = 10 ** r2["software_efficiency"] / 100
    assert r2["token_price"] == pytest.approx(averaged(start, r2["token_price_growth"]))


def test_the_ceiling_stops_software_progress():
    df = small(years=10, multiplier_path="ai-2027", software_halving_time=0.1)
    assert df["software_efficiency"].max() == pytest.approx(2)
    assert (df["software_efficiency"] <= 2 + 1e-12).all()
    assert df["software_headroom"].iloc[-1] == pytest.approx(0, abs=1e-12)
    assert df["software_progress_rate"].iloc[-1] == pytest.approx(0, abs=1e-9)
    first = df.iloc[0]
    assert first["software_headroom"] == 1
    # with the ceiling off, the same run overshoots it: the switch restores the open loop
    open_df = small(years=10, multiplier_path="ai-2027", software_halving_time=0.1,
                    ceiling_model="none")
    assert open_df["software_efficiency"].iloc[-1] > 2


@pytest.mark.parametrize(("switch", "row"), [
    ({"supply_limit": "none"}, "gpus_purchased"),
    ({"capital_limit": "investment-rate"}, "capital_available"),
    ({"demand_model": "fixed-price"}, "token_price"),
    ({"ceiling_model": "none"}, "software_efficiency"),
])
def test_each_part_switches_off_alone(switch, row):
    closed, opened = small(years=4), small(years=4, **switch)
    assert not np.allclose(closed[row], opened[row])


def test_the_open_loop_is_the_old_projection():
    df = small(years=3, **OPEN_LOOP)
    assert (df["token_price"] == 1).all()  # a fixed price
    assert df["binding_constraint"].eq(0).all() or df["binding_constraint"].isin([0, 3]).all()
    r0 = df.iloc[0]
    capex = 0.2 * 1000 * 30_000 + 0.5 * r0["inference_revenue"]  # the investment rate
    assert r0["capex"] == pytest.approx(capex)
    assert r0["gpus_purchased"] == pytest.approx(capex / 30_000)


def test_customers_cannot_spend_more_than_their_share_of_world_output():
    df = small(years=4, world_gdp=1e12, ai_spending_ceiling=1e-3)
    ceiling = 1e12 * 1e-3 * 0.001  # world output x AI share x the lab's share: $1M a year
    assert (df["inference_revenue"] <= ceiling * (1 + 1e-9)).all()
    assert df["inference_revenue"].iloc[-1] == pytest.approx(ceiling)


def test_month_steps():
    assert STEPS["month"] == pytest.approx(1 / 12)
    assert steps_for(10, "month") == (120, pytest.approx(1 / 12))
    df = small(years=1, step="month")
    assert len(df) == 12 and df["year"].iloc[-1] == pytest.approx(2024 + 11 / 12)


# --- promises for every preset and scenario at defaults, 10 years ahead ---------------------
CASES = [(preset, scenario) for preset in [None, *PRESETS] for scenario in SCENARIOS]
_RUNS: dict = {}


def run(preset, scenario, step="year"):
    key = (preset, scenario, step)
    if key not in _RUNS:
        _RUNS[key] = project(scenario_settings(preset, scenario), years=10, step=step)
    return _RUNS[key]


@pytest.mark.parametrize(("preset", "scenario"), CASES)
def test_the_closed_loop_holds(preset, scenario):
    df = run(preset, scenario)
    settings = scenario_settings(preset, scenario)
    share, ceiling = settings.values["lab_supply_share"], settings.values["software_ceiling"]
    # the fleet never outgrows the lab's share of the world's stock
    assert (df["fleet_gpus"] <= share * df["world_gpus"] * (1 + 1e-9)).all()
    assert (df["software_efficiency"] <= ceiling + 1e-12).all()
    # revenue <= price x tokens demanded at that price (compared in logs: demand may be vast)
    positive = df["inference_revenue"] > 0
    with np.errstate(divide="ignore"):  # presets with no inference demand nothing: log 0
        demanded = (np.log(df["initial_inference_gpus"] * df["tokens_per_gpu_year"])
                    + df["log_inference_demand"])
        sold = np.log(df["inference_revenue"] * 1e6 / df["token_price"])
    assert (sold[positive] <= demanded[positive] + 1e-9).all()
    assert np.isfinite(df.drop(columns=["payback_year"]).to_numpy()).all()


# Known shortfalls (docs/MODEL.md, "Step length"): NPVs that a fast first-year transient or a
# last-year take-off dominates, where GPUs bought in a step serving only from the next is a lag a
# quarter resolves coarsely. Held to these bounds instead, so that any further drift fails.
SHORTFALLS: dict = {}  # (preset, scenario) -> bounds beyond 5%: none


@pytest.mark.parametrize(("preset", "scenario"), CASES)
def test_month_and_quarter_steps_agree_within_5_percent(preset, scenario):
    bounds = SHORTFALLS.get((preset, scenario), (TOLERANCE,) * 3)
    for name, value, bound in zip(("fleet", "software", "npv"), compare(preset, scenario),
                                  bounds, strict=True):
        assert value <= bound, (name, value)


def test_agreement_is_relative_to_the_larger_value_or_the_scale():
    assert agreement(100, 95) == pytest.approx(0.05)
    assert agreement(1, -1, scale=100) == pytest.approx(0.02)
    assert agreement(0, 0) == 0


def test_the_docs_give_the_convergence_table():
    doc = (Path(__file__).resolve().parents[1] / "docs" / "MODEL.md").read_text()
    table = convergence_table()
    assert markdown(table) in doc, "regenerate with `make docs`"
    worst = table[["fleet_gpus", "software_efficiency", "npv"]].max(axis=1)
    beyond = {(None if r.preset == "(defaults)" else r.preset, r.scenario)
              for r in table[worst > TOLERANCE].itertuples()}
    assert beyond == set(SHORTFALLS), beyond  # the docs name exactly these


def test_step_inputs_accept_a_month():
    assert CATALOGUE["step_years"].min == pytest.approx(1 / 12)
