"""What every tab of the page shares: the cached heavy work, and how a chart, a table and a row
of metrics are drawn. A page module (page_*.py): it and streamlit_app.py alone use streamlit.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from model.core.errors import InputError
from model.core.resolve import Settings
from model.loop import sensitivity
from model.report import palette

from . import axes, charts, ignored
from . import compute as calc
from .inputs import CUSTOM

ss = st.session_state


@st.cache_data(max_entries=64)
def evaluate(values: tuple[tuple[str, float], ...], outputs: tuple[str, ...]) -> dict:
    return calc.evaluate(dict(values), outputs)


@st.cache_data(max_entries=8, show_spinner="Clearing the market of labs...")
def market_view(scenario: str, years: int, step: str) -> calc.MarketView:
    return calc.market_view(scenario, years, step)


@st.cache_data(max_entries=4, show_spinner="The labs choose their research shares (best "
               "replies, then the joint optimum)...")
def market_nash_view(scenario: str, years: int) -> calc.NashView:
    return calc.market_nash_view(scenario, years)


@st.cache_data(max_entries=1, show_spinner="Running the backtests (a few seconds)...")
def backtests() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(each lab preset from its base year, the end-2025 market of labs, the labs of 2024 as
    one market) against what was published later: the presets as shipped, whatever the sidebar
    says."""
    from model.loop.backtest import backtest
    from model.market.backtest import backtest as market_backtest
    from model.market.backtest import backtest_2024

    return backtest(), market_backtest(), backtest_2024()


@st.cache_data(max_entries=1, show_spinner="Running the backtests over 200 draws of the "
               "uncertain inputs (about fifteen seconds)...")
def backtest_intervals() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """backtests(), each observable over the Monte Carlo's draws at the default step
    (model.odds.backtest.intervals): (the lab presets, the market of labs, the market from
    2024)."""
    from model.loop.steps import DEFAULT_STEP
    from model.odds.backtest import intervals

    steps = (DEFAULT_STEP,)
    return (intervals(steps=steps), intervals(market=True, steps=steps),
            intervals(market=True, from_2024=True, steps=steps))


@st.cache_data(max_entries=1, show_spinner="Running the backtest with each departure (a few "
               "seconds)...")
def backtest_levers() -> pd.DataFrame:
    """The single-lab backtest at the default step with one departure from the defaults at a
    time, then all together (model.odds.levers)."""
    from model.loop.steps import DEFAULT_STEP
    from model.odds.levers import levers

    return levers(steps=(DEFAULT_STEP,))


@st.cache_data(max_entries=8, show_spinner="Running the backtest with your inputs (a few "
               "seconds)...")
def backtest_departed(sets: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    """The single-lab backtest at the default step with the reader's `sets` (name, value text)
    in every preset (model.odds.levers.with_sets; InputError before any preset is run)."""
    from model.loop.backtest import backtest
    from model.loop.steps import DEFAULT_STEP
    from model.odds.levers import with_sets

    return backtest(with_sets(dict(sets)), steps=(DEFAULT_STEP,))


@st.cache_data(max_entries=8, show_spinner="Running the market from 2024 with your inputs (a "
               "few seconds)...")
def market_departed(sets: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    """The labs of 2024 as one market at the default step with the reader's `sets` in every
    lab (model.market.backtest.backtest_2024; InputError before any step is run)."""
    from model.loop.steps import DEFAULT_STEP
    from model.market.backtest import backtest_2024

    return backtest_2024(steps=(DEFAULT_STEP,), overrides=dict(sets))


@st.cache_data(max_entries=64, show_spinner="Computing...")
def compute(kind: str, ctx: calc.Context, scenario: str, *extra):
    """Projections, Monte Carlo percentiles and tornado swings (see calc.compute)."""
    return calc.compute(kind, ctx, scenario, *extra)


@st.cache_data(max_entries=16, show_spinner=False)
def elasticities(values: tuple[tuple[str, float], ...], output: str) -> pd.DataFrame:
    return sensitivity.elasticities(Settings(dict(values), {}), [output])


@st.cache_data(max_entries=16, show_spinner=False)
def ignored_captions(ctx: calc.Context, chosen: tuple[str, ...]) -> list[str]:
    return ignored.ignored_captions(ctx, chosen)


@st.cache_data(max_entries=8, show_spinner=False)
def workbook_file(ctx: calc.Context, names: tuple[str, ...]) -> bytes:
    return calc.workbook_bytes(ctx, names)


@st.cache_data(max_entries=8, show_spinner="Solving for the value-maximising split...")
def value_split(ctx: calc.Context, names: tuple[str, ...]) -> tuple[pd.DataFrame, object]:
    return calc.value_split(ctx, names)


@st.cache_resource
def spec(kind: str, *args) -> dict:
    """An Altair chart's Vega-Lite spec, built once per process (Altair's validation is slow)."""
    return getattr(charts, f"{kind}_spec")(*args)


# The field whose names a chart's spec lists (its colours' domain, or on the binding chart the
# rows' order); line charts go through `lines` and `panels`.
COLOUR_FIELD = {"bar": "use", "fan": "scenario", "binding": "scenario", "observed": "lab"}


def chart(data: pd.DataFrame, kind: str, *args) -> None:
    """A chart as wide as its column, coloured from the palette for the names it shows."""
    names = charts.colour_names(data, COLOUR_FIELD[kind]) if kind in COLOUR_FIELD else None
    drawn = spec(kind, *args, *([names] if names is not None else []))
    if kind == "fan":
        drawn = axes.fitted(drawn, data[["p5", "p95"]].stack(), share=False)
    st.vega_lite_chart(data, drawn, width="stretch")


def lines(data: pd.DataFrame, y_title: str, log: bool, by: str = "scenario") -> None:
    """One line chart, full width, coloured `by` scenario (or lab, or series)."""
    drawn = spec("line", y_title, log, by, charts.colour_names(data, by))
    st.vega_lite_chart(data, axes.fitted(drawn, data["value"], share=False), width="stretch")


PANELS_PER_ROW = 3  # ~300 px a panel at 1366 wide, ~480 at 1920


def panels(data: pd.DataFrame, y_title: str, log: bool) -> None:
    """One panel per scenario, in the scenarios' order, side by side in columns (each filling
    its column at any width, which a Vega-Lite facet cannot) on one shared y axis."""
    names, series = charts.colour_names(data, "scenario"), charts.colour_names(data, "series")
    for first in range(0, len(names), PANELS_PER_ROW):
        row = names[first:first + PANELS_PER_ROW]
        for column, name in zip(st.columns(PANELS_PER_ROW), row, strict=False):
            drawn = spec("line", y_title, log, "series", series, name)
            with column:
                st.vega_lite_chart(data[data["scenario"] == name],
                                   axes.fitted(drawn, data["value"], share=True),
                                   width="stretch")


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


def each(kind: str, ctx: calc.Context, *extra, bar=None) -> dict:
    """{scenario: compute(kind, ...)} for the chosen scenarios; an InputError is shown."""
    # in the scenario list's order, the order the sentences, panels and legends use
    names, out = palette.in_order(ss.scenarios) or [CUSTOM], {}
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
            frame = charts.long_frame(frames, columns, log)
            (panels if facet else lines)(frame, y_title, log)
    return done
