"""The rest of the world (the deployed world stock less the named labs), the default market,
and the template a new lab starts from.
"""

from __future__ import annotations

import math
from dataclasses import replace

from model.core.sources import cite

from . import labs as _l
from .fields import TOTALS, Lab
from .parameters import HYPERSCALER_CAPEX_2025, HYPERSCALER_GUIDANCE_2026
from .presets import PRESETS

_NAMED = (_l.OPENAI, _l.ANTHROPIC, _l.GOOGLE_DEEPMIND, _l.XAI, _l.META)
_INFERENCE = 0.5 * _l.REST_FLEET
_GROWTH = math.log(37 / 11.5)
_GROWTH_WHY = cite("menlo-2025", f"enterprise generative-AI spend ~$11.5B (2024) to ~$37B "
                   f"(2025): ln(37/11.5) = {_GROWTH:.2f}")
_CAPEX, _GUIDE = HYPERSCALER_CAPEX_2025, HYPERSCALER_GUIDANCE_2026
_NAMED_PARENTS = math.fsum(lab.value("external_financing") for lab in (_l.GOOGLE_DEEPMIND, _l.META))
_BUDGET = _CAPEX - _NAMED_PARENTS
_SUPPLY = 1 - math.fsum(lab.value("lab_supply_share") for lab in _NAMED)

REST_OF_WORLD = _l._lab(
    "rest-of-world", "Rest of the world",
    fleet_gpus=(_l.REST_FLEET, _l.WORLD_SOURCE + "; " + cite(
        "epoch-lab-compute", f"less the five labs' {math.fsum(_l.FLEET_2025.values()):,.0f}: "
        f"{_l.REST_FLEET:,.0f} H100e (derived)")),
    rented_share=(0.5, cite("assumption", "hyperscalers own 71% of world compute "
                            "[epoch-chip-owners] and rent out about half of theirs (Google's "
                            "cloud share of its ML compute ~50% [epoch-acu]); from 30% to 70%"),
                  (0.3, 0.7)),
    **_l._shares(0.5, cite("assumption", "no published split: as OpenAI's ~50% [epoch-acu]"),
                 inference_range=(0.3, 0.7)),
    revenue=_l._per_gpu_revenue(_INFERENCE, _INFERENCE * _l.PER_GPU["anthropic"],
                                "at Anthropic's"),
    base_revenue_growth=(_GROWTH, _GROWTH_WHY),
    user_demand_growth=_l._demand(_GROWTH, _GROWTH_WHY),
    financing_model=("parent", cite("capex-2025-26", "the hyperscalers' capex pays for most "
                                    "of the world's compute")),
    external_financing=(_BUDGET, cite(
        "assumption", f"Amazon, Alphabet, Meta and Microsoft spent ${_CAPEX / 1e9:.1f}B in 2025 "
        f"[capex-2025-26], less the ${_NAMED_PARENTS / 1e9:.1f}B given to Google DeepMind and "
        f"Meta above: ${_BUDGET / 1e9:.1f}B; from $220B (Amazon and Microsoft) to all of it"),
        (220e9, _CAPEX)),
    financing_growth=(math.log(_GUIDE / _CAPEX), cite(
        "capex-2025-26", f"2026 guidance ${_GUIDE / 1e9:.1f}B (midpoints; Microsoft's from "
        f"analysts): ln({_GUIDE / 1e9:.1f}/{_CAPEX / 1e9:.1f})")),
    lab_supply_share=(_SUPPLY, cite("epoch-chips", f"what the five labs did not add of 2025's "
                                    f"sales [epoch-lab-compute]: {_SUPPLY:.1%} (derived)")),
    # A fringe, not a rival: hundreds of labs, clouds and universities, none with research near
    # the frontier's scale. Run as one lab with its summed research (~17x the frontier's
    # reference) it would overtake every lab within a year and take all the customers; with no
    # staff of its own at the frontier it moves by diffusion, trailing the frontier as open
    # models do.
    research_staff=(0.0, cite("assumption", "a fringe of many labs, none at the frontier's "
                              "scale: no research of its own at the frontier; it follows by "
                              "diffusion, as open-weight models trail closed ones "
                              "[epoch-open-models]; up to the staff its summed research compute "
                              "would have at OpenAI's ratio"),
                    (0.0, _l._staff(_l.REST_FLEET * 0.5 * (1 - _l.FINAL_RUNS))[0])),
    software_gap=(_l._months(3.5), cite("assumption", "open-weight models trail by 3.5 months "
                                        "(90% CI 1.1-5.3) [epoch-open-models]; up to a year"),
                  (_l._months(1.1), _l._months(12))),
    **_l._COMMON)

MARKET: tuple[Lab, ...] = (*_NAMED, REST_OF_WORLD)
LABS: dict[str, Lab] = {lab.name: lab for lab in MARKET}
# Market presets: the end-2025 world, and its five frontier labs racing alone (no fringe
# following by diffusion, no hyperscaler capex beside them).
MARKETS: dict[str, tuple[Lab, ...]] = dict(zip(PRESETS, (MARKET, _NAMED), strict=True))
TEMPLATE_FLEET = 100_000.0


def scaled(lab: Lab, name: str, fleet: float) -> Lab:
    """`lab` as a lab called `name` with `fleet` H100e: its totals (fleet, revenue, financing,
    staff, supply share) scaled, every ratio kept, each citation saying so."""
    k = fleet / lab.value("fleet_gpus")
    note = f"{lab.name}'s x {fleet:,.0f} / {lab.value('fleet_gpus'):,.0f} H100e: "
    values = {n: ((v * k, note + c) if n in TOTALS else (v, f"as {lab.name}'s: {c}"))
              for n, (v, c) in lab.values.items()}
    intervals = {n: ((lo * k, hi * k) if n in TOTALS else (lo, hi))
                 for n, (lo, hi) in lab.intervals.items()}
    return replace(lab, name=name, title=name, values=values, intervals=intervals)


# A new lab starts as the rest of the world in small (100,000 H100e and the world's averages),
# but a lab of its own: with research staff for its research compute at OpenAI's ratio.
_AS_A_LAB = replace(REST_OF_WORLD, values={
    **REST_OF_WORLD.values,
    "research_staff": _l._staff(_l.REST_FLEET * 0.5 * (1 - _l.FINAL_RUNS))[:2]})
TEMPLATE = scaled(_AS_A_LAB, "new-lab", TEMPLATE_FLEET)
