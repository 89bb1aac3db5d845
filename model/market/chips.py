"""One chip supply: the labs' bids against the world's production, each step.

Labs bid the GPUs their capital affords at the step's chip price (the projection's
`gpus_bid`: a renter, the shortage times what it brings into service within the step, closing
its affordable gap at its lead time stretched by the shortage, `chip_shortage`).
The market's supply is the labs' shares of world production (all of it for the default market,
whose rest-of-the-world lab takes what the named labs did not); over-bid,
the chip price index rises with the excess and the bids are rationed in proportion; under-bid,
the index falls towards cost and every bid is met, the spare chips split by supply shares (so a
lab bidding more next time finds them). A lab alone is a price taker: its rent path is the
world's (the single-lab projection), so its index stays 1.
"""

from __future__ import annotations

import numpy as np

from .parameters import CHIP_PRICE_CAP, CHIP_PRICE_ELASTICITY, CHIP_PRICE_FLOOR


def market_supply(production: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """GPUs the market's labs may buy each step (n, *samples): their supply shares (labs,
    *samples; at most all) of world production (n, labs, *samples; the labs' projections see
    the same world, so their mean)."""
    return np.minimum(1.0, shares.sum(axis=0)) * production.mean(axis=1)


def price_index(bids: np.ndarray, supply: np.ndarray,
                elasticity: float = CHIP_PRICE_ELASTICITY.value,
                floor: float = CHIP_PRICE_FLOOR.value, cap: float = CHIP_PRICE_CAP.value
                ) -> np.ndarray:
    """The chip price index each step (n, *samples), 1 = the world's price path: (bids /
    supply)^(1 / elasticity) within [floor, cap]; the base year (observed) is 1. bids (n, labs,
    *samples) GPUs."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(supply > 0, bids.sum(axis=1) / supply, np.inf)
        index = np.clip(ratio ** (1.0 / elasticity), floor, cap)
    index[0] = 1.0
    return index


def rationed(bids: np.ndarray, supply: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """GPUs each lab may buy each step (n, labs, *samples): its bid scaled down to the supply
    when the labs over-bid; otherwise its bid plus the spare chips split by supply shares
    (labs, *samples). They sum to the supply, so purchases (at most these) never exceed it."""
    total = bids.sum(axis=1, keepdims=True)
    room = supply[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        over = np.where(total > 0, bids * room / total, 0.0)
    total_share = shares.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        weights = np.where(total_share > 0, shares / total_share, 1 / len(shares))
    under = bids + (room - total) * weights
    return np.where(total > room, over, under)


def shortage(index: np.ndarray, elasticity: float = CHIP_PRICE_ELASTICITY.value) -> np.ndarray:
    """How many times the supply the labs bid for, as the price index shows it: index^elasticity
    (`price_index` inverted), at least 1. Each lab gets 1 / this of its bid (`rationed`), so a
    renter's lead time stretches by it; at the cap, the cap's (the bids may be more still)."""
    return np.maximum(1.0, np.asarray(index, dtype=float) ** elasticity)
