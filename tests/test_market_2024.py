"""The labs of 2024 as one market (model.market.labs_2024) and the single-lab backtest's
observables read from it (model.market.backtest.backtest_2024): every value cited, the world
accounted for by hand, each lab's base year its data, the capital pool's growth passed through,
and the counts the README quotes.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

from model.cli.main import main
from model.core.sources import REFERENCES, reference_keys
from model.loop import backtest as lab_backtest
from model.market import backtest as market_backtest
from model.market import labs_2024
from model.market.backtest import FROM_2024, SCENARIO, backtest_2024, lab_frame
from model.market.engine import equilibrium
from model.market.fields import FIELDS, REQUIRED
from model.market.parameters import CHIP_PRICE_FLOOR

README = Path(__file__).resolve().parents[1] / "README.md"
DOC = Path(__file__).resolve().parents[1] / "docs" / "MODEL.md"
# The presets' base-year fleets (H100e): OpenAI's and Anthropic's 2024 cloud spend at $2 an hour
# ($7B and $2.5B over 8,760 h), Meta's ~600,000; Epoch's end-2024 medians for the other two.
FLEETS = {"openai": 7e9 / (2 * 8760), "anthropic": 2.5e9 / (2 * 8760), "meta": 600_000.0,
          "google-deepmind": 420_334.48, "xai": 203_366.32}
WORLD_2024 = 4.72e6 + 0.95e6 + 0.55e6 + 0.31e6  # Nvidia, TPU, AMD, Trainium sold by end-2024
REVENUE_2024 = {"openai": 3.7e9, "anthropic": 381e6, "meta": 0.0}


@pytest.fixture(scope="module")
def quarterly():
    return equilibrium(labs_2024.settings(SCENARIO, FROM_2024), labs_2024.NAMES,
                       years=lab_backtest.YEARS, step="quarter",
                       pool_growth=labs_2024.POOL_GROWTH.value)


@pytest.fixture(scope="module")
def table():
    return backtest_2024()


@pytest.mark.parametrize("lab", labs_2024.LABS, ids=lambda lab: lab.name)
def test_every_field_of_every_lab_is_cited_and_every_assumption_has_an_interval(lab):
    assert set(REQUIRED) <= set(lab.values) <= set(FIELDS)
    for name, (value, citation) in lab.values.items():
        keys = reference_keys(citation)
        assert keys and set(keys) <= set(REFERENCES), f"{lab.name}.{name}: {citation!r}"
        if "assumption" in keys and keys[0] == "assumption":
            assert name in lab.intervals, f"{lab.name}.{name}: an assumption with no interval"
        if name in lab.intervals:
            low, high = lab.intervals[name]
            assert low <= value <= high, (lab.name, name, value, low, high)


def test_the_world_is_accounted_for_by_hand():
    named = math.fsum(FLEETS.values())
    assert labs_2024.REST_FLEET == pytest.approx(WORLD_2024 - named, rel=1e-12)
    assert labs_2024.REST_FLEET == pytest.approx(4_764_062, rel=1e-6)
    shares = [s.values["lab_supply_share"] for s in labs_2024.settings(SCENARIO, FROM_2024)]
    assert math.fsum(shares) == pytest.approx(1.0, abs=1e-12)
    # Meta's preset takes 11% (550k of ~5M), xAI all its fleet of 2024's ~4.9M
    assert shares[2] == pytest.approx(0.11) and shares[4] == pytest.approx(203_366.32 / 4.9e6)
    # the hyperscalers' $246B less Alphabet's share for Google DeepMind and Meta's $39.23B
    gdm = 1_583_429.95 / 5.05e6 * 52.5e9
    assert labs_2024.REST_OF_WORLD.value("external_financing") == pytest.approx(
        246e9 - gdm - 39.23e9, rel=1e-12)
    assert labs_2024.POOL_GROWTH.value == pytest.approx(math.log(320 / 246), rel=1e-12)
    assert labs_2024.POOL_GROWTH.value == pytest.approx(0.2630, abs=1e-4)


def test_each_lab_starts_from_its_2024_data(quarterly):
    rows = quarterly.rows
    assert quarterly.converged
    assert np.all(rows["year"][0] == 2024)
    for j, lab in enumerate(labs_2024.NAMES):
        want = FLEETS.get(lab, labs_2024.REST_FLEET)
        assert rows["fleet_gpus"][0, j] == pytest.approx(want, rel=1e-9), lab
        if lab in REVENUE_2024:
            assert rows["inference_revenue"][0, j] == pytest.approx(REVENUE_2024[lab], rel=1e-9)
    # a lab that reports none earns its inference GPUs at the geometric mean of OpenAI's and
    # Anthropic's 2024 revenue per inference GPU
    per_gpu = math.sqrt(3.7e9 / (FLEETS["openai"] * 1.9 / 7)
                        * 381e6 / (FLEETS["anthropic"] * 1.9 / 7))
    gdm = labs_2024.NAMES.index("google-deepmind")
    assert rows["inference_revenue"][0, gdm] == pytest.approx(
        per_gpu * FLEETS["google-deepmind"] * 1.9 / 7, rel=1e-9)


def test_the_capital_pool_growth_reaches_the_labs():
    # a pool that shrinks tenfold a year must ration the labs' offers after the base year
    each = labs_2024.settings(SCENARIO, FROM_2024)
    tight = equilibrium(each, labs_2024.NAMES, years=2, step="year", pool_growth=-math.log(10))
    assert tight.financing_share[0] == 1.0
    assert tight.financing_share[1] < 0.2
    loose = equilibrium(each, labs_2024.NAMES, years=2, step="year",
                        pool_growth=labs_2024.POOL_GROWTH.value)
    assert loose.financing_share[1] > 0.9


def test_each_reading_is_the_single_labs_rule_applied_to_its_labs_rows(table, quarterly):
    at = table[table["step"] == "quarter"].set_index("observable")
    own = market_backtest.OBSERVABLES_2024
    assert len(at) == len(lab_backtest.OBSERVABLES) - 1 + len(own) == 28 + 3
    lab_of = {p: lab for lab, p in labs_2024.PRESET_LABS.items()}
    read_from = [(item, lab_of[item.preset]) for item in lab_backtest.OBSERVABLES
                 if item.observable != "H100 rent, March 2026 (1-year contracts)"]
    for item, lab in read_from + [(item, item.lab) for item in own]:
        want = lab_backtest.read(lab_frame(quarterly, lab), item) / item.observed
        assert at.loc[item.observable, "ratio"] == pytest.approx(want, rel=1e-9), item.observable
        assert at.loc[item.observable, "preset"] == f"end-2024: {lab}"


def test_no_market_reads_the_rent_its_chip_price_floor_is_set_from(table):
    # CHIP_PRICE_FLOOR is $1.70 (Oct 2025) over March 2026's $2.35, and the market from 2024
    # keeps it, so March's rent is a calibration target there as at end-2025
    (march,) = [item for item in lab_backtest.OBSERVABLES
                if item.observable in market_backtest.MARKET_TARGETS]
    assert CHIP_PRICE_FLOOR.value == pytest.approx(1.70 / march.observed, rel=1e-12)
    assert march.observable not in set(table["observable"])
    assert march.observable not in {item.observable for item in market_backtest.OBSERVABLES}
    assert "H100 rent, June 2026 (1-year contracts)" in set(table["observable"])


def test_the_markets_own_observables_read_its_other_labs_by_hand(quarterly):
    # xAI's Q3 2025: $107M x 4; Google's tokens a month: 1.3 quadrillion over 480 trillion
    # (May to October 2025), and the end-2025 market's May 2026 over October 2025, 3.2 over 1.3
    own = {item.observable: item for item in market_backtest.OBSERVABLES_2024}
    xai = own["xAI revenue, Q3 2025 (annualised)"]
    assert (xai.lab, xai.observed, xai.year, xai.length) == ("xai", 428e6, 2025.5, 0.25)
    first = own["Google tokens a month, October 2025 over May 2025"]
    assert first.observed == pytest.approx(1300 / 480, rel=1e-12)
    assert (first.since, first.year) == pytest.approx((2025 + 4.5 / 12, 2025 + 9.5 / 12))
    then = own["Google tokens a month, May 2026 over October 2025"]
    assert then.observed == pytest.approx(3.2 / 1.3, rel=1e-12) and then.since == first.year
    # the growth read is the lab's tokens served at the two times, off its step-middle path
    frame = lab_frame(quarterly, "google-deepmind")
    mid = frame["year"].to_numpy() + np.where(frame["year"].to_numpy() == 2024, 0.5, 0.125)
    tokens = frame["tokens_served"].to_numpy()
    by_hand = np.exp(np.interp([first.since, first.year], mid, np.log(tokens)))
    assert lab_backtest.read(frame, first) == pytest.approx(by_hand[1] / by_hand[0], rel=1e-9)
    for item in own.values():
        keys = reference_keys(item.source)
        assert keys and set(keys) <= set(REFERENCES) and "assumption" not in keys


def test_the_readme_quotes_the_counts_in_band(table):
    counts = [int(table[table["step"] == s]["within"].sum()) for s in ("year", "quarter", "month")]
    text = " ".join(README.read_text().split())
    found = re.search(r"\(`backtest --market --from-2024`\), (\d+), (\d+) and (\d+) land", text)
    assert found and [int(g) for g in found.groups()] == counts


@pytest.mark.parametrize("argv", [["backtest", "--from-2024"],
                                  ["backtest", "--from-2024", "--intervals"]])
def test_the_cli_refuses_from_2024_outside_the_market_in_one_line(capsys, argv):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--from-2024: with --market" in err, err


@pytest.mark.parametrize(("argv", "run"), [
    (["--from-2024"], lambda o: backtest_2024(overrides=o)),
    ([], lambda o: market_backtest.backtest(overrides=o))], ids=["from-2024", "end-2025"])
def test_the_cli_reads_either_market_with_the_readers_own_inputs(capsys, argv, run):
    # one departure in every lab: what the engine reads with the same overrides, and not the
    # defaults' readings (the departure reaches the labs)
    sets = {"capability_price_elasticity": "0", "rental_price_decline": "0"}
    assert main(["backtest", "--market", *argv, *(a for k, v in sets.items()
                                                 for a in ("--set", f"{k}={v}")),
                 "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["inputs"] == sets
    want, defaults = run(sets), run(None)
    got = [row["ratio"] for row in doc["rows"]]
    assert got == pytest.approx(list(want["ratio"]), rel=1e-12)
    assert not np.allclose(got, defaults["ratio"], rtol=1e-3)


@pytest.mark.parametrize(("argv", "message"), [
    (["--market", "--set", "lab_supply_share=0.1"], "--set lab_supply_share: a lab's own total"),
    (["--market", "--from-2024", "--set", "fleet_gpus=1e6"], "--set fleet_gpus: a lab's own"),
    (["--market", "--set", "nope=1"], "openai: unknown input 'nope'"),
    (["--market", "--from-2024", "--set", "share_research=0.9"], "shares must sum to 1")])
def test_the_markets_refuse_a_bad_set_in_one_line_before_running(capsys, monkeypatch, argv,
                                                                  message):
    import model.market.backtest as backtests

    def ran(*args, **kw):
        raise AssertionError("ran before refusing")

    monkeypatch.setattr(backtests, "equilibrium", ran)
    assert main(["backtest", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err


@pytest.mark.parametrize("lead, from_2024, end_2025", [
    (0.5, [10, 5, 3], [3, 2, 2]), (1.0, [10, 6, 6], [4, 3, 3]), (2.0, [10, 11, 11], [3, 2, 1])])
def test_the_lead_time_table_in_the_docs(lead, from_2024, end_2025):
    # docs/MODEL.md ("The market from 2024"): a renter's lead time read as a diagnosis, in band
    # at yearly, quarterly and monthly steps; no lead time lands both markets
    sets = {"deployment_lead_time": lead}
    counts = [[int(t[t["step"] == s]["within"].sum()) for s in ("year", "quarter", "month")]
              for t in (backtest_2024(overrides=sets), market_backtest.backtest(overrides=sets))]
    assert counts == [from_2024, end_2025]
    named = {0.5: "half a year", 1.0: "a year", 2.0: "two years"}[lead]
    row = f"| {named} | {' / '.join(map(str, from_2024))} | {' / '.join(map(str, end_2025))} |"
    assert row in DOC.read_text()
