"""Equations as LaTeX that spells every symbol as its model name (app, docs and workbook)."""

from __future__ import annotations

import sympy

from model.core.catalogue import CATALOGUE


def latex(expr: sympy.Basic) -> str:
    """LaTeX keeping each model name whole and upright (fleet\\_gpus, not fleet with subscript
    gpus), so the app, docs and workbook show the names users type."""
    names = {s: r"\mathrm{" + str(s).replace("_", r"\_") + "}" for s in expr.free_symbols}
    return sympy.latex(expr, mul_symbol="dot", symbol_names=names)


def equation_latex(name: str, expr: sympy.Basic) -> str:
    """`name = expr` in LaTeX."""
    return f"{latex(CATALOGUE[name].symbol)} = {latex(expr)}"
