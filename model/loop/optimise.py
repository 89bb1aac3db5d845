"""The value-maximising policy: the share path that maximises the projection's NPV.

The lab is a price taker with perfect foresight over the horizon. It chooses, each step, how
the research + inference pool splits between research and inference (research never below
`research_floor`); training, automation and other follow one of the assumed policies (fixed,
scheduled or inference-first), whichever gives the highest NPV once the split is optimised.
The research fraction of the pool is a few knots in time (denser early), interpolated
linearly, bounded to [0, 1]; L-BFGS-B (scipy) climbs the scaled NPV, and every finite-difference
perturbation of one iteration is one batched call of the compiled projection (the sample
axis). The assumed policies' own paths are candidates too, so the result is never worse than
any of them. Same inputs, same path.
"""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from model.core.catalogue import CATALOGUE
from model.core.errors import InputError
from model.core.fleet_inputs import USES

from .projection import PATHS, VALUE_MAXIMISING, run_arrays, steps_for

ASSUMED = ("fixed", "scheduled", "inference-first")
KNOTS = 6
STEP = 1e-4  # finite-difference step in the research fraction of the pool
MAX_EVALUATIONS = 40  # batched projections per solve: the app's 1.5 s budget


@dataclass(frozen=True)
class Solution:
    """The optimiser's report on a value-maximising path."""

    success: bool
    message: str
    npv: float  # USD, of the chosen path
    assumed: dict[str, float]  # USD, NPV of each assumed policy on the same inputs
    base: str  # the assumed policy whose training/automation/other shares the path keeps
    iterations: int
    evaluations: int
    seconds: float

    @property
    def gain(self) -> float:
        """NPV over the best assumed policy's (USD)."""
        return self.npv - max(self.assumed.values())

    def record(self) -> dict:
        """The report as plain JSON values."""
        return {"success": self.success, "message": self.message, "npv": self.npv,
                "assumed_npv": dict(self.assumed), "gain": self.gain, "base_policy": self.base,
                "iterations": self.iterations, "evaluations": self.evaluations,
                "seconds": round(self.seconds, 3)}

    def text(self) -> str:
        best = max(self.assumed, key=self.assumed.get)
        verdict = "optimal" if self.success else f"stopped early ({self.message})"
        return (f"value-maximising path {verdict}: NPV ${self.npv / 1e9:,.2f}B, "
                f"${self.gain / 1e9:,.2f}B over the best assumed policy ({best}); "
                f"{self.iterations} iterations, {self.evaluations} batched projections")


def _reason(result) -> str:
    """scipy's termination message, in words a reader can act on."""
    text = str(result.message)
    if "ABNORMAL" in text:
        return ("the line search stalled where a constraint switches on (the NPV has kinks "
                "there); the best path found is kept")
    if "TOTAL NO. OF F" in text.upper() or "MAXFUN" in text.upper():
        return f"stopped after {MAX_EVALUATIONS} evaluations; the best path found is kept"
    return text.lower()


def _index(policy: str) -> float:
    return float(CATALOGUE["allocation_policy"].choice_index(policy))


def _knots(n: int, dt: float) -> np.ndarray:
    """Knot times in years: denser early, the last at the last step."""
    k = min(KNOTS, n)
    return (n - 1) * dt * (np.arange(k) / max(k - 1, 1)) ** 1.5


def _interpolation(n: int, dt: float) -> np.ndarray:
    """(n steps x k knots) matrix: a knot vector to the per-step path, piecewise linear."""
    times, knots = np.arange(n) * dt, _knots(n, dt)
    eye = np.eye(len(knots))
    return np.column_stack([np.interp(times, knots, eye[j]) for j in range(len(knots))])


