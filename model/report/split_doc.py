"""The README's value-split and deciders tables (`make docs`), printed by the display catalogue:
calendar years rather than "year 1", shares to one decimal, money by the one scale rule, and the
rises/falls words of model.core.trend; and the value-maximising optimiser's status line."""

from __future__ import annotations

from model.core.presets import PRESETS
from model.loop.scenarios import SCENARIOS
from model.policy.deciders import deciders_table
from model.policy.value_split import (
    YEARS_SHOWN,
    break_even_multiplier,
    break_even_text,
    value_split_table,
)

from .formats import format_value, money

SHARE = "share_research"


def year_headers(base_year: int) -> list[str]:
    """'research, 2025', '2027', '2029' for a base year of 2024: the calendar years shown."""
    years = [str(base_year + y) for y in YEARS_SHOWN]
    return [f"research, {years[0]}", *years[1:]]


def value_split_markdown(preset: str | None = "ai-2027-lab-2024") -> str:
    """The value-split table for `preset`, then the break-even multiplier per preset."""
    split = value_split_table(preset)
    out = [f"| scenario | {' | '.join(year_headers(split.attrs['base_year']))} | as the fleet "
           "grows | NPV over the best assumed policy |", "|---|---|---|---|---|---|"]
    for r in split.itertuples():
        shares = [format_value(SHARE, getattr(r, f"research_share_year_{y}"))
                  for y in YEARS_SHOWN]
        out.append(f"| `{r.scenario}` | {' | '.join(shares)} | {r.trend} | "
                   f"{money(r.npv_gain)} |")
    out += ["", "| preset | break-even AI R&D multiplier |", "|---|---|"]
    out += [f"| `{p}` | {break_even_text(break_even_multiplier(p))} |" for p in PRESETS]
    return "\n".join(out)


def deciders_markdown(preset: str | None = "ai-2027-lab-2024") -> str:
    """One row an input and end, one column a scenario: the direction and the last share."""
    table = deciders_table(preset)
    out = ["| input at its | " + " | ".join(f"`{s}`" for s in SCENARIOS) + " |",
           "|---|" + "---|" * len(SCENARIOS)]
    for (name, end), group in table.groupby(["input", "end"], sort=False):
        value = format_value(name, float(group["value"].iloc[0]))
        cells = [f"{r.trend}, {format_value(SHARE, r.research_share_year_5)}"
                 for r in group.itertuples()]
        out.append(f"| `{name}` {end} ({value}) | " + " | ".join(cells) + " |")
    return "\n".join(out)


def optimiser_status(solution) -> str:
    """The value-maximising optimiser's one line (model.policy.optimise.Solution), its money by
    the one rule."""
    best = max(solution.assumed, key=solution.assumed.get)
    verdict = "optimal" if solution.success else f"stopped early ({solution.message})"
    return (f"value-maximising path {verdict}: NPV {money(solution.npv)}, "
            f"{money(solution.gain)} over the best assumed policy ({best}); "
            f"{solution.iterations} iterations, {solution.evaluations} batched projections")
