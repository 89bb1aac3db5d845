"""Step lengths of the projection (a light module: importing it compiles nothing).

Quarters agree with months within 5% for every preset and scenario (model.loop.convergence);
years do not where revenue grows tenfold a year, so they are not the default.
"""

STEPS = {"year": 1.0, "quarter": 0.25, "month": 1 / 12}
DEFAULT_STEP = "quarter"
