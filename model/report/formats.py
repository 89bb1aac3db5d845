"""How every quantity is shown to a person: one catalogue of display formats, derived from the
catalogue's records (unit and name), used by the CLI's tables, the app and the workbook's number
formats alike. JSON and CSV carry plain numbers in catalogue units instead.

Each quantity has a measure: what kind of number it is. Shares and margins are percentages
everywhere; money has one rule for scale ($, k, M, B, T at four significant figures); FLOP are
scientific with the unit (1.25e27 FLOP/year); counts are counts (600,000 GPU); a dimensionless
quantity says what it is (share, multiplier, exponent, OOMs, log, count).
"""

from __future__ import annotations

import json
import math
import numbers
import re
from dataclasses import dataclass

from model.core.catalogue import CATALOGUE, Quantity
from model.loop.rows import BINDING_CONSTRAINTS


@dataclass(frozen=True)
class Measure:
    """A kind of number: the unit text a label shows, and its Excel number format."""

    name: str
    label: str  # in a label's brackets; '' to show the catalogue unit itself
    excel: str  # Excel number format ('' to choose by magnitude, as for money)


MEASURES = {m.name: m for m in (
    Measure("share", "%", "0.0%"),
    Measure("money", "", ""),
    Measure("flop", "", "0.00E+00"),
    Measure("count", "", "#,##0"),
    Measure("calendar", "year", "0"),
    Measure("duration", "years", "0.00"),
    Measure("rate", "per year", "0.000"),
    Measure("multiplier", "x", '0.00"x"'),
    Measure("exponent", "exponent", "0.000"),
    Measure("ooms", "OOMs", "0.00"),
    Measure("log", "natural log", "0.000"),
    Measure("code", "code", "0"),
    Measure("choice", "option", "@"),
    Measure("flag", "true/false", "General"),
    Measure("number", "", "General"),  # a derived number no rule names: not for the catalogue
)}

# Rows that hold a code: what a person reads instead of the number (JSON and CSV keep the code).
CODE_WORDS = {"binding_constraint": BINDING_CONSTRAINTS}

# Dimensionless quantities, by what their names say (first match wins).
_DIMENSIONLESS = (
    (r"^(binding_constraint)$", "code"),
    (r"^paid_back$", "flag"),
    (r"(^log_|^token_price_growth$)", "log"),  # a log change: e-folds over the step
    (r"(^|_)(exponent|elasticity|rho|returns|sensitivity)$", "exponent"),
    (r"^(software_efficiency|software_ceiling|software_gap|frontier_software|diffusion_floor|"
     r"mid_step_software|"
     r"capability_gap|capability|milestone_(sc|sar|siar|asi))$", "ooms"),
    (r"(multiplier|multiple|speedup|researchers|_index|research_output|overhead|^pue|_cap$|"
     r"^chip_price_change$|^customer_share_factor$)", "multiplier"),  # (the market's ratios)
    (r"(_params|_staff)$", "count"),
    (r"(share|^schedule_|util_|mfu_|margin|_rate$|headroom|floor|ceiling|weight|markup|target|"
     r"adjustment|discount|^terminal_growth$|fleet_year$)", "share"),
)
_CALENDAR = re.compile(r"(^year$|_year$|^schedule_start_)")


def measure(q: Quantity) -> Measure:
    """The measure of a catalogue quantity, from its kind, unit and name."""
    return MEASURES["choice"] if q.kind == "choice" else measure_of(q.name, q.unit)


def measure_of(name: str, unit: str) -> Measure:
    """The measure of a number named `name` in `unit` (a catalogue quantity or a derived one,
    such as a workbook's cash_flow in USD)."""
    if unit.startswith("USD"):
        return MEASURES["money"]
    if "FLOP" in unit and "/token" not in unit and "/s/" not in unit:
        return MEASURES["flop"]
    if unit == "year":
        return MEASURES["calendar" if _CALENDAR.search(name) else "duration"]
    if unit == "1/year":
        return MEASURES["rate"]
    if unit:
        return MEASURES["count"]
    for pattern, kind in _DIMENSIONLESS:
        if re.search(pattern, name):
            return MEASURES[kind]
    return MEASURES["number"]


def pretty_unit(unit: str) -> str:
    return unit.replace("*", "·") if unit else ""


def unit_label(q: Quantity) -> str:
    """What goes in a label's brackets: the unit, or what a dimensionless number is."""
    m = measure(q)
    return m.label or pretty_unit(q.unit) or "count"


