"""Monte Carlo: ordered percentiles, reproducible by seed; sampling reads the 90% intervals."""

from __future__ import annotations

import numpy as np
import pytest

from model.loop.montecarlo import UNCERTAIN, monte_carlo, sample_inputs
from model.loop.projection import STEP_ROWS, project
from model.loop.scenarios import scenario_settings


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


def test_large_run(settings):
    df = monte_carlo(settings, years=30, samples=20_000, seed=0)
    assert len(df) == 1 + 29 * 4 and np.isfinite(df["fleet_gpus_p50"]).all()
