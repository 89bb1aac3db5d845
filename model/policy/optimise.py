"""The value-maximising policy: the share path that maximises the projection's NPV.

The lab is a price taker with perfect foresight over the horizon. It chooses, each step, how
the research + inference pool splits between research and inference (research never below
`research_floor`, or the base year's research if that is less); training, automation and
other keep the base year's shares. The split it aims at moves the fleet no faster than the
bounded adjustment every policy obeys, from the base year's observed split. The research
fraction of the pool is a few knots in time (denser early), interpolated linearly, bounded to
[0, 1]. Kinks
(where a constraint switches on) give the NPV many local optima, so each base is first
screened (its own path and a fixed Sobol set, one batched call); L-BFGS-B (scipy) then climbs
the scaled NPV from the best few points that lie apart, every finite-difference perturbation of
one iteration one batched call of the compiled projection (the sample axis), the climbs in
lockstep (model.loop.lockstep: one call serves them all). Where NPV is flat in a knot, a small
pull towards the base year's split decides it. The fixed and inference-first paths are
candidates too, exactly (inference GPUs its customers would leave idle kept idle, not moved to
research: more research is not always worth more), so the result is never worse than either.
Same inputs, same path."""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass

import numpy as np

from model.core.catalogue import CATALOGUE
from model.core.errors import InputError
from model.core.fleet_inputs import USES
from model.loop.lockstep import combining, in_lockstep
from model.loop.projection import PATHS, VALUE_MAXIMISING, run_arrays, step_starts, steps_for

from .sobol import COUNT, sobol_points

# The assumed policies that keep training, automation and other at the base year's shares, as
# the value-maximising lab does: its path is never worse than theirs. (The schedule moves
# training too: a different decision, not a candidate.)
ASSUMED = ("fixed", "inference-first")
IDLE = "chosen_idle_inference_to_research"  # 1: idle inference GPUs run experiments; 0: idle
KNOTS = 6
STEP = 1e-4  # finite-difference step in the research fraction of the pool
SCREEN = COUNT  # Sobol points screened per base, one batched call (512, stored)
# Screened points climbed from, the best first, each at least DIVERSITY apart (Euclidean, in
# knot fractions) from the others of its base, among the best POOL of each base. The NPV's
# basins are not told apart by the screen: for the AI 2027 lab under status-quo the best 40
# screened points (-$121B to -$125B) climbed to five optima from -$125B to -$35B, the best
# point's to -$94B. Eight climbs in lockstep cost about the longest one's calls (a call's cost
# is nearly flat in columns: 20 ms for 1 column, 26 ms for 513, quarterly, 10 years): over the
# seed's 18 preset x scenario solves they found up to $29B more (AI 2027 lab, status-quo) and
# $25B (OpenAI, ideas-harder), never less.
STARTS = 8
DIVERSITY = 0.5
POOL = 64
# Calls a climb in lockstep may make, a hard cap (scipy's `maxfun` is looked at between
# iterations, and the longest of eight climbs ran past it to 59 at kinks, its line searches
# failing and retried): the lockstep costs its longest climb's calls. At 30 and at 40 the seed's
# 18 solves found the same NPVs to $0.1B; at 20 OpenAI's under ideas-harder fell from -$6.6B to
# -$16.4B.
LOCKSTEP_CALLS = 30
PULL = 1e-4  # towards the assumed split, per unit of knot fraction squared (x scaled NPV)
MAX_EVALUATIONS = 40  # batched projections per climb (scipy's cap, looked at between iterations)
LINE_STEPS = 20  # evaluations a line search may take (scipy's maxls, and its default)


class _Spent(Exception):
    """A climb's hard cap on calls is reached (Problem.cap)."""


@dataclass(frozen=True)
class Climb:
    """How far a climb goes: it stops once an iteration gains less than `ftol` of the NPV
    scale (None: scipy's, ~2e-9, as far as the floating point resolves), after `evaluations`
    batched projections, or when a line search has taken `line_steps` without an ascent; and
    from how many screened `starts` a global solve climbs (STARTS)."""

    ftol: float | None = None
    evaluations: int = MAX_EVALUATIONS
    line_steps: int = LINE_STEPS
    starts: int = STARTS


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
        """NPV over the best assumed policy's (USD; 0 for a climb, which values none)."""
        return self.npv - max(self.assumed.values(), default=self.npv)

    def record(self) -> dict:
        """The report as plain JSON values."""
        return {"success": self.success, "message": self.message, "npv": self.npv,
                "assumed_npv": dict(self.assumed), "gain": self.gain, "base_policy": self.base,
                "iterations": self.iterations, "evaluations": self.evaluations,
                "seconds": round(self.seconds, 3)}


