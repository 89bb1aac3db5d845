"""One capital market (model.market.capital): the labs raise together at most a pool that grows
from their base-year offers and stops at a share of world GDP."""

from __future__ import annotations

import numpy as np
import pytest

from model.core.catalogue import CATALOGUE
from model.loop.montecarlo import UNCERTAIN
from model.market import capital
from model.market.engine import equilibrium, market
from model.market.parameters import CAPITAL_POOL_CAP, CAPITAL_POOL_GROWTH, WORLD_GDP
from model.market.world import MARKET

# The IMF's world nominal GDP grew from $106.94T (2023) to $117.17T (2025).
GDP_GROWTH = np.log(117.17 / 106.94) / 2


@pytest.fixture(scope="module")
def ai_2027():
    return market(scenario="ai-2027", years=6, step="year")


@pytest.fixture(scope="module")
def flat_multiples():
    """ai-2027 with every multiple held at the one paid in the base year: offers outgrow the
    pool, so the pool's cap shows."""
    return market(scenario="ai-2027", years=6, step="year",
                  overrides={"multiple_scale_elasticity": 0.0})


def test_the_pool_by_hand():
    """Offers of $300B and $200B in the base year: the pool grows at CAPITAL_POOL_GROWTH
    (0.505 a year) to $828B a year on, and two years on reaches the cap, 1% of world GDP
    ($117.17T grown 4.57% a year: $1.284T), below the trend's $1.372T."""
    years = np.array([[2025.0, 2025.0], [2026.0, 2026.0], [2027.0, 2027.0]])
    offers = np.array([[300e9, 200e9], [600e9, 400e9], [3000e9, 1000e9]])
    gdp = WORLD_GDP.value * np.exp(GDP_GROWTH * np.array([0.0, 1.0, 2.0]))
    pool = capital.capital_pool(offers, years, gdp)
    assert CAPITAL_POOL_GROWTH.value == pytest.approx(np.log(635.5 / 383.6))
    trend = 500e9 * np.exp(CAPITAL_POOL_GROWTH.value * np.array([0.0, 1.0, 2.0]))
    np.testing.assert_allclose(pool, np.minimum(trend, CAPITAL_POOL_CAP.value * gdp), rtol=1e-12)
    assert pool[1] == pytest.approx(828.3e9, rel=1e-4) and pool[2] == pytest.approx(
        1.2838e12, rel=1e-4)
    share = capital.financing_share(offers, years, gdp)
    # 2026: offers $1T over a $828B pool; 2027: $4T over $1.284T, every lab the same share
    np.testing.assert_allclose(share[:, 0], [1.0, 0.8283, 0.3210], rtol=1e-3)
    np.testing.assert_array_equal(share[:, 0], share[:, 1])
    assert np.all(capital.financing_share(offers, years, gdp, alone=True) == 1.0)


@pytest.mark.parametrize("which", ["ai_2027", "flat_multiples"])
def test_the_labs_raise_at_most_the_pool(which, request):
    m = request.getfixturevalue(which)
    offers, raised = m.rows["external_financing"], m.rows["financing_raised"]
    pool = capital.capital_pool(offers, m.rows["year"], m.rows["world_gdp"][:, 0])
    assert np.all(raised.sum(axis=1) <= pool * (1 + 1e-6))
    # where the offers outgrow the pool the labs raise all of it (to the fixed point's
    # tolerance), elsewhere all they are offered; in 2025-26 it never binds, and under ai-2027
    # (each lab keeping its policy) the offers stay within it to 2030 (at most $1.26T in 2028
    # against $1.34T), since a lab short of serving GPUs earns at most twice its competitive
    # price; held at their base-year multiples they outgrow it from 2027 (by 0.8% there)
    binding = offers.sum(axis=1) > pool * (1 + 1e-6)
    assert binding.any() == (which == "flat_multiples") and not binding[:2].any()
    np.testing.assert_allclose(raised.sum(axis=1)[binding], pool[binding], rtol=1e-5)
    np.testing.assert_allclose(raised.sum(axis=1)[~binding], offers.sum(axis=1)[~binding],
                               rtol=1e-5)


def test_the_pool_stops_at_a_share_of_world_gdp(flat_multiples):
    """By 2030 the labs raise together what 1% of world GDP is: $1.47T, against the $2.2T
    investors would offer them at their base-year multiples."""
    m = flat_multiples
    assert m.rows["year"][-1, 0] == 2030
    assert CATALOGUE["world_gdp_growth"].default == pytest.approx(GDP_GROWTH, rel=1e-12)
    assert m.rows["financing_raised"][-1].sum() == pytest.approx(
        0.01 * 117.17e12 * np.exp(GDP_GROWTH * 5), rel=1e-4)
    assert m.rows["external_financing"][-1].sum() > 1.4 * m.rows["financing_raised"][-1].sum()


def test_customers_and_investors_see_one_world(ai_2027):
    """Every lab's customers spend from the world GDP the capital pool is capped by: the IMF's
    $117.17T in 2025, growing 4.57% a year, read at each yearly step's middle."""
    gdp = ai_2027.rows["world_gdp"]
    years = ai_2027.rows["year"]
    np.testing.assert_allclose(gdp, 117.17e12 * np.exp(GDP_GROWTH * (years - 2025)), rtol=1e-12)
    assert gdp.shape[1] == len(ai_2027.labs) >= 2


