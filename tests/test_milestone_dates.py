"""Milestone dates over the research/inference split (model.loop.milestone_dates): the crossing
arithmetic by hand, what holds of the dates along the split, and the measured spreads that
docs/MODEL.md quotes."""

from __future__ import annotations

import math

import numpy as np
import pytest

from model.core.errors import InputError
from model.core.loop_inputs import MILESTONES
from model.loop.milestone_dates import (
    DARK_COMPUTE,
    PLAUSIBLE,
    WEEKS_PER_YEAR,
    crossing_dates,
    spread,
    sweep,
)
from model.loop.projection import project
from model.loop.scenarios import scenario_settings

_CACHE: dict = {}


def swept(preset, scenario, hold=False, fractions=None):
    key = (preset, scenario, hold, None if fractions is None else tuple(fractions))
    if key not in _CACHE:
        _CACHE[key] = sweep(preset, scenario, fractions=fractions, hold=hold)
    return _CACHE[key]


# --- the crossing, by hand ---------------------------------------------------------------------

def test_crossing_is_interpolated_within_the_step():
    # 1 OOM at 2025, 3 at 2026: 2 OOMs is half way, 2025.5; 2.5 is three quarters, 2025.75
    years, path = [2024.0, 2025.0, 2026.0], [0.0, 1.0, 3.0]
    assert crossing_dates(years, path, 2.0) == pytest.approx(2025.5)
    assert crossing_dates(years, path, 2.5) == pytest.approx(2025.75)
    assert crossing_dates(years, path, 1.0) == pytest.approx(2025.0)  # on a step: that step


def test_crossing_at_the_start_and_never():
    years, path = [2024.0, 2024.25, 2024.5], [0.5, 0.6, 0.7]
    assert crossing_dates(years, path, 0.2) == 2024.0  # already there at the first step
    assert math.isnan(crossing_dates(years, path, 0.71))  # not within the horizon


def test_crossing_per_column_and_flat_stretches():
    # column 0 crosses 1 between 2025 (0.5) and 2026 (2.5): 2025.25; column 1 stays at 1 from
    # 2025 on (first reached there); column 2 never does
    years = [2024.0, 2025.0, 2026.0]
    path = np.array([[0.0, 0.0, 0.0], [0.5, 1.0, 0.2], [2.5, 1.0, 0.4]])
    out = crossing_dates(years, path, 1.0)
    assert out[:2] == pytest.approx([2025.25, 2025.0])
    assert math.isnan(out[2])


def test_spread_by_hand():
    import pandas as pd

    frame = pd.DataFrame({"research_fraction": [0.4, 0.6, 0.8],
                          "date_sc": [2032.0, 2031.0, 2031.5], "floor_sc": [False] * 3})
    frame.attrs["horizon"] = 2038.75
    s = spread(frame, "sc", 0.4, 0.8)
    assert s["change"] == pytest.approx(-0.5 * WEEKS_PER_YEAR)  # 26 weeks earlier at 0.8
    assert s["widest"] == pytest.approx(1.0 * WEEKS_PER_YEAR)  # 2031.0 to 2032.0
    assert not s["bound"] and not s["floor"]
    frame["date_sc"] = [np.nan, 2037.75, 2036.75]
    s = spread(frame, "sc", 0.4, 0.8)
    assert s["bound"] and s["widest"] == pytest.approx(2.0 * WEEKS_PER_YEAR)  # horizon stands in


# --- the sweep ---------------------------------------------------------------------------------

def test_the_ranges_are_sourced_and_hold_the_observed_split():
    assert PLAUSIBLE == pytest.approx((0.24 / 0.57, 0.57 / 0.70))  # AI 2027: 2024, Q4 2027
    assert PLAUSIBLE[0] < 4.5 / 6.4 < PLAUSIBLE[1]  # OpenAI 2024 (Epoch) inside
    assert DARK_COMPUTE == (0.80, 0.95)


def test_the_swept_shares_keep_the_pool_and_the_preset_split_reproduces_the_projection():
    settings = scenario_settings("openai-2024", "ai-2027")
    own = settings.values["share_research"] / (settings.values["share_research"]
                                               + settings.values["share_inference"])
    frame = swept("openai-2024", "ai-2027", fractions=(0.5, own))
    pool = (frame["share_research"] + frame["share_inference"]).to_numpy()
    assert pool == pytest.approx([4.5 / 7 + 1.9 / 7] * 2)
    df = project(settings, years=15)
    for m in MILESTONES:
        alone = crossing_dates(df["year"], df["software_efficiency"],
                               settings.values[f"milestone_{m}"])
        assert frame[f"date_{m}"].iloc[1] == pytest.approx(alone, nan_ok=True)


def test_no_date_is_later_than_the_diffusion_floor_brings_it():
    # diffusion keeps a lab within diffusion_lag of the exogenous frontier, so no split can
    # delay a milestone past the date the floor reaches it
    fractions = np.linspace(0.05, 1.0, 8)
    for scenario in ("ai-2027", "inference-first", "compute-bottleneck"):
        settings = scenario_settings("openai-2024", scenario)
        df = project(settings, years=15)
        frame = swept("openai-2024", scenario, fractions=tuple(fractions))
        for m in ("sc", "sar"):
            floor = crossing_dates(df["year"], df["diffusion_floor"],
                                   settings.values[f"milestone_{m}"])
            assert (frame[f"date_{m}"] <= floor + 1e-9).all(), (scenario, m)


