"""The feedback-loop projection: each step's quantities as sympy expressions of the previous step.

STEP_ROWS lists every per-step quantity in evaluation order. INITIAL[row] is its value at the
first step as an expression of inputs only; STEP[row] is its value at a later step as an
expression of inputs, `prev(row)` symbols and rows earlier in STEP_ROWS. The fleet-year
equations (model.core.equations) are reused for each step's GPUs, compute, costs and revenue.
The equations themselves are declared in model.loop.rows; this module checks and compiles them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd
import sympy

from model.core.catalogue import CATALOGUE, sym
from model.core.dimensions import check_equation
from model.core.errors import InputError, ModelDefinitionError

from . import band_rows  # noqa: F401 - imports the earlier blocks first, in order
from .compiled import hoisted, pruned, reached_from, replace, shared
from .compiled import program as compile_rows
from .coupling import COUPLING, SLOW_COUPLING, coupling_defaults
from .rows import COUPLED_RAW, INIT_RAW, STEP_RAW, missing
from .steps import DEFAULT_STEP, MAX_STEPS, STEPS, max_years, step_starts, steps_for  # noqa: F401 - re-exported

if missing():
    raise ModelDefinitionError(f"declared rows without expressions: {missing()}")

STEP_ROWS: tuple[str, ...] = tuple(STEP_RAW)
CHOICES = ("allocation_policy", "multiplier_path", "multiplier_scope", "cost_basis",
           "supply_limit", "capital_limit", "demand_model", "competition", "ceiling_model",
           "financing_model", "terminal_model", "pricing")
_ROW_SYMS = {sym(n): n for n in STEP_ROWS}
_COUPLING = frozenset(COUPLING)


def _expand(raw: Mapping[str, sympy.Expr]) -> dict[str, sympy.Expr]:
    """Each row as an expression of inputs only: earlier rows substituted, in order."""
    done: dict[sympy.Basic, sympy.Basic] = {}
    for name, expr in raw.items():
        done[sym(name)] = replace(expr, done)
    return {str(k): v for k, v in done.items()}


INITIAL: dict[str, sympy.Expr] = _expand(INIT_RAW)
STEP: dict[str, sympy.Expr] = dict(STEP_RAW)


def check_row(name: str, expr: sympy.Expr) -> None:
    """Raise ModelDefinitionError unless `expr` lands exactly in row `name`'s unit."""
    units = {s: CATALOGUE[str(s)].unit for s in expr.free_symbols}
    check_equation(name, expr, CATALOGUE[name].unit, units, kind="projection row")


def _argument(q) -> bool:
    """An input of the projection: a settable input, or a per-step path (the optimiser's)."""
    return q.is_input or q.is_path


def _validate() -> None:
    """Units of every row, and the symbol rules the workbook writer relies on."""
    for i, name in enumerate(STEP_ROWS):
        check_row(name, INIT_RAW[name])
        check_row(name, STEP_RAW[name])
        for s in INITIAL[name].free_symbols:
            if not _argument(CATALOGUE[str(s)]):
                raise ModelDefinitionError(f"INITIAL[{name}] uses non-input {s}")
        earlier = set(STEP_ROWS[:i])
        for s in STEP[name].free_symbols:
            q = CATALOGUE[str(s)]
            ok = (q.kind == "previous" or str(s) in earlier
                  or (_argument(q) and str(s) not in _ROW_SYMS.values()))
            if not ok:
                raise ModelDefinitionError(f"STEP[{name}] uses {s} before it is defined")


_validate()


@lru_cache(maxsize=1)
def input_names() -> tuple[str, ...]:
    """Every input the projection reads."""
    # The raw rows name the same inputs as the expanded INITIAL, at a fraction of the walk.
    free = set().union(*(e.free_symbols for e in (*INIT_RAW.values(), *STEP.values())))
    return tuple(sorted(str(s) for s in free if _argument(CATALOGUE[str(s)])))


PATHS: tuple[str, ...] = tuple(n for n, q in CATALOGUE.items()  # catalogue order: by use
                               if q.is_path and n in input_names())
VALUE_MAXIMISING = float(CATALOGUE["allocation_policy"].choice_index("value-maximising"))


def default_paths(values: Mapping[str, float], n_steps: int) -> dict[str, np.ndarray]:
    """Path inputs no policy but value-maximising reads: each use's first-step share, and what
    has no first-step input (the idle GPUs' use) at its catalogue default."""
    out = {}
    for n in PATHS:
        first = n.replace("chosen_", "")
        share = np.asarray(values[first] if first in CATALOGUE else CATALOGUE[n].default,
                           dtype=float)
        out[n] = np.broadcast_to(share, (n_steps, *share.shape))
    return out


