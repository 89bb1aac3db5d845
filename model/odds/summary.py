"""Draws into odds: for each scenario the share of draws in which research's share of the labs'
compute falls relative to inference (in equilibrium, and the price-takers summed), with its
binomial standard error, and how often each other answer of the one rises/falls test comes
(model.market.answer.trend, read from each draw's ratio path, so that draws on disk are judged
by the test as it is now), the 5th, 50th and 95th percentile paths of the research-to-inference
ratio, and the inputs that move the outcome most: the largest Spearman rank correlations, over
the draws, between a drawn input and the ratio's log change from the first step after the base
year to the last (its continuous measure; negative: falls).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from model.core.trend import WORDS
from model.loop.montecarlo import PERCENTILES
from model.market.answer import ends_lower, trend

DRIVERS = 3


def binomial(hits: Sequence[bool]) -> tuple[float | None, float | None]:
    """(share of hits, its binomial standard error sqrt(p(1-p)/n)); (None, None) when empty."""
    n = len(hits)
    if n == 0:
        return None, None
    p = float(np.mean(hits))
    return p, math.sqrt(p * (1 - p) / n)


def drivers(records: Sequence[dict], outcome: str, top: int = DRIVERS) -> list[dict]:
    """The `top` drawn inputs by |Spearman rho| with `outcome` (a record field), over the draws
    where the outcome is defined; inputs that do not vary are skipped."""
    from scipy.stats import spearmanr  # scipy: only when odds are summarised

    y = np.array([r[outcome] for r in records], dtype=float)
    keep = np.isfinite(y)
    if keep.sum() < 3 or np.ptp(y[keep]) == 0:
        return []
    found = []
    for name in sorted({k for r in records for k in r if k.startswith("in:")}):
        x = np.array([r.get(name, np.nan) for r in records], dtype=float)[keep]
        if not np.all(np.isfinite(x)) or np.ptp(x) == 0:
            continue
        result = spearmanr(x, y[keep])
        rho = float(result.statistic)
        if math.isfinite(rho):
            found.append({"input": name.removeprefix("in:"), "spearman_rho": rho,
                          "p_value": float(result.pvalue), "inputs_tested": 0})
    found.sort(key=lambda d: (-abs(d["spearman_rho"]), d["input"]))
    # the top of many correlations is large by chance alone: with ~60 inputs the largest |rho|
    # of unrelated inputs is ~0.7 over 16 draws, ~0.32 over 64; p_value is each one's own,
    # not adjusted
    for d in found:
        d["inputs_tested"] = len(found)
    return found[:top]


def _columns(records: Sequence[dict], tag: str) -> list[str]:
    """The record fields of the `tag` ratio's path ('eq_ratio_2025', ...), in year order."""
    prefix = f"{tag}_ratio_"
    return sorted({k for r in records for k in r if k.startswith(prefix)},
                  key=lambda k: float(k.removeprefix(prefix)))


def _ratios(records: Sequence[dict], tag: str) -> list[list[float]]:
    """Each draw's `tag` ratio path, in year order."""
    names = _columns(records, tag)
    return [[r[k] for k in names] for r in records]


def trends(records: Sequence[dict], tag: str) -> list[str]:
    """Each draw's answer (answer.trend) from its `tag` ratio path: 'falls', 'rises', ..."""
    return [trend(path) for path in _ratios(records, tag)]


def lower(records: Sequence[dict], tag: str) -> list[bool]:
    """Whether each draw's `tag` ratio path ends lower (answer.ends_lower): the net move."""
    return [ends_lower(path) for path in _ratios(records, tag)]


def _shares(words: Sequence[str]) -> dict[str, float | None]:
    """{word: the share of draws answering it} for every word of the test, in WORDS order."""
    return {w: (float(np.mean([x == w for x in words])) if words else None) for w in WORDS}


def _paths(records: Sequence[dict], tag: str) -> dict:
    """{'years': [...], 'p5': [...], 'p50': [...], 'p95': [...]} of the `tag` ratio's path."""
    prefix = f"{tag}_ratio_"
    table = np.array(_ratios(records, tag), dtype=float)
    out = {"years": [float(k.removeprefix(prefix)) for k in _columns(records, tag)]}
    for p, row in zip(PERCENTILES, np.nanpercentile(table, PERCENTILES, axis=0), strict=True):
        out[f"p{p}"] = [float(v) for v in row]
    return out


def summarise(scenario: str, records: Sequence[dict]) -> dict:
    """One scenario's odds from its draws' records."""
    eq_words, pt_words = trends(records, "eq"), trends(records, "pt")
    eq, eq_se = binomial([w == "falls" for w in eq_words])
    pt, pt_se = binomial([w == "falls" for w in pt_words])
    eq_low, eq_low_se = binomial(lower(records, "eq"))
    pt_low, pt_low_se = binomial(lower(records, "pt"))
    # the draws that reached an equilibrium alone: the others count above as solved, so this
    # shows whether they move the answer
    solved = [r for r in records if r["eq_converged"]]
    ok_low, ok_low_se = binomial(lower(solved, "eq"))
    return {
        "scenario": scenario, "samples": len(records),
        "p_research_share_falls": eq, "p_research_share_falls_se": eq_se,
        "p_research_share_falls_price_taker": pt, "p_research_share_falls_price_taker_se": pt_se,
        "p_research_share_ends_lower": eq_low, "p_research_share_ends_lower_se": eq_low_se,
        "p_research_share_ends_lower_price_taker": pt_low,
        "p_research_share_ends_lower_price_taker_se": pt_low_se,
        "p_research_share_ends_lower_converged": ok_low,
        "p_research_share_ends_lower_converged_se": ok_low_se,
        "trends": _shares(eq_words), "trends_price_taker": _shares(pt_words),
        "share_converged": len(solved) / len(records) if records else None,
        "ratio_paths": _paths(records, "eq"), "ratio_paths_price_taker": _paths(records, "pt"),
        "drivers": drivers(records, "eq_log_change"),
        "drivers_price_taker": drivers(records, "pt_log_change"),
    }


def summaries(records: Sequence[dict], scenarios: Sequence[str]) -> list[dict]:
    return [summarise(s, [r for r in records if r["scenario"] == s]) for s in scenarios]