def test_on_the_floor_the_split_moves_nothing():
    for scenario in ("status-quo", "compute-bottleneck", "ideas-harder", "brakes"):
        frame = swept("openai-2024", scenario)
        # under the compute bottleneck OpenAI's own progress reaches SC before diffusion does,
        # so there the split moves it (by 0.17 years over the plausible range)
        for m in ("sar",) if scenario == "compute-bottleneck" else ("sc", "sar"):
            assert frame[f"floor_{m}"].all()
            assert np.ptp(frame[f"date_{m}"]) == 0.0
    bottleneck = swept("openai-2024", "compute-bottleneck")
    assert not bottleneck["floor_sc"].any()
    assert np.ptp(bottleneck["date_sc"]) == pytest.approx(0.17, abs=0.02)


def test_held_split_more_research_is_earlier_until_revenue_binds():
    # Not monotone over the whole pool: more research is earlier while the chip supply caps the
    # fleet, but with almost no inference the revenue that buys the fleet goes, and dates move
    # back (an interior optimum near 90% of the pool for OpenAI).
    fractions = (0.3, 0.42, 0.5, 0.6, 0.7, 0.81, 0.9, 0.95)
    frame = swept("openai-2024", "ai-2027", hold=True, fractions=fractions)
    for m in ("sc", "sar", "siar"):
        dates = frame[f"date_{m}"].to_numpy()
        assert np.all(np.diff(dates[:7]) < 0), m
        assert dates[7] > dates[6], m


def test_measured_spreads_quoted_in_model_md():
    # openai-2024 under ai-2027's multipliers, split held fixed, 42% -> 81% of the pool
    frame = swept("openai-2024", "ai-2027", hold=True,
                  fractions=tuple(np.linspace(*PLAUSIBLE, 9)))
    expected = {"sc": -21, "sar": -26, "siar": -34}  # weeks (quarterly steps, 15 years)
    for m, weeks in expected.items():
        assert spread(frame, m, *PLAUSIBLE)["change"] == pytest.approx(weeks, abs=2)
    # over dark_compute's range SC moves three weeks earlier from 80% to 90% of the pool, and at
    # 95% revenue binds and it comes back nine weeks
    near = swept("openai-2024", "ai-2027", hold=True, fractions=(0.80, 0.85, 0.90, 0.95))
    assert spread(near, "sc", 0.80, 0.90)["widest"] == pytest.approx(3.4, abs=0.5)
    assert spread(near, "sc", *DARK_COMPUTE)["widest"] == pytest.approx(8.6, abs=0.5)
    # under the schedule, which cuts the lab's inference in proportion, the same lab's dates
    # come 8-11 weeks earlier over the plausible range (SIAR came 59 weeks later when the
    # schedule took its 20 points of inference from every lab, serving nobody from late 2027)
    scheduled = swept("openai-2024", "ai-2027", fractions=tuple(np.linspace(*PLAUSIBLE, 9)))
    for m, weeks in {"sc": -8, "sar": -9, "siar": -11}.items():
        assert spread(scheduled, m, *PLAUSIBLE)["change"] == pytest.approx(weeks, abs=2)


def test_bad_fractions_are_an_input_error():
    with pytest.raises(InputError, match="fractions"):
        sweep("openai-2024", "ai-2027", fractions=[0.5, 1.2])
    with pytest.raises(InputError, match="unknown scenario"):
        sweep("openai-2024", "no-such-scenario")


def test_model_md_table_is_current():
    from model.loop.milestone_dates import markdown, table
    from model.report.model_doc import DOC

    assert markdown(table()) in DOC.read_text(), "regenerate with `make docs`"


# --- the command line ----------------------------------------------------------------------------

@pytest.mark.parametrize(("argv", "fragments"), [
    (["--preset", "nope"], ["unknown preset", "nope"]),
    (["--scenario", "nope"], ["unknown scenario", "nope"]),
    (["--fractions", "0.5,x"], ["--fractions", "0.5,x"]),
    (["--fractions", "1.5"], ["--fractions", "between 0 and 1"]),
    (["--fractions", "nan"], ["--fractions", "nan"]),
    (["--years", "0"], ["years", ">= 1"]),
    (["--step", "week"], ["step", "week"]),
])
def test_cli_bad_input_is_one_line_and_status_2(argv, fragments, capsys):
    from model.cli.main import main

    assert main(["milestones", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ")
    for f in fragments:
        assert f in err


def test_cli_formats_carry_the_same_dates(capsys):
    import csv
    import io
    import json

    from model.cli.main import main

    argv = ["milestones", "--scenario", "ai-2027", "--hold", "--fractions", "0.42,0.81"]
    assert main([*argv, "--format", "json"]) == 0
    def refuse(constant: str):
        raise ValueError(f"non-standard JSON constant {constant}")

    doc = json.loads(capsys.readouterr().out, parse_constant=refuse)["scenarios"]["ai-2027"]
    assert [r["date_sc"] for r in doc["rows"]] == pytest.approx([2031.07, 2030.67], abs=0.01)
    assert doc["rows"][0]["date_asi"] is None  # not reached: null, not NaN
    assert doc["spread_weeks"]["sc"]["change"] == pytest.approx(-21, abs=2)
    assert main([*argv, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [float(r["date_sc"]) for r in rows] == pytest.approx(
        [r["date_sc"] for r in doc["rows"]])
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert all(f"{r['date_sc']:.2f}" in text for r in doc["rows"]) and "not reached" in text
