"""What a newcomer sees on each sheet: titles, column widths, row heights, one money scale,
TRUE/FALSE that stay TRUE/FALSE in LibreOffice, charts whose lines do not hide each other."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from model.report.formats import money_format
from model.workbook._styles import BOOLEAN
from model.workbook.build import build_workbook, write_workbook

SCENARIOS = ["status-quo", "compute-bottleneck", "brakes"]  # a long name among them


@pytest.fixture(scope="module")
def path(tmp_path_factory):
    path = tmp_path_factory.mktemp("layout") / "layout.xlsx"
    write_workbook(build_workbook("openai-2024", SCENARIOS, years=4, step="year",
                                  created=date(2025, 1, 1)),
                   path)
    return path


@pytest.fixture(scope="module")
def wb(path):
    return openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def cached(path):
    return openpyxl.load_workbook(path, data_only=True)


def _width(ws, letter: str) -> float:
    return ws.column_dimensions[letter].width


def test_every_sheet_opens_on_a_title(wb):
    for ws in wb.worksheets:
        if ws.title != "Charts":  # its charts carry their own titles
            assert ws["A1"].font.b and ws["A1"].font.sz == 14, ws.title
    assert wb["Equations"]["A3"].value == "name" and wb["Equations"].freeze_panes == "B4"
    assert wb["Sources"]["A3"].value == "key" and "[brackets]" in wb["Sources"]["A2"].value


def test_wrapped_text_gets_the_rows_it_needs(wb):
    cover = wb["Cover"]
    how = next(r[1] for r in cover.iter_rows() if r[0].value == "How to use")
    assert cover.row_dimensions[how.row].height >= 45  # three lines at 110 characters
    assert cover.row_dimensions[how.row].height <= 60
    assert cover.cell(how.row, 1).alignment.vertical == "top"  # the label beside its text
    sources = wb["Sources"]
    assert any((sources.row_dimensions[r].height or 0) > 15 for r in range(4, sources.max_row))


def test_checks_show_true_or_false_in_libreoffice_too(wb):
    checks = wb["Checks"]
    results = [checks.cell(r, 3) for r in range(5, checks.max_row + 1)
               if checks.cell(r, 3).value is not None]
    assert results and all(c.number_format == BOOLEAN for c in results)
    assert len(checks["A2"].value) < checks.column_dimensions["A"].width  # not cut by B
    longest = max(len(str(checks.cell(r, 1).value or "")) for r in range(5, checks.max_row + 1))
    assert _width(checks, "A") >= longest
    finance = wb["Finance"]
    paid = next(r for r in finance.iter_rows() if r[0].value == "paid_back")
    assert paid[2].number_format == BOOLEAN and paid[1].value == "true/false"


def test_columns_fit_their_widest_text_or_number(wb):
    inputs = wb["Inputs"]
    header = {c.value: c.column_letter for c in inputs[3] if c.value}
    assert _width(inputs, header["compute-bottleneck"]) > len("compute-bottleneck")
    assert _width(inputs, header["unit"]) > len("USD/GPU/hour")
    projection = wb["Projection"]
    row = next(r for r in projection.iter_rows() if r[0].value == "tokens_per_gpu_year")
    assert row[2].number_format == "#,##0"  # 156,008,592,000: ### in 13 characters
    assert all(_width(projection, c.column_letter) >= 17 for c in row[2:])


def test_finance_names_its_scenario_and_shows_dollars_by_the_one_rule(wb, cached):
    ws = wb["Finance"]
    assert "picked on the Summary" in ws["A1"].value and ws["E1"].value == "=summary_scenario"
    # every dollar cell as the app and the CLI print its value: no "$0.00B" for $500M
    rows = zip(ws.iter_rows(min_row=4), cached["Finance"].iter_rows(min_row=4), strict=True)
    money = {r[0].value: [(c.number_format, money_format(v.value)) for c, v in zip(
        r[2:], values[2:], strict=True) if isinstance(v.value, float)]
        for r, values in rows if str(r[1].value).startswith("USD")}
    assert all(f == rule for cells in money.values() for f, rule in cells), money
    assert "budget_automation" in money and money["budget_automation"]
    notes = {r[0].value: r[4].value for r in ws.iter_rows(min_row=4) if r[0].font.b}
    assert "cross-check" in notes["npv_excel"]


def test_pure_numbers_say_what_they_are(wb):
    units = {r[0].value: r[1].value for r in wb["Projection"].iter_rows(min_row=4)}
    assert units["share_research"] == "%" and units["ai_rd_multiplier"] == "x"
    assert units["binding_constraint"] == "code" and units["capability"] == "OOMs"
    assert units["budget_research"] == "USD/year"


def test_summary_explains_its_helper_cells_and_names_the_charted_scenario(wb):
    ws = wb["Summary"]
    assert "dropdown" in ws["D4"].value and "calculated" in ws["D5"].value
    assert "Money in $ millions" in ws["A2"].value
    chart, = ws._charts
    assert "scenario above" in chart.title.tx.rich.p[0].r[0].t


def test_coinciding_chart_lines_stay_visible(wb):
    speed = wb["Charts"]._charts[2]
    dashes = [s.graphicalProperties.line.prstDash for s in speed.series]
    assert dashes == ["solid", "dash"]  # equal without an AI speed-up: dashed over solid
