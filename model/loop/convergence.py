"""Step-length convergence: the same projection at quarterly and monthly steps, compared.

Explicit steps make errors of the order of the step; a loop whose rows are integrated well
(exact retirements, prices averaged over the step, purchases at the step's mid-point price)
changes little between a quarter and a month. `python -m model.loop.convergence` prints the
table in docs/MODEL.md.
"""

from __future__ import annotations

import sys

import pandas as pd

from model.core.presets import PRESETS

from .projection import project
from .scenarios import SCENARIOS, scenario_settings

TOLERANCE = 0.05
COLUMNS = ("preset", "scenario", "fleet_gpus", "software_efficiency", "npv")


def agreement(a: float, b: float, scale: float = 0.0) -> float:
    """|a - b| relative to the larger of |a|, |b| and `scale`."""
    top = max(abs(a), abs(b), scale)
    return abs(a - b) / top if top else 0.0


def compare(preset: str | None, scenario: str, years: int = 10) -> tuple[float, float, float]:
    """Relative differences of the final fleet, software efficiency and NPV, quarter vs month.

    NPV is a difference of large flows: it is held relative to the larger of itself and the
    present value of the compute bill it nets, since a near-zero NPV has no relative precision.
    """
    settings = scenario_settings(preset, scenario)
    quarter = project(settings, years, "quarter")
    month = project(settings, years, "month")
    # Stocks at the same moment, the start of the last quarter (the monthly run's last row is
    # two months later); NPV over the same ten years (both last rows include the last flows).
    q, m = quarter.iloc[-1], month.iloc[-3]
    bill = float((month["compute_cost"] * month["discount_factor"]).sum()) / 12
    return (agreement(q["fleet_gpus"], m["fleet_gpus"]),
            agreement(q["software_efficiency"], m["software_efficiency"]),
            agreement(q["npv_to_date"], month["npv_to_date"].iloc[-1], bill))


def convergence_table(years: int = 10) -> pd.DataFrame:
    """Every preset (and the catalogue defaults) x scenario at defaults."""
    rows = [(preset or "(defaults)", scenario, *compare(preset, scenario, years))
            for preset in [None, *PRESETS] for scenario in SCENARIOS]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def markdown(table: pd.DataFrame) -> str:
    out = ["| preset | scenario | fleet | software efficiency | NPV |", "|---|---|---|---|---|"]
    out += [f"| {r.preset} | {r.scenario} | {r.fleet_gpus:.1%} | {r.software_efficiency:.1%} | "
            f"{r.npv:.1%} |" for r in table.itertuples()]
    return "\n".join(out)


if __name__ == "__main__":
    sys.stdout.write(markdown(convergence_table()) + "\n")
