"""Export a market of labs as a workbook of live formulas: a sheet per lab, a Market sheet over
them.

    eq = nash(settings, names, years=3, step="year")
    book = build_market_workbook(labs, None, eq.market, eq.paths, years=3, step="year")
    write_workbook(book, "market.xlsx")

Sheets: Cover; Inputs (a value column per lab); one sheet per lab, its projection in the
market's (coupled) rows, printed from the same sympy rows as the single-lab Projection sheet
(model.workbook._projection_sheets.templates(coupled=True)), with the paths it reads as input
rows below it: its research split as chosen by the equilibrium (model.market.nash), and the
coupling paths (its chip rations and price, the other labs' odds and demand) as solved by the
market's fixed point (model.market.engine); then Market (model.workbook._market_sheet), which
recomputes those coupling paths from the labs' sheets and shows the gap; then Observed
(model.workbook._observed_sheet): the published shares per lab and year, beside the labs' paths.

Each lab's sheet reads its inputs by sheet-scoped defined names, the model's own names (on the
sheet `openai`, `fleet_gpus` is OpenAI's), so its formulas read as the single-lab book's do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

import numpy as np
import pandas as pd

from model import __version__
from model.core.errors import InputError
from model.core.fleet_inputs import USES
from model.loop.projection import STEP_ROWS, STEPS, default_paths, steps_for
from model.market.engine import SPILL, SUPPLY_ON, Market, lab_coupling
from model.market.nash import choosing
from model.market.single_lab import lab_settings
from model.report.formats import counted

from . import _static_sheets as sheets
from ._book import Book, local_name
from ._checks_sheet import show_flag, write_checks
from ._constants import constants_sheet
from ._market_sheet import TITLE, LabSheet, market_sheet
from ._observed_sheet import TITLE as OBSERVED
from ._observed_sheet import observed_sheet
from ._page_setup import print_setup
from ._projection_sheets import FIRST_COL, projection_checks, projection_sheet
from ._styles import BOLD, LEGEND, TITLE_FONT, WRAP, fit_row_heights, follow_money, set_widths
from .market_clearing import PARAMETERS, clearing

CHOSEN = "Chosen by the equilibrium (model.market.nash): the lab's best reply to the others' paths"
POLICY = ("Not read: the lab keeps its scenario's allocation policy (--choice policy); its "
          "first-step shares")
SOLVED = ("Solved by the market's fixed point (model.market.engine): the coupling paths, "
          "recomputed on the Market sheet")
NOTE = ("The lab's projection in the market: one formula per row, as the single-lab Projection "
        "sheet, its coupling inputs read from the input rows below (what the other labs and "
        "the chip market do to it). Inputs: this lab's column of the Inputs sheet, by names "
        "scoped to this sheet.")
_RESERVED = {"cover", "inputs", TITLE.lower(), OBSERVED.lower()}


@dataclass
class _Export:
    """What the Inputs sheet writer needs: one settings per value column, and its label."""

    settings: list
    scenarios: list[str]


def sheet_title(name: str) -> str:
    """A lab's sheet title: its name (a-z, 0-9, '-'), kept clear of the other sheets'."""
    return (f"lab {name}" if name.lower() in _RESERVED else name)[:31]


def market_settings(labs: Sequence, scenario: str | None, choosing_paths: bool,
                    step: str) -> list:
    """Each lab's settings as the market ran them: the lab's single-lab settings (value-
    maximising when the labs chose their paths), at the market's step and with the chip supply
    rationed (model.market.engine.stacked)."""
    dt = STEPS[step]
    out = []
    for lab in labs:
        s = lab_settings(lab, scenario, None)
        s = choosing(s) if choosing_paths else s
        s.values.update(step_years=dt, supply_limit=SUPPLY_ON)
        out.append(s)
    return out


def _cover(book: Book, labs: Sequence, scenario: str | None, chose: bool, years: int,
           step: str, title: str | None, notes: str, created: date | None) -> None:
    """What this is, which labs and scenario, how it was solved, how to use it, the legend."""
    ws = book.sheet("Cover")
    book.text(ws, 1, 1, title or "Fleet split: a market of labs", TITLE_FONT)
    rows = [
        ("What this is", "A market of AI labs as live formulas: each lab's projection on its "
         "own sheet, and a Market sheet that recomputes from them what couples the labs (the "
         "customers' logit shares, the other labs' odds and demand, the chip price index and "
         "rations) and checks that the coupling paths the labs' sheets read are that "
         "recomputation's fixed point."),
        ("Labs", ", ".join(f"{lab.name} ({lab.title})" for lab in labs)),
        ("Scenario", scenario or "status-quo"),
        ("Choices", "open-loop Nash: each lab's research split is its best reply to the others' "
         "(model.market.nash)" if chose else "each lab keeps its scenario's allocation policy"),
        ("Projection", f"{years} years in steps of one {step}"),
        ("Made on", (created or date.today()).isoformat()),
        ("Model version", f"fleet-split {__version__}"),
        ("Notes", notes),
        ("How to use", "Change a blue cell on Inputs (a column per lab) and that lab's sheet "
         "recalculates; the Market sheet then shows how far the coupling paths (input rows at "
         "the foot of each lab's sheet) are from the market's new fixed point. The equilibrium "
         "itself is not recomputed: python -m model market solves it."),
    ]
    for i, (label, text) in enumerate(rows, start=3):
        book.text(ws, i, 1, label, BOLD)
        book.text(ws, i, 2, text).alignment = WRAP
    top = len(rows) + 4
    for i, (label, font, fill, meaning) in enumerate(LEGEND, start=top):
        cell = book.text(ws, i, 1, label, font)
        if fill is not None:
            cell.fill = fill
        book.text(ws, i, 2, meaning)
    set_widths(ws, {"A": 22, "B": 110})
    fit_row_heights(ws, {2: 110})


def build_market_workbook(labs: Sequence, scenario: str | None, m: Market,
                          paths: Sequence[dict] | None, *, years: int, step: str,
                          title: str | None = None, notes: str = "",
                          created: date | None = None) -> Book:
    """The workbook of the market `m` of `labs` under `scenario`: `paths` the labs' chosen
    share paths (model.market.nash's), or None when each kept its scenario's policy."""
    if len(labs) < 2:
        raise InputError("a market workbook needs at least two labs")
    if SPILL:
        raise InputError("the Market sheet does not recompute spilled demand (SPILL is on)")
    titles = [sheet_title(lab.name) for lab in labs]
    if len({t.lower() for t in titles}) < len(titles):
        raise InputError(f"labs' sheet titles collide: {', '.join(titles)}")
    n, dt = steps_for(years, step)
    if m.labs != tuple(lab.name for lab in labs) or len(m.rows["year"]) != n:
        raise InputError(f"the market solved is of {', '.join(m.labs)} over "
                         f"{len(m.rows['year'])} steps, not of these labs over {n}")
    settings = market_settings(labs, scenario, paths is not None, step)
    book = Book(created=datetime.combine(created or date.today(), time()))
    book.wb.properties.creator = "fleet-split"
    book.wb.properties.title = title or "Fleet split: a market of labs"
    _cover(book, labs, scenario, paths is not None, years, step, title, notes, created)
    refs = sheets.inputs(book, _Export(settings, [lab.name for lab in labs]), define=False)
    sheets_ = []
    for j, (lab, s, name) in enumerate(zip(labs, settings, titles, strict=True)):
        chosen = (paths[j] if paths is not None else default_paths(s.values, n))
        df = pd.DataFrame({r: m.rows[r][:, j] for r in STEP_ROWS})
        coupling = {k: np.asarray(v, dtype=float) for k, v in lab_coupling(m, j).items()}
        rows = projection_sheet(
            book, name, f"{lab.title}: its projection in the market",
            {symbol: local_name(symbol) for symbol in refs[j]}, df, dt,
            coupled=True, note=NOTE, values=s.values,
            inputs=[(CHOSEN if paths is not None else POLICY, chosen), (SOLVED, coupling)])
        book.define_local(name, refs[j])
        sheets_.append(LabSheet(lab.name, name, rows, {str(k): v for k, v in refs[j].items()}))

    couplings = [lab_coupling(m, j) for j in range(len(labs))]

    def lookup(ref):
        kind, key, j = ref
        if kind == "lab":
            return couplings[j][key] if key in couplings[j] else m.rows[key][:, j]
        if kind == "input":
            return settings[j].values[key]
        return len(labs) if key == "lab_count" else PARAMETERS[key][0]

    _, checks = market_sheet(book, clearing(len(labs)), sheets_, lookup, n,
                             f"The market of {counted(len(labs), 'lab')}, "
                             f"{scenario or 'status-quo'}")
    observed_sheet(book, sheets_, n)
    for j, (lab, sheet) in enumerate(zip(labs, sheets_, strict=True)):
        df = pd.DataFrame({r: m.rows[r][:, j] for r in STEP_ROWS})
        checks += projection_checks(sheet.title, lab.name, sheet.rows, df, USES,
                                    scoped=True)
    passed = write_checks(book, checks)
    show_flag(book, TITLE, book.wb[TITLE].max_row + 2, FIRST_COL, passed)  # under the gaps
    constants_sheet(book)
    for ws in book.wb.worksheets:
        print_setup(ws)
        follow_money(ws)
    return book
