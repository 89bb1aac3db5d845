"""Backtest: each preset run from its base year, beside what was later published.

An observable is a projection row read as a published figure is: a flow over a calendar year
or a quarter (the mean of its steps in the period, weighted by their overlap; a period shorter
than a step it lies in, the mean over it of the path the rates are read from), a stock at the
end of a year, a rate at a moment (log-linear between the steps' mid-points, so an annualised
revenue at a month is read the same at yearly and monthly steps; linear for a row that is not
positive throughout, as cash), or a growth factor of a stock
between two year ends or of a rate between two moments. Each carries the published value, its
citation and the band its ratio modelled / observed must lie in (at most a factor of 1.5 wide,
high / low). None is a figure a default or a preset was set from: docs/MODEL.md lists the
calibration targets apart from these.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from model.core.sources import cite

from .projection import STEPS, project
from .scenarios import scenario_settings

MAX_BAND_WIDTH = 1.5
BAND = (0.8, 1.2)
YEARS = 4  # each preset's run: its base year 2024 to 2027, past every observable
COLUMNS = ("observable", "preset", "scenario", "step", "kind", "year", "observed", "modelled",
           "unit", "ratio", "band_low", "band_high", "within", "source")
_INFERENCE_FIRST = {"allocation_policy": "inference-first"}


@dataclass(frozen=True)
class Observable:
    """A published figure the projection of `preset` should reproduce."""

    observable: str
    preset: str
    row: str
    kind: str  # "flow" over `length` years from `year`, "end" of year `year`, "at" time
    # `year`, "growth" of an end-of-year stock from year `since` to `year`, "at-growth" of a
    # rate from time `since` to time `year`
    year: float
    observed: float
    unit: str
    source: str
    since: float | None = None
    band: tuple[float, float] = BAND
    scenario: str = "status-quo"
    # Both labs moved compute to inference in 2025 (Epoch), so the labs are run serving demand
    # first: the inference-share observables test how far that policy moves them.
    overrides: dict = field(default_factory=lambda: dict(_INFERENCE_FIRST))
    length: float = 1.0  # a flow's period, years (a calendar year, or a quarter: 0.25)


OBSERVABLES = (
    Observable("OpenAI revenue, 2025", "openai-2024", "inference_revenue", "flow", 2025,
               13.1e9, "USD/year", cite("openai-revenue", "$13.1B in 2025 (reported)")),
    Observable("OpenAI annualised revenue, June 2025", "openai-2024", "inference_revenue", "at",
               2025 + 5.5 / 12, 10e9, "USD/year",
               cite("openai-arr-2025", "$10B annual recurring revenue in June 2025")),
    Observable("OpenAI annualised revenue, end-2025", "openai-2024", "inference_revenue", "at",
               2026.0, 20e9, "USD/year",
               cite("openai-cfo-2026", "annualised revenue '>$20B' at end-2025")),
    Observable("OpenAI annualised revenue, March 2026", "openai-2024", "inference_revenue",
               "at", 2026.25, 24e9, "USD/year",
               cite("openai-rounds", "'$2 billion in monthly revenue' (Mar 2026)")),
    Observable("OpenAI compute, end-2025 (H100e)", "openai-2024", "fleet_stock", "end", 2025,
               1.74e6, "GPU", cite("epoch-lab-compute", "1.74M H100e at end-2025 (estimate)")),
    Observable("OpenAI compute growth (power), 2024 to 2025", "openai-2024", "fleet_stock",
               "growth", 2025, 1.9 / 0.6 * 1.33, "", cite(
                   "openai-cfo-2026", "0.6 GW (end-2024) to 1.9 GW (end-2025)") + "; " + cite(
                   "ai2027-compute", "x 1.33 H100e per watt (1.0 kW per H100e in 2024, 750 W "
                   "in 2025)"), since=2024),
    Observable("OpenAI compute spend, 2025", "openai-2024", "compute_cost", "flow", 2025,
               16.3e9, "USD/year", cite("epoch-acu", "OpenAI's cloud compute spend $16.3B in "
                                        "2025 (The Information)")),
    Observable("OpenAI inference share of compute, 2025 (inference first)", "openai-2024",
               "share_inference", "flow", 2025, 0.50, "",
               cite("epoch-acu", "inference ~50% of OpenAI's 2025 compute (estimate)")),
    Observable("Anthropic annualised revenue, end-2025", "anthropic-2024", "inference_revenue",
               "at", 2026.0, 9e9, "USD/year",
               cite("anthropic-revenue", "~$9B run-rate at end-2025")),
    Observable("Anthropic annualised revenue, February 2026", "anthropic-2024",
               "inference_revenue", "at", 2026 + 1.5 / 12, 14e9, "USD/year",
               cite("anthropic-revenue", "$14B run-rate in Feb 2026")),
    Observable("Anthropic annualised revenue, April 2026", "anthropic-2024",
               "inference_revenue", "at", 2026 + 3.25 / 12, 30e9, "USD/year",
               cite("anthropic-run-rate-2026", "run-rate past $30B on 7 Apr 2026")),
    Observable("Anthropic revenue, 2025", "anthropic-2024", "inference_revenue", "flow", 2025,
               4.5e9, "USD/year", cite("anthropic-revenue", "2025 revenue ~$4.5B (The "
                                       "Information, Jan 2026)")),
    Observable("Anthropic compute spend, 2025", "anthropic-2024", "compute_cost", "flow", 2025,
               6.8e9, "USD/year", cite("epoch-acu", "Anthropic's cloud compute spend $6.8B in "
                                       "2025 (The Information)")),
    Observable("Anthropic compute, end-2025 (H100e)", "anthropic-2024", "fleet_stock", "end",
               2025, 1.19e6, "GPU", cite("epoch-lab-compute", "1.19M H100e at end-2025 "
                                         "(estimate)")),
    Observable("Anthropic inference share of compute, 2025 (inference first)", "anthropic-2024",
               "share_inference", "flow", 2025, 0.40, "",
               cite("epoch-acu", "inference ~40% of Anthropic's 2025 compute (estimate)")),
    # 2026, published after the first observables were chosen (also read in the market of
    # labs, model.market.backtest); a quarter's revenue is read as its annualised mean
    Observable("OpenAI revenue, Q1 2026 (annualised)", "openai-2024", "inference_revenue",
               "flow", 2026, 4 * 5.7e9, "USD/year",
               cite("revenue-q1-2026", "$5.7B in Q1 2026, x 4"), length=0.25),
    Observable("Anthropic revenue, Q1 2026 (annualised)", "anthropic-2024",
               "inference_revenue", "flow", 2026, 4 * 4.8e9, "USD/year",
               cite("revenue-q1-2026", "an estimated $4.8B in Q1 2026, x 4"), length=0.25),
    # What the quarter's money looked like: revenue less inference compute, and the cash the
    # quarter burned (which includes staff and every other cost the model leaves out, so a
    # modelled burn from compute alone should read below it)
    Observable("OpenAI gross margin, Q1 2026 (annualised)", "openai-2024", "gross_margin",
               "flow", 2026, 0.39 * 4 * 5.7e9, "USD/year",
               cite("openai-margin-q1-2026", "39% of $5.7B in Q1 2026, x 4"), length=0.25),
    Observable("OpenAI free cash flow, Q1 2026 (annualised)", "openai-2024", "free_cash_flow",
               "flow", 2026, -4 * 3.7e9, "USD/year",
               cite("revenue-q1-2026", "'burned through $3.7 billion' in Q1 2026, x 4"),
               length=0.25),
    Observable("Anthropic annualised revenue, May 2026", "anthropic-2024", "inference_revenue",
               "at", 2026 + 4.5 / 12, 47e9, "USD/year",
               cite("anthropic-series-h", "run-rate past $47B in mid-May 2026")),
    # 2025's margin and inference bill (the margin is revenue less the inference bill: with the
    # year's revenue above, they say how the bill grew)
    Observable("OpenAI gross margin, 2025", "openai-2024", "gross_margin", "flow", 2025,
               0.33 * 13.1e9, "USD/year", cite("openai-margin-2025", "33% in 2025") + "; "
               + cite("openai-revenue", "of $13.1B")),
    Observable("OpenAI inference compute, 2025", "openai-2024", "budget_inference", "flow", 2025,
               8.4e9, "USD/year", cite("openai-margin-2025", "inference costs $8.4B in 2025")),
    # Meta's 2025 money is its January 2025 guidance carried forward (a preset input); what the
    # year's capex reads is what the model makes of that guidance, against what Meta spent.
    Observable("Meta capital expenditure, 2025", "meta-2024", "capex", "flow", 2025, 72.22e9,
               "USD/year", cite("meta-capex", "capital expenditures $72.22B in 2025"),
               overrides={}),
    # Meta after its guidance year: the parent's budget is flat after it (financing_growth_years
    # 1, an assumption), so 2026's quarters test that assumption; and the fleet its 2025 money
    # bought (Epoch's estimate of what Meta owned, AMD's chips included, as the preset's ~600k
    # H100e at end-2024 includes other chips)
    Observable("Meta capital expenditure, Q1 2026 (annualised)", "meta-2024", "capex", "flow",
               2026, 4 * 19.84e9, "USD/year", cite("meta-capex-2026", "$19.84B in Q1 2026, x 4"),
               overrides={}, length=0.25),
    Observable("Meta capital expenditure, Q2 2026 (annualised)", "meta-2024", "capex", "flow",
               2026.25, 4 * 31.08e9, "USD/year",
               cite("meta-capex-2026", "$31.08B in Q2 2026, x 4"), overrides={}, length=0.25),
    Observable("Meta compute, end-2025 (H100e)", "meta-2024", "fleet_stock", "end", 2025,
               2.30e6, "GPU", cite("epoch-chip-owners", "Meta owned 2.30M H100e at end-2025 "
                                   "(median estimate)"), overrides={}),
    Observable("H100 rent, March 2026 (1-year contracts)", "openai-2024", "gpu_rental_price",
               "at", 2026.2, 2.35, "USD/GPU/hour",
               cite("semianalysis-rental", "$2.35 per GPU-hour in Mar 2026")),
    Observable("H100 rent, June 2026 (1-year contracts)", "openai-2024", "gpu_rental_price",
               "at", 2026.5, 2.65, "USD/GPU/hour",
               cite("semianalysis-rental-2026-06", "~$2.65 per GPU-hour in late June 2026")),
    # The API's tokens alone are published (not ChatGPT's), so only their growth is read, as
    # the growth of all the tokens the lab serves
    Observable("OpenAI API tokens a minute, March 2026 over October 2025", "openai-2024",
               "tokens_served", "at-growth", 2026 + 3 / 12, 15e9 / 6e9, "",
               cite("openai-api-tokens", "'more than 15 billion' (31 Mar 2026) over '6 "
                    "billion' (6 Oct 2025) tokens a minute"), since=2025 + 9.2 / 12),
)


def _times(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    start = df["year"].to_numpy(dtype=float)
    return start, start + df["step_length"].to_numpy(dtype=float)


def read(df: pd.DataFrame, item: Observable) -> float:
    """The projection's value of an observable."""
    start, end = _times(df)
    values = df[item.row].to_numpy(dtype=float)
    mid = (start + end) / 2

    def at(when):
        if not (mid[0] <= np.min(when) and np.max(when) <= mid[-1]):
            raise ValueError(f"the projection does not reach {np.max(when):g}")
        if (values > 0).all():
            return np.exp(np.interp(when, mid, np.log(values)))
        return np.interp(when, mid, values)  # (a flow that changes sign: cash, margins)
    if item.kind == "flow":
        lo, hi = item.year, item.year + item.length
        overlap = np.minimum(end, hi) - np.maximum(start, lo)
        overlap = np.where(overlap > 1e-9, overlap, 0.0)  # (steps summed in floating point)
        if overlap.sum() < item.length - 1e-9:
            raise ValueError(f"the projection does not cover {item.year:g}")
        if np.all((overlap <= 0) | np.isclose(overlap, end - start)):  # whole steps
            return float(np.sum(values * overlap) / overlap.sum())
        # A period shorter than the steps it lies in (a quarter read from yearly steps) is the
        # mean over it of the path the "at" readings follow, not the whole step's average.
        # (trapezoids: 1,024 of them put it within 1e-8 of the exact mean for any path the
        # observables read)
        path = at(np.linspace(lo, hi, 1025))
        return float((path[:-1] + path[1:]).sum() / 2 / (len(path) - 1))
    if item.kind in ("end", "growth"):
        def at_end(year: float) -> float:
            hit = np.isclose(end, year + 1)
            if not hit.any():
                raise ValueError(f"no step ends at the end of {year:g}")
            return float(values[hit][0])
        value = at_end(item.year)
        return value / at_end(item.since) if item.kind == "growth" else value
    value = float(at(item.year))
    return value / float(at(item.since)) if item.kind == "at-growth" else value


