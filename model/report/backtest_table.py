"""The backtests as a person reads them (the CLI's table, the page's): each published figure in
the display catalogue's formats, and one row an observable with its ratio at each step length.
"""

from __future__ import annotations

import pandas as pd

from .formats import format_value, money


def observed_text(value: float, unit: str, like: float | None = None) -> str:
    """An observable by the display catalogue: money, GPUs, a share or a ratio (a unitless
    figure is a share if `like`, by default the value itself, is at most 1, else a ratio: a
    draw's reading is shown as the published figure is)."""
    if unit.startswith("USD"):
        return money(value, unit)
    if unit == "GPU":
        return format_value("fleet_gpus", value)
    kind = value if like is None else like
    return format_value("share_research" if kind <= 1 else "ai_rd_multiplier", value)


def by_observable(table: pd.DataFrame) -> pd.DataFrame:
    """One row an observable of a backtest (model.loop.backtest's columns): observable, what
    was run (`preset`), observed and modelled as text (modelled at the last step length),
    `ratio_<step>` and `within_<step>` for each step length, and the source."""
    steps = list(dict.fromkeys(table["step"]))
    rows = []
    for name, group in table.groupby("observable", sort=False):
        at = {s: group[group["step"] == s].iloc[0] for s in steps}
        first = group.iloc[0]
        rows.append({"observable": name, "preset": first.preset,
                     "observed": observed_text(first.observed, first.unit),
                     **{f"ratio_{s}": float(at[s].ratio) for s in steps},
                     **{f"within_{s}": bool(at[s].within) for s in steps},
                     "source": first.source})
    return pd.DataFrame(rows)
