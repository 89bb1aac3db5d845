"""Pure helpers for the Streamlit page: widget specs, query-string encoding, chart frames.

Nothing here imports streamlit; the page (streamlit_app.py) is layout over these functions and
the rest of `model`. Widget keys are the model's own names (one name per quantity everywhere).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import altair as alt
import pandas as pd
import sympy

from . import montecarlo, projection, scenarios, sensitivity
from .catalogue import CATALOGUE, Quantity
from .engine import Compiled
from .equations import EQUATIONS
from .errors import InputError
from .inputs import USES
from .presets import PRESETS
from .report import format_value, pretty_unit
from .settings import Settings, parse_input, resolve
from .sources import REFERENCES, reference_keys

# Sidebar sections and the inputs that matter most in each (names missing from the catalogue,
# e.g. before the projection is imported, are skipped). Every other input sits under "More".
SIDEBAR = {
    "Fleet": ("fleet_gpus", "gpu_power", "price_performance_growth", "investment_rate",
              "investment_growth", "reinvestment_rate"),
    "Costs": ("cost_basis", "gpu_rental_price", "gpu_capex", "cluster_capex_multiplier",
              "depreciation_life", "electricity_price", "pue", "discount_rate"),
    "Allocation": ("share_training", "share_research", "share_automation", "share_inference",
                   "share_other", "allocation_policy", "mfu_training", "util_research",
                   "util_inference"),
    "Inference demand": ("token_price", "serving_active_params", "user_demand_growth",
                         "tokens_per_task_growth", "demand_capability_elasticity"),
    "Feedback loop and brakes": ("multiplier_path", "multiplier_scope", "research_labour_weight",
                                 "research_ces_rho", "parallelisation_exponent",
                                 "ideas_harder_exponent", "software_halving_time",
                                 "researcher_growth"),
    "Training run": ("flops_per_param_token", "model_active_params", "training_tokens",
                     "training_gpus"),
}
MORE = "More inputs"
# Set by the page's own controls, not by a widget of their own.
NO_WIDGET = ("step_years",)

# Query-string keys that are not model quantities.
VIEW_KEYS = ("preset", "gpu", "scenarios", "years", "step")

# Training-run presets: the training inputs of a lab preset that documents a real run.
TRAINING_RUNS = {"Llama 3.1 405B": "meta-2024", "DeepSeek-V3": "deepseek-v3"}
TRAINING_RUN_INPUTS = ("flops_per_param_token", "model_active_params", "training_tokens",
                       "training_gpus", "mfu_training", "gpu_peak_flops", "cost_basis",
                       "gpu_rental_price")


@dataclass(frozen=True)
class WidgetSpec:
    """How one input is shown: slider, number box (log-scale) or select (choice)."""

    name: str
    kind: str  # "slider" | "number" | "select"
    label: str
    help: str
    min: float | None = None
    max: float | None = None
    step: float | None = None
    format: str | None = None
    options: tuple[str, ...] = ()


def unit_label(q: Quantity) -> str:
    """The widget label: the catalogue label and its unit ('fraction' when dimensionless)."""
    return f"{q.label} [{pretty_unit(q.unit) or 'fraction'}]"


def help_text(q: Quantity) -> str:
    """Hover help: what the input is, its bounds and its source."""
    bounds = "" if q.kind == "choice" else (
        f"  \nBounds: {format_value(q.name, q.min)} to {format_value(q.name, q.max)}.")
    return f"{q.description} (`{q.name}`).{bounds}  \nSource: {q.source}"


def _step(lo: float, hi: float) -> float:
    """A round step giving about a thousand positions between the bounds."""
    return 10.0 ** math.floor(math.log10((hi - lo) / 1000.0))


def widget_spec(q: Quantity) -> WidgetSpec:
    """The widget for one catalogue input."""
    label, hover = unit_label(q), help_text(q)
    if q.kind == "choice":
        return WidgetSpec(q.name, "select", q.label, hover, options=q.choices)
    if q.log_scale:
        return WidgetSpec(q.name, "number", label + " (log scale)", hover, q.min, q.max,
                          None, "%.6g")
    step = 1.0 if q.integer else _step(q.min, q.max)
    decimals = max(0, -int(math.floor(math.log10(step))))
    return WidgetSpec(q.name, "slider", label, hover, q.min, q.max, step, f"%.{decimals}f")


def sidebar_groups(more: bool = False) -> dict[str, list[WidgetSpec]]:
    """The sidebar's input widgets by section; with `more`, every other input too."""
    groups = {title: [widget_spec(CATALOGUE[n]) for n in names if n in CATALOGUE]
              for title, names in SIDEBAR.items()}
    if more:
        shown = {n for names in SIDEBAR.values() for n in names} | set(NO_WIDGET)
        groups[MORE] = [widget_spec(CATALOGUE[n]) for n in input_names() if n not in shown]
    return {t: specs for t, specs in groups.items() if specs}


