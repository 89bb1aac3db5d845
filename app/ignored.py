"""The page's word on inputs that change nothing: for each input the user changed, which parts of
the page do not read it under their choices (model.core.ignored: from the equations, not a list),
as one caption beside the inputs; and on the Market tab, which reads none of them.
"""

from __future__ import annotations

from collections.abc import Sequence

from model.core.catalogue import CATALOGUE
from model.core.equations import BUDGET_OUTPUTS, TRAINING_OUTPUTS
from model.core.errors import InputError
from model.core.ignored import fleet_year_reach, ignored
from model.loop.projection import steps_for
from model.loop.reach import projection_reach
from model.market.fields import FIELDS

from .compute import Context, scenario_settings
from .inputs import CUSTOM

PROJECTION_TABS = "the projection tabs"


def _parts(ctx: Context, chosen: Sequence[str]) -> dict:
    """Each part of the page and what it reads: the Budget and Training run tabs read the
    sidebar's values, the projection tabs every chosen scenario's projection."""
    values = scenario_settings(ctx, CUSTOM).values
    n = steps_for(ctx.years, ctx.step)[0]
    runs = []
    for scenario in chosen or [CUSTOM]:
        try:
            runs.append(projection_reach(scenario_settings(ctx, scenario).values, n))
        except InputError:  # the projection tabs say why it does not run
            continue
    return {"Budget": fleet_year_reach(values, BUDGET_OUTPUTS),
            "Training run": fleet_year_reach(values, TRAINING_OUTPUTS),
            PROJECTION_TABS: lambda free: frozenset().union(*(r(free) for r in runs))}


def _listed(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def ignored_captions(ctx: Context, chosen: Sequence[str]) -> list[str]:
    """One caption per changed input that some part of the page does not read, naming the
    parts and the choices that make it so (none where the page reads every changed input)."""
    names = [n for n, _ in ctx.overrides]
    if not names:
        return []
    settings = scenario_settings(ctx, CUSTOM)
    found = {part: ignored(names, reach) for part, reach in _parts(ctx, chosen).items()}
    captions = []
    for name in names:
        parts = [p for p, f in found.items() if name in f]
        if not parts:
            continue
        reasons = dict.fromkeys(c for p in parts for c in found[p][name])
        why = ("with " + _listed([f"`{c}` {settings.text(c)}" for c in reasons]) + " "
               if reasons else "")
        captions.append(f"{CATALOGUE[name].label} (`{name}`): your value changes nothing "
                        f"{_where(parts, len(found))}; {why}nothing there reads it.")
    return captions


def _where(parts: Sequence[str], every: int) -> str:
    """'on this page', or e.g. 'on the Budget and Training run tabs'."""
    if len(parts) == every:
        return "on this page"
    tabs = [p for p in parts if p != PROJECTION_TABS]
    named = [f"the {_listed(tabs)} tab{'s' if len(tabs) > 1 else ''}"] if tabs else []
    return "on " + _listed(named + ([PROJECTION_TABS] if PROJECTION_TABS in parts else []))


def market_caption(ctx: Context) -> str | None:
    """The Market tab's word on the changed sidebar inputs: it runs the market's own labs under
    the chosen scenario (compute.market_view and market_nash_view take the scenario, years and
    step, no input), so each changed input changes nothing there; those a lab states itself
    (model.market.fields) can be set per lab on the command line. None without changes."""
    names = [n for n, _ in ctx.overrides]
    if not names:
        return None
    labelled = [f"{CATALOGUE[n].label} (`{n}`)" for n in names]
    per_lab = [f"`{n}`" for n in names if n in FIELDS]
    how = (f"; {_listed(per_lab)} can be set per lab with `python -m model market --set "
           "LAB.FIELD=VALUE`" if per_lab else "")
    return (f"Your {_listed(labelled)} change{'s' if len(names) == 1 else ''} nothing here: "
            "the market runs its own labs, each with its own values and the catalogue's for "
            f"the rest, under the scenario{how}.")
