"""The Streamlit page under AppTest (no browser): every option and slider extreme runs cleanly,
sliders move the numbers they should, bad combinations show a message, links reproduce a view.

Widgets are found by key, and the keys are the model's own names.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app import charts, tables
from app import compute as calc
from app import inputs as ui
from app import widget_state as widgets
from model.core.catalogue import CATALOGUE
from model.core.gpus import GPUS
from model.core.presets import PRESETS
from model.core.resolve import resolve
from model.loop.projection import STEP
from model.loop.scenarios import SCENARIOS
from model.market import reveal_table
from model.market.observed import PANEL, panel, research_points
from model.report import market_doc
from model.workbook import build as workbook
from tests.pages import charts as page_charts

APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")
TIMEOUT = 60


def fresh(query: dict[str, str] | None = None, tab: str = "Budget") -> AppTest:
    """The page on a fresh session, with `tab` open (the page itself opens on Headline)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(query or {})
    at.session_state["tab"] = tab
    return at.run()


def clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def metric(at: AppTest, label_start: str) -> str:
    found = [m.value for m in at.metric if m.label.startswith(label_start)]
    assert found, f"no metric {label_start!r} in {[m.label for m in at.metric]}"
    return found[0]


def open_tab(at: AppTest, name: str) -> AppTest:
    at.session_state["tab"] = name
    return at.run()


def widget(at: AppTest, name: str):
    spec = ui.widget_spec(CATALOGUE[name])
    kind = {"slider": at.slider, "number": at.number_input, "select": at.selectbox}[spec.kind]
    return kind(key=name)


@pytest.fixture(scope="module")
def app() -> AppTest:
    """One session reused by tests that only read or that restore what they change."""
    return fresh()


def test_default_page_renders_every_tab(app):
    clean(app)
    assert not app.error
    for name in ["Budget", "Projection", "Finance", "Uncertainty", "Sensitivity", "Market",
                 "Backtest", "Training run", "Equations", "Sources"]:
        clean(open_tab(app, name))
        assert not app.error, (name, [e.value for e in app.error])
        assert not [i for i in app.info if "not available" in i.value], name
    open_tab(app, "Budget")


@pytest.mark.parametrize("preset", list(PRESETS))
def test_every_preset_runs_and_loads_its_values(app, preset):
    app.selectbox(key="preset").set_value(preset).run()
    clean(app)
    assert not app.error
    expected = resolve(preset)
    assert app.session_state["gpu"] == expected.gpu
    assert app.session_state["fleet_gpus"] == pytest.approx(expected.values["fleet_gpus"])
    assert app.query_params["preset"] == preset


@pytest.mark.parametrize("gpu", list(GPUS))
def test_every_gpu_runs_and_sets_its_figures(app, gpu):
    app.selectbox(key="preset").set_value("openai-2024").run()
    app.selectbox(key="gpu").set_value(gpu).run()
    clean(app)
    assert app.session_state["gpu_peak_flops"] == pytest.approx(GPUS[gpu].peak_flops)


def test_every_input_runs_at_both_extremes(app):
    """Each input at its min and then its max (others at the preset's values): no exception.

    Shares pushed to an extreme break the sum-to-1 rule; that must be a message, not a crash.
    """
    for title, specs in ui.sidebar_groups().items():
        for spec in specs:
            if spec.kind == "select":
                values = list(spec.options)
            else:
                values = [spec.min, spec.max]
            before = app.session_state[spec.name]
            for value in values:
                widget(app, spec.name).set_value(value).run()
                clean(app)
                if not spec.name.startswith("share_"):
                    assert not app.error, (title, spec.name, value, app.error[0].value)
            widget(app, spec.name).set_value(before).run()


