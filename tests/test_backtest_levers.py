"""What it would take (model.odds.levers): the single-lab backtest with one departure from the
defaults at a time, each from its source, and all together."""

from __future__ import annotations

import json
import re

import pytest

from model.cli.main import main
from model.core.catalogue import CATALOGUE
from model.core.presets import PRESETS
from model.loop import backtest as lab_backtest
from model.odds import levers as lv


@pytest.fixture(scope="module")
def frame():
    return lv.levers()


@pytest.fixture(scope="module")
def counts(frame):
    return lv.counts(frame)


def test_the_chip_shares_are_what_each_lab_added_in_2025_over_what_was_made():
    # Epoch's end-2024 and end-2025 medians (H100e) over 2025's sales, by hand
    made = 19_737_835 - 6_531_926
    shares = lv.LEVERS[1].overrides
    assert shares["openai-2024"]["lab_supply_share"] == pytest.approx(
        (1_743_439.85 - 386_218.71) / made, rel=1e-12)
    assert shares["anthropic-2024"]["lab_supply_share"] == pytest.approx(
        (1_189_573.89 - 208_559.98) / made, rel=1e-12)
    assert 0.102 < shares["openai-2024"]["lab_supply_share"] < 0.103


def test_every_departure_names_presets_and_inputs_the_model_has():
    for lever in lv.LEVERS:
        assert lever.overrides
        for preset, values in lever.overrides.items():
            assert preset == lv.EVERY or preset in PRESETS, (lever.name, preset)
            for name, value in values.items():
                q = CATALOGUE[name]
                assert q.kind == "input" and q.min <= value <= q.max, (lever.name, name)
                assert value != q.default or preset != lv.EVERY, (lever.name, name)


def test_together_is_every_departure_at_once():
    assert lv.together().overrides == {
        lv.EVERY: {"capability_price_elasticity": 0.0, "rental_price_decline": 0.0},
        "openai-2024": {"lab_supply_share": lv.LEVERS[1].overrides["openai-2024"][
            "lab_supply_share"]},
        "anthropic-2024": {"lab_supply_share": lv.LEVERS[1].overrides["anthropic-2024"][
            "lab_supply_share"]},
        "meta-2024": {"financing_growth_years": 2.0}}


def test_a_departure_overrides_an_observable_of_its_preset_over_its_own():
    item = lab_backtest.OBSERVABLES[0]
    assert item.preset == "openai-2024"
    moved = lv.departed(item, lv.together())
    assert moved.overrides == {"allocation_policy": "inference-first",
                               "capability_price_elasticity": 0.0, "rental_price_decline": 0.0,
                               "lab_supply_share": pytest.approx(0.10277, abs=1e-5)}
    assert lv.departed(item, lv.NONE) == item


def test_without_a_departure_the_counts_are_the_backtests(counts):
    table = lab_backtest.backtest()
    expected = table.groupby("step", sort=False)["within"].sum()
    assert counts.loc[lv.NONE.name].to_dict() == expected.astype(int).to_dict()


def test_a_departure_moves_only_the_readings_of_its_presets(frame):
    none = frame[frame["lever"] == lv.NONE.name].set_index(["step", "observable"])["ratio"]
    for lever in lv.LEVERS:
        mine = frame[frame["lever"] == lever.name].set_index(["step", "observable"])
        others = mine[~mine["preset"].isin(lever.overrides)] if lv.EVERY not in \
            lever.overrides else mine.iloc[:0]
        assert (others["ratio"] == none[others.index]).all(), lever.name
        assert (mine["ratio"] != none[mine.index]).any(), lever.name


def test_no_departure_alone_lands_ten_at_every_step_and_all_together_do(counts):
    # docs/MODEL.md, "What it would take", says so
    for lever in lv.LEVERS:
        assert (counts.loc[lever.name] < 10).any(), lever.name
    assert (counts.loc[lv.together().name] >= 10).all()
    assert (counts.loc[lv.together().name] > counts.loc[lv.NONE.name]).all()


def test_the_docs_give_the_table(frame):
    from model.report.model_doc import DOC

    assert lv.markdown(frame) in DOC.read_text(), "regenerate with `make docs`"


def test_the_cli_gives_the_table_and_each_reading(capsys, counts):
    assert main(["backtest", "--levers"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("What it would take:")
    every = counts.loc[lv.together().name]
    n = len(lab_backtest.OBSERVABLES)
    assert re.search(rf"all of them together +{every['year']} of {n} +{every['quarter']} of {n} "
                     rf"+{every['month']} of {n} +no capability premium; ", out)
    assert main(["backtest", "--levers", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert len(rows) == len(counts) * 3 * len(lab_backtest.OBSERVABLES)
    assert {r["lever"] for r in rows} == set(counts.index)
    landed = sum(r["within"] for r in rows if r["lever"] == lv.NONE.name and r["step"] == "year")
    assert landed == counts.loc[lv.NONE.name, "year"]


@pytest.mark.parametrize(("argv", "message"), [
    (["backtest", "--levers", "--market"],
     "levers: the single-lab backtest's alone, without --market or --intervals"),
    (["backtest", "--levers", "--intervals"],
     "levers: the single-lab backtest's alone, without --market or --intervals"),
    (["backtest", "--levers", "--samples", "5"], "samples, seed: only with --intervals")])
def test_the_cli_refuses_levers_with_other_modes_in_one_line(capsys, argv, message):
    assert main(argv) == 2
    assert capsys.readouterr().err.strip() == f"error: {message}"


def test_the_cli_reads_the_backtest_with_the_readers_own_inputs(capsys, frame):
    # `backtest --set` is one departure the reader chooses: set as the lever of no capability
    # premium sets it, it lands what that lever lands, reading by reading
    assert main(["backtest", "--set", "capability_price_elasticity=0", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["inputs"] == {"capability_price_elasticity": "0"}
    lever = frame[frame["lever"] == "no capability premium"]
    assert len(doc["rows"]) == len(lever)
    for row, (_, want) in zip(doc["rows"], lever.iterrows(), strict=True):
        assert (row["observable"], row["step"]) == (want["observable"], want["step"])
        assert row["ratio"] == pytest.approx(want["ratio"], rel=1e-12)
        assert row["within"] == want["within"]
    assert main(["backtest", "--set", "capability_price_elasticity=0"]) == 0
    head = capsys.readouterr().out.splitlines()[0]
    landed = int(lever["within"].sum())
    assert head.startswith(f"{landed} of {len(lever)} observable readings within their band")
    assert "with capability_price_elasticity=0 in every preset" in head


@pytest.mark.parametrize(("argv", "message"), [
    (["--set", "capability_price_elasticity=0", "--intervals"],
     "--set: not with --intervals or --levers"),
    (["--set", "capability_price_elasticity=0", "--levers"],
     "--set: not with --intervals or --levers"),
    (["--set", "nope=1"], "unknown input 'nope'"),
    # one preset's shares would not sum to 1: refused before any preset is run
    (["--set", "share_research=0.9"], "shares must sum to 1"),
])
def test_the_cli_refuses_a_bad_set_in_one_line(capsys, monkeypatch, argv, message):
    import model.cli.backtest as cli_backtest

    def ran(*args, **kw):
        raise AssertionError("ran before refusing")

    monkeypatch.setattr(cli_backtest, "backtest", ran)
    assert main(["backtest", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err
