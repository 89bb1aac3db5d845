"""`python -m model export`: write the model as a live-formula Excel workbook.

    python -m model export --preset openai-2024 --scenario brakes --scenarios status-quo,ai-2027 \
        --years 10 --title "Board pack" --out openai.xlsx
"""

from __future__ import annotations

import argparse

from model.core.errors import InputError, quoted


def _scenarios(args: argparse.Namespace, workbook_scenario: str | None) -> list[str]:
    """Primary scenario first, then the others of --scenarios (without repeats)."""
    from .options import given, scenario_list

    primary = given("--scenario", args.scenario, "a scenario name") or workbook_scenario
    # checked as split and odds check theirs: an empty list or name is an error, not none
    others = [] if args.scenarios is None else scenario_list(args.scenarios, "--scenarios")
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
