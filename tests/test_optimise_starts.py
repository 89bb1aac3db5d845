"""The value-maximising optimiser climbs from several screened starts that lie apart, in
lockstep: the screen's points are ranked and spread, the lockstep gives each climb what it would
get alone, a lockstep inside another (each lab's climbs inside the labs') changes no number, and
more starts find more where the NPV has several basins."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from model.loop.lockstep import in_lockstep
from model.loop.projection import run_arrays, steps_for
from model.loop.scenarios import scenario_settings
from model.market.nash import choosing
from model.market.single_lab import lab_settings
from model.market.world import LABS
from model.policy import optimise
from model.policy.optimise import (
    ASSUMED,
    DIVERSITY,
    LOCKSTEP_CALLS,
    POOL,
    STARTS,
    Climb,
    choose_path,
)

VM = {"allocation_policy": "value-maximising"}


def _problem(preset="ai-2027-lab-2024", scenario="status-quo", years=4, step="year"):
    settings = scenario_settings(preset, scenario, overrides=VM)
    n, dt = steps_for(years, step)
    values = {**settings.values, "step_years": dt}
    vm = {**values, "allocation_policy": optimise.VALUE_MAXIMISING}
    assumed = optimise._assumed(values, n)
    return vm, n, dt, assumed


def test_the_screen_ranks_its_points_and_keeps_them_apart():
    vm, n, dt, assumed = _problem()
    problem = optimise._problem(vm, n, dt, assumed["fixed"], run_arrays)
    columns = problem.screened(problem.anchor)
    kept = problem.ranked(columns, problem.npv(columns))
    values = [v for v, _ in kept]
    assert values == sorted(values, reverse=True) and 1 < len(kept) <= POOL
    knots = np.array([x for _, x in kept])
    gaps = np.linalg.norm(knots[:, None] - knots[None], axis=-1)[np.triu_indices(len(kept), 1)]
    assert gaps.min() >= DIVERSITY
    # the first is the best of the whole screen: each point's NPV, one by one
    columns = np.column_stack([problem.anchor, optimise.sobol_points(len(problem.anchor))
                               [:optimise.SCREEN].T])
    assert values[0] == pytest.approx(float(np.max(problem.npv(columns))), rel=1e-12)


def test_climbs_in_lockstep_are_the_climbs_one_by_one():
    vm, n, dt, assumed = _problem()
    problems = [optimise._problem(vm, n, dt, assumed[p], run_arrays) for p in ASSUMED]
    columns = problems[0].screened(problems[0].anchor)
    chosen = [(v, x, "fixed") for v, x in problems[0].ranked(columns,
                                                             problems[0].npv(columns))[:3]]
    together, calls = optimise._climbs(chosen, vm, n, dt, assumed, run_arrays, Climb(),
                                       problems)
    solo = [optimise._problem(vm, n, dt, assumed[p], run_arrays) for _, _, p in chosen]
    for q in solo:  # each climb's hard cap, as in the lockstep
        q.cap = LOCKSTEP_CALLS
    alone = [optimise._climb(q, x, p, Climb()) for q, (_, x, p) in zip(solo, chosen,
                                                                        strict=True)]
    assert [c[0] for c in together] == pytest.approx([c[0] for c in alone], rel=1e-9)
    for a, b in zip(together, alone, strict=True):
        assert np.allclose(a[2]["chosen_share_research"], b[2]["chosen_share_research"],
                           atol=1e-9)
    # the lockstep's calls are its longest climb's evaluations, not their sum, and no climb
    # makes more than its hard cap (scipy's own cap, 40, is looked at between iterations: the
    # longest ran to 71 without it)
    evaluations = [q.evaluations for q in solo]
    assert calls == max(evaluations) <= LOCKSTEP_CALLS and calls < sum(evaluations)
    assert any(c[4].startswith(f"stopped after {LOCKSTEP_CALLS} evaluations") for c in together)


def test_a_lab_in_a_lockstep_of_labs_chooses_what_it_would_alone():
    labs = [LABS["openai"], LABS["meta"]]  # a renter and an owner: different choices
    settings = [choosing(lab_settings(lab, "status-quo")) for lab in labs]
    nested = in_lockstep([lambda evaluate, s=s: choose_path(s, 4, "year", evaluate=evaluate)
                          for s in settings])
    for s, inside in zip(settings, nested, strict=True):
        alone = choose_path(s, 4, "year")
        assert inside.solution.npv == pytest.approx(alone.solution.npv, rel=1e-9)
        assert np.allclose(inside.paths["chosen_share_research"],
                           alone.paths["chosen_share_research"], atol=1e-9)


def test_more_starts_find_the_seed_tables_better_basin():
    """The AI 2027 lab under status-quo: one climb (from the best screened point) ends at
    -$89.9B, eight at -$62.2B (a climb from the third-best point's basin), $28B more."""
    settings = scenario_settings("ai-2027-lab-2024", "status-quo", overrides=VM)
    one = choose_path(settings, 10, "quarter", limits=Climb(starts=1)).solution
    many = choose_path(settings, 10, "quarter").solution
    assert STARTS == 8
    assert one.npv == pytest.approx(-89.9e9, rel=0.01)
    assert many.npv == pytest.approx(-62.2e9, rel=0.01)
    assert many.npv - one.npv > 25e9


@pytest.mark.parametrize("preset,scenario", [("openai-2024", "ideas-harder"),
                                             ("anthropic-2024", "brakes")])
def test_more_starts_are_never_worse(preset, scenario):
    settings = scenario_settings(preset, scenario, overrides=VM)
    one = choose_path(settings, 6, "year", limits=Climb(starts=1)).solution
    many = choose_path(settings, 6, "year").solution
    assert many.npv >= one.npv - 1e-9 * abs(one.npv)
    assert dataclasses.asdict(Climb())["starts"] == STARTS
