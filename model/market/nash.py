"""The labs' choices in the market: an open-loop Nash equilibrium of research share paths, found
by damped best replies and checked by deviations with the market re-solved.

Each lab chooses its research share path (the value-maximising policy's knots: model.policy) to
maximise its own NPV given the others' paths: its payoff is the market re-solved around its
choice (the chip price and rations, the others' customers and capital answering it), as the
joint optimum's is (model.market.joint).

Local rounds, from the base-year splits: a cheap approach. A reply there holds the market the
others make (the chip rations and price, the others' customer odds and demand: the engine's
coupling paths) while the lab's own customers answer its own software in each step (the
projection's logit rows). Every lab climbs from the path it has (Jacobi: all against the same
market), each that gains moves DAMPING of the way, and the market is solved again. Once no
local reply gains more than TOLERANCE, global rounds: the check the issue asks for, each lab
deviating alone, the market re-solved around it: a jump to its global reply (the optimiser's
screen of the whole knot box, in the held market), then a climb from the better of that reply
and its path, every evaluation valued with the market re-solved (model.market.resolved).
Within DEVIATION_TOLERANCE (`max_deviation_gain`) for every lab, the paths are an equilibrium;
otherwise the lab that gains most by climbing from its jump moves there (the others wait), or,
where a climb from a path gains most, every lab that gains by climbing from its path takes it,
and the check runs again. Deterministic: the optimiser and the market are.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from model.core.catalogue import CATALOGUE
from model.loop.lockstep import in_lockstep
from model.loop.projection import PATHS, default_paths, run_arrays, steps_for
from model.loop.steps import DEFAULT_STEP
from model.policy.optimise import Climb, choose_path

from .engine import Market, equilibrium, lab_coupling
from .fields import Lab
from .resolved import resolved
from .single_lab import lab_settings
from .world import MARKET

DAMPING = 0.5  # the share of the way to the best responses each round
# Held rounds approach; the check's climbs, which move all the way, decide. Where NPVs are near
# zero the held rounds' halving steps crept on for all 12 rounds of a draw in four of eight
# (status-quo's odds), never reaching the check.
LOCAL_ROUNDS = 4
# local and global rounds: every scenario of the end-2025 market converges within 8 (ai-2027 at
# its 8th, 0.96% against the 1% bar); the odds' draws need more: with 12, 21 of 384 stopped
# short (ai-2027's seven at gains of 1.2-10.5%), and given 24 those seven converged in 13-16
# rounds (0.03-0.91%). A round is a check of six re-solved replies, so the cap bounds the work
# at twice what 12 did; a draw that converges stops where it did.
MAX_ROUNDS = 24
# Local rounds settle when no lab's reply gains more than this share of its NPV scale (the
# larger of |NPV| at its path and at its reply) over the path it has, the market held. Paths
# themselves need not settle: where a lab's NPV is flat in its research (customers' spending or
# the software ceiling binds) its replies wander between paths of equal value.
TOLERANCE = 0.002
# The check, and the equilibrium's bar: no lab deviating alone to its global reply, the market
# re-solved around it (the others' customers and the chip price answering), gains more than
# this share. 1% is what the optimiser resolves (finite differences, 40 batched evaluations);
# re-solving finds gains the held market does not (0.45% held was 1.7% re-solved, for OpenAI
# under ai-2027), hence the tighter local bar.
DEVIATION_TOLERANCE = 0.01
# A reply's climb stops once an iteration gains less than this share of the lab's NPV scale: a
# twentieth of TOLERANCE, so the rounds' test is not decided by where a climb stopped. (scipy's
# default, ~2e-9, climbed on through the kinks to the evaluation cap: 3x the evaluations, the
# same rounds' gains to 3 digits, measured on the end-2025 market.)
# One start (model.policy.optimise.STARTS): eight climbs in each of six labs' global replies
# would make every call of the rounds 8x wider, and the check, not these replies, decides.
HELD = Climb(ftol=TOLERANCE / 20, starts=1)
# The held rounds' climbs from the path a lab has give up a line search after 5 evaluations,
# not scipy's 20: at a kink of the NPV the 20 went on one failed search, and these rounds only
# approach (the check decides): the end-2025 market's equilibrium in 9 s, not 10.5. The global
# replies (the check's jumps) keep 20.
HELD_LOCAL = Climb(ftol=TOLERANCE / 20, line_steps=5)
# The check's climbs, each evaluation a market run: they stop once an iteration gains less than
# a twentieth of the check's bar, after 16 runs (the lockstep waits for the slowest lab), or
# once a line search has taken 5 without an ascent: at a kink of the NPV scipy's 20 were spent
# on one failed line search (Anthropic's climbs took 18 runs and ended where they began); with
# 5 the same 16 runs climb on, and found it 12% more.
RESOLVED = Climb(ftol=DEVIATION_TOLERANCE / 20, evaluations=16, line_steps=5)
VALUE_MAXIMISING = float(CATALOGUE["allocation_policy"].choice_index("value-maximising"))


@dataclass(frozen=True)
class Nash:
    """The labs' research share paths and the market they make: an equilibrium when
    `converged`, otherwise the checked paths closest to one."""

    market: Market
    paths: tuple[dict[str, np.ndarray], ...]  # each lab's chosen shares (n,) per use
    converged: bool  # within DEVIATION_TOLERANCE, and every market the check ran cleared
    rounds: int  # rounds that moved the labs before the paths returned
    gain: float  # the returned paths' largest deviation gain (share of the lab's NPV scale)
    gains: tuple[float, ...]  # each round's largest gain (local: held replies; global: checks)
    change: float  # that round's largest reply move of a research share (of the fleet)
    deviation_gain: np.ndarray  # (labs,) USD: NPV a lab gains deviating alone to its best reply
    deviation_scale: np.ndarray  # (labs,) USD: larger of |NPV| at the path and deviating
    seconds: float
    cleared: bool = True  # every market the returned paths' check re-solved cleared

    @property
    def max_deviation_gain(self) -> float:
        """The largest deviation gain as a share of that lab's NPV scale."""
        return float(np.max(self.deviation_gain / self.deviation_scale))


