"""Backtest: each preset run from its base year, beside what was later published.

Every observable is a projection row at a calendar year (or its growth over an earlier year),
with the published value, its citation, and the band its ratio modelled / observed must lie in.
Bands are at most a factor of 1.5 wide (high / low), so a pass means something; docs/MODEL.md
says which defaults were calibrated and which observables they may have informed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.core.sources import cite

from .projection import project
from .scenarios import scenario_settings

MAX_BAND_WIDTH = 1.5
BAND = (0.8, 1.2)
COLUMNS = ("observable", "preset", "scenario", "year", "observed", "modelled", "unit", "ratio",
           "band_low", "band_high", "within", "source")


@dataclass(frozen=True)
class Observable:
    """A published figure the projection of `preset` should reproduce at `year`."""

    observable: str
    preset: str
    row: str
    year: float
    observed: float
    unit: str
    source: str
    relative_to: float | None = None  # a growth factor: row(year) / row(relative_to)
    band: tuple[float, float] = BAND
    scenario: str = "status-quo"


OBSERVABLES = (
    # The 2024 step holds Epoch's end-2024 count, so end-2025 is the 2025 step.
    Observable("World AI accelerator stock (H100e), end-2025", "openai-2024", "world_gpus",
               2025, 13.66e6 + 3.81e6 + 1.24e6 + 1.02e6, "GPU",
               cite("epoch-chips", "cumulative at end-2025: Nvidia 13.66M + TPU 3.81M + AMD "
                    "1.24M + Trainium 1.02M = 19.73M H100e")),
    Observable("OpenAI revenue, 2025", "openai-2024", "inference_revenue", 2025, 13e9,
               "USD/year", cite("openai-revenue", "~$13B in 2025")),
    Observable("OpenAI compute growth (H100e), 2024 to 2025", "openai-2024", "fleet_gpus", 2025,
               1.74 / 0.39, "", cite("epoch-lab-compute", "0.39M H100e at end-2024, 1.74M at "
                                     "end-2025"), relative_to=2024),
    Observable("OpenAI compute growth (power), 2024 to 2025", "openai-2024", "fleet_gpus", 2025,
               1.9 / 0.6 * 1.35, "", cite("openai-cfo-2026", "0.6 GW (2024) to 1.9 GW (2025)")
               + "; " + cite("ai2027-compute", "x 1.35 H100e per watt a year (power per H100e "
                             "1.0 kW in 2024, 750 W in 2025: 1.33)"), relative_to=2024),
    Observable("Meta capital expenditure, 2025", "meta-2024", "capex", 2025, 72.22e9,
               "USD/year", cite("meta-capex", "$72.22B in 2025")),
    Observable("H100 rental price per GPU-hour, 2025", "deepseek-v3", "cost_per_gpu_hour", 2025,
               1.70, "USD/GPU/hour", cite("semianalysis-rental", "$1.70 in Oct 2025")),
)


def _at(df: pd.DataFrame, row: str, year: float) -> float:
    hit = np.isclose(df["year"].to_numpy(), year)
    if not hit.any():
        raise ValueError(f"the projection has no step in {year:g}")
    return float(df.loc[hit, row].iloc[0])


def modelled(item: Observable, years: int = 3) -> float:
    """The projection's value of an observable (yearly steps from the preset's base year)."""
    df = project(scenario_settings(item.preset, item.scenario), years=years)
    value = _at(df, item.row, item.year)
    return value / _at(df, item.row, item.relative_to) if item.relative_to else value


def backtest(observables=OBSERVABLES) -> pd.DataFrame:
    """One row per observable: observed, modelled, their ratio and whether it is in band."""
    rows = []
    for item in observables:
        value = modelled(item)
        ratio = value / item.observed
        low, high = item.band
        rows.append((item.observable, item.preset, item.scenario, item.year, item.observed,
                     value, item.unit, ratio, low, high, bool(low <= ratio <= high),
                     item.source))
    return pd.DataFrame(rows, columns=list(COLUMNS))


def markdown(table: pd.DataFrame) -> str:
    """The backtest as a Markdown table (docs/MODEL.md)."""
    out = ["| observable | preset | year | observed | modelled | ratio | source |",
           "|---|---|---|---|---|---|---|"]
    for r in table.itertuples():
        out.append(f"| {r.observable} | `{r.preset}` | {r.year:g} | {r.observed:.4g} | "
                   f"{r.modelled:.4g} | {r.ratio:.2f} | {r.source.replace('|', '/')} |")
    return "\n".join(out)
