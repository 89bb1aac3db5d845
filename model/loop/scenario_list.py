"""The scenarios' names and the inputs each sets: data only (a light module, so the command
line's --help can list them); model.loop.scenarios resolves and checks them.
"""

from __future__ import annotations

from model.core.sources import cite

DEFAULT_SCENARIO = "status-quo"
# The open loop that came before issue 10's closed economy: no chip supply cap, capital as an
# investment rate, a fixed token price with unbounded users, no price floor, no ceiling, fixed
# rent. Add it to any scenario's overrides to see what the closed loop changes.
OPEN_LOOP = {"supply_limit": "none", "capital_limit": "investment-rate",
             "demand_model": "fixed-price", "competition": "none", "ceiling_model": "none",
             "pricing": "competitive", "rental_price_decline": 0.0}


class Scenario:
    """A named scenario and the inputs it sets: {name: (value, source)}."""

    # a plain class: dataclasses imports inspect, ~7 ms of --help's start-up
    __slots__ = ("name", "title", "description", "values")

    def __init__(self, name: str, title: str, description: str,
                 values: dict[str, tuple[float | str, str]]):
        self.name, self.title, self.description, self.values = name, title, description, values


_AI2027 = {
    "multiplier_path": ("ai-2027", cite("ai2027-takeoff", "5x, 25x, 250x, 2000x milestones")),
    "allocation_policy": ("scheduled", cite("ai2027-compute", "leading lab's split by use")),
    "multiplier_scope": ("all-research", cite("ai2027-takeoff", "multipliers defined at fixed "
                                              "compute, applied to all of research")),
}
_COMPUTE = {
    "multiplier_scope": ("labour-only", cite("ai2027-takeoff", "the SC's 5x is a ~100x coding "
                                             "speed-up cut down by experiment bottlenecks")),
    "parallelisation_exponent": (0.5, cite("aifm-2025", "parallel penalty 0.5")),
}
_IDEAS = {
    "software_returns": (0.4, cite(
        "davidson-houlden-2025", "the low end of r, 0.4: each OOM of software efficiency takes "
        "2.5 OOMs of research input (1.2 at the median)") + "; " + cite(
        "bloom2020", "ideas getting harder to find: research productivity falls ~6.8%/yr in "
        "semiconductors")),
}
_INFERENCE = {
    "allocation_policy": ("inference-first", cite("assumption", "labs serve customers first; "
                                                  "research gets the rest (MODEL.md)")),
}

SCENARIOS: dict[str, Scenario] = {s.name: s for s in (
    Scenario("status-quo", "Status quo",
             "No AI speed-up (multiplier 1), fixed shares: software progress at the "
             "historical rate for research inputs that grow as the frontier's.", {}),
    Scenario("ai-2027", "AI 2027, no brakes",
             "AI 2027's multipliers apply to all of research and its compute schedule "
             "allocates the fleet; no brakes.", dict(_AI2027)),
    Scenario("compute-bottleneck", "Compute bottleneck",
             "ai-2027, but the multiplier speeds up cognitive labour only, so experiment "
             "compute bottlenecks research (CES), with a parallelisation penalty.",
             {**_AI2027, **_COMPUTE}),
    Scenario("ideas-harder", "Ideas get harder",
             "ai-2027, but ideas get harder faster: returns to software R&D at the low end "
             "of their range.",
             {**_AI2027, **_IDEAS}),
    Scenario("inference-first", "Inference first",
             "ai-2027's multipliers, but inference demand (growing with capability) is served "
             "first and research gets the rest.", {**_AI2027, **_INFERENCE}),
    Scenario("brakes", "All brakes",
             "ai-2027 with the compute bottleneck, ideas getting harder and inference first.",
             {**_AI2027, **_COMPUTE, **_IDEAS, **_INFERENCE}),
)}