def modelled(item: Observable, step: str = "year", years: int = YEARS) -> float:
    """The projection's value of an observable at `step` steps from the preset's base year."""
    settings = scenario_settings(item.preset, item.scenario, overrides=item.overrides)
    return read(project(settings, years=years, step=step), item)


def reading(item, run: str, scenario: str, step: str, value: float) -> tuple:
    """One row of a backtest (COLUMNS): `item` read as `value` from `run` (a preset, or a
    market's lab) under `scenario` at `step` steps, its ratio and whether it lies in its band."""
    ratio = value / item.observed
    low, high = item.band
    return (item.observable, run, scenario, step, item.kind, item.year, item.observed, value,
            item.unit, ratio, low, high, bool(low <= ratio <= high), item.source)


def backtest(observables=OBSERVABLES, steps=tuple(STEPS)) -> pd.DataFrame:
    """One row per observable and step length: observed, modelled, ratio, in band or not."""
    rows = [reading(item, item.preset, item.scenario, step, modelled(item, step))
            for step in steps for item in observables]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def markdown(table: pd.DataFrame, label: str = "preset") -> str:
    """The backtest as a Markdown table (docs/MODEL.md): one row an observable, a ratio a step;
    `label` heads the column of what was run (a preset, or a market's lab)."""
    steps = list(dict.fromkeys(table["step"]))
    out = [f"| observable | {label} | observed | " + " | ".join(f"ratio ({s})" for s in steps)
           + " | source |", "|---|---|---|" + "---|" * len(steps) + "---|"]
    for name, group in table.groupby("observable", sort=False):
        first = group.iloc[0]
        ratios = [f"{group[group['step'] == s]['ratio'].iloc[0]:.2f}"
                  + ("" if group[group["step"] == s]["within"].iloc[0] else " (out)")
                  for s in steps]
        out.append(f"| {name} | `{first.preset}` | {first.observed:.4g} | "
                   + " | ".join(ratios) + f" | {first.source.replace('|', '/')} |")
    return "\n".join(out)
