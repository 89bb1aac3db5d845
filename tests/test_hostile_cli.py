"""Careless input found by fuzzing the CLI (December 2026): each now ends in one line or a note,
never a traceback, a read without end, or a silently accepted value."""

from __future__ import annotations

import math
import os
import sys

import pytest

from model.cli.main import main
from model.core.resolve import parse_input
from model.report.excel_text import excel_text


def test_numbers_beyond_the_default_decimal_precision_are_shown():
    # the decimal context's 28 digits refused to round 1e28 and up: a rent rising 2 e-folds a
    # year for 40 years (an allowed input) crashed the table
    assert excel_text("#,##0", 1e30) == "1," + ",".join(["000"] * 10)
    assert excel_text("0.00E+00", -1e300) == "-1.00E+300"
    assert excel_text("#,##0", sys.float_info.max).startswith("179,769,313,486,231,57")
    assert excel_text('"$"#,##0.00', math.inf) == "$inf"
    assert excel_text("0.00E+00", -math.inf) == "-inf"
    assert excel_text("#,##0.00", 0.125) == "0.13"  # half away from zero, as before


def test_a_projection_beyond_floating_point_runs_and_says_where(capsys):
    assert main(["run", "--years", "40", "--step", "year", "--set",
                 "rental_price_decline=-2"]) == 0
    out, err = capsys.readouterr()
    assert "T/year" in out and err == ""  # astronomic, but finite: shown whole, no note
    assert main(["run", "--years", "400", "--step", "year", "--set", "rental_price_decline=-2",
                 "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert err.startswith("note: from 2375 the projection leaves floating point")
    assert err.count("\n") == 1 and '"npv": null' in out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a FIFO")
@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_workbook_that_is_a_pipe_or_a_device_is_refused(tmp_path, capsys, kind):
    path = tmp_path / "book.xlsx"
    if kind == "fifo":
        os.mkfifo(path)  # reading it would wait for a writer for ever
    else:
        path.symlink_to("/dev/zero")  # size 0, then bytes without end
    assert main(["budget", "--from-workbook", str(path)]) == 2
    assert capsys.readouterr().err.strip().endswith("book.xlsx: not a readable file")


@pytest.mark.parametrize(("argv", "message"), [
    (["run", "--seed", "3"], "--seed: only with --samples"),
    (["run", "--scenario", ""], "--scenario: expected a scenario name, got an empty value"),
    (["run", "--set", "fleet_gpus=1.0000001e9"],
     "fleet_gpus: 1000000100 is outside its bounds [1, 1e+09] GPU"),
    (["run", "--set", "software_halving_time=0.08"],
     "software_halving_time: 0.08 is outside its bounds [0.083333333333333329, 5] year"),
    (["odds", "--input", "bogus=1"], "--input: unknown input 'bogus'"),
    (["sensitivity", "--output", "year"], "unknown output 'year'"),  # swung 0 at every input
    (["run", "--bogus"], "unrecognized arguments: --bogus (see `python -m model run --help`)"),
    (["market", "--years", "2", "--bogus", "x"],
     "unrecognized arguments: --bogus x (see `python -m model market --help`)"),
])
def test_careless_options_get_one_line(capsys, argv, message):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"error: {message}"), err


def test_the_seed_still_seeds_the_samples(capsys):
    assert main(["run", "--years", "2", "--samples", "20", "--format", "json"]) == 0
    default = capsys.readouterr().out
    assert main(["run", "--years", "2", "--samples", "20", "--seed", "0", "--format",
                 "json"]) == 0
    assert capsys.readouterr().out == default


@pytest.mark.parametrize(("text", "value"), [
    ("0.3 1/year", 0.3), ("0.3 1 / year", 0.3), ("0.01 1/month", 0.12), ("30 %/year", 0.3)])
def test_a_reciprocal_unit_reads_as_the_catalogue_writes_it(text, value):
    # `list` gives 1/year as the unit --set takes
    assert parse_input("price_performance_growth", text) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("text", ["0.3 1/", "0.3 11/year", "0.3 1/1/year", "0.3 1/GPU"])
def test_a_reciprocal_unit_is_still_checked(text):
    from model.core.errors import InputError

    with pytest.raises(InputError, match="price_performance_growth"):
        parse_input("price_performance_growth", text)


def test_a_training_run_on_more_gpus_than_the_fleet_is_noted(capsys):
    assert main(["training-run", "--set", "training_gpus=1e8", "--set", "fleet_gpus=1"]) == 0
    assert capsys.readouterr().err == (
        "note: training_gpus 100,000,000 is more than the fleet's 1 GPUs (fleet_gpus): the run's "
        "share of a fleet-year counts GPUs the fleet does not have\n")
    assert main(["training-run", "--preset", "deepseek-v3"]) == 0  # 2,048 of 2,048
    assert capsys.readouterr().err == ""


def test_columns_are_each_shown_once_after_the_year(capsys):
    assert main(["run", "--years", "2", "--step", "year", "--columns",
                 "fleet_gpus,fleet_gpus"]) == 0
    header = capsys.readouterr().out.split("\n\n", 1)[1].splitlines()[0]
    assert header.split() == ["year", "fleet_gpus"]
    assert main(["run", "--years", "2", "--step", "year", "--format", "csv", "--columns",
                 "fleet_gpus,year,fleet_gpus"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "year,fleet_gpus"


def test_list_shows_each_bound_exactly(capsys):
    # shown as the app shows a value, 1/12 of a year read 0.08, a value --set refuses
    assert main(["list"]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines()
               if line.startswith("software_halving_time "))
    assert row.split()[4:6] == ["0.083333333333333329", "5"]
    assert float(row.split()[4]) == 1 / 12


def test_list_bounds_read_back_as_the_bounds_for_every_input(capsys):
    from model.core.catalogue import CATALOGUE

    assert main(["list"]) == 0
    text = capsys.readouterr().out.split("\nPARAMETERS\n", 1)[1]
    header, rule, *lines = text.splitlines()
    starts = [header.index(c) for c in ("min", "max", "source")]
    checked = 0
    for line in lines:
        name = line.split(" ", 1)[0]
        q = CATALOGUE.get(name)
        if q is None or not q.is_input or q.kind == "choice":
            continue
        low, high = (line[a:b].strip() for a, b in zip(starts, starts[1:], strict=False))
        assert (float(low), float(high)) == (q.min, q.max), name
        checked += 1
    assert checked == sum(q.is_input and q.kind != "choice" for q in CATALOGUE.values())


def test_a_market_of_one_lab_says_so(capsys):
    assert main(["market", "--preset", "frontier-2025", "--set=-xai", "--set=-anthropic",
                 "--set=-meta", "--set=-google-deepmind", "--years", "2", "--step", "year",
                 "--choice", "policy"]) == 0
    head = capsys.readouterr().out.splitlines()[0]
    assert head.startswith("Market of 1 lab, scenario status-quo")
    assert "each in at most 1 run (" in head
