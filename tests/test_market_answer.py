"""The README's headline is the market's answer (issue 18, point 9): its table is rendered from
docs/market_answer.json, and the file is what the model computes now (one scenario re-solved);
the same answer at quarterly steps (docs/market_answer_quarter.json) is what docs/MODEL.md says
of it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from model.core.trend import THRESHOLD, direction
from model.market import answer
from model.market.presets import LOOKAHEAD
from model.report.market_doc import answer_markdown

README = Path(__file__).resolve().parents[1] / "README.md"
MODEL_DOC = README.with_name("docs") / "MODEL.md"


def test_the_readme_headline_is_the_answer_file():
    records = answer.read()
    assert [r["scenario"] for r in records][:2] == ["status-quo", "ai-2027"]
    assert answer_markdown(records) in README.read_text(), "regenerate with `make docs`"


def test_the_verdicts_are_the_one_test_on_the_ratio_paths():
    for r in answer.read():
        for name in ("equilibrium", "joint"):
            ratio = r[f"{name}_ratio"]
            assert (ratio[1], ratio[-1]) == (r[f"{name}_ratio_first"], r[f"{name}_ratio_last"])
            pool = [x / (1 + x) for x in ratio[1:]]  # research's share of research + inference
            assert r[f"{name}_trend"] == direction(pool)
        assert r["max_deviation_gain"] <= 0.01 or not r["converged"]
        other = r["from_price_takers"]  # the rounds from each lab's price-taker path
        assert other["trend"] == direction([x / (1 + x) for x in other["ratio"][1:]])
        assert other["max_deviation_gain"] <= 0.01 or not other["converged"]
        assert 0 <= other["largest_gap"] <= 1


def test_the_file_reads_the_years_of_a_longer_solve():
    """The answer reads YEARS of a solve LOOKAHEAD years longer, and says so."""
    doc = json.loads(answer.ANSWER_FILE.read_text())
    assert (doc["years"], doc["lookahead"]) == (answer.YEARS, LOOKAHEAD) and LOOKAHEAD >= 3
    for r in doc["scenarios"]:
        assert len(r["equilibrium_ratio"]) == answer.YEARS
        assert r["last_year"] - r["first_year"] == answer.YEARS - 2
    rows = {"a": np.arange(10.0).reshape(10, 1)}
    assert answer.reported(rows, 6, "year")["a"].ravel().tolist() == [0, 1, 2, 3, 4, 5]


def test_the_answer_file_is_current():
    """ai-2027 re-solved (its labs reach equilibrium, so the answer is a fixed point, not where a
    cycle was stopped): the same verdicts, up to a move within half a point of the one test's
    threshold, and the numbers within what the solvers resolve from one machine to another.
    Measured: a last-bit change of one input (Python 3.12's float sum) moved the equilibrium's
    shares by 6e-5; the same code on OpenBLAS's Zen and Haswell kernels moved the equilibrium's
    ratios and shares by up to 3.6%, the joint optimum's first and last by up to 12% (its path
    between by 25%) and the race by up to 3.6 points. Against this file, Haswell's kernels give
    the same equilibria (ratios within 0.001%, race -0.2 against -0.3 points) and turn the
    joint's second move, +0.99 points here, into a rise of more than one: the joint is not
    resolved (README, "The answer"). The rounds from the price-takers' paths find another
    equilibrium, a lab's research share up to 12.6 points from the first's."""
    again = answer.answer("ai-2027")
    stored = next(r for r in answer.read() if r["scenario"] == "ai-2027")
    assert stored["converged"] and stored["from_price_takers"]["converged"]
    _close(again, stored)
    _close(again["from_price_takers"], stored["from_price_takers"])
    assert again["max_deviation_gain"] <= 0.01
    assert again["from_price_takers"]["max_deviation_gain"] <= 0.01


# Which ratio path each verdict reads (the rounds from the price-takers' paths: "ratio")
_PATHS = {"equilibrium_trend": "equilibrium_ratio", "joint_trend": "joint_ratio",
          "trend": "ratio"}
# The one test's threshold moved half a point either way: what a path's verdict may read on
# another machine where one of its moves lies that near the threshold. Measured on OpenBLAS's
# Haswell kernels against this file: the joint's second move under ai-2027, +0.99 points here,
# crossed it ("rises, then falls" for "falls").
_THRESHOLDS = np.linspace(THRESHOLD / 2, THRESHOLD * 3 / 2, 11)


def _verdicts(ratio) -> set[str]:
    """Every verdict the one test gives research's share on `ratio` (the stored or re-solved
    path) with its threshold within half a point of its own."""
    shares = [x / (1 + x) for x in ratio[1:]]
    return {direction(shares, t) for t in _THRESHOLDS}


def _close(again: dict, stored: dict) -> None:
    for key, value in stored.items():
        if key in _PATHS:  # the same verdict, up to a move within half a point of the threshold
            assert (again[key] in _verdicts(stored[_PATHS[key]])
                    or value in _verdicts(again[_PATHS[key]])), (key, again[key], value)
        elif isinstance(value, (bool, str)):
            assert again[key] == value, key
        elif key in ("race", "largest_gap"):
            assert again[key] == pytest.approx(value, abs=0.05), key  # 5 points
        elif key == "joint_ratio":
            continue  # its path between: 1.53 in 2028 here, 2.06 on a third machine
        elif key.startswith("joint_"):
            assert again[key] == pytest.approx(value, rel=0.2), key
        elif key not in ("max_deviation_gain", "from_price_takers"):
            assert again[key] == pytest.approx(value, rel=0.05, abs=1e-6), key


def _percent(x: float) -> int:
    return int(x * 100 + 0.5)


def test_the_quarterly_answer_is_what_the_docs_say():
    """docs/MODEL.md ("The market's steps") and the README read the quarterly file beside the
    yearly one: each scenario's first and last ratio against the years', the verdicts agreeing
    in two, research's 2026 shares, the fleet's growth, the race within 0.1 points and the
    bottleneck's second equilibrium."""
    doc = json.loads(answer.QUARTER_FILE.read_text())
    assert (doc["step"], doc["years"], doc["lookahead"]) == ("quarter", answer.YEARS, LOOKAHEAD)
    quarters = {r["scenario"]: r for r in doc["scenarios"]}
    years = {r["scenario"]: r for r in answer.read()}
    assert set(quarters) == set(years)
    text = " ".join(MODEL_DOC.read_text().split())
    for name, q in quarters.items():
        ratio = q["equilibrium_ratio"]
        assert q["equilibrium_trend"] == direction([x / (1 + x) for x in ratio[1:]])
        assert len(ratio) == 4 * (answer.YEARS - 1) + 1  # the base year, then 2026-30 by quarters
        assert q["converged"] and round(abs(q["race"]) * 100, 1) <= 0.1, name  # "0.1 points"
        y = years[name]
        if name != "inference-first":  # "inference first as `ai-2027`"
            said = (f"{q['equilibrium_ratio_first']:.2f} to {q['equilibrium_ratio_last']:.2f} "
                    f"against {y['equilibrium_ratio_first']:.2f} to "
                    f"{y['equilibrium_ratio_last']:.2f}")
            assert said in text, said
    assert quarters["inference-first"]["equilibrium_ratio"] == quarters["ai-2027"][
        "equilibrium_ratio"]
    same = [n for n, q in quarters.items()
            if q["equilibrium_trend"] == years[n]["equilibrium_trend"]]
    assert sorted(same) == ["compute-bottleneck", "status-quo"]  # "in only two"
    first = [q["equilibrium_share_first"] for q in quarters.values()]
    assert f"starts 2026 at {_percent(min(first))}-{_percent(max(first))}% of the fleet" in text
    yearly = [y["equilibrium_share_first"] for y in years.values()]
    assert f"({_percent(min(yearly))}-{_percent(max(yearly))}% yearly)" in text
    growth = {round(q["fleet_growth"], 1) for q in quarters.values()}
    assert len(growth) == 1 and f"grows {growth.pop():.1f}x over the quarters' window" in text
    other = quarters["compute-bottleneck"]["from_price_takers"]
    assert f"({other['ratio_first']:.2f} to {other['ratio_last']:.2f})" in text
    assert answer.ends_lower(other["ratio"]) != answer.ends_lower(
        quarters["compute-bottleneck"]["equilibrium_ratio"])
