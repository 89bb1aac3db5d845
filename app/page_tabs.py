"""The page's tabs, each a function of the current settings (a page module: streamlit here).

Headline first: research against inference over time for the chosen scenarios side by side,
one generated sentence each, and what a value-maximising lab would choose.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from model.core.equations import BUDGET_OUTPUTS, TRAINING_OUTPUTS
from model.core.errors import InputError
from model.core.resolve import Settings, training_over_fleet
from model.loop import montecarlo, projection
from model.market import reveal_table
from model.market.observed import panel, research_points
from model.market.presets import LOOKAHEAD
from model.odds import headline as odds_headline
from model.report import market_doc
from model.report.formats import format_value, money
from model.report.split_doc import optimiser_status

from . import charts, headline, tables
from . import compute as calc
from . import widget_state as widgets
from .ignored import market_caption
from .inputs import CUSTOM
from .page_common import (
    chart,
    compute,
    each,
    elasticities,
    evaluate,
    lines,
    market_nash_view,
    market_view,
    metrics,
    panels,
    ss,
    table,
    value_split,
    views,
)


def headline_tab(ctx: calc.Context) -> None:
    st.subheader("The market's answer, with its odds")
    odds = odds_headline.read()
    st.caption(f"Does research's share of the end-2025 labs' compute fall relative to inference "
               f"as their fleets grow? The share of {odds['samples']} draws of the uncertain "
               "inputs per scenario in which it does, each draw the six labs' equilibrium and "
               f"each lab alone, solved {odds.get('lookahead', 0)} years beyond the last year "
               "read so that the horizon's end does not cut research (docs/odds.json, `make "
               "odds`; ± is the binomial standard error). "
               f"Falls: {market_doc.MARKET_TEST}. Ends lower: {market_doc.MARKET_ENDS}.")
    st.markdown(market_doc.odds_markdown(odds))
    st.subheader("Research or inference: who wins the fleet?")
    frames = {k: v[0] for k, v in each("projection", ctx).items()}
    for name, text in headline.sentences(frames).items():
        st.markdown(f"**{name}**: {text}")
        solution = frames[name].attrs.get("solution")
        if solution is not None:
            st.caption(optimiser_status(solution))
    panels(charts.long_frame(frames, headline.BUDGETS, True), "Budget [USD/year]", True)
    panels(charts.long_frame(frames, headline.SHARES), "Share of the fleet [%]", False)
    st.subheader("What would a value-maximising lab give research?")
    st.caption("The split that maximises each scenario's NPV under the closed loop, with the "
               "sidebar's settings (allocation_policy value-maximising; a few seconds each).")
    names = tuple(n for n in (ss.scenarios or [CUSTOM]) if n != CUSTOM) or ("status-quo",)
    key = (ctx, names)
    if st.button("Derive the value-maximising split", key="vm_run", type="primary"):
        ss.vm = (key, value_split(ctx, names))
    if ss.get("vm") is None or ss.vm[0] != key:
        return st.info("Press **Derive the value-maximising split** to solve the chosen "
                       "scenarios.")
    split, breaks = ss.vm[1]
    table(tables.value_split_frame(split), tables.value_split_columns(split.attrs["base_year"]))
    st.caption(f"Break-even AI R&D multiplier for this preset: {breaks} (a constant multiplier "
               "above which moving a GPU from inference to research raises NPV).")


def budget_tab(settings: Settings) -> None:
    out = evaluate(tuple(settings.values.items()), BUDGET_OUTPUTS)
    metrics(tables.headline(settings.values, out))
    frame = tables.fleet_split(out)
    for col, column in zip(st.columns(2), ("gpus", "budget_usd_per_year"), strict=True):
        with col:
            chart(frame, "bar", column, tables.FLEET_COLUMNS[column][0])
    table(tables.fleet_table(frame), tables.FLEET_COLUMNS)


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
               "intervals in model.loop.montecarlo.UNCERTAIN); bands are the 5th-95th "
               "percentiles.")
    cols = st.columns(3)
    column = cols[0].selectbox("Output", charts.KEY_OUTPUTS, key="mc_output")
    cap = montecarlo.max_samples(projection.steps_for(ctx.years, ctx.step)[0])
    ss.setdefault("mc_samples", min(2_000, cap))
    if ss.mc_samples > cap:  # the horizon or step changed under a larger request
        ss.mc_samples = cap
        st.caption(f"Samples held to {cap:,}, the most this horizon and step allow "
                   f"({montecarlo.MAX_SAMPLE_STEPS:,} sample-steps, about a minute).")
    samples = cols[1].number_input("Samples", 100, cap, step=500, key="mc_samples",
                                   help=f"At most {cap:,} at this horizon and step")
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
    scenario = cols[1].selectbox("Scenario", ss.scenarios or [CUSTOM], key="tornado_scenario")
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


def training_tab(settings: Settings, on_event) -> None:
    st.selectbox("Training run", ["custom", *widgets.TRAINING_RUNS], key="training_run",
                 on_change=on_event, args=("training_run",),
                 help="Load a documented run's inputs into the sidebar (Training run, "
                 "Allocation and Costs sections), or edit them there")
    out = evaluate(tuple(settings.values.items()), TRAINING_OUTPUTS + ("fleet_gpu_hours",))
    odd = training_over_fleet(settings.values)
    if odd:
        st.warning(odd[0].upper() + odd[1:] + ".")
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


def market_tab(ctx: calc.Context) -> None:
    scenario = next((s for s in ss.scenarios if s != CUSTOM), "status-quo")
    st.subheader(f"The market of labs under {scenario}")
    st.caption("The end-2025 frontier labs (Epoch AI's compute estimates) and the rest of the "
               "world share one chip supply and one customer market. Not a forecast: chip "
               "production does not answer the price, revenue falls with the frontier's price "
               "while fleets grow, demand is sized by capability against the historical path "
               "and fleets by capital (where the labs fall behind that path together, serving "
               "GPUs idle and run experiments, counted as research), and the page runs "
               f"{calc.MARKET_YEARS} years at most "
               "(`python -m model market` runs any horizon and step).")
    unread = market_caption(ctx)
    if unread:
        st.caption(unread)
    if st.toggle("Labs choose their research shares: the equilibrium beside the joint optimum "
                 f"({calc.NASH_STEP}ly steps, the labs choosing {LOOKAHEAD} years beyond "
                 "those shown; about a minute the first time)",
                 key="market_nash"):
        _nash_view(scenario, ctx)
        return
    st.caption("Each lab keeps its scenario's allocation policy (its 2025 split, or the "
               "scenario's): the market those policies meet.")
    view = market_view(scenario, ctx.years, ctx.step)
    if not view.converged:
        st.warning(f"The market did not clear: a step still moved after {view.iterations} "
                   f"runs (change {view.change:.1e}); read its paths as unfinished.")
    else:
        st.caption(f"Cleared step by step, each in at most {view.iterations} runs (last change "
                   f"{view.change:.1e}).")
    for column, title in (("market_share", "Share of customers"),
                          ("share_research", "Research share of the fleet"),
                          ("share_inference", "Inference share of the fleet"),
                          ("fleet_gpus", "Fleet (H100e)")):
        st.markdown(f"**{title}**")
        if column == "share_research":
            _observed(view.labs, "the market's research shares with each lab's policy")
            continue
        lines(calc.lab_lines(view.labs, column, title), title, False)
    st.markdown("**Chip price index (1 = the world's 2025 price path)**")
    chips = view.chips.assign(scenario="chips", series="chip price index",
                              value=view.chips["chip_price_index"])
    lines(chips[["year", "scenario", "series", "value"]], "index", False, by="series")


def _observed(labs: pd.DataFrame, paths: str) -> None:
    """The model's research-share `paths` of `labs` (lines), what labs were observed to give
    research (points; `python -m model observed`), and the beliefs those splits reveal."""
    st.caption(f"Lines: {paths}. Points: published shares (`python -m model observed`; hover "
               "for the source and how it was measured). Research where the source separates "
               "final runs, else all R&D; dollars or GPUs as the source counts them, and not "
               "always the same fleet as the model's lab (Meta's points are the whole "
               "company's).")
    chart(charts.observed_frame(labs, "share_research", research_points(panel())), "observed",
          "Research share of the fleet [%]")
    _revealed()


def _revealed() -> None:
    """The beliefs under which the observed splits are best responses, read from
    docs/reveal.json (`python -m model reveal`): its solves take minutes, so none run here."""
    result = reveal_table.read()
    st.markdown("**Which beliefs make the observed splits best responses?**")
    st.caption(f"Each observed split (numbered as in `python -m model observed`) against the "
               "lab's value-maximising choice in the model, within "
               f"{result['tolerance'] * 100:g} points of its research + inference pool: the "
               "values of each input under which it fits, the input swept alone ("
               + "; ".join(f"{s['label']} `{s['input']}` under `{s['scenario']}`"
                           for s in result["sweeps"].values())
               + "). Best response: the lab alone, a price-taker from its 2024 preset "
               "(a 2024 split kept in its first chosen quarter; a 2025 one as 2025's mean or "
               "its last step), or its best reply in the end-2025 market of labs, the others "
               "at their base-year splits. 'none in range': no value fits; '(bound)': the fit "
               "reaches the input's "
               "bound. Read from docs/reveal.json (`python -m model reveal --lab NAME`, "
               f"regenerated by `make docs`; {result['years']} years at {result['step']} "
               "steps).")
    table(tables.reveal_frame(result), tables.reveal_columns(result))


def _nash_view(scenario: str, ctx: calc.Context) -> None:
    try:
        view = market_nash_view(scenario, ctx.years)
    except InputError as exc:
        st.error(str(exc))
        return
    gain = format_value("max_deviation_gain", view.max_deviation_gain, "")
    if view.converged:
        st.caption(f"An equilibrium after {view.rounds} rounds of best replies: no lab gains "
                   f"more than {gain} of its NPV by deviating alone.")
    else:
        st.warning(f"No equilibrium after {view.rounds} rounds (the rounds' cap): in "
                   f"the paths closest to one a lab still gains {gain} of its NPV by "
                   "deviating. Read them as unfinished.")
    metrics([("Summed NPV, equilibrium", money(view.npv), "the labs' NPVs added up, over the "
              f"years they chose ({LOOKAHEAD} beyond those shown)"),
             ("Summed NPV, one owner", money(view.joint_npv), "the joint optimum's, over the "
              "same years"),
             ("What the race costs", money(view.joint_npv - view.npv),
              "joint less equilibrium: what competing for customers and chips costs the labs "
              "together")])
    for column, title in (("share_research", "Research share of the fleet"),
                          ("market_share", "Share of customers"),
                          ("share_inference", "Inference share of the fleet")):
        st.markdown(f"**{title}**")
        panels(calc.nash_beside_joint(view, column), title, False)
        if column == "share_research":
            _observed(view.labs, "the equilibrium's research shares (each lab for itself)")
    race = (view.labs.groupby("lab", sort=False)["race"].mean() * 100).rename("race")
    st.markdown("**The race: the equilibrium's research share less the joint optimum's, "
                "averaged over the years (points of the fleet)**")
    table(race.reset_index(), {"lab": ("lab", None), "race": ("race [points]", "%+.1f")})
    st.markdown("**Chip price index (1 = the world's 2025 price path)**")
    lines(view.chips, "index", False)


def sources_tab(settings: Settings) -> None:
    st.subheader("References")
    table(tables.sources_frame(settings))
    st.subheader("Current inputs and their sources")
    table(tables.inputs_frame(settings))
