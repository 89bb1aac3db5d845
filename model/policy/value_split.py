"""The seed question, answered by the model: what share would a value-maximising lab give
research, under each feedback assumption, and how good must AI research be before a GPU
belongs in research rather than serving customers?

`value_split_table` runs the value-maximising policy (model.policy.optimise) for each scenario and
reports its research share 1, 3 and 5 years after the base year (columns `..._year_1`; every
surface prints them as calendar years, `attrs["base_year"]` + 1) and whether it rises or falls
as the fleet grows (model.core.trend.direction over the three). `break_even_multiplier` finds
the constant AI R&D multiplier (`base_multiplier`) at which
moving a GPU from inference to research, at the preset's own split, starts to raise the NPV:
the derivative comes from the batched engine (one call holds every multiplier and its nudge).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from model.core.catalogue import CATALOGUE
from model.core.trend import direction
from model.loop.projection import DEFAULT_STEP, run_arrays, steps_for
from model.loop.scenarios import SCENARIOS, scenario_settings

from .paths import project

YEARS_SHOWN = (1, 3, 5)
NUDGE = 1e-3  # share of the fleet moved from inference to research
GRID = np.logspace(0, 4, 17)  # constant multipliers tried: 1x to 10,000x


def value_split_table(preset: str | None, scenarios: Sequence[str] = tuple(SCENARIOS),
                      years: int = 10, gpu: str | None = None,
                      overrides: dict | None = None) -> pd.DataFrame:
    """Per scenario: the value-maximising research share in years 1, 3, 5, its trend as the
    fleet grows, the fleet then, and the NPV gained over the best assumed policy."""
    rows = []
    for scenario in scenarios:
        settings = scenario_settings(preset, scenario, gpu=gpu, overrides={
            **(overrides or {}), "allocation_policy": "value-maximising"})
        df = project(settings, max(years, YEARS_SHOWN[-1] + 1))
        elapsed = df["year"] - df["year"].iloc[0]
        at = {y: df[np.isclose(elapsed, y)].iloc[0] for y in YEARS_SHOWN if y < years}
        shares = [float(at[y]["share_research"]) if y in at else math.nan for y in YEARS_SHOWN]
        solution = df.attrs["solution"]
        base_year = int(round(float(df["year"].iloc[0])))
        rows.append((scenario, *shares, direction(shares),
                     float(at[YEARS_SHOWN[0]]["fleet_gpus"]), float(at[YEARS_SHOWN[-1]]
                                                                    ["fleet_gpus"]),
                     solution.gain, solution.base, solution.success))
    frame = pd.DataFrame(rows, columns=["scenario", *(f"research_share_year_{y}"
                                                      for y in YEARS_SHOWN),
                                        "trend", "fleet_year_1", "fleet_year_5", "npv_gain",
                                        "base_policy", "optimiser_success"])
    # year y is the calendar year base_year + y: the surfaces print calendar years, not "year 1"
    frame.attrs["base_year"] = base_year if rows else None
    return frame


def _slopes(values: dict, n: int, multipliers: np.ndarray) -> np.ndarray:
    """d NPV / d (share moved from inference to research), per multiplier: one batched call."""
    m = len(multipliers)
    nudged = np.tile([0.0, NUDGE], m)
    sample = {**values, "base_multiplier": np.repeat(multipliers, 2),
              "share_research": values["share_research"] + nudged,
              "share_inference": values["share_inference"] - nudged}
    npv = np.broadcast_to(run_arrays(sample, n, keep=("npv",))["npv"][-1], (2 * m,))
    return (npv[1::2] - npv[0::2]) / NUDGE


def break_even_multiplier(preset: str | None, years: int = 10, gpu: str | None = None,
                          overrides: dict | None = None) -> float | None:
    """The constant AI R&D multiplier above which moving a GPU from inference to research raises
    the NPV (status quo otherwise: fixed shares, no milestone path). 1.0 when research already
    pays at 1x; None when it does not pay up to 10,000x; NaN when the lab has no inference to
    move."""
    settings = scenario_settings(preset, "status-quo", gpu=gpu, overrides=overrides)
    n, dt = steps_for(years, DEFAULT_STEP)
    values = {**settings.values, "step_years": dt,
              "allocation_policy": float(CATALOGUE["allocation_policy"].choice_index("fixed"))}
    if values["share_inference"] < NUDGE:
        return math.nan  # no inference to move
    slopes = _slopes(values, n, GRID)
    if slopes[0] > 0:
        return 1.0
    above = np.flatnonzero(slopes > 0)
    if not len(above):
        return None
    low, high = GRID[above[0] - 1], GRID[above[0]]
    for _ in range(3):  # refine the bracket: 9 more multipliers a round, one call each
        grid = np.logspace(math.log10(low), math.log10(high), 9)
        slopes = _slopes(values, n, grid)
        k = int(np.flatnonzero(slopes > 0)[0]) if (slopes > 0).any() else len(grid) - 1
        low, high = grid[max(k - 1, 0)], grid[k]
    return float(math.sqrt(low * high))


def break_even_text(multiplier: float | None) -> str:
    """A break-even multiplier in words."""
    if multiplier is None:
        return "never (up to 10,000x)"
    if multiplier != multiplier:
        return "n/a: no inference to move"
    return "already at 1x" if multiplier <= 1 else f"{multiplier:,.1f}x"
