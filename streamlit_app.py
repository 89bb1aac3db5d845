"""Streamlit app: a thin page of layout over `model` (run: streamlit run streamlit_app.py).

Widget keys are the model's own names. The current view lives in the URL query string, so a
link reproduces it. Only the open tab runs (lazy tabs); heavy work is cached or on a button.
"""

from __future__ import annotations

import streamlit as st

from app import compute as calc
from app import inputs as ui
from app import page_backtest as backtest
from app import page_tabs as tabs
from app import widget_state as widgets
from app.page_common import compute, ignored_captions, ss, workbook_file
from model.core.errors import InputError
from model.core.gpus import GPUS
from model.core.presets import PRESETS
from model.core.resolve import Settings, resolve
from model.workbook import read as workbook_read

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

st.set_page_config(page_title="fleet-split: how labs split GPU fleets", layout="wide")


# --- state: URL -> widgets on the first run, callbacks after (values from widget_state) ------
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
    left.slider("Horizon [year]", *ui.HORIZON, key="years")
    right.selectbox("Step", ui.STEPS, key="step")
    st.button("Reset to the preset's values", on_click=on_event, args=("reset",), key="reset")
    more = st.toggle("Show every input", key="more_inputs")
    # help cites the preset's and GPU's sources (a user's own value is 'user setting' on Sources)
    for title, specs in ui.sidebar_groups(more, resolve(ss.preset, ss.gpu).sources).items():
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
        for caption in ignored_captions(ctx, tuple(ss.scenarios)):  # beside the inputs
            st.caption(caption)
        files(ctx)
    pages = {
        "Headline": lambda: tabs.headline_tab(ctx),
        "Budget": lambda: tabs.budget_tab(settings),
        "Projection": lambda: tabs.projection_tab(ctx),
        "Finance": lambda: tabs.finance_tab(ctx),
        "Uncertainty": lambda: tabs.uncertainty_tab(ctx),
        "Sensitivity": lambda: tabs.sensitivity_tab(ctx, settings),
        "Market": lambda: tabs.market_tab(ctx),
        "Backtest": backtest.backtest_tab,
        "Training run": lambda: tabs.training_tab(settings, on_event),
        "Equations": tabs.equations_tab,
        "Sources": lambda: tabs.sources_tab(settings),
    }
    for tab, page in zip(st.tabs(list(pages), key="tab", on_change="rerun"), pages.values(),
                         strict=True):
        if tab.open:
            with tab:
                page()


main()
