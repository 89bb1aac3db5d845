"""The market's labs at end-2025: every value cited, the fleets Epoch's, the world accounted
for, each lab runnable alone with its base year reproducing its fleet and revenue.
"""

from __future__ import annotations

import json
import math
import time

import numpy as np
import pytest

from model.core.errors import InputError
from model.core.sources import REFERENCES, reference_keys
from model.loop.projection import project
from model.market.fields import FIELDS, REQUIRED, SHARES, records
from model.market.labs import BASE_YEAR, OPENAI_RESEARCH, OPENAI_STAFF, WORLD_DEPLOYED
from model.market.single_lab import lab_inputs, lab_settings
from model.market.world import LABS, MARKET, TEMPLATE

HANG = 2.0  # seconds: a hang detector, far above any bounded case
# Epoch AI, data/lab_compute_year_end_by_lab.csv: (p5, median, p95) H100e at end-2025.
EPOCH_2025 = {
    "openai": (1251477.0828997404, 1743439.8493869188, 2185142.3455992746),
    "anthropic": (842241.6260268212, 1189573.8857074357, 1716534.7037994058),
    "google-deepmind": (1008220.4725750112, 1583429.9538668268, 2548755.702786412),
    "xai": (587268.4845382306, 634792.6058833487, 786632.5928349933),
    "meta": (606301.475799089, 996228.0602346028, 1637712.6527012342),
}
# Reported 2025 revenue (USD): OpenAI $13.1B, Anthropic $4.5B, Meta none from its models.
REPORTED_REVENUE = {"openai": 13.1e9, "anthropic": 4.5e9, "meta": 0.0}
BASE_TOLERANCE = 1e-9  # relative: the base year is data, reproduced to rounding


def one_line(message: str, *names: str) -> None:
    assert "\n" not in message and "Traceback" not in message, message
    assert all(n in message for n in names), (names, message)
    assert len(message) < 400, message


def refused(call, *names: str) -> str:
    """`call()` raises one InputError line naming `names`, in bounded time."""
    start = time.perf_counter()
    with pytest.raises(InputError) as info:
        call()
    assert time.perf_counter() - start < HANG
    one_line(str(info.value), *names)
    return str(info.value)


# ---------------------------------------------------------------------------------------------
# The data: cited, Epoch's fleets, the world accounted for
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lab", [*MARKET, TEMPLATE], ids=lambda lab: lab.name)
def test_every_field_of_every_lab_is_cited(lab):
    assert set(REQUIRED) <= set(lab.values) <= set(FIELDS)
    for name, (value, citation) in lab.values.items():
        keys = reference_keys(citation)
        assert keys, f"{lab.name}.{name} cites nothing: {citation!r}"
        assert set(keys) <= set(REFERENCES), f"{lab.name}.{name}: {keys}"
        if not FIELDS[name].choices:
            assert math.isfinite(value) and FIELDS[name].min <= value <= FIELDS[name].max


@pytest.mark.parametrize("lab", MARKET, ids=lambda lab: lab.name)
def test_assumptions_are_labelled_with_an_interval(lab):
    for name, (_, citation) in lab.values.items():
        if "[assumption]" in citation:
            assert name in lab.intervals, f"{lab.name}.{name} is assumed without an interval"
    for name, (lo, hi) in lab.intervals.items():
        assert lo <= lab.value(name) <= hi, f"{lab.name}.{name} outside its interval"


def test_some_values_are_assumptions_and_the_sourced_ones_are_not():
    """Not vacuous: the labs without a published split or revenue assume them; OpenAI's and
    Anthropic's split, revenue and fleet come from their sources."""
    assumed = {(lab.name, n) for lab in MARKET for n, (_, c) in lab.values.items()
               if "[assumption]" in c}
    assert {("google-deepmind", "share_inference"), ("google-deepmind", "revenue"),
            ("xai", "share_inference"), ("xai", "revenue"), ("rest-of-world", "revenue"),
            ("rest-of-world", "rented_share")} <= assumed
    for name in ("openai", "anthropic"):
        for field in ("fleet_gpus", "share_inference", "revenue", "rented_share"):
            assert (name, field) not in assumed


@pytest.mark.parametrize("name", EPOCH_2025)
def test_fleets_are_epochs_end_2025_estimates(name):
    lo, median, hi = EPOCH_2025[name]
    assert LABS[name].value("fleet_gpus") == pytest.approx(median, abs=0.01)
    assert LABS[name].intervals["fleet_gpus"] == pytest.approx((lo, hi), abs=0.01)
    assert "[epoch-lab-compute]" in LABS[name].values["fleet_gpus"][1]


