"""One colour per scenario, per use, per lab and per named series: the page's charts and the
workbook's charts take their colours from here, so a colour means one thing on every surface.

Uses, scenarios and labs never share a colour (a reader who learnt "blue is research" on one tab
must not meet a blue scenario on the next). Names are the model's own (`budget_research`,
`share_research` and `research` are all research's colour). Hex as '#RRGGBB' (Vega's form);
`excel` gives openpyxl's 'RRGGBB'.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

from model.core.fleet_inputs import USES
from model.loop.rows import BINDING_CONSTRAINTS
from model.loop.scenario_list import SCENARIOS
from model.market.world import LABS

# The page's "no scenario applied" entry (app.inputs.CUSTOM), listed before the scenarios.
CUSTOM = "custom"

USE_COLOURS = dict(zip(USES, ("#2CA02C", "#1F77B4", "#9467BD", "#FF7F0E", "#7F7F7F"),
                       strict=True))
# In scenario_list's order, the order every text lists them in.
SCENARIO_COLOURS = dict(zip((CUSTOM, *SCENARIOS), (
    "#000000", "#17BECF", "#D62728", "#8C564B", "#E377C2", "#BCBD22", "#393B79"), strict=True))
LAB_COLOURS = dict(zip(LABS, ("#00796B", "#C49A00", "#00BFA5", "#AD1457", "#4A148C",
                              "#F4A582"), strict=True))
# The observed panel names Google the company (its points span DeepMind and the rest).
LAB_ALIASES = {"google": "google-deepmind"}
# Labs a market file or `market --set +NAME=...` adds, which have no colour of their own: each
# takes one of these by its name's CRC-32, so a lab keeps its colour from run to run (Python's
# hash() of a str changes with every process). All are apart from every named colour.
ADDED_LAB_COLOURS = ("#276419", "#F1B6DA", "#67001F", "#B2ABD2", "#7F3B08", "#003C30",
                     "#DDCC77", "#92C5DE")
# Projection columns drawn as series of their own, by the model's column name. They share a
# chart with uses (revenue and capex beside each use's compute cost) or with each other.
SERIES_COLOURS = {
    "ai_rd_multiplier": "#E6AB02", "research_speedup": "#1B9E77",
    "inference_revenue": "#E7298A", "capex": "#A6761D",
    "gross_margin": "#7B4173", "free_cash_flow": "#5254A3", "cumulative_cash": "#A50F15",
    "chip_price_index": "#666666",
}
# The market of labs' two outcomes (the Market tab's chip price index, one line each).
OUTCOME_COLOURS = {"equilibrium": "#2F4B7C", "joint optimum": "#B8860B"}
# How an output moves with an input (the tornado's bars): rises, falls.
DIRECTION_COLOURS = ("#35978F", "#BF812D")
# What binds a step: "none" pale, so that the three limits stand out.
CONSTRAINT_COLOURS = dict(zip(BINDING_CONSTRAINTS, ("#E0E0E0", "#D95F02", "#2166AC",
                                                    "#8CA252"), strict=True))

GROUPS = (USE_COLOURS, SCENARIO_COLOURS, LAB_COLOURS, SERIES_COLOURS, OUTCOME_COLOURS,
          CONSTRAINT_COLOURS)


def colour(name: str) -> str:
    """The colour of a use, scenario, lab, projection column or binding constraint.

    `budget_X` and `share_X` (and `compute cost: X`) take use X's colour: each is that use.
    """
    use = name.removeprefix("budget_").removeprefix("share_").removeprefix("compute cost: ")
    for table in GROUPS:
        if use in table:
            return table[use]
    if name in LAB_ALIASES:
        return LAB_COLOURS[LAB_ALIASES[name]]
    raise KeyError(f"no colour for {name!r}: add it to model.report.palette")


def lab_colour(name: str) -> str:
    """A lab's colour: the model's labs their own, any other lab a fixed one chosen by its
    name (two added labs may share one: the list is short, the labs a user adds are not)."""
    name = LAB_ALIASES.get(name, name)
    if name in LAB_COLOURS:
        return LAB_COLOURS[name]
    key = zlib.crc32(name.encode("utf-8", "surrogatepass"))
    return ADDED_LAB_COLOURS[key % len(ADDED_LAB_COLOURS)]


def lab_excel(name: str) -> str:
    """lab_colour as openpyxl writes it ('RRGGBB')."""
    return lab_colour(name).removeprefix("#")


def colours(names: Iterable[str]) -> list[str]:
    return [colour(n) for n in names]


def excel(name: str) -> str:
    """The colour as openpyxl writes it ('RRGGBB')."""
    return colour(name).removeprefix("#")


# Where several scenarios or labs stand side by side, they stand in this order.
ORDER = (*USES, CUSTOM, *SCENARIOS, *LABS)


def in_order(names: Iterable[str]) -> list[str]:
    """`names` without repeats, those in ORDER first in that order, the rest as they came."""
    seen = list(dict.fromkeys(names))
    known = [n for n in ORDER if n in seen]
    return known + [n for n in seen if n not in known]
