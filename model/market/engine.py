"""The market of labs as a fixed point: every lab's projection (the labs are columns of one
`run_arrays` call) given the chip market's rations and price and the customers' shares, those
recomputed from the projections until nothing moves, step by step (model.market.clearing).

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

from .clearing import (
    COUPLED_ROWS,
    DAMPING,
    MAX_ITERATIONS,
    NO_RIVAL,
    TOLERANCE,
    Clearing,
    inputs,
)
from .fields import Lab
from .parameters import CAPITAL_POOL_GROWTH
from .single_lab import lab_settings
from .world import MARKET

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


def _paths(values: dict, coupling: tuple, sensitivity) -> dict[str, np.ndarray]:
    index, shape = coupling[1], coupling[0].shape
    change = np.concatenate([np.ones_like(index[:1]), index[1:] / index[:-1]])
    return {**values, **inputs(coupling, change[:, None], index[:, None]),
            **({} if sensitivity is None else
               {"quality_sensitivity": np.broadcast_to(sensitivity, shape)})}


def lab_coupling(m: Market, j: int) -> dict[str, np.ndarray]:
    """The coupling paths (n, *samples) the market `m` gives lab `j` (column j of m.labs): what
    a lab choosing its split against the others' holds fixed."""
    return {k: v[:, j] for k, v in _paths({}, m.coupling, None).items()}


def equilibrium(settings: Sequence, names: Sequence[str], years: int = 10,
                step: str = DEFAULT_STEP, damping: float = DAMPING,
                tolerance: float = TOLERANCE, max_iterations: int = MAX_ITERATIONS,
                sensitivity: float | None = None,
                start: tuple | None = None, spill: bool = SPILL,
                keep: Sequence[str] | None = None,
                pool_growth: float = CAPITAL_POOL_GROWTH.value) -> Market:
    """The market of the labs `settings` (resolved single-lab settings, one per lab, named
    `names`), cleared step by step: each step's coupling (chip rations and price, customers,
    capital) by damped fixed-point iteration of that step alone, from `start`'s (a Market's
    `coupling`, e.g. the last one's) or the last step's. `sensitivity` (log-odds per OOM) sets
    every lab's quality_sensitivity; by default each lab's follows its own inputs. `spill`:
    see SPILL. Values may be arrays of draws (samples), each draw its own market in the same
    runs; a step is settled when every draw's is. `pool_growth`: the capital pool's (1/year;
    the end-2025 market's by default, model.market.parameters)."""
    if not settings:
        raise InputError("a market needs at least one lab")
    began = time.perf_counter()
    n, dt = steps_for(years, step)
    values = stacked(settings, n, dt)
    # (labs, *samples): the draws the paths alone carry too (a deviation's), so that every
    # step's rows have them, the base year's too, whatever the program prunes
    lane = np.broadcast_shapes(*(np.shape(v)[k in PATHS:] for k, v in values.items()))
    shares = np.broadcast_to(values["lab_supply_share"], lane)  # (labs, *samples)
    zero = np.zeros((n, *lane))
    first = start or (np.broadcast_to(shares, (n, *lane)).copy(), np.ones((n, *lane[1:])),
                      zero, zero, zero, np.ones((n, *lane)), np.full((n, *lane), NO_RIVAL),
                      zero)
    clearing = Clearing(shares, lane, len(settings) == 1, spill, first, start is not None,
                         damping, tolerance, max_iterations, pool_growth)
    rows = run_arrays(_paths(values, first, sensitivity), n, specialise=True,
                      solve_step=clearing, keep=keep, needs=COUPLED_ROWS if keep else None)
    coupling = tuple(np.stack(path) for path in zip(*clearing.settled, strict=True))
    served, chosen = (np.stack(c) for c in zip(*clearing.customers, strict=True))
    return Market(tuple(names), rows, coupling, served, chosen, clearing.converged,
                  clearing.iterations, clearing.change, time.perf_counter() - began)


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