def test_every_scenario_projects(app):
    open_tab(app, "Projection")
    for scenario in ui.CUSTOM, *SCENARIOS:
        app.multiselect(key="scenarios").set_value([scenario]).run()
        clean(app)
        assert not app.error, (scenario, [e.value for e in app.error])
        # a panel per scenario for budgets and for speed-ups, fleet, software, what binds
        assert len(app.get("vega_lite_chart")) == 2 + 3
    app.multiselect(key="scenarios").set_value(list(SCENARIOS)).run()
    clean(app)
    app.selectbox(key="step").set_value("quarter").run()
    app.slider(key="years").set_value(30).run()
    clean(app)
    assert not app.error
    app.selectbox(key="step").set_value("year").run()
    app.slider(key="years").set_value(10).run()
    open_tab(app, "Budget")


def test_every_other_input_runs_at_both_extremes():
    """'Show every input' adds the remaining inputs: all at their minimum at once, then all at
    their maximum, then each option of each choice, runs cleanly (a message at most)."""
    at = fresh({"scenarios": "custom"})
    at.toggle(key="more_inputs").set_value(True).run()
    specs = ui.sidebar_groups(True)[ui.MORE]
    assert specs
    for tab in ("Budget", "Projection"):
        open_tab(at, tab)
        for end in ("min", "max"):
            for spec in specs:
                if spec.kind != "select":
                    widget(at, spec.name).set_value(getattr(spec, end))
            at.run()
            clean(at)
    for spec in specs:
        for option in spec.options:
            widget(at, spec.name).set_value(option).run()
            clean(at)


def test_fleet_size_scales_the_budgets(app):
    app.selectbox(key="preset").set_value("ai-2027-lab-2024").run()
    before = app.metric[0].value
    rnd = metric(app, "All-R&D budget")
    fleet = app.session_state["fleet_gpus"]
    app.number_input(key="fleet_gpus").set_value(fleet * 2).run()
    clean(app)
    assert metric(app, "All-R&D budget") != rnd
    assert app.query_params["fleet_gpus"] == repr(fleet * 2)
    app.button(key="reset").click().run()
    assert app.session_state["fleet_gpus"] == fleet
    assert app.metric[0].value == before
    assert "fleet_gpus" not in app.query_params


def test_rental_price_moves_cost_per_gpu_hour():
    at = fresh({"preset": "openai-2024"})
    assert metric(at, "Cost per GPU-hour") == "$2.00"
    at.number_input(key="gpu_rental_price").set_value(2.5).run()
    assert metric(at, "Cost per GPU-hour") == "$2.50"


def test_share_slider_moves_the_split():
    at = fresh({"preset": "ai-2027-lab-2024"})
    before = metric(at, "Inference budget")
    at.slider(key="share_inference").set_value(0.23).run()
    at.slider(key="share_research").set_value(0.34).run()
    clean(at)
    assert not at.error
    assert metric(at, "Inference budget") != before
    assert metric(at, "Inference share") == "23.0%"


def test_invalid_shares_show_a_message_and_keep_the_last_result():
    at = fresh({"preset": "ai-2027-lab-2024"})
    before = [m.value for m in at.metric]
    at.slider(key="share_training").set_value(0.9).run()
    clean(at)
    assert len(at.error) == 1
    assert "shares must sum to 1" in at.error[0].value
    assert [m.value for m in at.metric] == before


def test_training_run_presets_load_documented_runs():
    at = open_tab(fresh(), "Training run")
    at.selectbox(key="training_run").set_value("DeepSeek-V3").run()
    clean(at)
    assert at.session_state["training_tokens"] == pytest.approx(14.8e12)
    assert metric(at, "Training compute") == "3.29E+24 FLOP"
    at.selectbox(key="training_run").set_value("Llama 3.1 405B").run()
    assert metric(at, "Training compute") == "3.79E+25 FLOP"


def test_a_training_run_on_more_gpus_than_the_fleet_is_flagged():
    at = open_tab(fresh({"preset": "deepseek-inference-2025"}), "Training run")
    clean(at)  # the preset sets no run of its own: the catalogue's 16,384 GPUs on its 1,814
    assert [w.value for w in at.warning] == [
        "Training_gpus 16,384 is more than the fleet's 1,814 GPUs (fleet_gpus): the run's share "
        "of a fleet-year counts GPUs the fleet does not have."]
    assert not open_tab(fresh(), "Training run").warning


