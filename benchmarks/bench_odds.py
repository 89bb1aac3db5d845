"""Benchmark the odds' draws: draws a minute in this process (serial) and on a two-worker dask
LocalCluster, the same draws in the same run (the serial rate is the reference), for the
end-2025 six-lab market under one scenario at the answer's horizon (2025-2030, yearly steps,
solved the answer's LOOKAHEAD years beyond).
A draw is one market's open-loop Nash equilibrium and its labs' price-taking solves.

    .venv/bin/python benchmarks/bench_odds.py [--draws 4] [--scenario status-quo] \
        [--out benchmarks/bench_odds.json]

Writes and prints JSON. The two-worker time includes starting the cluster (its processes import
the model), as every `python -m model odds` run pays it; the machine's load average is recorded
beside the rates, since these machines are shared. The two runs' numbers must agree exactly.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

from model.market.answer import STEP, YEARS
from model.market.world import MARKET
from model.odds.outcome import Spec
from model.odds.run import run_draws

ROOT = Path(__file__).resolve().parent.parent


def _numbers(record: dict) -> dict:
    return {k: v for k, v in record.items() if k != "seconds"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scenario", default="status-quo")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "bench_odds.json")
    args = parser.parse_args()
    spec = Spec(labs=MARKET, years=YEARS, step=STEP, seed=0)
    tasks = [(args.scenario, d) for d in range(args.draws)]
    run_draws(Spec(labs=MARKET[:1], years=3, step=STEP), [(args.scenario, 0)])  # compile once
    load = os.getloadavg()[0]
    began = time.perf_counter()
    serial = run_draws(spec, tasks)
    serial_s = time.perf_counter() - began
    began = time.perf_counter()
    spread = run_draws(spec, tasks, workers=args.workers)
    spread_s = time.perf_counter() - began
    serial_rate, spread_rate = args.draws / serial_s * 60, args.draws / spread_s * 60
    doc = {
        "benchmark": "odds", "python": platform.python_version(), "cores": os.cpu_count(),
        "load_average_at_start": round(load, 2), "labs": len(MARKET), "years": YEARS,
        "lookahead": spec.lookahead, "step": STEP, "scenario": args.scenario, "draws": args.draws,
        "serial_s": round(serial_s, 1), "serial_draws_per_minute": round(serial_rate, 2),
        "workers": args.workers, "workers_s": round(spread_s, 1),
        "workers_draws_per_minute": round(spread_rate, 2),
        "ratio_workers_to_serial": round(spread_rate / serial_rate, 2),
        "median_draw_s_serial": round(sorted(r["seconds"] for r in serial)[args.draws // 2], 1),
        "same_numbers": [_numbers(r) for r in serial] == [_numbers(r) for r in spread],
        "converged": sum(bool(r["eq_converged"]) for r in serial),
    }
    text = json.dumps(doc, indent=2)
    args.out.write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
