"""The Streamlit page's heavy work, as pure functions of hashable arguments (the page caches them).

A Context holds everything a projection depends on besides the scenario, so one cached result
serves every tab and every download that asks for the same run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from app.inputs import CUSTOM
from model.core.compiled import fleet_year
from model.core.resolve import Settings, resolve
from model.loop import montecarlo, projection, scenarios, sensitivity
from model.policy.paths import with_paths
from model.workbook import build as workbook


@dataclass(frozen=True)
class Context:
    """What a projection depends on besides the scenario (hashable, for caching)."""

    preset: str
    gpu: str
    overrides: tuple[tuple[str, float], ...]
    years: int
    step: str


def evaluate(values: Mapping[str, float], outputs: tuple[str, ...]) -> dict[str, float]:
    """One fleet-year evaluation of `outputs` as plain floats."""
    return {n: float(v) for n, v in fleet_year(outputs)(values).items()}


def scenario_settings(ctx: Context, scenario: str) -> Settings:
    """The settings of `scenario` (or of the sidebar alone for CUSTOM) with the overrides."""
    if scenario == CUSTOM:
        return resolve(ctx.preset, ctx.gpu, dict(ctx.overrides))
    return scenarios.scenario_settings(ctx.preset, scenario, gpu=ctx.gpu,
                                       overrides=dict(ctx.overrides))


def compute(kind: str, ctx: Context, scenario: str, *extra):
    """One heavy result: 'projection' -> (frame, summary); 'montecarlo' (samples, seed) and
    'tornado' (output) -> their frames. Raises InputError on invalid settings."""
    # value-maximising: the path chosen once at the settings (every sample and swing keeps it)
    settings = with_paths(scenario_settings(ctx, scenario), ctx.years, ctx.step)
    if kind == "projection":
        frame = projection.project(settings, years=ctx.years, step=ctx.step)
        return frame, projection.summary(frame)
    if kind == "montecarlo":
        samples, seed = extra
        return montecarlo.monte_carlo(settings, ctx.years, ctx.step, samples, seed)
    return sensitivity.tornado(settings, output=extra[0], years=ctx.years, step=ctx.step)


def workbook_scenarios(chosen: Sequence[str]) -> list[str]:
    """Scenarios for the workbook: the chosen ones (CUSTOM is status-quo plus the overrides)."""
    names = [scenarios.DEFAULT_SCENARIO if s == CUSTOM else s for s in chosen]
    return list(dict.fromkeys(names)) or [scenarios.DEFAULT_SCENARIO]


def workbook_bytes(ctx: Context, names: Sequence[str]) -> bytes:
    """The live-formula workbook of the context's settings and the scenarios `names`."""
    book = workbook.build_workbook(ctx.preset, list(names), years=ctx.years, gpu=ctx.gpu,
                                   step=ctx.step, overrides=dict(ctx.overrides))
    return workbook.workbook_bytes(book)


def projection_csv(frames: Mapping[str, pd.DataFrame]) -> str:
    """The projections of several scenarios as one CSV with a leading scenario column."""
    parts = [df.assign(scenario=name)[["scenario", *df.columns]] for name, df in frames.items()]
    return pd.concat(parts, ignore_index=True).to_csv(index=False)




def value_split(ctx: Context, names: Sequence[str]) -> tuple[pd.DataFrame, str]:
    """The value-maximising split of each scenario, and the preset's break-even multiplier."""
    from model.policy.value_split import break_even_multiplier, break_even_text, value_split_table

    overrides = dict(ctx.overrides)
    split = value_split_table(ctx.preset, names, max(ctx.years, 6), ctx.gpu, overrides)
    return split, break_even_text(break_even_multiplier(ctx.preset, max(ctx.years, 6), ctx.gpu,
                                                        overrides))


# The market runs at most this many years on the page (quarterly, ~5-10 s the first time; the
# CLI's `market` runs any horizon).
MARKET_YEARS = 10


@dataclass(frozen=True)
class MarketView:
    """The end-2025 market under one scenario, for the page: per lab and step
    (model.market.engine.frame), the chip price index per step, and how the fixed point
    ended."""

    labs: pd.DataFrame
    chips: pd.DataFrame
    converged: bool
    iterations: int
    change: float


def market_view(scenario: str, years: int, step: str) -> MarketView:
    """The market of the end-2025 labs (model.market), `scenario` for every lab."""
    from model.market.engine import frame, market  # its rows compile on first use

    m = market(scenario=scenario, years=min(years, MARKET_YEARS), step=step)
    year = m.rows["year"][:, 0]
    labs = frame(m)
    chips = pd.DataFrame({"year": year, "chip_price_index": m.price_index})
    return MarketView(labs, chips, bool(m.converged), int(m.iterations), float(m.change))


# The labs' choices run at yearly steps on the page (six best replies a round; ~12 s for ten
# years the first time): the CLI's `market` runs any step.
NASH_STEP = "year"


@dataclass(frozen=True)
class NashView:
    """The end-2025 labs choosing their research shares under one scenario: per lab and step
    the equilibrium's rows with the joint optimum's and each lab alone's research share
    (model.market.outcome.Outcome.frame), the joint market's rows, the chip price index in
    both, and how the rounds ended."""

    labs: pd.DataFrame
    joint: pd.DataFrame
    chips: pd.DataFrame
    converged: bool
    rounds: int
    max_deviation_gain: float
    npv: float  # USD, the labs' summed NPV in equilibrium
    joint_npv: float  # USD, under one owner


def market_nash_view(scenario: str, years: int) -> NashView:
    """The end-2025 labs' equilibrium, joint optimum and each alone (model.market.outcome),
    the labs choosing LOOKAHEAD years beyond the years shown."""
    from model.market.engine import frame
    from model.market.outcome import solve_shown

    out = solve_shown(scenario=scenario, years=min(years, MARKET_YEARS), step=NASH_STEP)
    eq, planner = out.nash, out.joint
    year = eq.market.rows["year"][:, 0]
    chips = pd.concat([pd.DataFrame({"year": year, "scenario": name,
                                     "series": "chip price index", "value": m.price_index})
                       for name, m in (("equilibrium", eq.market), ("joint optimum",
                                                                     planner.market))])
    return NashView(out.frame(), frame(planner.market), chips,
                    bool(eq.converged and eq.market.converged), int(eq.rounds),
                    float(eq.max_deviation_gain), out.summed_npv(), float(planner.npv))


def nash_beside_joint(view: NashView, column: str) -> pd.DataFrame:
    """(year, scenario = equilibrium or joint optimum, series = the lab, value) rows: one
    panel each, a line per lab."""
    return pd.concat([
        pd.DataFrame({"year": view.labs["year"], "scenario": "equilibrium (each lab for "
                      "itself)", "series": view.labs["lab"], "value": view.labs[column]}),
        pd.DataFrame({"year": view.joint["year"], "scenario": "joint optimum (one owner)",
                      "series": view.joint["lab"], "value": view.joint[column]})])


def lab_lines(labs: pd.DataFrame, column: str, series: str) -> pd.DataFrame:
    """(year, scenario = the lab, series, value) rows for a line chart coloured by lab."""
    return pd.DataFrame({"year": labs["year"], "scenario": labs["lab"], "series": series,
                         "value": labs[column]})
