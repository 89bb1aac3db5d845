"""The backtest (issue 10): each preset from its base year beside later published observables."""

from __future__ import annotations

import json

import pytest

from model.cli.main import main
from model.core.presets import PRESETS
from model.core.resolve import resolve
from model.core.sources import REFERENCES, reference_keys
from model.loop.backtest import MAX_BAND_WIDTH, OBSERVABLES, backtest
from model.loop.projection import project
from model.loop.scenarios import scenario_settings

TABLE = backtest()


def test_at_least_six_published_later_observables():
    assert len(OBSERVABLES) >= 6
    for item in OBSERVABLES:
        assert item.preset in PRESETS
        assert item.year > resolve(item.preset).values["start_year"], item.observable
        keys = reference_keys(item.source)
        assert keys and all(k in REFERENCES for k in keys), item.source


def test_no_band_is_wider_than_a_factor_of_1_5():
    for item in OBSERVABLES:
        low, high = item.band
        assert 0 < low <= 1 <= high and high / low <= MAX_BAND_WIDTH, item.observable


@pytest.mark.parametrize("row", TABLE.to_dict("records"), ids=lambda r: r["observable"])
def test_every_ratio_lies_in_its_band(row):
    assert row["ratio"] == pytest.approx(row["modelled"] / row["observed"])
    assert row["band_low"] <= row["ratio"] <= row["band_high"], row


def test_cli_backtest_json(capsys):
    assert main(["backtest", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert len(rows) == len(OBSERVABLES)
    for row in rows:
        assert {"observable", "year", "observed", "modelled", "unit", "source", "ratio"} <= set(row)
        assert row["within"] is True


def test_cli_backtest_table(capsys):
    assert main(["backtest"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{len(OBSERVABLES)} of {len(OBSERVABLES)} observables within")


@pytest.mark.parametrize(("preset", "revenue", "within"), [
    ("openai-2024", 3.7e9, 0.01),  # token_price derived from it
    # derived from $4B without the competition floor, which the price reaches within 2024
    ("ai-2027-lab-2024", 4.0e9, 0.05),
])
def test_calibrated_presets_earn_their_base_year_revenue(preset, revenue, within):
    first = project(scenario_settings(preset, "status-quo"), 1, "year").iloc[0]
    assert first["inference_revenue"] == pytest.approx(revenue, rel=within)
