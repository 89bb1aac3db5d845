"""`python -m model market`: the market of labs from the command line, strict JSON with the
issue's fields (the deviation gain and the joint optimum null, with the reason), CSV and table,
edits through --set and market files, and one-line errors."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from model.cli.main import main

BASE = ["market", "--years", "3", "--step", "year"]


def _strict(text: str) -> dict:
    def refuse(constant):
        raise ValueError(f"non-strict JSON constant {constant}")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture(scope="module")
def doc():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main([*BASE, "--format", "json"]) == 0
    return _strict(out.getvalue())


def test_json_has_the_issues_fields(doc):
    assert doc["labs"] == ["openai", "anthropic", "google-deepmind", "xai", "meta",
                           "rest-of-world"]
    assert doc["converged"] is True and doc["iterations"] >= 1 and doc["change"] <= 1e-6
    assert doc["max_deviation_gain"] is None and "not computed" in doc["max_deviation_gain_note"]
    assert doc["joint"] is None and "Not a forecast" in doc["caveat"]
    keys = {"lab", "year", "share_research", "share_inference", "fleet_gpus", "market_share",
            "revenue", "npv"}
    assert all(set(r) == keys for r in doc["records"])
    assert len(doc["records"]) == 6 * 3  # six labs, the base year and two yearly steps


def test_the_base_year_is_each_labs_sourced_state(doc):
    first = {r["lab"]: r for r in doc["records"] if r["year"] == 2025}
    assert first["openai"]["fleet_gpus"] == pytest.approx(1_743_439.85)
    assert first["openai"]["share_inference"] == pytest.approx(0.5)
    assert first["anthropic"]["share_inference"] == pytest.approx(0.4)
    assert first["openai"]["revenue"] == pytest.approx(13.1e9, rel=1e-9)
    # customers' shares sum to 1 every step
    for year in {r["year"] for r in doc["records"]}:
        shares = [r["market_share"] for r in doc["records"] if r["year"] == year]
        assert sum(shares) == pytest.approx(1, abs=1e-9)
    index = doc["chip_price_index"]
    assert index[0]["value"] == pytest.approx(1) and len(index) == 3


def test_set_edits_the_labs(capsys):
    # (a removal starts with '-', so it is given as --set=-NAME, as argparse needs)
    assert main([*BASE, "--format", "json", "--set=-xai", "--set", "+rival=anthropic"]) == 0
    labs = _strict(capsys.readouterr().out)["labs"]
    assert "xai" not in labs and labs[-1] == "rival"


def test_a_market_file_then_set(tmp_path, capsys):
    path = tmp_path / "m.toml"
    path.write_text('remove = ["meta"]\n[edit.openai]\nfleet_gpus = "2e6 GPU"\n')
    assert main([*BASE, "--format", "csv", "--market-file", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "lab,year,share_research,share_inference,fleet_gpus,market_share,revenue,npv"
    assert not any(line.startswith("meta,") for line in lines)
    assert float(next(x for x in lines if x.startswith("openai,2025")).split(",")[4]) == 2e6


@pytest.mark.parametrize("argv", [
    ["--set", "openai.fleet_gpus=9**9**9"],
    ["--set", "nosuchlab.fleet_gpus=1"],
    ["--scenario", "nonsense"],
    ["--market-file", "/nonexistent/market.toml"],
])
def test_bad_input_is_one_line_and_exit_2(argv, capsys):
    assert main([*BASE, *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and len(err) <= 310


def test_the_table_says_what_it_is(capsys):
    assert main(BASE) == 0
    out = capsys.readouterr().out
    assert "converged in" in out and "no best responses yet" in out and "rest-of-world" in out
