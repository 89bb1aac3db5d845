"""Metrics and tables for the Streamlit page: numbers as a reader sees them (pure).

Every number is text from the one display catalogue (model.report.formats) the CLI and the
workbook use too: money by one rule for scale ('$874M', '$1.42B'), shares as percentages with
the quantity's decimals, calendar years as years, FLOP in scientific notation with the unit.
Tables get text, not Streamlit number formats, which would print 37.51% beside 4%. A metric drops
money's per-what suffix (its label says per what).

Words: "research" is the research use alone (the Headline's research share); "all R&D" is
training + research + automation (the Budget tab's), as `observed` and the README say.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd
import sympy

from app.inputs import input_names
from model.core.catalogue import CATALOGUE
from model.core.equations import EQUATIONS
from model.core.fleet_inputs import USES
from model.core.resolve import Settings, citations
from model.core.sources import REFERENCES, cited_by
from model.market import reveal_table
from model.report.backtest_table import by_observable, observed_text
from model.report.formats import (
    calendar_year,
    format_value,
    measure,
    money,
    pretty_unit,
    texts,
    unit_label,
)
from model.report.latex import equation_latex

# Budget tab metrics: label (with the unit the value leaves out) -> the quantity shown.
BUDGET_METRICS = {
    "All-R&D budget per year": "budget_rnd",
    "Inference budget per year": "budget_inference",
    "Research share of the fleet": "share_research",
    "All-R&D share of the fleet": "share_rnd",
    "Inference share of the fleet": "share_inference",
    "Cost per GPU-hour": "cost_per_gpu_hour",
    "Tokens served per year": "tokens_served",
    "Inference revenue per year": "inference_revenue",
    "Inference margin": "inference_margin",
}
RND_SHARE_HELP = ("Share of the fleet on all R&D: training + research + automation. The "
                  "research share (the Headline's) is the research use alone.")

TRAINING_METRICS = {"training_flops": "Training compute", "training_gpu_hours": "GPU-hours",
                    "training_days": "Wall-clock time", "training_cost": "Cost",
                    "training_share_of_fleet_year": "Share of a fleet-year",
                    "cost_per_gpu_hour": "Cost per GPU-hour"}

# Table columns: column -> (label, display format in sprintf style as Streamlit's NumberColumn
# takes it, or None for text that carries its own unit). Money without cents, with separators.
FLEET_COLUMNS = {"gpus": ("GPUs [GPU]", None),
                 "compute_flop_per_year": ("Compute [FLOP/year]", None),
                 "budget_usd_per_year": ("Spend [USD/year]", None),
                 "share_of_spend": ("Share of spend [%]", None)}
ELASTICITY_COLUMNS = {"elasticity": ("Elasticity [d ln output / d ln input]", "%.3f"),
                      "note": ("Note", None)}



def value_split_columns(base_year: int) -> dict[str, tuple[str, None]]:
    """The value-split table's columns, headed by calendar years (base year + 1, 3, 5)."""
    return {f"research_share_year_{y}": (f"Research share, {base_year + y}", None)
            for y in (1, 3, 5)} | {
        "trend": ("As the fleet grows", None),
        "npv_gain": ("NPV over the best assumed policy", None)}


def metric_text(name: str, value: float) -> str:
    """A metric's value: format_value, short for a quarter-width column: money without its
    per-what suffix ('$1.420B'), counts of millions without their unit ('1.29e16'), as the label
    says what they count."""
    q = CATALOGUE.get(name)
    if q is None or not math.isfinite(value):
        return format_value(name, value)
    if q.unit.startswith("USD"):
        return money(value)
    if measure(q).name == "count" and abs(value) >= 1e6:
        return format_value(name, value).removesuffix(f" {pretty_unit(q.unit)}")
    return format_value(name, value)


def headline(values: Mapping[str, float], out: Mapping[str, float]) -> list[tuple[str, str, str]]:
    """Budget tab metrics: (label, value text, hover help)."""
    shown = {**out, "share_inference": values["share_inference"],
             "share_research": values["share_research"],
             "share_rnd": sum(values[f"share_{u}"] for u in ("training", "research", "automation"))}
    return [(label, metric_text(name, shown[name]),
             RND_SHARE_HELP if name == "share_rnd" else CATALOGUE[name].description)
            for label, name in BUDGET_METRICS.items()]


def training_metrics(out: Mapping[str, float]) -> list[tuple[str, str, str]]:
    """The Training run tab's four metrics: (label, value text, hover help)."""
    return [(TRAINING_METRICS[n], metric_text(n, out[n]), CATALOGUE[n].description)
            for n in list(TRAINING_METRICS)[:4]]


