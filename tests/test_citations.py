"""Every value cites its own source on every surface: `list` (json, csv, table), the workbook's
Inputs and Sources sheets and the app's Sources tab, for every preset x every input, alone and
under a scenario that sets inputs (`brakes`).

The expected source is worked out here from the records themselves (scenario, then preset, then
the GPU entry, then the catalogue), not read from resolve(): a surface that cites the catalogue
default's source for a value the preset set (openai-2024's rent cited to DeepSeek's $2)
fails, and so does a resolve() that credits the wrong layer.
"""

from __future__ import annotations

import csv
import io
import json
from functools import cache
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from app import inputs as ui
from app import tables
from model.cli.main import main
from model.core.catalogue import CATALOGUE
from model.core.gpus import GPUS
from model.core.presets import PRESETS
from model.core.resolve import resolve
from model.core.sources import REFERENCES, reference_keys
from model.loop.scenarios import SCENARIOS, scenario_settings
from model.workbook._static_sheets import column_source
from model.workbook.build import build_workbook, workbook_bytes

SCENARIO = "brakes"  # sets inputs of its own (multiplier_path, software_returns, ...)
CASES = [(p, s) for p in PRESETS for s in (None, SCENARIO)]
IDS = [f"{p}-{s or 'no-scenario'}" for p, s in CASES]
INPUTS = [n for n, q in CATALOGUE.items() if q.is_input]
APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")


def expected_source(preset: str, scenario: str | None, name: str) -> str:
    """Whose value the input holds, by the order of precedence, and that layer's citation."""
    if scenario is not None and name in SCENARIOS[scenario].values:
        return SCENARIOS[scenario].values[name][1]
    if name in PRESETS[preset].values:
        return PRESETS[preset].values[name][1]
    gpu = GPUS[PRESETS[preset].gpu]
    if name in gpu.inputs():
        return gpu.source
    return CATALOGUE[name].source


@cache
def settings_of(preset: str, scenario: str | None):
    return resolve(preset) if scenario is None else scenario_settings(preset, scenario)


def assert_cites(shown: dict[str, str], preset: str, scenario: str | None) -> None:
    """Every input shows its value's own source (the first few that do not, named)."""
    bad = [f"{n}: shows {shown.get(n)!r}, expected {expected_source(preset, scenario, n)!r}"
           for n in INPUTS if shown.get(n) != expected_source(preset, scenario, n)]
    assert not bad, f"{len(bad)} inputs cite another source:\n" + "\n".join(bad[:5])


def list_output(capsys, preset: str, scenario: str | None, fmt: str) -> str:
    argv = ["list", "--preset", preset, "--format", fmt]
    assert main(argv + (["--scenario", scenario] if scenario else [])) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


# ---------------------------------------------------------------------------------------------
# The records themselves: a preset's citation is its own wherever it differs from the default
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("preset", "scenario"), CASES, ids=IDS)
def test_settings_carry_the_source_of_each_value(preset, scenario):
    assert_cites(settings_of(preset, scenario).sources, preset, scenario)


def test_presets_cite_their_own_sources():
    """Not vacuous: every preset gives its own citation for some value, and so does the GPU
    and the scenario, so a surface citing the catalogue would be caught."""
    for preset in PRESETS.values():
        assert any(s != CATALOGUE[n].source for n, (_, s) in preset.values.items()), preset.name
    assert any(s != CATALOGUE[n].source for n, (_, s) in SCENARIOS[SCENARIO].values.items())
    own = PRESETS["openai-2024"].values["gpu_rental_price"][1]
    assert own != CATALOGUE["gpu_rental_price"].source and "epoch-acu" in own


# ---------------------------------------------------------------------------------------------
# CLI: list --preset [--scenario] in json, csv and table
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("preset", "scenario"), CASES, ids=IDS)
def test_cli_list_json_shows_each_value_and_its_source(capsys, preset, scenario):
    doc = json.loads(list_output(capsys, preset, scenario, "json"))
    settings = settings_of(preset, scenario)
    params = {p["name"]: p for p in doc["parameters"]}
    assert list(params) == INPUTS
    assert_cites({n: p["source"] for n, p in params.items()}, preset, scenario)
    for n, p in params.items():
        want = (settings.text(n) if CATALOGUE[n].kind == "choice" else settings.values[n])
        assert p["value"] == want, n
    assert (doc["preset"], doc["gpu"]) == (preset, PRESETS[preset].gpu)
    assert doc["scenario"] == (scenario or "status-quo")


@pytest.mark.parametrize(("preset", "scenario"), CASES, ids=IDS)
def test_cli_list_csv_and_table_show_the_same_sources(capsys, preset, scenario):
    rows = csv.DictReader(io.StringIO(list_output(capsys, preset, scenario, "csv")))
    assert_cites({r["name"]: r["source"] for r in rows}, preset, scenario)
    text = list_output(capsys, preset, scenario, "table").split("\nPARAMETERS", 1)[1]
    ends = {}
    for line in text.splitlines()[3:]:
        name, _, rest = line.partition("  ")
        ends[name] = rest
    bad = [n for n in INPUTS if not ends[n].endswith(expected_source(preset, scenario, n))]
    assert not bad, bad[:5]


