"""Clearing the market of labs step by step: each step's coupling paths (chip rations and price,
the customers' odds and demand, the capital market's share) from the labs' rows, iterated with
that step's projection until they no longer move (model.market.engine runs the steps).

A step's coupling reads only that step's rows and the base year's (and the chip price's change,
the last step's index), so settling the steps in order is the fixed point of the whole paths,
at one step's cost per iteration rather than the horizon's: 7-12 runs of a step, where
iterating the whole paths took ~70 runs of all of them; from a warm start (a market re-solved
around a lab's candidate path) ~5.
"""

from __future__ import annotations

import numpy as np

from model.loop.coupling import NO_RIVAL

from .capital import financing_share
from .chips import market_supply, price_index, rationed, shortage
from .customers import capacity_capped
from .parameters import CAPITAL_POOL_GROWTH, CHIP_PRICE_CAP, CHIP_PRICE_FLOOR

# Weight of the new paths in the first iteration; halved (down to MIN_DAMPING) whenever the
# change grows, since the chip price and the customers can feed back on each other and cycle,
# and grown back by a quarter while it shrinks.
DAMPING = 1.0
MIN_DAMPING = 0.05
# Largest change of a path in an iteration (see `_change`) at convergence. At 1e-6, warm
# starts (`_carried`) left the runs less settled than the optimisers' finite differences bear:
# the joint optimum's 2030 ratio under ai-2027 fell from 0.67 to 0.36; at 1e-8 it reads 0.58,
# and the benchmark's equilibrium NPVs agree with the cold starts' at 1e-8 to 7 digits.
TOLERANCE = 1e-8
MAX_ITERATIONS = 200
# Runs of a step in which the chip price takes its secant step freely; from then on the step is
# kept within the bounds the later guesses put on the root. Every step of every market the
# equilibria solve settled within 11 where it settled at all, and halving bounds from the first
# run took the benchmark's equilibrium from 8.6 s to 9.5 s (more runs a step, not fewer).
SECANT_RUNS = 12


def _change(old: tuple, new: tuple) -> float:
    """Largest change between iterations: supply shares as shares of world production, the
    price index in e-folds, and the customers' paths as shares of the market (each lab's rival
    odds and demand over the market's: every step's total is the same in both)."""
    (s0, i0, o0, d0, p0, f0, r0, b0), (s1, i1, o1, d1, p1, f1, r1, b1) = old, new
    # Every lab's rivals together count each lab labs - 1 times: the market's total is their
    # sum over that (summed alone, the measure was labs - 1 times looser than the Market sheet's
    # gaps, which a three-lab market at this tolerance showed at 2e-6)
    others = max(o1.shape[1] - 1, 1)
    odds, demand = (o1.sum(axis=1, keepdims=True) / others,
                    d1.sum(axis=1, keepdims=True) / others)
    with np.errstate(divide="ignore", invalid="ignore"):
        customers = [np.where(total > 0, np.abs(b - a) / total, 0.0)
                     for a, b, total in ((o0, o1, odds), (d0, d1, demand), (p0, p1, demand))]
    return float(max(np.max(np.abs(s1 - s0)), np.max(np.abs(np.log(i1 / i0))),
                     np.max(np.abs(f1 - f0)), np.max(np.abs(r1 - r0)), np.max(np.abs(b1 - b0)),
                     *(np.max(c) for c in customers)))


def others(x: np.ndarray) -> np.ndarray:
    """(steps, labs, *samples): for each lab the sum of the other labs' `x`, summed over them
    rather than as the total less its own: the labs' odds and demand can lie 20 OOMs apart, where
    the total less the largest is rounding, and may come out below 0."""
    return np.stack([np.delete(x, j, axis=1).sum(axis=1) for j in range(x.shape[1])], axis=1)


def rival_gaps(gaps: np.ndarray) -> np.ndarray:
    """(steps, labs, *samples): for each lab the highest capability_gap of the others (OOMs);
    NO_RIVAL for a lab with none."""
    if gaps.shape[1] < 2:
        return np.full_like(gaps, NO_RIVAL)
    order = np.sort(gaps, axis=1)
    best, second = order[:, -1:], order[:, -2:-1]
    # the best lab's best rival is the second; a tie for the best leaves the best for both
    return np.where(gaps >= best, second, best)


