"""The "every equation, every symbol" table, from the catalogue (reused by docs, app, workbook).

`equations_table()` has one row per catalogue output: fleet-year equations and projection rows
(their later-step expression, and the first-step one where it differs). `python -m
model.report.equations_table` prints docs/MODEL.md's generated tables as Markdown.
"""

from __future__ import annotations

import pandas as pd

from model.core.catalogue import CATALOGUE
from model.core.equations import EQUATIONS
from model.loop.projection import INIT_RAW, STEP, STEP_ROWS

from .latex import latex


def equations_table() -> pd.DataFrame:
    """Columns: name, kind (fleet-year/projection), unit, latex, latex_first_step,
    description, source."""
    rows = []
    for name, expr in EQUATIONS.items():
        q = CATALOGUE[name]
        rows.append((name, "fleet-year", q.unit, latex(expr), "", q.description, q.source))
    for name in STEP_ROWS:
        q = CATALOGUE[name]
        first = "" if INIT_RAW[name] == STEP[name] else latex(INIT_RAW[name])
        rows.append((name, "projection", q.unit, latex(STEP[name]), first, q.description,
                     q.source))
    return pd.DataFrame(rows, columns=["name", "kind", "unit", "latex", "latex_first_step",
                                       "description", "source"])


def inputs_table() -> pd.DataFrame:
    """Every settable input: name, unit, default, min, max, description, source."""
    return pd.DataFrame(
        [(n, q.unit, "|".join(q.choices) if q.choices else q.default, q.min, q.max,
          q.description, q.source) for n, q in CATALOGUE.items() if q.is_input],
        columns=["name", "unit", "default", "min", "max", "description", "source"])


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown() -> str:
    """The generated part of docs/MODEL.md."""
    eq = equations_table()
    out = ["| name | unit | equation (later steps) | first step | meaning | source |",
           "|---|---|---|---|---|---|"]
    for r in eq[eq["kind"] == "projection"].itertuples():
        first = f"${r.latex_first_step}$" if r.latex_first_step else "same"
        out.append(f"| `{r.name}` | {r.unit or '1'} | ${_cell(r.latex)}$ | {_cell(first)} | "
                   f"{_cell(r.description)} | {_cell(r.source)} |")
    out += ["", "### Fleet-year equations (reused per step)", "",
            "| name | unit | equation | meaning | source |", "|---|---|---|---|---|"]
    for r in eq[eq["kind"] == "fleet-year"].itertuples():
        out.append(f"| `{r.name}` | {r.unit or '1'} | ${_cell(r.latex)}$ | "
                   f"{_cell(r.description)} | {_cell(r.source)} |")
    out += ["", "### Inputs", "", "| name | unit | default | min | max | meaning | source |",
            "|---|---|---|---|---|---|---|"]
    for r in inputs_table().itertuples():
        out.append(f"| `{r.name}` | {r.unit or '1'} | {_cell(r.default)} | {_cell(r.min)} | "
                   f"{_cell(r.max)} | {_cell(r.description)} | {_cell(r.source)} |")
    return "\n".join(out)


if __name__ == "__main__":
    print(markdown())
