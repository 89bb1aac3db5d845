"""Benchmark the Streamlit page's rerun after a slider change, next to an empty one-slider app.

Both run under streamlit.testing.v1.AppTest in the same process, so the difference is the page's
own cost. Prints JSON with both medians (milliseconds). Target: the page's median under 150 ms.

    .venv/bin/python benchmarks/bench_app.py [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parent.parent / "streamlit_app.py"
EMPTY = "import streamlit as st\nst.slider('x', 0.0, 1.0, key='x')\n"
TARGET_MS = 150.0


def median_rerun_ms(at: AppTest, key: str, values: tuple[float, float], runs: int) -> float:
    """Median wall time of `runs` reruns, each after moving slider `key` to the other value."""
    times = []
    for i in range(runs):
        at.slider(key=key).set_value(values[i % 2])
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
        if at.exception:
            raise RuntimeError(at.exception[0].value)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    app = AppTest.from_file(str(APP), default_timeout=600)
    app.run()  # first run: imports and compiles (cached for the process)
    empty = AppTest.from_string(EMPTY, default_timeout=60)
    empty.run()
    app_ms = median_rerun_ms(app, "util_inference", (0.36, 0.38), args.runs)
    empty_ms = median_rerun_ms(empty, "x", (0.2, 0.4), args.runs)
    print(json.dumps({
        "app_rerun_median_ms": round(app_ms, 1),
        "empty_app_rerun_median_ms": round(empty_ms, 1),
        "runs": args.runs,
        "target_ms": TARGET_MS,
        "meets_target": app_ms < TARGET_MS,
    }, indent=2))


if __name__ == "__main__":
    main()