def couple(rows: dict, shares: np.ndarray, alone: bool, spill: bool,
           pool_growth: float = CAPITAL_POOL_GROWTH.value) -> tuple:
    """The coupling paths the rows call for: (supply share, price index, rival odds, rival
    demand, spilled demand, financing share, rival capability gap, base frontier gap), and the
    customers' (served, chosen) shares (`pool_growth`: the capital pool's, 1/year)."""
    production = rows["world_gpu_production"]
    bids = rows["gpus_bid"].copy()
    bids[0] = 0.0  # the base year's fleet is observed: nothing is bought in it
    supply = market_supply(production, shares)
    index = np.ones_like(supply) if alone else price_index(bids, supply)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = rationed(bids, supply, shares) / production.mean(axis=1, keepdims=True)
    share = np.where(np.isfinite(share), share, shares)
    share[0] = shares
    # the customers: each lab's odds and own demand are its rows (model.loop.market_rows)
    odds, demand = rows["customer_odds"], rows["own_tokens_demanded"]
    total_odds, total = odds.sum(axis=1, keepdims=True), demand.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        chosen = np.where(total_odds > 0, odds / total_odds, 1 / odds.shape[1])
    wanted = chosen * total
    spilled = (capacity_capped(wanted, rows["token_capacity"], chosen) - wanted if spill
               else np.zeros_like(wanted))
    sold = rows["tokens_served"]
    with np.errstate(divide="ignore", invalid="ignore"):
        served = np.where(sold.sum(axis=1, keepdims=True) > 0,
                          sold / sold.sum(axis=1, keepdims=True), chosen)
    # the capital pool is capped by the world the customers spend from: the first lab's
    # world_gdp row (every lab's, unless a user set their world inputs apart)
    financing = financing_share(rows["external_financing"], rows["year"],
                                rows["world_gdp"][:, 0], alone, pool_growth)
    # the market's frontier: the labs' own best software (each step's start, known before it)
    gaps = rows["capability_gap"]
    rival = rival_gaps(gaps)
    base = np.broadcast_to(gaps[:1].max(axis=1, keepdims=True), gaps.shape)
    return ((share, index, others(odds), others(demand), spilled, financing, rival,
             np.zeros_like(base) if gaps.shape[1] < 2 else base.copy()), (served, chosen))


def _mix(old: tuple, new: tuple, weight: float, index: np.ndarray) -> tuple:
    """`weight` of the way from `old` paths to `new`, arithmetically (rivals' odds and demand
    may be 0, spills negative), but the price index: `index` (_secant's), and the frontier's
    gaps, read from the step's start, which nothing in the step moves: `new`'s."""
    mixed = tuple(a * (1 - weight) + b * weight
                  for a, b in zip(old[:DAMPED], new[:DAMPED], strict=True))
    return (mixed[0], index, *mixed[2:], *new[DAMPED:])


_LOG_FLOOR, _LOG_CAP = np.log(CHIP_PRICE_FLOOR.value), np.log(CHIP_PRICE_CAP.value)
# The coupling paths in the order `couple` returns them; the first DAMPED move within a step.
PATHS = ("market_supply_share", "chip_price_index", "rival_odds", "rival_demand",
         "spilled_demand", "financing_share", "rival_capability_gap", "base_frontier_gap")
DAMPED = 6
_SPILL = PATHS.index("spilled_demand")  # the one path that may be negative
# The rows the coupling reads: each step's (labs, *samples) beside the base year's.
# (A market computing only some rows must compute these: model.market.engine.equilibrium.)
COUPLED_ROWS = ("world_gpu_production", "gpus_bid", "customer_odds",
                "own_tokens_demanded", "token_capacity", "tokens_served", "external_financing",
                "year", "capability_gap", "world_gdp")


