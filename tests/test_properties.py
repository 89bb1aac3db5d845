"""Properties of the fleet-year model that must hold for any valid inputs (hypothesis)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.core.compiled import Compiled
from model.core.equations import EQUATIONS
from model.core.fleet_inputs import USES
from model.core.resolve import resolve

ENGINE = Compiled(EQUATIONS)
BASE = dict(resolve().values)
PROPS = settings(max_examples=50, deadline=None)


def run(**changes: float) -> dict[str, float]:
    return {n: float(v) for n, v in ENGINE({**BASE, **changes}).items()}


def positive(lo: float, hi: float):
    """Log-uniform-ish positive floats in [lo, hi]."""
    return st.floats(math.log10(lo), math.log10(hi)).map(lambda e: 10.0 ** e)


@st.composite
def shares(draw) -> dict[str, float]:
    """Five non-negative shares summing to 1 (some may be exactly zero)."""
    weights = [draw(st.one_of(st.just(0.0), st.floats(0.0, 1.0))) for _ in USES]
    if sum(weights) == 0:
        weights[draw(st.integers(0, len(USES) - 1))] = 1.0
    total = math.fsum(weights)
    return {f"share_{u}": w / total for u, w in zip(USES, weights, strict=True)}


@st.composite
def fleets(draw) -> dict[str, float]:
    """A random valid fleet: size, GPU, shares, utilisations, cost basis and prices."""
    values = {
        "fleet_gpus": draw(positive(1.0, 1e9)),
        "gpu_peak_flops": draw(positive(1e12, 1e17)),
        "gpu_power": draw(st.floats(10.0, 5000.0)),
        "gpu_rental_price": draw(positive(0.01, 100.0)),
        "gpu_capex": draw(positive(100.0, 1e6)),
        "cost_basis": float(draw(st.integers(0, 1))),
        "mfu_training": draw(st.floats(0.01, 1.0)),
        **{f"util_{u}": draw(st.floats(0.01, 1.0))
           for u in ("research", "automation", "inference", "other")},
    }
    values.update(draw(shares()))
    return values


@PROPS
@given(fleets())
def test_shares_conserve_the_fleet(fleet):
    out = run(**fleet)
    assert out["share_total"] == pytest.approx(1.0, rel=1e-9)
    gpus = [out[f"gpus_{u}"] for u in USES]
    assert math.fsum(gpus) == pytest.approx(fleet["fleet_gpus"], rel=1e-9)
    assert all(g >= 0 for g in gpus)
    compute = [out[f"compute_{u}"] for u in USES]
    assert math.fsum(compute) == pytest.approx(out["compute_total"], rel=1e-9)
    assert math.fsum(c / out["compute_total"] for c in compute) == pytest.approx(1.0, rel=1e-9)
    budgets = [out[f"budget_{u}"] for u in USES]
    assert math.fsum(budgets) == pytest.approx(out["budget_total"], rel=1e-9)
    assert out["budget_rnd"] == pytest.approx(
        out["budget_training"] + out["budget_research"] + out["budget_automation"], rel=1e-9)
    # useful compute never exceeds what the fleet's peak delivers in a year
    assert out["compute_total"] <= out["fleet_peak_flops"] * 3600 * 8760 * (1 + 1e-9)


@PROPS
@given(fleets())
def test_budget_total_is_fleet_gpu_hours_times_cost_per_gpu_hour(fleet):
    out = run(**fleet)
    assert out["budget_total"] == pytest.approx(
        out["fleet_gpu_hours"] * out["cost_per_gpu_hour"], rel=1e-9)
    assert out["fleet_gpu_hours"] == pytest.approx(fleet["fleet_gpus"] * 8760, rel=1e-12)
    expected = fleet["gpu_rental_price"] if fleet["cost_basis"] == 0 else out[
        "owned_cost_per_gpu_hour"]
    assert out["cost_per_gpu_hour"] == pytest.approx(expected, rel=1e-12)


@PROPS
@given(fleets(), st.floats(1.0, 1e3), st.floats(1.0, 1e3))
def test_more_gpus_or_faster_gpus_never_give_less_compute(fleet, more, faster):
    base = run(**fleet)
    bigger = run(**{**fleet, "fleet_gpus": fleet["fleet_gpus"] * more})
    quicker = run(**{**fleet, "gpu_peak_flops": fleet["gpu_peak_flops"] * faster})
    for name in ("compute_total", *(f"compute_{u}" for u in USES), "fleet_peak_flops",
                 "tokens_served"):
        assert bigger[name] >= base[name] * (1 - 1e-12), name
        assert quicker[name] >= base[name] * (1 - 1e-12), name
    for u in USES:
        assert bigger[f"gpus_{u}"] >= base[f"gpus_{u}"] * (1 - 1e-12)
    assert quicker["training_gpu_hours"] <= base["training_gpu_hours"] * (1 + 1e-12)


@PROPS
@given(fleets(), st.floats(1.01, 100.0))
def test_strictly_more_compute_from_strictly_more_gpus(fleet, more):
    base = run(**fleet)
    bigger = run(**{**fleet, "fleet_gpus": fleet["fleet_gpus"] * more})
    assert bigger["compute_total"] > base["compute_total"]
    assert bigger["compute_total"] == pytest.approx(base["compute_total"] * more, rel=1e-9)


@PROPS
@given(fleets(), positive(1e6, 1e16), st.floats(0.01, 100.0))
def test_training_cost_is_linear_in_tokens_and_gpu_hours(fleet, tokens, k):
    a = run(**fleet, training_tokens=tokens)
    b = run(**fleet, training_tokens=tokens * k)
    assert b["training_flops"] == pytest.approx(a["training_flops"] * k, rel=1e-9)
    assert b["training_gpu_hours"] == pytest.approx(a["training_gpu_hours"] * k, rel=1e-9)
    assert b["training_cost"] == pytest.approx(a["training_cost"] * k, rel=1e-9)
    assert b["training_days"] == pytest.approx(a["training_days"] * k, rel=1e-9)
    for out in (a, b):
        assert out["training_cost"] == pytest.approx(
            out["training_gpu_hours"] * out["cost_per_gpu_hour"], rel=1e-12)


@PROPS
@given(fleets(), st.floats(0.01, 10.0))
def test_rented_budget_is_linear_in_price(fleet, k):
    price = fleet["gpu_rental_price"]
    a = run(**{**fleet, "cost_basis": 0.0})
    b = run(**{**fleet, "cost_basis": 0.0, "gpu_rental_price": price * k})
    for name in ("budget_total", "budget_rnd", *(f"budget_{u}" for u in USES), "training_cost",
                 "cost_per_million_tokens"):
        assert b[name] == pytest.approx(a[name] * k, rel=1e-9), name
    # the price moves spend only, never compute
    assert b["compute_total"] == a["compute_total"]  # exact: same code, same inputs it reads


@PROPS
@given(fleets(), st.floats(0.01, 10.0))
def test_owned_budget_is_linear_in_capex_and_electricity(fleet, k):
    a = run(**{**fleet, "cost_basis": 1.0})
    b = run(**{**fleet, "cost_basis": 1.0, "gpu_capex": fleet["gpu_capex"] * k,
               "electricity_price": BASE["electricity_price"] * k})
    assert b["owned_cost_per_gpu_hour"] == pytest.approx(a["owned_cost_per_gpu_hour"] * k,
                                                         rel=1e-9)
    assert b["budget_total"] == pytest.approx(a["budget_total"] * k, rel=1e-9)


@PROPS
@given(fleets())
def test_vectorised_evaluation_matches_scalar(fleet):
    import numpy as np

    sizes = np.array([1.0, 10.0, 1e4])
    vector = ENGINE({**BASE, **fleet, "fleet_gpus": sizes})
    for i, size in enumerate(sizes):
        scalar = run(**{**fleet, "fleet_gpus": float(size)})
        assert vector["budget_total"][i] == pytest.approx(scalar["budget_total"], rel=1e-12)
        assert vector["compute_total"][i] == pytest.approx(scalar["compute_total"], rel=1e-12)
