"""The command line: one-line errors with exit status 2, and table/JSON/CSV carrying one set of
numbers; plus the same bad inputs through the Python API (model.core.resolve.resolve)."""

from __future__ import annotations

import csv
import io
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from model.cli.main import main
from model.core.catalogue import CATALOGUE
from model.core.errors import InputError
from model.core.resolve import resolve
from model.report.formats import format_value

ROOT = Path(__file__).resolve().parents[1]
NOWHERE = "/nonexistent/never.xlsx"


# ---------------------------------------------------------------------------------------------
# Bad input: (argv, fragments every one of which the single stderr line must contain)
# ---------------------------------------------------------------------------------------------
BAD_CLI = {
    "wrong dimension": (["budget", "--set", "gpu_peak_flops=700 W"],
                        ["gpu_peak_flops", "expected FLOP/s/GPU"]),
    "wrong dimension per GPU": (["budget", "--set", "gpu_rental_price=2 USD/hour"],
                                ["gpu_rental_price", "expected USD/GPU/hour"]),
    "unknown unit": (["budget", "--set", "gpu_peak_flops=3 blorps"],
                     ["gpu_peak_flops", "unknown unit", "blorps", "FLOP/s/GPU"]),
    "unknown currency": (["budget", "--set", "gpu_rental_price=2 EUR/GPU/hour"],
                         ["gpu_rental_price", "unknown unit", "EUR"]),
    "above bounds": (["budget", "--set", "mfu_training=1.5"],
                     ["mfu_training", "1.5", "outside", "[0.01, 1]"]),
    "above bounds after conversion": (["budget", "--set", "gpu_peak_flops=1 EFLOP/s/GPU"],
                                      ["gpu_peak_flops", "outside", "FLOP/s/GPU"]),
    "below bounds": (["budget", "--set", "fleet_gpus=0"], ["fleet_gpus", "outside", "GPU"]),
    "shares do not sum to 1": (["budget", "--set", "share_training=0.5"],
                               ["shares must sum to 1", "1.1", "share_training=0.5"]),
    "shares short of 1": (["budget", "--preset", "openai-2024", "--set", "share_research=0"],
                          ["shares must sum to 1", "share_research=0"]),
    "negative count": (["budget", "--set", "fleet_gpus=-5"],
                       ["fleet_gpus", "negative", "-5", "GPU"]),
    "negative price": (["training-run", "--set", "gpu_rental_price=-2"],
                       ["gpu_rental_price", "negative"]),
    "NaN": (["budget", "--set", "fleet_gpus=nan"], ["fleet_gpus", "finite", "GPU"]),
    "NaN with a unit": (["budget", "--set", "fleet_gpus=NaN GPU"],
                        ["fleet_gpus", "expected a number in GPU"]),
    "infinity": (["budget", "--set", "fleet_gpus=inf"], ["fleet_gpus", "finite", "GPU"]),
    "overflow to infinity": (["budget", "--set", "fleet_gpus=1e999"],
                             ["fleet_gpus", "finite"]),
    "text for a number": (["budget", "--set", "fleet_gpus=lots"],
                          ["fleet_gpus", "expected a number in GPU", "lots"]),
    "garbled number": (["budget", "--set", "fleet_gpus=5 GPU)"], ["fleet_gpus", "cannot read"]),
    "unknown input": (["budget", "--set", "fleet_gpu=5"],
                      ["unknown input 'fleet_gpu'", "did you mean 'fleet_gpus'?"]),
    "unknown input far from any": (["training-run", "--set", "zzzz=5"],
                                   ["unknown input 'zzzz'", "model list"]),
    "an output is not an input": (["budget", "--set", "budget_total=5"],
                                  ["'budget_total' is computed, not an input", "model list"]),
    # a projection row, named as the input it replaced (world_gdp is the step's world output)
    "a row is not an input": (["run", "--set", "world_gdp=1e14"],
                              ["'world_gdp' is computed, not an input", "world_gdp_base_year",
                               "world_gdp_growth"]),
    "a constant is fixed": (["budget", "--set", "seconds_per_hour=3000"],
                            ["seconds_per_hour", "fixed constant", "3600"]),
    "unknown choice": (["budget", "--set", "cost_basis=leased"],
                       ["cost_basis", "rented, owned", "leased"]),
    "unknown preset": (["budget", "--preset", "meta2024"],
                       ["unknown preset 'meta2024'", "did you mean 'meta-2024'?",
                        "openai-2024"]),
    "unknown GPU": (["training-run", "--gpu", "H10"],
                    ["unknown GPU 'H10'", "did you mean 'H100'?", "B200"]),
    "--set without =": (["budget", "--set", "fleet_gpus"],
                        ["--set 'fleet_gpus'", "expected name=value"]),
    "--set without a name": (["budget", "--set", "=5"], ["--set '=5'", "expected name=value"]),
    "--set without a value": (["budget", "--set", "fleet_gpus="],
                              ["--set 'fleet_gpus='", "expected name=value"]),
    "--set without an argument": (["budget", "--set"], ["--set", "expected one argument"]),
    # a name given twice was a silent last-wins
    "--set twice": (["budget", "--set", "fleet_gpus=1000", "--set", "fleet_gpus=2000"],
                    ["--set: 'fleet_gpus' set twice"]),
    "--set twice, run": (["run", "--years", "1", "--step", "year", "--set", "fleet_gpus=1000",
                          "--set", "fleet_gpus=1000"], ["--set: 'fleet_gpus' set twice"]),
    # a comma out of place was dropped: 2,5 ran as 25 and 1,,,5 as 15
    "comma as a decimal point": (["run", "--years", "1", "--step", "year", "--set",
                                  "gpu_rental_price=2,5"],
                                 ["gpu_rental_price", "cannot read '2,5'"]),
    "commas in a row": (["budget", "--set", "fleet_gpus=1,,,5"],
                        ["fleet_gpus", "cannot read '1,,,5'"]),
    # an empty path (a shell variable that expanded to nothing) was read as no workbook
    "empty --from-workbook": (["budget", "--from-workbook", ""],
                              ["--from-workbook", "empty value"]),
    "empty --from-workbook, run": (["run", "--years", "1", "--from-workbook", " "],
                                   ["--from-workbook", "empty value"]),
    # openpyxl refused a control character with a traceback and cut long text silently (the
    # folder does not exist, so that a regression writes nothing)
    "control character in --title": (["export", "--years", "2", "--title", "a\x01b", "--out",
                                       NOWHERE], ["--title", "printable", "'\\x01'"]),
    "control character in --notes": (["export", "--years", "2", "--notes", "a\x1bb", "--out",
                                       NOWHERE], ["--notes", "printable"]),
    "over-long --title": (["export", "--years", "2", "--title", "x" * 100_000, "--out", NOWHERE],
                          ["--title", "100,000 characters", "32,767"]),
    "unknown format": (["budget", "--format", "xml"], ["--format", "invalid choice", "xml"]),
    "unknown command": (["forecast"], ["invalid choice", "forecast"]),
    "stray argument": (["budget", "extra"], ["unrecognized arguments", "extra"]),
}
SUBPROCESS_CASES = ("wrong dimension", "unknown format")


