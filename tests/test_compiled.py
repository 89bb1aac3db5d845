"""The compiled projection (model.loop.compiled): a step split for the market's clearing gives
what the whole step gives, and the climbs' shortcuts (a lockstep's shared program, a climb from
any path, no evaluation twice) change no value."""

from __future__ import annotations

import numpy as np
import sympy

from model.loop import lockstep, projection
from model.loop.compiled import hoisted, program
from model.loop.projection import PATHS, run_arrays, steps_for
from model.market.engine import market
from model.market.nash import choosing
from model.market.single_lab import lab_settings
from model.market.world import LABS
from model.policy.optimise import Climb, Problem, choose_path


def test_a_hoisted_step_computes_what_the_whole_step_does():
    """x moves; y, z do not. `b` is assigned as a row though it is also an argument (a row
    named as its input): reads before the row see the input, reads after it see the row."""
    a, b, x, s, t, u = sympy.symbols("a b x s t u")
    assignments = [(s, a * b), (t, s + x), (b, s * 2), (u, b + t)]
    outs = [s, t, b, u]
    whole = program([a, b, x], assignments, outs)
    h = hoisted([a, b, x], assignments, outs, {x})
    assert {str(k) for k in h.kept} <= {"s", "_row0"} and not h.slow_kept
    for values in ((2.0, 3.0, 5.0), (np.array([1.0, -2.0]), 0.5, np.array([7.0, 0.0]))):
        once = h.fixed(*values)
        for moved in (values[2], np.asarray(values[2]) + 1.5):
            now = (*values[:2], moved)
            for got, want in zip(h.rest(*now, *once), whole(*now), strict=True):
                np.testing.assert_array_equal(got, want)


def test_a_slow_argument_splits_the_moving_part_in_two():
    """y moves seldom, x often: what only y reaches (v) is the slow part's, what x reaches
    (w, and z, which reads both) the rest's; the three parts give what the whole does."""
    a, x, y, s, v, w, z = sympy.symbols("a x y s v w z")
    assignments = [(s, a * 2), (v, s * y), (w, x + s), (z, v * w)]
    outs = [s, v, w, z]
    whole = program([a, x, y], assignments, outs)
    h = hoisted([a, x, y], assignments, outs, {x, y}, {y})
    assert [str(k) for k in h.kept] == ["s"] and [str(k) for k in h.slow_kept] == ["v"]
    for values in ((2.0, 3.0, 5.0), (np.array([1.0, -2.0]), np.array([7.0, 0.0]), 0.5)):
        once = h.fixed(*values)
        mid = h.slow(*values, *once)
        for moved in (values[1], np.asarray(values[1]) + 1.5):
            now = (values[0], moved, values[2])
            for got, want in zip(h.rest(*now, *once, *mid), whole(*now), strict=True):
                np.testing.assert_array_equal(got, want)


def test_the_market_clears_alike_with_and_without_the_hoisted_step(monkeypatch):
    """The clearing runs a step's coupled part alone (over half its operations are not):
    every row of the market comes out bit for bit what the whole step gives."""
    hoisting = market(years=3, step="quarter", scenario="ai-2027")
    monkeypatch.setattr(projection._Program, "hoists", property(lambda self: False))
    whole = market(years=3, step="quarter", scenario="ai-2027")
    assert hoisting.iterations == whole.iterations
    for name, rows in whole.rows.items():
        np.testing.assert_array_equal(hoisting.rows[name], rows, err_msg=name)


def test_a_lockstep_keeps_the_choices_its_labs_differ_in_free(monkeypatch):
    """The last lab climbing alone runs the program the labs shared: the choices they differed
    in at the first round (a renter's and an owner's cost basis) stay arguments."""
    seen = []
    real = lockstep.run_arrays
    monkeypatch.setattr(lockstep, "run_arrays",
                        lambda *a, **k: seen.append(set(k.get("free", ()))) or real(*a, **k))
    n, dt = steps_for(3, "year")
    labs = [LABS["openai"], LABS["meta"]]  # a renter and an owner
    values = [{**lab_settings(lab).values, "step_years": dt} for lab in labs]
    assert values[0]["cost_basis"] != values[1]["cost_basis"]

    def task(j):
        def run(evaluate):
            first = evaluate(values[j], n, keep=("npv",))
            # the owner asks once more, alone
            return [first, *(evaluate(values[j], n, keep=("npv",)) for _ in range(j))]
        return run

    out = lockstep.in_lockstep([task(0), task(1)])
    assert len(seen) == 2 and "cost_basis" in seen[0] and seen[1] == seen[0]
    alone = run_arrays(values[1], n, keep=("npv",))["npv"][-1]
    np.testing.assert_allclose(np.ravel(out[1][1]["npv"][-1]), np.ravel(alone), rtol=1e-12)


