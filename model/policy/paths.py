"""The projection under any allocation policy: under value-maximising the optimiser chooses the
path first. model.loop's projection reads a chosen path but never chooses one, so whatever
projects value-maximising settings (the CLI, the workbook, the app) comes through here.
"""

from __future__ import annotations

import pandas as pd

from model.loop import projection
from model.loop.projection import chooses, has_paths, steps_for
from model.loop.steps import DEFAULT_STEP

from .optimise import choose_path


def with_paths(settings, years: int, step: str = DEFAULT_STEP):
    """The settings, with the optimiser's path (settings.paths) filled in when the policy is
    value-maximising and the settings do not already carry one for these steps."""
    n, _ = steps_for(years, step)
    if not chooses(settings) or has_paths(settings, n):
        return settings
    return choose_path(settings, years, step)


def project(settings, years: int = 10, step: str = DEFAULT_STEP) -> pd.DataFrame:
    """model.loop.projection.project, the value-maximising path chosen first when asked for."""
    return projection.project(with_paths(settings, years, step), years, step)