def assert_one_line_error(err: str, fragments: list[str]) -> None:
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert err.endswith("\n")
    assert lines[0].startswith("error: ")
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


@pytest.mark.parametrize("case", list(BAD_CLI))
def test_bad_input_gives_one_line_and_status_2(case, capsys):
    argv, fragments = BAD_CLI[case]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert_one_line_error(err, fragments)


@pytest.fixture(scope="module")
def dash_m() -> dict[str, tuple[int, str, str]]:
    """Run the subprocess cases in parallel: case -> (exit status, stdout, stderr)."""
    procs = {case: subprocess.Popen([sys.executable, "-m", "model", *BAD_CLI[case][0]],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                    cwd=ROOT)
             for case in SUBPROCESS_CASES}
    # the Python API on its own: resolve() must not rely on another module registering inputs
    procs["fresh resolve"] = subprocess.Popen(
        [sys.executable, "-c", "from model.core.resolve import resolve; "
         "print(resolve('meta-2024').values['fleet_gpus'])"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    results = {}
    for case, proc in procs.items():
        out, err = proc.communicate(timeout=120)
        results[case] = (proc.returncode, out, err)
    return results


@pytest.mark.parametrize("case", SUBPROCESS_CASES)
def test_bad_input_through_python_dash_m(case, dash_m):
    status, out, err = dash_m[case]
    assert status == 2
    assert out == ""
    assert_one_line_error(err, BAD_CLI[case][1])


def test_resolve_works_in_a_fresh_interpreter(dash_m):
    status, out, err = dash_m["fresh resolve"]
    assert status == 0, err
    assert float(out) == 600_000


# The same mistakes through the Python API: resolve() raises InputError, one line naming the input.
BAD_API = {
    "wrong dimension": ({"overrides": {"gpu_peak_flops": "700 W"}}, "gpu_peak_flops"),
    "unknown unit": ({"overrides": {"gpu_peak_flops": "3 blorps"}}, "unknown unit"),
    "out of bounds": ({"overrides": {"mfu_training": 1.5}}, "outside"),
    "shares": ({"overrides": {"share_training": 0.5}}, "shares must sum to 1"),
    "negative count": ({"overrides": {"fleet_gpus": -1}}, "negative"),
    "NaN": ({"overrides": {"fleet_gpus": math.nan}}, "finite"),
    "infinity": ({"overrides": {"fleet_gpus": math.inf}}, "finite"),
    "text": ({"overrides": {"fleet_gpus": "many"}}, "expected a number"),
    "None": ({"overrides": {"fleet_gpus": None}}, "expected a number"),
    "bool": ({"overrides": {"fleet_gpus": True}}, "expected a number"),
    "unknown input": ({"overrides": {"fleet_gpu": 5}}, "did you mean 'fleet_gpus'?"),
    "unknown choice": ({"overrides": {"cost_basis": "leased"}}, "rented, owned"),
    "choice index out of range": ({"overrides": {"cost_basis": 2}}, "rented, owned"),
    "unknown preset": ({"preset": "openai"}, "unknown preset 'openai'"),
    "unknown GPU": ({"gpu": "h100"}, "unknown GPU 'h100'"),
}


@pytest.mark.parametrize("case", list(BAD_API))
def test_bad_input_through_the_python_api(case):
    kwargs, fragment = BAD_API[case]
    with pytest.raises(InputError) as info:
        resolve(**kwargs)
    message = str(info.value)
    assert fragment in message
    assert "\n" not in message


def test_resolve_precedence_defaults_preset_gpu_overrides():
    s = resolve("deepseek-v3", overrides={"gpu_rental_price": "3 USD/GPU/hour"})
    assert s.gpu == "H800"  # the preset's GPU
    assert s.values["gpu_capex"] == 33_800  # from the GPU entry
    assert s.values["fleet_gpus"] == 2048  # from the preset
    assert s.values["gpu_rental_price"] == 3.0  # the override wins
    assert s.sources["gpu_rental_price"] == "user setting"
    assert s.values["pue"] == CATALOGUE["pue"].default  # untouched default
    assert s.text("cost_basis") == "rented"
    other_gpu = resolve("deepseek-v3", gpu="B200")
    assert other_gpu.values["gpu_peak_flops"] == 2250e12


# ---------------------------------------------------------------------------------------------
# Formats: table, JSON and CSV carry the same numbers
# ---------------------------------------------------------------------------------------------
def run(capsys, *argv: str) -> str:
    assert main(list(argv)) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


def table_rows(text: str) -> dict[str, str]:
    """name -> the rest of its row, for rows of the plain-text tables."""
    rows = {}
    for line in text.splitlines():
        name, _, rest = line.partition("  ")
        if name and rest:
            rows[name.strip()] = rest.strip()
    return rows


@pytest.mark.parametrize("command", ["budget", "training-run"])
@pytest.mark.parametrize("preset", ["openai-2024", "meta-2024", "deepseek-v3"])
def test_json_csv_and_table_carry_the_same_numbers(capsys, command, preset):
    doc = json.loads(run(capsys, command, "--preset", preset, "--format", "json"))
    rows = list(csv.DictReader(io.StringIO(run(capsys, command, "--preset", preset,
                                                "--format", "csv"))))
    table = table_rows(run(capsys, command, "--preset", preset))
    assert doc["preset"] == preset
    csv_values = {(r["section"], r["name"]): r for r in rows}
    assert len(csv_values) == len(doc["inputs"]) + len(doc["outputs"])
    for section, key in (("input", "inputs"), ("output", "outputs")):
        for name, item in doc[key].items():
            row = csv_values[(section, name)]
            assert row["unit"] == item["unit"] == CATALOGUE[name].unit
            if CATALOGUE[name].kind == "choice":
                assert row["value"] == item["value"]
                assert table[name].startswith(item["value"])
                continue
            if item["value"] is None:  # undefined (e.g. a margin on no revenue)
                assert row["value"] == ""
                assert table[name].startswith("n/a")
                continue
            assert float(row["value"]) == item["value"]  # exactly the same number
            assert table[name].startswith(format_value(name, item["value"]))
    assert doc["outputs"]


def test_table_formats_the_numbers(capsys):
    table = table_rows(run(capsys, "training-run", "--preset", "deepseek-v3"))
    assert table["training_cost"].startswith("$5.33M")
    assert table["training_days"].startswith("54.2 day")
    assert table["mfu_training"].startswith("34.6%")  # shares: one decimal, everywhere
    assert table["cost_basis"].startswith("rented")


def test_json_numbers_are_plain_floats_in_catalogue_units(capsys):
    doc = json.loads(run(capsys, "budget", "--format", "json",
                         "--set", "gpu_peak_flops=0.99 PFLOP/s/GPU"))
    assert doc["preset"] is None
    # pint computes the PFLOP -> FLOP factor; versions may differ in the last bit: 1e-12
    assert doc["inputs"]["gpu_peak_flops"] == {"value": pytest.approx(0.99e15, rel=1e-12),
                                               "unit": "FLOP/s/GPU"}
    assert doc["outputs"]["fleet_peak_flops"]["value"] == pytest.approx(600_000 * 0.99e15,
                                                                        rel=1e-12)
    assert doc["outputs"]["fleet_peak_flops"]["unit"] == "FLOP/s"


def test_undefined_numbers_are_json_null(capsys):
    # no inference at all: the margin (profit / revenue) is 0/0
    doc = json.loads(run(capsys, "budget", "--preset", "meta-2024", "--format", "json"))
    assert doc["outputs"]["inference_revenue"]["value"] == 0
    assert doc["outputs"]["inference_margin"]["value"] is None
    table = table_rows(run(capsys, "budget", "--preset", "meta-2024"))
    assert table["inference_margin"].startswith("n/a")


# ---------------------------------------------------------------------------------------------
# list: every parameter with its source
# ---------------------------------------------------------------------------------------------
FIELDS = ("name", "unit", "default", "min", "max", "description", "source")


def test_list_json_has_a_source_for_every_parameter(capsys):
    doc = json.loads(run(capsys, "list", "--format", "json"))
    params = doc["parameters"]
    settable = {n for n, q in CATALOGUE.items() if q.is_input}
    assert {p["name"] for p in params} == settable
    for p in params:
        for field in FIELDS:
            assert field in p, (p["name"], field)
        assert p["name"] and p["description"].strip() and p["source"].strip()
        assert p["source"] == CATALOGUE[p["name"]].source
        if p["kind"] == "choice":
            assert len(p["choices"]) >= 2
        else:
            assert isinstance(p["default"], float | int)
            assert p["min"] <= p["default"] <= p["max"]
    assert set(doc["presets"]) >= {"meta-2024", "openai-2024", "deepseek-v3",
                                   "deepseek-inference-2025"}
    assert set(doc["gpus"]) >= {"A100", "H100", "H800", "H200", "B200"}
    assert all(g["source"] for g in doc["gpus"].values())


def test_list_table_shows_a_source_for_every_parameter(capsys):
    text = run(capsys, "list")
    assert "PARAMETERS" in text and "PRESETS" in text and "GPUS" in text
    section = text.split("PARAMETERS\n", 1)[1]
    rows = table_rows(section)
    for name, q in CATALOGUE.items():
        if q.is_input:
            assert name in rows, name
            assert rows[name].endswith(q.source), name


def test_list_csv_has_a_source_for_every_parameter(capsys):
    rows = list(csv.DictReader(io.StringIO(run(capsys, "list", "--format", "csv"))))
    assert {r["name"] for r in rows} == {n for n, q in CATALOGUE.items() if q.is_input}
    for r in rows:
        assert r["source"].strip() and r["description"].strip() and r["unit"] is not None


def test_version_and_help_exit_zero(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip()
    assert main(["budget", "--help"]) == 0
    assert "--set" in capsys.readouterr().out
