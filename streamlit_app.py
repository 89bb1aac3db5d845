"""Streamlit app: a thin page of layout over `model` (run: streamlit run streamlit_app.py).

Widget keys are the model's own names. The current view lives in the URL query string, so a
link reproduces it. Only the open tab runs (lazy tabs); heavy work is cached or on a button.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from model import app_support as ui
from model import projection, scenarios, sensitivity, workbook, workbook_read
from model.catalogue import CATALOGUE
from model.engine import Compiled
from model.equations import BUDGET_OUTPUTS, EQUATIONS, TRAINING_OUTPUTS
from model.errors import InputError
from model.gpus import GPUS
from model.presets import PRESETS
from model.settings import Settings, resolve

TABS = ["Budget", "Projection", "Finance", "Uncertainty", "Sensitivity", "Training run",
        "Equations", "Sources"]
SCENARIO_NAMES = [ui.CUSTOM, *scenarios.SCENARIOS]
STEPS = list(projection.STEPS)
DEFAULT = ui.View("ai-2027-lab-2024", "", ["status-quo", "ai-2027", "brakes"], 10, "year", {})
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ss = st.session_state

st.set_page_config(page_title="fleet-split: how labs split GPU fleets", layout="wide")


@st.cache_resource
def compiled(outputs: tuple[str, ...]) -> Compiled:
    """The fleet-year equations compiled once per process (unit check + lambdify)."""
    return Compiled(EQUATIONS, outputs)


@st.cache_data(max_entries=64)
def evaluate(values: tuple[tuple[str, float], ...], outputs: tuple[str, ...]) -> dict:
    return ui.evaluate(compiled(outputs), dict(values))


@st.cache_data(max_entries=64, show_spinner="Computing...")
def compute(kind: str, ctx: ui.Context, scenario: str, *extra):
    """Projections, Monte Carlo percentiles and tornado swings (see ui.compute)."""
    return ui.compute(kind, ctx, scenario, *extra)


@st.cache_data(max_entries=16, show_spinner=False)
def elasticities(values: tuple[tuple[str, float], ...], output: str) -> pd.DataFrame:
    return sensitivity.elasticities(Settings(dict(values), {}), [output])


@st.cache_data(max_entries=8, show_spinner=False)
def workbook_file(ctx: ui.Context, names: tuple[str, ...]) -> bytes:
    """The live-formula workbook of the current settings and scenarios."""
    book = workbook.build_workbook(ctx.preset, list(names), years=ctx.years, gpu=ctx.gpu,
                                   step=ctx.step, overrides=dict(ctx.overrides))
    return workbook.workbook_bytes(book)


@st.cache_resource
def spec(kind: str, *args) -> dict:
    """An Altair chart's Vega-Lite spec, built once per process (Altair's validation is slow)."""
    return getattr(ui, f"{kind}_spec")(*args)


def chart(data: pd.DataFrame, kind: str, *args) -> None:
    st.vega_lite_chart(data, spec(kind, *args), width="stretch")


# --- state: URL -> widgets on the first run, callbacks after -----------------------------------
def load(settings: Settings, names=None) -> None:
    """Show `settings` in the input widgets (all inputs, or only `names`)."""
    ss.update(ui.widget_state(settings, names))


def apply(view: ui.View) -> None:
    ss.update(preset=view.preset, gpu=view.gpu)
    load(resolve(view.preset, view.gpu))
    ss.update({n: ui.widget_value(n, v) for n, v in view.overrides.items()})


def init_state() -> None:
    """First run of a session: the view from the URL (or the defaults) into the widgets."""
    if "preset" not in ss:
        view, problems = ui.decode_query(st.query_params.to_dict(), DEFAULT, SCENARIO_NAMES,
                                         STEPS)
        ss.update(scenarios=view.scenarios, years=view.years, step=view.step,
                  url_problems=problems, training_run="custom")
        apply(view)


def on_preset() -> None:
    ss.gpu = PRESETS[ss.preset].gpu
    load(resolve(ss.preset))


def on_gpu() -> None:
    load(resolve(ss.preset, ss.gpu), list(GPUS[ss.gpu].inputs()))


def on_reset() -> None:
    load(resolve(ss.preset, ss.gpu))
    ss.training_run = "custom"


def on_run() -> None:
    if ss.training_run in ui.TRAINING_RUNS:
        ss.update({n: ui.widget_value(n, v) for n, v in ui.run_values(ss.training_run).items()})


def on_upload() -> None:
    """Load an uploaded workbook's inputs into the widgets, or say why not."""
    upload, ss.upload_message = ss.get("upload"), None
    if upload is not None:
        try:
            view, found = ui.read_uploaded(upload.getvalue(), upload.name,
                                           workbook_read.read_workbook_inputs)
        except InputError as exc:
            ss.upload_message = f"Not loaded: {exc}"
            return
        apply(view)
        ss.upload_message = f"Loaded {found} inputs from {upload.name}."


