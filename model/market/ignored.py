"""Which of a lab's fields the market does not read under the lab's choices (model.core.ignored,
from the equations, as model.loop.reach finds them for a lab alone).

A lab in the market is its single-lab projection with the market's coupling inputs free
(model.loop.coupling), every lab's chips rationed from the one supply (supply_limit world-share),
and the coupling paths computed from its rows; a field that no row of that projection reads, nor
the market itself (each lab's `lab_supply_share`, the coupling inputs' defaults), changes
nothing any lab shows. Where the labs choose (Nash, the joint optimum, each alone as a
price-taker) their research path is chosen to maximise the NPV, so what the NPV reads under the
value-maximising policy counts too, and each lab alone runs uncoupled. A field the market
derives an input from is read when that input is: `rented_share` chooses `cost_basis`, and
`revenue` sets `token_price` (model.market.single_lab).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from model.core.catalogue import CATALOGUE
from model.core.ignored import Reach, ignored
from model.loop.coupling import COUPLING, DEFAULTS
from model.loop.projection import VALUE_MAXIMISING, steps_for
from model.loop.reach import projection_reach
from model.loop.scenarios import ScenarioSettings

from .engine import SUPPLY_ON
from .fields import Lab
from .single_lab import DERIVED, lab_settings

_DEFAULTS = {c: frozenset(str(s) for s in DEFAULTS[c].free_symbols) for c in COUPLING}


def market_reach(values: dict, n_steps: int, choosing: bool) -> Reach:
    """What the market reads of one lab whose resolved single-lab inputs are `values`, over
    `n_steps`; `choosing`: the labs choose their research paths (Nash, joint, price-takers)."""
    mine = {**values, "supply_limit": SUPPLY_ON}
    if choosing:
        mine["allocation_policy"] = VALUE_MAXIMISING
    coupled = projection_reach(mine, n_steps, coupled=True)
    alone = (projection_reach({**values, "allocation_policy": VALUE_MAXIMISING}, n_steps)
             if choosing else None)

    def reach(free: Collection[str]) -> frozenset[str]:
        found = set(coupled(free)) | {"lab_supply_share"}  # the market rations by it
        found |= set().union(*(_DEFAULTS[c] for c in COUPLING if c in found))
        return frozenset(found | (alone(free) if alone else set()))

    return reach


def ignored_fields(labs: Sequence[Lab], edited: Iterable[tuple[str, str]],
                   scenario: str | None, years: int, step: str,
                   choosing: bool) -> list[tuple[str, str, tuple[str, ...], ScenarioSettings]]:
    """(lab, field, the choices that make it ignored, the lab's settings) for each edited
    (lab, field) of `labs` the market does not read (field `title` is a label: never)."""
    by_name = {lab.name: lab for lab in labs}
    n = steps_for(years, step)[0]
    found = []
    for name, field in dict.fromkeys(edited):
        if field == "title" or name not in by_name:
            continue
        settings = lab_settings(by_name[name], scenario)
        input_name = DERIVED.get(field, field)
        if input_name not in CATALOGUE:
            continue
        gone = ignored([input_name], market_reach(settings.values, n, choosing))
        if input_name in gone:
            found.append((name, field, gone[input_name], settings))
    return found
