"""Benchmark the command line's start-up: each subcommand's `--help` in a fresh process, as a
ratio to the import floor, `python -c "import model"` (the interpreter, site and the package
root: what every command pays before it does anything), timed in the same run.

Runs are interleaved (floor, then every command, round after round) so a busy machine slows
all of them alike; each time is the median of its rounds. Target: every ratio <= 1.3.

    .venv/bin/python benchmarks/bench_startup.py [--rounds 21] [--out benchmarks/bench_startup.json]

Prints JSON and writes it to --out.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = ("list", "budget", "training-run", "run", "sensitivity", "export", "backtest",
            "split", "milestones", "market", "odds", "observed", "reveal", "app")
TARGET = 1.3
FLOOR = ("-c", "import model")


def invocations() -> dict[str, tuple[str, ...]]:
    """Name -> interpreter arguments: the floor, `--version`, top-level and per-command help."""
    return {"import model": FLOOR, "--version": ("-m", "model", "--version"),
            "--help": ("-m", "model", "--help"),
            **{c: ("-m", "model", c, "--help") for c in COMMANDS}}


def seconds(args: tuple[str, ...], env: dict[str, str]) -> float:
    """Wall time of one fresh interpreter running `args` from the project root."""
    start = time.perf_counter()
    subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def measure(rounds: int) -> dict[str, float]:
    """Median milliseconds of each invocation over `rounds` interleaved rounds."""
    # the checkout's model, whichever one an editable install points at; bytecode cached, as
    # any installed interpreter keeps it (without it every run compiles every module)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    runs = invocations()
    for args in runs.values():  # warm the OS cache and the bytecode
        seconds(args, env)
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, args in runs.items():
            times[name].append(seconds(args, env))
    return {name: statistics.median(t) * 1000 for name, t in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "bench_startup.json")
    args = parser.parse_args()
    ms = measure(args.rounds)
    floor = ms.pop("import model")
    ratios = {name: round(t / floor, 2) for name, t in ms.items()}
    doc = {
        "benchmark": "startup", "python": platform.python_version(), "rounds": args.rounds,
        "floor": "python -c 'import model'", "floor_ms": round(floor, 1),
        "commands_ms": {name: round(t, 1) for name, t in ms.items()},
        "ratio_to_floor": ratios, "worst": max(ratios, key=ratios.get),
        "target_ratio": TARGET, "meets_target": max(ratios.values()) <= TARGET,
    }
    text = json.dumps(doc, indent=2)
    args.out.write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
