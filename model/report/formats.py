"""How every quantity is shown to a person: one catalogue of display formats, derived from the
catalogue's records (unit and name), used by the CLI's tables, the app and the workbook's number
formats alike. JSON and CSV carry plain numbers in catalogue units instead.

Each quantity has a measure: what kind of number it is, and every measure is an Excel number
format first. The app and the CLI print a number by rendering that format
(model.report.excel_text), so a value reads the same in a workbook cell as on screen:

- shares, margins and rates as percentages with a fixed number of decimals per quantity (one,
  unless SHARE_DECIMALS says otherwise; rates per year read '32.2%/year');
- money by one rule, each value on its own scale: three significant figures with T, B or M from
  $1M up ('$1.30T', '$658B', '-$460M'), whole dollars from $1,000 ('$87,312') and for zero
  ('$0'), cents and three significant figures below ('$2.50', '$0.547'), scientific under
  $0.0001 ('$3.12E-05');
- calendar years as years ('2029'), a step's start at sub-year steps with two decimals
  ('2025.25', the whole column alike); counts, multipliers and OOMs with the decimals their
  largest value needs; FLOP in scientific notation ('1.25E+27 FLOP/year').
"""

from __future__ import annotations

import json
import math
import numbers
import re
from dataclasses import dataclass

from model.core.catalogue import CATALOGUE, Quantity
from model.loop.rows import BINDING_CONSTRAINTS

from .excel_text import excel_text
from .money import decimals as _decimals
from .money import money_format
from .money import places as _places


@dataclass(frozen=True)
class Measure:
    """A kind of number: the unit text a label shows, and its Excel number format."""

    name: str
    label: str  # in a label's brackets; '' to show the catalogue unit itself
    excel: str  # Excel number format ('' to choose by magnitude, as for money)


