"""Labs' solves in lockstep (model.loop.lockstep): one projection call serves every lab's
evaluation, and each gets what run_arrays would have given it alone."""

from __future__ import annotations

import numpy as np
import pytest

from model.loop.lockstep import in_lockstep
from model.loop.projection import run_arrays, steps_for
from model.market.single_lab import lab_settings
from model.market.world import LABS


def test_each_lab_gets_its_own_rows():
    n, dt = steps_for(4, "year")
    labs = [LABS["openai"], LABS["meta"], LABS["xai"]]  # renters and an owner
    values = [{**lab_settings(lab).values, "step_years": dt} for lab in labs]
    # different widths: one column, three columns of a varied input, a path
    values[1]["discount_rate"] = np.array([0.08, 0.1, 0.12])

    def task(j):
        def run(evaluate):
            first = evaluate(values[j], n, keep=("npv", "fleet_gpus"))
            second = evaluate(values[j], n, keep=("npv",))
            return first, second
        return run

    out = in_lockstep([task(j) for j in range(3)])
    for j, (first, second) in enumerate(out):
        alone = run_arrays(values[j], n, keep=("npv", "fleet_gpus"))
        for name in ("npv", "fleet_gpus"):
            np.testing.assert_allclose(np.squeeze(first[name]), np.squeeze(alone[name]),
                                       rtol=1e-12, err_msg=f"{j} {name}")
        np.testing.assert_allclose(np.squeeze(second["npv"]), np.squeeze(alone["npv"]),
                                   rtol=1e-12)


def test_an_error_in_one_lab_reaches_the_caller_and_frees_the_others():
    n, dt = steps_for(2, "year")
    good = {**lab_settings(LABS["openai"]).values, "step_years": dt}

    def fine(evaluate):
        return evaluate(good, n, keep=("npv",))

    def broken(evaluate):
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        in_lockstep([fine, broken, fine])
