"""The market's backtest: the end-2025 market of labs run from its base year, each lab keeping
its 2025 split (`status-quo`, no lab choosing), beside what was published for 2026, at yearly,
quarterly and monthly steps.

The single-lab backtest (model.loop.backtest) runs each lab from 2024 with a fixed share of
chip production and a rent path that only falls; here the labs share one chip supply, whose
price answers their bids (and is every renter's rent), and one customer market that chooses
between them (each lab's price premium is measured against the best of the labs, where alone
it is measured against the exogenous frontier path). An observable is read from one lab's rows
as the single-lab backtest reads a preset's (model.loop.backtest.read). None of them set a
market default: the figures the end-2025 labs were built from (2025's fleets, splits and
revenue, the end-2025 run-rates, the rounds' valuations, the hyperscalers' 2026 capex guidance,
and the March 2026 H100 rent that bounds the chip price's fall) are calibration targets, listed
in docs/MODEL.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from model.core.errors import InputError
from model.core.sources import cite
from model.loop import backtest as lab_backtest
from model.loop.backtest import BAND, COLUMNS, read, reading
from model.loop.steps import STEPS

from . import labs_2024
from .engine import equilibrium
from .fields import TOTALS
from .presets import DEFAULT_PRESET
from .single_lab import lab_settings
from .world import MARKETS

SCENARIO = "status-quo"
YEARS = 2  # 2026 and 2027: every observable lies in 2026


@dataclass(frozen=True)
class LabObservable:
    """A published figure the market's `lab` should reproduce (kinds as model.loop.backtest's:
    "flow" over `length` years from `year`, "end" of year `year`, "at" time `year`, "at-growth"
    of a rate from time `since` to time `year`)."""

    observable: str
    lab: str
    row: str
    kind: str
    year: float
    observed: float
    unit: str
    source: str
    band: tuple[float, float] = BAND
    since: float | None = None
    length: float = 1.0


OBSERVABLES = (
    LabObservable("OpenAI revenue, Q1 2026 (annualised)", "openai", "inference_revenue", "flow",
                  2026, 4 * 5.7e9, "USD/year",
                  cite("revenue-q1-2026", "$5.7B in Q1 2026, x 4"), length=0.25),
    LabObservable("OpenAI annualised revenue, March 2026", "openai", "inference_revenue", "at",
                  2026.25, 24e9, "USD/year",
                  cite("openai-rounds", "'$2 billion in monthly revenue' (Mar 2026)")),
    LabObservable("Anthropic revenue, Q1 2026 (annualised)", "anthropic", "inference_revenue",
                  "flow", 2026, 4 * 4.8e9, "USD/year",
                  cite("revenue-q1-2026", "an estimated $4.8B in Q1 2026, x 4"), length=0.25),
    LabObservable("Anthropic annualised revenue, February 2026", "anthropic",
                  "inference_revenue", "at", 2026 + 1.5 / 12, 14e9, "USD/year",
                  cite("anthropic-revenue", "$14B run-rate in Feb 2026")),
    LabObservable("Anthropic annualised revenue, April 2026", "anthropic", "inference_revenue",
                  "at", 2026 + 3.25 / 12, 30e9, "USD/year",
                  cite("anthropic-run-rate-2026", "run-rate past $30B on 7 Apr 2026")),
    LabObservable("Anthropic annualised revenue, May 2026", "anthropic", "inference_revenue",
                  "at", 2026 + 4.5 / 12, 47e9, "USD/year",
                  cite("anthropic-series-h", "run-rate past $47B in mid-May 2026")),
    LabObservable("OpenAI gross margin, Q1 2026 (annualised)", "openai", "gross_margin", "flow",
                  2026, 0.39 * 4 * 5.7e9, "USD/year",
                  cite("openai-margin-q1-2026", "39% of $5.7B in Q1 2026, x 4"), length=0.25),
    LabObservable("OpenAI free cash flow, Q1 2026 (annualised)", "openai", "free_cash_flow",
                  "flow", 2026, -4 * 3.7e9, "USD/year",
                  cite("revenue-q1-2026", "'burned through $3.7 billion' in Q1 2026, x 4"),
                  length=0.25),
    LabObservable("OpenAI API tokens a minute, March 2026 over October 2025", "openai",
                  "tokens_served", "at-growth", 2026 + 3 / 12, 15e9 / 6e9, "",
                  cite("openai-api-tokens", "'more than 15 billion' (31 Mar 2026) over '6 "
                       "billion' (6 Oct 2025) tokens a minute"), since=2025 + 9.2 / 12),
    # Google's tokens a month in Oct 2025 set its demand's growth (a calibration target); what
    # they did next is the observable: May 2026 over Oct 2025, all Google's surfaces against the
    # lab's serving
    LabObservable("Google tokens a month, May 2026 over October 2025", "google-deepmind",
                  "tokens_served", "at-growth", 2026 + 4.5 / 12, 3.2e15 / 1.3e15, "",
                  cite("google-io-2026", "3.2 quadrillion tokens a month (May 2026)") + "; "
                  + cite("google-tokens", "1.3 quadrillion (Oct 2025)"),
                  since=2025 + 9.5 / 12),
    # The chip price's floor is set from March 2026's rent (model.market.parameters), so only
    # a later rent is an observable (of either market: MARKET_TARGETS)
    LabObservable("H100 rent, June 2026 (1-year contracts)", "openai", "gpu_rental_price", "at",
                  2026.5, 2.65, "USD/GPU/hour",
                  cite("semianalysis-rental-2026-06", "~$2.65 per GPU-hour in late June 2026")),
)


def lab_frame(m, lab: str) -> pd.DataFrame:
    """One lab's rows of a solved market as a projection's frame (one row a step)."""
    j = m.labs.index(lab)
    return pd.DataFrame({k: v[:, j] if v.ndim > 1 else v for k, v in m.rows.items()
                         if v.ndim in (1, 2)})


def every_lab(overrides: dict | None) -> dict:
    """`overrides` for every lab of a market, checked: a lab's own totals (its fleet, chip
    share, budget, staff), which sum over the market to the world's, are refused."""
    totals = sorted(set(overrides or {}) & set(TOTALS))
    if totals:
        raise InputError(f"--set {', '.join(totals)}: a lab's own total, which one value for "
                         "every lab of a market would not share out; set it per lab with "
                         "`market --set LAB.FIELD=VALUE`")
    return dict(overrides or {})


