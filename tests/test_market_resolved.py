"""Labs' solves valued with the market re-solved (model.market.resolved): each candidate of each
lab is one draw of a market in which the others keep their paths, and is worth what that
market, solved on its own, says."""

from __future__ import annotations

import dataclasses

import numpy as np

from model.loop.lockstep import in_lockstep
from model.loop.projection import PATHS, steps_for
from model.market.engine import lab_coupling
from model.market.nash import _fixed_paths, _market, choosing
from model.market.resolved import resolved
from model.market.single_lab import lab_settings
from model.market.world import LABS

YEARS, STEP = 3, "year"
NAMES = ("openai", "anthropic", "google-deepmind")  # renters and an owner


def test_each_candidate_is_worth_what_its_own_market_says():
    n, dt = steps_for(YEARS, STEP)
    settings = [choosing(lab_settings(LABS[name])) for name in NAMES]
    paths = [_fixed_paths(s, n) for s in settings]
    m = _market(settings, paths, NAMES, YEARS, STEP)
    # each lab asks for its own path and for one with 10 points of the fleet moved from
    # inference to research, as an optimiser would: its values, the held coupling, two columns
    moved = [{**p, "chosen_share_research": p["chosen_share_research"] + 0.1,
              "chosen_share_inference": p["chosen_share_inference"] - 0.1} for p in paths]

    def task(j):
        def run(evaluate):
            values = {**settings[j].values, **lab_coupling(m, j), "step_years": dt,
                      **{q: np.column_stack([paths[j][q], moved[j][q]]) for q in PATHS}}
            return evaluate(values, n, keep=("npv", "fleet_gpus"))["npv"][-1]
        return run

    out = in_lockstep([task(j) for j in range(len(NAMES))],
                      run=resolved(settings, paths, NAMES, YEARS, STEP, m))
    moves = []
    for j, npv in enumerate(out):
        alone = _market(settings, [moved[k] if k == j else paths[k] for k in range(3)], NAMES,
                        YEARS, STEP)
        np.testing.assert_allclose(npv, [m.rows["npv"][-1, j], alone.rows["npv"][-1, j]],
                                   rtol=1e-6, err_msg=NAMES[j])
        moves.append(abs(npv[1] - npv[0]) / abs(npv[0]))
    # and a move is worth something (not to a lab whose customers want less than either path
    # serves: what it chose for inference beyond demand goes to research either way)
    assert max(moves) > 1e-3, moves


def test_runs_count_the_markets_that_did_not_clear(monkeypatch):
    """A re-solved market that did not clear is counted, so a check reading it cannot vouch
    for an equilibrium (the nash rounds report such a check not converged)."""
    import model.market.resolved as module
    from model.market import nash as nash_module

    n, dt = steps_for(2, STEP)
    settings = [choosing(lab_settings(LABS[name])) for name in NAMES[:2]]
    paths = [_fixed_paths(s, n) for s in settings]
    m = _market(settings, paths, NAMES[:2], 2, STEP)

    def task(j):
        def run(evaluate):
            values = {**settings[j].values, **lab_coupling(m, j), "step_years": dt,
                      **{q: paths[j][q] for q in PATHS}}
            return evaluate(values, n, keep=("npv",))["npv"][-1]
        return run

    runs = resolved(settings, paths, NAMES[:2], 2, STEP, m)
    in_lockstep([task(j) for j in range(2)], run=runs)
    assert (runs.runs, runs.unsettled) == (1, 0)
    real = module.equilibrium
    monkeypatch.setattr(module, "equilibrium", lambda *a, **k: dataclasses.replace(
        real(*a, **k), converged=False))
    runs = resolved(settings, paths, NAMES[:2], 2, STEP, m)
    in_lockstep([task(j) for j in range(2)], run=runs)
    assert (runs.runs, runs.unsettled) == (1, 1)
    # the rounds: their check's climbs ran on markets that "did not clear"
    eq = nash_module.nash([lab_settings(LABS[name]) for name in NAMES[:2]], NAMES[:2], 2, STEP)
    assert not eq.cleared and not eq.converged


def test_several_tasks_may_be_one_labs_solves_under_different_inputs():
    """`labs`: two tasks, both lab 0's (its inputs differ between them, as a reveal sweep's
    do), each candidate worth what the market solved with lab 0 at that task's inputs says."""
    n, dt = steps_for(2, STEP)
    settings = [choosing(lab_settings(LABS[name])) for name in NAMES]
    paths = [_fixed_paths(s, n) for s in settings]
    m = _market(settings, paths, NAMES, 2, STEP)
    variants = [dataclasses.replace(settings[0], values={**settings[0].values,
                                                         "research_staff": staff})
                for staff in (settings[0].values["research_staff"], 0.2)]

    def task(s):
        def run(evaluate):
            values = {**s.values, **lab_coupling(m, 0), "step_years": dt,
                      **{q: paths[0][q] for q in PATHS}}
            return evaluate(values, n, keep=("npv",))["npv"][-1]
        return run

    runs = resolved(settings, paths, NAMES, 2, STEP, m, labs=[0, 0])
    out = in_lockstep([task(s) for s in variants], run=runs)
    assert runs.runs == 1  # both tasks' candidates in one market run
    for s, npv in zip(variants, out, strict=True):
        alone = _market([s, *settings[1:]], paths, NAMES, 2, STEP)
        np.testing.assert_allclose(np.ravel(npv)[0], alone.rows["npv"][-1, 0], rtol=1e-6)
    assert abs(np.ravel(out[0])[0] - np.ravel(out[1])[0]) > 1e-3 * abs(np.ravel(out[0])[0])


def test_a_market_keeping_a_few_rows_computes_them_bit_for_bit():
    """The markets a check re-solves keep only the rows the labs' solves read (and compute only
    what they and the clearing need): the same numbers, bit for bit, as the whole market's."""
    from model.market.engine import equilibrium

    n, _ = steps_for(YEARS, STEP)
    settings = [choosing(lab_settings(LABS[name])) for name in NAMES]
    lanes = [dataclasses.replace(s, paths=_fixed_paths(s, n)) for s in settings]
    whole = equilibrium(lanes, NAMES, YEARS, STEP)
    kept = ("npv", "compute_cost", "discount_factor")
    few = equilibrium(lanes, NAMES, YEARS, STEP, keep=kept)
    assert set(few.rows) == set(kept) and len(whole.rows) > 10 * len(kept)
    for k in kept:
        np.testing.assert_array_equal(few.rows[k], whole.rows[k], err_msg=k)
    for a, b in zip(few.coupling, whole.coupling, strict=True):
        np.testing.assert_array_equal(a, b)
    assert (few.converged, few.iterations) == (whole.converged, whole.iterations)