def test_equations_tab_shows_every_equation_in_latex():
    at = open_tab(fresh(), "Equations")
    clean(at)
    assert len(at.latex) == len(tables.equations_frame()) + len(STEP)
    assert any(r"\mathrm{fleet\_gpus}" in x.value for x in at.latex)


def test_a_link_reproduces_the_view():
    at = fresh({"preset": "openai-2024", "gpu": "B200", "fleet_gpus": "123456.0",
                "cost_basis": "owned"})
    clean(at)
    assert at.session_state["preset"] == "openai-2024"
    assert at.session_state["gpu"] == "B200"
    assert at.session_state["fleet_gpus"] == 123456.0
    assert at.session_state["cost_basis"] == "owned"
    again = fresh(dict(at.query_params))
    assert [m.value for m in again.metric] == [m.value for m in at.metric]


def test_bad_link_parameters_are_reported_not_raised():
    at = fresh({"preset": "nope", "fleet_gpus": "-5", "bogus": "1"})
    clean(at)
    assert len(at.warning) == 3
    assert at.session_state["preset"] in PRESETS
    assert at.session_state["fleet_gpus"] > 0
    assert "bogus" not in at.query_params


def test_query_encoding_round_trips():
    default = ui.View("openai-2024", "H100", [], 10, "year", {})
    view = ui.View("meta-2024", "A100", [], 7, "year",
                   {"fleet_gpus": 1e5 / 3, "cost_basis": 1.0, "share_other": 0.1})
    back, problems = ui.decode_query(ui.encode_query(view), default, [], ["year"])
    assert problems == []
    assert back == view


def test_projection_follows_a_slider():
    at = open_tab(fresh({"scenarios": "custom"}), "Finance")
    before = at.dataframe[0].value.iloc[0].tolist()
    at.slider(key="discount_rate").set_value(0.2).run()
    clean(at)
    assert at.dataframe[0].value.iloc[0].tolist() != before


def test_monte_carlo_runs_on_demand_with_progress():
    at = open_tab(fresh({"scenarios": "status-quo,brakes"}), "Uncertainty")
    assert any("Run Monte Carlo" in i.value for i in at.info)
    assert not at.get("vega_lite_chart")
    at.number_input(key="mc_samples").set_value(200)
    at.button(key="mc_run").click().run()
    clean(at)
    assert at.get("progress"), "a progress bar shows while sampling"
    assert len(at.get("vega_lite_chart")) == 1
    at.selectbox(key="mc_output").set_value("capability").run()
    assert len(at.get("vega_lite_chart")) == 1


def test_sensitivity_tornado_and_elasticities():
    at = open_tab(fresh(), "Sensitivity")
    clean(at)
    assert len(at.get("vega_lite_chart")) == 1
    at.selectbox(key="tornado_output").set_value("inference_revenue").run()
    at.selectbox(key="elasticity_output").set_value("budget_total").run()
    clean(at)
    assert "elasticity" in at.dataframe[0].value.columns


def test_uploaded_workbook_loads_its_inputs():
    book = workbook.build_workbook("openai-2024", ["brakes"], overrides={"fleet_gpus": 4321})
    at = fresh()
    at.file_uploader(key="upload").upload("edited.xlsx", workbook.workbook_bytes(book)).run()
    clean(at)
    assert at.success and at.success[0].value.startswith("Loaded")
    assert at.session_state["preset"] == "openai-2024"
    assert at.session_state["fleet_gpus"] == 4321.0
    assert at.session_state["multiplier_scope"] == "labour-only"


@pytest.mark.parametrize("content", [b"not a zip", b"PK\x03\x04" + b"\0" * 100])
def test_bad_upload_shows_a_message(content):
    at = fresh()
    before = [m.value for m in at.metric]
    at.file_uploader(key="upload").upload("bad.xlsx", content).run()
    clean(at)
    assert at.error and at.error[0].value.startswith("Not loaded: bad.xlsx")
    assert [m.value for m in at.metric] == before