def input_names() -> list[str]:
    return [n for n, q in CATALOGUE.items() if q.kind in ("input", "choice")]


def widget_value(name: str, value: float) -> float | str:
    """A model value as its widget holds it (choices as option text)."""
    q = CATALOGUE[name]
    return q.choices[int(value)] if q.kind == "choice" else float(value)


def model_value(name: str, value: float | str) -> float:
    """A widget's value in the model's units (choices as option index)."""
    q = CATALOGUE[name]
    return float(q.choice_index(value)) if q.kind == "choice" else float(value)


def widget_state(settings: Settings, names: Sequence[str] | None = None) -> dict[str, object]:
    """Widget values that show `settings` (all inputs, or only `names`)."""
    return {n: widget_value(n, settings.values[n]) for n in (names or input_names())}


def same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-15)


def overrides_from_widgets(state: Mapping[str, object], base: Settings) -> dict[str, float]:
    """The inputs whose widget value differs from the preset's (and GPU's) value."""
    out = {}
    for name in input_names():
        if name in state:
            value = model_value(name, state[name])
            if not same(value, base.values[name]):
                out[name] = value
    return out


def text_value(name: str, value: float) -> str:
    """An input value as query-string text (round-trips exactly through parse_input)."""
    q = CATALOGUE[name]
    return q.choices[int(value)] if q.kind == "choice" else repr(float(value))


@dataclass
class View:
    """What a URL encodes: preset, GPU, scenarios, projection horizon and input overrides."""

    preset: str
    gpu: str
    scenarios: list[str]
    years: int
    step: str
    overrides: dict[str, float]


def encode_query(view: View) -> dict[str, str]:
    """The query string of a view: view keys, then one `name=value` per override."""
    out = {"preset": view.preset, "gpu": view.gpu, "scenarios": ",".join(view.scenarios),
           "years": str(view.years), "step": view.step}
    out.update({n: text_value(n, v) for n, v in sorted(view.overrides.items())})
    return out


def decode_query(params: Mapping[str, str], default: View, scenarios: Sequence[str],
                 steps: Sequence[str]) -> tuple[View, list[str]]:
    """A view from a query string, and one message per parameter that was ignored."""
    problems: list[str] = []
    preset = params.get("preset", default.preset)
    if preset not in PRESETS:
        problems.append(f"unknown preset {preset!r}")
        preset = default.preset
    gpu = params.get("gpu") or PRESETS[preset].gpu
    try:
        resolve(preset, gpu)
    except InputError as exc:
        problems.append(str(exc))
        gpu = PRESETS[preset].gpu
    chosen = default.scenarios
    if "scenarios" in params:
        chosen = [s for s in params["scenarios"].split(",") if s in scenarios]
        problems += [f"unknown scenario {s!r}" for s in params["scenarios"].split(",")
                     if s and s not in scenarios]
    years = default.years
    if "years" in params:
        try:
            years = min(50, max(1, int(params["years"])))
        except ValueError:
            problems.append(f"years: expected a whole number, got {params['years']!r}")
    step = params.get("step", default.step)
    if step not in steps:
        problems.append(f"step: expected one of {', '.join(steps)}, got {step!r}")
        step = default.step
    overrides: dict[str, float] = {}
    for name, raw in params.items():
        if name in VIEW_KEYS:
            continue
        try:
            overrides[name] = parse_input(name, raw)
        except InputError as exc:
            problems.append(str(exc))
    return View(preset, gpu, chosen, years, step, overrides), problems


