"""The market's own parameters: how the chip price answers the labs' bids, and how customers
choose between labs. Each is a labelled assumption with an interval (no source measures them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from model.core.catalogue import CATALOGUE
from model.core.sources import cite


@dataclass(frozen=True)
class Parameter:
    """A market parameter: its value, the interval it may take, and why."""

    value: float
    low: float
    high: float
    source: str


_ETA = CATALOGUE["demand_price_elasticity"].default
_KAPPA = CATALOGUE["capability_price_elasticity"].default

CHIP_PRICE_ELASTICITY = Parameter(1.0, 0.5, 4.0, cite(
    "assumption", "the chip price index is (bids / supply)^(1 / elasticity), bids at the "
    "step's price: at 1 an over-bid of 2x raises the price by 2^(1/2) = 1.41x (bidders "
    "spending fixed dollars), the rest rationed; H100 rents rose 40% in five months as demand "
    "outran supply [semianalysis-rental]; from 0.5 (a sharper rise) to 4 (sticky list prices, "
    "[rbc-rental-2025]: 'hardly budged')"))
CHIP_PRICE_FLOOR = Parameter(1.70 / 2.35, 0.5, 0.9, cite(
    "assumption", "when bids fall short of supply the index falls towards cost, at most to "
    "$1.70 / $2.35 = 0.72 of the world's price: H100 rent at its Oct 2025 low over Mar 2026's "
    "[semianalysis-rental]; rents fell 22% in 2025 [rbc-rental-2025]; from 0.5 to 0.9"))
CHIP_PRICE_CAP = Parameter(10.0, 3.0, 30.0, cite(
    "assumption", "a bound: the index never exceeds 10x the world's price (beyond it, the "
    "bids are rationed; the end-2025 market at quarterly steps reaches it in 2029-31); from 3 "
    "to 30"))
QUALITY_SENSITIVITY = Parameter(math.log(10) * _ETA * _KAPPA, 0.5 * math.log(10) * _ETA * _KAPPA,
                                2 * math.log(10) * _ETA * _KAPPA, cite(
    "assumption", f"log-odds of a customer choosing a lab per OOM of software efficiency it "
    f"gains on the others: what one OOM gained on the frontier does to the single lab's "
    f"demand, ln 10 x demand_price_elasticity {_ETA} x capability_price_elasticity {_KAPPA} "
    f"= {math.log(10) * _ETA * _KAPPA:.2f}; from half (customers stay with their lab) to "
    "double"))