def test_multiples_compress_as_revenue_grows(ai_2027, flat_multiples):
    """OpenAI's 65x (Mar 2026 on 2025 revenue) falls as (trailing revenue / $13.1B)^-0.36:
    43x in 2027 on 2026's ~$42B, 23x by 2029; the offers fall with it, to $0.99T in 2030
    against $2.24T at flat multiples."""
    m, j = ai_2027, list(ai_2027.labs).index("openai")
    multiple, trailing = m.rows["financing_multiple"][:, j], m.rows["trailing_revenue"][:, j]
    paid = 852 / 13.1
    assert multiple[0] == pytest.approx(paid) and trailing[0] == pytest.approx(13.1e9)
    by_hand = np.clip(paid * (trailing[:-1] / 13.1e9) ** -0.36, 5.0, paid)
    np.testing.assert_allclose(multiple[1:], by_hand, rtol=1e-12)
    assert multiple[2] == pytest.approx(42.6, abs=0.1)
    assert multiple[4] == pytest.approx(23.3, abs=0.1)
    assert np.all(flat_multiples.rows["financing_multiple"][:, j] == pytest.approx(paid))
    offered = m.rows["external_financing"][-1].sum()
    assert offered == pytest.approx(0.988e12, rel=0.01)
    assert flat_multiples.rows["external_financing"][-1].sum() == pytest.approx(2.24e12, rel=0.01)


def test_world_output_growth_is_uncertain_alone_and_in_the_odds():
    """One interval, 3% to 7% a year, for the market's pool and the Monte Carlo's draws (its
    5th and 95th percentiles); the odds draw it too, one rate for every lab's customers and the
    pool they raise from alike."""
    from model.loop.montecarlo import sample_inputs
    from model.odds.draws import HELD, LOOP_INPUTS, draw_settings

    low, high, _ = UNCERTAIN["world_gdp_growth"]
    assert np.array([low, high]) * GDP_GROWTH == pytest.approx([0.03, 0.07])
    values = {n: q.default for n, q in CATALOGUE.items() if q.is_input}
    drawn = sample_inputs(values, 20_000, seed=7)["world_gdp_growth"]
    assert np.percentile(drawn, [5, 50, 95]) == pytest.approx(
        [0.03, np.sqrt(0.03 * 0.07), 0.07], rel=0.03)
    assert "world_gdp_growth" not in HELD and "world_gdp_growth" in LOOP_INPUTS
    settings, inputs = draw_settings(MARKET, "status-quo", {}, 0, 3)
    rates = {s.values["world_gdp_growth"] for s in settings}
    assert len(rates) == 1 and inputs["world_gdp_growth"] != pytest.approx(1.0, abs=1e-3)
    assert next(iter(rates)) == pytest.approx(CATALOGUE["world_gdp_growth"].default
                                              * inputs["world_gdp_growth"], rel=1e-12)
    m = equilibrium(settings, [lab.name for lab in MARKET], years=2, step="year")
    rate = rates.pop()
    assert np.all(m.rows["world_gdp"][-1] == pytest.approx(m.rows["world_gdp"][0]
                                                           * np.exp(rate), rel=1e-12))


def test_the_pool_is_capped_by_the_world_the_customers_spend_from():
    """Held at 7% a year (`odds --input world_gdp_growth=0.07`), world output grows faster for
    the labs' customers and for the capital pool alike: by 2030 the labs raise 1% of $117.17T
    grown 7% a year for five years (the pool read the market's own 4.57% before)."""
    m = market(scenario="ai-2027", years=6, step="year",
               overrides={"multiple_scale_elasticity": 0.0, "world_gdp_growth": 0.07})
    gdp = 117.17e12 * np.exp(0.07 * 5)
    assert m.rows["world_gdp"][-1] == pytest.approx(gdp, rel=1e-12)
    assert m.rows["financing_raised"][-1].sum() == pytest.approx(0.01 * gdp, rel=1e-4)


def test_the_pool_reads_world_output_through_the_step_at_every_step_length():
    """The pool's cap is 1% of the projection's world_gdp row: world output through the step,
    read at its middle, as the customers' ceiling is. At quarterly steps (the base step is the
    year 2025, then quarters) 2029 Q3 (2029.5-2029.75) is capped at 1% of $117.17T grown 4.57%
    a year for 4.125 years (the middle of 2025 to the middle of the quarter): $1.4146T, not the
    $1.4391T of 4.5 years from the base step's start to the quarter's (how the pool read world
    GDP before: 0.375 years ahead of the customers at quarters)."""
    m = market(scenario="ai-2027", years=6, step="quarter",
               overrides={"multiple_scale_elasticity": 0.0})
    years, gdp = m.rows["year"][:, 0], m.rows["world_gdp"]
    assert np.all(gdp[0] == pytest.approx(117.17e12, rel=1e-12))
    np.testing.assert_allclose(gdp[1:], np.broadcast_to(
        117.17e12 * np.exp(GDP_GROWTH * (years[1:] + 0.125 - 2025.5))[:, None], gdp[1:].shape),
        rtol=1e-12)
    t = int(np.flatnonzero(np.isclose(years, 2029.5))[0])
    pool = capital.capital_pool(m.rows["external_financing"], m.rows["year"], gdp[:, 0])
    assert pool[t] == pytest.approx(0.01 * 117.17e12 * np.exp(GDP_GROWTH * 4.125), rel=1e-12)
    assert pool[t] == pytest.approx(1.4146e12, rel=1e-4)
    binding = m.rows["external_financing"].sum(axis=1) > pool * 1.01
    assert binding[t]
    np.testing.assert_allclose(m.rows["financing_raised"].sum(axis=1)[binding],
                               0.01 * gdp[binding, 0], rtol=1e-5)
