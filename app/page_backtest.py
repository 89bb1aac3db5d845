"""The Backtest tab (a page module: streamlit here): does the model reproduce what happened
after its base years? Each lab preset from 2024, and the end-2025 market of labs, beside the
figures published later, none of which set a default (docs/MODEL.md, "Backtest")."""

from __future__ import annotations

import streamlit as st

from model.core.errors import InputError
from model.core.resolve import parse_assignment, parse_assignments
from model.loop.steps import DEFAULT_STEP

from . import tables
from .page_common import (
    backtest_departed,
    backtest_intervals,
    backtest_levers,
    backtests,
    market_departed,
    metrics,
    table,
)

ss = st.session_state


def _count(frame, step: str) -> str:
    at = frame[frame["step"] == step]
    return f"{int(at['within'].sum())} of {len(at)}"


def backtest_tab() -> None:
    labs, market, from_2024 = backtests()
    st.subheader("Does the model reproduce what happened next?")
    st.caption(
        "The presets as shipped (not the sidebar's inputs), run from their base year and read "
        "as each figure was published: a year's or a quarter's revenue, a stock at a year's "
        "end, a run-rate or a rent at a month. Ratio = modelled / published; a match lies in "
        "0.8-1.2. None of these figures set a default; docs/MODEL.md lists the calibration "
        "targets apart, and says why each miss misses (`python -m model backtest`, "
        "`--market`, `--market --from-2024`).")
    metrics([
        ("Single labs from 2024", _count(labs, DEFAULT_STEP), "readings in their band at the "
         f"default ({DEFAULT_STEP}ly) steps; each lab against an exogenous frontier, with a "
         "fixed share of the world's chips"),
        ("Market of labs from end-2025", _count(market, DEFAULT_STEP), "readings in their band "
         f"at {DEFAULT_STEP}ly steps; the labs bid for one chip supply and share one "
         "customer market, each keeping its 2025 split"),
        ("Market of labs from 2024", _count(from_2024, DEFAULT_STEP), "the single labs' "
         f"readings and three of its other labs' at {DEFAULT_STEP}ly steps, read from the labs "
         "of 2024 run as one market, each serving demand first")])
    st.markdown("**The market of labs, from end-2025, against 2026**")
    table(tables.backtest_frame(market))
    st.markdown("**Each lab alone, from its 2024 preset**")
    table(tables.backtest_frame(labs))
    st.markdown("**The same readings from the labs of 2024 run as one market**")
    st.caption("OpenAI, Anthropic and Meta as their presets, beside Google DeepMind, xAI and the "
               "rest of the world's chips, with three readings of the two labs no preset has: "
               "a test of the market's mechanisms, not a preset "
               "(`python -m model backtest --market --from-2024`; docs/MODEL.md, \"The market "
               "from 2024\").")
    table(tables.backtest_frame(from_2024))
    _levers()
    _yours(labs, from_2024)
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


# A departure is a few inputs; more lines than this are refused, not run (each line is an
# input, and the text box holds at most MAX_SETS_TEXT characters).
MAX_SETS = 12
MAX_SETS_TEXT = 2_000


