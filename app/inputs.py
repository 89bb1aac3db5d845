"""Pure helpers for the Streamlit page: input widgets, the URL's query string, uploads.

Nothing here imports streamlit; the page (streamlit_app.py) is layout over these functions, the
other app_* modules (app_state: what the widgets show after each event, app_compute: the heavy
runs, app_charts: chart data and specs, app_tables: metrics and tables) and the rest of `model`.
Widget keys are the model's own names (one name per quantity everywhere).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from model.core.catalogue import CATALOGUE, Quantity
from model.core.errors import InputError, quoted
from model.core.presets import PRESETS
from model.core.resolve import parse_input, resolve
from model.loop import projection, scenarios
from model.report.formats import format_value, label, measure

# Sidebar sections and the inputs that matter most in each (names missing from the catalogue,
# e.g. before the projection is imported, are skipped). Every other input sits under "More".
SIDEBAR = {
    "Fleet": ("fleet_gpus", "gpu_power", "price_performance_growth", "lab_supply_share"),
    "Costs": ("cost_basis", "gpu_rental_price", "rental_price_decline", "gpu_capex",
              "cluster_capex_multiplier", "depreciation_life", "electricity_price", "pue"),
    "Allocation": ("share_training", "share_research", "share_automation", "share_inference",
                   "share_other", "allocation_policy", "split_adjustment_rate", "research_floor",
                   "mfu_training", "util_research", "util_inference"),
    "Money": ("financing_model", "revenue_multiple", "raise_rate", "external_financing",
              "reinvestment_rate", "discount_rate", "terminal_growth"),
    "Customers": ("token_price", "frontier_price_decline", "capability_price_elasticity",
                  "token_value_cap", "user_demand_growth", "tokens_per_task_growth",
                  "demand_price_elasticity", "serving_active_params"),
    "Research and the frontier": ("research_staff", "software_gap", "diffusion_lag",
                                  "software_returns", "researcher_growth", "multiplier_path",
                                  "multiplier_scope", "research_labour_weight",
                                  "research_ces_rho", "parallelisation_exponent",
                                  "software_halving_time"),
    "Training run": ("flops_per_param_token", "model_active_params", "training_tokens",
                     "training_gpus"),
}
MORE = "More inputs"
# Set by the page's own controls, not by a widget of their own.
NO_WIDGET = ("step_years",)

# Query-string keys that are not model quantities.
VIEW_KEYS = ("preset", "gpu", "scenarios", "years", "step")

# The horizon slider's range, which a link is held to as well: 30 years keeps every tab quick
# (30 years of months is 360 steps, within the model's 400).
HORIZON = (1, 30)

CUSTOM = "custom"  # the sidebar's settings with no scenario applied
SCENARIO_NAMES = [CUSTOM, *scenarios.SCENARIOS]
STEPS = list(projection.STEPS)
SCENARIO_HELP = "custom: the sidebar's values alone.  \n" + "  \n".join(
    f"{s.name}: {s.description}" for s in scenarios.SCENARIOS.values())

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
    """The widget label: the catalogue label and its unit, or what a dimensionless number is
    ('[%]', '[x]', '[exponent]', '[count]'), from the display catalogue."""
    return label(q)


def help_text(q: Quantity, source: str | None = None) -> str:
    """Hover help: what the input is, its bounds and its source (`source`, the preset's or
    GPU's own when it sets the value, else the catalogue default's)."""
    bounds = "" if q.kind == "choice" else (
        f"  \nBounds: {format_value(q.name, q.min)} to {format_value(q.name, q.max)}.")
    return f"{q.description} (`{q.name}`).{bounds}  \nSource: {source or q.source}"


def _step(lo: float, hi: float) -> float:
    """A round step giving about a thousand positions between the bounds."""
    return 10.0 ** math.floor(math.log10((hi - lo) / 1000.0))


def widget_spec(q: Quantity, source: str | None = None) -> WidgetSpec:
    """The widget for one catalogue input (its help citing `source`, see help_text)."""
    label, hover = unit_label(q), help_text(q, source)
    if q.kind == "choice":
        return WidgetSpec(q.name, "select", q.label, hover, options=q.choices)
    if q.log_scale:
        return WidgetSpec(q.name, "number", label + " (log scale)", hover, q.min, q.max,
                          None, "%.6g")
    step = 1.0 if q.integer else _step(q.min, q.max)
    if measure(q).name == "share":  # shares read as percentages, sliders included
        return WidgetSpec(q.name, "slider", label, hover, q.min, q.max, step, "percent")
    decimals = max(0, -int(math.floor(math.log10(step))))
    return WidgetSpec(q.name, "slider", label, hover, q.min, q.max, step, f"%.{decimals}f")


def sidebar_groups(more: bool = False, sources: Mapping[str, str] | None = None
                   ) -> dict[str, list[WidgetSpec]]:
    """The sidebar's input widgets by section; with `more`, every other input too. `sources`
    (the preset's and GPU's, Settings.sources) are what each widget's help cites."""
    def spec(n: str) -> WidgetSpec:
        return widget_spec(CATALOGUE[n], (sources or {}).get(n))

    groups = {title: [spec(n) for n in names if n in CATALOGUE and CATALOGUE[n].is_input]
              for title, names in SIDEBAR.items()}
    if more:
        shown = {n for names in SIDEBAR.values() for n in names} | set(NO_WIDGET)
        groups[MORE] = [spec(n) for n in input_names() if n not in shown]
    return {t: specs for t, specs in groups.items() if specs}