def frame_paths(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """A projection's realised shares as chosen paths (n,), the idle GPUs' use at its default."""
    realised = {n: n.replace("chosen_", "") for n in PATHS}
    return {n: frame[r].to_numpy(dtype=float) if r in frame
            else np.full(len(frame), CATALOGUE[n].default) for n, r in realised.items()}


@lru_cache(maxsize=2)
def raw_rows(coupled: bool) -> tuple[dict, dict]:
    """(first-step, later-step) raw rows: a lab alone's, or the market's (coupling inputs free,
    their units checked here: only the market compiles them)."""
    if not coupled:
        return INIT_RAW, STEP_RAW
    for name, (first, later) in COUPLED_RAW.items():
        check_row(name, first)
        check_row(name, later)
    return ({**INIT_RAW, **{n: f for n, (f, _) in COUPLED_RAW.items()}},
            {**STEP_RAW, **{n: later for n, (_, later) in COUPLED_RAW.items()}})


class _Program:
    """INITIAL and STEP compiled for the values of the choice inputs given (`choices`, one per
    CHOICES, None for a choice left free; None for all free), the free ones then being ordinary
    arguments; `coupled`, with the market's coupling inputs (model.loop.coupling) as per-step
    arguments.

    Each function evaluates the rows in order, one assignment per row and per subexpression the
    rows repeat (compiled.shared), so nothing is computed twice.
    """

    def __init__(self, choices: tuple[float, ...] | None, coupled: bool = False,
                 keep: frozenset[str] | None = None):
        fixed = {} if choices is None else {
            sym(n): sympy.Integer(int(v)) for n, v in zip(CHOICES, choices, strict=True)
            if v is not None}
        first, later = raw_rows(coupled)
        init = [(sym(n), first[n].xreplace(fixed)) for n in STEP_ROWS]
        step = [(sym(n), later[n].xreplace(fixed)) for n in STEP_ROWS]
        names = input_names() + (COUPLING if coupled else ())
        self.inputs = tuple(n for n in names if sym(n) not in fixed)
        args = [sym(n) for n in self.inputs]
        init, step = shared(init), shared(step)
        # only the rows `keep` needs, and those whose last value they read (the same
        # assignments, in the same order: the values are the whole program's, bit for bit)
        self.rows = STEP_ROWS if keep is None else _needed(keep, init, step)
        if keep is not None:
            init, step = (pruned(a, {sym(n) for n in self.rows}) for a in (init, step))
        outs = [sym(n) for n in self.rows]
        used = set().union(*(e.free_symbols for _, e in step))
        self.prevs = tuple(n for n in self.rows if f"{n}_prev" in CATALOGUE
                           and sym(f"{n}_prev") in used)
        prev_args = [sym(f"{n}_prev") for n in self.prevs]
        self._init = compile_rows(args, init, outs)
        self._step = compile_rows(args + prev_args, step, outs)
        # the market's clearing runs a step again and again with only the coupling inputs
        # changed: what they do not reach (over half the step's operations) runs once a step
        self._hoisted = (hoisted(args + prev_args, step, outs, {sym(n) for n in COUPLING},
                                 {sym(n) for n in SLOW_COUPLING}) if coupled else None)
        self._slow = [self.inputs.index(n) for n in SLOW_COUPLING if n in self.inputs]

    def initial(self, args: Sequence) -> list:
        return self._init(*args)

    def step(self, args: Sequence, rows: Mapping[str, np.ndarray]) -> list:
        # as numpy values: a row may be a Python number (a constant), and a subexpression of
        # it alone (1 / a rate that is 0) must give numpy's inf, not Python's ZeroDivisionError
        return self._step(*args, *self._prevs(rows))

    @property
    def hoists(self) -> bool:
        """Whether `stepper` may serve (the market's program)."""
        return self._hoisted is not None

    def _prevs(self, rows: Mapping[str, np.ndarray]) -> list:
        return [np.asarray(rows[n]) for n in self.prevs]

    def stepper(self, args: Sequence, rows: Mapping[str, np.ndarray]):
        """step's rows as a function of new `args` that differ from these in coupling inputs
        alone (the market's program): the rest of the step is computed once, here."""
        h = self._hoisted
        prevs = self._prevs(rows)
        kept = [np.asarray(k) for k in h.fixed(*args, *prevs)]
        last: list = [None, None]  # the slow inputs the slow part was computed for, its values

        def run(now: Sequence) -> list:
            key = [np.asarray(now[i]) for i in self._slow]
            if last[0] is None or not all(np.array_equal(a, b)
                                          for a, b in zip(last[0], key, strict=True)):
                last[:] = [[k.copy() for k in key],
                           [np.asarray(v) for v in h.slow(*now, *prevs, *kept)]]
            return h.rest(*now, *prevs, *kept, *last[1])
        return run


def _needed(keep: frozenset[str], init: list[tuple], step: list[tuple]) -> tuple[str, ...]:
    """The rows, in STEP_ROWS' order, that the rows `keep` are computed from at every step:
    theirs and the rows whose last value any of them reads."""
    rows = set(keep)
    while True:
        reached = (reached_from(step, {sym(n) for n in rows})
                   | reached_from(init, {sym(n) for n in rows}))
        more = rows | {n for n in STEP_ROWS
                       if f"{n}_prev" in CATALOGUE and sym(f"{n}_prev") in reached}
        if more == rows:
            return tuple(n for n in STEP_ROWS if n in rows)
        rows = more


@lru_cache(maxsize=128)  # (the rows kept by a caller multiply the choices' programs)
def program(choices: tuple[float, ...] | None = None, coupled: bool = False,
            keep: frozenset[str] | None = None) -> _Program:
    """The compiled projection for these choice values, or for any (None), for a lab alone or
    (coupled) in a market of labs, computing the rows `keep` needs (None: every row); cached."""
    return _Program(choices, coupled, keep)


# Below this many samples one program serves every scenario (compiling costs more than the
# branches it would prune); above it each choice combination gets its own, pruned program.
SPECIALISE_ABOVE = 256


def run_arrays(values: Mapping[str, float | np.ndarray], n_steps: int,
               keep: Sequence[str] | None = None, on_step=None,
               specialise: bool | None = None, solve_step=None,
               free: Collection[str] = (),
               needs: Collection[str] | None = None) -> dict[str, np.ndarray]:
    """Evaluate the projection on arrays of inputs; return {row: array (n_steps, *shape)}.

    A path input (the optimiser's chosen shares) is an array whose first axis is the step;
    missing, it defaults to each use's first-step share. `keep` limits which rows are stored
    and computed (all of them for on_step, and for solve_step without `needs`); `on_step(t,
    rows)` is called with each step's rows (e.g. to take
    percentiles without storing the samples), a row no sampled input reaches as a scalar.
    `specialise` forces (True) or forbids (False) a program compiled for these choices, those
    every sample shares (by default: above SPECIALISE_ABOVE samples), but those named in
    `free` (a caller whose calls differ in them shares one program). Values holding any of the
    market's coupling paths (model.loop.coupling.COUPLING) run the market's program, the
    missing ones at their defaults.
    `solve_step(t, evaluate)`, if given, settles each step before the next: `evaluate(over)`
    returns the step's rows with the path inputs in `over` ({name: value at this step}) in
    place of theirs, and solve_step returns the rows to keep (the market of labs clears each
    step this way: model.market.engine); `needs`, the rows it reads, lets the program compute
    only those and the rows `keep` needs.
    """
    coupled = any(n in values for n in COUPLING)
    values = {**default_paths(values, n_steps), **values}
    if coupled:
        values = {**coupling_defaults(values, n_steps), **values}
    paths = {n: np.broadcast_to(np.asarray(values[n], dtype=float),
                                (n_steps, *np.shape(values[n])[1:]))
             for n in PATHS + (COUPLING if coupled else ())}
    size = max([np.size(values[n]) for n in input_names() if n not in paths]
               + [np.size(p[0]) for p in paths.values()])
    if specialise is None:
        specialise = size > SPECIALISE_ABOVE
    # a caller that keeps a few rows and looks at no other (the optimiser's NPV) runs only
    # what they are computed from: a fifth of the step's operations are reports and checks
    # (a step settled by solve_step reads rows of its own: only if the caller names them,
    # `needs`, is the market's program pruned too)
    prunes = keep is not None and on_step is None and (solve_step is None or needs is not None)
    prune = frozenset(keep) | frozenset(needs or ()) if prunes else None
    prog = program(tuple(None if n in free else _one(values[n]) for n in CHOICES)
                   if specialise else None, coupled, prune)
    args = [paths[n] if n in paths else np.asarray(values[n], dtype=float)
            for n in prog.inputs]
    per_step = [i for i, n in enumerate(prog.inputs) if n in paths]
    shape = np.broadcast_shapes(*(a[0].shape if i in per_step else a.shape
                                  for i, a in enumerate(args)))
    keep = STEP_ROWS if keep is None else tuple(keep)
    out = {n: np.empty((n_steps, *shape)) for n in keep}
    rows: dict[str, np.ndarray] = {}
    with np.errstate(all="ignore"):
        for t in range(n_steps):
            now = list(args)
            for i in per_step:
                now[i] = args[i][t]
            # Rows keep their natural shape: one that no sampled input reaches stays a scalar,
            # so the next step does not redo it once per sample.
            evaluate = _evaluator(prog, now, rows if t else None)
            rows = evaluate({}) if solve_step is None else solve_step(t, evaluate)
            for n in keep:
                out[n][t] = rows[n]
            if on_step is not None:  # rows in their natural shape: a scalar is the same for all
                on_step(t, rows)
    return out


def _one(value) -> float | None:
    """A choice's value if every sample has the same one (the program is compiled for it);
    else None (the program takes it as an argument)."""
    flat = np.ravel(np.asarray(value, dtype=float))
    return float(flat[0]) if (flat == flat[0]).all() else None


def _evaluator(prog: _Program, args: list, last: Mapping[str, np.ndarray] | None):
    """The step's rows as a function of per-step inputs replaced ({name: value})."""
    where = {n: i for i, n in enumerate(prog.inputs)}
    moving = None  # the market's step, its part no coupling input reaches computed

    def evaluate(over: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        nonlocal moving
        now = list(args)
        for name, value in over.items():
            now[where[name]] = value
        if last is None:
            result = prog.initial(now)
        elif over and prog.hoists and _COUPLING.issuperset(over):
            moving = moving or prog.stepper(args, last)
            result = moving(now)
        else:
            result = prog.step(now, last)
        return dict(zip(prog.rows, result, strict=True))

    return evaluate


def chooses(settings) -> bool:
    """True when the settings' allocation policy is value-maximising (the optimiser's path), in
    any of its draws (a market re-solved around one lab's candidates runs several policies)."""
    return bool(np.any(np.asarray(settings.values["allocation_policy"]) == VALUE_MAXIMISING))


def has_paths(settings, n_steps: int) -> bool:
    """True when the settings carry a chosen share for every step of every path input."""
    return all(len(settings.paths.get(p, ())) == n_steps for p in PATHS)


def check_paths(settings, n_steps: int) -> None:
    """InputError when the value-maximising policy comes without its chosen path: the
    projection reads a path, it never chooses one (model.policy does, above it)."""
    if chooses(settings) and not has_paths(settings, n_steps):
        raise InputError("allocation_policy value-maximising: the projection needs the "
                         f"optimiser's chosen path for its {n_steps} steps (settings.paths); "
                         "fill it with model.policy.paths.with_paths(settings, years, step) "
                         "or project with model.policy.paths.project")


def project(settings, years: int = 10, step: str = DEFAULT_STEP) -> pd.DataFrame:
    """One row per step (`years` years of `step`s), columns STEP_ROWS, from resolved settings.

    Under the value-maximising policy the settings carry the optimiser's path (settings.paths,
    filled by model.policy.paths; InputError without it), and the chosen shares are columns
    too."""
    n, dt = steps_for(years, step)
    check_paths(settings, n)
    values = {**settings.values, **settings.paths, "step_years": dt}
    arrays = run_arrays(values, n)
    frame = pd.DataFrame({name: arrays[name] for name in STEP_ROWS})
    if chooses(settings):
        frame = frame.assign(**{p: settings.paths[p] for p in PATHS})
    frame.attrs["solution"] = settings.solution
    return frame


def units() -> dict[str, str]:
    """The unit of every projection column."""
    return {n: CATALOGUE[n].unit for n in STEP_ROWS}


def summary(df: pd.DataFrame) -> dict[str, float | None]:
    """Finance summary of a projection: {'npv': USD, 'terminal_value': USD, 'payback_year':
    year or None, 'cumulative_cash': USD, 'final_year': year}. NPV is the last `npv` (free cash
    flow to date, initial fleet outlay included when owned, plus the terminal value); the
    payback year is the first whose cumulative cash is >= 0 (None: not within the horizon)."""
    last = df.iloc[-1]
    payback = float(last["payback_year"])
    return {"npv": float(last["npv"]), "terminal_value": float(last["terminal_value"]),
            "payback_year": payback if payback > 0 else None,
            "cumulative_cash": float(last["cumulative_cash"]), "final_year": float(last["year"])}