def test_budget_numbers_are_short_and_unit_labelled():
    """Metrics fit a quarter-width column (the label says per what); the table is formatted."""
    at = fresh({"preset": "ai-2027-lab-2024"})
    for m in at.metric:
        assert len(m.value) <= 16 and "e+" not in m.value, (m.label, m.value)
    assert re.fullmatch(r"\d\.\d\dE\+\d\d", metric(at, "Tokens served per year"))
    shown = at.dataframe[0].value
    assert shown["compute_flop_per_year"].str.fullmatch(r"\d\.\d\dE[+-]\d\d FLOP/year").all()
    assert shown["budget_usd_per_year"].str.fullmatch(r"\$\d[\d.,]*[MBT]?/year").all()
    assert shown["share_of_spend"].str.fullmatch(r"\d+\.\d%").all()  # one decimal, every row


@pytest.mark.parametrize(("name", "value", "text"), [
    ("budget_rnd", 1.4203e9, "$1.42B"),
    ("cost_per_gpu_hour", 0.9973, "$0.997"),
    ("inference_revenue", -2.5e6, "-$2.50M"),
    ("tokens_served", 1.287e16, "1.29E+16"),
    ("training_gpu_hours", 26_607_035, "26,607,035"),
    ("training_days", 67.67, "67.7 day"),
    ("training_flops", 3.7912e25, "3.79E+25 FLOP"),
    ("inference_margin", 0.92274, "92.3%"),
    ("inference_margin", float("nan"), "n/a"),
])
def test_metric_text(name, value, text):
    assert tables.metric_text(name, value) == text


def test_counts_read_as_counts():
    assert tables.metric_text("fleet_gpus", 82_500) == "82,500 GPU"
    assert tables.metric_text("gpus_training", 16_384) == "16,384 GPU"


def test_elasticity_noise_shows_as_zero():
    import pandas as pd

    df = pd.DataFrame({"output": ["a", "a"], "input": ["x", "y"], "elasticity": [-2e-16, 0.25]})
    assert tables.elasticity_frame(df)["elasticity"].tolist() == [0.0, 0.25]


def test_money_axes_read_in_dollars():
    axis = charts.value_axis("Spend [USD/year]").to_dict()
    assert axis["format"] == "$~s" and "'B'" in axis["labelExpr"]
    assert "format" not in charts.value_axis("Fleet [GPU]").to_dict()


def test_state_after_each_event():
    state = {"preset": "openai-2024", "gpu": "B200", "training_run": "DeepSeek-V3"}
    after_preset = widgets.state_after("preset", state)
    assert after_preset["gpu"] == PRESETS["openai-2024"].gpu
    assert set(widgets.state_after("gpu", state)) == set(GPUS["B200"].inputs())
    assert widgets.state_after("reset", state)["training_run"] == "custom"
    assert widgets.state_after("training_run", state)["training_tokens"] == pytest.approx(14.8e12)
    assert widgets.state_after("training_run", {**state, "training_run": "custom"}) == {}


def test_the_page_opens_on_the_headline():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    clean(at)
    said = [m.value for m in at.markdown]
    for scenario in ui.DEFAULT_VIEW.scenarios:
        text = next(t for t in said if t.startswith(f"**{scenario}**"))
        assert re.search("wins the fleet by|neither wins|the split holds", text)
        assert "what binds:" in text
    # budgets and shares, research against inference: a panel per scenario each
    assert len(at.get("vega_lite_chart")) == 2 * len(ui.DEFAULT_VIEW.scenarios)
    # the first screen gives the market's odds, not one path (issue 19, point 3)
    assert market_doc.odds_markdown() in said
    at.button(key="vm_run").click().run()
    clean(at)
    split = at.dataframe[-1].value
    assert list(split["scenario"]) == ui.DEFAULT_VIEW.scenarios
    assert split["research_share_year_1"].str.fullmatch(r"\d+\.\d%").all()  # one decimal
    assert any("Break-even AI R&D multiplier" in c.value for c in at.caption)


