"""Command line: `python -m model list | budget | training-run | run | sensitivity | export`.
May import: model.core, model.loop, model.policy, model.report, model.workbook.
"""
