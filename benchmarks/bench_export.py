"""Time the workbook export: a 30-year projection of every scenario, printed as JSON.

    python benchmarks/bench_export.py [--years 30] [--repeat 3]

`import_s` loads the model (building and unit-checking the sympy equations happens at import);
`cold_s` is the first export after that (it compiles the projection and prints the formula
templates once); `warm_s` the best of the later ones. The target is under 2 s.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--preset", default="openai-2024")
    args = parser.parse_args()
    start = time.perf_counter()
    import model.loop.projection  # noqa: F401 - the model itself, built on import
    import model.workbook._finance_sheets  # noqa: F401 - imported lazily by the writer
    import model.workbook._projection_sheets  # noqa: F401
    from model.loop.scenarios import SCENARIOS
    from model.workbook.build import build_workbook, workbook_bytes

    imported = time.perf_counter() - start
    times, size, formulas = [], 0, 0
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        book = build_workbook(args.preset, list(SCENARIOS), years=args.years)
        data = workbook_bytes(book)
        times.append(time.perf_counter() - t0)
        size, formulas = len(data), sum(len(c) for c in book.cached.values())
    print(json.dumps({"benchmark": "export", "preset": args.preset, "years": args.years,
                      "scenarios": len(SCENARIOS), "import_s": round(imported, 3),
                      "cold_s": round(times[0], 3), "warm_s": round(min(times[1:] or times), 3),
                      "bytes": size, "cells_with_values": formulas, "target_s": 2.0}))


if __name__ == "__main__":
    main()