def test_headline_sentence_from_the_numbers():
    import pandas as pd

    from app import headline

    df = pd.DataFrame({"year": [2024.0, 2025.0, 2026.0], "share_research": [0.2, 0.4, 0.6],
                       "share_inference": [0.5, 0.3, 0.1], "budget_research": [1e9, 2e9, 3e9],
                       "budget_inference": [2e9, 1e9, 5e8], "binding_constraint": [2, 1, 1]})
    text = headline.sentence(df)
    assert text.startswith("research goes from 20.0% of the fleet in 2024 to 60.0% in 2026, "
                           "inference from 50.0% to 10.0%: research wins the fleet by 2026")
    assert "$3.00B/year on research" in text
    assert text.endswith("what binds: chip supply in 2 of 3 steps, capital in 1.")


def test_market_tab_shows_the_labs_and_the_chip_price():
    at = open_tab(fresh({"scenarios": "ai-2027", "years": "3", "step": "year"}), "Market")
    clean(at)
    assert not at.error, [e.value for e in at.error]
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "market of labs under ai-2027" in " ".join(s.value for s in at.subheader)
    for title in ("Share of customers", "Research share of the fleet", "Chip price index"):
        assert title in text
    assert "Cleared step by step" in text and "Not a forecast" in text
    assert "Points: published shares" in text  # the observed panel beside the research lines
    lines = shown_observed(at)
    want = calc.market_view("ai-2027", 3, "year").labs
    assert lines["value"].to_numpy() == pytest.approx(want["share_research"], abs=1e-12)
    assert list(lines["lab"]) == list(want["lab"])
    shown_revealed(at)


def test_backtest_tab_shows_the_three_backtests_as_the_cli_reads_them():
    from model.loop.backtest import backtest
    from model.market.backtest import backtest as market_backtest
    from model.market.backtest import backtest_2024

    at = open_tab(fresh(), "Backtest")
    clean(at)
    assert not at.error, [e.value for e in at.error]
    labs, market, from_2024 = backtest(), market_backtest(), backtest_2024()
    shown = {m.label: m.value for m in at.metric}
    for label, table in (("Single labs from 2024", labs), ("Market of labs from end-2025",
                                                           market),
                         ("Market of labs from 2024", from_2024)):
        at_step = table[table["step"] == "quarter"]
        assert shown[label] == f"{int(at_step['within'].sum())} of {len(at_step)}"
    frames = [d.value for d in at.dataframe]
    assert [len(f) for f in frames] == [market["observable"].nunique(),
                                        labs["observable"].nunique(),
                                        from_2024["observable"].nunique()]
    fleet = frames[2].set_index("observable").loc["OpenAI compute, end-2025 (H100e)"]
    assert fleet["run"] == "end-2024: openai"
    assert fleet["ratio (quarter)"] == "1.70 (out)"  # docs/MODEL.md: 1.70-1.81 (1.02 yearly)
    rent = frames[0].set_index("observable").loc["H100 rent, June 2026 (1-year contracts)"]
    want = market[(market["observable"] == rent.name) & (market["step"] == "quarter")]
    assert rent["ratio (quarter)"] == f"{want['ratio'].iloc[0]:.2f}"  # in band: no "(out)"
    assert rent["observed"] == "$2.65/GPU/hour" and rent["run"] == "end-2025: openai"
    revenue = frames[1].set_index("observable").loc["OpenAI revenue, 2025"]
    assert revenue["ratio (quarter)"].endswith(" (out)")


def asked_on_backtest(button: str, key: str) -> AppTest:
    """The Backtest tab with nothing run until `button` (`key`_run) is pressed, then pressed."""
    at = open_tab(fresh(), "Backtest")
    clean(at)
    assert any(button in i.value for i in at.info)
    assert len(at.dataframe) == 3  # nothing run until asked
    # the draws run three backtests over 200 draws each: near a minute when the suite's two
    # workers share two cores, so the page's own 60 s limit made a timing test of it
    at.button(key=f"{key}_run").click().run(timeout=4 * TIMEOUT)
    clean(at)
    assert not at.error, [e.value for e in at.error]
    return at


