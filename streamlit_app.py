"""Streamlit app: a thin page of layout over `model` (run: streamlit run streamlit_app.py).

Widget keys are the model's own names. The current view lives in the URL query string, so a
link reproduces it. Only the open tab runs (lazy tabs); heavy work is cached or on a button.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import charts, tables
from app import compute as calc
from app import inputs as ui
from app import widget_state as widgets
from model.core.equations import BUDGET_OUTPUTS, TRAINING_OUTPUTS
from model.core.errors import InputError
from model.core.gpus import GPUS
from model.core.presets import PRESETS
from model.core.resolve import Settings, resolve
from model.loop import projection, sensitivity
from model.report.formats import format_value
from model.workbook import read as workbook_read

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ss = st.session_state

st.set_page_config(page_title="fleet-split: how labs split GPU fleets", layout="wide")


@st.cache_data(max_entries=64)
def evaluate(values: tuple[tuple[str, float], ...], outputs: tuple[str, ...]) -> dict:
    return calc.evaluate(dict(values), outputs)


@st.cache_data(max_entries=64, show_spinner="Computing...")
def compute(kind: str, ctx: calc.Context, scenario: str, *extra):
    """Projections, Monte Carlo percentiles and tornado swings (see calc.compute)."""
    return calc.compute(kind, ctx, scenario, *extra)


@st.cache_data(max_entries=16, show_spinner=False)
def elasticities(values: tuple[tuple[str, float], ...], output: str) -> pd.DataFrame:
    return sensitivity.elasticities(Settings(dict(values), {}), [output])


@st.cache_data(max_entries=8, show_spinner=False)
def workbook_file(ctx: calc.Context, names: tuple[str, ...]) -> bytes:
    return calc.workbook_bytes(ctx, names)


@st.cache_resource
def spec(kind: str, *args) -> dict:
    """An Altair chart's Vega-Lite spec, built once per process (Altair's validation is slow)."""
    return getattr(charts, f"{kind}_spec")(*args)


def chart(data: pd.DataFrame, kind: str, *args) -> None:
    st.vega_lite_chart(data, spec(kind, *args), width="stretch")


def table(frame: pd.DataFrame, formats: dict[str, tuple[str, str | None]] | None = None) -> None:
    """A table; `formats` gives columns a label and a number format (None: right-aligned text)."""
    config = st.column_config
    st.dataframe(frame, hide_index=True, column_config={
        column: config.NumberColumn(label, format=fmt) if fmt else
        config.TextColumn(label, alignment="right")
        for column, (label, fmt) in (formats or {}).items()})


def metrics(items: list[tuple[str, str, str]]) -> None:
    """(label, value, help) as metrics, four to a row."""
    cols = st.columns(4)
    for i, (label, value, hover) in enumerate(items):
        cols[i % 4].metric(label, value, help=hover)


# --- state: URL -> widgets on the first run, callbacks after (values from app_state) --------
def init_state() -> None:
    """First run of a session: the view from the URL (or the defaults) into the widgets."""
    if "preset" not in ss:
        view, problems = ui.decode_query(st.query_params.to_dict(), ui.DEFAULT_VIEW,
                                         ui.SCENARIO_NAMES, ui.STEPS)
        ss.update(scenarios=view.scenarios, years=view.years, step=view.step,
                  url_problems=problems, training_run="custom")
        ss.update(widgets.view_state(view))


def on_event(event: str) -> None:
    """A preset, GPU, reset or training-run choice: its values into the widgets."""
    ss.update(widgets.state_after(event, ss))


def on_upload() -> None:
    """Load an uploaded workbook's inputs into the widgets, or say why not."""
    upload, ss.upload_message = ss.get("upload"), None
    if upload is not None:
        values, ss.upload_message = widgets.upload_state(upload.getvalue(), upload.name,
                                                         workbook_read.read_workbook_inputs)
        ss.update(values)


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
    st.selectbox("Preset (lab)", list(PRESETS), key="preset", on_change=on_event, args=("preset",),
                 format_func=lambda p: PRESETS[p].title, help=PRESETS[ss.preset].description)
    st.selectbox("GPU type", list(GPUS), key="gpu", on_change=on_event, args=("gpu",),
                 format_func=lambda g: GPUS[g].label, help=GPUS[ss.gpu].source)
    st.multiselect("Scenarios to compare", ui.SCENARIO_NAMES, key="scenarios",
                   help=ui.SCENARIO_HELP)
    left, right = st.columns(2)
    left.slider("Horizon [year]", 1, 30, key="years")
    right.selectbox("Step", ui.STEPS, key="step")
    st.button("Reset to the preset's values", on_click=on_event, args=("reset",), key="reset")
    more = st.toggle("Show every input", key="more_inputs")
    for title, specs in ui.sidebar_groups(more).items():
        with st.expander(title, expanded=title == "Allocation"):
            for item in specs:
                input_widget(item)


