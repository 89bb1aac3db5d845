"""One draw solved: the market's open-loop Nash equilibrium and each lab alone as a price-taker,
and whether research's share of the labs' compute falls relative to inference. Both are solved
`lookahead` years beyond the years read (model.market.presets.LOOKAHEAD), so that where the
horizon ends does not decide the split read.

The observable is model.market.answer's: research GPUs over inference GPUs, summed over the
labs, from the first step after the base year to the last (answer.research_ratio), and whether
research rises or falls relative to inference is the tool's one test on it (answer.trend). In
equilibrium the labs' paths are model.market.nash.nash's; as price-takers each lab chooses alone
against the exogenous frontier (model.policy.optimise.choose_path, as model.market.outcome.solve's
`price_takers`), the labs' solves batched as columns of one projection call
(model.loop.lockstep), their fleets then summed. The joint optimum is not
solved: the odds ask about the labs, and it would double a draw's cost.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from model.loop.lockstep import in_lockstep
from model.loop.projection import run_arrays, steps_for
from model.market.answer import LOOKAHEAD, STEP, YEARS, research_ratio, solved_years, trend
from model.market.fields import Lab
from model.market.nash import choosing, nash
from model.market.outcome import reported
from model.policy.optimise import choose_path

from .draws import draw_settings

ROWS = ("gpus_research", "gpus_inference", "fleet_gpus", "year")


@dataclass(frozen=True)
class Spec:
    """What every draw of a run shares: the labs, the horizon read and step, the user's
    overrides, the seed, and the years solved beyond the horizon (model.market.presets'
    LOOKAHEAD). Draws are (Spec, scenario, draw index)."""

    labs: tuple[Lab, ...]
    years: int = YEARS
    step: str = STEP
    overrides: Mapping[str, float | str] = field(default_factory=dict)
    seed: int = 0
    lookahead: int = LOOKAHEAD


def price_takers(settings: Sequence, years: int, step: str) -> dict[str, np.ndarray]:
    """Each lab alone, value-maximising: its rows (n, labs), the labs' solves in lockstep."""
    n, dt = steps_for(years, step)
    chosen = in_lockstep([
        lambda evaluate, s=s: choose_path(choosing(s), years, step, evaluate=evaluate)
        for s in settings])
    runs = [run_arrays({**c.values, **c.paths, "step_years": dt}, n, keep=ROWS) for c in chosen]
    return {r: np.column_stack([np.asarray(run[r], dtype=float).reshape(n, -1)[:, 0]
                                for run in runs]) for r in ROWS}


def _path(ratio: np.ndarray) -> dict:
    """The trend (answer.trend: 'falls', 'rises', ...), and the log change from the first step
    after the base year to the last."""
    first, last = float(ratio[1]), float(ratio[-1])
    change = float(np.log(last / first)) if first > 0 and last > 0 else float("nan")
    return {"trend": trend(ratio), "log_change": change}


def solve_draw(spec: Spec, scenario: str, draw: int) -> dict:
    """One draw's record: its key (scenario, draw, seed), its inputs ('in:' + name), the
    equilibrium's and the price-takers' ratio path ('eq_ratio_<year>', 'pt_ratio_<year>'),
    each one's trend and log change, and the equilibrium's convergence and seconds."""
    began = time.perf_counter()
    settings, inputs = draw_settings(spec.labs, scenario, spec.overrides, spec.seed, draw)
    names = [lab.name for lab in spec.labs]
    solved = solved_years(spec.years, spec.lookahead)
    eq = nash(settings, names, solved, spec.step)
    alone = reported(price_takers(settings, solved, spec.step), spec.years, spec.step)
    eq_rows = reported(eq.market.rows, spec.years, spec.step)
    years = eq_rows["year"][:, 0]
    record: dict = {"scenario": scenario, "draw": int(draw), "seed": int(spec.seed)}
    for tag, rows in (("eq", eq_rows), ("pt", alone)):
        ratio = research_ratio(rows)
        path = _path(ratio)
        record |= {f"{tag}_trend": path["trend"], f"{tag}_log_change": path["log_change"]}
        record |= {f"{tag}_ratio_{y:g}": float(r) for y, r in zip(years, ratio, strict=True)}
    record |= {"eq_converged": bool(eq.converged), "eq_cleared": bool(eq.cleared),
               "eq_max_deviation_gain": float(eq.max_deviation_gain),
               "seconds": time.perf_counter() - began}
    record |= {f"in:{k}": float(v) for k, v in inputs.items()}
    return record
