"""The workbook writer: layout, names, validation, cached values, text safety, the CLI."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import openpyxl
import pandas as pd
import pytest

from model.cli import main as cli
from model.core.catalogue import CATALOGUE, is_valid_excel_name
from model.core.equations import BUDGET_OUTPUTS, EQUATIONS
from model.loop.projection import STEP_ROWS
from model.loop.scenarios import SCENARIOS
from model.workbook.build import build_workbook, workbook_bytes, write_workbook

SHEETS = ["Summary", "Cover", "Inputs", "Constants", "Budget", "Projection", "Projection brakes",
          "Finance", "Compare", "Charts", "Equations", "Sources", "Checks"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    path = tmp_path_factory.mktemp("wb") / "openai.xlsx"
    book = build_workbook("openai-2024", ["ai-2027", "brakes"], years=5, title="=1+1",
                          notes="@SUM(A1)", created=date(2025, 1, 1))
    write_workbook(book, path)
    return path, book


@pytest.fixture(scope="module")
def formulas(exported):
    return openpyxl.load_workbook(exported[0])


def test_sheets_in_fast_order(formulas):
    assert formulas.sheetnames == SHEETS


def test_every_defined_name_is_a_valid_excel_name(formulas):
    names = list(formulas.defined_names)
    assert names and all(is_valid_excel_name(n) for n in names)
    inputs = [n for n, q in CATALOGUE.items() if q.is_input]
    assert set(inputs) <= set(names)
    projection_only = set(STEP_ROWS) - set(inputs) - set(EQUATIONS)
    assert projection_only and not projection_only & set(names)  # no names for projection rows
    for name in names:  # Budget outputs are named on Budget, inputs on Inputs
        (title, _), = formulas.defined_names[name].destinations
        assert title in ("Inputs", "Constants", "Budget", "Checks") or name in ("summary_scenario",
                                                                   "summary_index")


def test_every_input_cell_is_validated_with_the_models_bounds(formulas):
    ws = formulas["Inputs"]
    validated = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            for row in ws.iter_rows(min_row=rng.min_row, max_row=rng.max_row,
                                    min_col=rng.min_col, max_col=rng.max_col):
                for cell in row:
                    validated[cell.coordinate] = dv
    for name, q in CATALOGUE.items():
        if not q.is_input:
            continue
        (title, coord), = formulas.defined_names[name].destinations
        dv = validated[coord.replace("$", "")]
        if q.kind == "choice":
            assert dv.type == "list" and dv.formula1 == '"' + ",".join(q.choices) + '"'
        else:
            assert float(dv.formula1) == q.min and float(dv.formula2) == q.max, name


def test_choice_cell_holds_option_text(formulas):
    (title, coord), = formulas.defined_names["cost_basis"].destinations
    assert formulas[title][coord.replace("$", "")].value == "rented"


def test_budget_formulas_read_as_names(formulas):
    ws = formulas["Budget"]
    found = {row[0].value: row[2].value for row in ws.iter_rows(min_row=4)}
    assert found["budget_training"] == "=gpus_training*cost_per_gpu_hour*hours_per_year" or (
        set(found["budget_training"][1:].split("*"))
        == {"gpus_training", "cost_per_gpu_hour", "hours_per_year"})
    assert set(BUDGET_OUTPUTS) <= set(found)


def test_projection_one_consistent_formula_per_row(formulas):
    ws = formulas["Projection"]
    assert ws.cell(4, 1).value == STEP_ROWS[0] and ws.cell(4, 2).value is not None
    assert ws.freeze_panes == "C4"
    from openpyxl.formula.translate import Translator

    labels = [r[0].value for r in ws.iter_rows(min_row=4, max_col=1)]
    last = 4 + labels.index(STEP_ROWS[-1])  # between the rows: helper rows; below: the paths
    for row in ws.iter_rows(min_row=4, max_row=last):
        first = row[3]  # the first later-step column (D): every later column is it, shifted
        if first.value is None:  # a helper of the first step's formula only
            assert "_part" in row[0].value and all(c.value is None for c in row[4:])
            continue
        for cell in row[4:]:
            moved = Translator(first.value, origin=first.coordinate).translate_formula(
                cell.coordinate)
            assert cell.value == moved, (row[0].value, cell.coordinate)


def test_cached_values_are_visible_to_pandas(exported):
    budget = pd.read_excel(exported[0], sheet_name="Budget", header=None)
    values = dict(zip(budget[0], budget[2], strict=True))
    assert values["budget_total"] == pytest.approx(7e9, rel=1e-9)
    checks = pd.read_excel(exported[0], sheet_name="Checks", header=None)
    assert checks.iloc[-1, 2] == True  # noqa: E712 - numpy bool


def test_formula_cells_stay_formulas(exported):
    with zipfile.ZipFile(exported[0]) as z:
        xml = z.read("xl/worksheets/sheet5.xml").decode()  # Budget: the fifth sheet
    assert "<f>" in xml and "<v />" not in xml


@pytest.mark.parametrize("text", ["=1+1", "+cmd", "-2", "@SUM(A1)", "=HYPERLINK(\"x\")"])
def test_user_text_is_written_as_text(tmp_path, text):
    path = write_workbook(build_workbook("meta-2024", title=text, notes=text), tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(path)["Cover"]
    assert ws["A1"].value == text and ws["A1"].data_type == "s"
    notes = next(r[1] for r in ws.iter_rows() if r[0].value == "Notes")
    assert notes.value == text and notes.data_type == "s"


def test_notes_may_break_lines_and_a_title_may_fill_a_cell(tmp_path):
    notes, title = "Board pack\n\tdraft 2", "x" * 32_767
    path = write_workbook(build_workbook("meta-2024", title=title, notes=notes),
                          tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(path)["Cover"]
    assert ws["A1"].value == title
    assert next(r[1] for r in ws.iter_rows() if r[0].value == "Notes").value == notes


def test_number_formats_suit_units(formulas):
    ws = formulas["Budget"]
    fmt = {row[0].value: row[2].number_format for row in ws.iter_rows(min_row=4)}
    assert fmt["compute_total"] == "0.00E+00"
    assert "$" in fmt["budget_total"] and fmt["share_total"] == "0.0%"
    assert fmt["gpus_training"] == "#,##0"


def test_same_inputs_same_bytes():
    options = {"preset": "deepseek-v3", "scenarios": ["status-quo"], "years": 3,
               "created": date(2025, 1, 1)}
    assert workbook_bytes(build_workbook(**options)) == workbook_bytes(build_workbook(**options))


def test_export_command_writes_the_workbook(tmp_path, capsys):
    out = tmp_path / "cli.xlsx"
    code = cli.main(["export", "--preset", "openai-2024", "--scenario", "brakes", "--scenarios",
                     "status-quo,ai-2027", "--years", "4", "--set", "discount_rate=0.05",
                     "--title", "=1+1", "--out", str(out)])
    assert code == 0 and "wrote" in capsys.readouterr().out
    wb = openpyxl.load_workbook(out)
    assert "Projection ai-2027" in wb.sheetnames and wb["Cover"]["A1"].value == "=1+1"
    (title, coord), = wb.defined_names["discount_rate"].destinations
    assert wb[title][coord.replace("$", "")].value == 0.05


def test_export_command_errors_are_one_line(tmp_path, capsys):
    code = cli.main(["export", "--preset", "nope", "--out", str(tmp_path / "x.xlsx")])
    assert code == 2 and capsys.readouterr().err.count("\n") == 1
    code = cli.main(["export", "--scenario", "nope", "--out", str(tmp_path / "x.xlsx")])
    assert code == 2
    code = cli.main(["export", "--out", str(tmp_path / "x.csv")])
    assert code == 2


def test_export_reads_an_edited_workbook_back(exported, tmp_path):
    wb = openpyxl.load_workbook(exported[0])
    (title, coord), = wb.defined_names["fleet_gpus"].destinations
    wb[title][coord.replace("$", "")].value = 123_456
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    again = tmp_path / "again.xlsx"
    assert cli.main(["export", "--from-workbook", str(edited), "--out", str(again)]) == 0
    wb2 = openpyxl.load_workbook(again)
    (title, coord), = wb2.defined_names["fleet_gpus"].destinations
    assert wb2[title][coord.replace("$", "")].value == 123_456
    assert wb2["Cover"]["B7"].value == "ai-2027"  # the primary scenario came back too


def test_all_scenarios_export(tmp_path):
    book = build_workbook("ai-2027-lab-2024", list(SCENARIOS), years=3)
    data = workbook_bytes(book)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert sum(t.startswith("Projection") for t in wb.sheetnames) == len(SCENARIOS)
