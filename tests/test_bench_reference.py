"""The benchmark's hand-written NumPy projection (benchmarks/bench_engine.py `reference`) agrees
with the compiled engine for every scenario and every preset (owned and rented fleets, financing
on revenue or a parent's budget), at yearly and quarterly steps."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from model.core.presets import PRESETS
from model.loop.montecarlo import sample_inputs
from model.loop.projection import run_arrays, step_starts, steps_for
from model.loop.scenarios import SCENARIOS, scenario_settings

_SPEC = importlib.util.spec_from_file_location(
    "bench_engine", Path(__file__).resolve().parents[1] / "benchmarks" / "bench_engine.py")
bench = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(bench)

# Rows that net revenue against compute cost pass through 0: compared relative to the gross flows
# they net, not to their own value: this step's ("flow"), summed over the steps so far, each
# times its length ("sum"; the base year is a year long), or that sum times the terminal value's
# Gordon multiple ("gordon"; the npv adds the sum itself). unspent_capex nets the GPUs the
# capital pays for against those the chips allow: compared to the capital plus this step's flows
# ("money").
NETTED = {"free_cash_flow": "flow", "cumulative_cash": "sum", "npv_to_date": "sum",
          "terminal_value": "gordon", "npv": "gordon", "unspent_capex": "money"}
# Rows in OOMs (software, the gap to the frontier, capability) or a fraction of 1 (headroom)
# start at or pass through 0 as differences of numbers of order 1: compared to 1 there.
UNIT_SCALE = {"software_efficiency", "capability_gap", "capability", "software_headroom"}
STEP_NAMES = {1.0: "year", 0.25: "quarter"}

CASES = [(None, s) for s in SCENARIOS] + [(p, "brakes") for p in PRESETS]


@pytest.mark.parametrize("step", [1.0, 0.25])
@pytest.mark.parametrize(("preset", "scenario"), CASES)
def test_reference_matches_engine(preset, scenario, step):
    settings = scenario_settings(preset, scenario)
    values = sample_inputs({**settings.values, "step_years": step}, 200, 1)
    n, dt = steps_for(10, STEP_NAMES[step])
    got = run_arrays(values, n, keep=(*bench.KEEP, "compute_cost"))
    want = bench.reference(values, n)
    flows = np.abs(got["inference_revenue"]) + np.abs(got["compute_cost"]) + np.abs(got["capex"])
    lengths = np.diff(step_starts(n + 1, dt))  # 1 (the base year), then dt, ..., dt
    summed = np.cumsum(flows * lengths[:, None], axis=0)
    rate, growth = settings.values["discount_rate"], settings.values["terminal_growth"]
    gordon = (1 + growth) / (rate - growth)
    netted = {"flow": flows, "sum": summed, "gordon": summed * (1 + gordon),
              "money": flows + np.abs(got["capital_available"])}
    for row in bench.KEEP:
        g, w = got[row], want[row]
        assert (np.isfinite(g) == np.isfinite(w)).all(), row
        if row == "binding_constraint":  # demand met exactly (inference-first) is a rounding tie
            tie = np.isclose(got["inference_demand_share"], got["share_inference"], 1e-9, 0)
            w = np.where(tie & ((g == 3) != (w == 3)), g, w)
        scale = np.abs(w)
        if row in NETTED:
            scale = np.maximum(scale, netted[NETTED[row]])
        elif row in UNIT_SCALE:
            scale = np.maximum(scale, 1.0)
        both = np.isfinite(w)
        rel = np.abs(g[both] - w[both]) / np.maximum(scale[both], 1e-300)
        assert float(np.max(rel, initial=0.0)) <= 1e-9, (row, float(np.max(rel)))
