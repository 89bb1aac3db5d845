"""The backtests over draws of the uncertain inputs (model.odds.backtest): the percentiles and
ranks by hand, the draws reduced to the central run when nothing is uncertain, every draw of the
end-2025 market a market that resolves, the CLI and the docs."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pytest

from model.cli.main import main
from model.core.catalogue import CATALOGUE
from model.loop import backtest as lab_backtest
from model.loop import montecarlo
from model.loop.montecarlo import Z90
from model.market import backtest as market_backtest
from model.market import labs_2024
from model.market.single_lab import lab_settings
from model.market.world import MARKETS
from model.odds import backtest as odds_backtest
from model.odds.draws import LOOP_INPUTS, draw_settings, drawn_labs, split_normal

END_2025 = MARKETS["end-2025"]


def test_rank_counts_the_draws_below_and_ties_half():
    assert odds_backtest.rank(np.array([1.0, 2.0, 2.0, 3.0]), 2.0) == 0.5  # (1 + 2/2) / 4
    assert odds_backtest.rank(np.array([1.0, 2.0, 3.0]), 0.5) == 0.0
    assert odds_backtest.rank(np.array([1.0, 2.0, 3.0]), 4.0) == 1.0
    assert odds_backtest.rank(np.array([-3.0, -2.0, -1.0, 0.0]), -1.5) == 0.5


def test_a_summary_row_is_numpys_percentiles_of_the_draws():
    item = lab_backtest.OBSERVABLES[0]
    readings = np.arange(1.0, 101.0)  # 1..100: the 5th percentile at index 4.95, so 5.95
    row = dict(zip(odds_backtest.COLUMNS, odds_backtest.summary_row(
        dataclasses.replace(item, observed=50.0), "run", "year", 7.0, readings, 3), strict=True))
    assert row["p5"] == pytest.approx(5.95, abs=1e-12)
    assert row["p50"] == pytest.approx(50.5, abs=1e-12)
    assert row["p95"] == pytest.approx(95.05, abs=1e-12)
    assert row["covered"] and row["rank"] == pytest.approx(0.495, abs=1e-12)  # 49 + 1/2
    assert (row["modelled"], row["draws"], row["seed"]) == (7.0, 100, 3)
    outside = odds_backtest.summary_row(dataclasses.replace(item, observed=96.0), "run", "year",
                                        7.0, readings, 0)
    assert not dict(zip(odds_backtest.COLUMNS, outside, strict=True))["covered"]


@pytest.fixture
def certain(monkeypatch):
    """Every uncertain input's interval shrunk to its value (factor 1 at both ends)."""
    monkeypatch.setattr(montecarlo, "UNCERTAIN",
                        {k: (1.0, 1.0, s) for k, (_, _, s) in montecarlo.UNCERTAIN.items()})


@pytest.mark.parametrize("step", ["year", "quarter"])
def test_a_lab_alone_with_nothing_uncertain_reads_as_its_backtest(certain, step):
    readings = odds_backtest.lab_readings(lab_backtest.OBSERVABLES, step, 3, 0)
    for item in lab_backtest.OBSERVABLES:
        assert readings[item.observable] == pytest.approx(
            [lab_backtest.modelled(item, step)] * 3, rel=1e-9), item.observable


def test_the_market_with_nothing_uncertain_reads_as_its_backtest(certain, monkeypatch):
    plain = tuple(dataclasses.replace(lab, intervals={}) for lab in END_2025)
    monkeypatch.setitem(odds_backtest.MARKETS, "end-2025", plain)
    readings = odds_backtest.market_readings(market_backtest.OBSERVABLES, "quarter", 2, 0)
    central = market_backtest.backtest(steps=("quarter",)).set_index("observable")["modelled"]
    for item in market_backtest.OBSERVABLES:
        assert readings[item.observable] == pytest.approx(
            [central[item.observable]] * 2, rel=1e-9), item.observable


def test_a_positive_interval_is_drawn_in_logs():
    # the split lognormal's median and 5th and 95th percentiles are the value and the ends
    value, low, high = 9.44e9, 2.3625e9, 11.9e9
    for z, want in ((0.0, value), (-Z90, low), (Z90, high)):
        got = math.exp(split_normal(math.log(value), math.log(low), math.log(high), z))
        assert got == pytest.approx(want, rel=1e-12)
    revenue = np.array([drawn_labs(END_2025, 0, d)[1]["google-deepmind.revenue"]
                        for d in range(400)])
    lab = next(lab for lab in END_2025 if lab.name == "google-deepmind")
    lo, hi = lab.intervals["revenue"]
    assert revenue.min() > 0
    # 400 draws: each percentile within a few per cent of its end
    assert np.percentile(revenue, 5) == pytest.approx(lo, rel=0.25)
    assert np.percentile(revenue, 95) == pytest.approx(hi, rel=0.1)


