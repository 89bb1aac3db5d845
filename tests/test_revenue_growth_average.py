"""The revenue growth investors see (revenue_growth): each step's growth (revenue_growth_step,
centred at the step's start) averaged over a year, run on through the step as the last two
steps' growth does. Read from the row's own expression: for a growth changing linearly it
trails by exactly a year, and it forgets a start at e^-1 a year, at every step length."""

from __future__ import annotations

import math

import pytest

from model.core.catalogue import sym
from model.loop import projection  # noqa: F401 - registers the rows' expressions
from model.loop.rows import STEP_RAW

_ROW = STEP_RAW["revenue_growth"]
STEPS = {"year": 1.0, "quarter": 0.25, "month": 1 / 12}


def _next(average: float, now: float, last: float, dt: float) -> float:
    """The row's value from the last step's average, this step's growth and the last one's
    (a later step: not the first after the base year), at step length dt (years)."""
    return float(_ROW.subs({
        sym("revenue_growth_prev"): average, sym("revenue_growth_step"): now,
        sym("revenue_growth_step_prev"): last, sym("step_length"): dt,
        sym("step_length_prev"): dt, sym("fleet_year"): 1.0, sym("elapsed_years_prev"): 1.0}))


@pytest.mark.parametrize("step", STEPS)
def test_a_linearly_changing_growth_is_trailed_by_a_year(step):
    dt, slope = STEPS[step], -0.37  # growth falling 0.37 a year (OpenAI's, 2026-28)

    def growth(t):
        return 1.0 + slope * t

    average, t = growth(0.0) - slope * 1.0, 0.0  # a year behind at the start
    for _ in range(round(3 / dt)):
        # this step's growth is centred at its start, t; the average is read at its end
        average = _next(average, growth(t), growth(t - dt), dt)
        t += dt
        assert average == pytest.approx(growth(t) - slope * 1.0, abs=1e-12)


@pytest.mark.parametrize("step", STEPS)
def test_a_start_is_forgotten_at_e_to_the_minus_one_a_year(step):
    dt, average = STEPS[step], 2.303  # Anthropic's tenfold 2024
    for _ in range(round(1 / dt)):
        average = _next(average, 0.0, 0.0, dt)
    assert average == pytest.approx(2.303 * math.exp(-1), rel=1e-12)


def test_the_first_step_runs_no_slope_on_from_the_base_years_growth():
    # the base year's growth is a year's, observed: the first step only averages towards its own
    first = float(_ROW.subs({
        sym("revenue_growth_prev"): 2.303, sym("revenue_growth_step"): 0.5,
        sym("revenue_growth_step_prev"): 2.303, sym("step_length"): 0.25,
        sym("step_length_prev"): 1.0, sym("fleet_year"): 1.0, sym("elapsed_years_prev"): 0.0}))
    assert first == pytest.approx(2.303 * math.exp(-0.25) + 0.5 * -math.expm1(-0.25))


def test_the_average_stays_within_tenfold_a_year():
    assert _next(2.0, 2.3, -2.3, 1.0) == pytest.approx(math.log(10))
    assert sym("revenue_growth_step") in _ROW.free_symbols
