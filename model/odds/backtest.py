"""The backtests with their odds: each observable read over draws of the uncertain inputs, its
5th, 50th and 95th percentiles, and where the published figure falls among the draws.

The backtests (model.loop.backtest, model.market.backtest) ask whether the model at its central
inputs lands within its band of what was published. This asks whether the published figure is
one the model's own stated uncertainty allows: the same draws as the Monte Carlo's (a lab alone:
model.loop.montecarlo's inputs; a market of labs: model.odds.draws, its labs' intervals too,
the presets' data in the market from 2024 held as a lab alone's), each draw run as the backtest
runs its preset or market, the observable read from each.
`covered`: the figure lies within the draws' 90% interval. `rank`: the share of draws below it
(ties half), which for a calibrated forecaster is spread evenly over 0-1; near 0 or 1, the
model's uncertainty does not reach it. The readings are not independent (one lab's revenue at
three dates, each at three step lengths), so their count describes and does not test.
Nothing here sets or moves a default: the draws are the inputs' sourced intervals.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.stats import percentileofscore

from model.core.errors import InputError, quoted
from model.loop import backtest as lab_backtest
from model.loop.montecarlo import check_samples, sample_inputs
from model.loop.projection import run_arrays
from model.loop.scenarios import scenario_settings
from model.loop.steps import STEPS, steps_for
from model.market import backtest as market_backtest
from model.market import labs_2024
from model.market.engine import equilibrium
from model.market.presets import DEFAULT_PRESET
from model.market.world import MARKETS

from .draws import draw_settings, drawn_labs, loop_drawn

SAMPLES = 200  # draws per backtest: the 5th and 95th percentiles from 10 draws beyond each
MAX_SAMPLES = 2_000  # the market's at every step length: about three minutes on one core
SEED = 0
COLUMNS = ("observable", "preset", "step", "observed", "modelled", "unit", "p5", "p50", "p95",
           "covered", "rank", "draws", "seed")


def rank(readings: np.ndarray, observed: float) -> float:
    """Share of `readings` below `observed`, ties counted half (0-1)."""
    return float(percentileofscore(readings, observed, kind="mean")) / 100


def summary_row(item, run: str, step: str, central: float, readings: np.ndarray,
                seed: int) -> tuple:
    """One row (COLUMNS) of an observable read at `step` steps: the central run's value and
    the draws' `readings` (from `seed`)."""
    p5, p50, p95 = np.percentile(readings, (5, 50, 95))
    return (item.observable, run, step, item.observed, central, item.unit, float(p5),
            float(p50), float(p95), bool(p5 <= item.observed <= p95),
            rank(readings, item.observed), readings.size, seed)


def _frames(arrays: dict[str, np.ndarray], n: int, samples: int):
    """The draws' projections, one frame each (a row no draw varies comes back without the
    sample axis)."""
    wide = {k: np.broadcast_to(np.reshape(v, (n, -1)), (n, samples)) for k, v in arrays.items()}
    return [pd.DataFrame({k: v[:, j] for k, v in wide.items()}) for j in range(samples)]


def lab_readings(items: Sequence, step: str, samples: int, seed: int) -> dict[str, np.ndarray]:
    """{observable: its reading in each draw} for the single-lab `items` at `step` steps: each
    preset and policy run once with `samples` draws of the Monte Carlo's inputs."""
    out: dict[str, np.ndarray] = {}
    groups: dict[tuple, list] = {}
    for item in items:
        key = (item.preset, item.scenario, tuple(sorted(item.overrides.items())))
        groups.setdefault(key, []).append(item)
    n, dt = steps_for(lab_backtest.YEARS, step)
    for (preset, scenario, overrides), group in groups.items():
        settings = scenario_settings(preset, scenario, overrides=dict(overrides))
        values = {**sample_inputs({**settings.values, "step_years": dt}, samples, seed),
                  **settings.paths}
        keep = {"year", "step_length", *(item.row for item in group)}
        frames = _frames(run_arrays(values, n, keep=tuple(keep)), n, samples)
        for item in group:
            out[item.observable] = np.array([lab_backtest.read(f, item) for f in frames])
    return out


def _market_draws(pairs: Sequence, names: Sequence[str], settings_of, samples: int,
                  **run) -> dict[str, np.ndarray]:
    """{observable: its reading in each draw} for (observable, lab) `pairs`: draw d's market,
    the labs `settings_of(d)` named `names`, cleared by the engine with `run`'s keywords."""
    out = {item.observable: np.empty(samples) for item, _ in pairs}
    for draw in range(samples):
        m = equilibrium(settings_of(draw), names, **run)
        frames = {lab: market_backtest.lab_frame(m, lab) for lab in names}
        for item, lab in pairs:
            out[item.observable][draw] = lab_backtest.read(frames[lab], item)
    return out


