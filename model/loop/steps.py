"""Step lengths of the projection and the limits of a run (a light module: importing it imports
and compiles nothing, so the command line's --help can quote it).

Quarters agree with months within 5% for every preset and scenario (model.loop.convergence);
years do not where revenue grows tenfold a year, so they are not the default.
"""

from __future__ import annotations

from model.core.errors import InputError, quoted

# (not typing's: importing typing costs --help 2.5 ms of its ~11 over the import floor)
TYPE_CHECKING = False
if TYPE_CHECKING:
    import numpy as np

STEPS = {"year": 1.0, "quarter": 0.25, "month": 1 / 12}
DEFAULT_STEP = "quarter"
MAX_STEPS = 400
# Monte Carlo caps measured on the project's 2-core machines: 100,000 samples keep a step's
# working set near 300 MB, and 12M sample-steps (100,000 samples x 120 quarters) take ~25 s, so
# every accepted run finishes within a minute with room for a slower or busier machine.
MAX_SAMPLES = 100_000
MAX_SAMPLE_STEPS = 12_000_000


def max_years(step: str) -> int:
    """The longest horizon (whole years) that fits in MAX_STEPS steps: the base year, then
    steps of `step`."""
    return int(1 + (MAX_STEPS - 1) * STEPS[step] + 1e-9)


def steps_for(years: int, step: str) -> tuple[int, float]:
    """Number of steps and step length in years; InputError on a bad horizon or step."""
    if step not in STEPS:
        raise InputError(f"step: expected one of {', '.join(STEPS)}, got {quoted(step)}")
    import numbers  # here, not above: ~0.3 ms of --help's start-up

    if isinstance(years, bool) or not isinstance(years, numbers.Integral) or years <= 0:
        raise InputError(f"years: expected a whole number of years >= 1, got {quoted(years)}")
    n = 1 + int(round((years - 1) / STEPS[step]))  # the base year, then steps of `step`
    if n > MAX_STEPS:
        raise InputError(f"years: {years} years at {step} steps is {n:,} steps, over the "
                         f"{MAX_STEPS}-step limit; the longest horizon at {step} steps is "
                         f"{max_years(step)} years")
    return n, STEPS[step]


def step_starts(n: int, dt: float) -> np.ndarray:
    """Years from the base year's start to each step's start: 0, then 1, 1 + dt, ..."""
    import numpy as np  # here, not above: --help imports this module and must stay light

    return np.concatenate([[0.0], 1.0 + dt * np.arange(n - 1)])
