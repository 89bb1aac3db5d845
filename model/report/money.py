"""Money by one rule on every surface (model.report.formats' module doc): each value on its own
scale, three significant figures with T, B or M from $1M up, whole dollars from $1,000 and for
zero, cents and three significant figures below, scientific under $0.0001.

`money_format` gives one value's Excel format; `money_scales` gives the rule itself as
thresholds, which a workbook applies live as conditional formats (model.workbook._styles), so
that a cell whose value an edit moves to another scale reads on the new one.
"""

from __future__ import annotations

import math
from functools import cache

SIG = 3  # significant figures of money, counts under 100 and multipliers
_MONEY = ((1e12, "T"), (1e9, "B"), (1e6, "M"))


def decimals(size: float, digits: int = SIG) -> int:
    """Decimals that show `size` (>= 0) to `digits` significant figures."""
    return max(0, digits - 1 - math.floor(math.log10(size))) if size > 0 else 0


def places(n: int) -> str:
    """An Excel format's n decimal places ('.00'), or none."""
    return "." + "0" * n if n else ""


def money_format(value: float) -> str:
    """The Excel format that shows `value` dollars by the one money rule (module doc): the first
    of money_scales that |value| reaches; zero exactly '$0', not '$0.00' beside '$658B'."""
    size = abs(value)
    if size == 0:
        return MONEY_ZERO
    return next((fmt for least, fmt in money_scales() if size >= least), MONEY_TINY)


MONEY_ZERO, MONEY_TINY = '"$"#,##0', '"$"0.00E+00'  # zero; below the least of money_scales


@cache
def money_scales() -> tuple[tuple[float, str], ...]:
    """The money rule as (least absolute value, format), largest first. A value is rounded to
    SIG figures first ($999.6B reads $1.00T), so each least is where rounding reaches a power of
    ten (999.5e9 for $1.00T): comparisons alone then apply the rule, as a workbook's
    conditional formats do when a recalculated value changes scale."""
    scales: list[tuple[float, str]] = []
    for power in range(15, -5, -1):
        fmt, least = _money_at(10.0**power), float(f"{10**SIG - 0.5}e{power - SIG}")
        if scales and scales[-1][1] == fmt:
            scales.pop()  # the same format a power of ten lower: one scale, the lower least
        scales.append((least, fmt))
    return tuple(scales)


def _money_at(size: float) -> str:
    """The money format of `size` dollars, already rounded to SIG figures."""
    for scale, letter in _MONEY:
        if size >= scale:
            commas = "," * round(math.log10(scale) / 3)
            return f'"$"#,##0{places(decimals(size / scale))}{commas}"{letter}"'
    return MONEY_ZERO if size >= 1000 else f'"$"#,##0{places(max(2, decimals(size)))}'
