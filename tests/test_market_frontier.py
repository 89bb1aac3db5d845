"""The market's frontier is the labs' own (MARKET.md principle 3): a lab's price premium is its
gain on the best of the labs since the base year, so progress every lab matches earns none,
while a lab alone still prices against the exogenous frontier path."""

from __future__ import annotations

import numpy as np

from model.market.clearing import NO_RIVAL, rival_gaps
from model.market.engine import equilibrium
from model.market.single_lab import lab_settings
from model.market.world import LABS

YEARS, STEP = 3, "year"


def test_each_labs_rival_is_the_best_of_the_others():
    gaps = np.array([[[-0.1, -0.3, -0.2]], [[0.0, 0.0, -1.0]]]).transpose(0, 2, 1)  # (2, 3, 1)
    np.testing.assert_array_equal(rival_gaps(gaps)[..., 0], [[-0.2, -0.1, -0.1], [0, 0, 0]])
    assert np.all(rival_gaps(gaps[:, :1]) == NO_RIVAL)  # one lab: no rival


def test_progress_every_lab_matches_earns_no_premium():
    """Two identical labs racing ahead of the exogenous path (AI 2027, base multiplier 10):
    each prices at the frontier's price, where either alone earns a premium on that path."""
    lab = lab_settings(LABS["google-deepmind"], "ai-2027", {"base_multiplier": 10.0})
    pair = equilibrium([lab, lab], ("a", "b"), YEARS, STEP)
    alone = equilibrium([lab], ("a",), YEARS, STEP)
    gap = alone.rows["capability_gap"][1:, 0]
    assert np.all(gap > 0.05) and np.all(pair.rows["capability_gap"][1:] > 0.05), gap
    start, market = (pair.rows[k][1:] for k in ("token_price_start", "token_price_market"))
    np.testing.assert_allclose(start, market, rtol=1e-12)
    premium = alone.rows["token_price_start"][1:, 0] / alone.rows["token_price_market"][1:, 0]
    elasticity = lab.values["capability_price_elasticity"]
    np.testing.assert_allclose(premium, 10 ** (elasticity * gap), rtol=1e-9)


def test_a_lab_behind_the_best_prices_at_its_distance_from_it():
    """In the end-2025 labs' market, each lab's price start is the frontier's price times
    10^(elasticity x its change in distance from the best lab since the base year)."""
    names = ("openai", "anthropic", "xai")
    labs = [lab_settings(LABS[n], "ai-2027") for n in names]
    m = equilibrium(labs, names, YEARS, STEP)
    gap = m.rows["capability_gap"]
    frontier = gap.max(axis=1, keepdims=True)
    change = (gap - frontier) - (gap[:1] - frontier[:1])
    e = np.array([s.values["capability_price_elasticity"] for s in labs])
    want = m.rows["token_price_market"] * 10 ** (e * change)
    np.testing.assert_allclose(m.rows["token_price_start"][1:], want[1:], rtol=1e-9)
    assert np.ptp(change[1:]) > 1e-3  # the labs do move apart
