"""The closed loop's invariants over the whole input box (issue 17, point 9): every numeric input
drawn from its catalogue bounds, every choice from its options (the closed loop on, as in
test_no_overflow), at yearly, quarterly and monthly steps, in batches and as hypothesis points.
Revenue only from serving, no more tokens than the inference GPUs serve, a price between the
competition's floor and what the work is worth, a split that is a split.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_no_overflow import STEPS, _draw, random_box

from model.core.catalogue import CATALOGUE
from model.core.fleet_inputs import USES
from model.loop.projection import run_arrays
from model.loop.scenarios import check_loop

KEEP = ("inference_revenue", "share_inference", "fleet_gpus", "tokens_served", "token_capacity",
        "token_price", "token_price_floor", "inference_demand_share", "tokens_per_gpu_year",
        *(f"share_{u}" for u in USES))
TOL = 1e-9  # relative: sums and products of a few roundings
PRICE_FLOOR_ON = CATALOGUE["competition"].choices.index("price-floor")


def broken_promises(values: dict, step: float) -> list[str]:
    """The promises the projection breaks at these inputs (arrays or scalars), by name."""
    out = run_arrays({**values, "step_years": step}, STEPS[step], keep=KEEP)
    broken = []
    inference_gpus = out["share_inference"] * out["fleet_gpus"]
    revenue = out["inference_revenue"]
    if not ((revenue >= 0).all() and not ((revenue > 0) & (inference_gpus <= 0)).any()):
        broken.append("revenue only from serving")
    if not (out["tokens_served"] <= out["token_capacity"] * (1 + TOL)).all():
        broken.append("tokens within capacity")
    wanted = out["inference_demand_share"] * out["fleet_gpus"] * out["tokens_per_gpu_year"]
    # (a demand share near the smallest doubles, 1e-300, keeps only a few digits)
    normal = out["inference_demand_share"] > 1e-290
    if not (out["tokens_served"] <= wanted * (1 + TOL))[normal].all():
        broken.append("tokens within demand")
    # after the base year (its price is the observed one, whatever the box draws beside it), a
    # price at most what the work is worth and, where competitors set a floor, not below it
    # unless the floor itself is above what the work is worth (then the cap holds)
    price, floor = out["token_price"][1:], out["token_price_floor"][1:]
    cap = np.broadcast_to(values["token_value_cap"], price.shape[1:])
    if not (price <= cap * (1 + TOL)).all():
        broken.append("price within the value cap")
    floored = np.broadcast_to(np.asarray(values["competition"]) == PRICE_FLOOR_ON, cap.shape)
    below = price < floor * (1 - TOL)
    if (below & floored & ~np.isclose(price, cap, rtol=TOL)).any():
        broken.append("price above the floor")
    shares = np.stack([out[f"share_{u}"] for u in USES])
    if not (np.allclose(shares.sum(axis=0), 1, rtol=0, atol=1e-9) and (shares >= -1e-12).all()):
        broken.append("the split is a split")
    return broken


@pytest.mark.parametrize("step", list(STEPS))
@pytest.mark.parametrize("seed", range(3))
def test_the_loop_keeps_its_promises_over_the_box(step, seed):
    # 256 draws a call (the one compiled program that takes choices as arrays)
    values = random_box(np.random.default_rng(100 + seed), 256)
    assert broken_promises(values, step) == []


@settings(max_examples=40, deadline=None)
@given(data=st.data(), step=st.sampled_from(list(STEPS)))
def test_any_point_of_the_box_keeps_the_promises(data, step):
    values = _draw(data.draw)
    check_loop(values)  # the drawn point is one scenario_settings would accept
    assert broken_promises(values, step) == []


def test_the_check_can_fail(monkeypatch):
    # a projection that sold tokens nobody wanted, or priced them past the cap, is caught
    values = random_box(np.random.default_rng(7), 8)
    real = run_arrays

    def inflated(*args, **kwargs):
        out = real(*args, **kwargs)
        out["tokens_served"] = out["token_capacity"] * 1.01
        out["token_price"] = out["token_price"] * 0 + 2 * np.asarray(values["token_value_cap"])
        return out

    monkeypatch.setattr(f"{__name__}.run_arrays", inflated)
    broken = broken_promises(values, 0.25)
    assert "tokens within capacity" in broken and "price within the value cap" in broken