def _reason(message, cap: int = MAX_EVALUATIONS) -> str:
    """scipy's termination message, in words a reader can act on."""
    text = str(message)
    if "ABNORMAL" in text:
        return ("the line search stalled where a constraint switches on (the NPV has kinks "
                "there); the best path found is kept")
    if "TOTAL NO. OF F" in text.upper() or "MAXFUN" in text.upper():
        return f"stopped after {cap} evaluations; the best path found is kept"
    return text.lower()


def _index(policy: str) -> float:
    return float(CATALOGUE["allocation_policy"].choice_index(policy))


def _knots(n: int, dt: float) -> np.ndarray:
    """Knot times in years: denser early, the last at the last step."""
    k = min(KNOTS, n)
    return step_starts(n, dt)[-1] * (np.arange(k) / max(k - 1, 1)) ** 1.5


def _interpolation(n: int, dt: float) -> np.ndarray:
    """(n steps x k knots) matrix: a knot vector to the per-step path, piecewise linear."""
    times, knots = step_starts(n, dt), _knots(n, dt)
    eye = np.eye(len(knots))
    return np.column_stack([np.interp(times, knots, eye[j]) for j in range(len(knots))])


class Problem:
    """NPV as a function of the research fraction at the knots, on one assumed policy's base."""

    def __init__(self, values: dict, n: int, dt: float, base: dict[str, np.ndarray],
                 scale: float, evaluate=run_arrays, idle: np.ndarray | None = None):
        self.values, self.n, self.scale, self.evaluate = values, n, scale, evaluate
        self.matrix = _interpolation(n, dt)
        self.others = {u: base[u] for u in USES if u not in ("research", "inference")}
        pool = base["research"] + base["inference"]
        # research keeps its floor, but a lab that does less research is not made to do more
        self.low = np.minimum(np.minimum(values["research_floor"], values["share_research"]),
                              pool)
        self.pool, self.width = pool, pool - self.low
        # what idle serving GPUs do (IDLE), kept by every path this problem makes
        self.idle = np.full(n, float(CATALOGUE[IDLE].default)) if idle is None else idle
        self.anchor = self.start(base["research"], dt)  # the assumed split, as knots
        self.evaluations = 0
        self.cap: int | None = None  # calls this problem may make (None: no hard cap)
        self.seen: dict[bytes, float] = {}  # NPV at each knot vector the climb evaluated
        self.residual = np.zeros(n)  # what the knots leave of a path climbed from (`around`)

    def around(self, research: np.ndarray) -> np.ndarray:
        """Knots that give back `research` (n,) exactly, knots or not (an assumed policy's path
        jumps within a step): the part the knots miss is kept beside them (a climb moves the
        path by what its knots move). Returns the knots."""
        knots = self.fit(research)
        self.residual = self._fraction(research) - self.matrix @ knots
        return knots

    def paths(self, fractions: np.ndarray) -> dict[str, np.ndarray]:
        """Chosen shares (n x m) for m columns of knot fractions (k x m)."""
        share = np.clip(self.matrix @ fractions + self.residual[:, None], 0, 1)
        research = self.low[:, None] + share * self.width[:, None]
        shares = {"research": research, "inference": self.pool[:, None] - research,
                  **{u: np.repeat(p[:, None], fractions.shape[1], axis=1)
                     for u, p in self.others.items()}}
        return {**{f"chosen_share_{u}": shares[u] for u in USES},
                IDLE: np.repeat(self.idle[:, None], fractions.shape[1], axis=1)}

    def npv(self, fractions: np.ndarray) -> np.ndarray:
        if self.cap is not None and self.evaluations >= self.cap:
            raise _Spent
        self.evaluations += 1
        out = self.evaluate({**self.values, **self.paths(fractions)}, self.n, keep=("npv",),
                            specialise=True)
        return np.broadcast_to(out["npv"][-1], (fractions.shape[1],))

    def objective(self, f: np.ndarray) -> tuple[float, np.ndarray]:
        """-NPV / scale and its gradient, from one batched call (base + one column a knot)."""
        step = np.where(f + STEP <= 1, STEP, -STEP)
        columns = np.column_stack([f, f[:, None] + np.diag(step)])
        npv = self.npv(columns)
        if not np.isfinite(npv).all():
            raise InputError("allocation_policy value-maximising: the projection's NPV is not "
                             "finite at these inputs; choose another policy")
        self.seen[f.tobytes()] = float(npv[0])
        # Where NPV is flat in a knot (research no longer pays or costs: customers' spending
        # and the software ceiling both bind), the path is not determined by value; a small
        # pull towards the assumed split decides it, so the lab moves only as far as it pays.
        pull = f - self.anchor
        return (-npv[0] / self.scale + PULL * float(pull @ pull),
                -(npv[1:] - npv[0]) / step / self.scale + 2 * PULL * pull)

    def screened(self, *starts: np.ndarray) -> np.ndarray:
        """Knot columns (k x m) to screen: `starts` and a fixed Sobol set over the knot box."""
        return np.column_stack([*starts, sobol_points(len(starts[0]))[:SCREEN].T])

    def ranked(self, columns: np.ndarray, npv: np.ndarray) -> list[tuple[float, np.ndarray]]:
        """[(NPV, knots)] of the screened `columns` at their `npv`: the best POOL, best first,
        each at least DIVERSITY from every better one (kinks leave the NPV many local optima,
        and a climb from the assumed path alone finds whichever is nearest)."""
        npv = np.where(np.isfinite(npv), npv, -np.inf)
        kept: list[int] = []
        for k in np.argsort(-npv, kind="stable")[:POOL]:
            if all(np.linalg.norm(columns[:, k] - columns[:, j]) >= DIVERSITY for j in kept):
                kept.append(int(k))
        return [(float(npv[k]), columns[:, k]) for k in kept]

    def fit(self, research: np.ndarray) -> np.ndarray:
        """Knot fractions whose path is nearest `research` (n,) in least squares: exactly the
        knots of any path this problem made (or a weighted mean of such paths)."""
        return np.clip(np.linalg.lstsq(self.matrix, self._fraction(research), rcond=None)[0],
                       0, 1)

    def _fraction(self, research: np.ndarray) -> np.ndarray:
        """`research` (n,) as the fraction of the pool above the floor."""
        return np.where(self.width > 0, (research - self.low) / np.where(self.width > 0,
                                                                          self.width, 1), 0)

    def start(self, research: np.ndarray, dt: float) -> np.ndarray:
        """Knot fractions that reproduce `research` (n,) at the knot times."""
        return np.clip(np.interp(_knots(self.n, dt), step_starts(self.n, dt),
                                 self._fraction(research)), 0, 1)


