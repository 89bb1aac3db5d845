"""The Backtest tab (a page module: streamlit here): does the model reproduce what happened
after its base years? Each lab preset from 2024, and the end-2025 market of labs, beside the
figures published later, none of which set a default (docs/MODEL.md, "Backtest")."""

from __future__ import annotations

import streamlit as st

from model.loop.steps import DEFAULT_STEP

from . import tables
from .page_common import backtests, metrics, table


def _count(frame, step: str) -> str:
    at = frame[frame["step"] == step]
    return f"{int(at['within'].sum())} of {len(at)}"


def backtest_tab() -> None:
    labs, market = backtests()
    st.subheader("Does the model reproduce what happened next?")
    st.caption(
        "The presets as shipped (not the sidebar's inputs), run from their base year and read "
        "as each figure was published: a year's or a quarter's revenue, a stock at a year's "
        "end, a run-rate or a rent at a month. Ratio = modelled / published; a match lies in "
        "0.8-1.2. None of these figures set a default; docs/MODEL.md lists the calibration "
        "targets apart, and says why each miss misses (`python -m model backtest`, "
        "`--market`).")
    metrics([
        ("Single labs from 2024", _count(labs, DEFAULT_STEP), "readings in their band at the "
         f"default ({DEFAULT_STEP}ly) steps; each lab against an exogenous frontier, with a "
         "fixed share of the world's chips"),
        ("Market of labs from end-2025", _count(market, DEFAULT_STEP), "readings in their band "
         f"at {DEFAULT_STEP}ly steps; the labs bid for one chip supply and share one "
         "customer market, each keeping its 2025 split")])
    st.markdown("**The market of labs, from end-2025, against 2026**")
    table(tables.backtest_frame(market))
    st.markdown("**Each lab alone, from its 2024 preset**")
    table(tables.backtest_frame(labs))
