"""Step-length convergence of the market of labs: the default market, each lab keeping its
scenario's policy (no lab choosing), cleared at yearly, quarterly and monthly steps, each lab's
fleet at the horizon's end, software efficiency at the start of the last year and NPV compared
with monthly steps as a lab alone's are (model.loop.convergence). The reveal runs the market at
quarterly steps, `market` and the answer at yearly ones. `python -m model.market.convergence`
prints the table in docs/MODEL.md.
"""

from __future__ import annotations

import sys

import pandas as pd

from model.loop.convergence import MEASURES, agreement, measures
from model.loop.convergence import markdown as convergence_markdown
from model.loop.scenarios import SCENARIOS

from .backtest import lab_frame
from .engine import Market, equilibrium
from .presets import DEFAULT_PRESET
from .single_lab import lab_settings
from .world import MARKETS

STEPS = ("year", "quarter", "month")


def cleared(scenario: str, step: str, years: int = 10, preset: str = DEFAULT_PRESET,
            overrides: dict | None = None) -> Market:
    """The market `preset` under `scenario` (with `overrides` in every lab), each lab keeping its
    scenario's policy, cleared at `step` steps."""
    labs = MARKETS[preset]
    return equilibrium([lab_settings(lab, scenario, overrides) for lab in labs],
                       [lab.name for lab in labs], years=years, step=step)


def compare(scenario: str, years: int = 10, preset: str = DEFAULT_PRESET,
            overrides: dict | None = None) -> pd.DataFrame:
    """One row a lab of the market `preset` under `scenario` (with `overrides` in every lab):
    each measure's relative difference from monthly steps at yearly and quarterly steps (NPV's
    relative to the larger of itself and the present value of the compute bill it nets)."""
    names = [lab.name for lab in MARKETS[preset]]
    at = {}
    for step in STEPS:
        m = cleared(scenario, step, years, preset, overrides)
        at[step] = {lab: measures(lab_frame(m, lab), years) for lab in names}
    rows = []
    for lab in names:
        month = at["month"][lab]
        row = {"lab": lab, "scenario": scenario}
        for step in ("year", "quarter"):
            for k in MEASURES:
                scale = month["bill"] if k == "npv" else 0.0
                row[f"{k}_{step}"] = agreement(at[step][lab][k], month[k], scale)
        rows.append(row)
    return pd.DataFrame(rows)


def convergence_table(years: int = 10) -> pd.DataFrame:
    """Every lab of the default market x scenario."""
    return pd.concat([compare(s, years) for s in SCENARIOS], ignore_index=True)


def markdown(table: pd.DataFrame) -> str:
    """The table in docs/MODEL.md: a lab a row."""
    return convergence_markdown(table, "lab")


if __name__ == "__main__":
    sys.stdout.write(markdown(convergence_table()) + "\n")
