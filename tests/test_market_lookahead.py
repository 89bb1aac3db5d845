"""The market's labs choose over more years than are shown (model.market.outcome.solve_shown, a
receding horizon): research pays after it is done, so a horizon's last years see it cut, and
the years shown are the first of a longer game. A tiny market (OpenAI and Anthropic, yearly)
keeps each solve to seconds."""

from __future__ import annotations

import json

import numpy as np
import pytest

from model.cli.main import main
from model.market.nash import _market, choosing
from model.market.outcome import shown, solve, solve_shown
from model.market.single_lab import lab_settings
from model.market.world import MARKET

TINY = MARKET[:2]  # openai, anthropic


@pytest.fixture(scope="module")
def longer():
    """The tiny market solved to 2029: five years, two beyond the three shown."""
    return solve(TINY, "ai-2027", years=5, step="year")


def test_the_years_shown_are_the_first_of_the_longer_game(longer):
    """Cut to 2025-2027, every row, path and price-taker's row is the longer game's; the
    market the cut paths make, run alone to 2027, is the same market (a step reads only the
    steps before it); the joint optimum's NPV, and the equilibrium's summed NPV beside it,
    stay the whole game's."""
    out = shown(longer, 3, "year")
    assert out.nash.market.rows["year"][:, 0].tolist() == [2025.0, 2026.0, 2027.0]
    for key, rows in out.nash.market.rows.items():
        np.testing.assert_array_equal(rows, longer.nash.market.rows[key][:3])
    assert all(len(p["chosen_share_research"]) == 3 for p in out.nash.paths)
    assert all(len(df) == 3 for df in out.price_takers)
    settings = [choosing(lab_settings(lab, "ai-2027")) for lab in TINY]
    alone = _market(settings, out.nash.paths, [lab.name for lab in TINY], 3, "year")
    # the same fixed point, to the clearing's resolution (measured: 1.2e-9 of an NPV)
    for key in ("npv", "fleet_gpus", "gpus_research", "inference_revenue"):
        np.testing.assert_allclose(alone.rows[key], out.nash.market.rows[key], rtol=1e-7)
    assert out.joint.npv == longer.joint.npv
    assert out.summed_npv() == longer.summed_npv() != pytest.approx(
        float(out.nash.market.rows["npv"][-1].sum()), rel=1e-3)


def test_the_lookahead_stops_at_the_size_limit():
    """Two labs, three years shown: four years beyond would be 14 labs x steps; a limit of
    10 leaves two."""
    out = solve_shown(TINY, "ai-2027", years=3, step="year", lookahead=4, limit=10,
                      with_joint=False)
    assert out.beyond == 2 and len(out.nash.market.rows["year"]) == 3
    assert solve_shown(TINY, "ai-2027", years=3, step="year", lookahead=0,
                       with_joint=False).beyond == 0


def test_the_command_says_how_far_the_labs_chose(capsys):
    argv = ["market", "--preset", "frontier-2025", "--set=-google-deepmind", "--set=-xai",
            "--set=-meta", "--years", "3", "--lookahead", "2", "--format", "json"]
    assert main(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["lookahead"] == 2 and "lookahead_note" in doc
    assert sorted({r["year"] for r in doc["records"]}) == [2025.0, 2026.0, 2027.0]
    assert main([*argv[:-4], "--lookahead", "21"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "lookahead: expected a whole number" in err