def test_the_named_labs_and_the_rest_make_the_world_stock():
    fleets = {lab.name: lab.value("fleet_gpus") for lab in MARKET}
    assert sum(fleets.values()) == pytest.approx(WORLD_DEPLOYED, rel=1e-12)
    assert WORLD_DEPLOYED == 16e6  # Epoch: ~16M H100e deployed at end-2025
    assert fleets["rest-of-world"] == pytest.approx(
        16e6 - sum(m for _, m, _ in EPOCH_2025.values()), abs=0.1)
    assert sum(lab.value("lab_supply_share") for lab in MARKET) == pytest.approx(1, abs=1e-12)


def test_sourced_splits_revenue_and_ownership():
    split = {lab.name: lab.value("share_inference") for lab in MARKET}
    assert (split["openai"], split["anthropic"]) == (0.5, 0.4)  # Epoch: ~50%, ~40% over 2025
    for name, revenue in REPORTED_REVENUE.items():
        assert LABS[name].value("revenue") == revenue
    rented = {lab.name: lab.value("rented_share") for lab in MARKET}
    assert rented["openai"] == rented["anthropic"] == 1 and rented["google-deepmind"] == 0
    assert rented["xai"] == pytest.approx(1 - 553_714 / EPOCH_2025["xai"][1], abs=1e-6)
    for lab in MARKET:
        assert sum(lab.value(s) for s in SHARES) == pytest.approx(1, abs=1e-12), lab.name


def test_research_staff_follows_each_labs_research_compute():
    for lab in MARKET:
        research = lab.value("fleet_gpus") * lab.value("share_research")
        assert lab.value("research_staff") == pytest.approx(
            OPENAI_STAFF * research / OPENAI_RESEARCH, rel=1e-12), lab.name


def test_records_list_every_value_with_its_source():
    rows = records(MARKET)
    assert len(rows) == sum(len(lab.values) for lab in MARKET)
    row = next(r for r in rows if (r["lab"], r["field"]) == ("openai", "fleet_gpus"))
    assert row["unit"] == "GPU" and row["interval"] == list(LABS["openai"].intervals[
        "fleet_gpus"]) and row["source"].startswith("[epoch-lab-compute]")
    json.dumps(rows)  # plain data


# ---------------------------------------------------------------------------------------------
# Each lab alone through the single-lab projection
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lab", MARKET, ids=lambda lab: lab.name)
def test_each_lab_runs_alone_and_its_base_year_is_its_data(lab):
    frame = project(lab_settings(lab), years=2)
    first = frame.iloc[0]
    assert first["year"] == BASE_YEAR
    fleet, revenue = lab.value("fleet_gpus"), lab.value("revenue")
    assert first["fleet_gpus"] == pytest.approx(fleet, rel=BASE_TOLERANCE)
    assert first["fleet_stock"] == pytest.approx(fleet, rel=BASE_TOLERANCE)
    assert first["inference_revenue"] == pytest.approx(revenue, rel=BASE_TOLERANCE, abs=1e-6)
    assert first["share_inference"] == lab.value("share_inference")
    assert np.isfinite(frame.to_numpy(dtype=float)).all(), lab.name


@pytest.mark.parametrize("lab", MARKET, ids=lambda lab: lab.name)
def test_lab_settings_cite_the_lab(lab):
    settings = lab_settings(lab)
    for name, (_, citation) in lab_inputs(lab).items():
        assert settings.sources[name] == citation, name
    basis = "rented" if lab.value("rented_share") >= 0.5 else "owned"
    assert settings.text("cost_basis") == basis
    if lab.value("revenue") > 0:
        assert settings.sources["token_price"].startswith(lab.values["revenue"][1])
    assert settings.overrides == {} and settings.scenario == "status-quo"


def test_overrides_win_and_the_revenue_still_holds():
    lab = LABS["openai"]
    settings = lab_settings(lab, "brakes", {"fleet_gpus": "1e6 GPU"})
    assert settings.values["fleet_gpus"] == 1e6 and settings.sources["fleet_gpus"] == \
        "user setting"
    assert settings.text("allocation_policy") == "inference-first"  # the scenario's
    first = project(settings, years=1).iloc[0]
    assert first["inference_revenue"] == pytest.approx(13.1e9, rel=BASE_TOLERANCE)
    assert first["fleet_gpus"] == 1e6