def choosing(settings):
    """`settings` under the value-maximising policy, starting from its base-year split."""
    values = {**settings.values, "allocation_policy": VALUE_MAXIMISING}
    return dataclasses.replace(settings, values=values)


def _fixed_paths(settings, n: int) -> dict[str, np.ndarray]:
    """The base-year split held for every step: where the labs start."""
    return {p: np.array(v) for p, v in default_paths(settings.values, n).items()}


def best_response(settings, m: Market, j: int, years: int, step: str, local: bool = False,
                  evaluate=run_arrays, limits: Climb = HELD, value: tuple | None = None) -> tuple:
    """(lab `j`'s value-maximising settings given the market `m` the others' paths make, its
    reply's gain over the path it has (settings.paths; share of its NPV scale)). `local`: a
    climb from the path it has, not the optimiser's global screen; `evaluate`: see
    model.policy.optimise.choose_path; `value`: the path's NPV and discounted bill (USD)
    under `evaluate`, if not m's (the path is not the one m was run with)."""
    coupled = dataclasses.replace(settings, values={**settings.values, **lab_coupling(m, j)},
                                  paths={})
    # its path's NPV and bill are the market's: held or re-solved, the market around it is m
    now, bill = _value(m, j) if value is None else value
    reply = choose_path(coupled, years, step, start=settings.paths, local=local,
                        evaluate=evaluate, limits=limits, start_value=(now, bill))
    return reply, (reply.solution.npv - now) / max(abs(now), abs(reply.solution.npv), 1.0)


def _value(m: Market, j: int, draw: int = 0) -> tuple[float, float]:
    """Lab j's NPV and discounted compute bill (USD) in `draw` of the market m."""
    column = (slice(None), j, *(draw,) * (m.rows["npv"].ndim - 2))
    return (float(m.rows["npv"][column][-1]),
            float(np.sum(m.rows["compute_cost"][column] * m.rows["discount_factor"][column])))


