"""The seed's question, asked of the market: under each scenario, does research's share of the
labs' compute fall relative to inference as their fleets grow, in equilibrium and under one
owner, and how much research does the race add?

The observable is the market's research-to-inference ratio (research GPUs over inference GPUs,
summed over the labs) from the first step after the base year to the last, and whether research
rises or falls relative to inference is the tool's one test (model.core.trend) on research's
share of research + inference, ratio / (1 + ratio), over those steps; the race is the
equilibrium's research share of the market's fleet less the joint optimum's, averaged over those
steps (points of the fleet). The rounds run twice, from the labs' base-year splits and from
each lab's price-taker path, since a game can have more than one equilibrium. The labs choose
over LOOKAHEAD years beyond the steps read (model.market.presets), which are the first of that
longer game, so that the horizon's end does not cut their research in the years read. `make docs`
writes the answers to docs/market_answer.json and the README's table from it
(model.report.market_doc); tests re-solve one scenario against the file.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from model.core.trend import direction
from model.core.trend import ends_lower as _ends_lower
from model.loop.scenario_list import SCENARIOS

from .nash import Nash, nash
from .outcome import Outcome, price_taker_start, reported, solve
from .presets import LOOKAHEAD
from .single_lab import lab_settings
from .world import MARKET

# Five years on from the base year, at yearly steps: six labs' replies for up to MAX_ROUNDS
# rounds, for each of six scenarios, is what `make docs` can afford
YEARS, STEP = 6, "year"
ANSWER_FILE = Path(__file__).resolve().parents[2] / "docs" / "market_answer.json"
# The same answer at quarterly steps, which yearly market steps only summarise (docs/MODEL.md,
# "The market's steps"): `make answer-quarter` (about six minutes on two cores), not `make docs`
QUARTER_FILE = ANSWER_FILE.with_name("market_answer_quarter.json")


def solved_years(years: int, lookahead: int = LOOKAHEAD) -> int:
    """Years the labs choose over when `years` of them are read."""
    return years + lookahead


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


def _other(nash: Nash, other: Nash, years: int, step: str) -> dict:
    """The rounds from the price-takers' paths: their verdict, and how far their paths end
    from `nash`'s (the largest gap in a lab's research share of its fleet, over the steps
    read)."""
    rows = reported(other.market.rows, years, step)
    ratio, share = research_ratio(rows), _share(rows)
    mine = reported(nash.market.rows, years, step)
    gap = np.abs(rows["share_research"] - mine["share_research"])[1:]
    return {"converged": bool(other.converged),
            "max_deviation_gain": float(other.max_deviation_gain),
            "ratio_first": float(ratio[1]), "ratio_last": float(ratio[-1]),
            "share_first": float(share[1]), "share_last": float(share[-1]),
            "ratio": [float(r) for r in ratio], "trend": trend(ratio),
            "largest_gap": float(np.max(gap))}


def summary(scenario: str, out: Outcome, other: Nash | None = None, years: int = YEARS,
            step: str = STEP) -> dict:
    """The answer for one scenario over the first `years` (the steps read of a longer solve),
    as plain JSON values; `other`: the rounds from the price-takers' paths (key
    `from_price_takers`)."""
    eq = reported(out.nash.market.rows, years, step)
    planner = reported(out.joint.market.rows, years, step)
    calendar = eq["year"][:, 0]
    record = {"scenario": scenario, "first_year": float(calendar[1]),
              "last_year": float(calendar[-1]),
              "converged": bool(out.nash.converged),
              "max_deviation_gain": float(out.nash.max_deviation_gain)}
    for name, rows in (("equilibrium", eq), ("joint", planner)):
        ratio, share = research_ratio(rows), _share(rows)
        record |= {f"{name}_ratio_first": float(ratio[1]), f"{name}_ratio_last": float(ratio[-1]),
                   f"{name}_share_first": float(share[1]), f"{name}_share_last": float(share[-1]),
                   f"{name}_ratio": [float(r) for r in ratio], f"{name}_trend": trend(ratio)}
    record["fleet_growth"] = float(eq["fleet_gpus"][-1].sum() / eq["fleet_gpus"][1].sum())
    record["race"] = float(np.mean(_share(eq)[1:] - _share(planner)[1:]))
    if other is not None:
        record["from_price_takers"] = _other(out.nash, other, years, step)
    return record


def answer(scenario: str, years: int = YEARS, step: str = STEP) -> dict:
    """The answer for one scenario of the end-2025 market: the rounds from the base-year
    splits, and again from each lab's price-taker path (a game may have more than one
    equilibrium, and where the rounds start decides which they find), solved LOOKAHEAD years
    beyond the `years` read."""
    out = solve(scenario=scenario, years=solved_years(years), step=step)
    settings = [lab_settings(lab, scenario) for lab in MARKET]
    other = nash(settings, [lab.name for lab in MARKET], solved_years(years), step,
                 start=price_taker_start(out))
    return summary(scenario, out, other, years, step)


def answers(years: int = YEARS, step: str = STEP) -> list[dict]:
    """The answer for every scenario, for the end-2025 market."""
    return [answer(s, years, step) for s in SCENARIOS]


def write(records: list[dict], path: Path = ANSWER_FILE, step: str = STEP) -> None:
    """The answers `records`, solved at `step` steps, to `path` (JSON)."""
    path.write_text(json.dumps({"years": YEARS, "lookahead": LOOKAHEAD, "step": step,
                                "scenarios": records}, indent=1) + "\n")


def read(path: Path = ANSWER_FILE) -> list[dict]:
    return json.loads(path.read_text())["scenarios"]


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Solve the market's answer for every scenario "
                                     "and write it as JSON.")
    parser.add_argument("--step", choices=("year", "quarter", "month"), default=STEP)
    parser.add_argument("--out", type=Path, default=None,
                        help="default: docs/market_answer.json for years, "
                             "docs/market_answer_quarter.json for quarters")
    args = parser.parse_args()
    if args.out is None and args.step == "month":
        parser.error("--out: give a file for monthly steps (no file in docs/ holds them)")
    default = ANSWER_FILE if args.step == STEP else QUARTER_FILE
    write(answers(step=args.step), args.out or default, args.step)
