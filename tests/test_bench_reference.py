"""The benchmark's hand-written NumPy projection (benchmarks/bench_engine.py `reference`) agrees
with the compiled engine for every scenario and every preset (owned fleets too), at yearly and
quarterly steps."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from model.core.presets import PRESETS
from model.loop.montecarlo import sample_inputs
from model.loop.projection import run_arrays
from model.loop.scenarios import SCENARIOS, scenario_settings

_SPEC = importlib.util.spec_from_file_location(
    "bench_engine", Path(__file__).resolve().parents[1] / "benchmarks" / "bench_engine.py")
bench = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(bench)

# Rows that net revenue against compute cost (summed over steps for the cumulative ones) pass
# through 0: compared relative to the gross flows they net, not to their own value.
NETTED = {"free_cash_flow": False, "cumulative_cash": True, "npv_to_date": True}


CASES = [(None, s) for s in SCENARIOS] + [(p, "brakes") for p in PRESETS]


@pytest.mark.parametrize("step", [1.0, 0.25])
@pytest.mark.parametrize(("preset", "scenario"), CASES)
def test_reference_matches_engine(preset, scenario, step):
    settings = scenario_settings(preset, scenario)
    values = sample_inputs({**settings.values, "step_years": step}, 200, 1)
    n = int(round(10 / step))
    got = run_arrays(values, n, keep=(*bench.KEEP, "compute_cost"))
    want = bench.reference(values, n)
    flows = np.abs(got["inference_revenue"]) + np.abs(got["compute_cost"]) + np.abs(got["capex"])
    for row in bench.KEEP:
        g, w = got[row], want[row]
        assert (np.isfinite(g) == np.isfinite(w)).all(), row
        scale = np.abs(w)
        if row in NETTED:
            scale = np.maximum(scale, np.cumsum(flows, axis=0) * step if NETTED[row] else flows)
        elif row == "software_headroom":  # 1 - S / ceiling: a fraction of 1
            scale = np.maximum(scale, 1.0)
        both = np.isfinite(w)
        rel = np.abs(g[both] - w[both]) / np.maximum(scale[both], 1e-300)
        assert float(np.max(rel, initial=0.0)) <= 1e-9, (row, float(np.max(rel)))
