"""The joint optimum: one owner of every lab chooses all their research share paths to maximise
the labs' summed NPV, the market re-solved for every choice.

Where the Nash labs' replies hold the others fixed, the owner sees what one lab's research
takes from the others' customers and adds to the chip price they pay. Each lab's path is the
value-maximising policy's knots (model.policy.optimise.Problem); L-BFGS-B (scipy) climbs the
summed NPV from the better of the Nash paths and the base-year splits, and again from its end
while that still gains (RESTARTS), each gradient one market run whose draws are the knots'
finite-difference perturbations (warm-started from the last market's paths, so a run settles in
a few iterations); where it ends below the equilibrium, the owner keeps the equilibrium's paths
exactly. Deterministic.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from model.core.fleet_inputs import USES
from model.loop.projection import steps_for
from model.policy.optimise import STEP, Problem

from .engine import Market, equilibrium

MAX_EVALUATIONS = 30  # market runs (each a batch of draws) per climb
# The summed NPV has kinks (shares at their floors, capacity caps) where the forward-difference
# gradient misleads L-BFGS-B and its line search stalls: one climb stopped 0.5% of NPV short,
# at a point a last-bit change of one input moved the race by 0.9 points. Climbing again from
# the end (a fresh curvature estimate) while the NPV still rises by RESTART_GAIN of itself put
# the same change's two answers within 2e-5 of NPV and 0.02 points of race (ai-2027, 2026-30).
RESTARTS = 4
RESTART_GAIN = 1e-5


@dataclass(frozen=True)
class Joint:
    """The owner's paths and the market they make."""

    market: Market
    paths: tuple[dict[str, np.ndarray], ...]  # each lab's chosen shares (n,) per use
    npv: float  # USD, the labs' summed NPV
    start_npv: float  # USD, the summed NPV where the climb began
    success: bool
    message: str
    evaluations: int
    seconds: float
    climbs: int = 1  # L-BFGS-B runs, each from the last one's end


def _problems(settings: Sequence, n: int, dt: float) -> list[Problem]:
    """Each lab's knots-to-paths map on its base-year split."""
    out = []
    for s in settings:
        values = {**s.values, "step_years": dt}
        base = {u: np.full(n, float(values[f"share_{u}"])) for u in USES}
        out.append(Problem(values, n, dt, base, 1.0))
    return out


def joint(settings: Sequence, names: Sequence[str], start: Sequence[dict], market: Market,
          years: int, step: str) -> Joint:
    """The owner's optimum of the labs `settings` (value-maximising, as nash.nash makes them),
    climbing from `start` (each lab's chosen paths, e.g. the Nash ones; their market
    `market`) or the base-year splits, whichever sums to more."""
    from scipy.optimize import minimize

    began = time.perf_counter()
    n, dt = steps_for(years, step)
    problems = _problems(settings, n, dt)
    k = len(problems[0].anchor)
    evaluations = 0
    last = [market.coupling]

    def run(x: np.ndarray) -> tuple[np.ndarray, Market]:
        """Summed NPV (columns,) for knot columns x (labs * k, columns)."""
        nonlocal evaluations
        evaluations += 1
        columns = x.shape[1]
        lanes = [p.paths(x[i * k:(i + 1) * k]) for i, p in enumerate(problems)]
        # every draw starts from the last market (its paths without draws)
        warm = tuple(np.repeat(c[..., None], columns, axis=-1) for c in last[0])
        m = equilibrium([replace(s, paths=lane) for s, lane in zip(settings, lanes, strict=True)],
                        names, years, step, start=warm)
        return m.rows["npv"][-1].sum(axis=0), m

    nash_x = np.concatenate([p.fit(s["chosen_share_research"])
                             for p, s in zip(problems, start, strict=True)])
    fixed_x = np.concatenate([p.anchor for p in problems])
    both, _ = run(np.column_stack([nash_x, fixed_x]))
    x0 = nash_x if both[0] >= both[1] else fixed_x
    scale = max(float(np.max(np.abs(both))), 1.0)

    def objective(x: np.ndarray) -> tuple[float, np.ndarray]:
        step_ = np.where(x + STEP <= 1, STEP, -STEP)
        total, m = run(np.column_stack([x, x[:, None] + np.diag(step_)]))
        last[0] = tuple(c[..., 0] for c in m.coupling)
        return -total[0] / scale, -(total[1:] - total[0]) / step_ / scale

    best, top, results = x0, max(both), []
    for _ in range(RESTARTS + 1):
        result = minimize(objective, best, jac=True, method="L-BFGS-B",
                          bounds=[(0.0, 1.0)] * len(x0), options={"maxfun": MAX_EVALUATIONS})
        results.append(result)
        gain = -result.fun * scale - top
        if gain > 0:
            best, top = result.x, -result.fun * scale
        if gain <= RESTART_GAIN * abs(top):
            break
    total, m = run(best[:, None])
    paths = tuple({p: v[:, 0] for p, v in prob.paths(best[i * k:(i + 1) * k, None]).items()}
                  for i, prob in enumerate(problems))
    m = equilibrium([replace(s, paths=p) for s, p in zip(settings, paths, strict=True)], names,
                    years, step, start=tuple(c[..., 0] for c in m.coupling))
    npv = float(m.rows["npv"][-1].sum())
    # The climb starts from the Nash paths as knots, which fit them only approximately (and set
    # no idle serving GPUs apart); the owner may always keep the equilibrium itself, exactly.
    kept = float(market.rows["npv"][-1].sum())
    if kept > npv:
        m, paths, npv = market, tuple(start), kept
    return Joint(m, paths, npv, float(max(both)), bool(results[-1].success),
                 str(results[-1].message).lower(), evaluations, time.perf_counter() - began,
                 len(results))

