"""The market's frontier is the labs' own (MARKET.md principle 3): a lab's price premium is its
gain on the best of the labs since the base year, so progress every lab matches earns none,
while a lab alone still prices against the exogenous frontier path."""

from __future__ import annotations

import numpy as np
import pytest

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
    # the base year's gap (0) holds through it; from the step after, they race ahead
    assert gap[0] == 0 and np.all(pair.rows["capability_gap"][1] == 0)
    assert np.all(gap[1:] > 0.05) and np.all(pair.rows["capability_gap"][2:] > 0.05), gap
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


# --- diffusion from the labs' own frontier (MARKET.md principle 2) ----------------------------

def _diffused_by_hand(frontier: np.ndarray, since: np.ndarray, lag: float) -> np.ndarray:
    """The first-order lag of the frontier's gap: D0 = F0, D = F' + (D' - F') (1 - dt / lag),
    dt / lag capped at 1 (' the step before)."""
    out = [frontier[0]]
    for t in range(1, len(frontier)):
        kept = max(0.0, 1 - since[t] / lag)
        out.append(frontier[t - 1] + (out[-1] - frontier[t - 1]) * kept)
    return np.array(out)


def test_followers_diffuse_from_the_best_lab_not_from_the_exogenous_path():
    """Under the brakes no lab keeps pace with the exogenous path; each lab's diffusion floor is
    the exogenous path diffusion_lag ago plus the labs' best gap then (hand recursion), so no lab
    is lifted above where the best lab stood."""
    names = ("openai", "anthropic", "meta")
    labs = [lab_settings(LABS[n], "brakes") for n in names]
    m = equilibrium(labs, names, 6, "quarter")
    gap, rows = m.rows["capability_gap"], m.rows
    best = gap.max(axis=1)
    np.testing.assert_allclose(rows["frontier_gap"][..., 0], best, rtol=0, atol=1e-12)
    since = np.diff(rows["year"][:, 0], prepend=rows["year"][0, 0])
    for j, lab in enumerate(labs):
        lag = lab.values["diffusion_lag"]
        want = _diffused_by_hand(best, since, lag)
        np.testing.assert_allclose(rows["diffused_frontier_gap"][:, j], want, rtol=0, atol=1e-12)
        exogenous = rows["diffusion_floor"][:, j] - rows["diffused_frontier_gap"][:, j]
        alone = equilibrium([lab], names[j:j + 1], 6, "quarter").rows["diffusion_floor"][:, 0]
        np.testing.assert_allclose(exogenous, alone, rtol=1e-12, atol=1e-12)
    assert best[-1] < -1.0  # the labs fall well behind the exogenous path ...
    # ... and the floor follows them down: never above the best lab's software at the step
    assert np.all(rows["diffusion_floor"] <= rows["software_efficiency"].max(axis=1,
                                                                             keepdims=True) + 1e-12)


def test_a_frontier_holding_its_gap_diffuses_exactly_the_lag_behind():
    """With the best lab's gap constant the followers' floor is the best lab's software
    diffusion_lag ago, at any step length: the lag's mean is the lag."""
    best = np.full(9, -0.3)
    for step in (0.25, 1 / 12):
        since = np.full(9, step)
        np.testing.assert_allclose(_diffused_by_hand(best, since, 1.0), -0.3, rtol=1e-12)
    # a frontier moving steadily at 0.5 OOMs a year is followed exactly `lag` behind, once the
    # start's transient (a factor 1 - step / lag a step) has gone, at any step shorter than it
    for step in (0.25, 1 / 12, 0.5):
        years = np.arange(int(60 / step)) * step
        late = _diffused_by_hand(0.5 * years, np.full(len(years), step), 1.0)[-1]
        assert late == pytest.approx(0.5 * (years[-1] - 1.0), abs=1e-9), step
