"""The lab's price per million tokens stays within the sourced band (issue 17, point 9): the
cheapest and the dearest listed token, moved through time as they have moved (inputs
token_price_band_*, rows token_price_band_min and _max), for every preset x scenario x step;
and over the input box, whose inputs reach far beyond their sources, within the wide band whose
low end falls at the fastest sourced decline of any price per token (Epoch: a fixed
performance's, 900x a year).

The band is the world's, not a knob: the box keeps it at its sourced values. Its premises are
a projection that starts in or after the band's year, from an observed price and under a value
cap within the band's ends (the box reaches back to 2000 and up to $1e5, where no list price
speaks); those three inputs are drawn within the premises, every other from its whole box. A
fourth premise is the low end's own source: a fixed capability's price may fall no faster than
the fastest sourced decline. The box's halving times down to a month, at capability price
elasticities up to 5, imply declines up to e^47 a year: 1 draw in 2,560 (seeds 200-209) leaves
the band, by a factor of 1e37 and more (a strict xfail).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from test_no_overflow import STEPS, _draw, random_box

from model.core.catalogue import CATALOGUE
from model.core.presets import PRESETS
from model.loop.projection import project, run_arrays
from model.loop.scenarios import SCENARIOS, check_loop, scenario_settings

TOL = 1e-9  # relative: the band's ends and the price are a few roundings from exact
PRICES = ("token_price", "token_price_competitive")
BAND = {n: float(q.default) for n, q in CATALOGUE.items()
        if n.startswith("token_price_band_") and q.is_input}
FASTEST = math.log(900)  # e-folds a year: a fixed performance's price, fastest task (Epoch)
WIDE = {**BAND, "token_price_band_low_decline": FASTEST}
KEEP = (*PRICES, "token_price_band_min", "token_price_band_max")
NAMED_STEPS = ("year", "quarter", "month")


def outside(out) -> dict[str, float]:
    """By what factor each price leaves the band at its worst step (absent: within it)."""
    low, high = np.asarray(out["token_price_band_min"]), np.asarray(out["token_price_band_max"])
    far = {}
    for name in PRICES:
        price = np.asarray(out[name])
        below, above = np.max(low / price), np.max(price / high)
        if below > 1 + TOL or above > 1 + TOL:
            far[name] = float(max(below, above))
    return far


def test_the_band_moves_as_sourced():
    # the ends at each step's middle: $0.01 falling as the cheapest listed token fell, to
    # $0.0028 two years on, from the start of 2024; $600 held
    df = project(scenario_settings("openai-2024"), years=2, step="year")
    assert df["token_price_band_min"].tolist() == pytest.approx(
        [0.01 * (0.28 ** 0.5) ** 0.5, 0.01 * (0.28 ** 0.5) ** 1.5], rel=1e-12)
    assert df["token_price_band_max"].tolist() == pytest.approx([600.0, 600.0], rel=1e-12)
    before = project(scenario_settings("openai-2024", overrides={"start_year": 2020}), years=2,
                     step="year")
    # before the band's year its ends hold (earlier lists only widen it)
    assert before["token_price_band_min"].tolist() == pytest.approx([0.01, 0.01], rel=1e-12)


@pytest.mark.parametrize("step", NAMED_STEPS)
@pytest.mark.parametrize("scenario", list(SCENARIOS))
@pytest.mark.parametrize("preset", list(PRESETS))
def test_every_preset_prices_within_the_band(preset, scenario, step):
    assert outside(project(scenario_settings(preset, scenario), years=10, step=step)) == {}


def test_the_check_can_fail():
    # OpenAI's observed 2024 price ($0.22) is above a band that ends at $0.1 ...
    settings_ = scenario_settings("openai-2024", overrides={"token_price_band_high": 0.1})
    assert set(outside(project(settings_, years=2))) == set(PRICES)
    # ... and its 2033 price ($0.00031) below one whose low end does not fall
    settings_ = scenario_settings("openai-2024", overrides={"token_price_band_low_decline": 0})
    assert outside(project(settings_, years=10, step="year"))["token_price"] == pytest.approx(
        0.01 / 3.10e-4, rel=0.01)


def on_premises(values: dict, start_year, price, cap) -> dict:
    """The box's values with the wide band and the three premises drawn within it."""
    return {**values, **WIDE, "start_year": start_year, "token_price": price,
            "token_value_cap": cap}