MAX_UPLOAD_MB = 5


def read_uploaded(data: bytes, filename: str, reader) -> tuple[View, int]:
    """Inputs of an uploaded workbook as a view; `reader(path)` is read_workbook_inputs.

    The bytes go to a private temporary file (the reader checks size, zip layout, macros and
    XML safety); every value is validated. Raises InputError with a one-line message.
    """
    import tempfile
    from pathlib import Path

    if len(data) > MAX_UPLOAD_MB * 2**20:
        raise InputError(f"{filename}: larger than {MAX_UPLOAD_MB} MB")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.xlsx"
        path.write_bytes(data)
        try:
            found = reader(path)
        except InputError as exc:
            raise InputError(str(exc).replace(str(path), filename)) from None
        except Exception as exc:  # noqa: BLE001 - an untrusted file must never crash the page
            raise InputError(f"{filename}: cannot read the workbook ({type(exc).__name__})"
                             ) from None
    preset = found.preset if found.preset in PRESETS else next(iter(PRESETS))
    gpu = PRESETS[preset].gpu
    overrides = {}
    for name, text in found.values.items():
        if CATALOGUE[name].kind in ("input", "choice"):
            try:
                overrides[name] = parse_input(name, text)
            except InputError as exc:
                raise InputError(f"{filename}: {exc}") from None
    return View(preset, gpu, [], 10, "year", overrides), len(overrides)


def projection_csv(frames: Mapping[str, pd.DataFrame]) -> str:
    """The projections of several scenarios as one CSV with a leading scenario column."""
    parts = [df.assign(scenario=name)[["scenario", *df.columns]] for name, df in frames.items()]
    return pd.concat(parts, ignore_index=True).to_csv(index=False)


def evaluate(compiled: Compiled, values: Mapping[str, float]) -> dict[str, float]:
    """One evaluation as plain floats."""
    return {n: float(v) for n, v in compiled(values).items()}


def headline(values: Mapping[str, float], out: Mapping[str, float]) -> list[tuple[str, str, str]]:
    """Budget tab metrics: (label, formatted value, model name)."""
    rnd_share = sum(values[f"share_{u}"] for u in ("training", "research", "automation"))
    return [
        ("R&D budget",
         format_value("budget_rnd", out["budget_rnd"]), "budget_rnd"),
        ("Inference budget", format_value("budget_inference", out["budget_inference"]),
         "budget_inference"),
        ("R&D share of the fleet", f"{rnd_share:.1%}", "share_total"),
        ("Inference share of the fleet", f"{values['share_inference']:.1%}", "share_inference"),
        ("Cost per GPU-hour", format_value("cost_per_gpu_hour", out["cost_per_gpu_hour"]),
         "cost_per_gpu_hour"),
        ("Tokens served", format_value("tokens_served", out["tokens_served"]), "tokens_served"),
        ("Inference revenue", format_value("inference_revenue", out["inference_revenue"]),
         "inference_revenue"),
        ("Inference margin", format_value("inference_margin", out["inference_margin"]),
         "inference_margin"),
    ]


def fleet_split(out: Mapping[str, float]) -> pd.DataFrame:
    """One row per use: GPUs, useful compute and spend (catalogue units)."""
    total = out["budget_total"]
    return pd.DataFrame({
        "use": list(USES),
        "gpus": [out[f"gpus_{u}"] for u in USES],
        "compute_flop_per_year": [out[f"compute_{u}"] for u in USES],
        "budget_usd_per_year": [out[f"budget_{u}"] for u in USES],
        "share_of_spend": [out[f"budget_{u}"] / total if total else 0.0 for u in USES],
    })


