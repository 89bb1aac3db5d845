"""Reading a workbook back: round trip, edits, and hostile files refused with one-line errors."""

from __future__ import annotations

import zipfile
from datetime import date

import openpyxl
import openpyxl.xml
import pytest

from model.cli import main as cli
from model.core.errors import InputError
from model.core.resolve import resolve
from model.workbook import package
from model.workbook.build import build_workbook, write_workbook
from model.workbook.read import read_workbook_inputs


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    path = tmp_path_factory.mktemp("read") / "meta.xlsx"
    write_workbook(build_workbook("meta-2024", created=date(2025, 1, 1)), path)
    return path


def _edit(src, dst, **cells):
    wb = openpyxl.load_workbook(src)
    for name, value in cells.items():
        (title, coord), = wb.defined_names[name].destinations
        wb[title][coord.replace("$", "")].value = value
    wb.save(dst)
    return dst


def _rezip(src, dst, edit):
    """Copy an xlsx, passing each entry through edit(name, bytes) -> bytes or None (drop)."""
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as b:
        for info in a.infolist():
            data = edit(info.filename, a.read(info.filename))
            if data is not None:
                b.writestr(info.filename, data)
    return dst


def _error(path) -> str:
    with pytest.raises(InputError) as err:
        read_workbook_inputs(path)
    message = str(err.value)
    assert "\n" not in message
    return message


def test_reader_parses_through_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True


def test_round_trip_gives_the_same_settings(exported):
    found = read_workbook_inputs(exported)
    assert found.preset == "meta-2024" and found.scenario is None
    assert resolve(found.preset, None, found.values).values == resolve("meta-2024").values
    assert found.cells["fleet_gpus"].startswith("Inputs!C")


