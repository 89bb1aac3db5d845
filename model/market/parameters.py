"""The market's own parameters: how the chip price answers the labs' bids, how customers
choose between labs, and how much money the labs can raise together. Each cites its source
or is a labelled assumption with an interval (no source measures the chip and customer ones).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from model.core.catalogue import CATALOGUE
from model.core.economy_inputs import WORLD_GDP_2025
from model.core.sources import cite
from model.loop import projection as _projection  # noqa: F401 - registers every input read below


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
SCARCITY_PRICE_CAP = Parameter(2.0, 1.7, 2.5, cite(
    "openai-priority", "a lab short of serving capacity charges at most what customers pay to "
    "be served first: Priority processing at 2x Standard for GPT-5, from 1.7x (GPT-4o) to 2.5x "
    "(GPT-5.5)") + "; " + cite(
    "assumption", "beyond it they turn to rivals at the competitive price"))

# Amazon's, Alphabet's, Meta's and Microsoft's 2025 capex, and their 2026 guidance (midpoints;
# Microsoft's from analysts).
HYPERSCALER_CAPEX_2025 = (131.8 + 91.4 + 72.2 + 88.2) * 1e9
HYPERSCALER_GUIDANCE_2026 = (200 + 180 + 125 + 130.5) * 1e9
_GUIDED = math.log(HYPERSCALER_GUIDANCE_2026 / HYPERSCALER_CAPEX_2025)
CAPITAL_POOL_GROWTH = Parameter(_GUIDED, 0.2, 0.6, cite(
    "capex-2025-26", f"the money the labs raise together (their base-year offers summed) grows "
    f"as the hyperscalers' capex is guided to from 2025 to 2026: "
    f"ln({HYPERSCALER_GUIDANCE_2026 / 1e9:.1f}/{HYPERSCALER_CAPEX_2025 / 1e9:.1f}) = "
    f"{_GUIDED:.3f} a year") + "; " + cite(
    "assumption", "held beyond 2026, where no guidance reaches; from 0.2 to 0.6"))
WORLD_GDP = Parameter(WORLD_GDP_2025, WORLD_GDP_2025, WORLD_GDP_2025, cite(  # USD/year, 2025
    "imf-weo-2025", "world nominal GDP 2025 $117.17T"))
CAPITAL_POOL_CAP = Parameter(0.01, 0.006, 0.02, cite(
    "ai-capex-forecasts", "forecasters see ~$1.1T of AI capex in 2027 and over $0.9T in 2028, "
    "~0.9% of world GDP") + "; " + cite(
    "assumption", "the money the labs raise together stays below 1% of world GDP, about the "
    "telecom peak's share of US GDP in 2000 [capex-history]; from 0.6% (the forecasts' low "
    "end) to 2% (railroad-boom intensity if the spending stays in the US)"))
