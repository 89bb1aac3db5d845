"""The projection step by step against hand arithmetic, and its symbolic structure."""

from __future__ import annotations

import math

import pytest

from model.core.catalogue import CATALOGUE
from model.core.errors import InputError
from model.core.loop_inputs import prev
from model.loop.projection import INITIAL, STEP, STEP_ROWS, project, steps_for, summary
from model.loop.scenarios import OPEN_LOOP, scenario_settings

SMALL = {
    "fleet_gpus": 1000, "share_training": 0.5, "share_research": 0.25, "share_automation": 0,
    "share_inference": 0.25, "share_other": 0, "cost_basis": "rented", "gpu_rental_price": 2,
    "gpu_capex": 20_000, "cluster_capex_multiplier": 1.5, "depreciation_life": 4,
    "price_performance_growth": 0, "investment_rate": 0.1, "reinvestment_rate": 0.5,
    "token_price": 1, "serving_active_params": 1e9, "inference_flops_per_param_token": 2,
    "gpu_peak_flops": 1e15, "util_inference": 0.5, "discount_rate": 0.1,
    "user_demand_growth": 0.3, "tokens_per_task_growth": 0.3,
}
# The hand arithmetic below is of the open loop (each closed-loop part switched off); the closed
# loop's rows have their own hand arithmetic further down.
SMALL_OPEN = {**SMALL, **OPEN_LOOP}


@pytest.fixture(scope="module")
def small():
    return project(scenario_settings(None, "status-quo", overrides=SMALL_OPEN), years=2)


def test_first_step_by_hand(small):
    r = small.iloc[0]
    revenue = 250 * 1e15 * 0.5 * 3600 * 8760 / (2 * 1e9) * 1 / 1e6  # tokens x $1/M
    assert r["year"] == 2024
    assert r["gpus_retired"] == pytest.approx(1000 * (1 - math.exp(-1 / 4)))  # 1/life, decayed
    assert r["inference_revenue"] == pytest.approx(revenue)
    assert revenue == pytest.approx(1.971e9)
    assert r["compute_cost"] == pytest.approx(1000 * 2 * 8760)
    assert r["gross_margin"] == pytest.approx(revenue - 250 * 2 * 8760)
    assert r["external_investment"] == pytest.approx(0.1 * 1000 * 30_000)
    capex = 3e6 + 0.5 * revenue
    assert r["capex"] == pytest.approx(capex)
    assert r["gpus_purchased"] == pytest.approx(capex / 30_000)
    fcf = revenue - 17.52e6  # rented: added GPUs are paid as rent, not as capex
    assert r["depreciation"] == 0
    assert r["free_cash_flow"] == pytest.approx(fcf)
    assert r["cumulative_cash"] == pytest.approx(fcf)
    assert r["npv_to_date"] == pytest.approx(fcf)
    assert r["payback_year"] == 2024
    assert r["software_progress_rate"] == pytest.approx(math.log(2) / (8 / 12))
    assert r["software_efficiency"] == 0 and r["ai_rd_multiplier"] == 1


def test_second_step_by_hand(small):
    r0, r1 = small.iloc[0], small.iloc[1]
    fleet = 1000 * math.exp(-1 / 4) + r0["capex"] / 30_000
    assert r1["year"] == 2025
    assert r1["fleet_gpus"] == pytest.approx(fleet)
    # Demand grows e^(0.3 + 0.3) (users, tokens per task) x 10^(0.2 x capability), capability
    # being this step's software efficiency and fleet growth in OOMs; far below the grown
    # capacity, so tokens served, and revenue, follow demand, not capacity.
    software = math.log(2) / (8 / 12) / math.log(10)
    cap = software + math.log10(fleet / 1000)
    demand = math.exp(0.6) * 10 ** (0.2 * cap)
    assert r1["capability"] == pytest.approx(cap)
    assert r1["token_capacity"] == pytest.approx(r0["token_capacity"] * fleet / 1000)
    assert r1["tokens_served"] == pytest.approx(r0["tokens_served"] * demand)
    assert r1["inference_revenue"] == pytest.approx(r0["inference_revenue"] * demand)
    assert r1["discount_factor"] == pytest.approx(1 / 1.1)
    assert r1["npv_to_date"] == pytest.approx(r0["npv_to_date"] + r1["free_cash_flow"] / 1.1)
    assert r1["software_efficiency"] == pytest.approx(math.log(2) / (8 / 12) / math.log(10))
    x = (0.7 * 1 + 0.3 * (fleet / 1000) ** -0.155) ** (1 / -0.155)
    assert r1["research_output"] == pytest.approx(x)
    assert r1["software_progress_rate"] == pytest.approx(math.log(2) / (8 / 12) * x)


def test_owned_fleet_counts_its_outlay_and_depreciation():
    df = project(scenario_settings(None, "status-quo",
                                   overrides={**SMALL_OPEN, "cost_basis": "owned"}), years=1)
    r = df.iloc[0]
    assert r["depreciation"] == pytest.approx(1000 * 30_000 / 4)
    assert r["cumulative_cash"] == pytest.approx(r["free_cash_flow"] - 1000 * 30_000)


def test_quarter_steps_scale_flows_by_the_step():
    q = project(scenario_settings(None, "status-quo", overrides=SMALL_OPEN), years=1,
                step="quarter")
    assert list(q["year"]) == [2024, 2024.25, 2024.5, 2024.75]
    assert q["gpus_retired"].iloc[0] == pytest.approx(1000 * (1 - math.exp(-0.25 / 4)))
    assert q["cumulative_cash"].iloc[0] == pytest.approx(q["free_cash_flow"].iloc[0] * 0.25)


def test_initial_uses_inputs_only_and_step_uses_prev_rows():
    for name in STEP_ROWS:
        for s in INITIAL[name].free_symbols:
            q = CATALOGUE[str(s)]
            assert q.is_input or q.is_path, (name, s)  # a path: the optimiser's input
    assert prev("fleet_gpus") in STEP["fleet_gpus"].free_symbols
    assert CATALOGUE["fleet_gpus_prev"].kind == "previous"
    assert CATALOGUE["fleet_gpus_prev"].unit == CATALOGUE["fleet_gpus"].unit


def test_required_columns_are_rows():
    required = ["year", "fleet_gpus", "ai_rd_multiplier", "research_speedup",
                "software_efficiency", "capability", "inference_revenue", "capex",
                "compute_cost", "depreciation", "gross_margin", "free_cash_flow",
                "cumulative_cash", "npv_to_date", "payback_year", "discount_factor"]
    uses = ("training", "research", "automation", "inference", "other")
    required += [f"{p}_{u}" for u in uses for p in ("share", "compute", "budget")]
    assert set(required) <= set(STEP_ROWS)


def test_summary_reads_npv_and_payback(small):
    out = summary(small)
    assert out["npv"] == pytest.approx(small["npv_to_date"].iloc[-1])
    assert out["payback_year"] == 2024


@pytest.mark.parametrize(("years", "step"), [(0, "year"), (-3, "year"), (2, "fortnight"),
                                             (2.5, "year"), (1000, "quarter")])
def test_bad_horizon_or_step(years, step):
    with pytest.raises(InputError):
        steps_for(years, step)
