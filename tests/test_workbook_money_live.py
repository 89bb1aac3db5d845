"""Money cells follow the one money rule live (issue 20): number formats are fixed at export, so
an edit that moves a value to another scale ($4.50B to $450B, -$3.15B to -$315B) would read in
the old one. Conditional formats carry the rule (model.report.money.money_scales); LibreOffice
renders the edited, recalculated workbook to PDF (its CSV export ignores conditional formats),
and every money cell of Budget and Projection reads as the CLI prints the new value."""

from __future__ import annotations

import subprocess
import tempfile
from datetime import date

import openpyxl
import pytest

from model.cli import fleet_year as cli
from model.core.resolve import resolve
from model.loop.projection import project
from model.loop.scenarios import scenario_settings
from model.report.formats import texts
from model.report.money import money_format, money_scales
from model.workbook._styles import MONEY_FORMATS
from model.workbook.build import build_workbook, write_workbook
from tests.external import require, soffice

PRESET, SCENARIO, YEARS, STEP = "openai-2024", "status-quo", 3, "year"
EDIT, FACTOR = "fleet_gpus", 100.0  # a hundred times the fleet: money moves up a scale or two
SHOWN = {"Budget": 3, "Projection": 5}  # the sheets read back, and their last printed column


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    path = tmp_path_factory.mktemp("money") / "book.xlsx"
    write_workbook(build_workbook(PRESET, [SCENARIO], years=YEARS, step=STEP,
                                  created=date(2025, 1, 1)), path)
    return path


def _money_cells(ws, last_col: int):
    """(row name, cell) of every money-formatted cell from column C to last_col."""
    return [(row[0].value, cell) for row in ws.iter_rows(min_row=4, max_col=last_col)
            for cell in row[2:] if cell.number_format in MONEY_FORMATS]


def test_every_money_cell_carries_the_rule_as_conditional_formats(exported):
    wb = openpyxl.load_workbook(exported)
    covered = 0
    for ws in wb.worksheets:
        blocks = {str(cf.sqref): cf.rules for cf in ws.conditional_formatting}
        for _, cell in _money_cells(ws, ws.max_column):
            (rules,) = [r for sqref, r in blocks.items() if cell.coordinate in
                        openpyxl.worksheet.cell_range.MultiCellRange(sqref)]
            assert [r.dxf.numFmt.formatCode for r in rules][:-2] == [f for _, f in
                                                                    money_scales()]
            covered += 1
    assert covered > 100


@pytest.fixture(scope="module")
def rendered(exported, tmp_path_factory):
    """sheet title -> row name -> the printed texts of its cells, after the edit."""
    soffice()
    root = tmp_path_factory.mktemp("rendered")
    wb = openpyxl.load_workbook(exported)  # saving through openpyxl drops cached values
    ((title, coord),) = wb.defined_names[EDIT].destinations
    cell = wb[title][coord.replace("$", "")]
    cell.value = cell.value * FACTOR
    for name, last in SHOWN.items():  # name, unit, then the values
        ws = wb[name]
        ws.print_area = f"A4:{openpyxl.utils.get_column_letter(last)}{ws.max_row}"
    edited = root / "edited.xlsx"
    wb.save(edited)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless",
                        "--norestore", "--convert-to", "pdf", "--outdir", str(root),
                        str(edited)], check=True, capture_output=True, timeout=300)
    text = subprocess.run([require("pdftotext", "poppler-utils"), "-layout",
                           str(root / "edited.pdf"), "-"], check=True, capture_output=True,
                          text=True).stdout
    out: dict[str, dict[str, list[str]]] = {name: {} for name in SHOWN}
    for page in text.split("\f"):
        lines = page.strip("\n").splitlines()
        title = lines[0].split()[-1] if lines else ""  # the page header: file, sheet
        if title in SHOWN:
            for line in lines[1:]:
                words = line.split()
                if words:
                    out[title].setdefault(words[0], words[-(SHOWN[title] - 2):])
    return wb, out, cell.value


def _compare(cells, shown, expected) -> tuple[list, int]:
    """(cells whose printed text is not the CLI's, how many changed format in the edit)."""
    wrong, moved = [], 0
    for name, cell, value in cells:
        want = texts(name, [value], with_unit=False)[0]
        got = shown.get(name, [None] * 3)[cell.column - 3]
        if got != want:
            wrong.append((name, cell.coordinate, got, want))
        moved += money_format(value) != cell.number_format
    return wrong, moved


def test_budget_money_reads_as_the_cli_prints_the_edited_values(rendered):
    wb, shown, value = rendered
    cells = _money_cells(wb["Budget"], SHOWN["Budget"])
    out = cli.evaluate(resolve(PRESET, None, {EDIT: value}), tuple(n for n, _ in cells))
    wrong, moved = _compare([(n, c, out[n]) for n, c in cells], shown["Budget"], out)
    assert not wrong, wrong[:10]
    assert len(cells) > 10 and moved >= 5  # the fleet's budgets moved (not its per-GPU costs)


def test_projection_money_reads_as_the_cli_prints_the_edited_values(rendered):
    wb, shown, value = rendered
    df = project(scenario_settings(PRESET, SCENARIO, overrides={EDIT: value}), YEARS, STEP)
    cells = [(n, c) for n, c in _money_cells(wb["Projection"], SHOWN["Projection"])
             if n in df]
    wrong, moved = _compare([(n, c, float(df[n].iloc[c.column - 3])) for n, c in cells],
                            shown["Projection"], df)
    assert not wrong, wrong[:10]
    assert len(cells) > 30 and moved > 30
