"""Scenarios of the feedback loop: named parameter sets of the one projection model.

`status-quo` is the catalogue defaults (no AI speed-up); `ai-2027` switches the forecast's
multipliers and compute schedule on with no brakes; each brake (`compute-bottleneck`,
`ideas-harder`, `inference-first`) is `ai-2027` with that one brake on; `brakes` has all three.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from model.core.catalogue import CATALOGUE
from model.core.errors import InputError, quoted
from model.core.fleet_inputs import USES
from model.core.loop_inputs import MILESTONES, SCHEDULE_STARTS
from model.core.resolve import Settings, resolve, suggest
from model.core.sources import cite

DEFAULT_SCENARIO = "status-quo"
# The open loop that came before issue 10's closed economy: no chip supply cap, capital as an
# investment rate, a fixed token price with unbounded users, no price floor, no ceiling, fixed
# rent. Add it to any scenario's overrides to see what the closed loop changes.
OPEN_LOOP = {"supply_limit": "none", "capital_limit": "investment-rate",
             "demand_model": "fixed-price", "competition": "none", "ceiling_model": "none",
             "pricing": "competitive", "rental_price_decline": 0.0}


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    description: str
    values: dict[str, tuple[float | str, str]] = field(default_factory=dict)


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


@dataclass
class ScenarioSettings(Settings):
    """Settings resolved for a scenario (its name kept for reports)."""

    scenario: str = DEFAULT_SCENARIO


def check_loop(values: Mapping[str, float]) -> None:
    """Checks beyond single-input bounds: terminal growth below the discount rate, rho is not 0,
    milestones and schedule periods increase
    (and each period's shares sum to more than 0), the world's accelerator ceiling lies above its
    anchor stock."""
    if values["world_gpus_ceiling"] <= values["world_gpus_anchor"]:
        raise InputError(f"world_gpus_ceiling: must exceed world_gpus_anchor "
                         f"({values['world_gpus_anchor']:g} GPU), got "
                         f"{values['world_gpus_ceiling']:g}")
    if values["terminal_growth"] >= values["discount_rate"]:
        raise InputError(f"terminal_growth: must be below discount_rate "
                         f"({values['discount_rate']:g}), got {values['terminal_growth']:g}")
    if abs(values["research_ces_rho"]) < 1e-6:
        raise InputError("research_ces_rho: must not be 0 (use -0.01 for nearly Cobb-Douglas)")
    thresholds = [values[f"milestone_{m}"] for m in MILESTONES]
    if any(b <= a for a, b in zip(thresholds, thresholds[1:], strict=False)):
        listed = ", ".join(f"milestone_{m}={v:g}" for m, v in zip(MILESTONES, thresholds,
                                                                  strict=True))
        raise InputError(f"milestones must increase, got {listed}")
    for k in range(1, len(SCHEDULE_STARTS) + 1):
        if sum(values[f"schedule_{u}_{k}"] for u in USES) <= 0:
            raise InputError(f"schedule_<use>_{k}: the scheduled shares of period {k} must sum "
                             "to more than 0 (each period is normalised to 1)")
    starts = [values[f"schedule_start_{k + 1}"] for k in range(len(SCHEDULE_STARTS))]
    if any(b <= a for a, b in zip(starts, starts[1:], strict=False)):
        raise InputError("schedule_start_1 ... schedule_start_7 must increase, got "
                         + ", ".join(f"{v:g}" for v in starts))


def scenario_settings(preset: str | None = None, scenario: str | None = DEFAULT_SCENARIO,
                      gpu: str | None = None,
                      overrides: Mapping[str, str | float] | None = None) -> ScenarioSettings:
    """Resolve defaults < preset < GPU < scenario < overrides, all validated (InputError)."""
    scenario = scenario or DEFAULT_SCENARIO
    if scenario not in SCENARIOS:
        raise InputError(f"unknown scenario {quoted(scenario)}{suggest(scenario, SCENARIOS)}; "
                         f"expected one of {', '.join(SCENARIOS)}")
    chosen = SCENARIOS[scenario].values
    merged = {n: raw for n, (raw, _) in chosen.items()}
    merged.update(overrides or {})
    base = resolve(preset, gpu, merged)
    user = dict(overrides or {})
    for name, (_, source) in chosen.items():
        if name not in user:
            base.sources[name] = source
    check_loop(base.values)
    return ScenarioSettings(base.values, base.sources, base.preset, base.gpu,
                            {n: str(v) for n, v in user.items()}, scenario=scenario)


def scenario_table() -> list[dict[str, str]]:
    """One record per scenario: name, title, description and the inputs it sets."""
    return [{"name": s.name, "title": s.title, "description": s.description,
             "sets": ", ".join(f"{n}={v}" for n, (v, _) in s.values.items())}
            for s in SCENARIOS.values() if all(n in CATALOGUE for n in s.values)]