def _assumed(values: dict, n: int, evaluate=run_arrays) -> dict[str, dict]:
    """Each assumed policy's share paths, NPV and compute bill (one projection each)."""
    out = {}
    keep = (*(f"share_{u}" for u in USES), "npv", "compute_cost", "discount_factor")
    for policy in ASSUMED:
        rows = evaluate({**values, "allocation_policy": _index(policy)}, n, keep=keep,
                        specialise=True)
        out[policy] = {"shares": {u: np.asarray(rows[f"share_{u}"]).ravel() for u in USES},
                       "npv": float(np.ravel(rows["npv"][-1])[0]),
                       "bill": float(np.sum(rows["compute_cost"] * rows["discount_factor"]))}
    return out


def _problem(values: dict, n: int, dt: float, base: dict, evaluate,
             idle: np.ndarray | None = None) -> Problem:
    """The knot problem on an assumed policy's base (its shares, NPV and bill: _assumed), its
    paths' idle serving GPUs doing `idle` (IDLE's default if None)."""
    return Problem(values, n, dt, base["shares"], max(abs(base["npv"]), base["bill"] * dt, 1.0),
                   evaluate, idle)


def _climb(problem: Problem, x0: np.ndarray, policy: str, limits: Climb) -> tuple:
    """L-BFGS-B from x0: the candidate (npv, policy, paths, success, message, iterations)."""
    from scipy.optimize import minimize  # ~0.3 s to import: only value-maximising runs pay it

    options = {"maxfun": limits.evaluations, "maxls": limits.line_steps,
               **({} if limits.ftol is None else {"ftol": limits.ftol})}
    try:
        result = minimize(problem.objective, x0, jac=True, method="L-BFGS-B",
                          bounds=[(0.0, 1.0)] * len(x0), options=options)
        x, success, iterations = result.x, bool(result.success), int(result.nit)
        message = _reason(result.message, limits.evaluations)
    except _Spent:  # the hard cap: the best point it stood at (iterations: points stood at)
        x, success, iterations = _best_seen(problem), False, len(problem.seen)
        message = _reason("MAXFUN", problem.cap)
    npv = problem.seen.get(x.tobytes())  # the climb ends where it evaluated
    if npv is None:
        try:
            npv = float(problem.npv(x[:, None])[0])
        except _Spent:
            x = _best_seen(problem)
            npv = problem.seen[x.tobytes()]
    paths = {k: v[:, 0] for k, v in problem.paths(x[:, None]).items()}
    return npv, policy, paths, success, message, iterations


