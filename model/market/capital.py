"""One capital market: what investors offer the labs (each lab's `external_financing`, from its
revenue and its growth, or its parent's budget) against the money there is to raise.

The pool is the labs' summed offers in the base year (what they did raise), growing at
CAPITAL_POOL_GROWTH a year (the hyperscalers' 2026 guidance) until it reaches CAPITAL_POOL_CAP of
world GDP, then with GDP: forecasters see AI capex growth slowing from +70% a year to ~+10% by
2030, at about 1% of world GDP. When the offers exceed it, every lab raises the same share of its
offer (pro rata: an assumption; investors who ration might favour the fastest-growing lab);
below it, each raises all of its offer. Reinvested cash is the lab's own and never rationed.
"""

from __future__ import annotations

import numpy as np

from .parameters import CAPITAL_POOL_CAP, CAPITAL_POOL_GROWTH


def capital_pool(offers: np.ndarray, years: np.ndarray, gdp: np.ndarray,
                 growth: float = CAPITAL_POOL_GROWTH.value,
                 cap: float = CAPITAL_POOL_CAP.value) -> np.ndarray:
    """USD/year (n, *samples): the labs' summed base-year offers (offers (n, labs, *samples),
    USD/year) grown at `growth` (1/year) to each step's start (years (n, labs, *samples)), at
    most `cap` of world GDP (gdp (n, *samples), USD/year: the projection's world_gdp row, the
    world the labs' customers spend from)."""
    elapsed = years[:, 0] - years[:1, 0]
    return np.minimum(offers[0].sum(axis=0) * np.exp(growth * elapsed), cap * gdp)


def financing_share(offers: np.ndarray, years: np.ndarray, gdp: np.ndarray,
                    alone: bool = False,
                    growth: float = CAPITAL_POOL_GROWTH.value) -> np.ndarray:
    """(n, labs, *samples) the share of its offer each lab raises: the pool over the summed
    offers, at most 1; 1 in the base year (observed) and for a lab alone (`gdp`: see
    capital_pool)."""
    if alone:
        return np.ones_like(offers)
    total = offers.sum(axis=1)
    pool = capital_pool(offers, years, gdp, growth)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(total > pool, pool / total, 1.0)
    share[0] = 1.0
    return np.broadcast_to(share[:, None], offers.shape).copy()
