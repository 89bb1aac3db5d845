"""Human-readable formatting of quantities: SI prefixes, thousands separators, money as $B.

Used by the CLI's tables (and by any output that shows a number to a person); JSON and CSV carry
plain numbers in catalogue units instead.
"""

from __future__ import annotations

import math

from model.core.catalogue import CATALOGUE

_SI = [(1e24, "Y"), (1e21, "Z"), (1e18, "E"), (1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"),
       (1e3, "k")]
_MONEY = [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")]


def _sig(value: float, digits: int = 4) -> str:
    """Round to `digits` significant figures, with thousands separators."""
    if value == 0:
        return "0"
    decimals = max(0, digits - 1 - int(math.floor(math.log10(abs(value)))))
    return f"{value:,.{decimals}f}"


def pretty_unit(unit: str) -> str:
    return unit.replace("*", "·") if unit else ""


def format_value(name: str, value: float) -> str:
    """'$10.51B/year', '2,995 YFLOP/year', '40.0%', '600,000 GPU' from a catalogue quantity."""
    q = CATALOGUE.get(name)
    unit = q.unit if q else ""
    if q is not None and q.kind == "choice":
        return q.choices[int(value)]
    if value is None or not math.isfinite(value):
        return "n/a"
    if unit.startswith("USD"):
        rest = unit[3:]
        for scale, letter in _MONEY:
            if abs(value) >= scale:
                return f"${_sig(value / scale)}{letter}{rest}"
        return f"${_sig(value)}{rest}"
    if unit.startswith("FLOP"):
        for scale, prefix in _SI:
            if abs(value) >= scale:
                return f"{_sig(value / scale)} {prefix}{pretty_unit(unit)}"
    if unit == "" and (name.startswith(("share_", "util_", "mfu_")) or name.endswith("_margin")):
        return f"{value * 100:.2f}%"
    if unit == "" and abs(value) >= 1e6:
        for scale, letter in _MONEY:
            if abs(value) >= scale:
                return f"{_sig(value / scale)}{letter}"
    text = _sig(value) if abs(value) < 1e15 else f"{value:.4g}"
    return f"{text} {pretty_unit(unit)}".strip()


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
