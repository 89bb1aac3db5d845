"""The draws of every scenario, run serially or on a dask.distributed cluster, each finished
draw written to the results folder as it arrives.

A draw is one task: its Nash equilibrium's rounds of best replies adapt to the draw (how many
rounds, which lab jumps), so draws cannot share one projection call the way the labs of a round
do; within a draw the labs' replies and price-takers are batched as columns
(model.loop.lockstep). With `workers` > 0 and no `scheduler`, a LocalCluster of that many
single-threaded worker processes on this machine (127.0.0.1, no dashboard); with `scheduler`
an existing cluster (its workers must have this package installed). The numbers are the same
either way: a draw's inputs come from its seed and index alone, and its solve is deterministic.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import results
from .outcome import Spec, solve_draw


@dataclass
class Progress:
    """A one-line progress report on stderr (only when stderr is a terminal)."""

    total: int
    done: int = 0
    began: float = 0.0
    enabled: bool = False

    def __post_init__(self):
        self.began = time.perf_counter()
        self.enabled = self.enabled and self.total > 0

    def step(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        minutes = (time.perf_counter() - self.began) / 60
        rate = self.done / minutes if minutes > 0 else 0.0
        end = "\n" if self.done == self.total else ""
        print(f"\rodds: {self.done}/{self.total} draws, {rate:.1f} a minute", end=end,
              file=sys.stderr, flush=True)


def _cluster(workers: int, scheduler: str | None):
    """(client, cluster or None) for `scheduler`, or a local cluster of `workers` processes."""
    from dask.distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler, timeout="30s"), None
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           host="127.0.0.1", dashboard_address=None,
                           # the scheduler's health server, on this machine alone, any port
                           scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                           # not ERROR: closing, a worker's heartbeat may find the scheduler gone
                           # and log a traceback (dask/distributed#7105; seen once in the
                           # README's odds command); a task's error still reaches the caller,
                           # raised by future.result()
                           silence_logs=logging.CRITICAL)
    return Client(cluster), cluster


def run_draws(spec: Spec, tasks: Sequence[tuple[str, int]], workers: int = 0,
              scheduler: str | None = None,
              on_record: Callable[[dict], None] = lambda r: None) -> list[dict]:
    """solve_draw for each (scenario, draw) of `tasks`: in this process when `workers` is 0
    and no `scheduler`; otherwise on dask workers. `on_record` hears of each as it finishes
    (in the order they finish); the records return in the tasks' order."""
    if not tasks:
        return []
    if workers == 0 and not scheduler:
        out = []
        for scenario, draw in tasks:
            out.append(solve_draw(spec, scenario, draw))
            on_record(out[-1])
        return out
    from dask.distributed import as_completed

    client, cluster = _cluster(workers, scheduler)
    try:
        spec_future = client.scatter(spec, broadcast=True)
        futures = {client.submit(solve_draw, spec_future, s, d, pure=False): k
                   for k, (s, d) in enumerate(tasks)}
        out: list = [None] * len(tasks)
        for future in as_completed(futures):
            out[futures[future]] = record = future.result()
            on_record(record)
        return out
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def default_workers() -> int:
    """Worker processes for a local cluster: one per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def odds_records(spec: Spec, scenarios: Sequence[str], samples: int, workers: int = 0,
                 scheduler: str | None = None, folder: Path | None = None,
                 progress: bool = False) -> tuple[list[dict], int]:
    """Every (scenario, draw) record for draws 0..samples-1 and the number computed now (the
    rest read from `folder`, where each new one is written as it finishes)."""
    keys = [(s, spec.seed, d) for s in scenarios for d in range(samples)]
    config = results.config_key(spec)
    done = {(r["scenario"], int(r["seed"]), int(r["draw"])): r
            for r in (results.read(folder, config, keys) if folder is not None else [])}
    # draw by draw, every scenario's: a run stopped early leaves each scenario as many draws
    tasks = [(s, d) for d in range(samples) for s in scenarios
             if (s, spec.seed, d) not in done]
    bar = Progress(len(tasks), enabled=progress and sys.stderr.isatty())

    def finished(record: dict) -> None:
        if folder is not None:
            results.write(folder, config, record)
        bar.step()

    for r in run_draws(spec, tasks, workers, scheduler, finished):
        done[(r["scenario"], int(r["seed"]), int(r["draw"]))] = r
    return [done[k] for k in keys], len(tasks)
