"""Every fleet-year equation against hand arithmetic, and the build-time dimensional check."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

from model.core.catalogue import CATALOGUE, sym
from model.core.compiled import Compiled, expand
from model.core.dimensions import check_equation
from model.core.equations import BUDGET_OUTPUTS, EQUATIONS, TRAINING_OUTPUTS
from model.core.errors import ModelDefinitionError
from model.core.resolve import resolve

# ---------------------------------------------------------------------------------------------
# Hand arithmetic for the catalogue defaults (an H100 fleet of 600,000 GPUs rented at $2 per
# GPU-hour, split 40/24/1/33/2 as AI 2027's 2024 leading lab; Llama 3.1 405B as the training run).
# Written out independently of the equations: a year is 8760 h = 31,536,000 s.
# ---------------------------------------------------------------------------------------------
SECONDS_PER_YEAR = 3600 * 8760
TOKEN_PRICE = 562_027 / 776e3  # $ per million tokens, DeepSeek's disclosed revenue / tokens

_GPUS = {"training": 600_000 * 0.40, "research": 600_000 * 0.24, "automation": 600_000 * 0.01,
         "inference": 600_000 * 0.33, "other": 600_000 * 0.02}
_COMPUTE = {
    "training": 240_000 * 989.4e12 * 0.40 * SECONDS_PER_YEAR,
    "research": 144_000 * 989.4e12 * 0.40 * SECONDS_PER_YEAR,
    "automation": 6_000 * 989.4e12 * 0.37 * SECONDS_PER_YEAR,
    "inference": 198_000 * 989.4e12 * 0.37 * SECONDS_PER_YEAR,
    "other": 12_000 * 989.4e12 * 0.37 * SECONDS_PER_YEAR,
}
_BUDGET = {"training": 240_000 * 2 * 8760, "research": 144_000 * 2 * 8760,
           "automation": 6_000 * 2 * 8760, "inference": 198_000 * 2 * 8760,
           "other": 12_000 * 2 * 8760}
_TOKENS = 198_000 * 989.4e12 * 0.37 * SECONDS_PER_YEAR / (2 * 37e9)
_REVENUE = _TOKENS * TOKEN_PRICE / 1e6
_CAPEX = 30_000 * 1.64 * 1.23 / (5 * 8760)
_ENERGY = 0.7 * 1.82 * 0.75 * 1.1 * 0.08  # 700 W = 0.7 kW, server x draw x PUE x $/kWh
_TRAIN_FLOP = 6 * 405e9 * 15.6e12
_TRAIN_HOURS = _TRAIN_FLOP / (989.4e12 * 0.40 * 3600)

EXPECTED: dict[str, float] = {
    "share_total": 0.40 + 0.24 + 0.01 + 0.33 + 0.02,
    "fleet_gpu_hours": 600_000 * 8760,
    "fleet_peak_flops": 600_000 * 989.4e12,
    "capex_per_gpu_hour": _CAPEX,
    "energy_per_gpu_hour": _ENERGY,
    "owned_cost_per_gpu_hour": _CAPEX + _ENERGY,
    "cost_per_gpu_hour": 2.0,
    **{f"gpus_{use}": value for use, value in _GPUS.items()},
    **{f"compute_{use}": value for use, value in _COMPUTE.items()},
    **{f"budget_{use}": value for use, value in _BUDGET.items()},
    "compute_total": (240_000 * 0.40 + 144_000 * 0.40 + (6_000 + 198_000 + 12_000) * 0.37)
    * 989.4e12 * SECONDS_PER_YEAR,
    "budget_total": 600_000 * 2 * 8760,
    "budget_rnd": (240_000 + 144_000 + 6_000) * 2 * 8760,
    "tokens_per_gpu_year": 989.4e12 * 0.37 * SECONDS_PER_YEAR / (2 * 37e9),
    "tokens_served": _TOKENS,
    "inference_revenue": _REVENUE,
    "gross_margin": _REVENUE - 198_000 * 2 * 8760,
    "inference_margin": (_REVENUE - 198_000 * 2 * 8760) / _REVENUE,
    "cost_per_million_tokens": 198_000 * 2 * 8760 / (_TOKENS / 1e6),
    "training_flops": _TRAIN_FLOP,
    "training_gpu_hours": _TRAIN_HOURS,
    "training_days": _TRAIN_HOURS / (16_384 * 24),
    "training_cost": _TRAIN_HOURS * 2,
    "training_share_of_fleet_year": _TRAIN_HOURS / (600_000 * 8760),
}

# The same figures costed on the owned basis (cost_basis=owned): only cost-driven outputs move.
_OWNED = _CAPEX + _ENERGY
EXPECTED_OWNED: dict[str, float] = {
    "cost_per_gpu_hour": _OWNED,
    "budget_training": 240_000 * _OWNED * 8760,
    "budget_inference": 198_000 * _OWNED * 8760,
    "budget_total": 600_000 * _OWNED * 8760,
    "budget_rnd": 390_000 * _OWNED * 8760,
    "training_cost": _TRAIN_HOURS * _OWNED,
    "cost_per_million_tokens": 198_000 * _OWNED * 8760 / (_TOKENS / 1e6),
    "compute_training": _COMPUTE["training"],
    "tokens_served": _TOKENS,
}

ENGINE = Compiled(EQUATIONS)


@pytest.fixture(scope="module")
def defaults() -> dict[str, float]:
    return {n: float(v) for n, v in ENGINE(resolve().values).items()}


def test_hand_arithmetic_sanity():
    # spot checks of the hand arithmetic itself against round published-style figures
    assert _CAPEX + _ENERGY == pytest.approx(1.4657, abs=1e-4)  # inside Epoch's $1.0-2.6 range
    assert _TRAIN_FLOP == pytest.approx(3.7908e25, rel=1e-12)
    assert EXPECTED["budget_total"] == pytest.approx(10.512e9, rel=1e-12)


def test_every_equation_has_a_hand_arithmetic_test():
    missing = sorted(set(EQUATIONS) - set(EXPECTED))
    stale = sorted(set(EXPECTED) - set(EQUATIONS))
    assert not missing, f"equations without a hand-arithmetic value in EXPECTED: {missing}"
    assert not stale, f"EXPECTED names that are not equations: {stale}"


@pytest.mark.parametrize("name", list(EQUATIONS))
def test_equation_matches_hand_arithmetic(name, defaults):
    assert name in EXPECTED, f"add a hand-arithmetic value for {name} to EXPECTED"
    assert defaults[name] == pytest.approx(EXPECTED[name], rel=1e-12)


@pytest.mark.parametrize("name", list(EXPECTED_OWNED))
def test_owned_cost_basis_matches_hand_arithmetic(name):
    values = resolve(overrides={"cost_basis": "owned"}).values
    assert ENGINE(values)[name] == pytest.approx(EXPECTED_OWNED[name], rel=1e-12)


def test_h100_owned_cost_per_gpu_hour_brackets_deepseeks_assumption(defaults):
    # Epoch: an owned H100 comes to roughly $1.0-2.6 per GPU-hour all-in
    assert 1.0 <= defaults["owned_cost_per_gpu_hour"] <= 2.6


def test_output_lists_cover_the_equations():
    assert set(BUDGET_OUTPUTS) | set(TRAINING_OUTPUTS) == set(EQUATIONS)
    assert "cost_per_gpu_hour" in TRAINING_OUTPUTS
    for name in EQUATIONS:
        assert CATALOGUE[name].kind == "output"


def test_expanded_equations_depend_on_inputs_only():
    inputs = {n for n, q in CATALOGUE.items() if q.is_input}
    for name, expr in expand(EQUATIONS).items():
        assert {str(s) for s in expr.free_symbols} <= inputs, name
    assert set(ENGINE.inputs) <= inputs


def test_engine_broadcasts_arrays():
    values = dict(resolve().values)
    values["fleet_gpus"] = np.array([1_000.0, 2_000.0, 4_000.0])
    out = ENGINE(values)
    assert out["budget_total"].shape == (3,)
    assert out["training_flops"].shape == (3,)  # scalars broadcast to the scenario shape
    np.testing.assert_allclose(out["budget_total"], [1_000 * 2 * 8760, 2_000 * 2 * 8760,
                                                     4_000 * 2 * 8760], rtol=1e-12)


def test_engine_refuses_missing_inputs():
    values = dict(resolve().values)
    del values["fleet_gpus"]
    with pytest.raises(ModelDefinitionError, match="missing inputs: fleet_gpus"):
        ENGINE(values)


def test_engine_subset_of_outputs():
    engine = Compiled(EQUATIONS, ["training_days"])
    assert engine.outputs == ("training_days",)
    assert "share_training" not in engine.inputs
    result = engine(resolve().values)
    assert float(result["training_days"]) == pytest.approx(EXPECTED["training_days"], rel=1e-12)


# ---------------------------------------------------------------------------------------------
# The dimensional check: wrong equations fail at build time with a message naming them.
# ---------------------------------------------------------------------------------------------
s = sym


def _units(expr: sympy.Expr) -> dict[sympy.Symbol, str]:
    return {x: CATALOGUE[str(x)].unit for x in expr.free_symbols}


BAD_EQUATIONS = {
    "compute without the hours conversion": (
        "compute_training", s("gpus_training") * s("gpu_peak_flops") * s("mfu_training"),
        "3.1536e+07"),
    "compute missing seconds per hour": (
        "compute_training",
        s("gpus_training") * s("gpu_peak_flops") * s("mfu_training") * s("hours_per_year"),
        "add a named conversion constant"),
    "adding USD to FLOP": (
        "budget_total", s("budget_training") + s("training_flops"), "a sum mixes"),
    "GPUs times peak declared as GPU-hours": (
        "fleet_gpu_hours", s("fleet_gpus") * s("gpu_peak_flops"), "but is declared in"),
    "revenue missing tokens per million": (
        "inference_revenue", s("tokens_served") * s("token_price"), "1e-06"),
    "training hours missing seconds per hour": (
        "training_gpu_hours", s("training_flops") / (s("gpu_peak_flops") * s("mfu_training")),
        "add a named conversion constant"),
    "energy missing watts per kilowatt": (
        "energy_per_gpu_hour",
        s("gpu_power") * s("power_overhead") * s("pue") * s("electricity_price"), "0.001 x"),
    "piecewise branches in different units": (
        "cost_per_gpu_hour",
        sympy.Piecewise((s("gpu_rental_price"), sympy.Eq(s("cost_basis"), 0)),
                        (s("gpu_capex"), True)),
        "piecewise"),
    "comparing GPUs with watts": (
        "cost_per_gpu_hour",
        sympy.Piecewise((s("gpu_rental_price"), s("fleet_gpus") > s("gpu_power")),
                        (s("owned_cost_per_gpu_hour"), True)),
        "comparison"),
    "exp of a count": ("share_total", sympy.exp(s("fleet_gpus")), "dimensionless argument"),
    "square root of GPUs": ("gpus_training", sympy.sqrt(s("fleet_gpus")), "raised to"),
    "unit-bearing exponent": ("share_total", s("share_training") ** s("fleet_gpus"),
                              "exponent"),
}


@pytest.mark.parametrize("case", list(BAD_EQUATIONS))
def test_check_equation_rejects_wrong_units_naming_the_equation(case):
    name, expr, fragment = BAD_EQUATIONS[case]
    with pytest.raises(ModelDefinitionError) as info:
        check_equation(name, expr, CATALOGUE[name].unit, _units(expr))
    message = str(info.value)
    assert message.startswith(f"equation {name}: ")
    assert fragment in message
    assert "\n" not in message


@pytest.mark.parametrize("case", list(BAD_EQUATIONS))
def test_compiled_refuses_a_bad_equation_at_build_time(case):
    name, expr, _ = BAD_EQUATIONS[case]
    good = {"fleet_gpu_hours": EQUATIONS["fleet_gpu_hours"]} if name != "fleet_gpu_hours" else {}
    with pytest.raises(ModelDefinitionError, match=f"^equation {name}: "):
        Compiled({**good, name: expr})


@pytest.mark.parametrize(("name", "expr"), [
    ("compute_training", s("gpus_training") * s("gpu_peak_flops") * s("mfu_training")
     * s("seconds_per_hour") * s("hours_per_year")),
    ("fleet_peak_flops", s("fleet_gpus") * s("gpu_peak_flops")),
    ("budget_total", s("fleet_gpus") * s("gpu_rental_price") * s("hours_per_year")),
    ("training_cost", s("training_gpu_hours") * s("gpu_rental_price")),
    ("training_days", s("training_gpu_hours") / (s("training_gpus") * s("hours_per_day"))),
    ("share_total", s("share_training") ** 2 + sympy.exp(s("share_other"))),
])
def test_check_equation_accepts_correct_units(name, expr):
    check_equation(name, expr, CATALOGUE[name].unit, _units(expr))


def test_every_model_equation_passes_the_unit_check():
    for name, expr in EQUATIONS.items():
        check_equation(name, expr, CATALOGUE[name].unit, _units(expr))


def test_check_equation_needs_every_symbol_to_have_a_unit():
    expr = s("fleet_gpus") * s("gpu_peak_flops")
    with pytest.raises(ModelDefinitionError, match="equation fleet_peak_flops: symbol"):
        check_equation("fleet_peak_flops", expr, "FLOP/s", {s("fleet_gpus"): "GPU"})


def test_compiled_refuses_unknown_symbols():
    with pytest.raises(ModelDefinitionError, match="equation fleet_gpu_hours: unknown symbols"):
        Compiled({"fleet_gpu_hours": s("fleet_gpus") * sympy.Symbol("hours_per_fortnight")})
