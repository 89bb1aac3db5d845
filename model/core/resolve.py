"""Resolve a user's choices (preset, GPU, overrides) into validated input values with sources.

Order of precedence: catalogue defaults < preset < GPU entry < explicit overrides. Every value is
parsed with its unit, checked against its bounds, and shares must sum to 1; any problem raises
InputError with one line naming the input and what was expected.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from . import finance_inputs as _inputs  # noqa: F401 - registers every input resolve() reads
from .catalogue import CATALOGUE, Quantity
from .errors import InputError, quoted
from .gpus import GPUS
from .presets import PRESETS
from .units import parse_value

SHARE_TOLERANCE = 1e-6


def suggest(name: str, options) -> str:
    """' (did you mean X?)' for the closest option, or ''."""
    close = difflib.get_close_matches(name, list(options), n=1, cutoff=0.5)
    return f" (did you mean {close[0]!r}?)" if close else ""


def input_quantity(name: str) -> Quantity:
    """The catalogue record of a settable input, or InputError suggesting the closest name."""
    q = CATALOGUE.get(name)
    if q is not None and not q.is_input:
        raise InputError(f"{quoted(name)} is computed, not an input: {q.description}; see "
                         "`python -m model list` for the inputs")
    if q is None:
        known = [n for n, r in CATALOGUE.items() if r.is_input]
        raise InputError(f"unknown input {quoted(name)}{suggest(name, known)}; "
                         "see `python -m model list` for the inputs")
    return q


def exact_text(value: float) -> str:
    """A number as short as it can be and still read back exactly: 1e+09, but 1000000100 for
    1.0000001e9 (%g alone would show both as 1e+09, a value refused for a bound it equals)."""
    for digits in (6, 15, 17):
        text = f"{value:.{digits}g}"
        if float(text) == value:
            return text
    return text


def _bounds(q: Quantity) -> str:
    unit = f" {q.unit}" if q.unit else ""
    return f"[{exact_text(q.min)}, {exact_text(q.max)}]{unit}"


def check_value(q: Quantity, value: float) -> float:
    """Check `value` (in q's unit) against q's bounds; return it."""
    if not math.isfinite(value):
        raise InputError(f"{q.name}: expected a finite number in {q.unit or 'dimensionless'}")
    if q.kind == "constant":
        # within a spreadsheet's 15 digits of it is the constant (a file saved by LibreOffice)
        if not math.isclose(value, q.default, rel_tol=1e-13):
            raise InputError(f"{q.name}: is a fixed constant ({q.default:g} {q.unit})")
        return q.default
    if value < 0 and q.min is not None and q.min >= 0:
        raise InputError(f"{q.name}: must not be negative, got {exact_text(value)}; expected "
                         f"{_bounds(q)}")
    if not q.min <= value <= q.max:
        raise InputError(f"{q.name}: {exact_text(value)} is outside its bounds {_bounds(q)}")
    return value


def parse_input(name: str, raw: str | float | int) -> float:
    """Parse and check one input value given as a number or text with a unit."""
    q = input_quantity(name)
    if q.kind == "choice":
        if isinstance(raw, int | float) and not isinstance(raw, bool) and raw in range(
                len(q.choices)):
            return float(raw)
        index = q.choice_index(raw.strip()) if isinstance(raw, str) else -1
        if index < 0:
            raise InputError(f"{name}: expected one of {', '.join(q.choices)}, got {quoted(raw)}")
        return float(index)
    return check_value(q, parse_value(name, raw, q.unit))


@dataclass
class Settings:
    """Resolved inputs (floats in catalogue units; choices as option index) and their sources."""

    values: dict[str, float]
    sources: dict[str, str]
    preset: str | None = None
    gpu: str | None = None
    overrides: dict[str, str] = field(default_factory=dict)
    # The value-maximising policy's chosen path (path input -> one value a step) and the
    # optimiser's report; empty for every other policy.
    paths: dict = field(default_factory=dict)
    solution: object = None

    def text(self, name: str) -> str:
        """A choice input's option text."""
        q = CATALOGUE[name]
        return q.choices[int(self.values[name])]


def training_over_fleet(values: Mapping[str, float]) -> str | None:
    """What is odd about a training run on more GPUs than the fleet has (its share of a
    fleet-year then exceeds what the GPUs could give), or None. A note, not an error: a preset
    that sets no run of its own keeps the catalogue's 16,384 GPUs."""
    run, fleet = values["training_gpus"], values["fleet_gpus"]
    if run <= fleet:
        return None
    return (f"training_gpus {run:,.0f} is more than the fleet's {fleet:,.0f} GPUs (fleet_gpus): "
            "the run's share of a fleet-year counts GPUs the fleet does not have")


def check_shares(values: Mapping[str, float]) -> None:
    """Shares of the fleet must sum to 1."""
    names = [n for n in CATALOGUE if n.startswith("share_") and CATALOGUE[n].kind == "input"]
    total = sum(values[n] for n in names)
    if abs(total - 1.0) > SHARE_TOLERANCE:
        listed = " + ".join(f"{n}={values[n]:g}" for n in names)
        raise InputError(f"shares must sum to 1, got {total:.6g} ({listed})")


def resolve(preset: str | None = None, gpu: str | None = None,
            overrides: Mapping[str, str | float] | None = None) -> Settings:
    """Defaults, then the preset, then the GPU's figures, then overrides; all validated."""
    values = {n: float(q.default) for n, q in CATALOGUE.items() if q.is_input}
    sources = {n: q.source for n, q in CATALOGUE.items() if q.is_input}
    if preset is not None:
        if preset not in PRESETS:
            raise InputError(f"unknown preset {quoted(preset)}{suggest(preset, PRESETS)}; "
                             f"expected one of {', '.join(PRESETS)}")
        p = PRESETS[preset]
        gpu = gpu or p.gpu
        for name, (raw, source) in p.values.items():
            values[name] = parse_input(name, raw)
            sources[name] = source
    if gpu is not None:
        if gpu not in GPUS:
            raise InputError(f"unknown GPU {quoted(gpu)}{suggest(gpu, GPUS)}; "
                             f"expected one of {', '.join(GPUS)}")
        for name, value in GPUS[gpu].inputs().items():
            if preset is None or name not in PRESETS[preset].values:
                values[name] = check_value(CATALOGUE[name], value)
                sources[name] = GPUS[gpu].source
    clean: dict[str, str] = {}
    for name, raw in (overrides or {}).items():
        values[name] = parse_input(name, raw)
        sources[name] = "user setting"
        clean[name] = str(raw)
    check_shares(values)
    return Settings(values, sources, preset, gpu, clean)


def citations(settings: Sequence[Settings]) -> dict[str, str]:
    """Every quantity's citation as shown beside `settings`: an input's from their own sources
    (each distinct one once, joined by '; '), any other quantity's from the catalogue."""
    return {name: "; ".join(dict.fromkeys(s.sources[name] for s in settings))
            if q.is_input else q.source for name, q in CATALOGUE.items()}


def parse_assignment(text: str, option: str = "--set") -> tuple[str, str]:
    """Split a CLI `name=value` into its parts, or raise InputError."""
    name, sep, value = text.partition("=")
    name, value = name.strip(), value.strip()
    if not sep or not name or not value:
        raise InputError(f"{option} {quoted(text)}: expected name=value, e.g. {option} "
                         "fleet_gpus=100000")
    return name, value


def parse_assignments(texts: Sequence[str], option: str = "--set") -> dict[str, str]:
    """name -> value of every `name=value` given; a name given twice is an error, not a
    silent last-wins (the two values were both typed on purpose, and only one can hold)."""
    found: dict[str, str] = {}
    for text in texts:
        name, value = parse_assignment(text, option)
        if name in found:
            raise InputError(f"{option}: {quoted(name)} set twice; give each input once")
        found[name] = value
    return found
