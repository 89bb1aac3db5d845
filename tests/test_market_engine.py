"""The market of labs (issue 18, points 2, 3 and 5): one chip supply, one customer market, and
the checks a market must pass."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from model.core.catalogue import CATALOGUE, sym
from model.loop.projection import STEP_ROWS, project
from model.loop.rows import COUPLED_RAW
from model.market.customers import capacity_capped
from model.market.engine import TOLERANCE, equilibrium, market
from model.market.single_lab import lab_settings
from model.market.world import LABS, MARKET

YEARS = 6


@pytest.fixture(scope="module")
def world():
    return market(years=YEARS, step="year")


def _research_to_other(lab):
    """`lab` with its research compute and staff moved out of research (to 'other')."""
    values = dict(lab.values)
    research, why = values["share_research"]
    other, _ = values["share_other"]
    values |= {"share_research": (0.0, why), "share_other": (other + research, why),
               "research_staff": (0.0, why)}
    return replace(lab, name=lab.name + "-no-research", values=values)


def test_the_end_2025_market_converges(world):
    assert world.converged and world.change <= 1e-6
    assert world.rows["fleet_stock"].shape == (YEARS, len(MARKET))


def test_purchases_never_exceed_world_production(world):
    bought = world.rows["gpus_purchased"].sum(axis=1)
    assert np.all(bought <= world.rows["world_gpu_production"].mean(axis=1) * (1 + 1e-12))


def test_customer_shares_sum_to_one_and_nothing_is_sold_twice(world):
    assert np.allclose(world.customer_share.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    assert np.all(world.customer_share >= 0)
    # tokens sold are at most the tokens the labs' customers want, within what the fixed point
    # leaves unsettled (its paths move less than TOLERANCE of the market an iteration)
    rows, slack = world.rows, 10 * TOLERANCE
    own = rows["own_tokens_demanded"]
    assert np.all(rows["tokens_served"].sum(axis=1) <= own.sum(axis=1) * (1 + slack))
    # and a lab's demand in the market is its logit share of everyone's (what spills aside)
    sent = rows["own_tokens_demanded"] * rows["customer_share_factor"]
    np.testing.assert_allclose(sent.sum(axis=1), own.sum(axis=1), rtol=slack)


def test_a_lab_short_of_serving_gpus_charges_at_most_twice_its_competitive_price(world):
    # what customers pay to be served first (OpenAI's Priority processing, 2x Standard), set for
    # every lab of a market and cited there; a lab alone is not capped
    for lab in MARKET:
        s = lab_settings(lab)
        assert s.values["scarcity_price_cap"] == 2.0
        assert "[openai-priority]" in s.sources["scarcity_price_cap"]
    assert CATALOGUE["scarcity_price_cap"].default == 1e9
    multiple = world.rows["token_price"] / world.rows["token_price_competitive"]
    assert np.all(multiple <= 2.0 * (1 + 1e-12))
    assert np.sum(np.isclose(multiple, 2.0, rtol=1e-12)) >= 1  # and it binds in status-quo
    # uncapped, the same labs price their shortage far above it
    free = market(years=YEARS, step="year", overrides={"scarcity_price_cap": 1e9})
    assert np.max(free.rows["token_price"] / free.rows["token_price_competitive"]) > 2.5


def test_identical_labs_get_identical_paths():
    lab = LABS["anthropic"]
    m = market([lab, replace(lab, name="twin")], years=YEARS, step="year")
    for name in STEP_ROWS:
        np.testing.assert_array_equal(m.rows[name][:, 0], m.rows[name][:, 1], err_msg=name)
    assert np.allclose(m.customer_share, 0.5, rtol=0, atol=1e-15)


@pytest.mark.parametrize("lab", ["openai", "xai", "rest-of-world"])
def test_a_market_of_one_lab_is_the_single_lab_projection(lab):
    m = market([LABS[lab]], years=YEARS, step="year")
    alone = project(lab_settings(LABS[lab]), YEARS, "year")
    assert m.converged and m.iterations <= 2
    for name in STEP_ROWS:
        want = alone[name].to_numpy()
        # a stock summed from flows may pass near 0 (cash), where its relative error is the
        # flows' rounding over a small result: 1e-12 of the row's scale there
        scale = np.nanmax(np.abs(want), initial=0.0)
        np.testing.assert_allclose(m.rows[name][:, 0], want, rtol=1e-12, atol=1e-12 * scale,
                                   err_msg=name)


def test_a_lab_with_no_capital_buys_nothing():
    broke = lab_settings(LABS["xai"], overrides={"financing_model": "revenue-multiple",
                                                 "raise_rate": 0, "reinvestment_rate": 0})
    m = equilibrium([lab_settings(LABS["openai"]), broke], ["openai", "broke"], years=YEARS,
                    step="year")
    assert np.all(m.rows["gpus_purchased"][:, 1] == 0)
    assert np.all(m.rows["gpus_purchased"][1:, 0] > 0)


def test_shutting_the_chip_supply_raises_the_price(world):
    shut = market(years=YEARS, step="year", overrides={"lab_supply_share": 1e-6})
    assert shut.converged
    assert np.all(shut.price_index[1:] > world.price_index[1:])
    assert shut.price_index[0] == world.price_index[0] == 1.0


def test_a_lab_that_stops_research_loses_customers_to_one_that_does_not():
    lab = LABS["anthropic"]
    m = market([lab, _research_to_other(lab)], years=YEARS, step="year")
    share, software = m.choice_share[:, 1], m.rows["software_efficiency"]
    assert share[0] == pytest.approx(0.5)
    # both keep their base-year gap through the base year (observed), so they start the next
    # step level; behind from then, it loses customers; the diffusion floor brings it back
    # within diffusion_lag
    behind = software[:, 1] < software[:, 0] - 1e-6
    assert software[1, 1] == pytest.approx(software[1, 0], abs=1e-12)
    assert behind[2:4].all() and np.all(share[behind] < 0.5) and np.all(share <= 0.5 + 1e-12)
    revenue = m.rows["inference_revenue"].sum(axis=0)
    assert revenue[1] < revenue[0]


def test_the_market_is_deterministic(world):
    again = market(years=YEARS, step="year")
    for name in ("fleet_stock", "inference_revenue", "npv"):
        np.testing.assert_array_equal(again.rows[name], world.rows[name])


def test_demand_beyond_capacity_goes_to_labs_with_room():
    wanted = np.array([[10.0, 2.0, 1.0]])
    capacity = np.array([[4.0, 5.0, 1.5]])
    shares = np.array([[0.5, 0.3, 0.2]])
    sent = capacity_capped(wanted, capacity, shares)
    assert sent.sum() == pytest.approx(wanted.sum())
    np.testing.assert_allclose(sent, [[6.5, 5.0, 1.5]])  # what no lab serves stays put


def test_the_logit_row_weighs_each_labs_own_demand_and_follows_capability():
    """Hand arithmetic: lab B's own demand is 1 token to A's 3; 1 OOM ahead, at ln 3 per OOM
    its odds are 1 x 3 = A's 3, so half of the 4 tokens wanted: factor 2. Keeping pace it keeps
    its own demand (factor 1), however fast that grew beside A's: 10 tokens to A's 3 is still
    10 (with the base year's tokens as weights it would have kept 1 in 4 of 13)."""
    _, factor = COUPLED_RAW["customer_share_factor"]
    at = {sym("customer_odds"): 3.0, sym("rival_odds"): 3.0, sym("own_tokens_demanded"): 1.0,
          sym("rival_demand"): 3.0, sym("spilled_demand"): 0.0}
    assert float(factor.subs(at)) == pytest.approx(2.0)
    assert float(factor.subs(at | {sym("customer_odds"): 1.0})) == pytest.approx(1.0)  # kept pace
    grown = {sym("customer_odds"): 10.0, sym("own_tokens_demanded"): 10.0}
    assert float(factor.subs(at | grown)) == pytest.approx(1.0, rel=1e-12)
    _, odds = COUPLED_RAW["customer_odds"]  # one OOM gained triples the odds at ln 3 per OOM
    software, theta = sym("software_efficiency"), sym("quality_sensitivity")
    demand = sym("own_tokens_demanded")
    at = {s: CATALOGUE[str(s)].default for s in odds.free_symbols
          if CATALOGUE[str(s)].is_input}
    at |= {demand: 1.0, theta: float(np.log(3))}
    ratio = float(odds.subs(at | {software: 1.0})) / float(odds.subs(at | {software: 0.0}))
    assert ratio == pytest.approx(3.0, rel=1e-12)
    # the weight is the lab's own demand at the step: twice the demand, twice the odds
    assert float(odds.subs(at | {demand: 2.0, software: 0.0})) == pytest.approx(
        2 * float(odds.subs(at | {software: 0.0})), rel=1e-12)


def test_the_ten_year_quarterly_market_converges():
    m = market(years=10, step="quarter")
    assert m.converged and m.iterations < 200
    assert np.all(m.rows["gpus_purchased"].sum(axis=1)
                  <= m.rows["world_gpu_production"].mean(axis=1) * (1 + 1e-12))


def test_draws_are_columns_too():
    """Each draw of an input is its own market, in the same runs as the others."""
    labs = [LABS["openai"], LABS["anthropic"]]
    draws = (0.5, 1.5)

    def settings(growth):
        out = [lab_settings(lab) for lab in labs]
        for s in out:
            s.values["user_demand_growth"] = growth
        return out

    both = equilibrium(settings(np.array(draws)), ["a", "b"], years=YEARS, step="year")
    assert both.converged and both.rows["inference_revenue"].shape == (YEARS, 2, 2)
    for k, growth in enumerate(draws):
        one = equilibrium(settings(growth), ["a", "b"], years=YEARS, step="year")
        np.testing.assert_allclose(both.price_index[:, k], one.price_index, rtol=1e-4)
        for name in ("fleet_stock", "inference_revenue", "software_efficiency"):
            np.testing.assert_allclose(both.rows[name][:, :, k], one.rows[name], rtol=1e-4,
                                       err_msg=name)


@pytest.mark.parametrize("scenario", ["status-quo", "ai-2027"])
def test_clearing_step_by_step_is_the_fixed_point_of_the_whole_paths(scenario):
    """The market clears one step at a time (model.market.clearing); its paths must be the
    fixed point of the whole-horizon map too: every lab run over all steps with the cleared
    coupling paths gives back the same rows, and the coupling those rows call for is the one
    they were run with (within the clearing's tolerance)."""
    from model.loop.projection import run_arrays
    from model.market.clearing import couple
    from model.market.engine import _paths, stacked

    settings = [lab_settings(lab, scenario) for lab in MARKET]
    m = equilibrium(settings, [lab.name for lab in MARKET], years=4, step="quarter")
    assert m.converged and m.iterations <= 20  # the secant: ~7 runs of a step, not ~70
    values = stacked(settings, len(m.rows["year"]), 0.25)
    rows = run_arrays(_paths(values, m.coupling, None), len(m.rows["year"]), specialise=False)
    for name in ("fleet_gpus", "inference_revenue", "npv", "token_price"):
        np.testing.assert_allclose(rows[name], m.rows[name], rtol=1e-12, err_msg=name)
    shares = np.asarray([s.values["lab_supply_share"] for s in settings], dtype=float)
    target, _ = couple(rows, shares, False, False)
    np.testing.assert_allclose(target[0], m.coupling[0], rtol=0, atol=10 * TOLERANCE)
    np.testing.assert_allclose(np.log(target[1]), np.log(m.coupling[1]), rtol=0,
                               atol=10 * TOLERANCE)
    for k in (2, 3):  # the rivals' odds and demand, as shares of the market's
        total = target[k].sum(axis=1, keepdims=True) + rows["customer_odds" if k == 2 else
                                                             "own_tokens_demanded"]
        assert np.max(np.abs(target[k] - m.coupling[k]) / total) <= 10 * TOLERANCE
    np.testing.assert_allclose(target[5], m.coupling[5], rtol=0, atol=10 * TOLERANCE)
