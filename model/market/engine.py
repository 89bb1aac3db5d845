"""The market of labs as a fixed point: every lab's projection (the labs are columns of one
`run_arrays` call) given the chip market's rations and price and the customers' shares, those
recomputed from the projections, damped, until nothing moves.

Not an equilibrium of choices (each lab keeps its allocation policy; no lab best-responds):
this is the market the policies meet. Deterministic: no sampling, a fixed order of operations.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.core.catalogue import CATALOGUE
from model.core.errors import InputError
from model.loop.projection import (
    PATHS,
    check_paths,
    default_paths,
    input_names,
    run_arrays,
    steps_for,
)
from model.loop.steps import DEFAULT_STEP

from .capital import financing_share
from .chips import market_supply, price_index, rationed
from .customers import capacity_capped
from .fields import Lab
from .single_lab import lab_settings
from .world import MARKET

# Weight of the new paths in the first iteration; halved (down to MIN_DAMPING) whenever the
# change grows, since the chip price and the customers can feed back on each other and cycle,
# and grown back by a quarter while it shrinks.
DAMPING = 0.5
MIN_DAMPING = 0.05
TOLERANCE = 1e-6  # largest change of a path in an iteration (see `_change`) at convergence
MAX_ITERATIONS = 200
# Whether demand beyond a lab's serving capacity moves to labs with room (customers.
# capacity_capped). Off by default: the lab short of capacity already prices that demand away
# (its scarcity pricing, model.loop.market_rows), so moving it too would count it twice; and the
# spill feeds back (less demand, a value-maximising lab serves less, more spills), which gives
# the market many fixed points: the same paths settled at NPVs $80B apart from two starts.
SPILL = False
SUPPLY_ON = float(CATALOGUE["supply_limit"].choice_index("world-share"))


@dataclass(frozen=True)
class Market:
    """A market's projection: rows (n_steps, labs, *samples) and the paths that couple the labs
    (each (n, labs, *samples) but the price index, one for the market: (n, *samples))."""

    labs: tuple[str, ...]
    rows: dict[str, np.ndarray]
    coupling: tuple  # the paths the labs were run with (see _couple), to start the next from
    customer_share: np.ndarray  # share of the tokens the labs sell, summing to 1
    choice_share: np.ndarray  # the customers' logit choice, before capacity caps
    converged: bool
    iterations: int
    change: float  # the last iteration's largest change (see _change)
    seconds: float

    @property
    def supply_share(self) -> np.ndarray:
        """Share of world production each lab may buy (n, labs, *samples)."""
        return self.coupling[0]

    @property
    def price_index(self) -> np.ndarray:
        """The chip price over the world's path (n, *samples)."""
        return self.coupling[1]

    @property
    def financing_share(self) -> np.ndarray:
        """The share of its offer every lab raises from the one capital market (n, *samples)."""
        return self.coupling[5][:, 0]


def stacked(settings: Sequence, n: int, dt: float) -> dict[str, np.ndarray]:
    """The labs' inputs as arrays (labs, *samples) (paths (n, labs, *samples)): a lab's value
    may be an array of draws, the same number for every lab. The market rations chips for every
    lab (supply_limit world-share: there is one supply)."""
    for s in settings:
        check_paths(s, n)
    values = {k: _over_labs([s.values[k] for s in settings]) for k in input_names()
              if k not in PATHS}
    values["step_years"] = np.full(len(settings), dt)
    values["supply_limit"] = np.full(len(settings), SUPPLY_ON)
    lanes = [{**default_paths(s.values, n), **s.paths} for s in settings]
    values |= {p: _over_labs([lane[p] for lane in lanes], axis=1) for p in PATHS}
    # the sample axes follow the lab axis: an input no draw varies gets them as length 1 (numpy
    # would otherwise align a (labs,) array with the last sample axis)
    axes = max(np.ndim(v) - (k in PATHS) for k, v in values.items()) - 1
    return {k: np.reshape(v, (*np.shape(v), *(1,) * (axes + 1 + (k in PATHS) - np.ndim(v))))
            for k, v in values.items()}


def _over_labs(each: Sequence, axis: int = 0) -> np.ndarray:
    """The labs' values (scalars or arrays of draws) stacked on a lab axis."""
    arrays = [np.asarray(v, dtype=float) for v in each]
    shape = np.broadcast_shapes(*(a.shape for a in arrays))
    return np.stack([np.broadcast_to(a, shape) for a in arrays], axis=axis)


def _change(old: tuple, new: tuple) -> float:
    """Largest change between iterations: supply shares as shares of world production, the
    price index in e-folds, and the customers' paths as shares of the market (each lab's odds
    and demand over the market's: every step's total is the same in both)."""
    (s0, i0, o0, d0, p0, f0), (s1, i1, o1, d1, p1, f1) = old, new
    odds, demand = o1.sum(axis=1, keepdims=True), d1.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        customers = [np.where(total > 0, np.abs(b - a) / total, 0.0)
                     for a, b, total in ((o0, o1, odds), (d0, d1, demand), (p0, p1, demand))]
    return float(max(np.max(np.abs(s1 - s0)), np.max(np.abs(np.log(i1 / i0))),
                     np.max(np.abs(f1 - f0)),
                     *(np.max(c) for c in customers)))


