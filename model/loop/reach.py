"""Which inputs a lab's projection reads under its choices (model.core.ignored, for the loop).

The rows are a recurrence, so a row's inputs are found step by step: at the first step those of
its first-step expression and of the earlier rows it reads; at a later step those of its
later-step expression, of the earlier rows and, through `prev(row)`, of the rows a step before;
repeated until a step adds nothing (or the horizon ends). A chosen path (the value-maximising
policy's shares) is chosen to maximise the NPV among the policies' paths (model.policy), so a
result that reads one reads whatever the NPV reads under any allocation policy.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from functools import cache

from model.core.catalogue import CATALOGUE
from model.core.ignored import Reach, fixed_choices, symbols_of

from .projection import CHOICES, PATHS, STEP_ROWS, raw_rows

_PREV = "_prev"


@cache
def _symbols(choices: tuple[float, ...], free: tuple[str, ...],
             coupled: bool) -> tuple[dict, dict]:
    """Each row's (first-step, later-step) symbols with the choices not `free` fixed."""
    fixed = fixed_choices(dict(zip(CHOICES, choices, strict=True)), CHOICES, free)
    first, later = raw_rows(coupled)
    return ({n: symbols_of(first[n], fixed) for n in STEP_ROWS},
            {n: symbols_of(later[n], fixed) for n in STEP_ROWS})


def _level(symbols: Mapping[str, frozenset[str]],
           before: Mapping[str, frozenset[str]] | None) -> dict[str, frozenset[str]]:
    """Each row's inputs at one step, given every row's a step `before` (None: the first)."""
    done: dict[str, frozenset[str]] = {}
    for row in STEP_ROWS:
        found: set[str] = set()
        for name in symbols[row]:
            if name in done:  # an earlier row of this step (a row may share an input's name)
                found |= done[name]
            elif before is not None and CATALOGUE[name].kind == "previous":
                found |= before[name.removesuffix(_PREV)]
            else:
                found.add(name)
        done[row] = frozenset(found)
    return done


@cache
def _reach(choices: tuple[float, ...], outputs: tuple[str, ...], n_steps: int,
           free: tuple[str, ...], coupled: bool = False) -> frozenset[str]:
    first, later = _symbols(choices, free, coupled)
    rows = _level(first, None)
    used = set().union(*(rows[o] for o in outputs))
    for _ in range(1, n_steps):
        after = _level(later, rows)
        used |= set().union(*(after[o] for o in outputs))
        if after == rows:
            break
        rows = after
    policies = tuple(sorted({*free, "allocation_policy"}))
    if used & set(PATHS) and (outputs, free) != (("npv",), policies):  # not the NPV's own path
        used |= _reach(choices, ("npv",), n_steps, policies, coupled)
    return frozenset(used)


def projection_reach(values: Mapping[str, float], n_steps: int,
                     outputs: Sequence[str] = STEP_ROWS, coupled: bool = False) -> Reach:
    """What the projection's `outputs` over `n_steps` read under `values`' choices, the choices
    named in the reach's argument left free; `coupled`: in a market of labs, the coupling
    inputs (model.loop.coupling) read as inputs rather than as their defaults."""
    choices = tuple(float(values[n]) for n in CHOICES)

    def reach(free: Collection[str]) -> frozenset[str]:
        return _reach(choices, tuple(outputs), n_steps, tuple(sorted(set(free) & set(CHOICES))),
                      coupled)

    return reach
