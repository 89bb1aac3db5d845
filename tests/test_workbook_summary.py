"""The Summary sheet the workbook opens on, and every sheet's print setup.

The file tests need openpyxl only; the `libreoffice` ones recalculate the exported file (cached
values stripped) and a copy whose scenario cell was switched, and compare with the model.
"""

from __future__ import annotations

import json
from datetime import date

import openpyxl
import pytest
from openpyxl.formula.translate import Translator

from model.cli import main as cli
from model.loop.projection import project
from model.loop.scenarios import scenario_settings
from model.report.formats import money_format
from model.workbook._summary_sheet import BINDS, ROWS
from model.workbook.build import build_workbook, projection_title, write_workbook
from model.workbook.cached_values import strip_cached_values
from tests.external import soffice
from tests.test_workbook_libreoffice import recalculate_all

PRESET = "openai-2024"
SCENARIOS = ["ai-2027", "status-quo", "brakes"]  # the primary first: not the default one
YEARS = 6
REL = 1e-6  # LibreOffice against the model


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    path = tmp_path_factory.mktemp("summary") / "summary.xlsx"
    # yearly steps: one Summary column a year, the block's cells easy to name
    write_workbook(build_workbook(PRESET, SCENARIOS, years=YEARS, step="year",
                                  created=date(2025, 1, 1)), path)
    return path


@pytest.fixture(scope="module")
def wb(exported):
    return openpyxl.load_workbook(exported)


@pytest.fixture(scope="module")
def cached(exported):
    return openpyxl.load_workbook(exported, data_only=True)


def _model(scenario: str):
    return project(scenario_settings(PRESET, scenario), YEARS, "year")


def _cell(wb, name: str):
    (title, coord), = wb.defined_names[name].destinations
    return wb[title][coord.replace("$", "")]


def _block(ws) -> dict[str, list]:
    """Summary block: row name -> the year cells' values."""
    return {row[0].value: [c.value for c in row[2:2 + YEARS]]
            for row in ws.iter_rows(min_row=8, max_row=7 + len(ROWS))}


