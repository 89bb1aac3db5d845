"""The text an Excel number format gives a number, for the subset of formats the display
catalogue (model.report.formats) writes: one section, quoted literals, `#,##0` with decimals,
thousands-scaling commas, `%` and `E+00`.

The app and the CLI print every number through this, so a value reads the same on screen as in
the workbook cell that carries the same format (tests/test_formats_surfaces.py renders the
formats in LibreOffice and compares).
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Context, Decimal

_TOKEN = re.compile(r'"([^"]*)"|(E[+-]0+)|([#0,.]+)|(%)')


def excel_text(fmt: str, value: float) -> str:
    """What a cell formatted `fmt` shows for `value` (a catalogue format; see module doc)."""
    value = float(value)  # a NumPy scalar's repr is not a decimal
    if fmt in ("General", "@"):
        return f"{value:.10g}".replace("e+", "E+").replace("e-", "E-")
    prefix, suffix, number, exponent, percent = "", "", "", "", False
    for literal, exp, digits, pct in _TOKEN.findall(fmt):
        if digits:
            number = digits
        elif exp:
            exponent = exp
        elif pct:
            percent = True
        elif number:
            suffix += literal
        else:
            prefix += literal
    body, scale = _shape(number)
    size = abs(value) * (100 if percent else 1) / 1000 ** scale
    decimals = len(body.partition(".")[2])
    if exponent:
        text = _scientific(size, decimals, len(exponent) - 2)
    else:
        text = _fixed(size, decimals, "," in body)
    negative = value < 0 and any(c not in "0.,E+-" for c in text)  # a rounded zero has no sign
    return ("-" if negative else "") + prefix + text + ("%" if percent else "") + suffix


def _shape(number: str) -> tuple[str, int]:
    """The digit pattern without its trailing scaling commas, and how many there are."""
    stripped = number.rstrip(",")
    return stripped, len(number) - len(stripped)


# Enough digits for the largest float (1.8e308) with its decimals: the default context's 28
# refused to round 1e28 and up.
_DIGITS = Context(prec=400, rounding=ROUND_HALF_UP)


def _round(size: float, decimals: int) -> Decimal:
    # Excel rounds the decimal it shows half away from zero (0.125 -> 0.13), not the binary float
    return Decimal(repr(size)).quantize(Decimal(1).scaleb(-decimals), context=_DIGITS)


def _fixed(size: float, decimals: int, grouped: bool) -> str:
    if math.isinf(size):  # beyond floating point: no digits to show (run says where)
        return "inf"
    return f"{_round(size, decimals):{',' if grouped else ''}.{decimals}f}"


def _scientific(size: float, decimals: int, exp_digits: int) -> str:
    if not math.isfinite(size):
        return "inf" if math.isinf(size) else "NaN"
    if size == 0:
        return f"{0:.{decimals}f}E+{0:0{exp_digits}d}"
    power = math.floor(math.log10(size))
    mantissa = _round(size / 10 ** power, decimals)
    if mantissa >= 10:  # 9.996 -> 10.00: carry into the exponent
        power += 1
        mantissa = _round(size / 10 ** power, decimals)
    sign = "-" if power < 0 else "+"
    return f"{mantissa:.{decimals}f}E{sign}{abs(power):0{exp_digits}d}"
