"""Regenerate the example workbooks: `make workbooks` (python -m model.workbook.examples DIR).

One workbook per preset, with the key scenarios (status quo first, then AI 2027 and each brake),
dated EXAMPLES_DATE so that the same model gives the same files.  tests/test_workbook_examples.py
fails when the committed files no longer match what the model exports.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from model.core.presets import PRESETS

EXAMPLES_DATE = date(2025, 1, 1)
EXAMPLE_YEARS = 10
KEY_SCENARIOS = ("status-quo", "ai-2027", "compute-bottleneck", "ideas-harder",
                 "inference-first", "brakes")


def example_files() -> dict[str, dict]:
    """File name -> build_workbook keyword arguments, for every example."""
    return {f"{name}.xlsx": {"preset": name, "scenarios": list(KEY_SCENARIOS),
                             "years": EXAMPLE_YEARS, "created": EXAMPLES_DATE}
            for name in PRESETS}


def example_bytes(options: dict) -> bytes:
    from .build import build_workbook, workbook_bytes

    return workbook_bytes(build_workbook(**options))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m model.workbook.examples OUTDIR", file=sys.stderr)
        return 2
    outdir = Path(args[0])
    outdir.mkdir(parents=True, exist_ok=True)
    for name, options in example_files().items():
        (outdir / name).write_bytes(example_bytes(options))
        print(f"wrote {outdir / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
