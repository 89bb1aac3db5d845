"""The workbook under construction: openpyxl cells plus the model's value of every formula cell.

Every write goes through `Book`, so that (1) text is always stored as text, never parsed as a
formula, whatever it starts with (`=`, `+`, `-`, `@`); (2) each formula cell's value, computed
by the Python model, is remembered for `model.workbook.cached_values.finish_xlsx`; (3) defined
names are checked to be valid Excel names before they are created.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from model.core.catalogue import CATALOGUE, is_valid_excel_name
from model.core.errors import ModelDefinitionError

from ._styles import column_letter


def quote_sheet(title: str) -> str:
    """A sheet title as a formula reference prefix: 'Projection ai-2027'!"""
    return "'" + title.replace("'", "''") + "'!"


def absolute(title: str, row: int, col: int) -> str:
    """An absolute reference to one cell: 'Inputs'!$C$7."""
    return f"{quote_sheet(title)}${column_letter(col)}${row}"


def excel_number(value: float) -> str:
    """A number as Excel formula text (repr round-trips; upper-case exponent)."""
    return repr(float(value)).upper() if value != int(value) or abs(value) >= 1e15 else str(
        int(value))


def local_name(symbol) -> str:
    """The name a sheet reads input `symbol` by: its own, a choice's `<name>_index` (the option
    number its formulas compare)."""
    q = CATALOGUE[str(symbol)]
    return f"{q.name}_index" if q.kind == "choice" else q.name


@dataclass
class Book:
    """An openpyxl Workbook and the cached value of each formula cell (title -> ref -> value)."""

    wb: Workbook = field(default_factory=Workbook)
    cached: dict[str, dict[str, object]] = field(default_factory=dict)
    defined: dict[str, str] = field(default_factory=dict)
    created: datetime = field(default_factory=lambda: datetime(2020, 1, 1))

    def __post_init__(self) -> None:
        self.wb.remove(self.wb.active)

    def sheet(self, title: str):
        ws = self.wb.create_sheet(title)
        self.cached[title] = {}
        return ws

    def text(self, ws, row: int, col: int, text: object, font=None):
        """Write `text` as a text cell (data type 's'), never a formula."""
        cell = ws.cell(row, col)
        cell.value = "" if text is None else str(text)
        cell.data_type = "s"
        if font is not None:
            cell.font = font
        return cell

    def number(self, ws, row: int, col: int, value: float, fmt: str | None = None):
        cell = ws.cell(row, col, float(value))
        self.cached[ws.title][cell.coordinate] = float(value)  # written exactly (repr)
        if fmt:
            cell.number_format = fmt
        return cell

    def formula(self, ws, row: int, col: int, formula: str, value: object,
                fmt: str | None = None):
        """Write a formula (starting with '=') and remember the model's value for it."""
        if not formula.startswith("="):
            raise ModelDefinitionError(f"not a formula: {formula!r}")
        cell = ws.cell(row, col)
        cell.value = formula
        cell.data_type = "f"
        if fmt:
            cell.number_format = fmt
        self.cached[ws.title][cell.coordinate] = value
        return cell

    def row(self, ws, row: int, cells: Sequence[object], font=None) -> None:
        """Write text/number cells from column A on."""
        for col, value in enumerate(cells, start=1):
            if isinstance(value, int | float) and not isinstance(value, bool):
                self.number(ws, row, col, value)
            elif value is not None:
                self.text(ws, row, col, value, font)

    def define(self, name: str, ws, row: int, col: int) -> str:
        """Create the workbook-level defined name `name` -> this cell; return the name."""
        if not is_valid_excel_name(name) or name.lower() in {n.lower() for n in self.defined}:
            raise ModelDefinitionError(f"{name!r} cannot be a (new) Excel defined name")
        target = absolute(ws.title, row, col)
        self.wb.defined_names[name] = DefinedName(name, attr_text=target)
        self.defined[name] = target
        return name

    def define_range(self, name: str, ws, row: int, col: int, last_row: int, last_col: int):
        """A workbook-level defined name for a block of cells."""
        if not is_valid_excel_name(name) or name.lower() in {n.lower() for n in self.defined}:
            raise ModelDefinitionError(f"{name!r} cannot be a (new) Excel defined name")
        target = f"{absolute(ws.title, row, col)}:${column_letter(last_col)}${last_row}"
        self.wb.defined_names[name] = DefinedName(name, attr_text=target)
        self.defined[name] = target
        return name

    def define_local(self, title: str, targets: dict) -> None:
        """Names scoped to the sheet `title` for the inputs `targets` (symbol -> absolute
        reference), each its local_name: a sheet reads its own inputs by the model's names."""
        ws = self.wb[title]
        for symbol, target in targets.items():
            name = local_name(symbol)
            if not is_valid_excel_name(name):
                raise ModelDefinitionError(f"{name!r} cannot be an Excel defined name")
            ws.defined_names[name] = DefinedName(name, attr_text=target)

    def validate(self, ws, ref: str, kind: str, low: str, high: str | None, message: str):
        """Data validation on the cells `ref`: decimal/whole between bounds, or a list."""
        if kind == "list":
            dv = DataValidation(type="list", formula1=low, allow_blank=False)
        else:
            dv = DataValidation(type=kind, operator="between", formula1=low, formula2=high,
                                allow_blank=False)
        dv.showErrorMessage, dv.errorTitle, dv.error = True, "Out of bounds", message
        dv.showInputMessage, dv.promptTitle, dv.prompt = True, "Allowed", message[:255]
        ws.add_data_validation(dv)
        dv.add(ref)
        return dv
