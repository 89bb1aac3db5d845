"""The answer with its odds (issue 19, points 3, 4 and 6): draws are reproducible from (seed,
draw) alone; the same numbers in this process and on a two-worker dask LocalCluster; finished
draws are read back, not recomputed; constructed markets give the odds they must; and the
command's JSON has the keys the issue names. A tiny market (OpenAI and Anthropic, 2025-2027 at
yearly steps) keeps each solve to seconds."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from model.cli.main import main
from model.core.resolve import input_quantity
from model.loop.scenario_list import OPEN_LOOP
from model.market.answer import trend
from model.market.fields import SHARES
from model.market.single_lab import lab_settings
from model.market.world import MARKET
from model.odds import results
from model.odds.draws import HELD, draw_settings
from model.odds.outcome import Spec
from model.odds.run import odds_records, run_draws
from model.odds.summary import binomial, drivers, summaries

TINY = MARKET[:2]  # openai, anthropic
SPEC = Spec(labs=TINY, years=3, step="year", seed=7)
TASKS = [("status-quo", d) for d in range(4)]


def _numbers(record: dict) -> dict:
    return {k: v for k, v in record.items() if k not in ("seconds", "config")}


def test_a_draw_is_its_seed_and_index():
    a, inputs = draw_settings(MARKET, "ai-2027", {}, 3, 5)
    b, again = draw_settings(MARKET, "ai-2027", {}, 3, 5)
    _, other = draw_settings(MARKET, "ai-2027", {}, 3, 6)
    assert inputs == again and inputs != other
    assert [s.values for s in a] == [s.values for s in b]
    # every scenario meets the same draw of the labs (common random numbers)
    _, quo = draw_settings(MARKET, "status-quo", {}, 3, 5)
    assert {k: v for k, v in quo.items() if "." in k} == {k: v for k, v in inputs.items()
                                                         if "." in k}
    for lab, s in zip(MARKET, a, strict=True):
        assert math.fsum(s.values[n] for n in SHARES) == pytest.approx(1.0, abs=1e-12)
        base = lab_settings(lab, "ai-2027")
        # the held inputs keep the lab's own; a loop input is one factor for every lab
        assert s.values["lab_supply_share"] == base.values["lab_supply_share"]
        assert s.values["software_returns"] == pytest.approx(
            base.values["software_returns"] * inputs["software_returns"])
    assert "token_price" in HELD and "token_price" not in inputs


def test_inputs_the_user_sets_are_not_drawn():
    settings, inputs = draw_settings(TINY, None, {"capability_price_elasticity": 0.5}, 0, 1)
    assert "capability_price_elasticity" not in inputs
    assert {s.values["capability_price_elasticity"] for s in settings} == {0.5}


def test_odds_and_drivers_from_records():
    assert binomial([True, False, True, True]) == (0.75, pytest.approx(math.sqrt(0.75 * 0.25 / 4)))
    assert binomial([]) == (None, None)
    rng = np.random.default_rng(0)
    records = []
    for d in range(20):
        x, noise = rng.normal(size=2)
        records.append({"scenario": "s", "draw": d, "eq_converged": True,
                        "eq_log_change": -x, "pt_log_change": math.log(0.5),
                        "eq_ratio_2025": 1.0, "eq_ratio_2026": 1.0, "eq_ratio_2027": math.exp(-x),
                        "pt_ratio_2025": 1.0, "pt_ratio_2026": 1.0, "pt_ratio_2027": 0.5,
                        "in:moves": x, "in:noise": noise, "in:still": 1.0})
    (s,) = summaries(records, ["s"])
    # the one test, on research's share of research + inference from 2026: 50% -> e^-x / (1 +
    # e^-x), which falls by more than a point once x > ln(51/49) and rises once x < -ln(51/49)
    xs, edge = [-r["eq_log_change"] for r in records], math.log(0.51 / 0.49)
    assert s["p_research_share_falls"] == pytest.approx(np.mean([x > edge for x in xs]))
    assert s["trends"]["rises"] == pytest.approx(np.mean([x < -edge for x in xs]))
    assert s["trends"]["flat"] == pytest.approx(np.mean([abs(x) <= edge for x in xs]))
    assert s["drivers"][0]["input"] == "moves"
    assert s["drivers"][0]["spearman_rho"] == pytest.approx(-1.0)
    assert s["drivers"][0]["p_value"] < 1e-6 and s["drivers"][0]["inputs_tested"] == 2
    assert [d["input"] for d in s["drivers"]] == ["moves", "noise"]  # 'still' does not vary
    assert s["drivers_price_taker"] == []  # the outcome does not vary
    assert s["p_research_share_falls_price_taker"] == 1.0
    assert s["ratio_paths"]["years"] == [2025.0, 2026.0, 2027.0]
    assert s["ratio_paths"]["p5"][2] < s["ratio_paths"]["p50"][2] < s["ratio_paths"]["p95"][2]
    assert drivers(records[:2], "eq_log_change") == []


def test_the_odds_count_what_the_one_test_calls_falls():
    """A draw falls when research's share of research + inference, from the first year after
    the base year, falls by the test every surface uses (model.core.trend): 75% -> 50% ->
    55% is 'falls, then rises', though it ends lower (which the ends alone would call falls)."""
    paths = {"falls, then rises": [1.0, 3.0, 1.0, 1.2], "falls": [1.0, 3.0, 2.0, 1.0],
             "flat": [1.0, 1.0, 1.01, 1.0], "rises": [1.0, 1.0, 2.0, 3.0]}
    records = [{"scenario": "s", "draw": d, "eq_converged": True, "eq_log_change": 0.0,
                "pt_log_change": 0.0, **{f"{tag}_ratio_{2025 + k}": v for k, v in enumerate(path)
                                          for tag in ("eq", "pt")}}
               for d, path in enumerate(paths.values())]
    (s,) = summaries(records, ["s"])
    assert s["p_research_share_falls"] == s["p_research_share_falls_price_taker"] == 0.25
    # the net move: 75% -> 55% and 75% -> 50% end more than a point lower; flat and rises do not
    assert s["p_research_share_ends_lower"] == s["p_research_share_ends_lower_price_taker"] == 0.5
    assert s["trends"] == s["trends_price_taker"] == {
        "falls": 0.25, "rises": 0.25, "flat": 0.25, "rises, then falls": 0.0,
        "falls, then rises": 0.25}
    assert [trend(p) for p in paths.values()] == list(paths)


def test_the_odds_over_the_draws_in_equilibrium_alone():
    """Draws that did not reach an equilibrium count in the odds as solved; beside them, the
    odds of ending lower over the solved draws alone. Of four draws (ends lower, lower, not,
    not) the first and the third solved: 1/2 over them against 2/4 over all, and with none
    solved there are no odds to give."""
    paths = [[1.0, 3.0, 1.0], [1.0, 3.0, 1.0], [1.0, 1.0, 3.0], [1.0, 1.0, 1.0]]
    records = [{"scenario": "s", "draw": d, "eq_converged": d in (0, 2), "eq_log_change": 0.0,
                "pt_log_change": 0.0, **{f"{tag}_ratio_{2025 + k}": v for k, v in enumerate(path)
                                          for tag in ("eq", "pt")}}
               for d, path in enumerate(paths)]
    (s,) = summaries(records, ["s"])
    assert s["share_converged"] == 0.5 and s["p_research_share_ends_lower"] == 0.5
    assert s["p_research_share_ends_lower_converged"] == 0.5
    assert s["p_research_share_ends_lower_converged_se"] == pytest.approx(math.sqrt(0.25 / 2))
    records[2]["eq_converged"] = False
    (s,) = summaries(records, ["s"])
    assert s["p_research_share_ends_lower_converged"] == 1.0  # the one solved draw ends lower
    assert s["share_converged"] == 0.25
    for r in records:
        r["eq_converged"] = False
    (s,) = summaries(records, ["s"])
    assert s["share_converged"] == 0.0
    assert s["p_research_share_ends_lower_converged"] is None
    assert s["p_research_share_ends_lower_converged_se"] is None


@pytest.fixture(scope="module")
def serial():
    return run_draws(SPEC, TASKS)


def test_two_workers_give_the_serial_numbers_and_a_rerun_reads_what_is_done(serial, tmp_path):
    """Draws 0-1 are on disk (as a stopped run leaves them); a run of 4 draws on a two-worker
    LocalCluster computes only draws 2-3, and they equal this process's; a third run computes
    nothing."""
    config = results.config_key(SPEC)
    for record in serial[:2]:
        results.write(tmp_path, config, record)
    records, computed = odds_records(SPEC, ["status-quo"], 4, workers=2, folder=tmp_path)
    assert computed == 2
    assert [_numbers(r) for r in records] == [_numbers(r) for r in serial]
    assert len(list(tmp_path.glob(f"{config}_status-quo_7_*.parquet"))) == 4
    again, computed = odds_records(SPEC, ["status-quo"], 4, workers=0, folder=tmp_path)
    assert computed == 0 and [_numbers(r) for r in again] == [_numbers(r) for r in serial]
    # a draw records whether every market its equilibrium's check re-solved cleared, and a
    # converged one cleared them all
    assert all(isinstance(r["eq_cleared"], bool) and (r["eq_cleared"] or not r["eq_converged"])
               for r in again)
    # another configuration in the same folder is another set of draws
    assert results.config_key(Spec(labs=TINY, years=4, step="year", seed=7)) != config


def test_a_draw_reads_its_years_of_a_longer_solve():
    """The labs choose over `lookahead` years beyond those read: the record holds the years
    read alone (2025-2027 here), and what the labs chose there depends on the years beyond
    (measured, draw 1: the price-takers' 2027 ratio of research to inference 1.38 solved to
    2027, 2.07 to 2029: the horizon's last year cuts research)."""
    short = run_draws(Spec(labs=TINY, years=3, step="year", seed=7, lookahead=0),
                      [("status-quo", 1)])[0]
    long = run_draws(Spec(labs=TINY, years=3, step="year", seed=7, lookahead=2),
                     [("status-quo", 1)])[0]
    ratios = [k for k in long if k.startswith("eq_ratio_")]
    assert ratios == ["eq_ratio_2025", "eq_ratio_2026", "eq_ratio_2027"]
    assert ratios == [k for k in short if k.startswith("eq_ratio_")]
    assert long["eq_ratio_2025"] == short["eq_ratio_2025"]  # the observed base year
    assert long["pt_ratio_2027"] > short["pt_ratio_2027"] * 1.3
    assert results.config_key(Spec(labs=TINY, years=3, step="year", seed=7, lookahead=2)) \
        != results.config_key(Spec(labs=TINY, years=3, step="year", seed=7, lookahead=0))


def test_a_changed_model_never_reads_the_draws_of_the_old_one(monkeypatch):
    """The key holds a digest of the model's code: draws a stale model wrote (same labs, same
    seeds) are another configuration's, never read back as this model's."""
    before = results.config_key(SPEC)
    assert len(results.model_digest()) == 16
    monkeypatch.setattr(results, "model_digest", lambda: "0" * 16)
    assert results.config_key(SPEC) != before


# Constructed markets (measured with this tiny market, 2026 to 2027, and 2026 to 2028 at draws
# 0-1): where customers pay a flat price for every token and capability earns nothing, the
# labs move their fleets to inference (research/inference 1.04 -> 0.51 -> 0.20 in draw 0);
# where tokens earn nothing, research takes the fleet (1.1 -> 6.9 -> 202 in draw 1). The
# closed loop's own demand is no such market: the frontier's falling price erodes what
# inference earns, so capability_price_elasticity=0 alone still saw research rise (1.04 ->
# 114 at 2028): there research earns nothing but neither does serving. Research pays in the
# second market through the scarcity price, uncapped there (scarcity_price_cap 1e9): capped at
# twice the competitive price, as a market's labs are by default, tokens at the lowest price earn
# nothing whatever capability adds, and the price-takers then split on what little serving earns.
INFERENCE_PAYS = {**OPEN_LOOP, "frontier_price_decline": 0.0, "capability_price_elasticity": 0.0}


@pytest.mark.parametrize(("inputs", "odds"), [
    (INFERENCE_PAYS, 1.0),
    ({"token_price": "TOKEN_MIN", "capability_price_elasticity": 5.0,
      "scarcity_price_cap": 1e9}, 0.0),
], ids=["research-earns-nothing", "inference-earns-nothing"])
def test_constructed_markets_give_the_odds_they_must(inputs, odds):
    inputs = {k: input_quantity("token_price").min if v == "TOKEN_MIN" else v
              for k, v in inputs.items()}
    # The labs choose over the three years read alone: these markets are what they must be only
    # that far. Chosen to 2031, the open loop's demand, growing without a ceiling, made the
    # price-taking OpenAI's NPV $7.5T (to 2027: $171B), and research that earns nothing on the
    # price still paid over seven years (research 61-95% of its fleet in 2026-2029, draw 0).
    spec = Spec(labs=TINY, years=3, step="year", seed=0, overrides=inputs, lookahead=0)
    (s,) = summaries(run_draws(spec, [("status-quo", d) for d in range(3)]), ["status-quo"])
    assert s["p_research_share_falls"] == odds
    assert s["p_research_share_falls_price_taker"] == odds


def test_the_command_reports_odds_per_scenario(tmp_path, capsys):
    argv = ["odds", "--preset", "frontier-2025", "--set=-google-deepmind", "--set=-xai",
            "--set=-meta", "--years", "3", "--samples", "2", "--workers", "0", "--seed", "7",
            "--scenario", "status-quo", "--results", str(tmp_path), "--format", "json"]
    assert main(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    (s,) = doc["scenarios"]
    assert {"scenario", "p_research_share_falls", "p_research_share_falls_price_taker",
            "drivers"} <= set(s)
    assert s["scenario"] == "status-quo" and s["samples"] == 2 and doc["computed"] == 2
    assert set(s["ratio_paths"]) == {"years", "p5", "p50", "p95"}
    assert main(argv) == 0 and json.loads(capsys.readouterr().out)["computed"] == 0
    # the table as read: the draws in equilibrium, and the odds of ending lower over them
    assert main(argv[:-2]) == 0
    text = capsys.readouterr().out
    assert "in equilibrium: P(ends lower) over them" in text
    # what moves each lab alone's answer beside the equilibrium's (its own column)
    assert "drivers (Spearman rho, equilibrium)" in text and "drivers (price-takers)" in text
    solved = round(s["share_converged"] * 100)
    shown = ("n/a" if s["p_research_share_ends_lower_converged"] is None else
             f"{round(s['p_research_share_ends_lower_converged'] * 100)}% ± ")
    assert f"{solved}%: {shown}" in text


@pytest.mark.parametrize("argv", [
    ["odds", "--samples", "0"], ["odds", "--seed", "-1"], ["odds", "--workers", "-2"],
    ["odds", "--scenario", "nope"], ["odds", "--years", "2", "--workers", "0"],
    ["odds", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"],
    ["odds", "--input", "no_such_input=1", "--workers", "0"],
    ["odds", "--results", "/proc/no/such", "--workers", "0"],
    ["odds", "--lookahead", "-1", "--workers", "0"], ["odds", "--lookahead", "21"],
])
def test_bad_input_is_one_line_and_exit_2(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1


@pytest.mark.parametrize(("argv", "needle"), [
    # distributed's ValueError was a traceback, after the labs were resolved
    (["--scheduler", "nonsense"], "--scheduler 'nonsense': missing port number"),
    (["--scheduler", "foo://x:1"], "unknown address scheme 'foo'"),
    (["--scheduler", "tcp://x:0"], "port 0 is outside 1 to 65535"),
    # an empty value was read as not given: a local cluster started instead
    (["--scheduler", ""], "--scheduler: expected"),
    # an empty scenario list ran every scenario, as if the option had not been given
    (["--workers", "0", "--scenario", ""], "--scenario: expected a comma-separated list"),
    (["--workers", "0", "--scenario", "status-quo,nope"], "--scenario 'nope': expected one of"),
    (["--workers", "0", "--market-file", ""], "--market-file: expected"),
    # a name given twice was a silent last-wins
    (["--workers", "0", "--input", "fleet_gpus=1e5", "--input", "fleet_gpus=2e5"],
     "--input: 'fleet_gpus' set twice"),
    # every draw is a market: as large a one as `market` allows, no larger (the years beyond
    # those read are trimmed to fit: below)
    (["--workers", "0", "--years", "41"], "6 labs x 41 yearly steps"),
    (["--workers", "0", "--years", "41", "--lookahead", "0"], "6 labs x 41 yearly steps"),
])
def test_odds_refuses_before_any_draw(argv, needle, capsys):
    assert main(["odds", "--no-results", "--scenario", "status-quo", "--samples", "1",
                 *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and needle in err, err


@pytest.mark.parametrize(("years", "asked", "chosen"), [(37, 4, 3), (40, 1, 0), (36, 4, 4)])
def test_odds_trim_the_years_beyond_to_the_size_limit(years, asked, chosen, monkeypatch,
                                                       capsys):
    """As `market` does, the odds choose over as many of the --lookahead years as keep 6 labs
    x steps within 240, say so on one line, and record what they chose over."""
    import model.odds.run as odds_run

    seen = {}

    def stop(spec, *args, **kw):
        seen["spec"] = spec
        raise TimeoutError("stopped before any draw")

    monkeypatch.setattr(odds_run, "odds_records", stop)
    assert main(["odds", "--no-results", "--scenario", "status-quo", "--samples", "1",
                 "--workers", "0", "--years", str(years), "--lookahead", str(asked)]) == 2
    assert seen["spec"].lookahead == chosen and seen["spec"].years == years
    err = capsys.readouterr().err
    note = (f"lookahead: {asked} years beyond --years {years} would be more than 240 labs x "
            f"steps for 6 labs; the labs choose {chosen} years beyond")
    assert (note in err) == (chosen < asked), err