def files(ctx: calc.Context) -> None:
    """Downloads of the current view, and the workbook upload."""
    st.header("Files")
    names = tuple(calc.workbook_scenarios(ss.scenarios))
    st.download_button("Download workbook (xlsx)", lambda: workbook_file(ctx, names),
                       file_name=f"fleet-split-{ctx.preset}.xlsx", mime=XLSX, key="download_xlsx",
                       help="The current settings as live Excel formulas (edit the Inputs sheet)")
    st.download_button("Download projection (CSV)", lambda: calc.projection_csv(
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
    overrides = widgets.overrides_from_widgets(ss, base)
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
    metrics(tables.headline(settings.values, out))
    frame = tables.fleet_split(out)
    for col, column in zip(st.columns(2), ("gpus", "budget_usd_per_year"), strict=True):
        with col:
            chart(frame, "bar", column, tables.FLEET_COLUMNS[column][0])
    table(tables.fleet_table(frame), tables.FLEET_COLUMNS)


def each(kind: str, ctx: calc.Context, *extra, bar=None) -> dict:
    """{scenario: compute(kind, ...)} for the chosen scenarios; an InputError is shown."""
    names, out = ss.scenarios or [ui.CUSTOM], {}
    for i, name in enumerate(names):
        if bar is not None:
            bar.progress(i / len(names), text=f"Sampling {name} ({i + 1} of {len(names)})...")
        try:
            out[name] = compute(kind, ctx, name, *extra)
        except InputError as exc:
            st.error(f"{name}: {exc}")
    return out


def views(ctx: calc.Context, sections: dict[str, tuple[list[str], bool]]) -> dict:
    """One subheader per section, then its projection charts (faceted by scenario or not)."""
    done = each("projection", ctx)
    frames = {k: v[0] for k, v in done.items()}
    for title, (names, facet) in sections.items():
        st.subheader(title)
        for name in names:
            columns, y_title, log = charts.PROJECTION_VIEWS[name]
            chart(charts.long_frame(frames, columns, log), "line", y_title, log, facet)
    return done


def projection_tab(ctx: calc.Context) -> None:
    frames = {k: v[0] for k, v in views(ctx, charts.PROJECTION_SECTIONS).items()}
    st.subheader("What binds each step: chips, capital or customers")
    chart(charts.binding_frame(frames), "binding")


def finance_tab(ctx: calc.Context) -> None:
    done = views(ctx, charts.FINANCE_SECTIONS)
    st.subheader("NPV and payback")
    table(tables.finance_table({k: v[1] for k, v in done.items()}))


def uncertainty_tab(ctx: calc.Context) -> None:
    st.caption("Uncertain inputs are drawn as lognormal factors around the settings (90% "
               "intervals in model.montecarlo.UNCERTAIN); bands are the 5th-95th percentiles.")
    cols = st.columns(3)
    column = cols[0].selectbox("Output", charts.KEY_OUTPUTS, key="mc_output")
    samples = cols[1].number_input("Samples", 100, 100_000, 2_000, step=500, key="mc_samples")
    seed = cols[2].number_input("Seed", 0, 10**6, 0, key="mc_seed")
    key = (ctx, tuple(ss.scenarios), samples, seed)
    if st.button("Run Monte Carlo", key="mc_run", type="primary"):
        bar = st.progress(0.0, text="Sampling...")
        ss.mc = (key, each("montecarlo", ctx, samples, seed, bar=bar))
        bar.progress(1.0, text="Done")
    if ss.get("mc") is None or ss.mc[0] != key or not ss.mc[1]:
        return st.info("Press **Run Monte Carlo** to sample the chosen scenarios.")
    frame = pd.concat([charts.fan_frame(mc, column, name) for name, mc in ss.mc[1].items()])
    chart(frame, "fan", charts.output_title(column),
          charts.positive(frame, ["p5", "p50", "p95"]))


def sensitivity_tab(ctx: calc.Context, settings: Settings) -> None:
    cols = st.columns(2)
    output = cols[0].selectbox("Output (at the horizon)", charts.KEY_OUTPUTS, key="tornado_output")
    scenario = cols[1].selectbox("Scenario", ss.scenarios or [ui.CUSTOM], key="tornado_scenario")
    try:
        df = compute("tornado", ctx, scenario, output)
    except InputError as exc:
        return st.error(str(exc))
    st.caption(f"Each uncertain input at its 5th and then 95th percentile, the others held; "
               f"`{output}` at the base: {format_value(output, df.attrs['base'])}.")
    chart(charts.tornado_frame(df), "tornado", charts.output_title(output))
    st.subheader("Exact elasticities of a fleet-year output (sympy derivatives)")
    name = st.selectbox("Fleet-year output", BUDGET_OUTPUTS, key="elasticity_output",
                        index=BUDGET_OUTPUTS.index("inference_margin"))
    table(tables.elasticity_frame(elasticities(tuple(settings.values.items()), name)),
          tables.ELASTICITY_COLUMNS)


def training_tab(settings: Settings) -> None:
    st.selectbox("Training run", ["custom", *widgets.TRAINING_RUNS], key="training_run",
                 on_change=on_event, args=("training_run",),
                 help="Load a documented run's inputs into the sidebar (Training run, "
                 "Allocation and Costs sections), or edit them there")
    out = evaluate(tuple(settings.values.items()), TRAINING_OUTPUTS + ("fleet_gpu_hours",))
    metrics(tables.training_metrics(out))
    table(tables.training_table(out))


def equations_tab() -> None:
    for title, frame in {"Fleet-year budget": tables.equations_frame(),
                         "Projection: each step (`_prev`: the previous step's value)":
                         tables.equations_frame(projection.STEP)}.items():
        st.subheader(title)
        st.caption(f"{len(frame)} equations, each a sympy expression over catalogue symbols.")
        for row in frame.itertuples():
            st.latex(row.latex)
            st.caption(row.caption)


def sources_tab(settings: Settings) -> None:
    st.subheader("References")
    table(tables.sources_frame())
    st.subheader("Current inputs and their sources")
    table(tables.inputs_frame(settings))


def main() -> None:
    init_state()
    with st.sidebar:
        sidebar()
    st.title("How labs split their GPU fleets")
    for problem in ss.get("url_problems", []):
        st.warning(f"Ignored from the link: {problem}")
    settings, overrides = current_settings()
    ctx = calc.Context(ss.preset, ss.gpu, tuple(sorted(overrides.items())), ss.years, ss.step)
    with st.sidebar:
        files(ctx)
    pages = {
        "Budget": lambda: budget_tab(settings),
        "Projection": lambda: projection_tab(ctx),
        "Finance": lambda: finance_tab(ctx),
        "Uncertainty": lambda: uncertainty_tab(ctx),
        "Sensitivity": lambda: sensitivity_tab(ctx, settings),
        "Training run": lambda: training_tab(settings),
        "Equations": equations_tab,
        "Sources": lambda: sources_tab(settings),
    }
    for tab, page in zip(st.tabs(list(pages), key="tab", on_change="rerun"), pages.values(),
                         strict=True):
        if tab.open:
            with tab:
                page()


main()
