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
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import openpyxl.xml
from openpyxl.utils.cell import column_index_from_string, get_column_letter

from model.core.catalogue import CATALOGUE
from model.core.errors import InputError, quoted
from model.core.presets import PRESETS
from model.core.resolve import parse_input

from .package import open_package, unreadable

# Where a defined name may point. An exported Inputs sheet is ~190 rows by 13 columns; this
# leaves room for rows and columns an analyst inserts, while keeping the rectangle the reader
# walks small: Excel's own limits (1,048,576 x 16,384) would let one name at XFD1048576 make
# openpyxl's read-only reader fill ~1.7e10 empty cells.
MAX_ROW, MAX_COLUMN = 10_000, 26
_CELL = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]{1,8})$")
_NONE = ("", "(catalogue defaults)")


@dataclass
class WorkbookInputs:
    """Inputs read from a workbook: values as text (name -> text), and where each came from."""

    path: Path
    preset: str | None
    scenario: str | None
    values: dict[str, str] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)


def _load(path: Path, data: bytes):
    """The workbook in read-only mode: sheets are parsed only when iterated."""
    if not openpyxl.xml.DEFUSEDXML:
        raise InputError("refusing to read workbooks: defusedxml is not installed")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False,
                                          keep_vba=False, keep_links=False)
    except Exception as exc:  # malformed XML, forbidden entities, broken parts...
        raise unreadable(path, exc) from None


def _address(path: Path, name: str, dn) -> tuple[str, int, int]:
    """(sheet, row, column) of the single cell the defined name `dn` points at."""
    try:
        (title, coord), *more = list(dn.destinations)
    except (ValueError, TypeError):
        raise InputError(f"{path}: defined name {name} does not point at one cell") from None
    where = f"{path}: defined name {name} ({title}!{coord})"
    match = _CELL.match(coord)
    if more or match is None:
        raise InputError(f"{where} does not point at one cell")
    column, row = column_index_from_string(match[1]), int(match[2])
    if not (1 <= row <= MAX_ROW and 1 <= column <= MAX_COLUMN):
        raise InputError(f"{where} points outside the inputs' area (rows 1 to {MAX_ROW:,}, "
                         f"columns A to {get_column_letter(MAX_COLUMN)})")
    return title, row, column


def _cells(path: Path, wb, wanted: dict[str, tuple[str, int, int]]) -> dict[str, object]:
    """The cells at `wanted` addresses (name -> cell), reading each sheet once, only as far as
    the furthest wanted cell."""
    by_sheet: dict[str, dict[int, list[tuple[int, str]]]] = {}
    for name, (title, row, column) in wanted.items():
        if title not in wb.sheetnames:
            raise InputError(f"{path}: defined name {name} points at a missing sheet "
                             f"{quoted(title)}")
        by_sheet.setdefault(title, {}).setdefault(row, []).append((column, name))
    found: dict[str, object] = {}
    for title, by_row in by_sheet.items():
        first_row = min(by_row)
        first_column = min(c for spots in by_row.values() for c, _ in spots)
        last_column = max(c for spots in by_row.values() for c, _ in spots)
        try:
            # rows come in order from first_row, each a tuple from first_column (gaps filled):
            # index the wanted cells rather than visit every cell of the rectangle
            lines = wb[title].iter_rows(min_row=first_row, max_row=max(by_row),
                                        min_col=first_column, max_col=last_column)
            for row, line in enumerate(lines, start=first_row):
                for column, name in by_row.get(row, ()):
                    found[name] = line[column - first_column]
        except InputError:
            raise
        except Exception as exc:  # malformed sheet XML
            raise unreadable(path, exc, f"sheet {title}") from None
    return found


def _value(path: Path, name: str, cell, where: str) -> str:
    """The cell's value as input text, validated by parse_input (a missing cell is empty)."""
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f" or not isinstance(
            value, str | int | float | type(None)) or (
            isinstance(value, str) and value.lstrip().startswith("=")):
        raise InputError(f"{path}: {where} ({name}) holds a formula or an unsupported value; "
                         "an input cell must hold a plain value")
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InputError(f"{path}: {where} ({name}) is empty")
    if isinstance(value, bool):
        raise InputError(f"{path}: {where} ({name}): expected a number, got {value}")
    q = CATALOGUE[name]
    if q.kind == "choice" and not isinstance(value, str):  # not an option's number: the cell
        raise InputError(f"{path}: {where} ({name}): expected one of "  # shows the option
                         f"{', '.join(q.choices)}, got {value!r}")
    try:
        number = parse_input(name, value)
    except InputError as exc:
        raise InputError(f"{path}: {where}: {exc}") from None
    return q.choices[int(number)] if q.kind == "choice" else repr(number)


def _cover(path: Path, wb) -> tuple[str | None, str | None]:
    """The preset and primary scenario named on the Cover (None where absent)."""
    if "Cover" not in wb.sheetnames:
        return None, None
    found: dict[str, str] = {}
    try:
        rows = list(wb["Cover"].iter_rows(min_col=1, max_col=2, max_row=40, values_only=True))
    except Exception as exc:  # malformed sheet XML
        raise unreadable(path, exc) from None
    for row in rows:
        label, value = (tuple(row) + (None, None))[:2]
        if label in ("Preset", "Scenario") and label not in found:
            found[label] = str(value).strip() if value is not None else ""
    preset = found.get("Preset", "")
    preset = None if preset in _NONE else preset
    if preset is not None and preset not in PRESETS:
        raise InputError(f"{path}: Cover names an unknown preset {quoted(preset)}")
    scenario = found.get("Scenario", "")
    scenario = None if scenario in _NONE or scenario.startswith("(none") else scenario
    return preset, scenario


def read_workbook_inputs(path: str | Path) -> WorkbookInputs:
    """Read and validate the input cells (found by their defined names) of a workbook."""
    path = Path(path)
    inputs = {n.lower() for n, q in CATALOGUE.items() if q.is_input}
    wb = _load(path, open_package(path, inputs))
    try:
        return _read(path, wb)
    finally:
        wb.close()


def _read(path: Path, wb) -> WorkbookInputs:
    preset, scenario = _cover(path, wb)
    result = WorkbookInputs(path, preset, scenario)
    names = {key.lower(): dn for key, dn in wb.defined_names.items()}
    wanted = {n: _address(path, n, names[n.lower()]) for n, q in CATALOGUE.items()
              if q.is_input and n.lower() in names}
    cells = _cells(path, wb, wanted)
    for name, (title, row, column) in wanted.items():
        where = f"{title}!{get_column_letter(column)}{row}"
        cell = cells.get(name)
        text = _value(path, name, cell, where)
        if CATALOGUE[name].kind != "constant":
            result.values[name], result.cells[name] = text, where
    if not result.values:
        raise InputError(f"{path}: no model inputs found (not a workbook exported by "
                         "`python -m model export`?)")
    return result
