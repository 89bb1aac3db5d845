"""Projection rows that hold the lab's price against the world: the sourced band of prices per
million tokens (the cheapest and the dearest listed token, moved from the band's year at the
fastest and the slowest sourced declines), read at the step's middle, where the step's average
price is read too. Nothing reads these rows: they are checks (tests, the workbook's Checks sheet),
not causes.
"""

from __future__ import annotations

from sympy import Max, exp

from . import research_rows  # noqa: F401 - its rows come first
from .rows import row, s

# Before the band's year the ends stay at that year's values: earlier lists were dearer at the
# cheap end and cheaper at the dear end, so holding them keeps the band wide, not narrow.
_since = Max(0, s("year") + s("step_length") / 2 - s("token_price_band_year"))
row("token_price_band_min",
    s("token_price_band_low") * exp(-s("token_price_band_low_decline") * _since))
row("token_price_band_max",
    s("token_price_band_high") * exp(-s("token_price_band_high_decline") * _since))
