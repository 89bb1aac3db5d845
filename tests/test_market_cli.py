"""`python -m model market`: the market of labs from the command line, strict JSON with the
issue's fields (the Nash equilibrium, its deviation check, the joint optimum and the race; under
--choice policy the deviation gain and the joint optimum null, with the reason), CSV and table,
edits through --set and market files, and one-line errors."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from model.cli.main import main
from model.market.nash import DEVIATION_TOLERANCE

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
    assert doc["choice"] == "nash" and doc["converged"] is True and doc["rounds"] >= 1
    assert len(doc["round_gains"]) >= doc["rounds"]
    assert min(doc["round_gains"]) <= DEVIATION_TOLERANCE  # the check decides (model.market.nash)
    assert doc["max_deviation_gain"] <= DEVIATION_TOLERANCE
    assert set(doc["deviation_gain"]) == set(doc["labs"]) and "Not a forecast" in doc["caveat"]
    keys = {"lab", "year", "share_research", "share_inference", "fleet_gpus", "market_share",
            "revenue", "npv", "share_research_joint", "share_research_price_taker", "race"}
    assert all(set(r) == keys for r in doc["records"])
    assert len(doc["records"]) == 6 * 3  # six labs, the base year and two yearly steps
    # over the years the labs chose (to 2031: four beyond those shown), one owner is worth at
    # least the equilibrium; the records' NPVs are at their own steps
    joint, nash_npv = doc["joint"], doc["summed_npv"]
    assert doc["lookahead"] == 4
    assert joint["npv"] >= nash_npv - 1e-6 * abs(nash_npv)
    assert {r["lab"] for r in joint["records"]} == set(doc["labs"])
    for r in doc["records"]:  # the race is Nash's research share less the joint's
        assert r["race"] == pytest.approx(r["share_research"] - r["share_research_joint"],
                                          abs=1e-12)
    mean = {lab: sum(r["race"] for r in doc["records"] if r["lab"] == lab) / 3
            for lab in doc["labs"]}
    assert doc["race"] == pytest.approx(mean, abs=1e-12)


def test_policy_keeps_the_labs_policies_and_says_why_nothing_is_chosen(capsys):
    assert main([*BASE, "--choice", "policy", "--format", "json"]) == 0
    doc = _strict(capsys.readouterr().out)
    assert doc["converged"] is True and doc["iterations"] >= 1 and doc["change"] <= 1e-6
    assert doc["max_deviation_gain"] is None and "not computed" in doc["max_deviation_gain_note"]
    assert doc["joint"] is None


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
    # the one capital market: every lab raises all of its offer in the observed base year,
    # and never more than all of it
    financing = doc["financing_share"]
    assert [f["year"] for f in financing] == [i["year"] for i in index]
    assert financing[0]["value"] == 1 and all(0 < f["value"] <= 1 for f in financing)


def test_set_edits_the_labs(capsys):
    # (a removal starts with '-', so it is given as --set=-NAME, as argparse needs)
    assert main([*BASE, "--format", "json", "--set=-xai", "--set", "+rival=anthropic"]) == 0
    labs = _strict(capsys.readouterr().out)["labs"]
    assert "xai" not in labs and labs[-1] == "rival"


def test_a_market_file_then_set(tmp_path, capsys):
    path = tmp_path / "m.toml"
    path.write_text('remove = ["meta"]\n[edit.openai]\nfleet_gpus = "2e6 GPU"\n')
    assert main([*BASE, "--choice", "policy", "--format", "csv", "--market-file", str(path)]) == 0
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


@pytest.mark.parametrize(("argv", "needle"), [
    # each ran for minutes: 6 labs x 400 steps, 6 x 397 monthly, 64 labs x 10
    (["market", "--years", "400"], "6 labs x 400 yearly steps is 2,400 labs x steps"),
    (["market", "--years", "34", "--step", "month"], "6 labs x 397 monthly steps"),
    (["market", "--years", "11", "--step", "quarter"], "6 labs x 41 quarterly steps"),
    (["market", *[f"--set=+rival{i}=anthropic" for i in range(58)]], "64 labs x 10 yearly"),
    # an empty path was read as no market file
    (["market", "--market-file", ""], "--market-file: expected"),
])
def test_a_market_too_large_or_an_empty_file_is_refused_before_any_work(argv, needle, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and needle in err, err


def test_the_largest_market_documented_is_allowed():
    from model.cli.market import check_size
    from model.market.world import MARKET

    check_size(MARKET, 10, "quarter")  # the 10-year quarterly benchmark: 6 x 37
    check_size(MARKET, 40, "year")


def test_the_table_says_what_it_is(capsys):
    assert main(BASE) == 0
    out = capsys.readouterr().out
    assert "equilibrium in" in out and "joint optimum" in out and "rest-of-world" in out
    assert "race: Nash less joint" in out and "Not a forecast" in out
    assert main([*BASE, "--choice", "policy"]) == 0
    assert "each lab keeping its allocation policy: cleared step by step" in capsys.readouterr().out


def test_preset_chooses_the_labs(capsys):
    assert main([*BASE, "--preset", "frontier-2025", "--choice", "policy", "--format",
                 "json"]) == 0
    assert _strict(capsys.readouterr().out)["labs"] == ["openai", "anthropic",
                                                        "google-deepmind", "xai", "meta"]
    from model.market.presets import PRESETS
    from model.market.world import MARKETS

    assert tuple(MARKETS) == PRESETS
    assert main([*BASE, "--preset", "frontier-2025", "--market-file", "m.toml"]) == 2
    assert "not allowed with" in capsys.readouterr().err


def test_yearly_steps_say_they_are_annual_summaries(capsys):
    # docs/MODEL.md, "The market's steps": yearly fleets and NPVs part from monthly ones by up
    # to 57%; quarterly steps say nothing more
    from model.cli.market import CAVEAT, YEARLY

    assert main([*BASE, "--choice", "policy"]) == 0  # yearly, the market's default
    assert capsys.readouterr().out.rstrip().endswith(CAVEAT + YEARLY)
    two = ["market", "--years", "2", "--choice", "policy", "--format", "json"]
    assert main([*two, "--step", "quarter"]) == 0
    assert json.loads(capsys.readouterr().out)["caveat"] == CAVEAT
    assert main(two) == 0
    assert json.loads(capsys.readouterr().out)["caveat"] == CAVEAT + YEARLY
