"""One draw of the uncertain inputs: the market's labs and the loop's inputs, from (seed, draw).

A draw is reproducible from its seed and its index alone (numpy's PCG64 seeded with the
SeedSequence (seed, draw, stream)), whatever the number of draws, the scenario or the worker:
so a run of 2N draws repeats a run of N in its first N, and every scenario meets the same
markets (common random numbers: scenarios differ by their settings, not by their luck).

- The labs' assumed fields (`Lab.intervals`: fleets, rented shares, inference shares, revenue,
  financing, staff, software gaps) are each drawn from a split normal with the lab's value as
  its median and the interval's ends as its 5th and 95th percentiles, clipped to the field's
  bounds; one whose interval lies above 0 in logs (a split lognormal), so that a range from
  half to twice is even and no draw reaches 0. (A split normal put Google DeepMind's revenue,
  $2.4-11.9B about $9.4B, at 0 in 2% of draws, and xAI's inference share, 4.3-25% about 10%,
  at 0 in a few per thousand: a lab that serves with no revenue, or earns with no serving, is
  no lab, and the draw failed.) Shares with no interval (training, research) are rescaled to
  keep the five summing to 1, in their ratio (final runs a tenth of R&D).
- The loop's uncertain inputs (model.loop.montecarlo.UNCERTAIN) are drawn by
  model.loop.montecarlo.sample_inputs, one factor per input shared by every lab (the same
  world, the same returns to research), clipped to the catalogue's bounds. Two are held: the
  token price (derived from each lab's revenue, which is drawn) and the lab's supply share (the
  labs' shares of the world's chips sum to 1). World output's growth is drawn: the customers'
  spending ceiling and the capital pool (model.market.capital) read the same labs' world.
  Inputs the user sets are held too.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence

import numpy as np

from model.loop.montecarlo import UNCERTAIN, Z90, sample_inputs
from model.market.fields import FIELDS, SHARES, Lab
from model.market.single_lab import lab_settings

# Loop inputs a draw does not vary: derived from a lab's data, or summing to 1 over the labs.
HELD = ("token_price", "lab_supply_share")
LOOP_INPUTS = tuple(n for n in UNCERTAIN if n not in HELD)
_LOOP_STREAM, _LAB_STREAM = 0, 1


def _rng(seed: int, draw: int, stream: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([int(seed), int(draw), stream]))


def split_normal(value: float, low: float, high: float, z: float) -> float:
    """The value at standard normal deviate `z` of a split normal with median `value` and 5th
    and 95th percentiles `low` and `high` (a side of zero width stays at the value)."""
    side = high - value if z >= 0 else value - low
    return value + z / Z90 * max(side, 0.0)


def drawn_lab(lab: Lab, rng: np.random.Generator) -> tuple[Lab, dict[str, float]]:
    """`lab` with each field of its intervals drawn (fixed order: the intervals'), and the
    values drawn ({field: value})."""
    values = dict(lab.values)
    drawn: dict[str, float] = {}
    for name, (low, high) in lab.intervals.items():
        value = float(lab.value(name))
        f = FIELDS[name]
        z = float(rng.standard_normal())
        if 0 < low <= value:
            x = math.exp(split_normal(math.log(value), math.log(low), math.log(high), z))
        else:
            x = split_normal(value, low, high, z)
        x = min(max(x, f.min), f.max)
        drawn[name] = x
        values[name] = (x, f"drawn from {lab.values[name][1]}")
    _rescale_shares(values, set(drawn))
    return dataclasses.replace(lab, values=values), drawn


def _rescale_shares(values: dict, drawn: set[str]) -> None:
    """Scale the shares not drawn so the five sum to 1 again (in their ratio)."""
    if not drawn & set(SHARES):
        return
    fixed = [s for s in SHARES if s in drawn]
    free = [s for s in SHARES if s not in drawn]
    room = 1.0 - math.fsum(values[s][0] for s in fixed)
    total = math.fsum(values[s][0] for s in free)
    if room < 0 or total <= 0:  # the drawn shares overfill the fleet: scale them down instead
        scale = 1.0 / math.fsum(values[s][0] for s in SHARES)
        for s in SHARES:
            values[s] = (values[s][0] * scale, values[s][1])
        return
    for s in free:
        values[s] = (values[s][0] * room / total, values[s][1])


def drawn_labs(labs: Sequence[Lab], seed: int, draw: int) -> tuple[tuple[Lab, ...], dict]:
    """The labs of draw `draw`, and their drawn values as {'lab.field': value}."""
    rng = _rng(seed, draw, _LAB_STREAM)
    out, record = [], {}
    for lab in labs:
        new, drawn = drawn_lab(lab, rng)
        out.append(new)
        record |= {f"{lab.name}.{k}": v for k, v in drawn.items()}
    return tuple(out), record


def draw_settings(labs: Sequence[Lab], scenario: str | None, overrides: Mapping | None,
                  seed: int, draw: int) -> tuple[list, dict[str, float]]:
    """Each lab's resolved single-lab settings in draw `draw` under `scenario`, and the draw's
    inputs: {'lab.field': drawn value} and {loop input: its factor over the settings' value}."""
    labs, record = drawn_labs(labs, seed, draw)
    settings, factors = loop_drawn([lab_settings(lab, scenario, overrides) for lab in labs],
                                   overrides, seed, draw)
    return settings, record | factors


def loop_drawn(settings: Sequence, overrides: Mapping | None, seed: int,
               draw: int) -> tuple[list, dict[str, float]]:
    """`settings` (each lab's resolved settings) with draw `draw`'s loop inputs, one factor per
    input shared by every lab (held: HELD and the `overrides`), and {input: that factor}."""
    held = set(HELD) | set(overrides or {})
    ss = np.random.SeedSequence([int(seed), int(draw), _LOOP_STREAM])
    out, factors = [], {}
    for s in settings:
        # one sample, from the same stream for every lab: the same factors
        sampled = sample_inputs(dict(s.values), 1, ss)
        values = dict(s.values)
        for name in (n for n in LOOP_INPUTS if n not in held):
            x = float(np.ravel(sampled[name])[0])
            base = float(s.values[name])
            values[name] = x
            if name not in factors and base != 0:
                factors[name] = x / base
        out.append(dataclasses.replace(s, values=values))
    return out, {n: factors.get(n, 1.0) for n in LOOP_INPUTS if n not in held}
