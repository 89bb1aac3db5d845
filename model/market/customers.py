"""One customer market: the labs' summed demand, divided by a logit in capability, capped by
serving capacity.

Each lab keeps its single-lab demand curve (users, tokens per task, its price, its quality); the
market's demand is their sum, in tokens a year. Customers then choose between labs by a logit in
software efficiency (OOMs, comparable across labs: each is measured against the same frontier
reference), whose weights are the labs' own demand at the step: a lab keeps its own demand curve
while it keeps pace with the others, and gains or loses odds by QUALITY_SENSITIVITY per OOM it
gains or loses on them. The logit is the projection's (its rows customer_odds and
customer_share_factor, model.loop.market_rows), so a lab choosing its split sees the customers
its own software wins; here is what the market adds, the capacity caps. Demand beyond a lab's
serving capacity goes to the labs with spare capacity, in proportion to their logit shares; what
no lab can serve stays with the labs it chose, unserved (their scarcity pricing raises their
prices until customers want no more). The shares always sum to 1, and no token is sold twice.
"""

from __future__ import annotations

import numpy as np


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
