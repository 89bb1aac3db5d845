"""Benchmark the value-maximising policy: one 10-year projection (the default step, quarters:
37 steps) that chooses its split,
beside one plain projection, in the same process; and the app's rerun after a slider change
under that policy (a new optimisation: nothing cached), both as medians.

    .venv/bin/python benchmarks/bench_optimise.py [--runs 9] [--app-runs 5]
        [--out benchmarks/bench_optimise.json]

Writes and prints JSON. Targets: the value-maximising projection <= 1 s median; the app <= 1.5 s.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from pathlib import Path

from model.loop.scenarios import scenario_settings
from model.loop.steps import DEFAULT_STEP
from model.policy.paths import project

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "streamlit_app.py"
PRESET, SCENARIO = "ai-2027-lab-2024", "ai-2027"
TARGET_S, APP_TARGET_S = 1.0, 1.5


def median_seconds(run, runs: int) -> float:
    times = []
    for i in range(runs):
        start = time.perf_counter()
        run(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def app_rerun_seconds(runs: int) -> float:
    """Median rerun after moving a slider, the value-maximising policy chosen."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=600)
    at.run()
    at.selectbox(key="preset").set_value(PRESET).run()
    at.selectbox(key="allocation_policy").set_value("value-maximising")
    at.multiselect(key="scenarios").set_value([SCENARIO])
    at.session_state["tab"] = "Projection"  # only the open tab runs
    at.run()

    def rerun(i: int) -> None:
        at.slider(key="discount_rate").set_value(0.08 + 0.001 * i).run()
        if at.exception:
            raise RuntimeError(at.exception[0].value)

    return median_seconds(rerun, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--app-runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "bench_optimise.json")
    args = parser.parse_args()
    # a fresh discount rate each run: no cache can answer
    plain = median_seconds(lambda i: project(scenario_settings(
        PRESET, SCENARIO, overrides={"discount_rate": 0.1 + 0.001 * i}), 10), args.runs)
    start = time.perf_counter()
    project(scenario_settings(PRESET, SCENARIO, overrides={"allocation_policy":
                                                           "value-maximising"}), 10)
    first = time.perf_counter() - start
    chosen = median_seconds(lambda i: project(scenario_settings(
        PRESET, SCENARIO, overrides={"allocation_policy": "value-maximising",
                                     "discount_rate": 0.1 + 0.001 * i}), 10), args.runs)
    app = app_rerun_seconds(args.app_runs) if args.app_runs else None
    text = json.dumps({
        "benchmark": "optimise", "python": platform.python_version(), "runs": args.runs,
        "app_runs": args.app_runs,
        "preset": PRESET, "scenario": SCENARIO, "years": 10, "step": DEFAULT_STEP,
        "plain_projection_median_s": round(plain, 4),
        "value_maximising_first_s": round(first, 3),
        "value_maximising_median_s": round(chosen, 3),
        "ratio": round(chosen / plain, 1),
        "app_rerun_median_s": None if app is None else round(app, 3),
        "target_s": TARGET_S, "app_target_s": APP_TARGET_S,
        "meets_target": chosen <= TARGET_S and (app is None or app <= APP_TARGET_S),
    }, indent=2)
    args.out.write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
