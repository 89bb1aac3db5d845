"""Hostile and careless input through every path: the CLI, a link, a workbook cell, an upload.

Each must end in bounded time with one line naming the input (CLI exit 2) or a visible message,
never a traceback and never unbounded work. The CLI cases run in a child process with a timeout,
so a regression that hangs fails here instead of hanging the suite; the 2 s per case below is a
hang detector, not a speed target (benchmarks/bench_hostile.py times the parser).
"""

from __future__ import annotations

import faulthandler
import json
import math
import time
from datetime import date

import openpyxl
import pytest
from hostile import HOSTILE_NUMBERS, cli_batch, inflate, with_raw_cell
from hypothesis import given, settings
from hypothesis import strategies as st

from app import inputs as ui
from model.core.errors import InputError
from model.core.presets import PRESETS
from model.core.resolve import parse_input
from model.core.units import parse_value
from model.workbook.build import build_workbook, write_workbook
from model.workbook.read import read_workbook_inputs

HANG = 2.0  # seconds: far above any bounded case, far below "until killed"


@pytest.fixture(autouse=True)
def no_hang():
    """Kill this worker (the test fails) if a test runs for minutes: the parser tests run in
    process, and a regression that hands pint an unbounded power would never return."""
    faulthandler.dump_traceback_later(300, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


def one_line(message: str, name: str) -> None:
    assert "\n" not in message.strip() and "Traceback" not in message, message
    assert name in message, message
    assert len(message) < 400, message


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_a_finite_number_or_one_line(text):
    try:
        value = parse_value("fleet_gpus", text, "GPU")
    except InputError as exc:
        one_line(str(exc), "fleet_gpus")
    else:
        assert math.isfinite(value)


@settings(max_examples=400, deadline=None)
@given(st.from_regex(r"[-+0-9eE.,_*/^() %a-zA-Z]{0,120}", fullmatch=True))
def test_number_like_text_is_a_finite_number_or_one_line(text):
    try:
        value = parse_value("gpu_rental_price", text, "USD/GPU/hour")
    except InputError as exc:
        one_line(str(exc), "gpu_rental_price")
    else:
        assert math.isfinite(value)


@pytest.mark.parametrize("text", HOSTILE_NUMBERS, ids=range(len(HOSTILE_NUMBERS)))
def test_hostile_numbers_are_refused(text):
    with pytest.raises(InputError) as info:
        parse_input("pue", text)
    one_line(str(info.value), "pue")


@pytest.mark.parametrize("value", [10**400, -(10**400), 10**5000, True, None, b"1", [1]],
                         ids=["1e400", "-1e400", "1e5000", "bool", "none", "bytes", "list"])
def test_non_text_values_are_refused_by_name(value):
    with pytest.raises(InputError) as info:
        parse_input("fleet_gpus", value)
    one_line(str(info.value), "fleet_gpus")


@pytest.mark.parametrize(("text", "expected"), [
    ("1.5e6", 1.5e6), ("250 kGPU", 250e3), ("1,000,000 GPU", 1e6), (" 7 ", 7.0),
    ("2e3 GPU^2/GPU", 2e3), ("3 (GPU)", 3.0)])
def test_ordinary_numbers_still_read(text, expected):
    assert parse_input("fleet_gpus", text) == pytest.approx(expected, rel=1e-12)


def test_the_cli_refuses_every_hostile_value_in_bounded_time():
    argvs = [["budget", "--preset", "meta-2024", "--set", f"fleet_gpus={t}"]
             for t in HOSTILE_NUMBERS]
    argvs += [["budget", "--set", "pue=10**400"], ["budget", "--set", f"{'x' * 5000}=1"],
              ["run", "--years", "35", "--step", "month"],
              ["run", "--samples", "1000000", "--step", "month", "--years", "33"],
              ["run", "--samples", "40000", "--step", "month", "--years", "30"],
              ["run", "--years", "9" * 5000], ["run", "--seed", "-1", "--samples", "10"],
              ["run", "--step", "fortnight"], ["run", "--columns", "x" * 5000]]
    for argv, (code, err, seconds) in zip(argvs, cli_batch(argvs), strict=True):
        assert code == 2, (argv, err)
        assert err.startswith("error: ") and err.count("\n") == 1, (argv[:4], err)
        assert len(err) < 400, err
        assert seconds < HANG, (argv[:4], seconds)


def test_the_step_and_sample_limits_name_what_is_allowed():
    (_, steps, _), (_, samples, _) = cli_batch([
        ["run", "--years", "35", "--step", "month"],
        ["run", "--samples", "40000", "--step", "month", "--years", "30"]])
    assert "409 steps" in steps and "34 years" in steps  # the base year, then 408 months
    assert "at most 34,383" in samples  # 12M sample-steps over 1 + 29 x 12 steps


COMMANDS = [["list"], ["budget"], ["training-run"], ["run"], ["sensitivity", "--years", "3"],
            ["run", "--samples", "200", "--years", "3"], ["backtest"]]


@pytest.mark.parametrize("preset", list(PRESETS))
def test_every_command_writes_strict_json(preset):
    def refuse(constant: str):
        raise ValueError(f"non-standard JSON constant {constant}")

    argvs = [[*c, "--format", "json"] + (["--preset", preset]
                                         if c[0] not in ("list", "backtest") else [])
             for c in COMMANDS]
    if preset == "openai-2024":
        argvs.append(["split", "--preset", preset, "--format", "json"])
        argvs.append(["market", "--years", "2", "--step", "year", "--format", "json"])
        argvs.append(["observed", "--format", "json"])
    child = """
import contextlib, io, json, sys
from model.cli.main import main
out = []
for argv in json.load(sys.stdin):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        out.append([main(argv), buf.getvalue()])
print(json.dumps(out))
"""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", child], input=json.dumps(argvs),
                          capture_output=True, text=True, timeout=600, check=True)
    for argv, (code, text) in zip(argvs, json.loads(done.stdout), strict=True):
        assert code == 0, argv
        json.loads(text, parse_constant=refuse)