def test_cli_list_without_a_preset_cites_the_catalogue(capsys):
    assert main(["list", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert "preset" not in doc and all("value" not in p for p in doc["parameters"])
    assert all(p["source"] == CATALOGUE[p["name"]].source for p in doc["parameters"])


@pytest.mark.parametrize("argv", [["--preset", "openai"], ["--preset", "openai-2024",
                                                          "--scenario", "brake"],
                                  ["--gpu", "H1000"]])
def test_cli_list_refuses_unknown_names_on_one_line(capsys, argv):
    assert main(["list", *argv]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("error: ") and err.count("\n") == 1


# ---------------------------------------------------------------------------------------------
# Workbook: the Inputs sheet's source column and the Sources sheet's 'cited by'
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def workbooks():
    """(preset, scenario) -> the built workbook read back with openpyxl, each built once."""
    @cache
    def load(preset: str, scenario: str | None):
        book = build_workbook(preset, [scenario] if scenario else [], years=1)
        return openpyxl.load_workbook(io.BytesIO(workbook_bytes(book)))

    return load


def inputs_sheet_sources(wb) -> dict[str, str]:
    ws = wb["Inputs"]
    header = [c.value for c in ws[3]]
    col = header.index("source") + 1
    return {ws.cell(r, 1).value: ws.cell(r, col).value for r in range(4, ws.max_row + 1)
            if ws.cell(r, 1).value in CATALOGUE}


def cited_by_sheet(wb) -> dict[str, set[str]]:
    ws = wb["Sources"]
    return {ws.cell(r, 1).value: set(filter(None, (ws.cell(r, 3).value or "").split(", ")))
            for r in range(4, ws.max_row + 1)}


def check_cited_by(cited: dict[str, set[str]], sources: dict[str, str]) -> list[str]:
    """Each input is listed under exactly the references its shown source names."""
    bad = []
    for name in sources:
        keys = set(reference_keys(sources[name]))
        listed = {k for k, names in cited.items() if name in names}
        if listed != keys:
            bad.append(f"{name}: listed under {sorted(listed)}, cites {sorted(keys)}")
    return bad[:5]


@pytest.mark.parametrize(("preset", "scenario"), CASES, ids=IDS)
def test_workbook_inputs_cite_the_value_written(workbooks, preset, scenario):
    wb = workbooks(preset, scenario)
    shown = inputs_sheet_sources(wb)
    assert set(shown) == set(INPUTS)
    assert_cites(shown, preset, scenario)
    settings = settings_of(preset, scenario)
    assert not check_cited_by(cited_by_sheet(wb), {n: settings.sources[n] for n in INPUTS})


def test_workbook_with_two_scenarios_names_each_scenarios_source():
    """Where scenarios set an input differently, each column's source follows its scenarios."""
    names = ["status-quo", "ai-2027", SCENARIO]
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(
        build_workbook("openai-2024", names, years=1))))
    shown = inputs_sheet_sources(wb)
    every = [scenario_settings("openai-2024", s) for s in names]
    for n in INPUTS:
        assert shown[n] == column_source([s.sources[n] for s in every], names), n
    assert shown["gpu_rental_price"] == PRESETS["openai-2024"].values["gpu_rental_price"][1]
    ideas = shown["software_returns"]
    assert ideas.startswith("status-quo, ai-2027: " + CATALOGUE["software_returns"].source)
    assert ideas.endswith(f"; {SCENARIO}: " + SCENARIOS[SCENARIO].values[
        "software_returns"][1])


def test_column_source_groups_scenarios_by_source():
    assert column_source(["a", "a"], ["x", "y"]) == "a"
    assert column_source(["a", "b", "a"], ["x", "y", "z"]) == "x, z: a; y: b"


# ---------------------------------------------------------------------------------------------
# App: the Sources tab's tables (pure helpers), and the page wiring them to the preset
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("preset", "scenario"), CASES, ids=IDS)
def test_app_sources_tables_cite_the_current_value(preset, scenario):
    settings = settings_of(preset, scenario)
    frame = tables.inputs_frame(settings)
    assert list(frame["name"]) == ui.input_names()
    shown = dict(zip(frame["name"], frame["source"], strict=True))
    want = {n: expected_source(preset, scenario, n) for n in shown}
    assert shown == want
    refs = tables.sources_frame(settings)
    assert list(refs["key"]) == list(REFERENCES)
    cited = {k: set(filter(None, v.split(", "))) for k, v in
             zip(refs["key"], refs["cited by"], strict=True)}
    assert not check_cited_by(cited, {n: settings.sources[n] for n in INPUTS})


def test_app_page_cites_the_presets_sources():
    """The page's Sources tab and each widget's help cite the chosen preset's sources."""
    preset = "openai-2024"
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"preset": preset})
    at.session_state["tab"] = "Sources"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    inputs = next(d.value for d in at.dataframe if "source" in d.value.columns)
    shown = dict(zip(inputs["name"], inputs["source"], strict=True))
    assert shown == {n: expected_source(preset, None, n) for n in ui.input_names()}
    own = PRESETS[preset].values["gpu_rental_price"][1]
    assert at.number_input(key="gpu_rental_price").help.endswith(f"Source: {own}")
