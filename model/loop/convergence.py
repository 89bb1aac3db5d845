"""Step-length convergence: the same projection at yearly, quarterly and monthly steps.

Explicit steps make errors of the order of the step; a loop whose rows are integrated well
(prices and rates read at the step's middle, the fleet in service at its mid-point, money raised
on revenue growing through the step) changes little with the step. Each step length is compared
with monthly steps on the fleet at the horizon's end, software efficiency at the start of the
last year, and NPV. `python -m model.loop.convergence` prints the table in docs/MODEL.md.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

from model.core.presets import PRESETS

from .projection import project
from .scenarios import SCENARIOS, scenario_settings

TOLERANCE = 0.05
MEASURES = ("fleet_stock", "software_efficiency", "npv")


def agreement(a: float, b: float, scale: float = 0.0) -> float:
    """|a - b| relative to the larger of |a|, |b| and `scale`."""
    top = max(abs(a), abs(b), scale)
    return abs(a - b) / top if top else 0.0


def measures(df: pd.DataFrame, years: int) -> dict[str, float]:
    """A projection's MEASURES at a run of `years`, and the present value of its compute
    bill (USD), NPV's scale."""
    last_year = df["year"].iloc[0] + years - 1
    start = df[np.isclose(df["year"], last_year)].iloc[0]
    return {"fleet_stock": float(df["fleet_stock"].iloc[-1]),
            "software_efficiency": float(start["software_efficiency"]),
            "npv": float(df["npv"].iloc[-1]),
            "bill": float((df["compute_cost"] * df["step_length"] * df["discount_factor"]).sum())}


def compare(preset: str | None, scenario: str, years: int = 10) -> dict[str, float]:
    """Relative differences from monthly steps of yearly and quarterly steps, per measure.

    NPV is a difference of large flows: it is held relative to the larger of itself and the
    present value of the compute bill it nets, since a near-zero NPV has no relative precision.
    """
    settings = scenario_settings(preset, scenario)
    month = measures(project(settings, years, "month"), years)
    out = {}
    for step in ("year", "quarter"):
        other = measures(project(settings, years, step), years)
        for m in MEASURES:
            scale = month["bill"] if m == "npv" else 0.0
            out[f"{m}_{step}"] = agreement(other[m], month[m], scale)
    return out


def convergence_table(years: int = 10) -> pd.DataFrame:
    """Every preset (and the catalogue defaults) x scenario at defaults."""
    rows = [{"preset": preset or "(defaults)", "scenario": scenario,
             **compare(preset, scenario, years)}
            for preset in [None, *PRESETS] for scenario in SCENARIOS]
    return pd.DataFrame(rows)


def markdown(table: pd.DataFrame, label: str = "preset") -> str:
    """The table in docs/MODEL.md, its first column `label` (a preset, or a market's lab)."""
    out = [f"| {label} | scenario | fleet (year / quarter) | software efficiency | NPV |",
           "|---|---|---|---|---|"]
    out += [f"| {getattr(r, label)} | {r.scenario} | {r.fleet_stock_year:.1%} / "
            f"{r.fleet_stock_quarter:.1%} | {r.software_efficiency_year:.1%} / "
            f"{r.software_efficiency_quarter:.1%} | {r.npv_year:.1%} / {r.npv_quarter:.1%} |"
            for r in table.itertuples()]
    return "\n".join(out)


if __name__ == "__main__":
    sys.stdout.write(markdown(convergence_table()) + "\n")