def fleet_split(out: Mapping[str, float]) -> pd.DataFrame:
    """One row per use: GPUs, useful compute and spend (catalogue units; see FLEET_COLUMNS)."""
    total = out["budget_total"]
    return pd.DataFrame({
        "use": list(USES),
        "gpus": [out[f"gpus_{u}"] for u in USES],
        "compute_flop_per_year": [out[f"compute_{u}"] for u in USES],
        "budget_usd_per_year": [out[f"budget_{u}"] for u in USES],
        "share_of_spend": [out[f"budget_{u}"] / total if total else 0.0 for u in USES],
    })


def fleet_table(frame: pd.DataFrame) -> pd.DataFrame:
    """fleet_split for reading: compute and spend as text from the display catalogue.

    Streamlit leaves numbers of 2**53 and more unformatted (every such float is a whole number,
    which it shows digit for digit), so FLOP counts go to the page as text, and spend follows the
    one money rule ('$873.7M') rather than a column format.
    """
    return frame.assign(
        gpus=texts("fleet_gpus", frame["gpus"], with_unit=False),
        share_of_spend=texts("share_research", frame["share_of_spend"]),
        compute_flop_per_year=[format_value(f"compute_{u}", v) for u, v in
                               zip(frame["use"], frame["compute_flop_per_year"], strict=True)],
        budget_usd_per_year=[format_value(f"budget_{u}", v) for u, v in
                             zip(frame["use"], frame["budget_usd_per_year"], strict=True)])


def value_split_frame(split: pd.DataFrame) -> pd.DataFrame:
    """model.policy.value_split's table for the page, as text (value_split_columns heads it)."""
    shares = {f"research_share_year_{y}": texts("share_research",
                                                split[f"research_share_year_{y}"])
              for y in (1, 3, 5)}
    return split[["scenario", *shares, "trend", "npv_gain"]].assign(
        **shares, npv_gain=[money(v) for v in split["npv_gain"]])


def format_output(name: str, value: float) -> str:
    """format_value (a fleet-year's share has three decimals there: SHARE_DECIMALS)."""
    return format_value(name, value)


def training_table(out: Mapping[str, float]) -> pd.DataFrame:
    """The training-run outputs, formatted, with their meaning."""
    return pd.DataFrame({
        "name": list(TRAINING_METRICS),
        "quantity": list(TRAINING_METRICS.values()),
        "value": [format_output(n, out[n]) for n in TRAINING_METRICS],
        "meaning": [CATALOGUE[n].description for n in TRAINING_METRICS],
    })


def finance_table(summaries: Mapping[str, Mapping[str, float | None]]) -> pd.DataFrame:
    """NPV, payback year and final cumulative cash per scenario, formatted."""
    def money(v):
        return metric_text("budget_total", v) if v is not None else "n/a"

    return pd.DataFrame({
        "scenario": list(summaries),
        "NPV": [money(s.get("npv")) for s in summaries.values()],
        # the calendar year in which cumulative cash first reaches 0, as the CLI says it
        "payback year": [calendar_year(s.get("payback_year")) for s in summaries.values()],
        "cumulative cash at the end": [money(s.get("cumulative_cash"))
                                       for s in summaries.values()],
    })


def elasticity_frame(df: pd.DataFrame) -> pd.DataFrame:
    """sensitivity.elasticities with rounding noise (|e| < 1e-9, e.g. -2e-16) shown as 0."""
    e = df["elasticity"]
    return df.assign(elasticity=e.where(e.abs() >= 1e-9, 0.0))


def _symbols(expr: sympy.Expr) -> list[str]:
    return sorted(str(s) for s in expr.free_symbols)


def equations_frame(equations: Mapping[str, sympy.Expr] | None = None) -> pd.DataFrame:
    """Every equation: name, unit, LaTeX, symbols (with units), description, source, caption."""
    rows = []
    for name, expr in (EQUATIONS if equations is None else equations).items():
        q = CATALOGUE[name]
        symbols = ", ".join(f"{s} [{unit_label(CATALOGUE[s])}]"
                            for s in _symbols(expr) if s in CATALOGUE)
        unit = unit_label(q)
        rows.append({"name": name, "unit": unit, "latex": equation_latex(name, expr),
                     "symbols": symbols, "description": q.description, "source": q.source,
                     "caption": f"`{name}` [{unit}]: {q.description}. Symbols: {symbols}. "
                                f"Source: {q.source}"})
    return pd.DataFrame(rows)


