"""The notebook API (model.project, model.market, model.inputs, model.export): its docstring
examples run, and it answers what the command line answers, from the same functions."""

from __future__ import annotations

import contextlib
import doctest
import io
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

import model
from model.cli.main import main
from model.core.catalogue import CATALOGUE

EXAMPLES = {t.name.rpartition(".")[2]: t for t in doctest.DocTestFinder().find(model) if t.examples}


def cli(*argv: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(list(argv)) == 0, argv
    return out.getvalue()


def test_every_function_has_an_example():
    assert set(model.__all__) <= set(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_docstring_examples_run(name):
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    result = runner.run(EXAMPLES[name])
    assert result.attempted >= 2
    assert result.failed == 0


def same(a, b) -> bool:
    """Equal numbers, NaN (JSON null) equal to NaN."""
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)):
        return (a is None or math.isnan(a)) and (b is None or math.isnan(b))
    return a == b


def test_project_is_the_run_command():
    df = model.project(
        "meta-2024",
        "compute-bottleneck",
        years=2,
        step="quarter",
        gpu_peak_flops="0.99 PFLOP/s/GPU",
    )
    doc = json.loads(
        cli(
            "run",
            "--preset",
            "meta-2024",
            "--scenario",
            "compute-bottleneck",
            "--years",
            "2",
            "--set",
            "gpu_peak_flops=0.99 PFLOP/s/GPU",
            "--format",
            "json",
        )
    )
    assert list(df.columns) == list(doc["units"]) and len(df) == len(doc["records"]) == 5
    assert df.attrs["units"] == doc["units"]
    assert all(
        same(float(df[c].iloc[i]), r[c]) for i, r in enumerate(doc["records"]) for c in df.columns
    )
    assert (df.attrs["preset"], df.attrs["scenario"]) == ("meta-2024", "compute-bottleneck")
    # and the override took: not the preset's own projection
    assert not df.equals(model.project("meta-2024", "compute-bottleneck", years=2))


def test_every_projection_column_has_its_catalogue_unit():
    df = model.project(years=1, step="year")
    assert df.attrs["units"] == {c: CATALOGUE[c].unit for c in df.columns}
    assert df.attrs["units"]["npv"] == "USD" and df.attrs["units"]["share_research"] == ""


def test_market_is_the_market_command():
    edits = ["-meta", "+rival=anthropic"]
    m = model.solve_market("frontier-2025", "ai-2027", years=2, choice="policy", edits=edits)
    text = cli(
        "market",
        "--preset",
        "frontier-2025",
        "--scenario",
        "ai-2027",
        "--years",
        "2",
        "--choice",
        "policy",
        *(f"--set={e}" for e in edits),
        "--format",
        "csv",
    )
    assert (
        m.to_csv(index=False, lineterminator="\n", float_format="%.17g").rstrip() == text.rstrip()
    )
    assert list(m["lab"].unique()) == ["openai", "anthropic", "google-deepmind", "xai", "rival"]
    assert m.attrs["units"] == {
        "year": "year",
        "share_research": "",
        "share_inference": "",
        "fleet_gpus": "GPU",
        "market_share": "",
        "revenue": "USD/year",
        "npv": "USD",
    }
    assert (m.attrs["scenario"], m.attrs["choice"]) == ("ai-2027", "policy")


def test_qualified_columns_take_their_quantitys_unit():
    units = model._units(
        ["share_research_joint", "fleet_gpus_p50", "race", "lab", "revenue"], model._MARKET_UNITS
    )
    assert units == {
        "share_research_joint": "",
        "fleet_gpus_p50": "GPU",
        "race": "",
        "revenue": "USD/year",
    }


