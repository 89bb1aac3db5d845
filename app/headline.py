"""The first screen's words and frames: research against inference, per scenario (pure).

One sentence per scenario, generated from its projection: where each share starts and ends,
which wins the fleet by the horizon, and what binds the lab along the way.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from model.report.formats import calendar_year, money, texts

from .charts import CONSTRAINTS

BUDGETS = {"budget_research": "research", "budget_inference": "inference"}
SHARES = {"share_research": "research", "share_inference": "inference"}


def _binds(df: pd.DataFrame) -> str:
    """'what binds: capital in 6 of 10 steps, chip supply in 4' ('nothing binds' in the open
    loop)."""
    counts = df["binding_constraint"].round().astype(int).value_counts()
    named = [(CONSTRAINTS[int(code)], int(n))
             for code, n in counts.sort_values(ascending=False).items() if code != 0]
    if not named:
        return "nothing in the economy binds (the open loop)"
    first, *rest = named
    text = f"what binds: {first[0]} in {first[1]} of {len(df)} steps"
    return text + "".join(f", {name} in {n}" for name, n in rest)


def sentence(df: pd.DataFrame) -> str:
    """What the projection says about research and inference, in one sentence."""
    start, end = df.iloc[0], df.iloc[-1]
    r0, r1, i0, i1 = (float(x) for x in (start["share_research"], end["share_research"],
                                         start["share_inference"], end["share_inference"]))
    y0, y1 = calendar_year(start["year"]), calendar_year(end["year"])
    winner = "research" if r1 > i1 else "inference"
    if abs(r1 - i1) < 0.005:
        verdict = "neither wins: they end level"
    elif abs(r1 - r0) < 0.005 and abs(i1 - i0) < 0.005:
        verdict = f"the split holds, {winner} keeping the larger share"
    else:
        verdict = f"{winner} wins the fleet by {y1}"
    r0, r1, i0, i1 = texts("share_research", [r0, r1, i0, i1])
    return (f"research goes from {r0} of the fleet in {y0} to {r1} in {y1}, inference "
            f"from {i0} to {i1}: {verdict} ({money(end['budget_research'], 'USD/year')} "
            f"on research against {money(end['budget_inference'], 'USD/year')} on inference); "
            f"{_binds(df)}.")


def sentences(frames: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    return {name: sentence(df) for name, df in frames.items()}