def _log_uniform(rng, low: float, high: float, n: int) -> np.ndarray:
    return np.exp(rng.uniform(math.log(low), math.log(high), n))


def fixed_capability_decline(values: dict):
    """How fast (e-folds a year) the inputs make a fixed capability's price fall: the frontier's
    price decline plus the capability premium lost as the frontier advances at the historical
    rate (the identity frontier_inputs.CAPABILITY_PRICE_ELASTICITY is set from)."""
    rate = math.log(2) / np.asarray(values["software_halving_time"])
    return values["frontier_price_decline"] + values["capability_price_elasticity"] * rate


def box(seed: int, n: int = 256) -> dict:
    """`n` draws of the box on the band's first three premises."""
    rng = np.random.default_rng(seed)
    low, high = BAND["token_price_band_low"], BAND["token_price_band_high"]
    start = rng.uniform(BAND["token_price_band_year"], 2100, n)
    return on_premises(random_box(rng, n), start, _log_uniform(rng, low, high, n),
                       _log_uniform(rng, CATALOGUE["token_value_cap"].min, high, n))


@pytest.mark.parametrize("step", list(STEPS))
@pytest.mark.parametrize("seed", range(200, 203))
def test_the_box_prices_within_the_band(step, seed):
    values = box(seed)
    kept = fixed_capability_decline(values) <= FASTEST
    assert kept.sum() >= 200  # the fourth premise drops few draws (one in ten at most)
    values = {n: v[kept] if np.ndim(v) else v for n, v in values.items()}
    out = run_arrays({**values, "step_years": step}, STEPS[step], keep=KEEP)
    assert outside(out) == {}


@pytest.mark.xfail(strict=True, reason=(
    "measured: draw 162 of seed 243 (a 1.3-month software halving time at capability price "
    "elasticity 2.54 and no competition floor: a fixed capability's price falls e^19.9 a year, "
    "against the fastest sourced e^6.8) leaves the band by 1.0e6x (yearly steps), 5.3e8x "
    "(quarterly), 7.1e8x (monthly) at worst; seed 236's draw 141 (e^8.5 a year), which it "
    "replaced, left it at quarterly and monthly steps only once demand came to move tokens per "
    "user with the elasticity (the box draws the elasticity anywhere in 0-3)"))
@pytest.mark.parametrize("step", list(STEPS))
def test_a_decline_faster_than_any_sourced_leaves_the_band(step):
    # (the box's draws follow the catalogue's inputs: a new input moves them, and the seed)
    out = run_arrays({**box(243), "step_years": step}, STEPS[step], keep=KEEP)
    assert outside(out) == {}


@settings(max_examples=40, deadline=None)
@given(data=st.data(), step=st.sampled_from(list(STEPS)))
def test_any_point_of_the_box_prices_within_the_band(data, step):
    low, high = BAND["token_price_band_low"], BAND["token_price_band_high"]

    def log_floats(a: float, b: float):
        return st.floats(math.log10(a), math.log10(b)).map(lambda e: float(np.clip(10 ** e, a, b)))

    start = data.draw(st.floats(BAND["token_price_band_year"], 2100))
    values = on_premises(_draw(data.draw), start, data.draw(log_floats(low, high)),
                         data.draw(log_floats(CATALOGUE["token_value_cap"].min, high)))
    check_loop(values)
    assume(fixed_capability_decline(values) <= FASTEST)
    out = run_arrays({**values, "step_years": step}, STEPS[step], keep=KEEP)
    assert outside(out) == {}
