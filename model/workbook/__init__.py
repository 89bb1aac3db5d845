"""Workbook: the sympy-to-Excel printer and all that writes or reads xlsx (the only openpyxl user).
May import: model.core, model.loop, model.policy, model.market, model.odds, model.report.
"""
