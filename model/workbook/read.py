"""Read the inputs of an exported (possibly edited) workbook back into the model, safely.

The file is untrusted.  Before openpyxl parses anything: the size on disk and the total
uncompressed size of the zip are bounded (zip bombs), macro-enabled files (.xlsm, vbaProject.bin)
are refused, and openpyxl must be parsing through defusedxml (no entity expansion, no external
entities).  Formulas are never evaluated: an input cell holding a formula is an error.  Each value
is validated like any other input (settings.parse_input: type, unit, bounds).  Every problem is an
InputError naming the file, and the cell and input where there is one.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import openpyxl.xml

from model.core.catalogue import CATALOGUE
from model.core.errors import InputError
from model.core.presets import PRESETS
from model.core.resolve import parse_input

MAX_FILE_BYTES = 20 * 2**20
MAX_UNCOMPRESSED_BYTES = 200 * 2**20
MAX_ENTRIES = 2000
_MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlsb", ".xlam")
_NONE = ("", "(catalogue defaults)")


@dataclass
class WorkbookInputs:
    """Inputs read from a workbook: values as text (name -> text), and where each came from."""

    path: Path
    preset: str | None
    scenario: str | None
    values: dict[str, str] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)


def _open_zip(path: Path) -> bytes:
    """The file's bytes, after the size, zip and macro checks."""
    if path.suffix.lower() in _MACRO_SUFFIXES:
        raise InputError(f"{path}: macro-enabled or binary workbooks are refused; save as .xlsx")
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"{path}: expected an .xlsx workbook")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"{path}: {size:,} bytes is over the {MAX_FILE_BYTES:,}-byte limit")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            content_types = archive.read("[Content_Types].xml") if any(
                e.filename == "[Content_Types].xml" for e in entries) else b""
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError(f"{path}: not an xlsx file (not a valid zip archive)") from None
    if len(entries) > MAX_ENTRIES:
        raise InputError(f"{path}: {len(entries)} archive entries is over the limit")
    total = sum(e.file_size for e in entries)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise InputError(f"{path}: uncompressed size {total:,} bytes is over the "
                         f"{MAX_UNCOMPRESSED_BYTES:,}-byte limit")
    if any(e.filename.lower().endswith("vbaproject.bin") for e in entries) or (
            b"macroEnabled" in content_types):
        raise InputError(f"{path}: contains macros (vbaProject.bin); macro-enabled workbooks "
                         "are refused")
    return data


def _load(path: Path, data: bytes):
    if not openpyxl.xml.DEFUSEDXML:
        raise InputError("refusing to read workbooks: defusedxml is not installed")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(data), data_only=False, keep_vba=False,
                                          keep_links=False)
    except Exception as exc:  # malformed XML, forbidden entities, broken parts...
        reason = str(exc).splitlines()[0][:120] if str(exc) else ""
        raise InputError(f"{path}: cannot read the workbook ({type(exc).__name__}"
                         f"{': ' + reason if reason else ''})") from None


def _cell_of(path: Path, wb, name: str):
    """The single cell the defined name `name` points at, or None when the name is absent."""
    found = [dn for key, dn in wb.defined_names.items() if key.lower() == name.lower()]
    if not found:
        return None
    try:
        (title, coord), *more = list(found[0].destinations)
    except (ValueError, TypeError):
        raise InputError(f"{path}: defined name {name} does not point at one cell") from None
    if more or title not in wb.sheetnames or ":" in coord:
        raise InputError(f"{path}: defined name {name} does not point at one cell")
    return wb[title][coord.replace("$", "")]


def _value(path: Path, name: str, cell, where: str) -> str:
    """The cell's value as input text, validated by parse_input."""
    value = cell.value
    if cell.data_type == "f" or not isinstance(value, str | int | float | type(None)) or (
            isinstance(value, str) and value.startswith("=")):
        raise InputError(f"{path}: {where} ({name}) holds a formula or an unsupported value; "
                         "an input cell must hold a plain value")
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InputError(f"{path}: {where} ({name}) is empty")
    if isinstance(value, bool):
        raise InputError(f"{path}: {where} ({name}): expected a number, got {value}")
    try:
        number = parse_input(name, value)
    except InputError as exc:
        raise InputError(f"{path}: {where}: {exc}") from None
    q = CATALOGUE[name]
    return q.choices[int(number)] if q.kind == "choice" else repr(number)


def _cover(path: Path, wb) -> tuple[str | None, str | None]:
    """The preset and primary scenario named on the Cover (None where absent)."""
    if "Cover" not in wb.sheetnames:
        return None, None
    found: dict[str, str] = {}
    for row in wb["Cover"].iter_rows(min_col=1, max_col=2, max_row=40):
        label, value = row[0].value, row[1].value
        if label in ("Preset", "Scenario") and label not in found:
            found[label] = str(value).strip() if value is not None else ""
    preset = found.get("Preset", "")
    preset = None if preset in _NONE else preset
    if preset is not None and preset not in PRESETS:
        raise InputError(f"{path}: Cover names an unknown preset {preset!r}")
    scenario = found.get("Scenario", "")
    scenario = None if scenario in _NONE or scenario.startswith("(none") else scenario
    return preset, scenario


def read_workbook_inputs(path: str | Path) -> WorkbookInputs:
    """Read and validate the input cells (found by their defined names) of a workbook."""
    path = Path(path)
    wb = _load(path, _open_zip(path))
    preset, scenario = _cover(path, wb)
    result = WorkbookInputs(path, preset, scenario)
    for name, q in CATALOGUE.items():
        if not q.is_input:
            continue
        cell = _cell_of(path, wb, name)
        if cell is None:
            continue
        where = f"{cell.parent.title}!{cell.coordinate}"
        text = _value(path, name, cell, where)
        if q.kind != "constant":
            result.values[name], result.cells[name] = text, where
    if not result.values:
        raise InputError(f"{path}: no model inputs found (not a workbook exported by "
                         "`python -m model export`?)")
    return result
