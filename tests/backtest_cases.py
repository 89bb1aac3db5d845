"""The backtests' one check, shared by tests/test_backtest.py and tests/test_market_backtest.py:
each reading a case, a miss a strict xfail with its measured reason."""

from __future__ import annotations

import pytest


def cases(table, misses: dict[str, str]) -> list:
    """A pytest param a reading (row of a backtest), marked strict xfail where `misses` gives a
    reason by observable or by "observable (step)"."""
    out = []
    for row in table.to_dict("records"):
        named = f"{row['observable']} ({row['step']})"
        reason = misses.get(row["observable"], misses.get(named))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(row, marks=marks, id=named))
    return out


def in_band(row: dict) -> None:
    """The reading's ratio is modelled / observed and lies in its band."""
    assert row["ratio"] == pytest.approx(row["modelled"] / row["observed"])
    assert row["band_low"] <= row["ratio"] <= row["band_high"], row