# --- sidebar -----------------------------------------------------------------------------------
def input_widget(spec: ui.WidgetSpec) -> None:
    if spec.kind == "select":
        st.selectbox(spec.label, spec.options, key=spec.name, help=spec.help)
    elif spec.kind == "number":
        st.number_input(spec.label, spec.min, spec.max, key=spec.name, help=spec.help,
                        format=spec.format)
    else:  # value= equals the state (which wins) and spares a scan of the whole state
        st.slider(spec.label, spec.min, spec.max, ss[spec.name], step=spec.step,
                  format=spec.format, key=spec.name, help=spec.help)


def sidebar() -> None:
    st.header("Settings")
    st.selectbox("Preset (lab)", list(PRESETS), key="preset", on_change=on_preset,
                 format_func=lambda p: PRESETS[p].title, help=PRESETS[ss.preset].description)
    st.selectbox("GPU type", list(GPUS), key="gpu", on_change=on_gpu,
                 format_func=lambda g: GPUS[g].label, help=GPUS[ss.gpu].source)
    st.multiselect("Scenarios to compare", SCENARIO_NAMES, key="scenarios",
                   help="custom: the sidebar's values alone. " + "  \n".join(
                       f"{s.name}: {s.description}" for s in scenarios.SCENARIOS.values()))
    left, right = st.columns(2)
    left.slider("Horizon [year]", 1, 30, key="years")
    right.selectbox("Step", STEPS, key="step")
    st.button("Reset to the preset's values", on_click=on_reset, key="reset")
    more = st.toggle("Show every input", key="more_inputs")
    for title, specs in ui.sidebar_groups(more).items():
        with st.expander(title, expanded=title == "Allocation"):
            for item in specs:
                input_widget(item)


def files(ctx: ui.Context) -> None:
    """Downloads of the current view, and the workbook upload."""
    st.header("Files")
    names = tuple(ui.workbook_scenarios(ss.scenarios))
    st.download_button("Download workbook (xlsx)", lambda: workbook_file(ctx, names),
                       file_name=f"fleet-split-{ctx.preset}.xlsx", mime=XLSX, key="download_xlsx",
                       help="The current settings as live Excel formulas (edit the Inputs sheet)")
    st.download_button("Download projection (CSV)", lambda: ui.projection_csv(
        {n: compute("projection", ctx, n)[0] for n in ss.scenarios or [ui.CUSTOM]}),
        file_name=f"fleet-split-{ctx.preset}-projection.csv", mime="text/csv",
        key="download_csv")
    st.file_uploader("Load an edited workbook (xlsx)", type=["xlsx"], key="upload",
                     on_change=on_upload, max_upload_size=ui.MAX_UPLOAD_MB,
                     help="Reads the Inputs sheet's values (validated; formulas are refused)")
    if ss.get("upload_message"):
        (st.success if ss.upload_message.startswith("Loaded") else st.error)(ss.upload_message)


