"""Hostile links and uploads through the page (AppTest): every one ends in a visible message
naming what was refused or changed, never an exception on the page, and the widgets stay within
their bounds (the URL decoder and the widgets read the same limits)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hostile import HOSTILE_NUMBERS, inflate, with_raw_cell
from pages import page
from streamlit.testing.v1 import AppTest

from app import inputs as ui
from model.core.catalogue import CATALOGUE
from model.core.resolve import resolve
from model.workbook.build import build_workbook, write_workbook


def warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


@pytest.mark.parametrize(("query", "needle"), [
    ({"fleet_gpus": "9**9**9 GPU"}, "fleet_gpus: cannot read"),
    ({"pue": "10**400"}, "pue: cannot read"),
    ({"fleet_gpus": "1" * 401}, "fleet_gpus: cannot read"),
    ({"gpu_rental_price": "1 USD/GPU/hour^9^9^9"}, "gpu_rental_price: cannot read"),
    ({"pue": "nan"}, "pue: expected a finite number"),
    ({"step": "x" * 5000}, "step: expected one of"),
    ({"preset": "\x00" * 10}, "unknown preset"),
], ids=range(7))
def test_a_hostile_link_is_reported_by_name(query, needle):
    at = page(query)
    assert any(needle in w for w in warnings(at)), warnings(at)
    assert all(len(w) < 500 for w in warnings(at))
    base = resolve(at.session_state["preset"], at.session_state["gpu"])
    for name in query:
        if name in CATALOGUE:
            assert at.session_state[name] == base.values[name]


@pytest.mark.parametrize(("years", "shown", "needle"), [
    ("40", 30, "years: 40 is outside 1 to 30; showing 30"),
    ("-5", 1, "years: -5 is outside 1 to 30; showing 1"),
    ("abc", 10, "years: expected a whole number from 1 to 30"),
    ("9" * 5000, 10, "years: expected a whole number"),
])
def test_the_horizon_from_a_link_is_held_to_the_slider(years, shown, needle):
    at = page({"years": years})
    assert any(w.startswith(f"Ignored from the link: {needle}") for w in warnings(at)), \
        warnings(at)
    assert at.slider(key="years").value == shown
    assert (ui.HORIZON[0], ui.HORIZON[1]) == (at.slider(key="years").min,
                                              at.slider(key="years").max)


def test_a_link_full_of_junk_gives_a_bounded_list():
    numeric = [n for n, q in CATALOGUE.items() if q.kind == "input"]
    query = dict(zip(numeric, HOSTILE_NUMBERS, strict=False))
    query.update({f"junk_{i}": "1" for i in range(500)})
    query["scenarios"] = ",".join(["nope"] * 300 + ["brakes", "brakes"])
    at = page(query)
    shown = warnings(at)
    assert len(shown) == ui.MAX_PROBLEMS + 1 and shown[-1].endswith("more parameters"), shown
    assert at.session_state["scenarios"] == ["brakes"]


def test_a_scenario_listed_twice_is_shown_once_and_said():
    at = page({"scenarios": "brakes,ai-2027,brakes"})
    assert at.session_state["scenarios"] == ["brakes", "ai-2027"]
    assert "Ignored from the link: scenarios: brakes listed 2 times; shown once" in warnings(at)


# --- uploads -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("up") / "openai.xlsx"
    write_workbook(build_workbook("openai-2024", created=date(2026, 1, 1)), path)
    return path


def upload(path: Path) -> AppTest:
    at = page({})
    at.file_uploader(key="upload").upload(path.name, path.read_bytes()).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _cell(src: Path, dst: Path, name: str, inner_xml: str) -> Path:
    import openpyxl

    wb = openpyxl.load_workbook(src, read_only=True)
    (title, coord), = wb.defined_names[name].destinations
    wb.close()
    return with_raw_cell(src, dst, title, coord.replace("$", ""), inner_xml)


@pytest.mark.parametrize(("name", "xml", "needle"), [
    ("share_research", "<v>0.9</v>", "shares must sum to 1"),
    ("fleet_gpus", "<is><t> =1.2</t></is>", "holds a formula"),
    ("fleet_gpus", "<v>" + "1" * 401 + "</v>", "too large"),
    ("pue", "<is><t>10**400</t></is>", "pue: cannot read"),
], ids=range(4))
def test_a_bad_upload_is_not_loaded(exported, tmp_path, name, xml, needle):
    at = upload(_cell(exported, tmp_path / "bad.xlsx", name, xml))
    assert not at.success, [s.value for s in at.success]
    assert at.error and at.error[0].value.startswith("Not loaded: bad.xlsx")
    assert needle in at.error[0].value, at.error[0].value


def test_a_big_scratch_sheet_does_not_stop_an_upload(exported, tmp_path):
    big = inflate(exported, tmp_path / "scratch.xlsx", "Equations", 1_000_000)
    at = upload(big)
    assert at.success and at.success[0].value.startswith("Loaded"), at.error


def test_a_padded_inputs_sheet_is_refused(exported, tmp_path):
    at = upload(inflate(exported, tmp_path / "padded.xlsx", "Inputs", 1_000_000))
    assert at.error and "over the" in at.error[0].value
