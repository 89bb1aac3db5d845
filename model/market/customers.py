"""One customer market: the labs' summed demand, divided by a logit in capability, capped by
serving capacity.

Each lab keeps its single-lab demand curve (users, tokens per task, its price, its quality);
the market's demand is their sum, in tokens a year. Customers then choose between labs by a
logit in software efficiency (OOMs, comparable across labs: each is measured against the same
frontier reference), whose intercepts are the base year's observed shares: a lab keeps its
share while it keeps pace with the others, and gains or loses odds by QUALITY_SENSITIVITY per
OOM it gains or loses on them. Demand beyond a lab's serving capacity goes to the labs with
spare capacity, in proportion to their logit shares; what no lab can serve stays with the
labs it chose, unserved (their scarcity pricing raises their prices until customers want no
more). The shares always sum to 1, and no token is sold twice.
"""

from __future__ import annotations

import numpy as np

from .parameters import QUALITY_SENSITIVITY


def logit_shares(demand: np.ndarray, capability: np.ndarray,
                 sensitivity: float = QUALITY_SENSITIVITY.value) -> np.ndarray:
    """Customer shares (n, labs, *samples), summing to 1 each step: the base year's demand
    shares moved by the logit in each lab's capability gained since the base year (OOMs)."""
    total = demand[0].sum(axis=0)  # (no lab with customers at all: equal odds)
    with np.errstate(divide="ignore", invalid="ignore"):
        base = np.where(total > 0, demand[0] / total, 1 / demand.shape[1])
        utility = np.log(base) + sensitivity * (capability - capability[0])
    utility = utility - utility.max(axis=1, keepdims=True)
    odds = np.exp(utility)
    return odds / odds.sum(axis=1, keepdims=True)


def capacity_capped(wanted: np.ndarray, capacity: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Tokens a year sent to each lab (n, labs): `wanted`, with what exceeds a lab's capacity
    moved to labs with room (by their shares, up to their room), what none has room for left
    where it was. The total each step is unchanged."""
    sent = wanted.copy()
    for _ in range(wanted.shape[1]):  # each pass fills at least one lab's room, or stops
        excess = np.maximum(sent - capacity, 0.0)
        room = np.maximum(capacity - sent, 0.0)
        spill = excess.sum(axis=1, keepdims=True)
        pull = np.where(room > 0, shares, 0.0)
        weight = pull.sum(axis=1, keepdims=True)
        if not np.any((spill > 0) & (weight > 0)):
            break
        with np.errstate(divide="ignore", invalid="ignore"):
            offered = np.where(weight > 0, spill * pull / weight, 0.0)
        taken = np.minimum(offered, room)
        moved = taken.sum(axis=1, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            kept = np.where(spill > 0, 1 - moved / spill, 1.0)
        sent = np.where(excess > 0, capacity + excess * kept, sent + taken)
    return sent


def share_factors(demand: np.ndarray, capability: np.ndarray, capacity: np.ndarray,
                  sensitivity: float = QUALITY_SENSITIVITY.value) -> tuple[np.ndarray, ...]:
    """(customer_share_factor, served shares, chosen shares), each (n, labs): each lab's tokens
    in the market over its own demand (1 in the base year, and for a lab with no demand of its
    own); its share of the tokens once capacity caps them; the customers' logit choice."""
    shares = logit_shares(demand, capability, sensitivity)
    sent = capacity_capped(shares * demand.sum(axis=1, keepdims=True), capacity, shares)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(demand > 0, sent / demand, 1.0)
    # within the input's bounds: a logit share that underflows to 0 must not put log(0) into
    # the lab's demand (which the next iteration divides back out)
    factor = np.clip(factor, 1e-12, 1e12)
    factor[0] = 1.0
    total = sent.sum(axis=1, keepdims=True)
    return factor, np.where(total > 0, sent / total, shares), shares