def _best_seen(problem: Problem) -> np.ndarray:
    """The knots of the best point a climb stood at."""
    return np.frombuffer(max(problem.seen, key=problem.seen.get))


def choose_path(settings, years: int, step: str, start: dict | None = None,
                local: bool = False, evaluate=run_arrays, limits: Climb = Climb(),
                start_value: tuple[float, float] | None = None):
    """A copy of `settings` with the value-maximising path (settings.paths) and its report.
    `start` (chosen shares per path input, e.g. the path a lab has) is screened beside the
    Sobol set, so the result is never worse than it; `local` climbs from `start` alone, no
    screen and no assumed path (a market's rounds of replies, where the last path is near).
    `evaluate` runs the projection (run_arrays' signature): a market batches several labs'
    solves through it. `limits`: how far the climb goes (Climb); `start_value`: start's NPV
    and discounted compute bill (USD) under `evaluate`, if known (a climb then does not
    evaluate it again)."""
    began = time.perf_counter()
    n, dt = steps_for(years, step)
    values = {**settings.values, "step_years": dt}
    vm = {**values, "allocation_policy": VALUE_MAXIMISING}
    if local and start is not None:
        candidates, assumed, evaluations = _local(vm, n, dt, start, evaluate, limits,
                                                  start_value)
    else:
        candidates, assumed, evaluations = _global(values, vm, n, dt, start, evaluate, limits)
    npv, policy, paths, success, message, iterations = max(candidates, key=lambda c: c[0])
    if not math.isfinite(npv):
        raise InputError("allocation_policy value-maximising: no finite NPV at these inputs")
    solution = Solution(success, message, npv, {p: a["npv"] for p, a in assumed.items()},
                        policy, iterations, evaluations, time.perf_counter() - began)
    return dataclasses.replace(settings, paths={p: paths[p] for p in PATHS}, solution=solution)


def _local(vm, n, dt, start, evaluate, limits: Climb, known) -> tuple:
    """A climb from `start` that moves research against inference within the start's own
    shares (a global reply's may be an assumed policy's: inference-first's training share),
    scaled by the start's NPV and bill: (candidates, assumed, evaluations). The path it had is
    a candidate, so the climb never ends worse."""
    here = {p: np.asarray(start[p], dtype=float) for p in PATHS}
    evaluations = int(known is None)
    if known is None:
        rows = evaluate({**vm, **{k: v[:, None] for k, v in here.items()}}, n,
                        keep=("npv", "compute_cost", "discount_factor"), specialise=True)
        known = (float(np.ravel(rows["npv"][-1])[0]),
                 float(np.sum(rows["compute_cost"] * rows["discount_factor"])))
    npv, bill = known
    base = {"shares": {u: here[f"chosen_share_{u}"] for u in USES}, "npv": npv, "bill": bill}
    problem = _problem(vm, n, dt, base, evaluate, here[IDLE])
    candidates = [(npv, ASSUMED[0], here, True, "the path it had", 0),
                  _climb(problem, problem.around(here["chosen_share_research"]), ASSUMED[0],
                         limits)]
    return candidates, {}, evaluations + problem.evaluations