def market_readings(items: Sequence, step: str, samples: int, seed: int,
                    preset: str = DEFAULT_PRESET) -> dict[str, np.ndarray]:
    """{observable: its reading in each draw} for the market's `items` at `step` steps: the
    market of labs of each draw (model.odds.draws) cleared as the market's backtest clears it."""
    labs = MARKETS[preset]
    return _market_draws(
        [(item, item.lab) for item in items], [lab.name for lab in labs],
        lambda d: draw_settings(labs, market_backtest.SCENARIO, None, seed, d)[0], samples,
        years=market_backtest.YEARS, step=step)


def settings_2024(seed: int, draw: int) -> list:
    """The market from 2024's labs in draw `draw` (NAMES' order), as its backtest runs them:
    the labs that are no preset with their intervals drawn (model.odds.draws), every lab's
    loop inputs drawn alike, the presets' data held as the single-lab Monte Carlo holds it."""
    labs, _ = drawn_labs(labs_2024.LABS, seed, draw)
    settings, _ = loop_drawn(
        labs_2024.settings(market_backtest.SCENARIO, market_backtest.FROM_2024, labs),
        market_backtest.FROM_2024, seed, draw)
    return settings


def market_2024_readings(items: Sequence, step: str, samples: int,
                         seed: int) -> dict[str, np.ndarray]:
    """{observable: its reading in each draw} for the market from 2024's `items` ((observable,
    lab) pairs) at `step` steps, each draw's labs settings_2024's."""
    return _market_draws(items, labs_2024.NAMES, lambda d: settings_2024(seed, d), samples,
                         years=lab_backtest.YEARS, step=step,
                         pool_growth=labs_2024.POOL_GROWTH.value)


def intervals(market: bool = False, samples: int = SAMPLES, seed: int = SEED,
              steps: Sequence[str] = tuple(STEPS), from_2024: bool = False) -> pd.DataFrame:
    """One row (COLUMNS) per observable and step length of the single-lab backtest, or with
    `market` the market's, or with `from_2024` the market from 2024's: the central run's
    reading and the draws' percentiles."""
    if isinstance(samples, bool) or not isinstance(samples, int) or not (
            1 <= samples <= MAX_SAMPLES):
        raise InputError(f"samples: expected a whole number from 1 to {MAX_SAMPLES:,}, got "
                         f"{quoted(samples)}")
    check_samples(samples, seed)
    if from_2024:
        central, pairs = market_backtest.backtest_2024(steps=steps), market_backtest.pairs_2024()
        items, reader = [item for item, _ in pairs], market_2024_readings
    else:
        central = market_backtest.backtest(steps=steps) if market else lab_backtest.backtest(
            steps=steps)
        items = market_backtest.OBSERVABLES if market else lab_backtest.OBSERVABLES
        pairs, reader = items, market_readings if market else lab_readings
    rows = []
    for step in steps:
        readings = reader(pairs, step, samples, seed)
        at = central[central["step"] == step].set_index("observable")
        rows += [summary_row(item, at.loc[item.observable, "preset"], step,
                             float(at.loc[item.observable, "modelled"]),
                             readings[item.observable], seed) for item in items]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def markdown(table: pd.DataFrame, label: str = "preset") -> str:
    """The intervals as a Markdown table (docs/MODEL.md): one row an observable, a cell a step
    length: the 90% interval over the published figure, '(in)' where it covers it, and the
    figure's rank among the draws."""
    steps = list(dict.fromkeys(table["step"]))
    out = [f"| observable | {label} | " + " | ".join(f"{s}: 5-95% / observed, rank"
                                                    for s in steps) + " |",
           "|---|---|" + "---|" * len(steps)]
    for name, group in table.groupby("observable", sort=False):
        cells = []
        for s in steps:
            r = group[group["step"] == s].iloc[0]
            low, high = sorted((r.p5 / r.observed, r.p95 / r.observed))  # (a negative figure)
            cells.append(f"{low:.2f} to {high:.2f}"
                         + (" (in)" if r.covered else "") + f", {r['rank']:.2f}")
        out.append(f"| {name} | `{group.iloc[0].preset}` | " + " | ".join(cells) + " |")
    covered, total = int(table["covered"].sum()), len(table)
    out.append("")
    out.append(f"{covered} of {total} readings lie within the draws' 90% interval "
               f"({table['draws'].iloc[0]} draws, seed {table['seed'].iloc[0]}); the published "
               f"figures' mean rank among the draws is {table['rank'].mean():.2f} (0.50 when "
               "the draws miss them as often high as low).")
    return "\n".join(out)
