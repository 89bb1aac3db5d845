"""One record per quantity: the only place symbols come from.

A record holds the name used on every surface (Python, CLI --set, JSON key, workbook defined name,
app widget key), its unit, bounds, description and source. Records are validated on creation.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Literal

import sympy

from .errors import ModelDefinitionError
from .units import unit

Kind = Literal["input", "choice", "constant", "output", "previous", "path"]

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# Excel reads these as cell references (A1 or R1C1 style), so they cannot be defined names.
_A1 = re.compile(r"^[a-z]{1,3}[0-9]+$", re.IGNORECASE)
_R1C1 = re.compile(r"^(r[0-9]*c?[0-9]*|c[0-9]*)$", re.IGNORECASE)


def is_valid_excel_name(name: str) -> bool:
    """True when `name` can be an Excel defined name (and is our snake_case style)."""
    return bool(_NAME.match(name)) and not _A1.match(name) and not _R1C1.match(name)


_ACRONYMS = {"gpu": "GPU", "gpus": "GPUs", "flops": "FLOP/s", "flop": "FLOP", "mfu": "MFU",
             "pue": "PUE", "util": "utilisation", "rnd": "R&D", "npv": "NPV", "ai": "AI",
             "rd": "R&D", "ces": "CES", "capex": "capex", "usd": "USD"}


def default_label(name: str) -> str:
    """'gpu_peak_flops' -> 'GPU peak FLOP/s': readable, acronyms kept."""
    parts = name.split("_")
    # 'flops' is a rate only at the end of a name (gpu_peak_flops), a count elsewhere.
    words = [("FLOP" if w == "flops" and i < len(parts) - 1 else _ACRONYMS.get(w, w))
             for i, w in enumerate(parts)]
    first = words[0]
    words[0] = first if first[:1].isupper() else first.capitalize()
    return " ".join(words)


@dataclass(frozen=True)
class Quantity:
    """A named model quantity. `unit` is a pint expression ('' = dimensionless)."""

    name: str
    unit: str
    kind: Kind
    description: str
    source: str
    label: str = ""
    default: float | None = None
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()
    group: str = ""
    log_scale: bool = False
    integer: bool = False
    symbol: sympy.Symbol = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not is_valid_excel_name(self.name):
            raise ModelDefinitionError(f"{self.name!r} is not a valid snake_case Excel name")
        try:
            unit(self.unit)
        except Exception as exc:
            raise ModelDefinitionError(f"{self.name}: bad unit {self.unit!r}: {exc}") from None
        if not self.description or not self.source:
            raise ModelDefinitionError(f"{self.name}: description and source are required")
        if self.kind == "choice":
            self._check_choice()
        elif self.kind in ("input", "constant", "path"):
            self._check_numeric()
        object.__setattr__(self, "symbol", sympy.Symbol(self.name, real=True))
        if not self.label:
            object.__setattr__(self, "label", default_label(self.name))

    def _check_choice(self) -> None:
        if len(self.choices) < 2 or self.default not in range(len(self.choices)):
            raise ModelDefinitionError(f"{self.name}: a choice needs options and a default index")

    def _check_numeric(self) -> None:
        lo, hi, d = self.min, self.max, self.default
        if d is None or lo is None or hi is None or not all(map(math.isfinite, (lo, hi, d))):
            raise ModelDefinitionError(f"{self.name}: default and bounds must be finite numbers")
        if not lo <= d <= hi:
            raise ModelDefinitionError(f"{self.name}: default {d} outside [{lo}, {hi}]")
        if self.log_scale and lo <= 0:
            raise ModelDefinitionError(f"{self.name}: a log-scale input needs a positive minimum")

    @property
    def is_path(self) -> bool:
        """True for a per-step input (one value a step, chosen by the optimiser, not by users)."""
        return self.kind == "path"

    @property
    def is_input(self) -> bool:
        """True for anything a user may set (inputs, choices and overridable constants)."""
        return self.kind in ("input", "choice", "constant")

    def choice_index(self, text: str) -> int:
        """Index of option `text` (case-insensitive) or -1."""
        lowered = [c.lower() for c in self.choices]
        return lowered.index(text.lower()) if text.lower() in lowered else -1


def number(name, unit, default, lo, hi, description, source, group, **kw) -> Quantity:
    """A numeric input with its default and bounds (in `unit`)."""
    return Quantity(name, unit, "input", description, source, default=default, min=lo, max=hi,
                    group=group, **kw)


def choice(name, choices, description, source, group) -> Quantity:
    """A choice input; its first option is the default."""
    return Quantity(name, "", "choice", description, source, default=0, choices=choices,
                    group=group)


CATALOGUE: dict[str, Quantity] = {}


def register(*records: Quantity) -> None:
    """Add records to the catalogue; a name may be registered once (names are case-insensitive)."""
    taken = {n.lower() for n in CATALOGUE}
    for q in records:
        if q.name.lower() in taken:
            raise ModelDefinitionError(f"quantity {q.name!r} is defined twice")
        CATALOGUE[q.name] = q
        taken.add(q.name.lower())


def sym(name: str) -> sympy.Symbol:
    """The symbol of a catalogued quantity (the only way to get one)."""
    try:
        return CATALOGUE[name].symbol
    except KeyError:
        raise ModelDefinitionError(f"no quantity named {name!r} in the catalogue") from None


def syms(*names: str) -> tuple[sympy.Symbol, ...]:
    return tuple(sym(n) for n in names)