def current_settings() -> tuple[Settings, dict[str, float]]:
    """The settings the widgets describe, or the last valid ones with an error message."""
    base = resolve(ss.preset, ss.gpu)
    overrides = ui.overrides_from_widgets(ss, base)
    try:
        ss.last_valid = resolve(ss.preset, ss.gpu, overrides)
        ss.last_overrides = overrides
    except InputError as exc:
        st.error(f"{exc}. Showing the last valid result.", icon=":material/error:")
    wanted = ui.encode_query(ui.View(ss.preset, ss.gpu, list(ss.scenarios), ss.years, ss.step,
                                     overrides))
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
    return ss.get("last_valid", base), ss.get("last_overrides", {})


# --- tabs --------------------------------------------------------------------------------------
def budget_tab(settings: Settings) -> None:
    out = evaluate(tuple(settings.values.items()), BUDGET_OUTPUTS)
    cols = st.columns(4)
    for i, (label, value, name) in enumerate(ui.headline(settings.values, out)):
        cols[i % 4].metric(label, value, help=CATALOGUE[name].description)
    frame = ui.fleet_split(out)
    left, right = st.columns(2)
    with left:
        chart(frame, "bar", "gpus", "GPUs [GPU]")
    with right:
        chart(frame, "bar", "budget_usd_per_year", "Spend [USD/year]")
    number = st.column_config.NumberColumn
    st.dataframe(frame, hide_index=True, column_config={
        "gpus": number("GPUs [GPU]", format="localized"),
        "compute_flop_per_year": number("Compute [FLOP/year]", format="scientific"),
        "budget_usd_per_year": number("Spend [USD/year]", format="dollar"),
        "share_of_spend": number("Share of spend", format="percent")})


def runs(ctx: ui.Context) -> dict[str, tuple]:
    """{scenario: (frame, summary)} for the chosen scenarios; an InputError is shown."""
    out = {}
    for name in ss.scenarios or [ui.CUSTOM]:
        try:
            out[name] = compute("projection", ctx, name)
        except InputError as exc:
            st.error(f"{name}: {exc}")
    return out


def views(ctx: ui.Context, sections: dict[str, tuple[list[str], bool]]) -> dict:
    """One subheader per section, then its projection charts (faceted by scenario or not)."""
    done = runs(ctx)
    frames = {k: v[0] for k, v in done.items()}
    for title, (names, facet) in sections.items():
        st.subheader(title)
        for name in names:
            columns, y_title, log = ui.PROJECTION_VIEWS[name]
            chart(ui.long_frame(frames, columns, log), "line", y_title, log, facet)
    return done


def finance_tab(ctx: ui.Context) -> None:
    done = views(ctx, {"Revenue and compute cost by use": (["revenue"], True),
                       "Margin, free cash flow and cumulative cash": (["cash"], True)})
    st.subheader("NPV and payback")
    st.dataframe(ui.finance_table({k: v[1] for k, v in done.items()}), hide_index=True)


def uncertainty_tab(ctx: ui.Context) -> None:
    st.caption("Uncertain inputs are drawn as lognormal factors around the settings (90% "
               "intervals in model.montecarlo.UNCERTAIN); bands are the 5th-95th percentiles.")
    cols = st.columns(3)
    column = cols[0].selectbox("Output", ui.KEY_OUTPUTS, key="mc_output")
    samples = cols[1].number_input("Samples", 100, 100_000, 2_000, step=500, key="mc_samples")
    seed = cols[2].number_input("Seed", 0, 10**6, 0, key="mc_seed")
    names, key = ss.scenarios or [ui.CUSTOM], (ctx, tuple(ss.scenarios), samples, seed)
    if st.button("Run Monte Carlo", key="mc_run", type="primary"):
        bar, done = st.progress(0.0, text="Sampling..."), {}
        for i, name in enumerate(names):
            bar.progress(i / len(names), text=f"Sampling {name}: {samples:,} samples...")
            try:
                done[name] = compute("montecarlo", ctx, name, samples, seed)
            except InputError as exc:
                st.error(f"{name}: {exc}")
        bar.progress(1.0, text="Done")
        ss.mc = (key, done)
    if ss.get("mc") is None or ss.mc[0] != key or not ss.mc[1]:
        return st.info("Press **Run Monte Carlo** to sample the chosen scenarios.")
    frame = pd.concat([ui.fan_frame(mc, column, name) for name, mc in ss.mc[1].items()])
    chart(frame, "fan", ui.output_title(column), ui.positive(frame, ["p5", "p50", "p95"]))


