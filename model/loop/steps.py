"""Step lengths of the projection and the limits of a run (a light module: importing it imports
and compiles nothing, so the command line's --help can quote it).

Quarters agree with months within 5% for every preset and scenario but one NPV
(model.loop.convergence); years do not where revenue grows tenfold a year, so they are not the
default.
"""

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
