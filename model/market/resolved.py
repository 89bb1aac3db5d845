"""Labs' solves valued with the market re-solved: the lockstep's requests (model.loop.lockstep)
answered by one market run instead of one projection, so that a lab's candidate path is worth
what it earns once the chip price, the rations and the other labs' customers answer it.

A request of lab j is a batch of its candidates (columns). Each candidate is one draw of the
market, in which lab j plays the candidate and every other lab the path it has; the draws of all
the labs' batches run side by side. This is the open-loop game's own payoff: a lab's reply holds
the others' paths, not the market they make (a reply to the held market credits revenue with no
more chips, while re-solved the capital it raises wins a larger ration).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

import numpy as np

from model.loop.coupling import COUPLING
from model.loop.lockstep import split
from model.loop.projection import PATHS

from .engine import Market, equilibrium

OWN = ("step_years",)  # a request's inputs the market sets itself (with the coupling paths)


def _width(value, path: bool) -> int:
    shape = np.shape(value)[1:] if path else np.shape(value)
    return int(np.prod(shape)) if shape else 1


def _draws(blocks: Sequence[tuple[int, int]], mine: dict[int, dict], theirs: dict,
           n: int) -> dict:
    """A lab's inputs over every block's draws: its request `mine[key]` in the blocks that are
    its own, `theirs` (its settings and path) in the others'; a scalar where every draw
    agrees."""
    first = next(iter(mine.values()), {})
    out = {}
    for name in dict.fromkeys([*theirs, *(k for r in mine.values() for k in r)]):
        path = name in PATHS
        parts = [mine[key].get(name, theirs.get(name)) if key in mine
                 else theirs.get(name, first.get(name)) for key, _ in blocks]
        if not path and all(np.ndim(v) == 0 for v in parts) and all(
                v == parts[0] for v in parts[1:]):
            out[name] = parts[0]
            continue
        cols = [np.broadcast_to(np.asarray(v, dtype=float).reshape((n, -1) if path else (-1,)),
                                (n, w) if path else (w,)) for v, (_, w) in zip(parts, blocks,
                                                                              strict=True)]
        out[name] = np.concatenate(cols, axis=-1)
    return out


class Runs:
    """The lockstep `run` resolved() makes, callable, counting the market runs it made and
    those whose chip market did not clear (their payoffs are no equilibrium's: the check that
    read them cannot vouch for its gains)."""

    def __init__(self, run: Callable[[dict], dict]):
        self._run, self.runs, self.unsettled = run, 0, 0

    def __call__(self, pending: dict) -> dict:
        return self._run(pending, self)


def resolved(settings: Sequence, paths: Sequence[dict], names: Sequence[str], years: int,
             step: str, m: Market, labs: Sequence[int] | None = None) -> Runs:
    """A lockstep `run` (model.loop.lockstep.in_lockstep) for the labs `settings` playing
    `paths` in the market `m`: every round of requests, one market run from m's coupling.
    Task i's requests are lab `labs[i]`'s (default: lab i's), so several tasks may be one
    lab's solves under different inputs (model.market.reveal)."""
    fixed = set(COUPLING) | set(OWN)

    def run(pending: dict[int, tuple[dict, int, tuple]], tally: Runs) -> dict[int, dict]:
        order = sorted(pending)
        lab = {i: i if labs is None else labs[i] for i in order}
        n = pending[order[0]][1]
        mine = {i: {k: v for k, v in pending[i][0].items() if k not in fixed} for i in order}
        blocks = [(i, max([1, *(_width(v, k in PATHS) for k, v in mine[i].items())]))
                  for i in order]
        draws = sum(w for _, w in blocks)
        lanes = []
        for k, s in enumerate(settings):
            values = _draws(blocks, {i: mine[i] for i in order if lab[i] == k},
                            {**s.values, **{p: paths[k][p] for p in PATHS}}, n)
            lanes.append(dataclasses.replace(
                s, values={q: v for q, v in values.items() if q not in PATHS},
                paths={p: np.broadcast_to(values[p], (n, draws)) for p in PATHS}))
        start = tuple(np.repeat(c[..., None], draws, axis=-1) for c in m.coupling)
        keep = tuple(dict.fromkeys(k for j in order for k in pending[j][2]))
        out = equilibrium(lanes, names, years, step, start=start, keep=keep or None)
        tally.runs += 1
        tally.unsettled += not out.converged
        rows = {k: np.broadcast_to(out.rows[k], (n, len(settings), draws)) for k in keep}
        return split(rows, order, [w for _, w in blocks], lab=lambda i: (lab[i],))

    return Runs(run)
