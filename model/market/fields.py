"""What a lab in the market is: a name, a title and fields, each value with its citation.

Most fields are inputs of the single-lab model under the same name, unit and bounds (the
catalogue's); two are the market's own: `rented_share` (the single-lab model costs a fleet one
way, the majority's) and `revenue` (the base year's, from which the token price is derived).
Every value a user gives is read by the project's one bounded parser, `parse_value`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from model.core.catalogue import CATALOGUE
from model.core.errors import InputError, quoted
from model.core.fleet_inputs import USES
from model.core.resolve import check_value, suggest
from model.core.units import parse_value

SHARES = tuple(f"share_{use}" for use in USES)


@dataclass(frozen=True)
class Field:
    """One field of a lab: unit (pint), bounds in that unit, or the options of a choice."""

    name: str
    unit: str
    min: float
    max: float
    description: str
    choices: tuple[str, ...] = ()


_OWN = (
    Field("rented_share", "", 0.0, 1.0, "Share of the fleet rented (the rest owned); the "
          "single-lab model costs the whole fleet as rented when at least half is"),
    Field("revenue", "USD/year", 0.0, 1e13, "Revenue in the base year; the token price is "
          "derived from it and what the inference GPUs serve"),
)
# Inputs of the single-lab model a lab sets itself; the rest keep the catalogue's defaults.
CATALOGUE_FIELDS = ("fleet_gpus", *SHARES, "lab_supply_share", "gpu_rental_price", "gpu_capex",
                    "financing_model", "revenue_multiple", "external_financing",
                    "financing_growth", "base_revenue_growth", "user_demand_growth",
                    "research_staff", "software_gap")


def _from_catalogue(name: str) -> Field:
    q = CATALOGUE[name]
    lo, hi = (0.0, len(q.choices) - 1.0) if q.kind == "choice" else (q.min, q.max)
    return Field(name, q.unit, lo, hi, q.description, q.choices)


FIELDS: dict[str, Field] = {f.name: f for f in (*_OWN, *map(_from_catalogue, CATALOGUE_FIELDS))}
# Every lab states these; the others fall back to the catalogue's defaults (and their sources).
REQUIRED = ("fleet_gpus", "rented_share", *SHARES, "revenue", "financing_model",
            "lab_supply_share")
# Fields that scale with a lab's size (a template scaled to a new lab's fleet scales these).
TOTALS = ("fleet_gpus", "revenue", "external_financing", "research_staff", "lab_supply_share")

NAME = re.compile(r"[a-z0-9-]{1,32}")
MAX_TITLE = 80


@dataclass(frozen=True)
class Lab:
    """A lab: `values` maps a field to (value, citation); `intervals` maps a field whose value
    is an assumption (or an estimate with a published range) to its (low, high)."""

    name: str
    title: str
    values: Mapping[str, tuple[float | str, str]] = field(default_factory=dict)
    intervals: Mapping[str, tuple[float, float]] = field(default_factory=dict)

    def value(self, name: str) -> float | str:
        return self.values[name][0]


def check_name(name: object) -> str:
    """A lab name: 1-32 of a-z, 0-9 and '-'; InputError otherwise."""
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise InputError(f"lab name {quoted(name)}: expected 1-32 characters of a-z, 0-9 "
                         "and '-'")
    return name


def check_title(lab: str, title: object) -> str:
    """A lab's title: printable text of at most MAX_TITLE characters."""
    if not isinstance(title, str) or not 0 < len(title) <= MAX_TITLE or not title.isprintable():
        raise InputError(f"{lab}.title: expected printable text of 1-{MAX_TITLE} characters, "
                         f"got {quoted(title)}")
    return title


def field_of(lab: str, name: object) -> Field:
    """The field called `name`, or InputError naming the lab and suggesting the closest."""
    if not isinstance(name, str) or name not in FIELDS:
        shown = quoted(name) if isinstance(name, str) else type(name).__name__
        hint = suggest(name, FIELDS) if isinstance(name, str) and len(name) <= 64 else ""
        raise InputError(f"{lab}: unknown field {shown}{hint}; expected title or one of the "
                         f"{len(FIELDS)} fields in model.market.fields.FIELDS, e.g. fleet_gpus")
    return FIELDS[name]


def read_field(lab: str, name: str, raw: object) -> float | str:
    """A user's value for field `name` of `lab`, parsed and checked against the field's
    bounds: a float in the field's unit, or a choice's option text."""
    f = field_of(lab, name)
    where = f"{lab}.{name}"
    if f.choices:
        if not isinstance(raw, str) or raw.strip().lower() not in f.choices:
            raise InputError(f"{where}: expected one of {', '.join(f.choices)}, got "
                             f"{quoted(raw)}")
        return raw.strip().lower()
    value = parse_value(where, raw, f.unit)
    if f.name in CATALOGUE:
        try:
            return check_value(CATALOGUE[f.name], value)
        except InputError as exc:
            raise InputError(f"{lab}.{exc}") from None
    if not f.min <= value <= f.max:
        raise InputError(f"{where}: {value:g} is outside its bounds [{f.min:g}, {f.max:g}] "
                         f"{f.unit}".rstrip())
    return value


def records(market: tuple[Lab, ...] | list[Lab]) -> list[dict[str, object]]:
    """One record per lab and field it states, for a table or JSON: lab, title, field, value,
    unit, source and the interval (None unless the value is assumed or estimated with one)."""
    return [{"lab": lab.name, "title": lab.title, "field": name, "value": value,
             "unit": FIELDS[name].unit, "source": source,
             "interval": list(lab.intervals[name]) if name in lab.intervals else None}
            for lab in market for name, (value, source) in lab.values.items()]