def backtest(observables=OBSERVABLES, steps=tuple(STEPS),
             preset: str = DEFAULT_PRESET, overrides: dict | None = None) -> pd.DataFrame:
    """One row per observable and step length (model.loop.backtest's columns; `preset` names
    the market and the lab), with `overrides` in every lab (every lab checked before any
    step is run)."""
    labs = MARKETS[preset]
    each = [lab_settings(lab, SCENARIO, every_lab(overrides)) for lab in labs]
    rows = []
    for step in steps:
        m = equilibrium(each, [lab.name for lab in labs], years=YEARS, step=step)
        frames = {lab: lab_frame(m, lab) for lab in m.labs}
        rows += [reading(item, f"{preset}: {item.lab}", SCENARIO, step,
                         read(frames[item.lab], item)) for item in observables]
    return pd.DataFrame(rows, columns=list(COLUMNS))


# The market from 2024 runs its labs as the single-lab backtest runs each preset: serving
# demand first (both OpenAI and Anthropic moved compute to inference in 2025), over as many years.
FROM_2024 = {"allocation_policy": "inference-first"}


# What 2025-26 published about the labs of 2024 that are no single-lab preset. None set a value
# of model.market.labs_2024, whose xAI earns its 2024 revenue and whose Google DeepMind grows at
# an assumed rate. (xAI's third quarter sets the end-2025 market's xAI revenue and Google's
# October tokens its demand growth: calibration targets of that market, not of this one.)
# Google's tokens are read over the two spans its published figures bound after the base year
# (July 2025's 980 trillion lies inside the first); May 2024's 9.7 trillion lies before the base
# year's middle, which the "at" readings start from.
OBSERVABLES_2024 = (
    LabObservable("xAI revenue, Q3 2025 (annualised)", "xai", "inference_revenue", "flow",
                  2025.5, 4 * 0.107e9, "USD/year",
                  cite("xai-revenue", "$107M in the three months to 30 Sep 2025, x 4"),
                  length=0.25),
    LabObservable("Google tokens a month, October 2025 over May 2025", "google-deepmind",
                  "tokens_served", "at-growth", 2025 + 9.5 / 12, 1.3e15 / 480e12, "",
                  cite("google-tokens", "1.3 quadrillion (Oct 2025) over 480 trillion (May "
                       "2025) tokens a month"), since=2025 + 4.5 / 12),
    next(item for item in OBSERVABLES if item.lab == "google-deepmind"),
)


# The single-lab observables a market's own defaults are set from, so that no market reads
# them: the March 2026 rent bounds the chip price's fall (CHIP_PRICE_FLOOR, $1.70 / $2.35),
# which the market from 2024 keeps as the end-2025 one does.
MARKET_TARGETS = frozenset({"H100 rent, March 2026 (1-year contracts)"})


def pairs_2024(observables=lab_backtest.OBSERVABLES, own=OBSERVABLES_2024) -> list[tuple]:
    """(observable, the lab of the market from 2024 it is read from): the single-lab
    `observables` from their presets' labs but the markets' calibration targets
    (MARKET_TARGETS), then the market's `own`."""
    lab_of = {preset: lab for lab, preset in labs_2024.PRESET_LABS.items()}
    return ([(item, lab_of[item.preset]) for item in observables
             if item.observable not in MARKET_TARGETS]
            + [(item, item.lab) for item in own])


def backtest_2024(observables=lab_backtest.OBSERVABLES, steps=tuple(STEPS),
                  overrides: dict | None = None, own=OBSERVABLES_2024) -> pd.DataFrame:
    """The single-lab backtest's observables read from the end-2024 market of labs
    (model.market.labs_2024): each preset's from its lab's rows, then the market's `own`
    (its other labs'), at each step length (model.loop.backtest's columns; `preset` names the
    market and the lab), with `overrides` in every lab."""
    each = labs_2024.settings(SCENARIO, {**FROM_2024, **every_lab(overrides)})
    read_from = pairs_2024(observables, own)
    rows = []
    for step in steps:
        m = equilibrium(each, labs_2024.NAMES, years=lab_backtest.YEARS, step=step,
                        pool_growth=labs_2024.POOL_GROWTH.value)
        frames = {lab: lab_frame(m, lab) for lab in m.labs}
        rows += [reading(item, f"end-2024: {lab}", SCENARIO, step, read(frames[lab], item))
                 for item, lab in read_from]
    return pd.DataFrame(rows, columns=list(COLUMNS))
