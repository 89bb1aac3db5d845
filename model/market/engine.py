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

from .chips import market_supply, price_index, rationed
from .customers import share_factors
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
SUPPLY_ON = float(CATALOGUE["supply_limit"].choice_index("world-share"))


@dataclass(frozen=True)
class Market:
    """A market's projection: rows (n_steps, labs, *samples) and the paths that couple the labs
    (each (n, labs, *samples) but the price index, one for the market: (n, *samples))."""

    labs: tuple[str, ...]
    rows: dict[str, np.ndarray]
    supply_share: np.ndarray  # share of world production each lab may buy
    price_index: np.ndarray  # chip price over the world's path
    customer_share: np.ndarray  # share of the labs' summed demand, summing to 1
    choice_share: np.ndarray  # the customers' logit choice, before capacity caps
    converged: bool
    iterations: int
    change: float  # the last iteration's largest change (see _change)
    seconds: float


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
    price index and customer factors in e-folds."""
    (s0, i0, f0), (s1, i1, f1) = old, new
    return float(max(np.max(np.abs(s1 - s0)), np.max(np.abs(np.log(i1 / i0))),
                     np.max(np.abs(np.log(f1 / f0)))))


def _couple(rows: dict, shares: np.ndarray, factor: np.ndarray, alone: bool) -> tuple:
    """The coupling paths the rows call for: (supply share, price index, customer factor)."""
    production = rows["world_gpu_production"]
    bids = rows["gpus_affordable"].copy()
    bids[0] = 0.0  # the base year's fleet is observed: nothing is bought in it
    supply = market_supply(production, shares)
    index = np.ones_like(supply) if alone else price_index(bids, supply)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = rationed(bids, supply, shares) / production.mean(axis=1, keepdims=True)
    share = np.where(np.isfinite(share), share, shares)
    share[0] = shares
    # each lab's own demand (tokens a year), without the share factor it was run with
    demand = rows["tokens_served"][0] * np.exp(rows["log_inference_demand"] - np.log(factor))
    new_factor, *customers = share_factors(demand, rows["software_efficiency"],
                                           rows["token_capacity"])
    return (share, index, new_factor), customers


def _paths(values: dict, coupling: tuple) -> dict[str, np.ndarray]:
    share, index, factor = coupling
    change = np.concatenate([np.ones_like(index[:1]), index[1:] / index[:-1]])
    return {**values, "market_supply_share": share,
            "chip_price_change": np.broadcast_to(change[:, None], share.shape),
            "customer_share_factor": factor}


def equilibrium(settings: Sequence, names: Sequence[str], years: int = 10,
                step: str = DEFAULT_STEP, damping: float = DAMPING,
                tolerance: float = TOLERANCE, max_iterations: int = MAX_ITERATIONS) -> Market:
    """The market of the labs `settings` (resolved single-lab settings, one per lab, named
    `names`): damped fixed-point iteration of the coupling paths from the single-lab ones.
    Values may be arrays of draws (samples), each draw its own market in the same runs; the
    iteration stops when every draw's market has settled."""
    if not settings:
        raise InputError("a market needs at least one lab")
    start = time.perf_counter()
    n, dt = steps_for(years, step)
    values = stacked(settings, n, dt)
    lane = np.broadcast_shapes(*(np.shape(v) for k, v in values.items() if k not in PATHS))
    shares = np.broadcast_to(values["lab_supply_share"], lane)  # (labs, *samples)
    labs = len(settings)
    paths = (np.broadcast_to(shares, (n, *lane)).copy(), np.ones((n, *lane[1:])),
             np.ones((n, *lane)))
    change, converged, iterations, start_damping = np.inf, False, 0, damping
    while iterations < max_iterations and not converged:
        iterations += 1
        rows = run_arrays(_paths(values, paths), n, specialise=False)
        target, _ = _couple(rows, shares, paths[2], labs == 1)
        last, change = change, _change(paths, target)
        converged = change <= tolerance
        damping = (max(MIN_DAMPING, damping / 2) if change > last
                   else min(start_damping, damping * 1.25))
        paths = (paths[0] * (1 - damping) + target[0] * damping,
                 paths[1] ** (1 - damping) * target[1] ** damping,
                 paths[2] ** (1 - damping) * target[2] ** damping)
    rows = run_arrays(_paths(values, paths), n, specialise=False)
    _, (served, chosen) = _couple(rows, shares, paths[2], labs == 1)
    return Market(tuple(names), rows, paths[0], paths[1], served, chosen, converged,
                  iterations, change, time.perf_counter() - start)


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