class Clearing:
    """Settles each step's coupling (run_arrays' solve_step): the step is run, the coupling
    its rows call for is mixed in, damped, until it no longer moves. A step's coupling reads
    only that step's rows and the base year's (the chip price's change, the last step's), so
    settling the steps in order is the whole paths' fixed point, at a step's cost per
    iteration rather than the horizon's."""

    def __init__(self, shares, lane, alone, spill, first, warm, damping, tolerance, limit,
                 pool_growth=CAPITAL_POOL_GROWTH.value):
        self.shares, self.lane, self.alone, self.spill = shares, lane, alone, spill
        self.pool_growth = pool_growth
        self.warm = warm
        self.first, self.damping, self.tolerance, self.limit = first, damping, tolerance, limit
        self.settled, self.customers, self.base = [], [], None
        self.slope = None  # the chip price's last secant slopes, for the next step's first run
        self.converged, self.iterations, self.change = True, 0, 0.0

    def _coupled(self, rows: dict) -> dict[str, np.ndarray]:
        """The rows the coupling reads, on every lane: the labs' inputs', and the draws' the
        paths alone may carry (a deviation)."""
        lane = np.broadcast_shapes(self.lane, *(np.shape(rows[k]) for k in COUPLED_ROWS))
        return {k: np.broadcast_to(rows[k], lane) for k in COUPLED_ROWS}

    def _target(self, rows: dict, t: int) -> tuple:
        if t == 0:
            stack = {k: v[None] for k, v in self._coupled(rows).items()}
        else:
            # the base year's rows beside this step's, in buffers kept from the base year
            # (stacking them afresh each run cost a third of the coupling's time)
            stack = self.base
            for k in COUPLED_ROWS:
                stack[k][1] = rows[k]
        coupling, customers = couple(stack, self.shares, self.alone, self.spill, self.pool_growth)
        return tuple(c[-1] for c in coupling), tuple(c[-1] for c in customers)

    def __call__(self, t: int, evaluate) -> dict:
        # from the start's paths moved as the last step settled away from them (a warm start:
        # a market near the start's, 4-5 runs a step where the start's own paths took 7), or
        # where the last step settled
        if not t:
            paths = tuple(np.array(p[0]) for p in self.first)
        elif self.warm:
            paths = _carried(self.first, self.settled[-1], t)
        else:
            paths = tuple(np.array(p) for p in self.settled[-1])
        before = self.settled[-1][1] if t else np.ones_like(paths[1])
        damping, change, iterations, secant = self.damping, np.inf, 0, None
        while True:
            iterations += 1
            rows = evaluate(_over(paths, before))
            target, customers = self._target(rows, t)
            last, change = change, _change(tuple(p[None] for p in paths),
                                           tuple(p[None] for p in target))
            if change <= self.tolerance or iterations >= self.limit:
                break
            damping = (max(MIN_DAMPING, damping / 2) if change > last
                       else min(self.damping, damping * 1.25))
            index, secant = _secant(np.log(paths[1]), np.log(target[1]), secant, damping,
                                    iterations >= SECANT_RUNS, self.slope)
            paths = _mix(paths, target, damping, index)
            if secant[4] is not None:  # the slope each lane last found, for the next step
                self.slope = np.where(np.isfinite(secant[4]), secant[4],
                                      np.nan if self.slope is None else self.slope)
        self.converged &= change <= self.tolerance
        self.iterations = max(self.iterations, iterations)
        self.change = max(self.change, change)
        if t == 0:
            self.base = {k: np.stack([v, v]) for k, v in self._coupled(rows).items()}
        self.settled.append(paths)
        self.customers.append(customers)
        return rows


def _carried(start: tuple, settled: tuple, t: int) -> tuple:
    """Step t's first guess from `start`'s paths: the start's step t moved as the last step
    settled away from the start's (a deviation's effect on the market carries from one step to
    the next): the price index by its ratio, the other moving paths by their difference (at
    least 0 but the spill), the frontier's gaps the start's."""
    index = start[1][t] * settled[1] / start[1][t - 1]
    moved = [p[t] + s - p[t - 1] if k == _SPILL else np.maximum(0.0, p[t] + s - p[t - 1])
             for k, (p, s) in enumerate(zip(start[:DAMPED], settled[:DAMPED], strict=True))]
    return (moved[0], index, *moved[2:], *(np.array(p[t]) for p in start[DAMPED:]))