def test_backtest_tab_runs_the_departures_on_request():
    from model.loop.backtest import backtest
    from model.odds.levers import LEVERS, NONE, together

    at = asked_on_backtest("Run the departures", "backtest_levers")
    shown = at.dataframe[3].value.set_index("departure")
    assert list(shown.index) == [NONE.name, *(lv.name for lv in LEVERS), together().name]
    labs = backtest()
    quarter = labs[labs["step"] == "quarter"]
    assert shown.loc[NONE.name, "in band"] == f"{int(quarter['within'].sum())} of {len(quarter)}"
    assert shown.loc[together().name, "what it stands for"].startswith("no capability premium; ")


def test_backtest_tab_runs_the_backtests_over_draws_on_request():
    from model.odds.backtest import intervals

    at = asked_on_backtest("Run the draws", "backtest_intervals")
    labs, market = intervals(steps=("quarter",)), intervals(market=True, steps=("quarter",))
    from_2024 = intervals(market=True, from_2024=True, steps=("quarter",))
    for label, table in (("Single labs: in their 90% interval", labs),
                         ("Market of labs: in their 90% interval", market),
                         ("Market from 2024: in their 90% interval", from_2024)):
        assert metric(at, label) == f"{int(table['covered'].sum())} of {len(table)}"
    frames = [d.value for d in at.dataframe]
    assert [len(f) for f in frames[3:]] == [len(market), len(labs), len(from_2024)] == [11, 29, 31]
    xai = frames[5].set_index("observable").loc["xAI revenue, Q3 2025 (annualised)"]
    want = from_2024.set_index("observable").loc[xai.name]
    assert xai["in 90%"] == ("yes" if want["covered"] else "no")
    assert xai["rank"] == f"{want['rank']:.2f}"
    tokens = frames[3].set_index("observable").loc[
        "Google tokens a month, May 2026 over October 2025"]
    want = market.set_index("observable").loc[tokens.name]
    assert tokens["in 90%"] == ("yes" if want["covered"] else "no")
    assert tokens["rank"] == f"{want['rank']:.2f}"
    assert tokens["observed"] == "2.46x" and tokens["5%"].endswith("x")  # a ratio, as published


def your_departure(text: str) -> AppTest:
    """The Backtest tab with `text` typed as the reader's departure, then run."""
    at = open_tab(fresh(), "Backtest")
    clean(at)
    assert any("Run with your inputs" in i.value for i in at.info)
    at.text_area(key="backtest_sets").input(text).run()
    at.button(key="backtest_sets_run").click().run()
    clean(at)
    return at


def test_backtest_tab_runs_the_readers_own_departure_as_the_cli_does():
    from model.loop.backtest import backtest
    from model.market.backtest import backtest_2024
    from model.odds.levers import with_sets

    # a blank line and spaces around the names are the reader's typing, not inputs
    at = your_departure(" capability_price_elasticity = 0\n\nrental_price_decline=0\n")
    assert not at.error, [e.value for e in at.error]
    sets = {"capability_price_elasticity": "0", "rental_price_decline": "0"}
    runs = {"alone, defaults": backtest(steps=("quarter",)),
            "alone, yours": backtest(with_sets(sets), steps=("quarter",)),
            "market, defaults": backtest_2024(steps=("quarter",)),
            "market, yours": backtest_2024(steps=("quarter",), overrides=sets)}
    # the departure shows, alone and in the market
    assert int(runs["alone, yours"]["within"].sum()) != int(runs["alone, defaults"]["within"].sum())
    assert int(runs["market, yours"]["within"].sum()) != int(
        runs["market, defaults"]["within"].sum())
    for label, key in (("Single labs: your inputs", "alone, yours"),
                       ("Market from 2024: your inputs", "market, yours")):
        want = runs[key]
        assert metric(at, label) == f"{int(want['within'].sum())} of {len(want)}"
    shown = at.dataframe[3].value.set_index("observable")
    assert list(shown.columns) == ["preset", "observed", *(f"ratio ({k})" for k in runs)]
    assert shown.loc["OpenAI revenue, 2025", "preset"] == "openai-2024"
    # the 29 the single labs read, then the market's own three, blank where a lab alone is,
    # and the market blank at the rent its chip price floor is set from
    assert len(shown) == len(runs["market, defaults"]) + 1 == 29 + 3
    march = shown.loc["H100 rent, March 2026 (1-year contracts)"]
    assert march["ratio (market, defaults)"] == march["ratio (market, yours)"] == ""
    assert march["ratio (alone, defaults)"] != ""
    assert shown.loc["xAI revenue, Q3 2025 (annualised)", "preset"] == "end-2024: xai"
    assert shown.loc["xAI revenue, Q3 2025 (annualised)", "ratio (alone, yours)"] == ""
    for key, want in runs.items():
        for row in want.itertuples():
            cell = shown.loc[row.observable, f"ratio ({key})"]
            assert cell == f"{row.ratio:.2f}" + ("" if row.within else " (out)")
        assert (shown[f"ratio ({key})"] != "").sum() == len(want)


