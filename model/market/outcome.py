"""What the market's labs choose, three ways: in equilibrium with each other (open-loop Nash), as
one owner of them all (the joint optimum), and each alone as a price-taker against the
exogenous frontier (the single-lab model); the race is Nash's research share less the joint's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.loop.projection import frame_paths
from model.loop.steps import DEFAULT_STEP, steps_for
from model.policy.paths import project

from .engine import Market, frame
from .fields import Lab
from .joint import Joint, joint
from .nash import Nash, choosing, nash
from .presets import LOOKAHEAD
from .single_lab import lab_settings
from .world import MARKET


@dataclass(frozen=True)
class Outcome:
    """The three answers for one market and scenario."""

    nash: Nash
    joint: Joint | None
    price_takers: tuple[pd.DataFrame, ...]  # each lab alone, value-maximising: its projection
    beyond: int = 0  # years solved beyond those shown (solve_shown)
    chosen_npv: float | None = None  # USD: the equilibrium's summed NPV over the years chosen

    @property
    def labs(self) -> tuple[str, ...]:
        return self.nash.market.labs

    def summed_npv(self) -> float:
        """The equilibrium's summed NPV (USD) over the years the labs chose, which the joint
        optimum's `npv` is comparable with (more than the years shown under solve_shown)."""
        if self.chosen_npv is not None:
            return self.chosen_npv
        return float(self.nash.market.rows["npv"][-1].sum())

    def race(self) -> np.ndarray:
        """(n, labs) Nash research share less the joint optimum's (share of the fleet)."""
        return self.nash.market.rows["share_research"] - self.joint.market.rows["share_research"]

    def frame(self) -> pd.DataFrame:
        """One row per lab and step: the Nash market's (model.market.engine.frame), then
        share_research_joint, share_research_price_taker and race."""
        out = frame(self.nash.market)
        extra = {"share_research_price_taker": np.concatenate(
            [p["share_research"].to_numpy() for p in self.price_takers])}
        if self.joint is not None:
            extra = {"share_research_joint": frame(self.joint.market)["share_research"],
                     **extra, "race": self.race().T.ravel()}
        return out.assign(**extra)


def price_taker_start(out: Outcome) -> list[dict[str, np.ndarray]]:
    """Each lab's shares as a price-taker (its projection's), as chosen paths: where the
    rounds start to look for another equilibrium."""
    return [frame_paths(df) for df in out.price_takers]


def solve(labs: Sequence[Lab] = MARKET, scenario: str | None = None,
          overrides: dict | None = None, years: int = 10, step: str = DEFAULT_STEP,
          with_joint: bool = True) -> Outcome:
    """Nash, joint (unless `with_joint` is False) and price-takers for `labs` under
    `scenario`."""
    settings = [lab_settings(lab, scenario, overrides) for lab in labs]
    names = [lab.name for lab in labs]
    equilibrium = nash(settings, names, years, step)
    planner = (joint([choosing(s) for s in settings], names, equilibrium.paths,
                     equilibrium.market, years, step) if with_joint else None)
    alone = tuple(project(choosing(s), years, step) for s in settings)
    return Outcome(equilibrium, planner, alone)


def solve_shown(labs: Sequence[Lab] = MARKET, scenario: str | None = None,
                overrides: dict | None = None, years: int = 10, step: str = DEFAULT_STEP,
                with_joint: bool = True, lookahead: int = LOOKAHEAD,
                limit: int | None = None) -> Outcome:
    """`solve` over `lookahead` years beyond `years` (as many of them as keep labs x steps
    within `limit`), shown for the first `years` (`shown`): the labs' choices there, with the
    horizon's end beyond them (model.market.presets.LOOKAHEAD)."""
    n = steps_for(years, step)[0]
    beyond = fitting(len(labs), years, step, lookahead, limit)
    if beyond == 0 or steps_for(years + beyond, step)[0] == n:
        return solve(labs, scenario, overrides, years, step, with_joint)
    out = shown(solve(labs, scenario, overrides, years + beyond, step, with_joint), years, step)
    return dataclasses.replace(out, beyond=beyond)


def fitting(labs: int, years: int, step: str, lookahead: int, limit: int | None) -> int:
    """The most of `lookahead` years beyond `years` that keep `labs` x steps within `limit`
    (None: no limit; 0 when not even `years` alone fit)."""
    beyond = lookahead
    while beyond and limit is not None and labs * steps_for(years + beyond, step)[0] > limit:
        beyond -= 1
    return beyond


def reported(rows: dict, years: int, step: str) -> dict:
    """`rows` (n, ...) cut to the steps of `years` from the base year, the ones read: each
    step's numbers depend only on the steps before it."""
    n = steps_for(years, step)[0]
    return {k: v[:n] for k, v in rows.items()}


def _cut(m: Market, years: int, step: str) -> Market:
    """The market's first `years` (reported)."""
    n = steps_for(years, step)[0]
    return dataclasses.replace(m, rows=reported(m.rows, years, step),
                               coupling=tuple(c[:n] for c in m.coupling),
                               customer_share=m.customer_share[:n],
                               choice_share=m.choice_share[:n])


def shown(out: Outcome, years: int, step: str) -> Outcome:
    """`out` for the first `years` of its horizon: the paths, markets and price-takers' rows
    cut there (each lab's NPV at that step, with its terminal value). The equilibrium's
    deviation gains and the joint optimum's NPV stay those of the whole game chosen, and so
    does the equilibrium's summed NPV beside it (Outcome.summed_npv)."""
    n = steps_for(years, step)[0]
    eq = dataclasses.replace(out.nash, market=_cut(out.nash.market, years, step),
                             paths=tuple({k: v[:n] for k, v in p.items()}
                                         for p in out.nash.paths))
    planner = None
    if out.joint is not None:
        market = _cut(out.joint.market, years, step)
        planner = dataclasses.replace(
            out.joint, market=market,
            paths=tuple({k: v[:n] for k, v in p.items()} for p in out.joint.paths))
    alone = tuple(df.iloc[:n].copy() for df in out.price_takers)
    for df, whole in zip(alone, out.price_takers, strict=True):
        df.attrs = dict(whole.attrs)
    return Outcome(eq, planner, alone, out.beyond, out.summed_npv())
