"""The observed panel (model.market.observed, `python -m model observed`): every figure against
its source, by hand arithmetic on the source's own numbers; the panel's bookkeeping (citations,
measures, shares that add up); the command's JSON, CSV and table; one-line errors.

Tolerance: the shares are the sources' (rounded) figures divided by hand, so they are checked to
1e-9 of that division; where a source's own headline rounds the same figures (OpenAI 2024's
'~$5B of ~$7B'), the panel's share must lie within 0.03 of the headline's ratio.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from datetime import date

import openpyxl
import pytest

from model.cli.main import main
from model.core.sources import REFERENCES, reference_keys
from model.market import labs
from model.market.engine import equilibrium
from model.market.observed import COLUMNS, LABS, MEASURES, PANEL, SHARES, panel, research_points
from model.market.single_lab import lab_settings
from model.market.world import LABS as MARKET_LABS
from model.workbook.build import workbook_bytes
from model.workbook.market_book import build_market_workbook

TOL = 1e-9


def rows(lab: str, period: str, measure: str) -> list:
    return [o for o in PANEL if o.lab == lab and o.period == period and o.measure == measure]


def one(lab: str, period: str, measure: str, scope_word: str = ""):
    found = [o for o in rows(lab, period, measure) if scope_word in o.scope]
    assert len(found) == 1, (lab, period, measure, scope_word, found)
    return found[0]


# --- each figure against its source -----------------------------------------------------------
def test_openai_2024_as_reported():
    # The Information / NYT via Epoch: $3B training, $1.8B inference, $1B research (amortised)
    o = one("openai", "2024", "expense", "as reported")
    assert o.total_usd == pytest.approx(5.8e9, rel=TOL)
    assert o.rd_share == pytest.approx(4.0 / 5.8, abs=TOL)  # 0.6897
    assert o.inference_share == pytest.approx(1.8 / 5.8, abs=TOL)  # 0.3103
    assert math.isnan(o.research_share) and math.isnan(o.training_share)  # 'training' has runs


def test_openai_2024_epoch_split():
    # Epoch: research amortised over two years ($2B), so 3 + 1.8 + 2 = $6.8B; R&D $5B of which
    # final runs ~$0.5B
    o = one("openai", "2024", "expense", "final runs")
    assert o.total_usd == pytest.approx(6.8e9, rel=TOL)
    assert o.rd_share == pytest.approx(5.0 / 6.8, abs=TOL)  # 0.7353
    assert o.rd_share == pytest.approx(5 / 7, abs=0.03)  # the headline '~$5B of ~$7B' = 0.714
    assert o.training_share == pytest.approx(0.5 / 6.8, abs=TOL)  # 0.0735
    assert o.research_share == pytest.approx(4.5 / 6.8, abs=TOL)  # 0.6618
    assert o.inference_share == pytest.approx(1.8 / 6.8, abs=TOL)  # 0.2647
    assert o.training_share / o.rd_share == pytest.approx(0.10, abs=TOL)  # 'roughly 10%'
    assert o.fleet_h100e == 388_000  # '$6.8B all-Hopper at $2/hr => ~388k H100e average'
    assert 6.8e9 / (2.0 * 8760) == pytest.approx(o.fleet_h100e, rel=0.001)


def test_openai_2025():
    compute = one("openai", "2025", "compute")
    assert (compute.inference_share, compute.rd_share) == (0.5, 0.5)  # Epoch: ~50% inference
    expense = one("openai", "2025", "expense")
    assert expense.rd_share == pytest.approx(9 / 16.3, abs=TOL)  # ~$9B R&D of $16.3B: 0.5521
    assert expense.inference_share == pytest.approx(7.3 / 16.3, abs=TOL)
    assert expense.inference_usd == 7.3e9  # exactly, not 7300000000.000001


def test_anthropic_2025():
    year = one("anthropic", "2025", "compute")
    assert (year.inference_share, year.rd_share) == (0.4, 0.6)  # ~40% over the year
    end = one("anthropic", "end-2025", "compute")
    assert (end.inference_share, end.rd_share) == (0.5, 0.5)  # ~50% at the year's end
    assert year.total_usd == 6.8e9  # 2025 cloud spend as reported


def test_meta():
    run = one("meta", "2024", "compute")
    assert run.training_share == pytest.approx(16_384 / 600_000, abs=TOL)  # 0.0273
    assert "30.84M / (600,000 x 8,760) = 0.0059" in run.note  # 30.84e6 / 5.256e9 = 0.00587
    cluster = one("meta", "end-2024", "compute")
    assert cluster.rd_share == pytest.approx(100_000 / 700_000, abs=TOL)  # 0.143, Epoch '~15%'
    assert cluster.rd_share == pytest.approx(0.15, abs=0.01)
    facebook = one("meta", "2021", "compute")  # Wu et al.: 10:20:70
    assert (facebook.research_share, facebook.training_share, facebook.inference_share) == (
        0.10, 0.20, 0.70)


def test_google_xai_deepseek():
    google = one("google", "2019-2021", "energy")  # Patterson et al.: ~3/5 inference
    assert (google.rd_share, google.inference_share) == (0.4, 0.6)
    xai = one("xai", "end-2024", "compute")
    assert xai.rd_share == pytest.approx(100_000 / 203_366.32, abs=TOL)  # 0.4917
    run = one("deepseek", "2024", "compute")
    assert run.training_share == pytest.approx(2_048 / 50_000, abs=TOL)  # 0.04096
    serving = one("deepseek", "Feb 2025, one day", "compute")
    assert serving.inference_h100e == 226.75 * 8 == 1_814
    assert serving.inference_share == pytest.approx(1_814 / 50_000, abs=TOL)  # 0.03628


def test_fleets_are_the_market_labs_epoch_medians():
    assert one("openai", "2025", "compute").fleet_h100e == labs.FLEET_2025["openai"]
    assert one("anthropic", "2025", "compute").fleet_h100e == labs.FLEET_2025["anthropic"]
    assert one("xai", "end-2024", "compute").fleet_h100e == labs.FLEET_2024["xai"]


# --- bookkeeping ------------------------------------------------------------------------------
@pytest.mark.parametrize("o", PANEL, ids=[f"{o.lab}-{o.period}-{o.measure}" for o in PANEL])
def test_each_observation_is_cited_labelled_and_adds_up(o):
    keys = reference_keys(o.citation)
    assert keys and set(keys) <= set(REFERENCES), o.citation
    assert o.measure in MEASURES and o.scope and o.note
    shares = [getattr(o, s) for s in SHARES]
    assert any(not math.isnan(s) for s in shares)
    assert all(math.isnan(s) or 0 <= s <= 1 for s in shares)
    if not math.isnan(o.research_share + o.training_share + o.rd_share):
        assert o.research_share + o.training_share == pytest.approx(o.rd_share, abs=TOL)
    if not math.isnan(o.rd_share + o.inference_share):
        assert o.rd_share + o.inference_share <= 1 + TOL
    for num, den in (("rd_usd", "total_usd"), ("inference_usd", "total_usd"),
                     ("training_usd", "total_usd")):
        share = getattr(o, num.replace("_usd", "_share"))
        if not math.isnan(getattr(o, num)) and not math.isnan(share):
            assert getattr(o, num) / getattr(o, den) == pytest.approx(share, abs=TOL)


def test_the_frame_and_the_points_for_the_charts():
    df = panel()
    assert tuple(df.columns) == COLUMNS and len(df) == len(PANEL)
    assert set(panel("openai")["lab"]) == {"openai"} and len(panel("openai")) == 4
    points = research_points(df)
    epoch = next(p for p in points if p["lab"] == "openai" and "final runs" in p["scope"])
    assert epoch["value"] == pytest.approx(4.5 / 6.8) and epoch["kind"].startswith("research")
    reported = next(p for p in points if p["lab"] == "openai" and "reported" in p["scope"])
    assert reported["value"] == pytest.approx(4 / 5.8) and reported["kind"].startswith("all R&D")
    # a final run alone or inference alone says nothing of research: no point
    assert not any(p["lab"] == "deepseek" for p in points)
    assert all(p["citation"] for p in points)


# --- the command ------------------------------------------------------------------------------
def run(capsys, *argv: str) -> str:
    assert main(["observed", *argv]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


def test_json_is_strict_and_snake_case_as_the_frame(capsys):
    def refuse(constant):
        raise ValueError(f"non-strict JSON constant {constant}")

    doc = json.loads(run(capsys, "--format", "json"), parse_constant=refuse)
    assert len(doc["rows"]) == len(PANEL)
    for row in doc["rows"]:
        assert tuple(row) == COLUMNS
        assert all(re.fullmatch(r"[a-z0-9_]+", k) for k in row)
    first = doc["rows"][1]
    assert first["lab"] == "openai" and first["research_share"] == pytest.approx(4.5 / 6.8)
    assert doc["rows"][0]["research_share"] is None  # nan -> null
    assert set(doc["definitions"]) >= set(SHARES)


def test_csv_has_the_frames_columns_and_values(capsys):
    table = list(csv.DictReader(io.StringIO(run(capsys, "--format", "csv", "--lab", "meta"))))
    assert tuple(table[0]) == COLUMNS and {r["lab"] for r in table} == {"meta"}
    assert float(table[0]["training_share"]) == pytest.approx(16_384 / 600_000)
    assert table[0]["research_share"] == ""  # no source: empty, not a number


def test_table_shows_shares_sources_and_notes(capsys):
    out = run(capsys)
    assert f"{len(PANEL)} published observations" in out
    assert "66.2%" in out and "73.5%" in out and "26.5%" in out  # OpenAI 2024, Epoch
    assert "epoch-openai-spend-page" in out and "wu-2022" in out
    assert "R&D 5 / 6.8 = 0.735" in out  # the arithmetic is shown


@pytest.mark.parametrize("argv", [["--format", "xml"], ["--lab", "nobody"],
                                  ["--lab", "x" * 5000], ["--nonsense"]])
def test_bad_input_is_one_line_and_exit_2(argv, capsys):
    assert main(["observed", *argv]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("error: ") and err.count("\n") == 1 and len(err) < 400


def test_every_lab_can_be_asked_for(capsys):
    for lab in LABS:
        doc = json.loads(run(capsys, "--lab", lab, "--format", "json"))
        assert {r["lab"] for r in doc["rows"]} == {lab}


# --- the market workbook's Observed sheet -----------------------------------------------------
@pytest.fixture(scope="module")
def observed_ws():
    names = ("openai", "meta")
    labs_ = [MARKET_LABS[n] for n in names]
    m = equilibrium([lab_settings(lab, None) for lab in labs_], list(names), years=2,
                    step="year")
    book = build_market_workbook(labs_, None, m, None, years=2, step="year",
                                 created=date(2026, 1, 1))
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(book)))
    assert wb.sheetnames[-2:] == ["Observed", "Checks"]  # the checks last, as FAST has them
    return wb["Observed"]


def test_the_observed_sheet_holds_the_panel_as_values(observed_ws):
    ws = observed_ws
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "lab")
    assert tuple(ws.cell(header, c).value for c in range(1, len(COLUMNS) + 1)) == COLUMNS
    for i, o in enumerate(PANEL, start=header + 1):
        for c, name in enumerate(COLUMNS, start=1):
            cell, want = ws.cell(i, c), getattr(o, name)
            assert cell.data_type != "f", (cell.coordinate, cell.value)
            if isinstance(want, str):
                assert cell.value == want and cell.data_type == "s"
            elif math.isnan(want):
                assert cell.value is None, (o.lab, name)
            else:
                assert cell.value == pytest.approx(want, abs=0), (o.lab, name)
    epoch = header + 2  # OpenAI 2024, Epoch's split: research 4.5 / 6.8
    assert ws.cell(epoch, COLUMNS.index("research_share") + 1).value == pytest.approx(4.5 / 6.8)
    assert ws.cell(epoch, COLUMNS.index("research_share") + 1).number_format == "0.0%"


def test_the_observed_sheet_has_no_formulas_and_a_chart_beside_the_paths(observed_ws):
    ws = observed_ws
    assert not [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert len(ws._charts) == 1
    titles = [s.tx.strRef.f if s.tx.strRef else s.tx.v for s in ws._charts[0].series]
    assert titles[:2] == ["openai (model)", "meta (model)"]
    seen = {p["lab"] for p in research_points(panel())}
    assert sorted(titles[2:]) == sorted(f"{lab} (observed)" for lab in seen)


def _cells(wb, ref: str) -> list:
    """The cells a chart series reference ('Sheet'!$C$5:$C$9, a row or a column) names."""
    sheet, span = ref.rsplit("!", 1)
    found = wb[sheet.strip("'")][span.replace("$", "")]
    return [found] if isinstance(found, openpyxl.cell.Cell) else [c for row in found for c in row]


def test_the_chart_plots_the_panel_beside_each_labs_research_row(observed_ws):
    wb = observed_ws.parent
    series = {s.tx.strRef.f if s.tx.strRef else s.tx.v: s for s in observed_ws._charts[0].series}
    for lab in ("openai", "meta"):  # the model: each lab sheet's year and share_research rows
        line = series[f"{lab} (model)"]
        xs, ys = _cells(wb, line.xVal.numRef.f), _cells(wb, line.yVal.numRef.f)
        assert {wb[lab].cell(c.row, 1).value for c in xs} == {"year"}
        assert {wb[lab].cell(c.row, 1).value for c in ys} == {"share_research"}
        assert len(xs) == len(ys) == 2  # two yearly steps
    for lab in {p["lab"] for p in research_points(panel())}:  # the panel: its points' cells
        dots = series[f"{lab} (observed)"]
        want = [p for p in research_points(panel()) if p["lab"] == lab]
        xs, ys = _cells(wb, dots.xVal.numRef.f), _cells(wb, dots.yVal.numRef.f)
        assert [c.value for c in xs] == [p["year"] for p in want]
        assert [c.value for c in ys] == pytest.approx([p["value"] for p in want], abs=0)
    openai = _cells(wb, series["openai (observed)"].yVal.numRef.f)
    assert openai[1].value == pytest.approx(4.5 / 6.8, abs=TOL)  # Epoch's 2024 research split
    assert openai[0].value == pytest.approx(4 / 5.8, abs=TOL)  # all R&D, as reported


def test_the_chart_and_its_points_start_a_printed_page(observed_ws):
    ws = observed_ws
    data = next(r for r in range(1, ws.max_row + 1)
                if str(ws.cell(r, 1).value).startswith("Chart data"))
    assert [b.id for b in ws.row_breaks.brk] == [data - 1]  # a page ends above the points
    assert ws._charts[0].anchor._from.row + 1 > data  # (0-based) the chart below them