@pytest.mark.parametrize(
    ("call", "named"),
    [
        (lambda: model.project(years=1, fleet_gpu=1e5), "fleet_gpu"),  # unknown: suggests
        (lambda: model.project(years=1, gpu_peak_flops="1 USD"), "gpu_peak_flops"),
        (lambda: model.inputs(discount_rate=-1), "discount_rate"),
        (lambda: model.inputs(supply_limit=True), "supply_limit"),
        (lambda: model.inputs("openai-2025x"), "openai-2025x"),
        (lambda: model.project(scenario="brake"), "brake"),
        (lambda: model.solve_market(edits=["openai.fleet_gpus=lots"]), "openai"),
        (lambda: model.solve_market("end-2025", market_file="m.toml"), "market_file"),
        (lambda: model.solve_market("end-2026"), "end-2026"),
        (lambda: model.solve_market(choice="cournot"), "cournot"),
    ],
)
def test_bad_input_is_one_value_error_naming_it(call, named):
    with pytest.raises(ValueError) as caught:
        call()
    message = str(caught.value)
    assert named in message and "\n" not in message, message


def test_inputs_are_the_list_command():
    table = model.inputs("openai-2024", "brakes")
    doc = json.loads(
        cli("list", "--preset", "openai-2024", "--scenario", "brakes", "--format", "json")
    )
    listed = {p["name"]: p for p in doc["parameters"]}
    for name in ("fleet_gpus", "discount_rate", "software_returns"):
        assert table.loc[name, "unit"] == listed[name]["unit"]
        assert table.loc[name, "source"] == listed[name]["source"]
    assert table.loc["fleet_gpus", "value"] == pytest.approx(listed["fleet_gpus"]["value"])


def test_import_model_loads_nothing_else():
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, sys, model; print(json.dumps("
            "sorted(m for m in sys.modules if m.startswith('model.') or m in "
            "('pandas', 'numpy', 'sympy', 'pint'))))",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert json.loads(done.stdout) == []


def test_the_readme_example_runs(monkeypatch, tmp_path):
    text = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Python API\n", 1)[1].split("\n## ", 1)[0]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    scope: dict = {}
    exec(compile(code, "README.md (Python API)", "exec"), scope)
    assert scope["df"].attrs["units"]["fleet_gpus"] == "GPU"
    assert "meta" not in set(scope["m"]["lab"]) and (tmp_path / "openai.xlsx").stat().st_size


def test_no_input_is_hidden_behind_a_keyword_of_the_api():
    import inspect

    import model.loop.projection  # noqa: F401 - registers the projection's inputs

    own = {
        p
        for f in (model.inputs, model.project, model.export)
        for p in inspect.signature(f).parameters
    }
    inputs = {n for n, q in CATALOGUE.items() if q.is_input}
    assert "fleet_gpus" in inputs and not own & inputs


def test_an_exported_workbook_reads_back_as_its_inputs(tmp_path):
    path = model.export(
        tmp_path / "lab.xlsx", "openai-2024", ["brakes"], years=2, fleet_gpus="5e5 GPU"
    )
    df = model.project(from_workbook=path, years=2, step="year")
    assert (df.attrs["preset"], df.attrs["scenario"]) == ("openai-2024", "brakes")
    assert df["fleet_gpus"].iloc[0] == 5e5
    # a keyword lays over the workbook's inputs, as --set does
    assert (
        model.project(from_workbook=path, years=2, step="year", fleet_gpus=6e5)["fleet_gpus"].iloc[
            0
        ]
        == 6e5
    )


def test_nash_has_every_column_with_its_unit():
    m = model.solve_market("frontier-2025", years=2, edits=["-meta", "-xai", "-google-deepmind"])
    assert set(m.attrs["units"]) == set(m.columns) - {"lab"}
    assert m.attrs["units"]["share_research_joint"] == m.attrs["units"]["race"] == ""
    assert list(m["lab"].unique()) == ["openai", "anthropic"] and m.attrs["choice"] == "nash"
    # race: the Nash research share less the joint optimum's, as the columns say
    assert (m["race"] == m["share_research"] - m["share_research_joint"]).all()
