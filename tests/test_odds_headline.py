"""The README's headline gives odds (issue 19, point 3): its table is rendered from
docs/odds.json, which holds every scenario, probabilities with their binomial errors, and
drivers."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from model.core.trend import WORDS
from model.loop.scenario_list import SCENARIOS
from model.odds import headline
from model.report.market_doc import odds_markdown

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readme_headline_is_the_odds_file():
    assert odds_markdown() in README.read_text(), "regenerate with `make docs`"


def test_the_odds_file_covers_every_scenario_with_its_errors():
    data = headline.read()
    assert [r["scenario"] for r in data["scenarios"]] == list(SCENARIOS)
    for r in data["scenarios"]:
        for key in ("p_research_share_falls", "p_research_share_falls_price_taker",
                    "p_research_share_ends_lower", "p_research_share_ends_lower_price_taker"):
            p, n = r[key], r["samples"]
            # a share of n draws, and its binomial standard error sqrt(p(1-p)/n)
            assert abs(p * n - round(p * n)) < 1e-9
            assert math.isclose(r[f"{key}_se"], math.sqrt(p * (1 - p) / n), rel_tol=1e-12)
        # ending lower over the draws in equilibrium alone: a share of those draws
        solved = round(r["share_converged"] * r["samples"])
        assert abs(r["share_converged"] * r["samples"] - solved) < 1e-9
        p = r["p_research_share_ends_lower_converged"]
        assert abs(p * solved - round(p * solved)) < 1e-9
        assert math.isclose(r["p_research_share_ends_lower_converged_se"],
                            math.sqrt(p * (1 - p) / solved), rel_tol=1e-12)
        assert len(r["drivers"]) <= 3
        assert r["ratio_paths"]["years"][1] == 2026 and r["ratio_paths"]["years"][-1] == 2030


def test_a_table_row_by_hand():
    data = {"scenarios": [{
        "scenario": "x", "p_research_share_falls": 0.25, "p_research_share_falls_se": 0.108,
        "p_research_share_falls_price_taker": 0.5, "p_research_share_falls_price_taker_se": 0.125,
        "p_research_share_ends_lower": 0.75, "p_research_share_ends_lower_se": 0.108,
        "p_research_share_ends_lower_price_taker": 1.0,
        "p_research_share_ends_lower_price_taker_se": 0.0,
        "share_converged": 0.4375, "p_research_share_ends_lower_converged": 4 / 7,
        "p_research_share_ends_lower_converged_se": 0.187,
        "ratio_paths": {"years": [2025, 2026, 2030], "p50": [1.0, 2.0, 0.5]},
        "drivers": [{"input": "software_returns", "spearman_rho": 0.77}],
        "drivers_price_taker": [{"input": "demand_price_elasticity", "spearman_rho": 0.444},
                                {"input": "openai.revenue", "spearman_rho": -0.315}]}]}
    assert odds_markdown(data).splitlines()[-1] == (
        "| `x` | 25% ± 11% | 50% ± 13% | 75% ± 11% | 100% ± 0% | 2.00 to 0.50 | 44%: 57% ± 19% | "
        "`software_returns` (+0.77) | `demand_price_elasticity` (+0.44), `openai.revenue` "
        "(-0.32) |")
    # no input correlates in the draws: a dash, not an empty cell
    data["scenarios"][0]["drivers_price_taker"] = []
    assert odds_markdown(data).splitlines()[-1].endswith("| `software_returns` (+0.77) | - |")
    # 12.5% reads 13% as a workbook cell shows it (half away from zero), not Python's 12%


def test_the_odds_file_judges_by_the_one_trend_test():
    for r in headline.read()["scenarios"]:
        for tag in ("", "_price_taker"):
            shares = r[f"trends{tag}"]
            assert list(shares) == list(WORDS)
            assert shares["falls"] == r[f"p_research_share_falls{tag}"]
            # a draw that falls ends lower; one that ends lower may have risen on the way
            assert r[f"p_research_share_ends_lower{tag}"] >= shares["falls"]
            assert math.fsum(shares.values()) == pytest.approx(1.0, abs=1e-12)
