"""Fitting a cached chart spec to its data (pure): one y range for side-by-side panels, and log
axes that span whole decades labelled at each power of ten.

Specs are cached without data (app.charts); what depends on the data is set on a copy here.
"""

from __future__ import annotations

import copy
import math

import pandas as pd


def decades(low: float, high: float, most: int = 8) -> list[float]:
    """Powers of ten from below `low` to above `high`, every k-th so at most `most` labels: a
    log axis labelled only where Vega finds room skips decades unevenly."""
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    last = max(last, first + 1)
    step = -(-(last - first) // (most - 1))
    return [10.0 ** k for k in range(first, last + step, step)][: most]


def fitted(spec: dict, values: pd.Series, share: bool) -> dict:
    """A copy of a spec whose y axis covers `values` (every panel's, when `share`); a log axis
    spans whole decades and is labelled at each power of ten."""
    out = copy.deepcopy(spec)
    encodings = [layer["encoding"] for layer in out.get("layer", [out])]
    y = encodings[0]["y"]
    log = y.get("scale", {}).get("type") == "log"
    values = values[values > 0] if log else values
    if values.empty:
        return out
    low, high = float(values.min()), float(values.max())
    if log:
        ticks = decades(low, high)
        low, high = ticks[0], max(ticks[-1], high)
        y["axis"]["values"] = ticks
    if log or share:
        for encoding in encodings:
            encoding["y"].setdefault("scale", {})["domain"] = [low, high]
    return out