def sources_frame(settings: Settings | None = None) -> pd.DataFrame:
    """The bibliography with the quantities citing each reference: an input by the source of its
    value in `settings` (a preset's own reference, not the default's), else by the catalogue's."""
    users = cited_by(citations([settings]) if settings is not None else
                     {n: q.source for n, q in CATALOGUE.items()})
    return pd.DataFrame({
        "key": list(REFERENCES),
        "reference": list(REFERENCES.values()),
        "cited by": [", ".join(users[k]) for k in REFERENCES],
    })


def inputs_frame(settings: Settings) -> pd.DataFrame:
    """The current inputs with their values and the source of each value (for the Sources tab)."""
    names = input_names()
    return pd.DataFrame({
        "name": names,
        "value": [format_value(n, settings.values[n]) for n in names],
        "source": [settings.sources[n] for n in names],
    })


def reveal_frame(result: Mapping) -> pd.DataFrame:
    """docs/reveal.json's rows as text, the README's table (model.market.reveal_table.cells)
    narrowed to a laptop's width: '2. openai 2024' for its first three columns, and no measure
    (the observed points' tooltips give it)."""
    cells = pd.DataFrame(reveal_table.cells(result))
    seen = cells["index"] + ". " + cells["lab"] + " " + cells["period"]
    return cells.drop(columns=["index", "lab", "period", "measure"]).assign(
        observation=seen)[["observation", "observed", "best_response", *result["sweeps"]]]


def reveal_columns(result: Mapping) -> dict[str, tuple[str, None]]:
    """reveal_frame's headings: each swept input by its name (the caption says under which
    scenario)."""
    return {"best_response": ("best response", None)} | {
        key: (s["input"], None) for key, s in result["sweeps"].items()}


def levers_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """model.odds.levers' rows at one step length as text: each departure, its readings in band
    ('k of n') and what it stands for."""
    from model.odds.levers import summary

    table = summary(frame)
    step = table.columns[0]
    return pd.DataFrame({"departure": table.index,
                         "in band": [f"{k} of {n}" for k, n in zip(table[step], table["readings"],
                                                                   strict=True)],
                         "what it stands for": table["why"].to_numpy()})


def interval_frame(table: pd.DataFrame) -> pd.DataFrame:
    """A backtest over draws (model.odds.backtest's columns, one step length) as text: the
    published figure, the draws' percentiles in its unit, in or out of their 90% interval, and
    its rank among them."""
    return pd.DataFrame({
        "observable": table["observable"], "run": table["preset"],
        "observed": [observed_text(v, u) for v, u in zip(table["observed"], table["unit"],
                                                         strict=True)],
        **{name: [observed_text(v, u, o) for v, u, o in zip(table[p], table["unit"],
                                                             table["observed"], strict=True)]
           for name, p in (("5%", "p5"), ("median", "p50"), ("95%", "p95"))},
        "in 90%": ["yes" if c else "no" for c in table["covered"]],
        "rank": [f"{r:.2f}" for r in table["rank"]]})


def backtest_frame(table: pd.DataFrame) -> pd.DataFrame:
    """A backtest (model.loop.backtest's columns) as text, one row an observable: each step
    length's ratio modelled / observed, '(out)' where it falls outside its band, as the
    docs' table reads."""
    wide = by_observable(table)
    steps = [c.removeprefix("ratio_") for c in wide.columns if c.startswith("ratio_")]
    return pd.DataFrame({
        "observable": wide["observable"], "run": wide["preset"], "observed": wide["observed"],
        **{f"ratio ({s})": [f"{r:.2f}" + ("" if ok else " (out)")
                            for r, ok in zip(wide[f"ratio_{s}"], wide[f"within_{s}"],
                                             strict=True)] for s in steps},
        "source": wide["source"]})


def departure_frame(runs: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Backtests at one step length (model.loop.backtest's columns), by heading (e.g. "alone,
    defaults", "alone, yours"), as text side by side: each observable's ratio modelled /
    observed in each, '(out)' where it falls outside its band, blank in a run that does not
    read it (the market from 2024's own labs, which no single lab is; the rent the markets'
    chip price floor is set from, which no market reads); an observable is named by the first
    run that reads it."""
    wide = {name: by_observable(table).set_index("observable") for name, table in runs.items()}
    first = pd.concat(wide.values())
    first = first[~first.index.duplicated()]
    cells = {}
    for name, table in wide.items():
        step = next(c.removeprefix("ratio_") for c in table.columns if c.startswith("ratio_"))
        text = {k: f"{r:.2f}" + ("" if ok else " (out)") for k, r, ok in
                zip(table.index, table[f"ratio_{step}"], table[f"within_{step}"], strict=True)}
        cells[f"ratio ({name})"] = [text.get(k, "") for k in first.index]
    return pd.DataFrame({"observable": first.index, "preset": first["preset"].to_list(),
                         "observed": first["observed"].to_list(), **cells})