# --- workbooks ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "openai.xlsx"
    write_workbook(build_workbook("openai-2024", created=date(2026, 1, 1)), path)
    return path


def _cell_xml(src, dst, inner_xml: str):
    """A copy of `src` whose fleet_gpus cell holds `inner_xml` as written."""
    wb = openpyxl.load_workbook(src, read_only=True)
    (title, coord), = wb.defined_names["fleet_gpus"].destinations
    wb.close()
    return with_raw_cell(src, dst, title, coord.replace("$", ""), inner_xml)


def _with_name(src, dst, name: str, ref: str):
    wb = openpyxl.load_workbook(src)
    wb.defined_names[name].attr_text = ref
    wb.save(dst)
    return dst


@pytest.mark.parametrize(("xml", "needles"), [
    ("<v>" + "1" * 401 + "</v>", ("too large", "fleet_gpus", "Inputs!C")),
    # past Python's 4,300-digit limit the sheet itself cannot be parsed: the sheet is named
    ("<v>" + "9" * 5000 + "</v>", ("sheet Inputs", "digits")),
    ("<is><t>9**9**9</t></is>", ("cannot read", "fleet_gpus", "Inputs!C")),
    ("<is><t> =1.2</t></is>", ("formula", "fleet_gpus", "Inputs!C")),
    ("<is><t>10**400 GPU</t></is>", ("cannot read", "fleet_gpus", "Inputs!C")),
    ("<v>1e999</v>", ("finite", "fleet_gpus", "Inputs!C"))], ids=range(6))
def test_hostile_cells_are_named(exported, tmp_path, xml, needles):
    path = _cell_xml(exported, tmp_path / "cell.xlsx", xml)
    ((code, err, seconds),) = cli_batch([["budget", "--from-workbook", str(path)]])
    assert code == 2 and all(n in err for n in needles), err
    assert err.count("\n") == 1 and len(err) < 400 and seconds < HANG


@pytest.mark.parametrize("ref", ["'Inputs'!$A$0", "'Inputs'!$C$99999999", "'Nowhere'!$C$5",
                                 "'Inputs'!$C$5:$C$9", "#REF!"])
def test_defined_names_outside_the_sheet_are_named(exported, tmp_path, ref):
    path = _with_name(exported, tmp_path / "name.xlsx", "fleet_gpus", ref)
    ((code, err, _),) = cli_batch([["budget", "--from-workbook", str(path)]])
    assert code == 2 and "defined name fleet_gpus" in err and err.count("\n") == 1, err


def test_far_defined_names_are_refused_in_bounded_time(exported, tmp_path):
    # a value at the far cell: openpyxl's read-only reader filled every empty cell up to it
    # (~1.7e10 at XFD1048576), so the timeout, not the assertions, caught the old reader
    argvs = []
    for i, (column, row) in enumerate((("XFD", 1_048_576), ("C", 1_048_576), ("XFD", 5))):
        wb = openpyxl.load_workbook(exported)
        wb.defined_names["fleet_gpus"].attr_text = f"'Inputs'!${column}${row}"
        wb["Inputs"][f"{column}{row}"] = 1000
        wb.save(tmp_path / f"far{i}.xlsx")
        argvs.append(["budget", "--from-workbook", str(tmp_path / f"far{i}.xlsx")])
    for code, err, seconds in cli_batch(argvs, timeout=60):
        assert code == 2 and "defined name fleet_gpus" in err and "outside" in err, err
        assert err.count("\n") == 1 and seconds < HANG


def test_a_defined_name_at_the_edge_of_the_inputs_area_is_read(exported, tmp_path):
    wb = openpyxl.load_workbook(exported)
    wb.defined_names["fleet_gpus"].attr_text = "'Inputs'!$Z$10000"
    ws = wb["Inputs"]
    for row in range(200, 10_001):  # every row between present: none is skipped as missing
        ws.cell(row, 26, 1234)
    wb.save(tmp_path / "edge.xlsx")
    start = time.perf_counter()
    found = read_workbook_inputs(tmp_path / "edge.xlsx")
    assert time.perf_counter() - start < HANG
    assert found.values["fleet_gpus"] == "1234.0" and found.cells["fleet_gpus"] == "Inputs!Z10000"


def test_a_million_cells_on_another_sheet_read_as_the_inputs(exported, tmp_path):
    big = inflate(exported, tmp_path / "big.xlsx", "Equations", 1_000_000)
    assert big.stat().st_size < ui.MAX_UPLOAD_MB * 2**20
    assert read_workbook_inputs(big).values == read_workbook_inputs(exported).values


def test_a_million_cells_on_the_inputs_sheet_are_refused(exported, tmp_path):
    big = inflate(exported, tmp_path / "big.xlsx", "Inputs", 1_000_000)
    with pytest.raises(InputError) as info:
        read_workbook_inputs(big)
    one_line(str(info.value), "over the")