TRAINING_METRICS = {"training_flops": "Training compute", "training_gpu_hours": "GPU-hours",
                    "training_days": "Wall-clock time", "training_cost": "Cost",
                    "training_share_of_fleet_year": "Share of a fleet-year",
                    "cost_per_gpu_hour": "Cost per GPU-hour"}


def format_output(name: str, value: float) -> str:
    """format_value, with fractions of a whole shown as percentages."""
    if name == "training_share_of_fleet_year" and math.isfinite(value):
        return f"{value:.3%}"
    return format_value(name, value)


def training_table(out: Mapping[str, float]) -> pd.DataFrame:
    """The training-run outputs, formatted, with their meaning."""
    return pd.DataFrame({
        "name": list(TRAINING_METRICS),
        "quantity": list(TRAINING_METRICS.values()),
        "value": [format_output(n, out[n]) for n in TRAINING_METRICS],
        "meaning": [CATALOGUE[n].description for n in TRAINING_METRICS],
    })


def run_values(run: str) -> dict[str, float]:
    """The training-run inputs documented for a named run (from its lab preset)."""
    settings = resolve(TRAINING_RUNS[run])
    return {n: settings.values[n] for n in TRAINING_RUN_INPUTS}


def _symbols(expr: sympy.Expr) -> list[str]:
    return sorted(str(s) for s in expr.free_symbols)


def latex(name: str, expr: sympy.Expr) -> str:
    """`name = expr` in LaTeX, each symbol spelled as its model name (upright)."""
    names = {q.symbol: r"\mathrm{" + q.name.replace("_", r"\_") + "}" for q in CATALOGUE.values()}
    return sympy.latex(sympy.Eq(CATALOGUE[name].symbol, expr, evaluate=False),
                       symbol_names=names, mul_symbol="dot")


def equations_frame(equations: Mapping[str, sympy.Expr] | None = None) -> pd.DataFrame:
    """Every equation: name, unit, LaTeX, symbols (with units), description and source."""
    rows = []
    for name, expr in (EQUATIONS if equations is None else equations).items():
        q = CATALOGUE[name]
        symbols = ", ".join(f"{s} [{pretty_unit(CATALOGUE[s].unit) or '1'}]"
                            for s in _symbols(expr) if s in CATALOGUE)
        rows.append({"name": name, "unit": pretty_unit(q.unit) or "1",
                     "latex": latex(name, expr),
                     "symbols": symbols, "description": q.description, "source": q.source})
    return pd.DataFrame(rows)


def sources_frame() -> pd.DataFrame:
    """The bibliography with the quantities citing each reference."""
    users: dict[str, list[str]] = {k: [] for k in REFERENCES}
    for name, q in CATALOGUE.items():
        for key in reference_keys(q.source):
            users.setdefault(key, []).append(name)
    return pd.DataFrame({
        "key": list(REFERENCES),
        "reference": list(REFERENCES.values()),
        "cited by": [", ".join(users[k]) for k in REFERENCES],
    })


def inputs_frame(settings: Settings) -> pd.DataFrame:
    """The current inputs with units and sources (for the Sources tab and CSV export)."""
    names = input_names()
    return pd.DataFrame({
        "name": names,
        "value": [format_value(n, settings.values[n]) for n in names],
        "source": [settings.sources[n] for n in names],
    })


# --- projection views -----------------------------------------------------------------------
CUSTOM = "custom"  # the sidebar's settings with no scenario applied

PROJECTION_VIEWS = {
    "budgets": ({f"budget_{u}": u for u in ("research", "automation", "inference", "training")},
                "Budget [USD/year]", True),
    "multiplier": ({"ai_rd_multiplier": "headline AI R&D multiplier",
                    "research_speedup": "effective research speed-up"}, "Speed-up [x]", True),
    "fleet": ({"fleet_gpus": "fleet"}, "Fleet [GPU]", True),
    "software": ({"software_efficiency": "software efficiency"},
                 "Software efficiency [x, relative to the start]", True),
    "revenue": ({"inference_revenue": "inference revenue", "capex": "capex",
                 **{f"budget_{u}": f"compute cost: {u}" for u in USES}},
                "Per year [USD/year]", False),
    "cash": ({"gross_margin": "gross margin", "free_cash_flow": "free cash flow",
              "cumulative_cash": "cumulative cash"}, "Cash [USD, per year or cumulative]", False),
}


