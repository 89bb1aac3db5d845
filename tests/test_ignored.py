"""Inputs that change nothing say so: the CLI prints a note on stderr (exit status still 0) and the
page a caption beside the inputs, for each input set that what is shown does not read under the
configuration's choices (model.core.ignored, model.loop.reach: from the equations); the market
notes each lab field it does not read (model.market.ignored), and the Market tab names the
sidebar inputs it does not take.

The structural answer is checked against the numbers both ways: an input called ignored leaves
every number unchanged at a very different value, and one called read moves some.
"""

from __future__ import annotations

import numpy as np
import pytest
from pages import page

from model.cli.main import main
from model.core.compiled import fleet_year
from model.core.equations import BUDGET_OUTPUTS, TRAINING_OUTPUTS
from model.core.ignored import fleet_year_reach, ignored
from model.core.resolve import resolve
from model.loop.projection import STEP_ROWS, project
from model.loop.reach import projection_reach
from model.loop.scenarios import scenario_settings
from model.market.engine import frame, market
from model.market.files import apply_sets
from model.market.ignored import ignored_fields
from model.market.world import MARKET

RENT = "gpu_rental_price=2.5 USD/GPU/hour"
YEARS, STEPS = 5, 17  # 5 years at quarterly steps: the base year, then 16 quarters


def budget_ignores(preset: str, *names: str) -> dict:
    return ignored(names, fleet_year_reach(resolve(preset).values, BUDGET_OUTPUTS))


def test_an_owned_fleets_budget_ignores_the_rent_because_of_its_cost_basis():
    assert budget_ignores("meta-2024", "gpu_rental_price") == {
        "gpu_rental_price": ("cost_basis",)}
    # a renter's budget still shows what owning would cost (capex_per_gpu_hour): capex is read
    assert budget_ignores("openai-2024", "gpu_rental_price", "gpu_capex") == {}
    assert budget_ignores("openai-2024", "training_tokens") == {"training_tokens": ()}
    assert budget_ignores("meta-2024", "cost_basis", "fleet_gpus") == {}  # both matter


@pytest.mark.parametrize("preset", ["meta-2024", "openai-2024"])
def test_fleet_year_ignored_means_unchanged_and_read_means_moved(preset):
    base = resolve(preset)
    reach = fleet_year_reach(base.values, BUDGET_OUTPUTS + TRAINING_OUTPUTS)
    numeric = [n for n in fleet_year().inputs if base.values[n] > 0 and n != "cost_basis"]
    gone = ignored(numeric, reach)
    outputs = tuple(dict.fromkeys(BUDGET_OUTPUTS + TRAINING_OUTPUTS))
    before = fleet_year(outputs)(base.values)
    moved = []
    for name in numeric:
        after = fleet_year(outputs)({**base.values, name: base.values[name] * 1.7})
        moved += [name] if any(not np.allclose(after[o], before[o], rtol=1e-12, equal_nan=True)
                               for o in outputs) else []
    constants = {n for n in numeric if n not in moved}
    assert set(gone) <= constants  # called ignored: nothing moved
    assert not set(moved) & set(gone)


def projection_ignores(settings, *names) -> dict:
    return ignored(names, projection_reach(settings.values, STEPS))


def test_the_projection_of_a_parent_funded_lab_ignores_raise_rate():
    meta = scenario_settings("meta-2024")
    found = projection_ignores(meta, "raise_rate", "gpu_rental_price", "fleet_gpus")
    # an owner still reads the rent in the projection: competitors rent (the price floor)
    assert found == {"raise_rate": ("financing_model",)}
    assert projection_ignores(scenario_settings("openai-2024"), "raise_rate") == {}


@pytest.mark.parametrize("name, factor, changes", [("raise_rate", 3.0, False),
                                                   ("gpu_rental_price", 3.0, True)])
def test_projection_ignored_means_unchanged(name, factor, changes):
    meta = scenario_settings("meta-2024")
    assert (name in projection_ignores(meta, name)) is not changes
    before = project(meta, YEARS)
    moved = scenario_settings("meta-2024", overrides={name: meta.values[name] * factor})
    after = project(moved, YEARS)
    same = all(np.allclose(after[c], before[c], rtol=1e-12, equal_nan=True) for c in STEP_ROWS)
    assert same is not changes


def test_under_value_maximising_what_the_npv_reads_steers_the_path():
    settings = scenario_settings("ai-2027-lab-2024", overrides={
        "allocation_policy": "value-maximising"})
    fixed = scenario_settings("ai-2027-lab-2024")
    # research_floor bounds the optimiser's path (and inference-first's): read only by them
    assert projection_ignores(fixed, "research_floor") == {"research_floor": (
        "allocation_policy",)}
    assert projection_ignores(settings, "research_floor") == {}


def notes(capsys, *argv) -> list[str]:
    assert main(list(argv)) == 0
    return [line for line in capsys.readouterr().err.splitlines() if line]


