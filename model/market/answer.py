"""The seed's question, asked of the market: under each scenario, does research's share of the
labs' compute fall relative to inference as their fleets grow, in equilibrium and under one
owner, and how much research does the race add?

The observable is the market's research-to-inference ratio (research GPUs over inference GPUs,
summed over the labs) from the first step after the base year to the last, and whether research
rises or falls relative to inference is the tool's one test (model.core.trend) on research's
share of research + inference, ratio / (1 + ratio), over those steps; the race is the
equilibrium's research share of the market's fleet less the joint optimum's, averaged over those
steps (points of the fleet). `make docs` writes the answers to docs/market_answer.json and the
README's table from it (model.report.market_doc); tests re-solve one scenario against the file.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from model.core.trend import direction
from model.core.trend import ends_lower as _ends_lower
from model.loop.scenario_list import SCENARIOS

from .outcome import Outcome, solve

# Five years on from the base year, at yearly steps: six labs' replies for up to MAX_ROUNDS
# rounds, for each of six scenarios, is what `make docs` can afford
YEARS, STEP = 6, "year"
ANSWER_FILE = Path(__file__).resolve().parents[2] / "docs" / "market_answer.json"


def research_ratio(rows: dict) -> np.ndarray:
    """(n,) research GPUs over inference GPUs, summed over the labs (rows (n, labs))."""
    return rows["gpus_research"].sum(axis=1) / rows["gpus_inference"].sum(axis=1)


def _shares_after(ratio) -> list[float]:
    """Research's share of research + inference, ratio / (1 + ratio), from the first step after
    the base year: what both tests read."""
    return [float(r / (1 + r)) for r in np.asarray(ratio, dtype=float)[1:]]


def trend(ratio) -> str:
    """'falls', 'rises', ... (model.core.trend.direction) of _shares_after(ratio)."""
    return direction(_shares_after(ratio))


def ends_lower(ratio) -> bool:
    """Whether _shares_after(ratio) ends more than a point below where it began
    (model.core.trend.ends_lower): the net move."""
    return _ends_lower(_shares_after(ratio))


def _share(rows: dict) -> np.ndarray:
    """(n,) research's share of the labs' summed fleet."""
    return rows["gpus_research"].sum(axis=1) / rows["fleet_gpus"].sum(axis=1)


def summary(scenario: str, out: Outcome) -> dict:
    """The answer for one scenario, as plain JSON values."""
    eq, planner = out.nash.market.rows, out.joint.market.rows
    years = eq["year"][:, 0]
    record = {"scenario": scenario, "first_year": float(years[1]), "last_year": float(years[-1]),
              "converged": bool(out.nash.converged),
              "max_deviation_gain": float(out.nash.max_deviation_gain)}
    for name, rows in (("equilibrium", eq), ("joint", planner)):
        ratio, share = research_ratio(rows), _share(rows)
        record |= {f"{name}_ratio_first": float(ratio[1]), f"{name}_ratio_last": float(ratio[-1]),
                   f"{name}_share_first": float(share[1]), f"{name}_share_last": float(share[-1]),
                   f"{name}_ratio": [float(r) for r in ratio], f"{name}_trend": trend(ratio)}
    record["fleet_growth"] = float(eq["fleet_gpus"][-1].sum() / eq["fleet_gpus"][1].sum())
    record["race"] = float(np.mean(_share(eq)[1:] - _share(planner)[1:]))
    return record


def answers(years: int = YEARS, step: str = STEP) -> list[dict]:
    """The answer for every scenario, for the end-2025 market."""
    return [summary(s, solve(scenario=s, years=years, step=step)) for s in SCENARIOS]


def write(records: list[dict], path: Path = ANSWER_FILE) -> None:
    path.write_text(json.dumps({"years": YEARS, "step": STEP, "scenarios": records}, indent=1)
                    + "\n")


def read(path: Path = ANSWER_FILE) -> list[dict]:
    return json.loads(path.read_text())["scenarios"]
