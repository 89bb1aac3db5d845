"""Command line: `python -m model <command>` (list, budget, run, export, split, market, ...).
May import: model.core, model.loop, model.policy, model.market, model.odds, model.report, model.workbook.
"""
