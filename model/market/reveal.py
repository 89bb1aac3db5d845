"""Revealed beliefs: for each usable lab-year of the observed panel (model.market.observed), the
values of one input under which the observed split is the lab's value-maximising choice
(`python -m model reveal`; docs/reveal.json, read back as the README's and the app's table by
model.market.reveal_table).

Three inputs, each swept over its catalogue bounds under the scenario that makes it matter, the
lab's other inputs held at its preset's:

- `multiplier`: base_multiplier, a constant AI R&D multiplier (1 = none), under `status-quo`
  (no milestone multipliers, so the constant one is the only one);
- `compute-bottleneck`: research_ces_rho, the substitution between research compute and
  cognitive labour, under `compute-bottleneck` (the multiplier speeds labour alone, so rho
  decides how much experiments bottleneck it);
- `ideas-harder`: software_returns r, under `ideas-harder` (ideas get harder to find as
  lambda / r).

What is compared. The model's lab solves the value-maximising policy
(model.policy.optimise.choose_path). The first step of a run is its base year, whose split is
data, so the lab chooses from the second step on, moving no faster than split_adjustment_rate.
A 2024 observation is the base year of a single-lab preset's end-2024 state (openai-2024): it
is a best response when the lab, a price-taker standing there, keeps it (its first chosen step,
Q1 2025, within the tolerance of the observed value). A 2025 observation is read twice: the
price-taker's realised split over 2025 from its end-2024 preset (openai-2024, anthropic-2024;
the mean of 2025's steps, the last step of 2025 for an end-2025 snapshot); and the lab's best
reply in the end-2025 market to the others at their base-year splits, the swept input set for
that lab alone (the optimiser's global screen with the market they make held, then a climb with
the market re-solved around every candidate, as the equilibrium's check values a reply): the
market's base year is 2025, so its 2025 split is the base, not a choice, and the reply's first
chosen step (Q1 2026) is compared. The share compared is research as a fraction of research +
inference (where the source separates final runs) or all R&D (research + final runs) as a
fraction of R&D + inference (where it does not), the model's share taken the same way, so a
lab's compute outside R&D and serving does not enter. The tolerance is TOLERANCE of that
fraction: no source gives an interval.

How. A grid of GRID values (log-spaced; for rho, log-spaced in the elasticity of substitution
1 / (1 - rho), which steps over rho = 0), every value's solve one column of the same
projection calls (model.loop.lockstep); then BISECTIONS rounds halve every interval whose
ends differ in fit or cross the observed value, all of a lab's intervals solved together.
A range is the run of solved values that fit (its ends are the outermost fitting values found,
within a bisected step of the true edge); 'none in range' where no solved value fits.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from model.core.catalogue import CATALOGUE
from model.core.errors import InputError, quoted
from model.loop.lockstep import in_lockstep
from model.loop.projection import run_arrays, steps_for
from model.loop.scenarios import scenario_settings
from model.policy.optimise import choose_path

from .engine import Market, equilibrium, lab_coupling
from .nash import RESOLVED, _fixed_paths, best_response, choosing
from .observed import PANEL, Observation
from .resolved import resolved
from .reveal_table import BASE_YEAR, MARKET_YEAR
from .single_lab import lab_settings
from .world import LABS, MARKET

YEARS, STEP = 10, "quarter"  # the single-lab model's defaults
GRID = 10
BISECTIONS = 3
TOLERANCE = 0.05  # of the research + inference pool, either way
TOLERANCE_WHY = ("+-5 points of the pool: no source gives an interval (Epoch's shares are "
                 "'~' figures)")
RHO_GAP = 1e-3  # rho is kept this far from 0 (the CES is undefined there)
VALUE_MAXIMISING = "value-maximising"
# The single-lab preset holding each market lab's end-2024 state.
PRESETS = {"openai": "openai-2024", "anthropic": "anthropic-2024"}
MARKET_LABS = ("openai", "anthropic")


@dataclass(frozen=True)
class Sweep:
    """One input swept over its catalogue bounds under one scenario, on a grid in `x` (log of
    the value, or of rho's elasticity of substitution)."""

    key: str
    input: str
    scenario: str
    label: str
    to_x: Callable[[float], float]
    from_x: Callable[[float], float]

    @property
    def bounds(self) -> tuple[float, float]:
        q = CATALOGUE[self.input]
        return float(q.min), float(q.max)

    def grid(self, count: int = GRID) -> np.ndarray:
        lo, hi = sorted(self.to_x(b) for b in self.bounds)
        return np.linspace(lo, hi, count)

    def value(self, x: float) -> float:
        v = self.from_x(x)
        if self.input == "research_ces_rho" and abs(v) < RHO_GAP:
            v = math.copysign(RHO_GAP, v)
        lo, hi = self.bounds
        return float(min(max(v, lo), hi))


def _sigma(rho: float) -> float:
    """log of the elasticity of substitution 1 / (1 - rho)."""
    return -math.log(1 - rho)


SWEEPS: dict[str, Sweep] = {s.key: s for s in (
    Sweep("multiplier", "base_multiplier", "status-quo", "constant AI R&D multiplier",
          math.log, math.exp),
    Sweep("compute-bottleneck", "research_ces_rho", "compute-bottleneck",
          "compute-labour substitution rho", _sigma, lambda x: 1 - math.exp(-x)),
    Sweep("ideas-harder", "software_returns", "ideas-harder", "returns to software R&D r",
          math.log, math.exp),
)}


@dataclass(frozen=True)
class Target:
    """A usable observation: the fraction to reveal and where in the model to read it."""

    index: int  # its place in PANEL (1-based, as `python -m model observed` numbers it)
    observation: Observation
    measure: str  # "research" (of research + inference) or "rd" (R&D of R&D + inference)
    value: float
    preset: str  # the single-lab preset it starts from, or the market's lab
    when: str  # "first" (first chosen step), "year" (mean of the year's steps), "end"
    market: bool = False  # the lab's best reply in the end-2025 market, not a price-taker's

    @property
    def kind(self) -> str:
        o = self.observation
        if self.market:
            return ("best reply in the end-2025 market (the others at their base-year "
                    "splits, the market re-solved around the reply; the input set for this lab "
                    f"alone): its first chosen step (Q1 2026) against the observed {o.period} "
                    "split")
        start = f"price-taker from its end-2024 state ({self.preset})"
        if self.when == "first":
            return (f"{start}: its first chosen step (Q1 2025) keeps the observed {o.period} "
                    "split")
        if self.when == "end":
            return f"{start}: its split in the last step of {o.year}"
        return f"{start}: its split over {o.year} (mean of the year's steps)"


def _skip_reason(o: Observation) -> str | None:
    """Why an observation reveals nothing here (None: usable)."""
    nan = math.isnan
    if o.lab == "deepseek":
        return ("not a lab the model has (its presets are one training cluster and one serving "
                "fleet), and the row gives one use's share alone")
    if nan(o.research_share) and nan(o.rd_share):
        return ("one final run's GPUs only: no research or all-R&D share, and no inference "
                "share")
    if o.year < BASE_YEAR:
        return (f"all of {'Google' if o.lab == 'google' else 'Facebook'}'s ML, not the "
                "frontier lab the model has, years before any base year it starts from")
    if nan(o.inference_share):
        why = "a floor on R&D with no inference share beside it: the split is not observed"
        if o.lab == "meta":
            return why + ("; and the meta-2024 preset serves no inference (Meta sells none), "
                          "so research is all of its pool whatever it believes")
        return why + "; and the model has no end-2024 state of the lab to solve from"
    if o.lab not in PRESETS:
        return "the model has no end-2024 state of the lab to solve from"
    return None


def _target(index: int, o: Observation) -> Target:
    if not math.isnan(o.research_share):
        measure, value = "research", o.research_share / (o.research_share + o.inference_share)
    else:
        measure, value = "rd", o.rd_share / (o.rd_share + o.inference_share)
    when = ("first" if o.year == BASE_YEAR else "end" if o.period.startswith("end-")
            else "year")
    return Target(index, o, measure, value, PRESETS[o.lab], when)


def targets(panel: Sequence[Observation] = PANEL) -> tuple[list[Target], list[tuple]]:
    """(usable targets, [(1-based index, observation, why skipped)]): a 2025 observation twice,
    as the price-taker's and as the market's best reply."""
    used, skipped = [], []
    for i, o in enumerate(panel, start=1):
        why = _skip_reason(o)
        if why is None:
            used.append(_target(i, o))
            if o.year == MARKET_YEAR and o.lab in MARKET_LABS:
                used.append(dataclasses.replace(used[-1], preset=o.lab, when="first",
                                                market=True))
        else:
            skipped.append((i, o, why))
    return used, skipped


def sweep_settings(preset: str, sweep: Sweep, x: float):
    """The preset under `sweep`'s scenario, value-maximising, its input at grid point `x`."""
    return scenario_settings(preset, sweep.scenario, None, {
        "allocation_policy": VALUE_MAXIMISING, sweep.input: sweep.value(x)})


def realised(settings: Sequence, years: int = YEARS, step: str = STEP) -> list[dict]:
    """Each settings' value-maximising solve (all in lockstep), as its realised rows: year and
    the research, final-run and inference shares (n,)."""
    return _rows(in_lockstep([lambda evaluate, s=s: choose_path(s, years, step,
                                                                evaluate=evaluate)
                              for s in settings]), years, step)


ROWS = ("year", "share_research", "share_training", "share_inference")  # a solve's, realised


def _rows(solved: Sequence, years: int, step: str) -> list[dict]:
    n, dt = steps_for(years, step)
    return [{k: np.ravel(v) for k, v in run_arrays({**s.values, **s.paths, "step_years": dt}, n,
                                                    keep=ROWS).items()}
            for s in solved]


@lru_cache(maxsize=4)
def base_market(scenario: str, years: int = YEARS, step: str = STEP) -> Market:
    """The end-2025 market with every lab at its base-year split (the paths the others keep
    while one lab replies)."""
    return equilibrium(_base_lanes(scenario, years, step), [lab.name for lab in MARKET], years,
                       step)


def _base_lanes(scenario: str, years: int, step: str) -> list:
    n, _ = steps_for(years, step)
    lanes = [choosing(lab_settings(lab, scenario)) for lab in MARKET]
    return [dataclasses.replace(s, paths=_fixed_paths(s, n)) for s in lanes]


def replies(lab: str, sweep: Sweep, xs: Sequence[float], years: int = YEARS,
            step: str = STEP) -> tuple[list[dict], tuple[int, int]]:
    """Lab `lab`'s best reply to the base market under `sweep`'s scenario, with `sweep`'s input
    at each of `xs` for it alone (all in lockstep), as realised rows: the optimiser's global
    screen with the market held (model.market.nash.best_response), then a climb from it with
    the market re-solved around every candidate, as the equilibrium's check values a lab's
    reply (model.market.resolved), its rows those of the market re-solved around it; and
    (market runs, runs that did not clear): rows read from an uncleared market are no
    market's reply."""
    m = base_market(sweep.scenario, years, step)
    j = m.labs.index(lab)
    n, dt = steps_for(years, step)
    lanes = [choosing(lab_settings(LABS[lab], sweep.scenario, {sweep.input: sweep.value(x)}))
             for x in xs]
    lanes = [dataclasses.replace(s, paths=_fixed_paths(s, n)) for s in lanes]
    held = in_lockstep([lambda evaluate, s=s: best_response(s, m, j, years, step,
                                                            evaluate=evaluate)[0]
                        for s in lanes])
    others = _base_lanes(sweep.scenario, years, step)

    runs = []

    def market_run():
        runs.append(resolved(others, [o.paths for o in others], m.labs, years, step, m,
                             labs=[j] * len(held)))
        return runs[-1]

    coupling = lab_coupling(m, j)
    climbed = in_lockstep([lambda evaluate, r=r: choose_path(
        dataclasses.replace(r, values={**r.values, **coupling}, paths={}), years, step,
        start=r.paths, local=True, evaluate=evaluate, limits=RESOLVED) for r in held],
        run=market_run())
    def realised_rows(r):
        return lambda evaluate: evaluate({**r.values, **r.paths, "step_years": dt}, n,
                                         keep=ROWS)
    rows = [{k: np.ravel(v) for k, v in rows.items()}
            for rows in in_lockstep([realised_rows(r) for r in climbed], run=market_run())]
    return rows, (sum(r.runs for r in runs), sum(r.unsettled for r in runs))


def fraction(rows: dict, measure: str) -> np.ndarray:
    """(n,) research of research + inference, or R&D of R&D + inference."""
    research = rows["share_research"] + (rows["share_training"] if measure == "rd" else 0)
    pool = research + rows["share_inference"]
    return np.where(pool > 0, research / np.where(pool > 0, pool, 1), np.nan)


def model_value(rows: dict, target: Target) -> float:
    """The model's fraction where `target` reads it."""
    f, years = fraction(rows, target.measure), rows["year"]
    if target.when == "first":
        return float(f[1])
    y = target.observation.year
    inside = (years >= y - 1e-9) & (years < y + 1 - 1e-9)
    if not inside.any():
        raise InputError(f"{target.observation.lab} {target.observation.period}: the run has "
                         f"no step in {y}")
    return float(f[inside][-1] if target.when == "end" else f[inside].mean())


def _runs(points: list[tuple[float, float]], fits) -> list[tuple[float, float]]:
    """(first, last) x of each run of consecutive fitting points."""
    out, start = [], None
    for k, (x, _) in enumerate(points):
        if fits(k) and start is None:
            start = x
        if start is not None and (k == len(points) - 1 or not fits(k + 1)):
            out.append((start, x))
            start = None
    return out


def reveal_lab(preset: str, chosen: Sequence[Target], sweep: Sweep, grid: int | None = None,
               bisections: int | None = None, tolerance: float = TOLERANCE,
               years: int = YEARS, step: str = STEP) -> list[dict]:
    """One record per target (all starting from `preset`: a single-lab preset, or a market
    lab's name where the targets are market ones): the ranges of `sweep`'s input under
    which its observed fraction is the model's within `tolerance`, and the solved points
    (`grid` values, then `bisections` rounds: GRID and BISECTIONS by default)."""
    began = time.perf_counter()
    grid = GRID if grid is None else grid
    bisections = BISECTIONS if bisections is None else bisections
    solved: dict[float, dict] = {}
    markets = [0, 0]  # market runs re-solved, and those that did not clear

    def solve(xs):
        xs = [x for x in dict.fromkeys(xs) if x not in solved]
        if not xs:
            return
        if chosen[0].market:
            found, (runs, uncleared) = replies(preset, sweep, xs, years, step)
            markets[0] += runs
            markets[1] += uncleared
        else:
            found = realised([sweep_settings(preset, sweep, x) for x in xs], years, step)
        solved.update(zip(xs, found, strict=True))

    solve(list(sweep.grid(grid)))
    for _ in range(bisections):
        mids = []
        for t in chosen:
            xs = sorted(solved)
            diff = [model_value(solved[x], t) - t.value for x in xs]
            for k in range(len(xs) - 1):
                a, b = diff[k], diff[k + 1]
                if ((abs(a) <= tolerance) != (abs(b) <= tolerance)
                        or min(a, b) < -tolerance < tolerance < max(a, b)):
                    mids.append((xs[k] + xs[k + 1]) / 2)
        solve(mids)
    seconds = time.perf_counter() - began
    out = []
    for t in chosen:
        xs = sorted(solved)
        points = [(x, model_value(solved[x], t)) for x in xs]
        fits = [abs(v - t.value) <= tolerance for _, v in points]
        ranges = _runs(points, fits.__getitem__)
        out.append({
            "ranges": [sorted((sweep.value(a), sweep.value(b))) for a, b in ranges],
            "points": [[sweep.value(x), v] for x, v in points],
            **({"market_runs": markets[0], "uncleared_runs": markets[1]}
               if chosen[0].market else {}),
            "seconds": round(seconds / len(chosen), 2)})
    return out


def reveal(lab: str | None = None, year: int | None = None, panel=PANEL, sweeps=SWEEPS,
           **kw) -> dict:
    """Every usable target of `lab` (all labs if None) in `year` (all if None), revealed under
    each of `sweeps`; with the skipped observations of the same selection and why."""
    began = time.perf_counter()
    used, skipped = targets(panel)
    pick = [t for t in used if (lab is None or t.observation.lab == lab)
            and (year is None or t.observation.year == year)]
    records = {(t.index, t.market): _record(t) for t in pick}
    for sweep in sweeps.values():
        for start in dict.fromkeys((t.preset, t.market) for t in pick):
            mine = [t for t in pick if (t.preset, t.market) == start]
            for t, r in zip(mine, reveal_lab(start[0], mine, sweep, **kw), strict=True):
                records[(t.index, t.market)]["sweeps"][sweep.key] = {
                    "input": sweep.input, "scenario": sweep.scenario,
                    "bounds": list(sweep.bounds), **r}
    return {"tolerance": kw.get("tolerance", TOLERANCE), "tolerance_why": TOLERANCE_WHY,
            "years": kw.get("years", YEARS), "step": kw.get("step", STEP),
            "sweeps": {s.key: {"input": s.input, "scenario": s.scenario, "label": s.label,
                               "bounds": list(s.bounds)} for s in sweeps.values()},
            "rows": list(records.values()),
            "skipped": [{"index": i, "lab": o.lab, "period": o.period, "measure": o.measure,
                         "why": why} for i, o, why in skipped
                        if (lab is None or o.lab == lab) and (year is None or o.year == year)],
            "seconds": round(time.perf_counter() - began, 1)}


def _record(t: Target) -> dict:
    o = t.observation
    return {"index": t.index, "lab": o.lab, "year": o.year, "period": o.period,
            "measure": o.measure, "compared": t.measure, "observed": t.value,
            "best_response": "market" if t.market else "price-taker", "when": t.when,
            "kind": t.kind,
            "scope": o.scope, "sweeps": {}}


def check_selection(lab: str | None, year: int | None, panel=PANEL) -> None:
    """InputError unless `lab` is in the panel and has observations in `year`."""
    labs = tuple(dict.fromkeys(o.lab for o in panel))
    if lab is not None and lab not in labs:
        raise InputError(f"--lab {quoted(lab)}: expected one of {', '.join(labs)}")
    if year is not None:
        years = sorted({o.year for o in panel if lab is None or o.lab == lab})
        if year not in years:
            raise InputError(f"--year {year}: {lab or 'the panel'} has observations in "
                             f"{', '.join(map(str, years))}")
