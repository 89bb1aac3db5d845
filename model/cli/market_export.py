"""`python -m model market ... --out FILE.xlsx`: the solved market as a workbook of live formulas
(model.workbook.market_book), beside the command's usual table, JSON or CSV."""

from __future__ import annotations

import argparse

from model.core.errors import InputError, quoted


def check_out(path: str) -> None:
    """InputError unless `path` names an .xlsx file: said before the market is solved."""
    if not path.lower().endswith(".xlsx"):
        raise InputError(f"--out {quoted(path)}: expected a file name ending in .xlsx")


def write_market_book(args: argparse.Namespace, labs, result) -> str:
    """Write the market `result` (an Outcome under --choice nash, a Market under policy) of
    `labs` to args.out; return what was written."""
    from model.report.formats import counted, format_value
    from model.workbook.build import write_workbook
    from model.workbook.market_book import build_market_workbook

    if hasattr(result, "nash"):
        eq = result.nash
        m, paths = eq.market, eq.paths
        notes = (f"Nash equilibrium {'reached' if eq.converged else 'NOT reached'} in "
                 f"{eq.rounds} rounds; largest deviation gain "
                 f"{format_value('deviation_gain', eq.max_deviation_gain, '')} of a lab's "
                 f"NPV; the market cleared step by step, each in at most "
                 f"{counted(m.iterations, 'run')} (last change {m.change:.1e})")
    else:
        m, paths = result, None
        notes = (f"the market {'cleared' if m.converged else 'NOT cleared'} step by step, "
                 f"each in at most {counted(m.iterations, 'run')} (last change {m.change:.1e})")
    book = build_market_workbook(labs, args.scenario, m, paths, years=args.years,
                                 step=args.step, notes=notes)
    path = write_workbook(book, args.out)
    formulas = sum(len(cells) for cells in book.cached.values())
    return f"wrote {path}: {len(book.wb.sheetnames)} sheets, {formulas} formula and input cells"
