"""What decides the seed table: the uncertain inputs that move the value-maximising answer most,
each at the ends of its 90% interval, and the answer then, scenario by scenario.

An input's influence is how far its 5th and 95th percentiles (model.loop.montecarlo.UNCERTAIN,
the same factors the Monte Carlo draws from) move the value-maximising lab's research share in
year 5, in the ranking scenario. The most influential are then set to each end in every scenario,
one at a time, and the answer read again: whether research's share rises or falls over the years
shown (1, 3 and 5 after the base year; model.core.trend.direction), and its level in year 5.
`make docs` writes the table into the README (model.report.split_doc).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.core.catalogue import CATALOGUE
from model.core.errors import InputError
from model.core.trend import direction
from model.loop.montecarlo import UNCERTAIN
from model.loop.scenarios import SCENARIOS, scenario_settings

from .paths import project
from .value_split import YEARS_SHOWN

TOP = 5
ENDS = ("p5", "p95")


def _end(preset: str | None, name: str, end: str) -> float:
    """The input's value at its 5th or 95th percentile, within its catalogue bounds."""
    q = CATALOGUE[name]
    base = scenario_settings(preset).values[name]
    factor = UNCERTAIN[name][0 if end == "p5" else 1]
    return float(np.clip(base * factor, q.min, q.max))


def answer(preset: str | None, scenario: str, overrides: dict | None = None,
           years: int = 10) -> tuple[str, float]:
    """(trend, year-5 research share) of the value-maximising lab."""
    settings = scenario_settings(preset, scenario, overrides={
        **(overrides or {}), "allocation_policy": "value-maximising"})
    df = project(settings, years)
    elapsed = df["year"] - df["year"].iloc[0]
    shares = [float(df[np.isclose(elapsed, y)]["share_research"].iloc[0]) for y in YEARS_SHOWN]
    return direction(shares), shares[-1]


def ranking(preset: str | None, scenario: str = "status-quo") -> pd.DataFrame:
    """Every uncertain input by how far its ends move the year-5 research share."""
    rows = []
    for name in UNCERTAIN:
        low, high = (_end(preset, name, e) for e in ENDS)
        try:
            shares = [answer(preset, scenario, {name: v})[1] for v in (low, high)]
        except InputError:  # a milestone alone past the next one: moved only with the others
            continue
        rows.append((name, low, high, *shares, abs(shares[1] - shares[0])))
    df = pd.DataFrame(rows, columns=["input", "low", "high", "share_low", "share_high",
                                     "influence"])
    return df.sort_values("influence", ascending=False, kind="stable").reset_index(drop=True)


def deciders_table(preset: str | None, top: int = TOP,
                   scenario: str = "status-quo") -> pd.DataFrame:
    """The `top` inputs at each end, per scenario: trend and year-5 research share."""
    rows = []
    for name in ranking(preset, scenario)["input"].head(top):
        for end in ENDS:
            value = _end(preset, name, end)
            for s in SCENARIOS:
                trend, share = answer(preset, s, {name: value})
                rows.append((name, end, value, s, trend, share))
    return pd.DataFrame(rows, columns=["input", "end", "value", "scenario", "trend",
                                       "research_share_year_5"])

