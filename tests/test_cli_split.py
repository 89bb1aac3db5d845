"""`python -m model split` with inputs set: the seed table under the user's assumptions, and
one-line refusals before any solve."""

from __future__ import annotations

import json
import math

import pytest

import model.cli.split as split_cli
from model.cli.main import main
from model.core.presets import PRESETS
from model.policy.value_split import break_even_multiplier, value_split_table

PRESET = "ai-2027-lab-2024"
SET = {"capability_price_elasticity": "0.5"}


def test_split_takes_inputs_scenarios_and_a_gpu(capsys):
    argv = ["split", "--preset", PRESET, "--scenario", "status-quo,brakes,status-quo",
            "--set", "capability_price_elasticity=0.5", "--format", "json"]
    assert main(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["preset"] == PRESET and doc["inputs"] == SET and doc["gpu"] is None
    # the scenarios asked for, once each, in the order given
    assert [r["scenario"] for r in doc["value_split"]] == ["status-quo", "brakes"]
    # the table is the value-maximising solve with the input set (not the defaults)
    direct = value_split_table(PRESET, ["status-quo", "brakes"], overrides=SET)
    for got, want in zip(doc["value_split"], direct.to_dict("records"), strict=True):
        for key in ("research_share_year_1", "research_share_year_3", "research_share_year_5",
                    "npv_gain"):
            assert got[key] == pytest.approx(want[key], rel=1e-9, abs=1e-9), key
    assert set(doc["break_even_multiplier"]) == set(PRESETS)
    # each preset's break-even with the input set too
    want = break_even_multiplier("openai-2024", overrides=SET)
    got = doc["break_even_multiplier"]["openai-2024"]
    assert (got is None and want is None) or math.isclose(got, want, rel_tol=1e-9)
    # the table says what it was asked
    assert main(["split", "--preset", PRESET, "--scenario", "status-quo", "--set",
                 "capability_price_elasticity=0.5", "--gpu", "H100"]) == 0
    head = capsys.readouterr().out.splitlines()[0]
    assert head == (f"Value-maximising research share, preset {PRESET}, GPU H100, inputs "
                    "capability_price_elasticity=0.5")


@pytest.mark.parametrize(("argv", "needle"), [
    (["--set", "allocation_policy=fixed"], "split always chooses the value-maximising"),
    (["--scenario", "nope"], "--scenario 'nope': expected one of status-quo"),
    (["--scenario", ""], "--scenario: expected a comma-separated list"),
    (["--set", "nope=1"], "unknown input 'nope'"),
    (["--set", "software_halving_time=-1"], "software_halving_time: must not be negative"),
    (["--gpu", "Z9"], "Z9"),
    # a value one preset's break-even would refuse is refused before the table's solves
    (["--set", "share_research=0.9"], "share"),
])
def test_bad_split_input_is_one_line_before_any_solve(argv, needle, capsys, monkeypatch):
    def solved(*args, **kw):
        raise AssertionError("solved before refusing")

    monkeypatch.setattr(split_cli, "value_split_table", solved)
    monkeypatch.setattr(split_cli, "break_even_multiplier", solved)
    assert main(["split", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and needle in err, err