def _cli_npv(capsys, scenario: str) -> float:
    assert cli.main(["run", "--preset", PRESET, "--scenario", scenario, "--years", str(YEARS),
                     "--step", "year", "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)["npv"]


def _projection_row(wb, title: str, name: str) -> int:
    return next(r[0].row for r in wb[title].iter_rows(max_col=1) if r[0].value == name)


def test_workbook_opens_on_the_summary(wb):
    assert wb.sheetnames[:3] == ["Summary", "Cover", "Inputs"]
    assert wb.sheetnames[-1] == "Checks"
    assert wb.active.title == "Summary"
    assert [ws.title for ws in wb.worksheets if ws.sheet_view.tabSelected] == ["Summary"]


def test_scenario_cell_is_an_input_with_a_dropdown_of_the_scenarios(wb):
    cell = _cell(wb, "summary_scenario")
    assert (cell.parent.title, cell.coordinate, cell.value) == ("Summary", "C4", "ai-2027")
    assert cell.font.color.rgb.endswith("0000CC") and cell.fill.fgColor.rgb.endswith("FFF2CC")
    ws = wb["Summary"]
    dv, = ws.data_validations.dataValidation
    assert (str(dv.sqref), dv.type) == ("C4", "list")
    first, last = dv.formula1.replace("$", "").split(":")
    assert [ws[f"A{r}"].value for r in range(int(first[1:]), int(last[1:]) + 1)] == SCENARIOS
    assert [ws[f"B{r}"].value for r in range(int(first[1:]), int(last[1:]) + 1)] == [
        projection_title(s, k == 0) for k, s in enumerate(SCENARIOS)]
    index = _cell(wb, "summary_index")
    assert index.value == f"=MATCH(summary_scenario,{dv.formula1},0)"


def test_block_formulas_choose_the_same_cell_of_each_projection(wb):
    ws = wb["Summary"]
    titles = [projection_title(s, k == 0) for k, s in enumerate(SCENARIOS)]
    row = _projection_row(wb, "Projection", "budget_research")
    assert all(_projection_row(wb, t, "budget_research") == row for t in titles)
    assert ws["A8"].value == "budget_research" and ws["B8"].value == "USD/year"
    assert ws["C8"].value == (f"=CHOOSE(summary_index,'Projection'!C{row},"
                              f"'Projection status-quo'!C{row},'Projection brakes'!C{row})")
    words = _projection_row(wb, "Projection", "binding_constraint_words")  # its lookup row
    binds = next(r for r in ws.iter_rows(min_row=8) if r[0].value == "binding_constraint")
    assert binds[2].value == (f"=CHOOSE(summary_index,'Projection'!C{words},"
                              f"'Projection status-quo'!C{words},'Projection brakes'!C{words})")
    for r in ws.iter_rows(min_row=7, max_row=7 + len(ROWS)):  # one formula per row, shifted
        for cell in r[3:2 + YEARS]:
            assert cell.value == Translator(r[2].value, origin=r[2].coordinate) \
                .translate_formula(cell.coordinate), cell.coordinate


def test_block_caches_the_primary_scenarios_numbers(cached, capsys):
    df = _model("ai-2027")
    block = _block(cached["Summary"])
    assert set(block) == set(ROWS)
    for name in ROWS:
        if name == "binding_constraint":
            assert block[name] == [BINDS[int(c)] for c in df[name]]
        else:
            assert block[name] == pytest.approx(list(df[name]), rel=1e-12), name
    assert block["npv"][-1] == pytest.approx(_cli_npv(capsys, "ai-2027"), rel=1e-12)
    years = [c.value for c in cached["Summary"][7][2:2 + YEARS]]
    assert years == list(df["year"])


def test_block_number_formats_suit_a_finance_reader(wb, cached):
    ws = wb["Summary"]
    formats = {r[0].value: r[2].number_format for r in ws.iter_rows(min_row=8, max_row=17)}
    # money by the one rule of the display catalogue, each cell on its (cached) value's scale
    for r, v in zip(ws.iter_rows(min_row=8, max_row=17),
                    cached["Summary"].iter_rows(min_row=8, max_row=17), strict=True):
        if r[0].value in ("budget_research", "budget_inference", "capex", "inference_revenue",
                          "free_cash_flow", "npv"):
            assert [c.number_format for c in r[2:]] == [money_format(c.value) for c in v[2:]]
    assert formats["share_research"] == formats["share_inference"] == "0.0%"
    assert formats["fleet_gpus"] == "#,##0"


def test_summary_explains_itself_and_charts_the_block(wb):
    ws = wb["Summary"]
    assert "scenario cell" in ws["A2"].value and "Inputs sheet" in ws["A2"].value
    chart, = ws._charts
    last = 'CDEFGHIJ'[YEARS - 1]
    assert [s.yVal.numRef.f for s in chart.series] == [
        f"'Summary'!$C${r}:${last}${r}" for r in (8, 9)]
    # over calendar years (the header row), ticked each whole year
    assert {s.xVal.numRef.f for s in chart.series} == {f"'Summary'!$C$7:${last}$7"}
    assert (chart.x_axis.majorUnit, chart.x_axis.number_format.formatCode) == (1, "0")
    assert chart.series[0].tx.v == "research" and chart.series[1].tx.v == "inference"


def test_checks_compare_the_summary_npv_with_the_projection(wb, cached):
    ws = wb["Checks"]
    row = next(r for r in ws.iter_rows() if str(r[0].value).startswith("Summary: NPV"))
    last = "CDEFGHIJ"[YEARS - 1]
    npv = _projection_row(wb, "Projection", "npv")
    assert row[2].value == (f"=OR(summary_index<>1,ABS('Summary'!${last}$16-"
                            f"'Projection'!${last}${npv})<=tolerance)")
    assert cached["Checks"][row[2].coordinate].value is True


def test_every_sheet_prints_on_a4_one_page_wide(wb):
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert ws.print_area and ws.print_area.startswith(f"'{ws.title}'!$A$1:"), ws.title
        # one page wide, or a few for a wide sheet (the Inputs' many scenario columns)
        assert setup.fitToWidth >= 1 and ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert setup.fitToWidth == 1 or ws.title not in ("Summary", "Charts", "Checks"), ws.title
        assert int(setup.paperSize) == int(ws.PAPERSIZE_A4) == 9, ws.title
        assert ws.oddHeader.center.text == "&A" and "&P" in ws.oddFooter.center.text
        assert setup.fitToHeight == (1 if ws.title in ("Summary", "Charts") else 0), ws.title
    for title in ("Summary", "Projection", "Projection brakes", "Compare", "Finance"):
        assert wb[title].print_title_rows == ("$1:$7" if title == "Summary" else "$1:$3")
    assert wb["Projection"].page_setup.orientation == "landscape"
    assert wb["Checks"].page_setup.orientation == "portrait"
    assert wb["Charts"].print_area.endswith("$59")  # below the last chart (anchored at A41)


def test_no_scenarios_no_summary(tmp_path):
    path = write_workbook(build_workbook("meta-2024"), tmp_path / "budget.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "Cover" and "Summary" not in wb.sheetnames
    assert "summary_scenario" not in wb.defined_names


@pytest.fixture(scope="module")
def recalculated(exported, tmp_path_factory):
    """(stripped file recalculated, scenario switched to brakes and recalculated)."""
    soffice()
    root = tmp_path_factory.mktemp("summary_lo")
    stripped = root / "stripped.xlsx"
    stripped.write_bytes(strip_cached_values(exported.read_bytes()))
    book = openpyxl.load_workbook(exported)  # saving through openpyxl drops cached values
    _cell(book, "summary_scenario").value = "brakes"
    switched = root / "switched.xlsx"
    book.save(switched)
    out = recalculate_all([stripped, switched], root / "out")
    return tuple(openpyxl.load_workbook(out[p], data_only=True) for p in (stripped, switched))


def _all_checks_pass(wb) -> bool:
    """The Checks total is TRUE: a boolean, or 1 where LibreOffice saved it (a cell formatted
    to show TRUE/FALSE is saved as a number)."""
    return wb["Checks"].cell(wb["Checks"].max_row, 3).value in (True, 1)


def _assert_block(ws, scenario: str) -> None:
    df = _model(scenario)
    block = _block(ws)
    for name in ROWS:
        if name == "binding_constraint":
            assert block[name] == [BINDS[int(c)] for c in df[name]]
        else:
            assert block[name] == pytest.approx(list(df[name]), rel=REL, abs=1e-6), name


@pytest.mark.libreoffice
def test_libreoffice_computes_the_primary_scenario_in_the_summary(recalculated, capsys):
    wb = recalculated[0]
    _assert_block(wb["Summary"], "ai-2027")
    assert wb["Summary"]["C5"].value == 1
    npv = wb["Summary"].cell(16, 2 + YEARS).value
    assert npv == pytest.approx(_cli_npv(capsys, "ai-2027"), rel=REL)
    assert _all_checks_pass(wb)


@pytest.mark.libreoffice
def test_switching_the_scenario_cell_switches_the_block(recalculated, capsys):
    wb = recalculated[1]
    assert wb["Summary"]["C4"].value == "brakes" and wb["Summary"]["C5"].value == 3
    _assert_block(wb["Summary"], "brakes")
    npv = wb["Summary"].cell(16, 2 + YEARS).value
    assert npv == pytest.approx(_cli_npv(capsys, "brakes"), rel=REL)
    assert npv != pytest.approx(_cli_npv(capsys, "ai-2027"), rel=1e-3)
    assert _all_checks_pass(wb)  # still all TRUE
