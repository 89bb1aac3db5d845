"""When each AI R&D milestone is reached, and how far the split between research and inference
moves it (issue 19, point 5).

A milestone is reached when the lab's software efficiency (OOMs above the frontier's
reference-year level, the row the multiplier path reads) first reaches its threshold
`milestone_<m>`; the date is interpolated linearly in software efficiency between the two step
starts that bracket the crossing, and is NaN when the horizon ends first.

The split is swept as research's fraction of the research + inference pool: training,
automation and other keep the preset's shares, and the pool moves between experiments
(`share_research`) and serving customers (`share_inference`). Research staff stay the
preset's. Under a scenario whose policy moves the split (scheduled, inference-first), the swept
split is the base year's and the policy moves it from there; `hold=True` keeps it fixed for the
whole horizon (allocation_policy fixed). All fractions run as columns of one projection.

`python -m model.loop.milestone_dates` prints the table in docs/MODEL.md.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import numpy as np
import pandas as pd

from model.core.errors import InputError, quoted
from model.core.loop_inputs import MILESTONES, SCHEDULE

from .projection import run_arrays, steps_for
from .scenarios import SCENARIOS, scenario_settings
from .steps import DEFAULT_STEP

WEEKS_PER_YEAR = 365.25 / 7


def _pool_fraction(period: int) -> float:
    """Research's fraction of research + inference in AI 2027's schedule, period `period`."""
    research, inference = SCHEDULE["research"][period], SCHEDULE["inference"][period]
    return research / (research + inference)


# The plausible range: AI 2027's leading lab, from its 2024 split (research 24%, inference 33%
# of the fleet: 42% of the pool) to its Q4 2027 one (57% and 13%: 81%). OpenAI's 2024 split
# (Epoch: $4.5B of experiments, $1.9B of inference: 70%) lies inside.
PLAUSIBLE = (_pool_fraction(0), _pool_fraction(-1))
# dark_compute's QUICK_START.md: inference 5% to 20% of inference + experiment compute.
DARK_COMPUTE = (0.80, 0.95)
PRESETS = ("openai-2024", "ai-2027-lab-2024")
YEARS = 15


def crossing_dates(years: Sequence[float], path, threshold: float) -> np.ndarray:
    """The first time each column of `path` (steps x columns, or one path) reaches `threshold`:
    interpolated linearly between the step starts `years` around the first step at or above it
    (the first step's year if it starts there); NaN where no step reaches it."""
    years = np.asarray(years, dtype=float)
    path = np.asarray(path, dtype=float)
    flat = path.ndim == 1
    path = path.reshape(len(years), -1)
    above = path >= threshold
    reached = above.any(axis=0)
    i = np.argmax(above, axis=0)
    before = np.maximum(i - 1, 0)
    cols = np.arange(path.shape[1])
    lo, hi = path[before, cols], path[i, cols]
    rise = np.where(hi > lo, hi - lo, 1.0)
    part = np.where(i > 0, (threshold - lo) / rise, 0.0)
    out = np.where(reached, years[before] + part * (years[i] - years[before]), np.nan)
    return out[0] if flat else out


def _floor_at(years, software, floor, dates) -> np.ndarray:
    """True where the lab sits on the diffusion floor at both step starts around its crossing
    (the milestone's date is then the frontier's, diffusion_lag later, whatever the lab does)."""
    on = np.isclose(software, floor, rtol=1e-9, atol=1e-12)
    i = np.clip(np.searchsorted(years, np.nan_to_num(dates, nan=years[-1]), side="left"),
                1, len(years) - 1)
    cols = np.arange(software.shape[1])
    return ~np.isnan(dates) & on[i, cols] & on[i - 1, cols]


def sweep(preset: str | None, scenario: str, years: int = YEARS, step: str = DEFAULT_STEP,
          fractions: Sequence[float] | None = None, hold: bool = False) -> pd.DataFrame:
    """One row per research fraction of the research + inference pool: the shares it gives, the
    date each milestone is reached (`date_<m>`, NaN: not within the horizon) and whether the
    lab is then on the diffusion floor (`floor_<m>`). attrs: preset, scenario, hold, horizon
    (the last step's start: a milestone after it is not reached)."""
    fractions = np.atleast_1d(np.asarray(
        np.linspace(*PLAUSIBLE, 9) if fractions is None else fractions, dtype=float))
    if fractions.ndim != 1 or not np.all((fractions >= 0) & (fractions <= 1)):
        raise InputError(f"fractions: expected research's fractions of the research + inference "
                         f"pool between 0 and 1, got {quoted(list(fractions))}")
    settings = scenario_settings(preset, scenario,
                                 overrides={"allocation_policy": "fixed"} if hold else None)
    n, dt = steps_for(years, step)
    values = dict(settings.values)
    pool = values["share_research"] + values["share_inference"]
    values.update(step_years=dt, share_research=fractions * pool,
                  share_inference=(1 - fractions) * pool)
    out = run_arrays(values, n, keep=("year", "software_efficiency", "diffusion_floor"))
    when = np.broadcast_to(out["year"].reshape(n, -1)[:, 0], (n,))
    software = np.broadcast_to(out["software_efficiency"].reshape(n, -1), (n, fractions.size))
    floor = np.broadcast_to(out["diffusion_floor"].reshape(n, -1), (n, fractions.size))
    frame = pd.DataFrame({"research_fraction": fractions, "share_research": fractions * pool,
                          "share_inference": (1 - fractions) * pool})
    for m in MILESTONES:
        dates = crossing_dates(when, software, values[f"milestone_{m}"])
        frame[f"date_{m}"] = dates
        frame[f"floor_{m}"] = _floor_at(when, software, floor, dates)
    frame.attrs.update(preset=preset, scenario=scenario, hold=hold, horizon=float(when[-1]))
    return frame


def spread(frame: pd.DataFrame, milestone: str, low: float, high: float) -> dict:
    """Over the fractions from `low` to `high`: the dates at the two ends, `change` (weeks from
    the low end's date to the high end's: negative when more research is earlier) and `widest`
    (weeks between the earliest and the latest date at any fraction in between). Where a
    milestone is reached at some fractions only, the horizon stands in for the missing dates and
    `bound` is True (the spreads are then at least that); both None where none reaches it."""
    inside = frame[(frame["research_fraction"] >= low - 1e-9)
                   & (frame["research_fraction"] <= high + 1e-9)].sort_values("research_fraction")
    dates = inside[f"date_{milestone}"].to_numpy()
    horizon = frame.attrs["horizon"]
    result = {"low": dates[0], "high": dates[-1], "change": None, "widest": None,
              "bound": bool(np.isnan(dates).any()),
              "floor": bool(inside[f"floor_{milestone}"].all())}
    if np.isnan(dates).all():
        return result
    filled = np.where(np.isnan(dates), horizon, dates)
    result["change"] = (filled[-1] - filled[0]) * WEEKS_PER_YEAR
    result["widest"] = (filled.max() - filled.min()) * WEEKS_PER_YEAR
    return result


def _grid() -> np.ndarray:
    return np.unique(np.round(np.concatenate([np.linspace(*PLAUSIBLE, 9),
                                              np.linspace(*DARK_COMPUTE, 4)]), 12))


def table(presets: Sequence[str] = PRESETS, years: int = YEARS,
          step: str = DEFAULT_STEP) -> list[dict]:
    """Every preset x scenario, under the scenario's own split policy and held fixed (where the
    scenario's policy moves the split): each milestone's spread over PLAUSIBLE, and the widest
    over DARK_COMPUTE's range."""
    rows = []
    for preset in presets:
        for scenario, chosen in SCENARIOS.items():
            moves = chosen.values.get("allocation_policy", ("fixed",))[0] != "fixed"
            for hold in (False, True) if moves else (False,):
                frame = sweep(preset, scenario, years, step, _grid(), hold)
                rows.append({"preset": preset, "scenario": scenario, "hold": hold,
                             "horizon": frame.attrs["horizon"],
                             **{m: spread(frame, m, *PLAUSIBLE) for m in MILESTONES},
                             **{f"{m}_dark": spread(frame, m, *DARK_COMPUTE)
                                for m in MILESTONES}})
    return rows


def _weeks(value: float | None, bound: bool) -> str:
    if value is None:
        return "-"
    return f"{('≥ ' if value > 0 else '≤ ') if bound else ''}{value:+.0f} wk"


def _cell(s: dict, horizon: float) -> str:
    if s["change"] is None:
        return f"not by {horizon:.2f}"
    ends = " → ".join("never" if np.isnan(d) else f"{d:.2f}" for d in (s["low"], s["high"]))
    note = " (floor)" if s["floor"] else ""
    return f"{ends} ({_weeks(s['change'], s['bound'])}){note}"


def _widest(row: dict, suffix: str = "") -> str:
    spreads = [row[f"{m}{suffix}"] for m in MILESTONES if row[f"{m}{suffix}"]["widest"] is not None]
    if not spreads:
        return "-"
    top = max(spreads, key=lambda s: s["widest"])
    return f"{'≥ ' if top['bound'] else ''}{top['widest']:.0f} wk"


def markdown(rows: list[dict]) -> str:
    lo, hi = PLAUSIBLE
    head = ("| preset | scenario | split | " + " | ".join(m.upper() for m in MILESTONES)
            + f" | widest, {lo:.0%}-{hi:.0%} | widest, {DARK_COMPUTE[0]:.0%}-"
            f"{DARK_COMPUTE[1]:.0%} |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    seen: set[tuple] = set()
    for r in rows:
        cells = [_cell(r[m], r["horizon"]) for m in MILESTONES]
        cells += [_widest(r), _widest(r, "_dark")]
        key = (r["preset"], *cells)
        if r["hold"] and key in seen:  # the same as a row above: not repeated
            continue
        seen.add(key)
        split = "held fixed" if r["hold"] else "scenario's policy"
        lines.append(f"| {r['preset']} | {r['scenario']} | {split} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(markdown(table()) + "\n")