def _couple(rows: dict, shares: np.ndarray, alone: bool, spill: bool) -> tuple:
    """The coupling paths the rows call for: (supply share, price index, rival odds, rival
    demand, spilled demand, financing share), and the customers' (served, chosen) shares."""
    production = rows["world_gpu_production"]
    bids = rows["gpus_affordable"].copy()
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
    financing = financing_share(rows["external_financing"], rows["year"], alone)
    return (share, index, total_odds - odds, total - demand, spilled, financing), (served, chosen)


def _paths(values: dict, coupling: tuple, sensitivity) -> dict[str, np.ndarray]:
    share, index, odds, demand, spilled, financing = coupling
    change = np.concatenate([np.ones_like(index[:1]), index[1:] / index[:-1]])
    return {**values, "market_supply_share": share,
            "chip_price_change": np.broadcast_to(change[:, None], share.shape),
            "rival_odds": odds, "rival_demand": demand, "spilled_demand": spilled,
            "financing_share": financing,
            **({} if sensitivity is None else
               {"quality_sensitivity": np.broadcast_to(sensitivity, share.shape)})}


def lab_coupling(m: Market, j: int) -> dict[str, np.ndarray]:
    """The coupling paths (n, *samples) the market `m` gives lab `j` (column j of m.labs): what
    a lab choosing its split against the others' holds fixed."""
    return {k: v[:, j] for k, v in _paths({}, m.coupling, None).items()}


def _mix(old: tuple, new: tuple, weight: float) -> tuple:
    """`weight` of the way from `old` paths to `new`: the price index geometrically (it is a
    ratio), the rest arithmetically (rivals' odds and demand may be 0, spills negative)."""
    return tuple(a ** (1 - weight) * b ** weight if k == 1 else a * (1 - weight) + b * weight
                 for k, (a, b) in enumerate(zip(old, new, strict=True)))


def equilibrium(settings: Sequence, names: Sequence[str], years: int = 10,
                step: str = DEFAULT_STEP, damping: float = DAMPING,
                tolerance: float = TOLERANCE, max_iterations: int = MAX_ITERATIONS,
                sensitivity: float | None = None,
                start: tuple | None = None, spill: bool = SPILL) -> Market:
    """The market of the labs `settings` (resolved single-lab settings, one per lab, named
    `names`): damped fixed-point iteration of the coupling paths, from `start` (a Market's
    `coupling`, e.g. the last one's) or the labs alone. `sensitivity` (log-odds per OOM) sets
    every lab's quality_sensitivity; by default each lab's follows its own inputs. `spill`:
    see SPILL. Values may
    be arrays of draws (samples), each draw its own market in the same runs; the iteration
    stops when every draw's market has settled."""
    if not settings:
        raise InputError("a market needs at least one lab")
    began = time.perf_counter()
    n, dt = steps_for(years, step)
    values = stacked(settings, n, dt)
    lane = np.broadcast_shapes(*(np.shape(v) for k, v in values.items() if k not in PATHS))
    shares = np.broadcast_to(values["lab_supply_share"], lane)  # (labs, *samples)
    labs = len(settings)
    zero = np.zeros((n, *lane))
    paths = start or (np.broadcast_to(shares, (n, *lane)).copy(), np.ones((n, *lane[1:])),
                      zero, zero, zero, np.ones((n, *lane)))
    change, converged, iterations, start_damping = np.inf, False, 0, damping
    while iterations < max_iterations and not converged:
        iterations += 1
        rows = run_arrays(_paths(values, paths, sensitivity), n, specialise=False)
        target, _ = _couple(rows, shares, labs == 1, spill)
        last, change = change, _change(paths, target)
        converged = change <= tolerance
        damping = (max(MIN_DAMPING, damping / 2) if change > last
                   else min(start_damping, damping * 1.25))
        paths = _mix(paths, target, damping)
    rows = run_arrays(_paths(values, paths, sensitivity), n, specialise=False)
    _, (served, chosen) = _couple(rows, shares, labs == 1, spill)
    return Market(tuple(names), rows, paths, served, chosen, converged, iterations, change,
                  time.perf_counter() - began)


def frame(m: Market) -> pd.DataFrame:
    """One row per lab and step (no draws): lab, year, share_research, share_inference,
    fleet_gpus, market_share (its share of the customers' tokens), revenue (inference revenue,
    USD/year) and npv (USD), the CLI's records and the page's lines."""
    return pd.concat([pd.DataFrame({
        "lab": lab, "year": m.rows["year"][:, j],
        "share_research": m.rows["share_research"][:, j],
        "share_inference": m.rows["share_inference"][:, j],
        "fleet_gpus": m.rows["fleet_gpus"][:, j], "market_share": m.customer_share[:, j],
        "revenue": m.rows["inference_revenue"][:, j], "npv": m.rows["npv"][:, j]})
        for j, lab in enumerate(m.labs)], ignore_index=True)


def market(labs: Sequence[Lab] = MARKET, scenario: str | None = None,
           overrides: dict | None = None, **kw) -> Market:
    """The market of `labs` (default: the end-2025 market) under `scenario`, each lab's
    settings from single_lab.lab_settings with the same `overrides`."""
    settings = [lab_settings(lab, scenario, overrides) for lab in labs]
    return equilibrium(settings, [lab.name for lab in labs], **kw)