def test_every_draw_of_the_end_2025_market_resolves():
    # A split normal in dollars drew Google DeepMind's revenue at 0 in draw 99 (and in 2% of
    # draws) and xAI's inference share at 0 in others: `odds --samples 100` stopped there
    for draw in range(300):
        labs, _ = drawn_labs(END_2025, 0, draw)
        for lab in labs:
            lab_settings(lab, "status-quo", None)
    settings, record = draw_settings(END_2025, "status-quo", None, 0, 99)
    assert len(settings) == len(END_2025) and record["google-deepmind.revenue"] > 0


def test_the_cli_gives_the_intervals_as_json_and_as_a_table(capsys):
    assert main(["backtest", "--intervals", "--market", "--samples", "5", "--format",
                 "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert len(rows) == 3 * len(market_backtest.OBSERVABLES)
    for row in rows:
        assert row["p5"] <= row["p50"] <= row["p95"]
        assert row["covered"] == (row["p5"] <= row["observed"] <= row["p95"])
        assert (row["draws"], row["seed"]) == (5, 0)
    assert main(["backtest", "--intervals", "--samples", "4", "--seed", "7"]) == 0
    out = capsys.readouterr().out
    table = odds_backtest.intervals(samples=4, seed=7)
    assert out.startswith(f"{int(table['covered'].sum())} of {len(table)} readings within the "
                          "draws' 90% interval (4 draws, seed 7;")


@pytest.mark.parametrize(("argv", "message"), [
    (["backtest", "--samples", "5"], "samples, seed: only with --intervals"),
    (["backtest", "--intervals", "--samples", "2001"],
     "samples: expected a whole number from 1 to 2,000, got 2001"),
    (["backtest", "--intervals", "--samples", "0"],
     "samples: expected a whole number from 1 to 2,000, got 0")])
def test_the_cli_refuses_bad_draws_in_one_line(capsys, argv, message):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"error: {message}"


def test_the_market_from_2024_with_nothing_uncertain_reads_as_its_backtest(certain, monkeypatch):
    monkeypatch.setattr(labs_2024, "LABS", tuple(dataclasses.replace(lab, intervals={})
                                                 for lab in labs_2024.LABS))
    pairs = market_backtest.pairs_2024()
    assert len(pairs) == 28 + 3  # not the rent its chip price floor is set from
    readings = odds_backtest.market_2024_readings(pairs, "quarter", 2, 0)
    central = market_backtest.backtest_2024(steps=("quarter",)).set_index("observable")
    for item, _ in pairs:
        assert readings[item.observable] == pytest.approx(
            [central.loc[item.observable, "modelled"]] * 2, rel=1e-9), item.observable


@pytest.mark.parametrize("draw", [0, 7])
def test_a_draw_of_the_market_from_2024_holds_the_presets_data_and_moves_every_lab_alike(draw):
    central = labs_2024.settings(market_backtest.SCENARIO, market_backtest.FROM_2024)
    drawn = odds_backtest.settings_2024(0, draw)
    names = list(labs_2024.NAMES)
    # the presets' data are observed: held, as a lab alone's Monte Carlo holds them
    for lab in labs_2024.PRESET_LABS:
        j = names.index(lab)
        for name in ("fleet_gpus", "external_financing", "lab_supply_share", "token_price"):
            assert drawn[j].values[name] == central[j].values[name], (lab, name)
    # the other labs' assumptions are drawn from their intervals, as the end-2025 labs' are
    labs, record = drawn_labs(labs_2024.LABS, 0, draw)
    gdm = names.index("google-deepmind")
    assert drawn[gdm].values["external_financing"] == pytest.approx(
        record["google-deepmind.external_financing"], rel=1e-12)
    assert drawn[gdm].values["external_financing"] != central[gdm].values["external_financing"]
    # one world: each loop input moves every lab by the same factor (unless clipped) from
    # where its lab's draw put it
    before = labs_2024.settings(market_backtest.SCENARIO, market_backtest.FROM_2024, labs)
    moved = 0
    for name in LOOP_INPUTS:
        bounds = (CATALOGUE[name].min, CATALOGUE[name].max)
        factors = {d.values[name] / c.values[name] for d, c in zip(drawn, before, strict=True)
                   if c.values[name] != 0 and d.values[name] not in bounds}
        if len(factors) > 1:
            assert max(factors) == pytest.approx(min(factors), rel=1e-9), name
        moved += any(abs(f - 1) > 1e-6 for f in factors)
    assert moved >= len(LOOP_INPUTS) // 2


def test_the_cli_gives_the_market_from_2024s_intervals(capsys):
    assert main(["backtest", "--market", "--from-2024", "--intervals", "--samples", "3",
                 "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    central = market_backtest.backtest_2024()
    assert len(rows) == len(central) == 3 * 31
    for row, (_, want) in zip(rows, central.iterrows(), strict=True):
        assert (row["observable"], row["preset"], row["step"]) == (
            want["observable"], want["preset"], want["step"])
        assert row["modelled"] == pytest.approx(want["modelled"], rel=1e-12)
        assert row["p5"] <= row["p50"] <= row["p95"]
        assert row["covered"] == (row["p5"] <= row["observed"] <= row["p95"])
        assert (row["draws"], row["seed"]) == (3, 0)
