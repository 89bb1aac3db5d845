"""`python -m model export`: write the model as a live-formula Excel workbook.

    python -m model export --preset openai-2024 --scenario brakes --scenarios status-quo,ai-2027 \
        --years 10 --title "Board pack" --out openai.xlsx
"""

from __future__ import annotations

import argparse

from model.core.errors import InputError, quoted
from model.loop.steps import DEFAULT_STEP, STEPS


def _scenarios(args: argparse.Namespace, workbook_scenario: str | None) -> list[str]:
    """Primary scenario first, then the others of --scenarios (without repeats)."""
    primary = args.scenario or workbook_scenario
    others = [s.strip() for s in (args.scenarios or "").split(",") if s.strip()]
    if not primary and others:
        primary = others[0]
    return list(dict.fromkeys([primary, *others])) if primary else []


def cmd_export(args: argparse.Namespace) -> str:
    from model.workbook.build import build_workbook, write_workbook

    from .options import overrides_from

    preset, overrides, workbook_scenario = overrides_from(args)
    scenarios = _scenarios(args, workbook_scenario)
    if not args.out.lower().endswith(".xlsx"):
        raise InputError(f"--out {quoted(args.out)}: expected a file name ending in .xlsx")
    book = build_workbook(preset, scenarios, years=args.years, step=args.step, gpu=args.gpu,
                          overrides=overrides, title=args.title, notes=args.notes)
    path = write_workbook(book, args.out)
    formulas = sum(len(cells) for cells in book.cached.values())
    return (f"wrote {path}: {len(book.wb.sheetnames)} sheets ({', '.join(book.wb.sheetnames)}), "
            f"{formulas} live formulas")


def add_commands(subparsers, common: argparse.ArgumentParser) -> None:
    """Register `export`."""
    p = subparsers.add_parser("export", parents=[common],
                              help="write an Excel workbook of live formulas (and values)")
    p.add_argument("--scenario", help="the primary scenario (drives Projection and Finance)")
    p.add_argument("--scenarios", metavar="S1,S2,...",
                   help="further scenarios, each with its own Projection sheet and Compare")
    p.add_argument("--years", type=int, default=10, help="years to project (default 10)")
    p.add_argument("--step", choices=tuple(STEPS), default=DEFAULT_STEP,
                   help="projection step (default year)")
    p.add_argument("--title", help="title shown on the Cover (stored as text)")
    p.add_argument("--notes", default="", help="notes shown on the Cover (stored as text)")
    p.add_argument("--out", required=True, metavar="FILE.xlsx", help="the workbook to write")
    p.set_defaults(func=cmd_export)
