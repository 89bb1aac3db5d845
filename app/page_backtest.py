"""The Backtest tab (a page module: streamlit here): does the model reproduce what happened
after its base years? Each lab preset from 2024, and the end-2025 market of labs, beside the
figures published later, none of which set a default (docs/MODEL.md, "Backtest")."""

from __future__ import annotations

import streamlit as st

from model.loop.steps import DEFAULT_STEP

from . import tables
from .page_common import backtest_intervals, backtest_levers, backtests, metrics, table

ss = st.session_state


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
    _levers()
    _intervals()


def _asked(title: str, caption: str, button: str, key: str, wait: str) -> bool:
    """A section run on request: its title and caption, its button (`key`_run), and until it is
    pressed `wait` as a notice; whether it has been pressed (for the session)."""
    st.markdown(f"**{title}**")
    st.caption(caption)
    if st.button(button, key=f"{key}_run"):
        ss[f"{key}_shown"] = True
    if not ss.get(f"{key}_shown"):
        st.info(wait)
        return False
    return True


def _levers() -> None:
    """What landing would take (model.odds.levers), run on request: a few seconds."""
    if _asked(
            "What would it take to land?",
            "The single-lab backtest again, with one departure from the defaults at a time, one "
            f"for each cause of the misses, then all together, at {DEFAULT_STEP}ly steps. Each "
            "stands for what 2025-26 turned out to be where a default set from sources up to "
            "2024 said otherwise; chosen after seeing the backtest, none is a default (`python "
            "-m model backtest --levers`; docs/MODEL.md, \"What it would take\").",
            "Run the departures", "backtest_levers",
            "Press **Run the departures** to see what it would take."):
        table(tables.levers_frame(backtest_levers()))


def _covered(frame) -> str:
    return f"{int(frame['covered'].sum())} of {len(frame)}"


def _intervals() -> None:
    """The same figures against the spread of the model's draws (model.odds.backtest), run on
    request: about ten seconds."""
    if not _asked(
            "Against the model's own uncertainty",
            "A miss at the central inputs may still be a figure the model's stated uncertainty "
            "allows. Each backtest over 200 draws of the uncertain inputs (the Monte Carlo's; "
            f"the market's labs' intervals too), at {DEFAULT_STEP}ly steps: the draws' 5th, "
            "50th and 95th percentiles, whether the published figure lies between the 5th and "
            "95th, and its rank (the share of draws below it; near 0 or 1 the model's "
            "uncertainty does not reach it). A wide interval covers cheaply: read its width too "
            "(`python -m model backtest --intervals`, `--market`).",
            "Run the draws", "backtest_intervals",
            "Press **Run the draws** to run the backtests over the uncertain inputs."):
        return
    labs, market = backtest_intervals()
    metrics([
        ("Single labs: in their 90% interval", _covered(labs), "readings whose published "
         "figure lies between the draws' 5th and 95th percentiles"),
        ("Market of labs: in their 90% interval", _covered(market), "readings whose published "
         "figure lies between the draws' 5th and 95th percentiles")])
    table(tables.interval_frame(market))
    table(tables.interval_frame(labs))