def label(q: Quantity) -> str:
    """'Share research [%]', 'GPU peak FLOP/s [FLOP/s/GPU]', 'AI R&D multiplier [x]'."""
    return f"{q.label} [{unit_label(q)}]"


_MONEY = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))


def sig(value: float, digits: int = 4) -> str:
    """Round to `digits` significant figures, with thousands separators."""
    if value == 0:
        return "0"
    decimals = max(0, digits - 1 - int(math.floor(math.log10(abs(value)))))
    return f"{value:,.{decimals}f}"


def money(value: float, unit: str = "USD") -> str:
    """'$1.420B/year', '$873.7M', '$2.50/GPU/hour': one rule for scale."""
    rest = unit[3:]
    sign, size = ("-" if value < 0 else ""), abs(value)
    for scale, letter in _MONEY:
        if size >= scale:
            return f"{sign}${sig(size / scale)}{letter}{rest}"
    return f"{sign}${size:,.2f}{rest}" if size >= 0.01 or size == 0 else f"{sign}${size:.3g}{rest}"


def format_value(name: str, value: float) -> str:
    """A quantity's value as a person reads it, by its measure (a name outside the catalogue,
    such as share_rnd, by what its name says)."""
    q = CATALOGUE.get(name)
    m = measure(q) if q is not None else measure_of(name, "")
    if m.name == "choice":
        return q.choices[int(value)]
    if value is None or not math.isfinite(value):
        return "n/a"
    unit = pretty_unit(q.unit) if q is not None else ""
    if m.name == "money":
        return money(value, q.unit)
    if m.name == "share":
        return f"{value:.1%}"
    if m.name == "flop":
        return f"{value:.3g} {unit}".replace("e+", "e")
    if m.name == "calendar":
        return f"{value:.2f}".rstrip("0").rstrip(".")
    if m.name == "multiplier":
        return f"{sig(value, 3)}x" if abs(value) < 1e6 else f"{value:.3g}x"
    if name in CODE_WORDS:
        return CODE_WORDS[name][int(value)]
    if m.name in ("exponent", "log", "ooms", "rate", "duration", "code"):
        text = f"{value:,.4g}" if m.name != "code" else f"{value:.0f}"
        return f"{text} {m.label}".strip() if m.name in ("ooms", "duration") else (
            f"{text}/year" if m.name == "rate" else text)
    text = sig(value) if abs(value) < 1e12 else f"{value:.3g}".replace("e+", "e")
    return f"{text} {unit}".strip()


def excel_format(name: str, values=(), unit: str | None = None) -> str:
    """The Excel number format of a quantity (money scales by the largest of `values`); a name
    outside the catalogue is measured by `unit`."""
    q = CATALOGUE.get(name)
    m = measure(q) if q is not None else measure_of(name, unit or "")
    if m.excel and not (m.name == "count" and _largest(values) >= 1e12):
        return m.excel
    if m.name == "count":
        return "0.00E+00"
    big = _largest(values)
    if big >= 1e9:
        return '"$"#,##0.00,,,"B"'
    if big >= 1e6:
        return '"$"#,##0.00,,"M"'
    if big >= 1e4:
        return '"$"#,##0'
    # a price falling 10x a year spans ten orders of magnitude in a decade: $0.000 hides it
    small = min((abs(float(v)) for v in values if isinstance(v, int | float)
                 and not isinstance(v, bool) and math.isfinite(v) and v), default=1.0)
    return '"$"0.00E+00' if small < 1e-3 else '"$"#,##0.000'


def _largest(values) -> float:
    mags = [abs(float(v)) for v in values
            if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)]
    return max(mags, default=0.0)


def table(rows: list[tuple[str, ...]], header: tuple[str, ...]) -> str:
    """Left-aligned plain-text table."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
              for r in rows]
    return "\n".join(lines)


def json_number(value: float) -> float | None:
    """JSON has no NaN or infinity: an undefined number (e.g. a margin on zero revenue) is null."""
    return float(value) if value is not None and math.isfinite(value) else None


def strict_json(doc: object, indent: int = 1) -> str:
    """JSON that strict parsers accept: every NaN or infinity becomes null (json.dumps would
    write bare NaN), NumPy scalars become plain numbers; anything else unknown is an error."""
    return json.dumps(_plain(doc), indent=indent, allow_nan=False)


def _plain(value: object) -> object:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, bool | str) or value is None:
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return json_number(float(value))
    raise TypeError(f"not JSON: {type(value).__name__}")
