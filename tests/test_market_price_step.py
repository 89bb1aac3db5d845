"""The chip price's step in the market's clearing (model.market.clearing._secant): the secant
solves the price the bids call for, kept within the bounds its guesses put on the root."""

from __future__ import annotations

import numpy as np
import pytest

from model.market.clearing import PATHS, _secant, inputs, others
from model.market.engine import market
from model.market.nash import market_nash
from model.market.parameters import CHIP_PRICE_CAP, CHIP_PRICE_FLOOR


def _called_for(x: np.ndarray, steepness: float, knee: float) -> np.ndarray:
    """Log of the index the bids call for at log index x: bids falling as the price rises,
    steeply past a knee (a lab's capital running out), clipped to the floor and the cap."""
    bids = np.exp(-x) + 5.0 / (1.0 + np.exp(steepness * (x - knee)))
    return np.log(np.clip(bids ** 2, CHIP_PRICE_FLOOR.value, CHIP_PRICE_CAP.value))


@pytest.mark.parametrize("steepness", [1.0, 10.0, 40.0, 200.0])
@pytest.mark.parametrize("knee", [0.2, 0.8])
def test_the_price_step_settles_where_the_bids_fall_steeply(steepness, knee):
    x, last = np.array([np.log(2.27)]), None
    for _ in range(60):
        g = _called_for(x, steepness, knee)
        if abs(g - x)[0] < 1e-9:
            break
        index, last = _secant(x, g, last, 1.0)
        x = np.log(index)
    assert abs(_called_for(x, steepness, knee) - x)[0] < 1e-9


def test_a_secant_whose_slope_nears_one_stays_within_the_floor_and_the_cap():
    """Bids that barely answer the price: the secant through (0, 0.5) and (1e-9, 0.5 + 1e-9 x
    (1 - 1e-12)) has slope 1 - 1e-12 and steps (g - x) / 1e-12 = 5e11 in logs, an index of inf
    (ai-2027's draw 8 of seed 0 at yearly steps, December 2026); the root lies within the
    floor and the cap, and so does every guess."""
    x0, g0 = np.array([0.0]), np.array([0.5])
    x1 = np.array([1e-9])
    g1 = g0 + (x1 - x0) * (1 - 1e-12)
    _, last = _secant(x0, g0, None, 1.0, bounded=False)
    for bounded in (False, True):
        index, _ = _secant(x1, g1, last, 1.0, bounded=bounded)
        assert np.isfinite(index[0])  # exp(log 10): the cap to the last bit
        assert index[0] == pytest.approx(CHIP_PRICE_CAP.value, rel=1e-12)


def test_the_rivals_sums_are_exact_where_the_labs_lie_ooms_apart():
    """The other labs' odds summed over them, not the total less the lab's own: beside 1e40,
    1e20 + 3 is rounding in the total, and the largest lab's rivals came out at 0 (or below)."""
    odds = np.array([[1e40, 1e20, 3.0]])[..., None]
    np.testing.assert_array_equal(others(odds)[0, :, 0], [1e20 + 3.0, 1e40, 1e40])
    assert (odds.sum(axis=1, keepdims=True) - odds)[0, 0, 0] == 0.0  # what the total gave


def test_the_ten_year_quarterly_market_clears_under_every_scenario_it_cycled_in():
    """At quarterly steps over ten years the market cycled in 2030 (the index 0.7, 10, 1.6,
    3.5 and again for 200 runs) under the brakes: the equilibrium's market now clears."""
    eq = market_nash(scenario="brakes", years=10, step="quarter")
    assert eq.market.converged and eq.market.iterations < 200


def _first_year_rent(step: str) -> float:
    """The end-2025 market's average rent over 2026 (USD per H100e-hour) at `step` steps."""
    m = market(years=2, step=step)
    year = np.round(m.rows["year"][:, 0].ravel(), 6)
    rent, length = m.rows["gpu_rental_price"][:, 0].ravel(), m.rows["step_length"][:, 0].ravel()
    in_2026 = (year >= 2026) & (year < 2026.999)
    return float(np.average(rent[in_2026], weights=length[in_2026]))


def test_the_first_years_chip_price_hardly_depends_on_the_step():
    """A renter bids what it brings into service over the step (gpus_bid), a flow as
    production is. Bidding its whole gap against a step's production, 2026's rent averaged
    $2.63 at quarterly steps and $3.19 at monthly ones (18% apart); bidding 1 - e^(-step /
    lead time) of the gap, $2.38 and $2.51 (5.2%); with the money growing through a step at its
    own last growth rather than the revenue's (December 2026), $2.375 and $2.543 (6.6%). Closing
    its gap at the lead time stretched by the shortage, the target moving through the step
    (December 2026, later): $2.616 and $2.624 (0.3%); with customers' odds weighing each lab's
    own demand (December 2026, later still): $2.698 and $2.701 (0.1%)."""
    quarter, month = _first_year_rent("quarter"), _first_year_rent("month")
    assert quarter == pytest.approx(2.698, rel=0.02)
    assert abs(quarter - month) / month < 0.01


def test_a_renter_is_rationed_to_its_bid_over_the_shortage():
    """The shortage the labs read (chip_shortage) is the bids over the supply, as the price
    index shows it (index^elasticity, elasticity 1), wherever the index is neither floored nor
    capped: each lab buys 1 / shortage of its bid (a renter's bid is the shortage times what
    it brings into service, so it gets just that)."""
    m = market(years=4, step="quarter")
    index = m.coupling[PATHS.index("chip_price_index")]
    short = inputs(m.coupling, index[:, None], index[:, None])["chip_shortage"]
    # the default market's rest of the world takes what the named labs do not: its supply is
    # all of world production
    supply = m.rows["world_gpu_production"].mean(axis=1)
    bids = m.rows["gpus_bid"]
    inside = (index > 1.0001) & (index < CHIP_PRICE_CAP.value * 0.999)
    inside[0] = False  # the base year is observed
    assert inside.sum() >= 8  # a shortage through most of 2026-29
    np.testing.assert_allclose(short[inside, 0], bids[inside].sum(axis=1) / supply[inside],
                               rtol=1e-6)
    np.testing.assert_allclose(m.rows["gpus_purchased"][inside], (bids / short)[inside],
                               rtol=1e-6)