class _Problem:
    """NPV as a function of the research fraction at the knots, on one assumed policy's base."""

    def __init__(self, values: dict, n: int, dt: float, base: dict[str, np.ndarray],
                 scale: float):
        self.values, self.n, self.scale = values, n, scale
        self.matrix = _interpolation(n, dt)
        self.others = {u: base[u] for u in USES if u not in ("research", "inference")}
        pool = base["research"] + base["inference"]
        self.low = np.minimum(values["research_floor"], pool)
        self.pool, self.width = pool, pool - self.low
        self.evaluations = 0

    def paths(self, fractions: np.ndarray) -> dict[str, np.ndarray]:
        """Chosen shares (n x m) for m columns of knot fractions (k x m)."""
        research = self.low[:, None] + (self.matrix @ fractions) * self.width[:, None]
        shares = {"research": research, "inference": self.pool[:, None] - research,
                  **{u: np.repeat(p[:, None], fractions.shape[1], axis=1)
                     for u, p in self.others.items()}}
        return {f"chosen_share_{u}": shares[u] for u in USES}

    def npv(self, fractions: np.ndarray) -> np.ndarray:
        self.evaluations += 1
        out = run_arrays({**self.values, **self.paths(fractions)}, self.n,
                         keep=("npv_to_date",), specialise=True)
        return np.broadcast_to(out["npv_to_date"][-1], (fractions.shape[1],))

    def objective(self, f: np.ndarray) -> tuple[float, np.ndarray]:
        """-NPV / scale and its gradient, from one batched call (base + one column a knot)."""
        step = np.where(f + STEP <= 1, STEP, -STEP)
        columns = np.column_stack([f, f[:, None] + np.diag(step)])
        npv = self.npv(columns)
        if not np.isfinite(npv).all():
            raise InputError("allocation_policy value-maximising: the projection's NPV is not "
                             "finite at these inputs; choose another policy")
        return -npv[0] / self.scale, -(npv[1:] - npv[0]) / step / self.scale

    def start(self, research: np.ndarray, dt: float) -> np.ndarray:
        """Knot fractions that reproduce `research` (n,) at the knot times."""
        share = np.where(self.width > 0, (research - self.low) / np.where(self.width > 0,
                                                                           self.width, 1), 0)
        times = np.arange(self.n) * dt
        return np.clip(np.interp(_knots(self.n, dt), times, share), 0, 1)


def _assumed(values: dict, n: int) -> dict[str, dict]:
    """Each assumed policy's share paths, NPV and compute bill (one projection each)."""
    out = {}
    keep = (*(f"share_{u}" for u in USES), "npv_to_date", "compute_cost", "discount_factor")
    for policy in ASSUMED:
        rows = run_arrays({**values, "allocation_policy": _index(policy)}, n, keep=keep,
                          specialise=True)
        out[policy] = {"shares": {u: np.asarray(rows[f"share_{u}"]).ravel() for u in USES},
                       "npv": float(np.ravel(rows["npv_to_date"][-1])[0]),
                       "bill": float(np.sum(rows["compute_cost"] * rows["discount_factor"]))}
    return out


def choose_path(settings, years: int, step: str):
    """A copy of `settings` with the value-maximising path (settings.paths) and its report."""
    start = time.perf_counter()
    n, dt = steps_for(years, step)
    values = {**settings.values, "step_years": dt}
    assumed = _assumed(values, n)
    vm = {**values, "allocation_policy": VALUE_MAXIMISING}
    candidates = []  # (npv, base policy, paths, success, message, iterations)
    evaluations = len(ASSUMED)
    for policy in ASSUMED:
        exact = {f"chosen_share_{u}": s for u, s in assumed[policy]["shares"].items()}
        candidates.append((assumed[policy]["npv"], policy, exact, True, "assumed path", 0))
    # Kinks (where a constraint switches on) make the NPV multi-modal: climb from every assumed
    # policy's base, the best first, and keep the best.
    for policy in sorted(ASSUMED, key=lambda p: -assumed[p]["npv"]):
        base = assumed[policy]
        scale = max(abs(base["npv"]), base["bill"] * dt, 1.0)
        problem = _Problem(vm, n, dt, base["shares"], scale)
        result = minimize(problem.objective, problem.start(base["shares"]["research"], dt),
                          jac=True, method="L-BFGS-B", bounds=[(0.0, 1.0)] * len(_knots(n, dt)),
                          options={"maxfun": MAX_EVALUATIONS})
        paths = {k: v[:, 0] for k, v in problem.paths(result.x[:, None]).items()}
        npv = float(problem.npv(result.x[:, None])[0])
        evaluations += problem.evaluations
        candidates.append((npv, policy, paths, bool(result.success), _reason(result),
                           int(result.nit)))
    npv, policy, paths, success, message, iterations = max(candidates, key=lambda c: c[0])
    if not math.isfinite(npv):
        raise InputError("allocation_policy value-maximising: no finite NPV at these inputs")
    solution = Solution(success, message, npv, {p: a["npv"] for p, a in assumed.items()},
                        policy, iterations, evaluations, time.perf_counter() - start)
    return dataclasses.replace(settings, paths={p: paths[p] for p in PATHS}, solution=solution)