def long_frame(frames: Mapping[str, pd.DataFrame], columns: Mapping[str, str],
               log: bool = False) -> pd.DataFrame:
    """Stack projections into (year, scenario, series, value) rows for the given columns.

    For a log axis, rows whose value is not positive are left out (a log axis cannot show them).
    """
    parts = []
    for scenario, df in frames.items():
        for column, series in columns.items():
            if column in df:
                parts.append(pd.DataFrame({"year": df["year"], "scenario": scenario,
                                           "series": series, "value": df[column]}))
    if not parts:
        return pd.DataFrame(columns=["year", "scenario", "series", "value"])
    out = pd.concat(parts, ignore_index=True)
    return out[out["value"] > 0] if log else out


def finance_table(summaries: Mapping[str, Mapping[str, float | None]]) -> pd.DataFrame:
    """NPV, payback year and final cumulative cash per scenario, formatted."""
    def money(v):
        return format_value("budget_total", v).removesuffix("/year") if v is not None else "n/a"

    return pd.DataFrame({
        "scenario": list(summaries),
        "NPV": [money(s.get("npv")) for s in summaries.values()],
        "payback year": [f"{s['payback_year']:.2f}" if s.get("payback_year") else "not within "
                         "the horizon" for s in summaries.values()],
        "cumulative cash at the end": [money(s.get("cumulative_cash"))
                                       for s in summaries.values()],
    })


def fan_frame(mc: pd.DataFrame, column: str, scenario: str) -> pd.DataFrame:
    """p5/p50/p95 of one Monte Carlo column over time, for a fan chart."""
    return pd.DataFrame({"year": mc["year"] if "year" in mc else mc.get("year_p50"),
                         "scenario": scenario, "p5": mc[f"{column}_p5"],
                         "p50": mc[f"{column}_p50"], "p95": mc[f"{column}_p95"]})


# --- chart specs (Altair, built once; the page passes the data) -------------------------------
def _spec(chart) -> dict:
    """An Altair chart's Vega-Lite spec without its (empty) data: the page supplies the data."""
    spec = chart.to_dict()
    spec.pop("data", None)
    spec.pop("datasets", None)
    return spec


def _scale(log: bool):
    return alt.Scale(type="log") if log else alt.Scale(zero=False)


def bar_spec(x: str, x_title: str) -> dict:
    """Horizontal bars by use (the fleet split)."""
    return _spec(alt.Chart().mark_bar().encode(
        x=alt.X(f"{x}:Q", title=x_title),
        y=alt.Y("use:N", sort=list(USES), title=None),
        color=alt.Color("use:N", legend=None, sort=list(USES)),
        tooltip=["use:N", alt.Tooltip(f"{x}:Q", format=",.4~g")]).properties(height=220))


def line_spec(y_title: str, log: bool, facet: bool) -> dict:
    """Lines over time: colour by series (facet by scenario) or by scenario."""
    color = "series:N" if facet else "scenario:N"
    extra = {"column": alt.Column("scenario:N", title=None)} if facet else {}
    chart = alt.Chart().mark_line().encode(
        x=alt.X("year:Q", title="Year", axis=alt.Axis(format="d")),
        y=alt.Y("value:Q", title=y_title, scale=_scale(log)),
        color=alt.Color(color, title=None, legend=alt.Legend(orient="bottom")),
        tooltip=["scenario:N", "series:N", alt.Tooltip("year:Q", format=".2f"),
                 alt.Tooltip("value:Q", format=",.4~g")], **extra)
    return _spec(chart.properties(width=240 if facet else "container", height=240))


