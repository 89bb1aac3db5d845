"""No projection row overflows (inf or NaN) at any input within its catalogue bounds, 10 years
ahead at yearly, quarterly and monthly steps, with the closed loop on.

Every numeric input is drawn from its whole box (log-uniformly where the catalogue marks it
log-scale), every choice from all its options, except the four closed-loop switches: their
second options (supply_limit=none, capital_limit=investment-rate, demand_model=fixed-price,
ceiling_model=none) restore the open loop, whose unbounded compounding at extreme inputs is the
limitation the closed loop removes (docs/MODEL.md, "The closed loop"). Inputs are then made
consistent the way scenario_settings demands (shares sum to 1, schedule periods to more than 0,
milestones and schedule periods increase, rho is not 0, the world ceiling exceeds its anchor,
terminal growth is below the discount rate).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.core.catalogue import CATALOGUE
from model.core.fleet_inputs import USES
from model.core.loop_inputs import MILESTONES, SCHEDULE_STARTS
from model.loop.projection import STEP_ROWS, run_arrays
from model.loop.scenarios import check_loop

CLOSED = ("supply_limit", "capital_limit", "demand_model", "ceiling_model")
STEPS = {1.0: 10, 0.25: 37, 1 / 12: 109}  # ten years: the base year, then steps
ROWS = [r for r in STEP_ROWS if r != "payback_year"]  # 0 until paid back: not an amount
INPUTS = [n for n, q in CATALOGUE.items() if q.is_input]


def consistent(values: dict) -> dict:
    """Make drawn inputs (scalars or arrays) obey the cross-input rules."""
    groups = [[f"share_{u}" for u in USES]]
    groups += [[f"schedule_{u}_{k + 1}" for u in USES] for k in range(len(SCHEDULE_STARTS))]
    for names in groups:  # shares sum to 1; a schedule period to more than 0
        shares = np.vstack([np.asarray(values[n], float) for n in names]) + 1e-9
        for n, row in zip(names, shares / shares.sum(axis=0), strict=True):
            values[n] = row
    for names in ([f"milestone_{m}" for m in MILESTONES],
                  [f"schedule_start_{k + 1}" for k in range(len(SCHEDULE_STARTS))]):
        stack = np.sort(np.vstack([np.asarray(values[n], float) for n in names]), axis=0)
        for k in range(1, len(names)):
            stack[k] = np.maximum(stack[k], stack[k - 1] * (1 + 1e-6) + 1e-6)
        values.update(zip(names, stack, strict=True))
    rho = np.asarray(values["research_ces_rho"], float)
    values["research_ces_rho"] = np.where(np.abs(rho) < 1e-3, -0.01, rho)
    values["world_gpus_ceiling"] = np.maximum(values["world_gpus_ceiling"],
                                              np.asarray(values["world_gpus_anchor"]) * 1.01)
    values["terminal_growth"] = np.minimum(values["terminal_growth"],
                                           np.asarray(values["discount_rate"]) - 0.01)
    return values


def random_box(rng: np.random.Generator, n: int) -> dict:
    """`n` draws of every input from its catalogue box."""
    values: dict = {}
    for name in INPUTS:
        q = CATALOGUE[name]
        if name in CLOSED or q.kind == "constant":
            values[name] = float(q.default)
        elif q.kind == "choice":
            values[name] = rng.integers(0, len(q.choices), n).astype(float)
        elif q.log_scale:
            values[name] = np.exp(rng.uniform(np.log(q.min), np.log(q.max), n))
        else:
            values[name] = rng.uniform(q.min, q.max, n)
    return consistent(values)


def non_finite(values: dict, step: float) -> list[str]:
    out = run_arrays({**values, "step_years": step}, STEPS[step], keep=ROWS)
    return [r for r in ROWS if not np.isfinite(out[r]).all()]


@pytest.mark.parametrize("step", list(STEPS))
@pytest.mark.parametrize("seed", range(4))
def test_the_whole_box_stays_finite(step, seed):
    # 256 draws a call (the one compiled program that takes choices as arrays)
    values = random_box(np.random.default_rng(seed), 256)
    assert non_finite(values, step) == []


def _draw(draw) -> dict:
    values = {}
    for name in INPUTS:
        q = CATALOGUE[name]
        if name in CLOSED or q.kind == "constant":
            values[name] = float(q.default)
        elif q.kind == "choice":
            values[name] = float(draw(st.integers(0, len(q.choices) - 1)))
        elif q.log_scale:
            exponent = draw(st.floats(np.log10(q.min), np.log10(q.max)))
            values[name] = float(np.clip(10.0 ** exponent, q.min, q.max))
        else:
            values[name] = draw(st.floats(q.min, q.max))
    return {n: float(np.asarray(v, float).ravel()[0]) for n, v in consistent(values).items()}


@settings(max_examples=60, deadline=None)
@given(data=st.data(), step=st.sampled_from(list(STEPS)))
def test_any_point_of_the_box_stays_finite(data, step):
    values = _draw(data.draw)
    check_loop(values)  # the drawn point is one scenario_settings would accept
    assert non_finite(values, step) == []