def _global(values, vm, n, dt, start, evaluate, limits: Climb) -> tuple:
    """Every assumed policy's path, each base screened (its own path, `start`'s fit and a
    Sobol set), the best climbed: (candidates, assumed, evaluations)."""
    assumed = _assumed(values, n, evaluate)
    candidates = []  # (npv, base policy, paths, success, message, iterations)
    # Each assumed policy's shares as a chosen path, in one batched call: as the value-maximising
    # policy realises them (idle inference GPUs run experiments), and exactly (they stay idle).
    # `start` too: the result is never worse than the path the lab has.
    exact, names, notes = [], [], []
    for idle, note in ((CATALOGUE[IDLE].default, "assumed path"),
                       (0.0, "assumed path, kept exactly (idle GPUs idle)")):
        exact += [{**{f"chosen_share_{u}": s for u, s in assumed[p]["shares"].items()},
                   IDLE: np.full(n, idle)} for p in ASSUMED]
        names, notes = [*names, *ASSUMED], [*notes, *(note,) * len(ASSUMED)]
    if start is not None:
        exact.append({p: np.asarray(start[p], dtype=float) for p in PATHS})
        names, notes = [*names, "fixed"], [*notes, "the path it had"]
    # Kinks (where a constraint switches on) make the NPV multi-modal: screen every assumed
    # policy's base (its own path, `start`'s fit and a Sobol set), climb from the best
    # `limits.starts` points that lie apart, and keep the best path found. The realised paths
    # and the screens are one batched call.
    problems = [_problem(vm, n, dt, assumed[policy], evaluate) for policy in ASSUMED]
    knots = [p.screened(p.anchor, *(() if start is None else
                                     (p.fit(start["chosen_share_research"]),)))
             for p in problems]
    blocks = [{k: np.column_stack([e[k] for e in exact]) for k in exact[0]},
              *(p.paths(k) for p, k in zip(problems, knots, strict=True))]
    edges = np.cumsum([0, len(exact), *(k.shape[1] for k in knots)])
    npv = np.broadcast_to(evaluate({**vm, **{k: np.concatenate([b[k] for b in blocks], axis=1)
                                             for k in blocks[0]}}, n, keep=("npv",),
                                   specialise=True)["npv"][-1], (edges[-1],))
    for policy, paths, value, note in zip(names, exact, npv[:len(exact)], notes, strict=True):
        candidates.append((float(value), policy, paths, True, note, 0))
    screened = [(value, x0, policy)
                for i, (policy, problem) in enumerate(zip(ASSUMED, problems, strict=True))
                for value, x0 in problem.ranked(knots[i], npv[edges[i + 1]:edges[i + 2]])]
    chosen = sorted(screened, key=lambda c: -c[0])[:limits.starts]
    climbs, calls = _climbs(chosen, vm, n, dt, assumed, evaluate, limits, problems)
    # the assumed policies, the realised paths and the screens (one call), then the climbs
    return [*candidates, *climbs], assumed, len(ASSUMED) + 1 + calls


def _climbs(chosen, vm, n, dt, assumed, evaluate, limits: Climb, problems) -> tuple:
    """A climb from each of `chosen` [(NPV, knots, base policy)], in lockstep (one call of
    `evaluate` serves every live climb): (candidates, calls). One climbs alone on its
    screen's own problem (`problems`, in ASSUMED's order)."""
    if len(chosen) == 1:
        (_, x0, policy), = chosen
        problem = problems[ASSUMED.index(policy)]
        before = problem.evaluations
        return [_climb(problem, x0, policy, limits)], problem.evaluations - before
    calls = []

    def counted(*args, **kw):
        calls.append(1)
        return evaluate(*args, **kw)

    def climb(ev, x0, policy):
        problem = _problem(vm, n, dt, assumed[policy], ev)
        problem.cap = min(LOCKSTEP_CALLS, limits.evaluations)
        return _climb(problem, x0, policy, limits)

    return in_lockstep([lambda ev, x0=x0, policy=policy: climb(ev, x0, policy)
                        for _, x0, policy in chosen], run=combining(counted)), len(calls)
