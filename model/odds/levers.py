"""What it would take for the single-lab backtest to land: its readings in band with one
departure from a sourced default at a time, and with all of them together.

Each departure stands for what 2025-26 turned out to be where a default, set from sources up to
the base year, said otherwise, one for each cause of the misses docs/MODEL.md names (revenue:
the premium against the exogenous frontier; compute: the labs' 2024 share of the world's chips;
rent: its falling path; Meta: a budget flat after its guidance year). None is a default, and
none may become one: chosen after seeing the backtest, a departure is tuning, and the count it
lands describes how far the defaults are from 2025-26, not a better model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import pandas as pd

from model.core.resolve import resolve
from model.core.sources import cite
from model.loop import backtest as lab_backtest
from model.loop.scenarios import scenario_settings
from model.loop.steps import STEPS
from model.market.labs import FLEET_2024, FLEET_2025, PRODUCTION_2025

EVERY = "*"  # a departure's overrides for every preset


@dataclass(frozen=True)
class Lever:
    """A departure from the defaults: `overrides` by preset (EVERY: all of them), and what it
    stands for, cited."""

    name: str
    overrides: Mapping[str, Mapping[str, float]]
    why: str


def _share(lab: str) -> float:
    """The lab's share of 2025's chip production: what it added over what was made (H100e)."""
    return (FLEET_2025[lab] - FLEET_2024[lab]) / PRODUCTION_2025


_SHARES = {lab: _share(lab) for lab in ("openai", "anthropic")}
_SHARES_2024 = {lab: resolve(f"{lab}-2024").values["lab_supply_share"] for lab in _SHARES}
LEVERS = (
    Lever("no capability premium", {EVERY: {"capability_price_elasticity": 0.0}},
          "capability_price_elasticity 0: each lab priced as keeping pace with the exogenous "
          "frontier, which in 2025 the frontier labs were"),
    Lever("the labs' 2025 chip shares",
          {f"{lab}-2024": {"lab_supply_share": share} for lab, share in _SHARES.items()},
          "lab_supply_share " + ", ".join(f"{lab} {share:.3f}" for lab, share in _SHARES.items())
          + ": " + cite("epoch-lab-compute", "what each added in 2025") + " of "
          + cite("epoch-chips", f"the {PRODUCTION_2025:,.0f} H100e made in 2025")
          + ", against 2024's " + ", ".join(f"{share:.3f}" for share in _SHARES_2024.values())),
    Lever("no rent decline", {EVERY: {"rental_price_decline": 0.0}},
          "rental_price_decline 0: " + cite("semianalysis-rental", "1-year H100 rents rose 40% "
                                            "from October 2025 to March 2026")),
    Lever("Meta's budget grows a second year", {"meta-2024": {"financing_growth_years": 2.0}},
          "financing_growth_years 2: " + cite("capex-2025-26", "Meta guided 2026 capex to "
                                              "$115-135B, above 2025's $72.2B")),
)


def together(levers: Sequence[Lever] = LEVERS) -> Lever:
    """All of `levers` at once (no two set the same input of the same preset)."""
    merged: dict[str, dict[str, float]] = {}
    for lever in levers:
        for preset, values in lever.overrides.items():
            merged.setdefault(preset, {}).update(values)
    return Lever("all of them together", merged, "; ".join(lv.name for lv in levers))


NONE = Lever("none (the defaults)", {}, "the backtest as it stands")


def departed(item: lab_backtest.Observable, lever: Lever) -> lab_backtest.Observable:
    """`item` run with `lever`'s overrides for its preset over its own."""
    extra = {**lever.overrides.get(EVERY, {}), **lever.overrides.get(item.preset, {})}
    return replace(item, overrides={**item.overrides, **extra})


def with_sets(sets: Mapping[str, str], observables=lab_backtest.OBSERVABLES) -> tuple:
    """The observables with the reader's `sets` (name -> value text) laid over each preset's
    own settings: one departure of the reader's, as `backtest --set` and the app's Backtest tab
    take it. Every preset's settings are checked before any is run (InputError)."""
    items = tuple(departed(o, Lever("--set", {EVERY: dict(sets)}, "")) for o in observables)
    for preset, scenario, names in dict.fromkeys(
            (o.preset, o.scenario, tuple(o.overrides.items())) for o in items):
        scenario_settings(preset, scenario, overrides=dict(names))
    return items


def levers(levers: Sequence[Lever] = (NONE, *LEVERS, together()),
           observables=lab_backtest.OBSERVABLES, steps=tuple(STEPS)) -> pd.DataFrame:
    """One row per departure, step length and observable: its ratio and whether it is in band."""
    frames = []
    for lever in levers:
        table = lab_backtest.backtest(tuple(departed(o, lever) for o in observables), steps)
        frames.append(table.assign(lever=lever.name, why=lever.why)[
            ["lever", "why", "step", "observable", "preset", "ratio", "within"]])
    return pd.concat(frames, ignore_index=True)


def counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Readings in band per departure (rows, in `frame`'s order) and step length (columns)."""
    table = frame.pivot_table(index="lever", columns="step", values="within", aggfunc="sum",
                              sort=False)
    return table[list(dict.fromkeys(frame["step"]))].astype(int)


def summary(frame: pd.DataFrame) -> pd.DataFrame:
    """counts(frame), and per departure the readings each step length has (`readings`) and
    what it stands for (`why`): what the CLI, the docs and the app show."""
    table = counts(frame)
    steps = len(table.columns)
    first = frame.drop_duplicates("lever").set_index("lever")
    return table.assign(readings=frame.groupby("lever", sort=False).size()[table.index] // steps,
                        why=first["why"][table.index])


def markdown(frame: pd.DataFrame) -> str:
    """The departures and their counts as a Markdown table (docs/MODEL.md)."""
    table = summary(frame)
    steps, total = list(table.columns.drop(["readings", "why"])), int(table["readings"].iloc[0])
    out = ["| departure | what it stands for | "
           + " | ".join(f"in band ({s}, of {total})" for s in steps) + " |",
           "|---|---|" + "---|" * len(steps)]
    out += [f"| {name} | {row.why.replace('|', '/')} | "
            + " | ".join(str(row[s]) for s in steps) + " |" for name, row in table.iterrows()]
    return "\n".join(out)