def test_backtest_tab_runs_a_departure_the_market_refuses_alone():
    # a fleet is every preset's own but one value for every lab of a market would not share
    # out: the single labs run, the market says why it does not
    at = your_departure("fleet_gpus=1e6")
    assert not at.error, [e.value for e in at.error]
    assert metric(at, "Single labs: your inputs").endswith(" of 29")
    assert not [m for m in at.metric if m.label.startswith("Market from 2024: your")]
    assert any("not run with these inputs: --set fleet_gpus: a lab's own total" in i.value
               for i in at.info)
    assert list(at.dataframe[3].value.columns) == [
        "observable", "preset", "observed", "ratio (alone, defaults)", "ratio (alone, yours)"]


@pytest.mark.parametrize(("text", "needle"), [
    ("", "backtest_sets: expected at least one NAME=VALUE line"),
    ("capability_price_elasticity", "backtest_sets, line 1: expected NAME=VALUE"),
    ("pue=1.1\n=3", "backtest_sets, line 2: expected NAME=VALUE"),
    ("pue=1.1\npue=1.2", "backtest_sets: 'pue' set twice"),
    ("\n".join(f"pue=1.{i}" for i in range(13)), "13 lines; expected at most 12"),
    ("nope=1", "unknown input 'nope'"),
    ("pue=10**400", "pue: cannot read"),
    # one preset's shares would not sum to 1: refused before any preset is run
    ("share_research=0.9", "shares must sum to 1"),
], ids=range(8))
def test_backtest_tab_refuses_a_bad_departure_in_one_line(text, needle):
    at = your_departure(text)
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and needle in errors[0] and "\n" not in errors[0], errors
    assert len(at.dataframe) == 3  # nothing run


def shown_observed(at: AppTest):
    """The research chart's observed points checked against the panel (issue 19, point 1);
    its model lines returned."""
    found = [data for _, data in page_charts(at)
             if data is not None and "citation" in data.columns]
    assert len(found) == 1, "one chart of the observed panel beside the model's research"
    frame = found[0]
    seen = frame[frame["kind"] != charts.MODEL_PATH]
    want = research_points(panel())
    assert [(p["lab"], p["year"], p["citation"]) for p in want] == list(
        zip(seen["lab"], seen["year"], seen["citation"], strict=True))
    assert seen["value"].to_numpy() == pytest.approx([p["value"] for p in want], abs=1e-12)
    # OpenAI's 2024 research, Epoch's split: $4.5B of ~$6.8B
    epoch = seen[(seen["lab"] == "openai") & seen["kind"].str.startswith("research")]
    assert list(epoch["year"]) == [2024]
    assert epoch["value"].iloc[0] == pytest.approx(PANEL[1].research_share, abs=1e-12)
    assert epoch["value"].iloc[0] == pytest.approx(4.5 / 6.8, abs=1e-12)
    return frame[frame["kind"] == charts.MODEL_PATH]