def fan_spec(y_title: str, log: bool) -> dict:
    """Monte Carlo fan: the p5-p95 band and the median, by scenario."""
    x = alt.X("year:Q", title="Year", axis=alt.Axis(format="d"))
    band = alt.Chart().mark_area(opacity=0.25).encode(
        x=x, y=alt.Y("p5:Q", title=y_title, scale=_scale(log)), y2="p95:Q",
        color=alt.Color("scenario:N", legend=alt.Legend(orient="bottom", title=None)))
    median = alt.Chart().mark_line().encode(
        x=x, y=alt.Y("p50:Q", scale=_scale(log)), color="scenario:N",
        tooltip=["scenario:N", alt.Tooltip("year:Q", format=".2f"),
                 *(alt.Tooltip(f"{p}:Q", format=",.4~g") for p in ("p5", "p50", "p95"))])
    return _spec(alt.layer(band, median).properties(height=300))


def tornado_spec(x_title: str) -> dict:
    """One bar per input from the low-input to the high-input value of the output."""
    return _spec(alt.Chart().mark_bar().encode(
        y=alt.Y("input:N", sort=None, title=None),
        x=alt.X("low_value:Q", title=x_title, scale=alt.Scale(zero=False)),
        x2="high_value:Q",
        color=alt.Color("direction:N", title=None, legend=alt.Legend(orient="bottom")),
        tooltip=["input:N", "low:N", "high:N", alt.Tooltip("low_value:Q", format=",.4~g"),
                 alt.Tooltip("high_value:Q", format=",.4~g")]).properties(height=320))


# Projection columns worth a fan chart or a tornado, in menu order.
KEY_OUTPUTS = ("software_efficiency", "capability", "ai_rd_multiplier", "research_speedup",
               "fleet_gpus", "budget_research", "budget_inference", "inference_revenue",
               "free_cash_flow", "cumulative_cash", "npv_to_date")


def output_title(name: str) -> str:
    """'Budget research [USD/year]': an axis title from the catalogue."""
    q = CATALOGUE[name]
    return f"{q.label} [{pretty_unit(q.unit) or 'x'}]"


def positive(frame: pd.DataFrame, columns: Sequence[str]) -> bool:
    """True when every value in `columns` is positive (a log axis can show them)."""
    return bool((frame[list(columns)] > 0).all().all())


def tornado_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A sensitivity.tornado table as bars: input, low_value, high_value, direction, labels."""
    output = df.attrs.get("output", "")
    return pd.DataFrame({
        "input": df["input"],
        "low": [format_value(n, v) for n, v in zip(df["input"], df["low"], strict=True)],
        "high": [format_value(n, v) for n, v in zip(df["input"], df["high"], strict=True)],
        "low_value": df["output_low"], "high_value": df["output_high"],
        "direction": ["rises with the input" if h >= lo else "falls as the input rises"
                      for lo, h in zip(df["output_low"], df["output_high"], strict=True)],
        "swing": [format_value(output, v) for v in df["swing"]],
    })


# --- projection runs (pure; the page caches them) ---------------------------------------------
@dataclass(frozen=True)
class Context:
    """What a projection depends on besides the scenario (hashable, for caching)."""

    preset: str
    gpu: str
    overrides: tuple[tuple[str, float], ...]
    years: int
    step: str


def scenario_settings(ctx: Context, scenario: str) -> Settings:
    """The settings of `scenario` (or of the sidebar alone for CUSTOM) with the overrides."""
    if scenario == CUSTOM:
        return resolve(ctx.preset, ctx.gpu, dict(ctx.overrides))
    return scenarios.scenario_settings(ctx.preset, scenario, gpu=ctx.gpu,
                                       overrides=dict(ctx.overrides))


def compute(kind: str, ctx: Context, scenario: str, *extra):
    """One heavy result: 'projection' -> (frame, summary); 'montecarlo' (samples, seed) and
    'tornado' (output) -> their frames. Raises InputError on invalid settings."""
    settings = scenario_settings(ctx, scenario)
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