def test_edited_workbook_loads_back_through_the_cli(exported, tmp_path, capsys):
    edited = _edit(exported, tmp_path / "e.xlsx", fleet_gpus=1000, cost_basis="rented")
    assert cli.main(["budget", "--from-workbook", str(edited), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert '"value": 1000.0' in out and '"value": "rented"' in out
    # --set still wins over the workbook
    assert cli.main(["budget", "--from-workbook", str(edited), "--set", "fleet_gpus=5"]) == 0


@pytest.mark.parametrize("argv", [
    ["run", "--years", "1", "--step", "year", "--scenario", "ai-2027"],
    ["run", "--years", "1", "--step", "year", "--preset", "openai-2024"],
    ["budget", "--gpu", "B200"],
    ["export", "--scenarios", "brakes", "--out", "/nonexistent/never.xlsx"],
])
def test_options_the_workbook_settles_are_refused_beside_it(exported, capsys, argv):
    # every input is read from the workbook and laid over them: they changed the label alone
    # (--scenario ai-2027 printed ai-2027 and ran the workbook's own status-quo inputs)
    assert cli.main([*argv, "--from-workbook", str(exported)]) == 2
    err = capsys.readouterr().err
    option = next(a for a in argv if a in ("--scenario", "--preset", "--gpu", "--scenarios"))
    assert err.count("\n") == 1 and f"{option} cannot be combined with it" in err, err


def test_the_api_refuses_a_preset_or_scenario_beside_a_workbook(exported):
    import model

    for call in (lambda: model.project("openai-2024", from_workbook=exported, years=1),
                 lambda: model.inputs(scenario="ai-2027", from_workbook=exported),
                 lambda: model.export("/nonexistent/x.xlsx", scenarios=["brakes"],
                                      from_workbook=exported)):
        with pytest.raises(InputError, match="cannot be combined"):
            call()


@pytest.mark.parametrize("value, needle", [
    ("=2*3", "formula"),
    (True, "expected a number"),
    ("lots", "fleet_gpus"),
    (-5, "must not be negative"),
    (1e12, "outside its bounds"),
    ("3 W", "units"),
    (None, "empty"),
    ("2,5", "cannot read"),  # not 25: a comma only separates thousands
])
def test_bad_input_cells_are_named(exported, tmp_path, value, needle):
    message = _error(_edit(exported, tmp_path / "bad.xlsx", fleet_gpus=value))
    assert needle in message and "Inputs!C" in message and "bad.xlsx" in message


def test_bad_choice_is_named(exported, tmp_path):
    message = _error(_edit(exported, tmp_path / "c.xlsx", cost_basis="leased"))
    assert "cost_basis" in message and "rented" in message


@pytest.mark.parametrize("value", [1, 0, 2.5])
def test_a_choice_cell_holding_a_number_is_refused(exported, tmp_path, value):
    # the cell shows an option's text; a number in it was read as an option's position (1 as
    # the second option, 'owned')
    message = _error(_edit(exported, tmp_path / "n.xlsx", cost_basis=value))
    assert "cost_basis" in message and "expected one of" in message
    assert message.endswith(f"got {value!r}")


def test_changed_constant_is_refused(exported, tmp_path):
    assert "fixed constant" in _error(_edit(exported, tmp_path / "k.xlsx", hours_per_year=8766))


def test_macro_enabled_files_are_refused(exported, tmp_path):
    xlsm = tmp_path / "m.xlsm"
    xlsm.write_bytes(exported.read_bytes())
    assert "macro" in _error(xlsm)
    vba = _rezip(exported, tmp_path / "v.xlsx", lambda n, d: d)
    with zipfile.ZipFile(vba, "a") as z:
        z.writestr("xl/vbaProject.bin", b"\0" * 10)
    assert "macro" in _error(vba)


def test_oversized_files_are_refused(exported, tmp_path, monkeypatch):
    monkeypatch.setattr(package, "MAX_FILE_BYTES", 1000)
    assert "limit" in _error(exported)


def test_zip_bombs_are_refused(exported, tmp_path):
    bomb = _rezip(exported, tmp_path / "bomb.xlsx", lambda n, d: d)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/zeros.bin", b"\0" * (package.MAX_UNCOMPRESSED_BYTES + 1))
    assert bomb.stat().st_size < 2_000_000
    assert "uncompressed" in _error(bomb)


def test_malformed_xml_is_refused(exported, tmp_path):
    broken = _rezip(exported, tmp_path / "x.xlsx",
                    lambda n, d: d[: len(d) // 2] if n == "xl/workbook.xml" else d)
    assert "cannot read the workbook" in _error(broken)


def test_entity_expansion_is_refused(exported, tmp_path):
    laughs = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
              b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>')

    def edit(name, data):
        if name == "xl/workbook.xml":
            return laughs + data.split(b"?>", 1)[-1] if data.startswith(b"<?xml") else (
                laughs + data)
        return data

    assert "cannot read the workbook" in _error(_rezip(exported, tmp_path / "e.xlsx", edit))


def test_not_a_zip_or_not_ours(tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip")
    assert "not an xlsx" in _error(junk)
    other = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(other)
    assert "no model inputs" in _error(other)
    assert "cannot read" in _error(tmp_path / "missing.xlsx")


def test_a_package_without_its_content_types_is_named(exported, tmp_path):
    bare = _rezip(exported, tmp_path / "bare.xlsx",
                  lambda n, d: None if n == "[Content_Types].xml" else d)
    message = _error(bare)  # was openpyxl's KeyError, quoted
    assert message.endswith("bare.xlsx: not an xlsx workbook (no [Content_Types].xml part)")


def test_unknown_preset_on_cover_is_named(exported, tmp_path):
    wb = openpyxl.load_workbook(exported)
    ws = wb["Cover"]
    row = next(r for r in ws.iter_rows() if r[0].value == "Preset")
    row[1].value = "=cmd|' /C calc'!A0"
    wb.save(tmp_path / "p.xlsx")
    assert "unknown preset" in _error(tmp_path / "p.xlsx")


def test_defined_name_pointing_at_a_range_is_refused(exported, tmp_path):
    wb = openpyxl.load_workbook(exported)
    wb.defined_names["fleet_gpus"].attr_text = "Inputs!$C$5:$C$9"
    wb.save(tmp_path / "r.xlsx")
    assert "one cell" in _error(tmp_path / "r.xlsx")