def input_names() -> list[str]:
    """Every quantity a user sets (inputs and choices), in catalogue order."""
    return [n for n, q in CATALOGUE.items() if q.kind in ("input", "choice")]


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


# What a link without a query string shows.
DEFAULT_VIEW = View("ai-2027-lab-2024", "", ["status-quo", "ai-2027", "brakes"], 10,
                    projection.DEFAULT_STEP, {})


def encode_query(view: View) -> dict[str, str]:
    """The query string of a view: view keys, then one `name=value` per override."""
    out = {"preset": view.preset, "gpu": view.gpu, "scenarios": ",".join(view.scenarios),
           "years": str(view.years), "step": view.step}
    out.update({n: text_value(n, v) for n, v in sorted(view.overrides.items())})
    return out


def _horizon(text: str | None, default: int) -> tuple[int, str]:
    """The link's horizon held to HORIZON, and what was changed on the way in ('' if nothing)."""
    if text is None:
        return default, ""
    lo, hi = HORIZON
    if not re.fullmatch(r"[+-]?\d{1,6}", text.strip()):
        return default, f"years: expected a whole number from {lo} to {hi}, got {quoted(text)}"
    years = int(text)
    if not lo <= years <= hi:
        held = min(hi, max(lo, years))
        return held, f"years: {years} is outside {lo} to {hi}; showing {held}"
    return years, ""


def decode_query(params: Mapping[str, str], default: View, scenarios: Sequence[str],
                 steps: Sequence[str]) -> tuple[View, list[str]]:
    """A view from a query string, and one message per parameter that was ignored."""
    problems: list[str] = []
    preset = params.get("preset", default.preset)
    if preset not in PRESETS:
        problems.append(f"unknown preset {quoted(preset)}")
        preset = default.preset
    gpu = params.get("gpu") or PRESETS[preset].gpu
    try:
        resolve(preset, gpu)
    except InputError as exc:
        problems.append(str(exc))
        gpu = PRESETS[preset].gpu
    chosen = default.scenarios
    if "scenarios" in params:
        listed = [s for s in params["scenarios"].split(",") if s]
        chosen = list(dict.fromkeys(s for s in listed if s in scenarios))
        problems += [f"unknown scenario {quoted(s)}" for s in listed if s not in scenarios]
        problems += [f"scenarios: {s} listed {listed.count(s)} times; shown once"
                     for s in chosen if listed.count(s) > 1]
    years, problem = _horizon(params.get("years"), default.years)
    if problem:
        problems.append(problem)
    step = params.get("step", default.step)
    if step not in steps:
        problems.append(f"step: expected one of {', '.join(steps)}, got {quoted(step)}")
        step = default.step
    overrides: dict[str, float] = {}
    for name, raw in params.items():
        if name in VIEW_KEYS:
            continue
        try:
            overrides[name] = parse_input(name, raw)
        except InputError as exc:
            problems.append(str(exc))
    return View(preset, gpu, chosen, years, step, overrides), _capped(problems)


MAX_PROBLEMS = 10


def _capped(problems: list[str]) -> list[str]:
    """At most MAX_PROBLEMS messages (a hostile link may carry thousands), then a count."""
    unique = list(dict.fromkeys(problems))
    if len(unique) <= MAX_PROBLEMS:
        return unique
    return [*unique[:MAX_PROBLEMS], f"{len(unique) - MAX_PROBLEMS} more parameters"]


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
    try:
        for name, text in found.values.items():
            if CATALOGUE[name].kind in ("input", "choice"):
                overrides[name] = parse_input(name, text)
        resolve(preset, gpu, overrides)  # the whole set must hold (shares sum to 1)
    except InputError as exc:
        raise InputError(f"{filename}: {exc}") from None
    return View(preset, gpu, [], 10, projection.DEFAULT_STEP, overrides), len(overrides)
