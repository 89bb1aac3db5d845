"""One pint registry for the whole program, fed by units.txt, and strict parsing of user values.

Units are checked at the boundaries (parsing inputs) and once per equation (model.core.dimensions);
the engine itself computes on plain floats and arrays in each quantity's declared unit.
"""

from __future__ import annotations

import math
import numbers
import re
from functools import cache, lru_cache
from pathlib import Path

import pint

from .errors import InputError, quoted

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


# What a user may type for a number: a literal, then optionally a unit expression of names,
# `*`, `/`, spaces, parentheses and one-digit powers. Nothing else reaches pint, whose expression
# parser evaluates `**` on Python integers without limit (`9**9**9` never returns).
MAX_TEXT = 200
MAX_DEPTH = 4
# Commas only as thousands separators (1,234,567.5) and underscores only between digits, as
# Python writes them: a comma anywhere else was dropped, so '2,5' (two and a half, in much of
# Europe) read as 25 and '1,,,5' as 15.
_LITERAL = re.compile(r"[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+(?:_\d+)*)(?:\.\d*)?|\.\d+)"
                      r"(?:[eE][+-]?\d{1,4})?")
_TOKEN = re.compile(r"\s*(?:(?P<name>[A-Za-z_\u00b5][A-Za-z_0-9\u00b5]*|%)"
                    r"|(?P<power>(?:\*\*|\^)\s*[+-]?\d(?![\d.]))|(?P<op>[*/\u00b7])"
                    r"|(?P<open>\()|(?P<close>\)))")


# '1/year': a reciprocal unit as the catalogue writes it (and `list` shows it), a 1 over a unit
_RECIPROCAL = re.compile(r"\s*1\s*/(?=\s*[A-Za-z_(\u00b5%])")


def _unit_text_ok(text: str) -> bool:
    """True when `text` is a unit expression of the bounded grammar above (not evaluated):
    [1 /] unit (op unit)*, where a unit is a name or a parenthesised expression, each with at
    most one power; spaces multiply."""
    if not text.strip():
        return True
    one_over = _RECIPROCAL.match(text)
    if one_over:
        text = text[one_over.end():]
    depth, pos, last = 0, 0, "op"  # last: what came before ('op' = nothing yet)
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            return False
        pos, kind = m.end(), m.lastgroup
        if kind == "open":
            depth += 1
            if depth > MAX_DEPTH or last not in ("op", "open", "name", "close", "power"):
                return False
        elif kind == "name" and last not in ("op", "open", "name", "close", "power"):
            return False
        elif kind == "power" and last not in ("name", "close"):  # 'GPU^9^9' is refused
            return False
        elif kind in ("op", "close") and last in ("op", "open"):
            return False
        if kind == "close":
            depth -= 1
            if depth < 0:
                return False
        last = kind
    return depth == 0 and last in ("name", "close", "power")


@lru_cache(maxsize=512)  # bounded: user text must not grow memory without limit
def _unit_factor(text: str, to_unit: str) -> float:
    return float(Q_(1.0, ureg.parse_units(text)).to(unit(to_unit)).magnitude)


def parse_value(name: str, text: str | float | int, to_unit: str) -> float:
    """Read '0.99 PFLOP/s/GPU' (or a bare number, taken in `to_unit`) as a float in `to_unit`.

    Raises InputError with a one-line message naming `name` on anything that is not a finite
    number with a compatible unit. Text is checked against a small grammar (a literal and a
    unit expression with one-digit powers) before pint sees any of it, so no text starts
    unbounded work.
    """
    expected = to_unit or "dimensionless"
    if isinstance(text, bool):
        raise InputError(f"{name}: expected a number in {expected}, got {text!r}")
    if isinstance(text, numbers.Integral):  # repr of a huge int is itself an error
        try:
            value = float(text)
        except OverflowError:
            raise InputError(f"{name}: expected a finite number in {expected}, got an integer "
                             "too large for a float") from None
    elif isinstance(text, numbers.Real):  # also NumPy scalars
        value = float(text)
    elif not isinstance(text, str):
        raise InputError(f"{name}: expected a number in {expected}, got "
                         f"{type(text).__name__}")
    else:
        raw = text.strip()
        if not raw:
            raise InputError(f"{name}: expected a number in {expected}, got an empty value")
        value = _parse_text(name, raw, to_unit, expected)
    if not math.isfinite(value):
        raise InputError(f"{name}: expected a finite number in {expected}, got {quoted(text)}")
    return value


def _parse_text(name: str, raw: str, to_unit: str, expected: str) -> float:
    if raw.lower() in ("nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"):
        return math.nan
    literal = _LITERAL.match(raw) if len(raw) <= MAX_TEXT else None
    rest = raw[literal.end():] if literal else ""
    if literal is None or not _unit_text_ok(rest):
        if not any(ch.isdigit() for ch in raw) and len(raw) <= MAX_TEXT:
            raise InputError(f"{name}: expected a number in {expected}, got {quoted(raw)}")
        raise InputError(f"{name}: cannot read {quoted(raw)} as a number with a unit in "
                         f"{expected} (write a number such as 1.5e6, then an optional unit; "
                         "arithmetic is not evaluated)")
    value = float(literal.group().replace(",", "").replace("_", ""))
    units = rest.strip()
    if not units:
        return value
    try:
        return value * _unit_factor(units, to_unit)
    except pint.errors.UndefinedUnitError as exc:
        raise InputError(f"{name}: unknown unit in {quoted(raw)} ({exc}); expected "
                         f"{expected}") from None
    except pint.errors.DimensionalityError:
        got = f"{ureg.parse_units(units):~}" or "dimensionless"
        raise InputError(f"{name}: {quoted(raw)} has units of {got}, expected {expected} (or a "
                         "compatible unit)") from None
    except Exception:  # pint's tokenizer raises assorted errors on odd text, varying by Python
        raise InputError(f"{name}: cannot read {quoted(raw)} as a number with a unit in "
                         f"{expected}") from None
