"""One pint registry for the whole program, fed by units.txt, and strict parsing of user values.

Units are checked at the boundaries (parsing inputs) and once per equation (model.core.dimensions);
the engine itself computes on plain floats and arrays in each quantity's declared unit.
"""

from __future__ import annotations

import math
import numbers
from functools import cache
from pathlib import Path

import pint

from .errors import InputError

ureg = pint.UnitRegistry(on_redefinition="ignore", autoconvert_offset_to_baseunit=True)
ureg.load_definitions(str(Path(__file__).with_name("units.txt")))
Q_ = ureg.Quantity


@cache
def unit(text: str) -> pint.Unit:
    """Parse a unit expression such as 'FLOP/s/GPU' or 'USD/(GPU*hour)' ('' is dimensionless)."""
    return ureg.Unit(text) if text else ureg.dimensionless


def factor(from_unit: str, to_unit: str) -> float:
    """Multiply a magnitude in `from_unit` by this to express it in `to_unit`."""
    return float(Q_(1.0, unit(from_unit)).to(unit(to_unit)).magnitude)


def parse_value(name: str, text: str | float | int, to_unit: str) -> float:
    """Read '0.99 PFLOP/s/GPU' (or a bare number, taken in `to_unit`) as a float in `to_unit`.

    Raises InputError with a one-line message naming `name` on anything that is not a finite
    number with a compatible unit.
    """
    expected = to_unit or "dimensionless"
    if isinstance(text, bool):
        raise InputError(f"{name}: expected a number in {expected}, got {text!r}")
    if isinstance(text, numbers.Real):  # also NumPy scalars
        value = float(text)
    elif not isinstance(text, str):
        raise InputError(f"{name}: expected a number in {expected}, got {text!r}")
    else:
        raw = text.strip()
        if not raw:
            raise InputError(f"{name}: expected a number in {expected}, got an empty value")
        value = _parse_text(name, raw, to_unit, expected)
    if not math.isfinite(value):
        raise InputError(f"{name}: expected a finite number in {expected}, got {text!r}")
    return value


def _parse_text(name: str, raw: str, to_unit: str, expected: str) -> float:
    try:
        return float(raw.replace(",", "").replace("_", ""))
    except ValueError:
        pass
    if not any(ch.isdigit() for ch in raw):
        raise InputError(f"{name}: expected a number in {expected}, got {raw!r}")
    try:
        qty = ureg.parse_expression(raw)
    except pint.errors.UndefinedUnitError as exc:
        raise InputError(f"{name}: unknown unit in {raw!r} ({exc}); expected {expected}") from None
    except Exception:  # pint's tokenizer raises assorted errors on free text, varying by Python
        raise InputError(
            f"{name}: cannot read {raw!r} as a number with a unit in {expected}"
        ) from None
    if not isinstance(qty, pint.Quantity):
        if isinstance(qty, int | float):
            return float(qty)
        raise InputError(f"{name}: cannot read {raw!r} as a number in {expected}")
    try:
        return float(qty.to(unit(to_unit)).magnitude)
    except pint.errors.DimensionalityError:
        got = f"{qty.units:~}" or "dimensionless"
        raise InputError(
            f"{name}: {raw!r} has units of {got}, expected {expected} (or a compatible unit)"
        ) from None
    except (TypeError, ValueError):
        raise InputError(f"{name}: cannot read {raw!r} as a number in {expected}") from None