def _problem(n: int, dt: float):
    values = {**lab_settings(LABS["anthropic"]).values, "step_years": dt}
    base = {u: np.full(n, float(values[f"share_{u}"])) for u in
            ("training", "research", "automation", "inference", "other")}
    return Problem(values, n, dt, base, 1.0)


def test_a_climb_starts_exactly_where_the_path_is_even_between_knots():
    """An assumed policy's path may jump within a step, which no knots give: `around` keeps
    what they miss, so the climb's first point is the path itself."""
    n, dt = steps_for(10, "quarter")
    problem = _problem(n, dt)
    research = np.where(np.arange(n) < 3, 0.25, 0.9) * problem.pool  # jumps at 1.5 years
    research = np.maximum(research, problem.low)
    knots = problem.around(research)
    back = problem.paths(knots[:, None])
    np.testing.assert_allclose(back["chosen_share_research"][:, 0], research, atol=1e-15)
    np.testing.assert_allclose(back["chosen_share_inference"][:, 0], problem.pool - research,
                               atol=1e-15)
    # a plain fit cannot: the knots are linear between 0.9 and 2.5 years
    plain = _problem(n, dt)
    fitted = plain.paths(plain.fit(research)[:, None])["chosen_share_research"][:, 0]
    assert np.max(np.abs(fitted - research)) > 0.05


def test_a_climb_from_a_path_is_never_worse_and_evaluates_nothing_twice():
    """`start_value` saves the start's evaluation, the climb's last point is not evaluated
    again, and the path it had stays a candidate."""
    n, dt = steps_for(5, "year")
    settings = choosing(lab_settings(LABS["anthropic"]))
    start = choose_path(settings, 5, "year").paths
    calls = []

    def evaluate(values, n_steps, **kw):
        calls.append(np.shape(values["chosen_share_research"]))
        return run_arrays(values, n_steps, **kw)

    rows = run_arrays({**settings.values, **start, "step_years": dt}, n,
                      keep=("npv", "compute_cost", "discount_factor"))
    npv = float(rows["npv"][-1])
    bill = float(np.sum(rows["compute_cost"] * rows["discount_factor"]))
    reply = choose_path(settings, 5, "year", start=start, local=True, evaluate=evaluate,
                        limits=Climb(evaluations=6), start_value=(npv, bill))
    assert reply.solution.npv >= npv
    # scipy looks at its cap between iterations: a line search may run past it, and one that
    # fails is tried once more from a reset memory (31 here, from the eight-start optimum)
    assert reply.solution.evaluations == len(calls) <= 6 + 2 * 20
    for p in PATHS:
        assert reply.paths[p].shape == (n,)


def test_a_run_keeping_a_few_rows_computes_only_what_they_need_and_the_same_values():
    """keep=("npv",) runs a program without the reports and checks (the schedule's shares,
    the price band, payback), bit for bit what the whole program gives, for every preset at
    yearly and monthly steps; a row whose last value a kept row reads is kept too."""
    from model.core.presets import PRESETS
    from model.loop.scenarios import scenario_settings

    for preset in PRESETS:
        for step in ("year", "month"):
            n, dt = steps_for(3, step)
            values = {**scenario_settings(preset, "ai-2027").values, "step_years": dt}
            whole = run_arrays(values, n, specialise=True)
            for keep in (("npv",), ("fleet_gpus", "share_research")):
                part = run_arrays(values, n, keep=keep, specialise=True)
                for k in keep:
                    np.testing.assert_array_equal(part[k], whole[k])
    choices = tuple(projection._one(values[n]) for n in projection.CHOICES)
    pruned = projection.program(choices, False, frozenset({"npv"}))
    rows = set(pruned.rows)
    assert {"npv", "npv_to_date"} <= rows  # npv_to_date: its last value is read
    assert not rows & {"payback_year", "token_price_band_min", "scheduled_share_total",
                       "binding_constraint"}
    assert set(pruned.prevs) <= rows and len(rows) < len(projection.STEP_ROWS)
