"""Monte Carlo: ordered percentiles, reproducible by seed; sampling reads the 90% intervals."""

from __future__ import annotations

import numpy as np
import pytest

from model.core.loop_inputs import FRONTIER_PRICE_DECLINE
from model.loop.montecarlo import UNCERTAIN, monte_carlo, sample_inputs
from model.loop.projection import STEP_ROWS, project
from model.loop.scenarios import scenario_settings
from model.policy.deciders import moved


@pytest.fixture(scope="module")
def settings():
    return scenario_settings(None, "brakes")


def test_percentiles_ordered_and_reproducible(settings):
    a = monte_carlo(settings, years=5, samples=400, seed=7)
    b = monte_carlo(settings, years=5, samples=400, seed=7)
    c = monte_carlo(settings, years=5, samples=400, seed=8)
    assert a.equals(b)
    assert not a.equals(c)
    for row in STEP_ROWS:
        if row == "year":
            continue
        p5, p50, p95 = (a[f"{row}_p{p}"].to_numpy() for p in (5, 50, 95))
        assert (p5 <= p50 + 1e-12 * abs(p50)).all() and (p50 <= p95 + 1e-12 * abs(p95)).all()
    assert (a["software_efficiency_p95"].iloc[-1] > a["software_efficiency_p5"].iloc[-1])


def test_one_sample_per_input_matches_the_deterministic_run(settings):
    draws = sample_inputs(settings.values, 1, seed=3)
    fixed = {n: str(float(draws[n][0])) for n in UNCERTAIN}
    one = monte_carlo(settings, years=4, samples=1, seed=3)
    det = project(scenario_settings(None, "brakes", overrides=fixed), years=4)
    assert np.allclose(one["software_efficiency_p50"], det["software_efficiency"], rtol=1e-9)


def test_sampled_factors_have_the_stated_90_percent_interval(settings):
    draws = sample_inputs(settings.values, 200_000, seed=1)
    factor = draws["token_price"] / settings.values["token_price"]
    lo, hi, _ = UNCERTAIN["token_price"]
    assert np.quantile(factor, 0.05) == pytest.approx(lo, rel=0.02)
    assert np.quantile(factor, 0.95) == pytest.approx(hi, rel=0.02)
    # an input set to 0 stays 0: the factors multiply (flat research staff stays flat)
    off = sample_inputs(scenario_settings(None, "ai-2027", overrides={
        "researcher_growth": 0}).values, 100, seed=1)
    assert (np.asarray(off["researcher_growth"]) == 0).all()


def test_a_drawn_elasticity_keeps_the_token_growth_the_trend_was_split_from(settings):
    """tokens_per_task_growth is what is left of ln 5 a year of token growth once user growth
    (ln 3 over 13 months) and the price effect (elasticity x ln 6 / 2.40 a year) are taken out.
    A draw of the elasticity moves it the other way, so the per-user trend plus the price effect
    stays its own draw around ln 5 - 1.0141 = 0.5953 a year, whatever the elasticity drawn
    (drawn apart, a low elasticity with the trend split out at 1.11 lost demand every year)."""
    draws = sample_inputs(settings.values, 100_000, seed=2)
    e, trend = draws["demand_price_elasticity"], draws["tokens_per_task_growth"]
    kept = trend + e * FRONTIER_PRICE_DECLINE
    assert FRONTIER_PRICE_DECLINE == pytest.approx(np.log(6) / 2.40)
    assert np.median(kept) == pytest.approx(np.log(5) - np.log(3) * 12 / 13, abs=2e-3)
    assert abs(np.corrcoef(kept, e)[0, 1]) < 0.02
    assert np.corrcoef(trend, e)[0, 1] < -0.9
    # the tornado's and the deciders' ends move the two together too, by hand: at 0.5,
    # -0.2334 + (1.11 - 0.5) x 0.7466 = 0.2221
    assert moved("ai-2027-lab-2024", "demand_price_elasticity", 0.5) == pytest.approx(
        {"demand_price_elasticity": 0.5, "tokens_per_task_growth": 0.2221}, abs=1e-4)
    assert moved("ai-2027-lab-2024", "software_returns", 0.5) == {"software_returns": 0.5}


def test_large_run(settings):
    df = monte_carlo(settings, years=30, samples=20_000, seed=0)
    assert len(df) == 1 + 29 * 4 and np.isfinite(df["fleet_gpus_p50"]).all()
