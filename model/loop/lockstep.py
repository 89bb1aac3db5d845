"""Several solves in lockstep: each optimiser runs in its own thread, and every time all the live
ones have asked for a projection, one `run_arrays` call serves them all, their columns side by
side: the labs' best replies in a round (independent: Jacobi), or one lab's climbs from several
starts (model.policy.optimise).

The projection's cost is mostly per step, not per column, so six labs' evaluations in one call
cost little more than one lab's. Choices may differ between labs (a renter and an owner), so the
combined call runs the program compiled for the choices they share, the others its arguments.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from model.loop.coupling import COUPLING, coupling_defaults
from model.loop.projection import CHOICES, PATHS, default_paths, run_arrays


class Lockstep:
    """The evaluator the labs' threads share (see `evaluator`)."""

    def __init__(self, labs: int, run: Callable[[dict], dict] | None = None):
        self._serve = run or combining()
        self._cv = threading.Condition()
        self._pending: dict[int, tuple[dict, int, tuple]] = {}
        self._results: dict[int, dict] = {}
        self._live = labs
        self._error: BaseException | None = None

    def evaluator(self, j: int) -> Callable:
        """run_arrays for lab `j`'s thread: blocks until every live lab has asked."""

        def evaluate(values, n_steps, keep=None, specialise=None, on_step=None):
            with self._cv:
                self._pending[j] = (values, n_steps, tuple(keep or ()))
                if len(self._pending) == self._live:
                    self._run()
                else:
                    self._cv.wait_for(lambda: j in self._results or self._error is not None)
                if self._error is not None:
                    raise self._error
                return self._results.pop(j)

        return evaluate

    def done(self) -> None:
        """A lab's thread has finished: the others no longer wait for it."""
        with self._cv:
            self._live -= 1
            if self._pending and len(self._pending) == self._live:
                self._run()

    def _run(self) -> None:
        """One call serving every pending request (called holding the lock)."""
        try:
            self._results.update(self._serve(self._pending))
        except BaseException as exc:  # every waiting thread must hear of it
            self._error = exc
        self._pending.clear()
        self._cv.notify_all()


def combining(evaluate: Callable | None = None) -> Callable[[dict], dict]:
    """`combined` for one lockstep: the choices its labs differ in at its first round (every
    lab asks in it) stay the program's arguments in every round after, so that the last lab
    climbing alone runs the program the others shared, not one compiled for it. `evaluate`:
    what serves the combined call instead of run_arrays (an outer lockstep's evaluator, when
    this one runs inside it), the choices then shared."""
    free = None

    def run(pending: dict[int, tuple[dict, int, tuple]]) -> dict[int, dict]:
        nonlocal free
        if free is None:
            free = {k for k in CHOICES
                    if _shared([values.get(k, 0.0) for values, _, _ in pending.values()]) is None}
        return combined(pending, free, evaluate)

    return run


def combined(pending: dict[int, tuple[dict, int, tuple]],
             free: Collection[str] = (), evaluate: Callable | None = None) -> dict[int, dict]:
    """Each lab's requested rows {j: (values, n_steps, keep)}, from one run_arrays call with
    the labs' columns side by side (`free`: see run_arrays), or one call of `evaluate` (its
    signature, no `free`: the requests must share their choices)."""
    order = sorted(pending)
    n = pending[order[0]][1]
    lanes = [lane(pending[j][0], n) for j in order]
    keep = tuple(dict.fromkeys(k for j in order for k in pending[j][2]))
    values = {k: _shared([v[k] for v, _ in lanes])
              if k not in PATHS and k not in COUPLING else None for k in lanes[0][0]}
    values = {k: np.concatenate([_columns(k, v[k], n, w) for (v, w) in lanes], axis=-1)
              if s is None else s for k, s in values.items()}
    rows = (run_arrays(values, n, keep=keep or None, specialise=True, free=free)
            if evaluate is None else evaluate(values, n, keep=keep or None, specialise=True))
    return split(rows, order, [w for _, w in lanes])


def split(rows: dict[str, np.ndarray], order: Sequence[int], widths: Sequence[int],
          lab: Callable[[int], tuple] = lambda j: ()) -> dict[int, dict]:
    """{j: rows' columns for lab j}: the last axis in blocks of `widths`, in `order`; `lab(j)`
    indexes the axes before it (a market's lab axis)."""
    edges = np.cumsum([0, *widths])
    return {j: {k: a[(..., *lab(j), slice(edges[i], edges[i + 1]))] for k, a in rows.items()}
            for i, j in enumerate(order)}


def lane(values: dict, n: int) -> tuple[dict, int]:
    """A request's values, every path and coupling input filled in, and its number of columns."""
    full = {**default_paths(values, n), **values}
    full = {**coupling_defaults(full, n), **full}
    width = 1
    for k, v in full.items():
        shape = np.shape(v)[1:] if k in PATHS or k in COUPLING else np.shape(v)
        width = max(width, int(np.prod(shape)) if shape else 1)
    return full, width


def _shared(values: list):
    """The value every lane gives an input, if they agree on one scalar; else None. A shared
    input stays a scalar, and so do the rows only shared inputs reach: fewer array operations."""
    first = values[0]
    if np.ndim(first) or any(np.ndim(v) or v != first for v in values[1:]):
        return None
    return np.asarray(first, dtype=float)


def _columns(name: str, value, n: int, width: int) -> np.ndarray:
    """`value` as `width` columns: (n, width) for a path, (width,) for an input."""
    value = np.asarray(value, dtype=float)
    if name in PATHS or name in COUPLING:  # (a coupling input may be given as one number)
        return np.broadcast_to(value.reshape(n, -1) if value.ndim else value, (n, width))
    return np.broadcast_to(value.reshape(-1), (width,))


def in_lockstep(tasks: Sequence[Callable], run: Callable[[dict], dict] | None = None) -> list:
    """Run `tasks` (each called with its evaluator) in lockstep threads; their results, in
    order. An exception in any is raised here. `run` serves each round of requests (default:
    `combined`)."""
    step = Lockstep(len(tasks), run)

    def run(j: int):
        try:
            return tasks[j](step.evaluator(j))
        finally:
            step.done()

    with ThreadPoolExecutor(max_workers=len(tasks)) as pool:
        return [f.result() for f in [pool.submit(run, j) for j in range(len(tasks))]]
