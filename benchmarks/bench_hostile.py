"""Benchmark what hostile input costs: the number parser and the workbook reader.

Parser: the slowest of tests/hostile.py's HOSTILE_NUMBERS beside an ordinary '1.5e6 GPU', in
the same process (target: every refusal well under 100 ms). Reader: a workbook at the app's
upload limit, its bulk on a sheet the reader skips (a million cells) or on the Inputs sheet
itself up to the part limit, each read in a fresh process beside the plain exported workbook,
with the child's peak memory (target: under 2 s and 300 MB). Prints JSON.

    .venv/bin/python benchmarks/bench_hostile.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from hostile import HOSTILE_NUMBERS, inflate, junk_rows  # noqa: E402

from model.core.errors import InputError  # noqa: E402
from model.core.resolve import parse_input  # noqa: E402
from model.workbook.build import build_workbook, write_workbook  # noqa: E402
from model.workbook.package import MAX_PART_BYTES  # noqa: E402

PARSE_TARGET_MS = 100.0
READ_TARGET_S, READ_TARGET_MB = 2.0, 300.0
_CHILD = """
import resource, sys, time
start = time.perf_counter()
from model.workbook.read import read_workbook_inputs
from model.core.errors import InputError
imported = time.perf_counter()
floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
try:
    read_workbook_inputs(sys.argv[1])
except InputError:
    pass
done = time.perf_counter()
print(done - imported, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, floor)
"""


def parse_ms(text: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            parse_input("fleet_gpus", text)
        except InputError:
            pass
        best = min(best, time.perf_counter() - start)
    return best * 1000


def read(path: Path, repeat: int) -> tuple[float, float, float]:
    """(best seconds to read, peak MB of the child, MB after imports) over `repeat` fresh
    processes."""
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True,
                             text=True, check=True, cwd=ROOT).stdout.split()
        runs.append(tuple(map(float, out)))
    return min(r[0] for r in runs), max(r[1] for r in runs), max(r[2] for r in runs)


def inputs_at_limit(src: Path, dst: Path) -> Path:
    """The Inputs sheet padded with junk rows up to just under the part limit."""
    probe = len(junk_rows(1000, 5000))
    size = {i.filename: i.file_size for i in __import__("zipfile").ZipFile(src).infolist()}
    room = MAX_PART_BYTES - max(size.values()) - 4096
    return inflate(src, dst, "Inputs", int(room / probe * 1000 * 0.9))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    plain_ms = parse_ms("1.5e6 GPU", args.repeat)
    hostile = {t[:24]: parse_ms(t, args.repeat) for t in HOSTILE_NUMBERS}
    worst = max(hostile, key=hostile.get)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder) / "plain.xlsx"
        write_workbook(build_workbook("openai-2024", created=date(2026, 1, 1)), base)
        files = {"plain": base,
                 "million_cells_elsewhere": inflate(base, Path(folder) / "big.xlsx",
                                                    "Equations", 1_000_000),
                 "inputs_at_part_limit": inputs_at_limit(base, Path(folder) / "inputs.xlsx")}
        reads = {k: read(p, args.repeat) for k, p in files.items()}
        sizes = {k: p.stat().st_size for k, p in files.items()}
    print(json.dumps({
        "parse_plain_ms": round(plain_ms, 4),
        "parse_hostile_worst_ms": round(hostile[worst], 4),
        "parse_hostile_worst": worst,
        "parse_hostile_worst_over_plain": round(hostile[worst] / plain_ms, 1),
        "parse_target_ms": PARSE_TARGET_MS,
        "reads": {k: {"bytes": sizes[k], "seconds": round(s, 3), "peak_mb": round(mb, 1),
                      "peak_over_imports_mb": round(mb - floor, 1)}
                  for k, (s, mb, floor) in reads.items()},
        "read_target_s": READ_TARGET_S, "read_target_mb": READ_TARGET_MB,
        "meets_target": hostile[worst] < PARSE_TARGET_MS and all(
            s < READ_TARGET_S and mb < READ_TARGET_MB for s, mb, _ in reads.values()),
    }, indent=2))


if __name__ == "__main__":
    main()
