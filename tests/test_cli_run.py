"""`python -m model run` and `sensitivity`: formats, and one-line errors with exit status 2."""

from __future__ import annotations

import json

import pytest

from model.cli.main import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_run_json_has_units_and_records(capsys):
    code, out, _ = run(capsys, "run", "--preset", "openai-2024", "--scenario", "ai-2027",
                       "--years", "3", "--format", "json")
    doc = json.loads(out)
    assert code == 0
    assert doc["preset"] == "openai-2024" and doc["scenario"] == "ai-2027"
    assert doc["units"]["fleet_gpus"] == "GPU" and doc["units"]["capex"] == "USD/year"
    assert [r["year"] for r in doc["records"]] == [2024, 2025, 2025.25, 2025.5, 2025.75,
                                                   2026, 2026.25, 2026.5, 2026.75]
    assert doc["records"][0]["ai_rd_multiplier"] == 1  # exact: every factor is x**0


def test_run_json_payback_is_the_calendar_year_the_table_prints(capsys):
    # OpenAI under ai-2027 first reaches cumulative cash 0 in a step that starts mid-2026 at
    # quarters and months; the table and JSON both give the calendar year
    for step in ("quarter", "month"):
        _, out, _ = run(capsys, "run", "--preset", "openai-2024", "--scenario", "ai-2027",
                        "--years", "4", "--step", step, "--format", "json")
        doc = json.loads(out)
        paid = [r for r in doc["records"] if r["cumulative_cash"] >= 0][0]["year"]
        assert paid > 2026 and doc["payback_year"] == 2026
        _, out, _ = run(capsys, "run", "--preset", "openai-2024", "--scenario", "ai-2027",
                        "--years", "4", "--step", step)
        assert "payback_year: 2026," in out


def test_run_quarters_csv(capsys):
    code, out, _ = run(capsys, "run", "--years", "2", "--step", "quarter", "--format", "csv")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 1 + 1 + 4  # header, the base year, four quarters
    assert lines[0].split(",")[0] == "year"


def test_columns_choose_what_every_format_gives(capsys):
    # --columns was the table's alone: CSV and JSON gave all ~150 rows whatever it asked
    whole = json.loads(run(capsys, "run", "--preset", "openai-2024", "--years", "2",
                           "--format", "json")[1])
    code, out, _ = run(capsys, "run", "--preset", "openai-2024", "--years", "2", "--format",
                       "csv", "--columns", "inference_revenue,fleet_gpus")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "year,inference_revenue,fleet_gpus" and len(lines) == 6
    # the same numbers as the whole frame's, to the digit CSV writes (%.17g)
    for line, rec in zip(lines[1:], whole["records"], strict=True):
        year, revenue, fleet = map(float, line.split(","))
        assert (year, revenue, fleet) == (rec["year"], rec["inference_revenue"],
                                          rec["fleet_gpus"])
    code, out, _ = run(capsys, "run", "--preset", "openai-2024", "--years", "2", "--format",
                       "json", "--columns", "year,fleet_gpus")
    doc = json.loads(out)
    assert doc["units"] == {"year": "year", "fleet_gpus": "GPU"}
    assert [set(r) for r in doc["records"]] == [{"year", "fleet_gpus"}] * 5
    assert doc["npv"] == whole["npv"]  # the header's figures stay
    code, out, _ = run(capsys, "run", "--years", "1", "--step", "year", "--samples", "10",
                       "--format", "csv", "--columns", "fleet_gpus_p50")
    assert code == 0 and out.splitlines()[0] == "year,fleet_gpus_p50"


def test_run_table_and_monte_carlo(capsys):
    code, out, _ = run(capsys, "run", "--scenario", "brakes", "--years", "2")
    assert code == 0 and "scenario: brakes" in out and "payback_year" in out
    code, out, _ = run(capsys, "run", "--years", "2", "--samples", "50", "--seed", "1",
                       "--format", "json")
    doc = json.loads(out)
    assert doc["units"]["fleet_gpus_p50"] == "GPU"
    r = doc["records"][1]
    assert r["fleet_gpus_p5"] <= r["fleet_gpus_p50"] <= r["fleet_gpus_p95"]


def test_sensitivity(capsys):
    code, out, _ = run(capsys, "sensitivity", "--scenario", "brakes", "--years", "3",
                       "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["output"] == "software_efficiency"
    swings = [r["swing"] for r in doc["tornado"]]
    assert swings == sorted(swings, reverse=True)
    assert {"output": "inference_revenue", "input": "token_price",
            "elasticity": pytest.approx(1.0), "note": ""} in doc["elasticities"]


@pytest.mark.parametrize(("argv", "fragment"), [
    (["--scenario", "nope"], "unknown scenario 'nope'"),
    (["--years", "0"], "years: expected a whole number of years >= 1"),
    (["--years", "-1"], "years: expected"),
    (["--step", "fortnight"], "step: expected one of year, quarter, month"),
    (["--samples", "0"], "samples: expected a whole number from 1"),
    (["--samples", "2000000"], "samples: expected a whole number from 1"),
    (["--set", "fleet_gpus=-5"], "fleet_gpus"),
    (["--columns", "nope"], "--columns: unknown column 'nope'"),
])
def test_bad_input_is_one_line_exit_2(capsys, argv, fragment):
    code, out, err = run(capsys, "run", "--years", "2", *argv)
    assert code == 2 and out == ""
    assert fragment in err and err.count("\n") == 1 and "Traceback" not in err


def test_run_and_sensitivity_read_a_workbook_and_its_scenario(capsys, tmp_path):
    book = tmp_path / "edited.xlsx"
    assert run(capsys, "export", "--preset", "openai-2024", "--scenario", "brakes", "--years",
               "2", "--set", "token_price=2", "--out", str(book))[0] == 0
    direct = json.loads(run(capsys, "run", "--preset", "openai-2024", "--scenario", "brakes",
                            "--years", "2", "--set", "token_price=2", "--format", "json")[1])
    code, out, _ = run(capsys, "run", "--from-workbook", str(book), "--years", "2",
                       "--format", "json")
    read = json.loads(out)
    assert code == 0 and read["preset"] == "openai-2024" and read["scenario"] == "brakes"
    # exact: the inputs read back are the same floats, run through the same code path
    assert read["records"] == direct["records"]
    code, out, _ = run(capsys, "sensitivity", "--from-workbook", str(book), "--years", "2")
    assert code == 0 and "preset: openai-2024, scenario: brakes" in out
