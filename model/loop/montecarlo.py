"""Monte Carlo over the uncertain inputs: percentiles of every projection row at every step.

Each uncertain input is its setting times a lognormal factor whose 5th and 95th percentiles are
the listed 90% interval (so a brake switched off, at 0, stays off and a sign never flips);
samples are clipped to the input's catalogue bounds. Samples are drawn with numpy's PCG64 from
`seed`, so a seed reproduces a run exactly; the projection is evaluated once per step over all
samples (compiled once, vectorised), and only the percentiles are kept.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from model.core.catalogue import CATALOGUE
from model.core.errors import InputError
from model.core.loop_inputs import CALIBRATION_ELASTICITY, MILESTONES
from model.core.sources import cite

from .projection import DEFAULT_STEP, STEP_ROWS, check_paths, run_arrays, steps_for
from .steps import MAX_SAMPLE_STEPS, MAX_SAMPLES  # caps (the CLI's help quotes them)

PERCENTILES = (5, 50, 95)
Z90 = 1.6448536269514722  # standard normal quantile at 95%: a 90% interval is +-Z90 sigma

_GDP_GROWTH = CATALOGUE["world_gdp_growth"].default
# name -> (factor at 5th percentile, factor at 95th percentile, source of the interval)
UNCERTAIN: dict[str, tuple[float, float, str]] = {
    "software_halving_time": (5 / 8, 14 / 8, cite("ho2024", "95% CI 5-14 months around 8, "
                                                  "used as the 90% interval")),
    "ai2027_multiplier_sc": (3.4 / 5.8, 10 / 5.8, cite("ai2027-takeoff", "SC multiplier 5.8x, "
                                                       "90% CI 3.4-10x")),
    "research_ces_rho": (0.01 / 0.155, 0.5 / 0.155, cite(
        "davidson-ftm", "rho = -0.01") + "; " + cite("aifm-2025", "-0.155") + "; "
        + cite("assumption", "up to -0.5 for strong complements")),
    "research_labour_weight": (0.8, 1.2, cite("assumption", "+-20% around 0.70")),
    "parallelisation_exponent": (0.5, 1.0, cite("davidson-ftm", "0.7") + "; "
                                 + cite("aifm-2025", "0.5")),
    "software_returns": (0.4 / 1.2, 3.6 / 1.2, cite("davidson-houlden-2025", "r from 0.4 to "
                                                      "3.6 around 1.2")),
    "price_performance_growth": (0.7, 1.3, cite("assumption", "+-30% around Epoch's trend")),
    "investment_rate": (0.5, 2.0, cite("assumption", "a factor of 2 either way")),
    "reinvestment_rate": (0.5, 1.5, cite("assumption", "25-75% of revenue")),
    "token_price": (0.5, 2.0, cite("assumption", "a factor of 2 either way")),
    "user_demand_growth": (0.5, 2.0, cite("assumption", "a factor of 2 either way")),
    "tokens_per_task_growth": (0.5, 2.0, cite("assumption", "a factor of 2 either way")),
    **{f"milestone_{m}": (0.5, 2.0, cite("assumption", "a factor of 2 either way"))
       for m in MILESTONES},
    # the closed loop
    "world_gpu_growth": (math.log(2.7) / math.log(3.3), math.log(4.1) / math.log(3.3),
                         cite("epoch-chips", "3.3x a year, 90% CI 2.7-4.1x")),
    "world_gpus_ceiling": (0.2, 4.0, cite("epoch-2030", "20M-400M H100e by 2030")),
    "lab_supply_share": (0.5, 2.0, cite("assumption", "a factor of 2 either way")),
    "frontier_price_decline": (0.5, 2.0, cite("assumption", "a factor of 2 either way: "
                                              "flagship prices held flat through 2025")),
    "capability_price_elasticity": (1.39 / 1.50, 3.04 / 1.50, cite(
        "epoch-prices", "a fixed capability's price falls 9x-50x a year (slowest to median): "
        "1.4 to 3.0 per OOM")),
    "diffusion_lag": (3.5 / 12, 16.3 / 12, cite("epoch-open-models", "3.5 months (capability "
                                                "index) to 16.3 months (compute)")),
    "split_adjustment_rate": (0.4, 2.0, cite("assumption", "10 to 50 points a year")),
    "revenue_multiple": (20 / 35, 60 / 35, cite("openai-rounds", "35-42x") + "; " + cite(
        "anthropic-rounds", "27x (2026) to ~60x (Mar 2025 on a ~$1B run-rate)")),
    "raise_rate": (0.04 / 0.10, 0.14 / 0.10, cite("openai-rounds", "4% (2024) to 14% (2026) "
                                                  "of valuation a year")),
    "researcher_growth": (math.log(1.2) / math.log(1.7), math.log(3.0) / math.log(1.7), cite(
        "heninger-2025", "headcount 1.2x (assumed slow) to 3x (Anthropic) a year")),
    "demand_price_elasticity": (0.5 / CALIBRATION_ELASTICITY, 2.0 / CALIBRATION_ELASTICITY,
                                cite("assumption", "elasticity 0.5 (inelastic) to 2")),
    "competitive_markup": (0.5, 2.0, cite("assumption", "a factor of 2 either way")),
    "user_ceiling_multiple": (0.5, 2.0, cite("assumption", "a factor of 2 either way")),
    "software_ceiling": (8 / 12, 16 / 12, cite("davidson-ftm", "1e8 (conservative) to 1e16 "
                                                "(aggressive)")),
    # (appended: earlier inputs keep their draws for a seed)
    "multiple_scale_elasticity": (0.20 / 0.36, 0.45 / 0.36, cite(
        "multiples-scale", "0.20-0.45: the fit's 0.36 +/- 0.06, and 0.28 within one lab")),
    "revenue_multiple_floor": (3 / 5, 10 / 5, cite("multiples-scale", "3x (Amazon) to 10x")),
    "rental_price_decline": (0.5, 2.0, cite("assumption", "a factor of 2 either way around the "
                                            "22% a year between Epoch's 2024 and 2025 contract "
                                            "priors, which give no interval of their own (both "
                                            "ends fell by 1.25x)")),
    "world_gdp_growth": (0.03 / _GDP_GROWTH, 0.07 / _GDP_GROWTH, cite(
        "assumption", "nominal world output growing 3% to 7% a year (real ~3% plus inflation) "
        "around the IMF's 4.57% of 2023-25")),
}


def max_samples(n_steps: int) -> int:
    """The most samples accepted for a run of `n_steps` steps."""
    return max(1, min(MAX_SAMPLES, MAX_SAMPLE_STEPS // max(n_steps, 1)))


def check_samples(samples: int, seed: int, n_steps: int = 1) -> None:
    """InputError unless 1 <= samples <= max_samples(n_steps) and seed is a whole number >= 0."""
    if isinstance(samples, bool) or not isinstance(samples, int | np.integer) or not (
            1 <= samples <= MAX_SAMPLES):
        shown = f"{samples:,}" if isinstance(samples, int) and abs(samples) < 10**30 else (
            "a number out of range" if isinstance(samples, int) else repr(samples)[:40])
        raise InputError(f"samples: expected a whole number from 1 to {MAX_SAMPLES:,}, "
                         f"got {shown}")
    if samples > max_samples(n_steps):
        raise InputError(f"samples: {samples:,} samples x {n_steps:,} steps is over the "
                         f"{MAX_SAMPLE_STEPS:,} sample-step limit (about a minute of work); "
                         f"at this horizon and step use at most {max_samples(n_steps):,}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or not (
            0 <= seed < 2**64):
        raise InputError("seed: expected a whole number from 0 to 2**64 - 1")


def factor_scale(lo: float, hi: float) -> tuple[float, float]:
    """(mu, sigma) of the log factor whose 5th/95th percentiles are lo and hi."""
    return (math.log(lo) + math.log(hi)) / 2, (math.log(hi) - math.log(lo)) / (2 * Z90)


def sample_inputs(values: dict[str, float], samples: int, seed: int) -> dict[str, np.ndarray]:
    """Inputs with every uncertain one replaced by `samples` draws (fixed order: reproducible)."""
    rng = np.random.default_rng(seed)
    out: dict[str, np.ndarray | float] = dict(values)
    for name, (lo, hi, _) in UNCERTAIN.items():
        mu, sigma = factor_scale(lo, hi)
        q = CATALOGUE[name]
        draw = values[name] * np.exp(rng.normal(mu, sigma, samples))
        out[name] = np.clip(draw, q.min, q.max)
    _order_milestones(out)
    # a sampled ceiling must stay above the world's anchor stock (scenario_settings' rule)
    out["world_gpus_ceiling"] = np.maximum(out["world_gpus_ceiling"],
                                           np.asarray(values["world_gpus_anchor"]) * 1.01)
    return out


def _order_milestones(values: dict) -> None:
    """Keep sampled milestone thresholds strictly increasing (sort them per sample)."""
    names = [f"milestone_{m}" for m in MILESTONES]
    stacked = np.sort(np.vstack([np.broadcast_to(values[n], np.shape(values[names[0]]))
                                 for n in names]), axis=0)
    stacked[1:] = np.maximum(stacked[1:], stacked[:-1] * (1 + 1e-9))
    for n, row in zip(names, stacked, strict=True):
        values[n] = row


def percentiles(values: np.ndarray | float) -> np.ndarray:
    """PERCENTILES of one row's samples, ignoring NaN; a row no sample moves is its value."""
    values = np.asarray(values, dtype=float)
    if values.size == 1:
        return np.full(len(PERCENTILES), float(values.flat[0]))
    if np.isnan(values).any():
        return np.nanpercentile(values, PERCENTILES)
    return np.percentile(values, PERCENTILES)


def monte_carlo(settings, years: int = 10, step: str = DEFAULT_STEP, samples: int = 1000,
                seed: int = 0) -> pd.DataFrame:
    """Percentiles per step: columns year, then <row>_p5, <row>_p50, <row>_p95 for each row."""
    n, dt = steps_for(years, step)
    check_samples(samples, seed, n)
    # under value-maximising every sample keeps the path chosen at the settings themselves
    check_paths(settings, n)
    values = {**sample_inputs({**settings.values, "step_years": dt}, samples, seed),
              **settings.paths}
    rows = [r for r in STEP_ROWS if r != "year"]
    table = np.empty((n, len(rows), len(PERCENTILES)))
    years_out = np.empty(n)

    def take(t: int, step_rows: dict) -> None:
        # Row by row, so the step's samples are never copied into one block.
        for i, r in enumerate(rows):
            table[t, i] = percentiles(step_rows[r])
        years_out[t] = np.asarray(step_rows["year"]).flat[0]

    run_arrays(values, n, keep=(), on_step=take)
    data = {"year": years_out}
    for i, r in enumerate(rows):
        for j, p in enumerate(PERCENTILES):
            data[f"{r}_p{p}"] = table[:, i, j]
    return pd.DataFrame(data)