def test_cli_budget_notes_the_rent_of_an_owned_fleet(capsys):
    assert notes(capsys, "budget", "--preset", "meta-2024", "--set", RENT) == [
        "note: gpu_rental_price changes nothing in the budget, which does not read it with "
        "cost_basis owned"]
    assert notes(capsys, "budget", "--preset", "openai-2024", "--set", RENT) == []
    assert notes(capsys, "training-run", "--preset", "meta-2024", "--set", RENT,
                 "--set", "cost_basis=rented") == []


def test_cli_notes_an_input_the_command_never_reads(capsys):
    assert notes(capsys, "budget", "--set", "training_tokens=1e12", "--format", "json") == [
        "note: training_tokens changes nothing in the budget, which never reads it"]


def test_cli_run_notes_what_the_projection_ignores(capsys):
    assert notes(capsys, "run", "--preset", "meta-2024", "--years", "3", "--set", RENT,
                 "--set", "raise_rate=0.5") == [
        "note: raise_rate changes nothing in the projection, which does not read it with "
        "financing_model parent"]


def test_the_page_captions_the_rent_of_an_owned_fleet():
    owned = page({"preset": "meta-2024", "gpu_rental_price": "2.5"})
    assert [c.value for c in owned.sidebar.caption] == [
        "GPU rental price (`gpu_rental_price`): your value changes nothing on the Budget and "
        "Training run tabs; with `cost_basis` owned nothing there reads it."]
    rented = page({"preset": "openai-2024", "gpu_rental_price": "2.5"})
    assert not [c for c in rented.sidebar.caption if "changes nothing" in c.value]


# --- the market of labs: a lab's fields (model.market.ignored) ---------------------------------

FINANCING = "openai.external_financing=1e11 USD/year"  # OpenAI raises on its revenue's multiple


def test_the_market_ignores_the_offer_of_a_lab_valued_on_its_revenue():
    labs = MARKET
    edited = [("openai", "external_financing"), ("openai", "financing_growth"),
              ("meta", "external_financing"), ("openai", "rented_share"),
              ("openai", "revenue"), ("openai", "title")]
    for choosing in (False, True):  # each lab keeping its policy, and the labs choosing
        found = ignored_fields(labs, edited, "ai-2027", 3, "year", choosing)
        assert [(lab, field, why) for lab, field, why, _ in found] == [
            ("openai", "external_financing", ("financing_model",)),
            ("openai", "financing_growth", ("financing_model",))]


@pytest.mark.parametrize("edit, changes", [(FINANCING, False),
                                           ("meta.external_financing=1e11 USD/year", True)])
def test_market_ignored_means_unchanged(edit, changes):
    before = frame(market(MARKET, years=3))
    after = frame(market(apply_sets([edit]), years=3))
    numbers = before.columns.drop("lab")
    same = np.allclose(after[numbers], before[numbers], rtol=1e-12)
    assert same is not changes


def test_cli_market_notes_what_the_market_ignores(capsys):
    assert notes(capsys, "market", "--choice", "policy", "--years", "2", "--format", "json",
                 "--set", FINANCING, "--set", "meta.external_financing=1e11 USD/year",
                 "--set", "openai.title=OpenAI Group") == [
        "note: openai.external_financing changes nothing in the market, which does not read "
        "it with financing_model revenue-multiple"]


def test_cli_odds_notes_what_the_market_ignores_once(capsys, monkeypatch):
    """odds edits the labs as market does: the same note, once over its scenarios, before any
    draw runs (the draws are stopped here: the note is all this test reads)."""
    import model.odds.run

    def stop(*args, **kwargs):
        raise SystemExit(0)

    monkeypatch.setattr(model.odds.run, "odds_records", stop)
    with pytest.raises(SystemExit):
        main(["odds", "--years", "3", "--scenario", "status-quo,brakes", "--no-results",
              "--set", FINANCING, "--set", "meta.external_financing=1e11 USD/year"])
    assert [line for line in capsys.readouterr().err.splitlines()
            if line.startswith("note:")] == [
        "note: openai.external_financing changes nothing in the market, which does not read "
        "it with financing_model revenue-multiple"]


def test_the_market_tab_captions_every_changed_sidebar_input():
    at = page({"preset": "meta-2024", "gpu_rental_price": "2.5", "training_tokens": "2e13",
               "years": "2"}, tab="Market")
    assert [c.value for c in at.caption if "nothing here" in c.value] == [
        "Your GPU rental price (`gpu_rental_price`) and Training tokens (`training_tokens`) "
        "change nothing here: the market runs its own labs, each with its own values and the "
        "catalogue's for the rest, under the scenario; `gpu_rental_price` can be set per lab "
        "with `python -m model market --set LAB.FIELD=VALUE`."]
    plain = page({"preset": "meta-2024", "years": "2"}, tab="Market")
    assert not [c for c in plain.caption if "nothing here" in c.value]
