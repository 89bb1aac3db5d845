"""What the market's labs choose, three ways: in equilibrium with each other (open-loop Nash), as
one owner of them all (the joint optimum), and each alone as a price-taker against the
exogenous frontier (the single-lab model); the race is Nash's research share less the joint's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.loop.projection import frame_paths
from model.loop.steps import DEFAULT_STEP
from model.policy.paths import project

from .engine import frame
from .fields import Lab
from .joint import Joint, joint
from .nash import Nash, choosing, nash
from .single_lab import lab_settings
from .world import MARKET


@dataclass(frozen=True)
class Outcome:
    """The three answers for one market and scenario."""

    nash: Nash
    joint: Joint | None
    price_takers: tuple[pd.DataFrame, ...]  # each lab alone, value-maximising: its projection

    @property
    def labs(self) -> tuple[str, ...]:
        return self.nash.market.labs

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