MEASURES = {m.name: m for m in (
    Measure("share", "%", "0.0%"),
    Measure("money", "", ""),  # "": the format depends on the values (excel_format)
    Measure("flop", "", "0.00E+00"),
    Measure("count", "", ""),
    Measure("calendar", "year", ""),
    Measure("duration", "years", "0.00"),
    Measure("rate", "%/year", "0.0%"),
    Measure("multiplier", "x", ""),
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
     r"mid_step_software|ideas_reference_software|"
     r"capability_gap|rival_capability_gap|base_frontier_gap|frontier_gap|"
     r"diffused_frontier_gap|capability|"
     r"milestone_(sc|sar|siar|asi))$", "ooms"),
    (r"(multiplier|multiple|speedup|researchers|_index|research_output|overhead|^pue|_cap$|"
     # (the market's ratios)
     r"^chip_price_change$|^chip_shortage$|^customer_share_factor$)", "multiplier"),
    (r"(_params|_staff)$", "count"),
    (r"(share|^schedule_|util_|mfu_|margin|_rate$|headroom|floor|ceiling|weight|markup|target|"
     r"adjustment|discount|^terminal_growth$|fleet_year$|deviation_gain$|_tolerance$|"
     r"idle_inference_to_research$)", "share"),
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


# Shares shown with other than one decimal: a training run takes a sliver of a fleet-year; a
# lab's gain from deviating is judged against 1% (two decimals say how near); odds over a few
# dozen draws are whole points at best.
_ODDS = (*(f"p_research_share_{w}{tag}" for w in ("falls", "ends_lower")
           for tag in ("", "_price_taker")), "p_research_share_ends_lower_converged")
SHARE_DECIMALS = {"training_share_of_fleet_year": 3, "deviation_gain": 2, "max_deviation_gain": 2,
                  "share_converged": 0, **{f"{p}{se}": 0 for p in _ODDS for se in ("", "_se")}}
_PERCENTILE = re.compile(r"_p(5|50|95)$")  # a Monte Carlo column reads as its quantity


def _finite(values) -> list[float]:
    return [float(v) for v in values if isinstance(v, numbers.Real)
            and not isinstance(v, bool) and math.isfinite(v)]


def _ok(value) -> bool:
    return bool(_finite([value]))


def _scaled(big: float, suffix: str = "") -> str:
    """Counts (by a row's largest) and multipliers (each): three significant figures, whole
    numbers with separators from 100, scientific from 1e12 (too many digits for a column)."""
    if big >= 1e12:
        return f"0.00E+00{suffix}"
    if big >= 100:
        return f"#,##0{suffix}"
    return f"0{_places(_decimals(big))}{suffix}"


def excel_format(name: str, values=(), unit: str | None = None) -> str:
    """The Excel number format of a quantity over `values` (a row or a column): money on the
    scale of the largest value (one value: exactly the one money rule), the others as their
    measure says. A name outside the catalogue is measured by `unit`."""
    m = _measure_named(name, unit)
    finite = _finite(values)
    big = max(map(abs, finite), default=0.0)
    if m.name == "money":
        return money_format(max(finite, key=abs, default=0.0))
    if m.name == "share" or m.name == "rate":
        return f"0{_places(SHARE_DECIMALS.get(_base(name), 1))}%"
    if m.name == "count":
        return _scaled(big)
    if m.name == "multiplier":
        return _scaled(big, '"x"')
    if m.name == "calendar":  # a step's start at sub-year steps: every cell of the row alike
        return "0" if all(round(v, 2) == round(v) for v in finite) else "0.00"
    return m.excel


def excel_formats(name: str, values, unit: str | None = None) -> list[str]:
    """One format per value: money and multipliers each on its own scale (a price that runs
    from $0.55 to $8M reads '$0.550' and '$8.00M', never '$0.00M'; a multiplier 1.31x and 250x),
    the rest as the row's excel_format."""
    if _measure_named(name, unit).name in ("money", "multiplier"):
        return [excel_format(name, [v] if _ok(v) else [], unit) for v in values]
    return [excel_format(name, values, unit)] * len(values)


def texts(name: str, values, unit: str | None = None, with_unit: bool = True) -> list[str]:
    """Values of one quantity (a column, a row) as a person reads them: each through its Excel
    format (excel_formats), then the unit ('$3.70B/year', '399,543 GPU', '0.44 OOMs');
    undefined numbers 'n/a'; choices and codes as their words."""
    q = CATALOGUE.get(_base(name))
    values = list(values)
    if q is not None and q.kind == "choice":
        return [q.choices[int(v)] for v in values]
    if _base(name) in CODE_WORDS:
        return [CODE_WORDS[_base(name)][int(v)] if _ok(v) else "n/a" for v in values]
    formats = excel_formats(name, values, unit)
    suffix = _suffix(name, unit) if with_unit else ""
    return [excel_text(f, float(v)) + suffix if _ok(v) else "n/a"
            for f, v in zip(formats, values, strict=True)]


def format_value(name: str, value: float, unit: str | None = None) -> str:
    """A quantity's value as a person reads it (texts of one value)."""
    return texts(name, [value], unit)[0]


def money(value: float, unit: str = "USD") -> str:
    """'$1.42B/year', '$874M', '$2.50/GPU/hour': the one money rule, any money unit."""
    return excel_text(money_format(value), value) + pretty_unit(unit[3:])


def counted(n: int, noun: str) -> str:
    """'1 lab', '6 labs': a count with its noun, plural unless one."""
    return f"{n} {noun}{'s' * (n != 1)}"


def year_of(value: float | None) -> int | None:
    """The calendar year a moment falls in (2026 for a payback in the step that starts mid-2026,
    stored 2026.4999999999977 at monthly steps), or None (not within the horizon)."""
    if value is None or not math.isfinite(value) or value <= 0:
        return None
    return math.floor(round(value, 2))


def calendar_year(value: float | None) -> str:
    """year_of as text: '2026', or 'not within the horizon'."""
    year = year_of(value)
    return NEVER if year is None else str(year)


NEVER = "not within the horizon"


def _base(name: str) -> str:
    return _PERCENTILE.sub("", name) if name not in CATALOGUE else name


def _measure_named(name: str, unit: str | None) -> Measure:
    q = CATALOGUE.get(_base(name))
    return measure(q) if q is not None else measure_of(_base(name), unit or "")


def _suffix(name: str, unit: str | None) -> str:
    """What follows a number: the unit for counts, FLOP and durations, the per-what of money
    ('/year'), ' OOMs', '/year' of a rate; nothing for shares, multipliers and pure numbers."""
    q = CATALOGUE.get(_base(name))
    unit = q.unit if q is not None else (unit or "")
    m = _measure_named(name, unit)
    if m.name == "money":
        return pretty_unit(unit[3:])
    if m.name in ("count", "flop") and unit:
        return " " + pretty_unit(unit)
    if m.name in ("duration", "ooms"):
        return " " + m.label
    return "/year" if m.name == "rate" else ""


def sig(value: float, digits: int = 4) -> str:
    """Round to `digits` significant figures, with thousands separators (prose, not tables)."""
    if value == 0:
        return "0"
    return f"{value:,.{_decimals(abs(value), digits)}f}"


def table(rows: list[tuple[str, ...]], header: tuple[str, ...], legend: str) -> str:
    """Left-aligned plain-text table, then its legend: one line saying what the columns are
    (their units, the words in them). Every CLI table has one; `legend` is required."""
    if not legend.strip():
        raise ValueError("a table needs a legend")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
              for r in rows]
    return "\n".join([*lines, f"{LEGEND}{legend.strip()}"])


LEGEND = "Legend: "


def column_legend(columns) -> str:
    """A legend for columns named after catalogue quantities: 'name = label [unit]; ...'."""
    parts = {}  # a Monte Carlo column's percentiles share their quantity's entry
    for c in columns:
        q = CATALOGUE.get(_base(c))
        parts[_base(c)] = (f"{_base(c)} = {q.label.lower()} [{unit_label(q)}]" if q is not None
                           else c)
    return "; ".join(parts.values())


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