def shown_revealed(at: AppTest) -> None:
    """The revealed-beliefs table is docs/reveal.json's (issue 19, point 2), not re-solved."""
    result = reveal_table.read()
    found = [d.value for d in at.dataframe if "best_response" in d.value.columns]
    assert len(found) == 1
    shown = found[0]
    assert shown.reset_index(drop=True).equals(tables.reveal_frame(result))
    assert len(shown) == len(result["rows"]) == 10
    # row 2, OpenAI 2024 with research separated: 4.5 / (4.5 + 1.8) of research + inference
    epoch = PANEL[1]
    row = shown[shown["observation"] == "2. openai 2024"].iloc[0]
    share = epoch.research_share / (epoch.research_share + epoch.inference_share)
    assert row["observed"] == f"{share:.1%} (research)" == "71.4% (research)"
    assert row["compute-bottleneck"] == reveal_table.ranges_text(
        result["rows"][1]["sweeps"]["compute-bottleneck"])
    assert row["multiplier"] == "21.5 to 10000 (bound)"  # docs/reveal.json as committed
    assert any("docs/reveal.json" in c.value for c in at.caption)


def test_the_research_chart_sets_the_observed_panel_beside_the_model():
    view = calc.market_view("status-quo", 2, "year")
    points = research_points(panel())
    frame = charts.observed_frame(view.labs, "share_research", points)
    model = frame[frame["kind"] == charts.MODEL_PATH]
    assert model["value"].to_numpy() == pytest.approx(view.labs["share_research"])
    seen = frame[frame["kind"] != charts.MODEL_PATH]
    assert len(seen) == len(points) and seen["citation"].str.startswith("[").all()
    openai = seen[(seen["lab"] == "openai") & (seen["year"] == 2024)]
    assert sorted(openai["value"]) == pytest.approx(sorted([4.5 / 6.8, 4 / 5.8]))
    spec = charts.observed_spec("Research share of the fleet [%]", ("openai", "google"))
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
             for layer in spec["layer"]]
    assert marks == ["line", "point"]
    tooltip = [t["field"] for t in spec["layer"][1]["encoding"]["tooltip"]]
    assert "citation" in tooltip and "scope" in tooltip
    assert all("data" not in layer for layer in spec["layer"])  # both layers read the page's


def test_market_tab_shows_the_equilibrium_beside_the_joint_optimum():
    at = open_tab(fresh({"scenarios": "ai-2027", "years": "3", "step": "year"}), "Market")
    at.toggle(key="market_nash").set_value(True).run(timeout=600)
    clean(at)
    assert not at.error, [e.value for e in at.error]
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "An equilibrium after" in text and "The race" in text
    labels = [m.label for m in at.metric]
    assert labels == ["Summed NPV, equilibrium", "Summed NPV, one owner", "What the race costs"]
    # the observed panel beside the equilibrium's research paths, and the revealed beliefs
    assert "Lines: the equilibrium's research shares" in text
    lines = shown_observed(at)
    panel_ = next(data for _, data in page_charts(at) if data is not None
                  and "scenario" in data.columns and (data["scenario"].str.startswith(
                      "equilibrium").all()))  # the research panels come first
    assert lines["value"].to_numpy() == pytest.approx(panel_["value"].to_numpy(), abs=1e-12)
    shown_revealed(at)


def test_the_nash_view_is_the_outcomes():
    view = calc.market_nash_view("ai-2027", 3)
    assert view.converged and view.max_deviation_gain <= 0.01
    assert view.joint_npv >= view.npv - 1e-6 * abs(view.npv)
    lines = calc.nash_beside_joint(view, "share_research")
    assert set(lines["scenario"]) == {"equilibrium (each lab for itself)",
                                      "joint optimum (one owner)"}
    joint = lines[lines["scenario"].str.startswith("joint")]
    assert joint["value"].to_numpy() == pytest.approx(view.labs["share_research_joint"])


def test_market_view_is_the_market_engines():
    view = calc.market_view("status-quo", 2, "year")
    assert view.converged and set(view.labs["lab"]) >= {"openai", "anthropic", "rest-of-world"}
    # each step's customer shares sum to 1; the chip price starts at the world's
    assert view.labs.groupby("year")["market_share"].sum().to_numpy() == pytest.approx(1)
    assert view.chips["chip_price_index"].iloc[0] == pytest.approx(1)
    lines = calc.lab_lines(view.labs, "market_share", "Share of customers")
    assert list(lines.columns) == ["year", "scenario", "series", "value"]
