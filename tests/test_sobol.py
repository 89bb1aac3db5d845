"""The optimiser's stored Sobol points (model.policy.sobol) are scipy's: the same unscrambled
sequence, so storing them changed no chosen path."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import qmc

from model.policy.optimise import KNOTS, SCREEN
from model.policy.sobol import COUNT, NUMERATORS, sobol_points


@pytest.mark.parametrize("dimensions", range(1, KNOTS + 1))
def test_the_stored_points_are_scipys(dimensions):
    expected = qmc.Sobol(dimensions, scramble=False).random(COUNT)
    np.testing.assert_array_equal(sobol_points(dimensions), expected)


def test_the_store_covers_what_the_optimiser_screens():
    assert SCREEN <= COUNT and KNOTS <= len(NUMERATORS)
    assert all(len(d) == COUNT and all(0 <= k < COUNT for k in d) for d in NUMERATORS)
    with pytest.raises(ValueError, match="dimensions"):
        sobol_points(len(NUMERATORS) + 1)
