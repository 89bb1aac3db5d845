"""The reference sheets at the back: Equations (every quantity's formula, unit, description and
source) and Sources (the bibliography, with the quantities citing each reference).

Each opens on a title and a line saying what it is for, like the sheets before it: a reader
arriving from a sheet tab should not have to infer the purpose from the column headers.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy

from model.core.catalogue import CATALOGUE
from model.core.resolve import citations
from model.core.sources import REFERENCES, cited_by
from model.report.latex import equation_latex

from ._book import Book
from ._page_setup import cap_row_heights
from ._styles import TITLE_FONT, WRAP, fit_row_heights, set_widths, style_header, unit_text

HEADER_ROW = 3


def _title(book: Book, ws, title: str, line: str) -> None:
    book.text(ws, 1, 1, title, TITLE_FONT)
    book.text(ws, 2, 1, line)


def equations(book: Book, entries: Sequence[tuple[str, str, str, str, str, str]]) -> None:
    """Each quantity: name, unit, formula (sympy and LaTeX), description, source."""
    ws = book.sheet("Equations")
    _title(book, ws, "Equations", "Every quantity the workbook computes: its formula over the "
           "named inputs (a projection row as name[0] = first step; name = later steps, where "
           "name_prev is the previous step), unit, meaning and source.")
    header = ["name", "unit", "formula", "LaTeX", "description", "source"]
    book.row(ws, HEADER_ROW, header)
    style_header(ws, HEADER_ROW, 1, len(header))
    for row, entry in enumerate(entries, start=HEADER_ROW + 1):
        for col, text in enumerate(entry, start=1):
            book.text(ws, row, col, text).alignment = WRAP
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 2)
    # wrapped, to print legibly on one landscape A4 page wide (model.workbook._page_setup)
    widths = {"A": 26, "B": 12, "C": 60, "D": 40, "E": 40, "F": 30}
    set_widths(ws, widths)
    fit_row_heights(ws, {k: widths[c] for k, c in enumerate(widths, start=1) if k > 2},
                    first=HEADER_ROW + 1)
    cap_row_heights(ws)


def equation_entries(names: Sequence[str], exprs: dict[str, sympy.Expr]) -> list[tuple]:
    """Equations-sheet rows for the named quantities."""
    rows = []
    for name in names:
        q, expr = CATALOGUE[name], exprs[name]
        rows.append((name, unit_text(name, q.unit), f"{name} = {sympy.sstr(expr)}",
                     equation_latex(name, expr), q.description, q.source))
    return rows


def step_entries(order: Sequence[str], initial: dict, step: dict) -> list[tuple]:
    """Equations-sheet rows for the projection: first-step and later-step expressions."""
    rows = []
    for name in order:
        q = CATALOGUE[name]
        text = f"{name}[0] = {sympy.sstr(initial[name])};  {name} = {sympy.sstr(step[name])}"
        rows.append((name, unit_text(name, q.unit), text, equation_latex(name, step[name]),
                     q.description,
                     q.source))
    return rows


def sources(book: Book, settings: Sequence) -> None:
    """The bibliography, with the quantities citing each reference in this workbook."""
    ws = book.sheet("Sources")
    _title(book, ws, "Sources", "The references behind the inputs' values: each input's source "
           "on the Inputs sheet starts with one of these keys in [brackets].")
    book.row(ws, HEADER_ROW, ["key", "reference", "cited by"])
    style_header(ws, HEADER_ROW, 1, 3)
    cited = cited_by(citations(settings))
    for row, (key, text) in enumerate(REFERENCES.items(), start=HEADER_ROW + 1):
        book.row(ws, row, [key, text, ", ".join(cited.get(key, []))])
        ws.cell(row, 2).alignment = ws.cell(row, 3).alignment = WRAP
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 2)
    set_widths(ws, {"A": 22, "B": 100, "C": 60})
    fit_row_heights(ws, {2: 100, 3: 60}, first=HEADER_ROW + 1)