def _secant(x: np.ndarray, g: np.ndarray, last: tuple | None, damping: float,
            bounded: bool = True, slope: np.ndarray | None = None) -> tuple:
    """The chip price index's next guess, and what the next call needs: x is its log, g the
    log the bids at x call for. The bids fall as the price rises, so a full step overshoots
    (by 1 / elasticity: at elasticity 0.5 it diverges); the secant through the last two
    guesses solves g(x) = x where g is a power law (a line in logs), in about three runs of
    the step. Where the slope is unknown (the first run, a kink of the clip), `slope` (the
    last step's, which moves little from step to step) or, without one, a damped step: the
    full first step overshot 4-fold, a run more in each step. Since g - x falls as x rises,
    every guess also bounds the root (`_bounds`); `bounded`, the bounds are kept from this
    guess on, and a step that would leave them halves them instead: where the bids fall
    steeply the secant cycled (the index 0.7, 10, 1.6, 3.5 and again, for 200 runs)."""
    found = None
    if last is not None:
        x0, g0 = last[:2]
        with np.errstate(divide="ignore", invalid="ignore"):
            found = np.where(np.abs(x - x0) > 1e-12, (g - g0) / (x - x0), np.nan)
        slope = found
    step = damping * (g - x)
    if slope is not None:
        usable = np.isfinite(slope) & (slope < 1)
        step = np.where(usable, (g - x) / np.where(usable, 1 - slope, 1), step)
    # the bids call for an index within [floor, cap] (model.market.chips.price_index), so the
    # root lies there: a secant whose slope nears 1 (the bids barely answering the price) would
    # otherwise step past the cap, to an index of inf
    guess = np.clip(x + step, _LOG_FLOOR, _LOG_CAP)
    if not bounded:
        return np.exp(guess), (x, g, None, None, found)
    low, high = _bounds(x, g, None if last is None or last[2] is None else last[2:4])
    out = np.isfinite(low) & np.isfinite(high) & ((guess <= low) | (guess >= high))
    return np.exp(np.where(out, (low + high) / 2, guess)), (x, g, low, high, found)


def _bounds(x: np.ndarray, g: np.ndarray, last: tuple | None) -> tuple:
    """(low, high) logs of the index between which the root lies: above x where the bids call
    for a higher price (g > x), below it otherwise. The other paths move as the step settles,
    and the root with them, so bounds that cross, or that close on a guess whose bids still
    call for a move, are stale and start again from x."""
    low, high = (np.full_like(x, -np.inf), np.full_like(x, np.inf)) if last is None else last
    up = g > x
    low, high = np.where(up, np.maximum(low, x), low), np.where(up, high, np.minimum(high, x))
    stale = (low >= high) | ((high - low < 1e-9) & (np.abs(g - x) > 1e-6))
    return (np.where(stale, np.where(up, x, -np.inf), low),
            np.where(stale, np.where(up, np.inf, x), high))


def inputs(paths: tuple, change: np.ndarray, level: np.ndarray) -> dict[str, np.ndarray]:
    """The coupling inputs from coupling paths (PATHS' order): each path under its own name,
    but the chip price index, which the labs read as its `change` over the last step's and as
    the shortage its `level` shows (both arrays that broadcast to the supply shares' shape)."""
    shape = paths[0].shape
    out = {"chip_price_change" if name == "chip_price_index" else name:
           np.broadcast_to(change, shape) if name == "chip_price_index" else path
           for name, path in zip(PATHS, paths, strict=True)}
    return out | {"chip_shortage": np.broadcast_to(shortage(level), shape)}


def _over(paths: tuple, before: np.ndarray) -> dict[str, np.ndarray]:
    """The step's coupling inputs (labs, *samples) from its coupling paths, the chip price's
    change over the last step's index `before`."""
    return inputs(paths, (paths[1] / before)[None], paths[1][None])
