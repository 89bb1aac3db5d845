"""Tokens per user is a residual: what is left of the tokens' observed growth (5x a year to Q1
2025) once user growth and the price effect (the demand elasticity x the frontier's price fall
then) are taken out. The demand row keeps that sum whatever elasticity is set or drawn, so the
elasticity moves only how demand answers a price off the frontier's path."""

from __future__ import annotations

import math

import pytest
import sympy

from model.core.catalogue import CATALOGUE, sym
from model.loop.projection import project
from model.loop.rows import STEP_RAW
from model.loop.scenarios import scenario_settings

T, E = sym("mid_step_years"), sym("demand_price_elasticity")


def _along_the_frontier(demand_model: int = 0) -> sympy.Expr:
    """log_own_demand for a lab whose price falls at the calibration's pace (no premium)."""
    return STEP_RAW["log_own_demand"].subs({
        sym("capability_price_elasticity"): 0, sym("demand_model"): demand_model,
        sym("log_price_index"): -sym("calibration_price_decline") * T})


def test_on_the_calibrations_price_path_the_elasticity_moves_no_demand():
    assert sympy.simplify(sympy.diff(_along_the_frontier(), E)) == 0


def test_a_year_on_the_frontiers_path_is_the_observed_growth_by_hand():
    """ln 3 x 12/13 (users) - 0.2334 (per user) + 1.11 x ln 6 / 2.40 (price) = ln 5, with no
    ceiling on users, at any elasticity."""
    values = {sym(n): CATALOGUE[n].default for n in (
        "calibration_price_decline", "calibration_demand_elasticity", "tokens_per_task_growth",
        "user_demand_growth")}
    assert CATALOGUE["calibration_price_decline"].default == pytest.approx(math.log(6) / 2.40)
    assert CATALOGUE["calibration_demand_elasticity"].default == 1.11
    for e in (0.5, 1.11, 2.0):
        year = _along_the_frontier().subs({**values, E: e, T: 1.0,
                                           sym("user_ceiling_multiple"): 1e12})
        assert float(year) == pytest.approx(math.log(5), abs=1e-9)


def test_the_fixed_price_model_has_no_price_effect_to_split():
    fixed = STEP_RAW["log_own_demand"].subs({sym("demand_model"): 1,
                                             sym("capability_price_elasticity"): 0,
                                             sym("log_price_index"): 0})
    assert sympy.simplify(fixed - (sym("tokens_per_task_growth") + sym("user_demand_growth"))
                          * T) == 0


def test_a_set_elasticity_leaves_the_first_years_demand_within_a_few_percent():
    """OpenAI from 2024 with no capability premium, at elasticity 0.5 and 2: the tokens its
    customers want through 2025 agree within 3% (the price leaves the frontier's path only a
    little); with the per-user trend split out at 1.11 either way, they would differ by
    e^(1.5 x 0.747 x t), 1.5x by mid-2025."""
    wanted = []
    for e in (0.5, 2.0):
        df = project(scenario_settings("openai-2024", "status-quo", overrides={
            "demand_price_elasticity": e, "capability_price_elasticity": 0}), years=2)
        wanted.append(df["own_tokens_demanded"].to_numpy()[:5])
    assert wanted[0] == pytest.approx(wanted[1], rel=0.03)


def test_the_constants_read_back_from_a_spreadsheets_fifteen_digits():
    from model.core.errors import InputError
    from model.core.resolve import check_value

    q = CATALOGUE["calibration_price_decline"]
    assert check_value(q, float(f"{q.default:.15g}")) == q.default
    with pytest.raises(InputError, match="calibration_price_decline: is a fixed constant"):
        check_value(q, 0.75)