def replies(settings: Sequence, paths: Sequence[dict], m: Market, years: int, step: str,
            local: bool = False, run=None, limits: Climb = HELD,
            values: Sequence[tuple | None] | None = None) -> list[tuple]:
    """Every lab's best_response to the market `m` from `paths`, in lockstep (one projection
    call serves all the labs' evaluations; `run`: what serves them instead, model.market.
    lockstep; `values`: each path's best_response `value`)."""
    values = values or [None] * len(settings)
    return in_lockstep([
        lambda evaluate, j=j, s=s, p=p, v=v: best_response(
            dataclasses.replace(s, paths=p), m, j, years, step, local, evaluate, limits, v)
        for j, (s, p, v) in enumerate(zip(settings, paths, values, strict=True))], run=run)


def _check(settings, paths, chosen, names, years, step, m: Market) -> tuple:
    """Each lab deviating alone, the market re-solved around it: (its NPV at its global reply
    `chosen` (a jump), its climb [(reply, gain)] from the better of that reply and its path,
    whether that was the reply, whether every market run of the check cleared)."""
    jumps = _deviated(settings, paths, chosen, names, years, step, m)
    jumped = np.array([_value(jumps, j, j)[0] for j in range(len(settings))])
    leaps = jumped > m.rows["npv"][-1]
    starts = [c if leap else p for c, p, leap in zip(chosen, paths, leaps, strict=True)]
    values = [_value(jumps, j, j) if leap else None for j, leap in enumerate(leaps)]
    run = resolved(settings, paths, names, years, step, m)
    climbs = climbed(settings, paths, names, years, step, m, starts, values, run)
    return jumped, climbs, leaps, bool(jumps.converged and m.converged and not run.unsettled)


def climbed(settings: Sequence, paths: Sequence[dict], names, years: int, step: str,
            m: Market, starts: Sequence[dict] | None = None,
            values: Sequence[tuple | None] | None = None, run=None) -> list[tuple]:
    """Every lab's local reply (a climb from its path, or from `starts` valued `values`)
    valued with the market re-solved around it, the others at `paths` (model.market.
    resolved, or `run`: one it made, which counts the runs that did not clear), the labs in
    lockstep: [(reply, gain)]."""
    return replies(settings, starts or paths, m, years, step, True,
                   run or resolved(settings, paths, names, years, step, m),
                   RESOLVED, values)


def _market(settings: Sequence, paths: Sequence[dict], names, years, step, start=None):
    lanes = [dataclasses.replace(s, paths=p) for s, p in zip(settings, paths, strict=True)]
    return equilibrium(lanes, names, years, step, start=start)


def _deviated(settings, paths, replies, names, years, step, m: Market) -> Market:
    """The market re-solved around each lab deviating alone to `replies[j]`: one market run
    whose j-th draw is lab j deviating."""
    labs = len(settings)
    columns = [{p: np.column_stack([replies[j][p] if k == j else paths[j][p]
                                    for k in range(labs)]) for p in PATHS}
               for j in range(labs)]
    start = tuple(np.repeat(c[..., None], labs, axis=-1) for c in m.coupling)
    return _market(settings, columns, names, years, step, start)


