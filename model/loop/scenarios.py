"""Scenarios of the feedback loop: named parameter sets of the one projection model, resolved
and checked (the sets themselves are data in model.loop.scenario_list).

`status-quo` is the catalogue defaults (no AI speed-up); `ai-2027` switches the forecast's
multipliers and compute schedule on with no brakes; each brake (`compute-bottleneck`,
`ideas-harder`, `inference-first`) is `ai-2027` with that one brake on; `brakes` has all three.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from model.core.catalogue import CATALOGUE
from model.core.errors import InputError, quoted
from model.core.fleet_inputs import USES
from model.core.loop_inputs import MILESTONES, SCHEDULE_STARTS
from model.core.resolve import Settings, resolve, suggest

from .scenario_list import (  # noqa: F401 - re-exported
    DEFAULT_SCENARIO,
    OPEN_LOOP,
    SCENARIOS,
    Scenario,
)


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