def read_sets(text: str) -> dict[str, str]:
    """The reader's departure from its text, one NAME=VALUE a line (blank lines skipped), read
    as `backtest --set` reads its values; InputError naming what is wrong."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise InputError("backtest_sets: expected at least one NAME=VALUE line, e.g. "
                         "capability_price_elasticity=0")
    if len(lines) > MAX_SETS:
        raise InputError(f"backtest_sets: {len(lines)} lines; expected at most {MAX_SETS} "
                         "NAME=VALUE lines")
    for i, line in enumerate(lines, 1):
        try:
            parse_assignment(line)
        except InputError:  # named by its line: the line itself may be anything the reader typed
            raise InputError(f"backtest_sets, line {i}: expected NAME=VALUE, e.g. "
                             "capability_price_elasticity=0") from None
    return parse_assignments(lines, "backtest_sets")


def _yours(labs, from_2024) -> None:
    """The single-lab backtest with a departure of the reader's own (`backtest --set`), run on
    request: a few seconds."""
    st.markdown("**Your own departure**")
    st.caption(
        "The single-lab backtest, and the same readings from the labs of 2024 as one market, "
        "again with inputs of your choosing in every preset and lab, one NAME=VALUE a line (a "
        "value in the input's unit, or with one: `gpu_rental_price=2 USD/GPU/hour`), at "
        f"{DEFAULT_STEP}ly steps, beside the defaults. Your departure is checked against every "
        "preset before any is run. Like the departures above, a value chosen after seeing the "
        "backtest is a diagnosis, not a default (`python -m model backtest --set NAME=VALUE`, "
        "`--market --from-2024`).")
    text = st.text_area("Inputs (NAME=VALUE, one a line)", key="backtest_sets",
                        max_chars=MAX_SETS_TEXT, placeholder="capability_price_elasticity=0")
    if st.button("Run with your inputs", key="backtest_sets_run"):
        ss["backtest_sets_asked"] = text
    asked = ss.get("backtest_sets_asked")
    if asked is None:
        st.info("Press **Run with your inputs** to read the backtest under them.")
        return
    try:
        sets = read_sets(asked)
        yours = backtest_departed(tuple(sets.items()))
    except InputError as exc:
        st.error(str(exc))
        return
    inputs = ", ".join(f"{k}={v}" for k, v in sets.items())
    runs = {"alone, defaults": labs[labs["step"] == DEFAULT_STEP], "alone, yours": yours}
    shown = [("Single labs: your inputs", _count(yours, DEFAULT_STEP),
              f"readings in their band with {inputs}")]
    try:
        market = market_departed(tuple(sets.items()))
    except InputError as exc:  # an input the single labs take but a market's labs do not
        st.info(f"The market from 2024 is not run with these inputs: {exc}")
    else:
        runs |= {"market, defaults": from_2024[from_2024["step"] == DEFAULT_STEP],
                 "market, yours": market}
        shown.append(("Market from 2024: your inputs", _count(market, DEFAULT_STEP),
                      f"the same readings from the labs of 2024 as one market, with {inputs} "
                      "in every lab"))
    metrics(shown)
    table(tables.departure_frame(runs))


def _covered(frame) -> str:
    return f"{int(frame['covered'].sum())} of {len(frame)}"


def _intervals() -> None:
    """The same figures against the spread of the model's draws (model.odds.backtest), run on
    request: about fifteen seconds."""
    if not _asked(
            "Against the model's own uncertainty",
            "A miss at the central inputs may still be a figure the model's stated uncertainty "
            "allows. Each backtest over 200 draws of the uncertain inputs (the Monte Carlo's; "
            f"the market's labs' intervals too), at {DEFAULT_STEP}ly steps: the draws' 5th, "
            "50th and 95th percentiles, whether the published figure lies between the 5th and "
            "95th, and its rank (the share of draws below it; near 0 or 1 the model's "
            "uncertainty does not reach it). A wide interval covers cheaply: read its width too "
            "(`python -m model backtest --intervals`, `--market`, `--market --from-2024`).",
            "Run the draws", "backtest_intervals",
            "Press **Run the draws** to run the backtests over the uncertain inputs."):
        return
    labs, market, from_2024 = backtest_intervals()
    within = "readings whose published figure lies between the draws' 5th and 95th percentiles"
    metrics([("Single labs: in their 90% interval", _covered(labs), within),
             ("Market of labs: in their 90% interval", _covered(market), within),
             ("Market from 2024: in their 90% interval", _covered(from_2024), within)])
    table(tables.interval_frame(market))
    table(tables.interval_frame(labs))
    table(tables.interval_frame(from_2024))
