"""The six scenarios on every preset: invariants and the brakes' directions."""

from __future__ import annotations

import math

import numpy as np
import pytest

from model.core.errors import InputError
from model.core.presets import PRESETS
from model.loop.projection import project
from model.loop.scenarios import OPEN_LOOP, SCENARIOS, scenario_settings

USES = ("training", "research", "automation", "inference", "other")
HISTORICAL = math.log(2) / (8 / 12)
_CACHE: dict = {}


def run(scenario, preset=None, years=10, open_loop=False):
    """The projection of a scenario; `open_loop` switches every closed-loop part off."""
    key = (scenario, preset, years, open_loop)
    if key not in _CACHE:
        overrides = OPEN_LOOP if open_loop else None
        _CACHE[key] = project(scenario_settings(preset, scenario, overrides=overrides),
                              years=years)
    return _CACHE[key]


def progress(df):
    """Cumulative software progress over the horizon (OOM-years): what a brake slows, even where
    the ceiling makes the final efficiency equal."""
    return df["software_efficiency"].sum()


def test_scenario_names_are_fixed():
    assert list(SCENARIOS) == ["status-quo", "ai-2027", "compute-bottleneck", "ideas-harder",
                               "inference-first", "brakes"]


@pytest.mark.parametrize("preset", [None, *PRESETS])
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_every_scenario_runs_on_every_preset(scenario, preset):
    df = run(scenario, preset)
    assert len(df) == 10
    shares = df[[f"share_{u}" for u in USES]]
    assert np.allclose(shares.sum(axis=1), 1.0, atol=1e-9)
    assert (shares.to_numpy() >= 0).all()
    assert np.isfinite(df.drop(columns=["payback_year"]).to_numpy()).all()
    assert (df["fleet_gpus"] > 0).all()


@pytest.mark.parametrize("preset", [None, *PRESETS])
def test_status_quo_keeps_multiplier_one_and_the_historical_rate(preset):
    df = run("status-quo", preset)
    assert (df["ai_rd_multiplier"] == 1).all()  # exact: 1**y is 1 on every IEEE pow
    assert np.allclose(df["research_speedup"], 1)
    assert df["software_progress_rate"].iloc[0] == pytest.approx(HISTORICAL)


def test_status_quo_with_constant_research_inputs_stays_at_the_historical_rate():
    # investment replaces exactly what retires: 1 - e^(-1/5) of the fleet a year
    fixed = {**OPEN_LOOP, "investment_rate": 1 - math.exp(-1 / 5), "reinvestment_rate": 0,
             "price_performance_growth": 0}
    df = project(scenario_settings(None, "status-quo", overrides=fixed), years=8)
    assert np.allclose(df["fleet_gpus"], 600_000)
    assert np.allclose(df["software_progress_rate"], HISTORICAL)
    years = df["year"] - 2024
    assert np.allclose(df["software_efficiency"], HISTORICAL * years / math.log(10))


@pytest.mark.parametrize("preset", [None, *PRESETS])
def test_ai_2027_makes_more_progress_than_status_quo(preset):
    # the open loop, as before the ceiling: more than 10x the status quo's progress
    assert (run("ai-2027", preset, open_loop=True)["software_efficiency"].iloc[-1]
            > 10 * run("status-quo", preset, open_loop=True)["software_efficiency"].iloc[-1])
    # the closed loop: the ceiling caps it, but ai-2027 still gets there far sooner
    assert progress(run("ai-2027", preset)) > 1.5 * progress(run("status-quo", preset))


def test_headline_and_effective_speedup():
    ai = run("ai-2027")
    assert np.allclose(ai["research_speedup"], ai["ai_rd_multiplier"])
    # 5 x 5 x 10 x 8 as NumPy powers x**1, which SIMD pow need not return exactly: 1e-12
    assert ai["ai_rd_multiplier"].iloc[-1] == pytest.approx(2000, rel=1e-12)
    cb = run("compute-bottleneck")
    assert (cb["research_speedup"] <= cb["ai_rd_multiplier"] + 1e-12).all()
    above = cb["ai_rd_multiplier"] > 1
    assert above.any()
    assert (cb["research_speedup"][above] < cb["ai_rd_multiplier"][above]).all()


@pytest.mark.parametrize("preset", [None, "openai-2024", "ai-2027-lab-2024"])
def test_inference_first_ends_with_more_inference(preset):
    # the open loop; in the closed one a price that rises with capability cuts the tokens
    # demanded, and inference-first then hands research the pool (docs/MODEL.md)
    assert (run("inference-first", preset, open_loop=True)["share_inference"].iloc[-1]
            > run("ai-2027", preset, open_loop=True)["share_inference"].iloc[-1])


@pytest.mark.parametrize("brake", ["compute-bottleneck", "ideas-harder", "inference-first",
                                   "brakes"])
@pytest.mark.parametrize("preset", [None, "meta-2024", "openai-2024"])
def test_each_brake_slows_progress(brake, preset):
    assert (run(brake, preset, open_loop=True)["software_efficiency"].iloc[-1]
            < run("ai-2027", preset, open_loop=True)["software_efficiency"].iloc[-1])
    if brake != "inference-first":  # not a brake when prices rise with capability (above)
        assert progress(run(brake, preset)) < progress(run("ai-2027", preset))


def test_summary_path_is_an_alternative():
    df = project(scenario_settings(None, "ai-2027", overrides={"multiplier_path": "summary"}),
                 years=10)
    assert df["ai_rd_multiplier"].iloc[-1] == pytest.approx(1000)


def test_milestone_interpolation_is_log_linear():
    # Halfway (in OOMs) between 0 and the SC threshold the multiplier is sqrt(5): step 1 of
    # ai-2027 sits at one year at the historical rate (ln 2 / 8 months) under the 12-OOM
    # ceiling's penalty, 0.4432 OOMs (0.4515 without it).
    first = 12 * (1 - math.exp(-math.log(2) / (8 / 12) / (12 * math.log(10))))
    df = project(scenario_settings(None, "ai-2027", overrides={"milestone_sc": 2 * first}),
                 years=2)
    assert df["software_efficiency"].iloc[1] == pytest.approx(first, rel=1e-12)
    assert df["ai_rd_multiplier"].iloc[1] == pytest.approx(math.sqrt(5), rel=1e-5)


def test_user_overrides_beat_the_scenario():
    s = scenario_settings("openai-2024", "ai-2027", overrides={"allocation_policy": "fixed"})
    assert s.text("allocation_policy") == "fixed"
    assert s.text("multiplier_path") == "ai-2027"
    assert s.scenario == "ai-2027" and s.preset == "openai-2024"
    assert s.sources["multiplier_path"].startswith("[ai2027-takeoff]")


@pytest.mark.parametrize(("scenario", "overrides", "fragment"), [
    ("ai-2028", {}, "unknown scenario 'ai-2028' (did you mean 'ai-2027'?)"),
    ("brakes", {"research_ces_rho": 0}, "research_ces_rho: must not be 0"),
    ("brakes", {"milestone_sar": 1}, "milestones must increase"),
    ("brakes", {"allocation_policy": "random"}, "allocation_policy: expected one of"),
])
def test_bad_scenario_input(scenario, overrides, fragment):
    with pytest.raises(InputError) as err:
        scenario_settings(None, scenario, overrides=overrides)
    assert fragment in str(err.value)
    assert "\n" not in str(err.value)