def sensitivity_tab(ctx: ui.Context, settings: Settings) -> None:
    cols = st.columns(2)
    output = cols[0].selectbox("Output (at the horizon)", ui.KEY_OUTPUTS, key="tornado_output")
    scenario = cols[1].selectbox("Scenario", ss.scenarios or [ui.CUSTOM], key="tornado_scenario")
    try:
        df = compute("tornado", ctx, scenario, output)
    except InputError as exc:
        return st.error(str(exc))
    st.caption(f"Each uncertain input at its 5th and then 95th percentile, the others held; "
               f"`{output}` at the base: {ui.format_value(output, df.attrs['base'])}.")
    chart(ui.tornado_frame(df), "tornado", ui.output_title(output))
    st.subheader("Exact elasticities of a fleet-year output (sympy derivatives)")
    name = st.selectbox("Fleet-year output", BUDGET_OUTPUTS, key="elasticity_output",
                        index=BUDGET_OUTPUTS.index("inference_margin"))
    st.dataframe(elasticities(tuple(settings.values.items()), name), hide_index=True)


def training_tab(settings: Settings) -> None:
    st.selectbox("Training run", ["custom", *ui.TRAINING_RUNS], key="training_run",
                 on_change=on_run, help="Load a documented run's inputs into the sidebar "
                 "(Training run, Allocation and Costs sections), or edit them there")
    out = evaluate(tuple(settings.values.items()), TRAINING_OUTPUTS + ("fleet_gpu_hours",))
    for col, name in zip(st.columns(4), list(ui.TRAINING_METRICS)[:4], strict=False):
        col.metric(ui.TRAINING_METRICS[name], ui.format_output(name, out[name]),
                   help=CATALOGUE[name].description)
    st.dataframe(ui.training_table(out), hide_index=True)


def equations_tab() -> None:
    for title, frame in {"Fleet-year budget": ui.equations_frame(),
                         "Projection: each step (`_prev`: the previous step's value)":
                         ui.equations_frame(projection.STEP)}.items():
        st.subheader(title)
        st.caption(f"{len(frame)} equations, each a sympy expression over catalogue symbols.")
        for row in frame.itertuples():
            st.latex(row.latex)
            st.caption(f"`{row.name}` [{row.unit}]: {row.description}. Symbols: {row.symbols}. "
                       f"Source: {row.source}")


def sources_tab(settings: Settings) -> None:
    st.subheader("References")
    st.dataframe(ui.sources_frame(), hide_index=True)
    st.subheader("Current inputs and their sources")
    st.dataframe(ui.inputs_frame(settings), hide_index=True)


def main() -> None:
    init_state()
    with st.sidebar:
        sidebar()
    st.title("How labs split their GPU fleets")
    for problem in ss.get("url_problems", []):
        st.warning(f"Ignored from the link: {problem}")
    settings, overrides = current_settings()
    ctx = ui.Context(ss.preset, ss.gpu, tuple(sorted(overrides.items())), ss.years, ss.step)
    with st.sidebar:
        files(ctx)
    pages = {
        "Budget": lambda: budget_tab(settings),
        "Projection": lambda: views(ctx, {
            "Research vs inference budget": (["budgets"], True),
            "Headline AI R&D multiplier vs effective research speed-up": (["multiplier"], True),
            "Fleet and software efficiency": (["fleet", "software"], False)}),
        "Finance": lambda: finance_tab(ctx),
        "Uncertainty": lambda: uncertainty_tab(ctx),
        "Sensitivity": lambda: sensitivity_tab(ctx, settings),
        "Training run": lambda: training_tab(settings),
        "Equations": equations_tab,
        "Sources": lambda: sources_tab(settings),
    }
    for tab, name in zip(st.tabs(TABS, key="tab", on_change="rerun"), TABS, strict=True):
        if tab.open:
            with tab:
                pages[name]()


main()