def nash(settings: Sequence, names: Sequence[str], years: int = 10, step: str = DEFAULT_STEP,
         damping: float = DAMPING, tolerance: float = TOLERANCE,
         max_rounds: int = MAX_ROUNDS, start: Sequence[dict] | None = None) -> Nash:
    """The open-loop Nash equilibrium of the labs `settings` (resolved single-lab settings,
    named `names`), from their base-year splits (or `start`: each lab's chosen shares (n,) per
    path input): rounds of replies until none gains more than `tolerance` (or `max_rounds`
    rounds)."""
    began = time.perf_counter()
    n, _ = steps_for(years, step)
    settings = [choosing(s) for s in settings]
    paths = ([_fixed_paths(s, n) for s in settings] if start is None else
             [{p: np.broadcast_to(np.asarray(q[p], dtype=float), (n,)).copy() for p in PATHS}
              for q in start])
    m = _market(settings, paths, names, years, step)
    # From the base-year splits, rounds of held replies first (cheap, and near); from `start`
    # (paths someone chose), the check first: the held market's replies would move labs off an
    # equilibrium of the game re-solved
    rounds, gains, local, best = 0, [], start is None, None
    while True:
        answers = replies(settings, paths, m, years, step, local,
                          limits=HELD_LOCAL if local else HELD)
        chosen = [r.paths for r, _ in answers]
        held = np.array([g for _, g in answers])
        change = max(float(np.max(np.abs(r["chosen_share_research"]
                                          - p["chosen_share_research"])))
                     for r, p in zip(chosen, paths, strict=True))
        if local:
            gain = float(np.max(held))
            gains.append(gain)
            # settled locally, or LOCAL_ROUNDS spent: go global (the check) in the same market
            local = gain > tolerance and len(gains) < LOCAL_ROUNDS
            # every lab that gains moves `damping` of the way to its reply
            weights = np.where(held > 0, damping, 0.0)
            if not local:
                continue
        else:
            # the check, each lab deviating alone, valued with the market re-solved around
            # it: to its global reply (a jump, maybe to another basin of its NPV), then a climb
            # from the better of that reply and its path (the held market misleads: a reply
            # worth 13% held was worth -16% re-solved, and a climb re-solved gained OpenAI
            # 108% of its NPV where the held check found 0.8%: what the others' answers are
            # worth to it; and a jump's own basin may hold more: OpenAI's 3.5% jump climbed
            # on to 22%)
            npv = m.rows["npv"][-1]
            jumped, climbs, leaps, cleared = _check(settings, paths, chosen, names, years,
                                                    step, m)
            deviated = np.maximum(jumped, [r.solution.npv for r, _ in climbs])
            beyond = (deviated - npv) / _scale(m, deviated)
            gain = float(np.max(beyond))
            gains.append(gain)
            if best is None or gain < best[0]:
                best = (gain, paths, m, deviated, change, rounds, cleared)
            if gain <= DEVIATION_TOLERANCE:
                break
            chosen = [r.paths for r, _ in climbs]
            if leaps[int(np.argmax(beyond))]:
                # a jump pays most: that lab moves all the way (the midpoint between two
                # optima is no optimum) and the others wait, as two labs jumping at once each
                # found the jump no longer paid once the other had made it (labs tied for the
                # largest gain, as identical labs are, move together: which of two twins goes
                # first is no choice of theirs)
                weights = np.where(leaps & (beyond >= gain - 1e-12 * abs(gain)), 1.0, 0.0)
            else:  # climbs pay most: every lab whose climb (from its path) gains takes it
                weights = np.where(~leaps & (deviated > npv), 1.0, 0.0)
        if rounds == max_rounds:
            break
        rounds += 1
        paths = [{k: p[k] + w * (r[k] - p[k]) for k in PATHS}
                 for p, r, w in zip(paths, chosen, weights, strict=True)]
        m = _market(settings, paths, names, years, step, start=m.coupling)
    if best is None:  # stopped at max_rounds before any check: check where it stopped
        chosen = [r.paths for r, _ in replies(settings, paths, m, years, step)]
        jumped, climbs, _, cleared = _check(settings, paths, chosen, names, years, step, m)
        deviated = np.maximum(jumped, [r.solution.npv for r, _ in climbs])
        best = (float(np.max((deviated - m.rows["npv"][-1]) / _scale(m, deviated))), paths, m,
                deviated, change, rounds, cleared)
    # Without an equilibrium (the replies can cycle: one lab's jump makes another's pay, whose
    # makes the first's pay again) the paths returned are the checked ones closest to one.
    # A check whose re-solved markets did not all clear read payoffs of no equilibrium: its
    # gains vouch for nothing, so the paths are not reported converged.
    gain, paths, m, deviated, change, rounds, cleared = best
    converged = gain <= DEVIATION_TOLERANCE and cleared
    return Nash(m, tuple(paths), converged, rounds, gain, tuple(gains), change,
                deviated - m.rows["npv"][-1], _scale(m, deviated), time.perf_counter() - began,
                cleared)


def _scale(m: Market, deviated: np.ndarray) -> np.ndarray:
    """(labs,) USD: each lab's NPV scale, the larger of |NPV| at its path and deviating."""
    return np.maximum(np.maximum(np.abs(m.rows["npv"][-1]), np.abs(deviated)), 1.0)


def market_nash(labs: Sequence[Lab] = MARKET, scenario: str | None = None,
                overrides: dict | None = None, **kw) -> Nash:
    """`nash` for `labs` (default: the end-2025 market) under `scenario`."""
    settings = [lab_settings(lab, scenario, overrides) for lab in labs]
    return nash(settings, [lab.name for lab in labs], **kw)
