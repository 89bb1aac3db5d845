"""The committed example workbooks (workbooks/) match what the model exports today.

What must hold on every machine is compared exactly: sheets, formulas, text, defined names, data
validation, number formats and cell styles. Cached numbers (what the Python model computed for
each formula cell) are compared with a relative tolerance of 1e-12: NumPy's exp, log and power
take different SIMD paths on different CPUs and versions, so the last bits of a value computed
elsewhere cannot be promised (issue 8). A model change moves values far more than that, so a
stale workbook still fails, naming its cells. Byte identity is asserted where it can hold:
exporting twice in one process (tests/test_workbook.py::test_same_inputs_same_bytes and below).
Regenerate with `make workbooks` after a deliberate model change.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import openpyxl
import pytest

from model.workbook.examples import example_bytes, example_files

WORKBOOKS = Path(__file__).resolve().parent.parent / "workbooks"
REL_TOL = 1e-12  # cross-machine float noise is ~1e-15; a model change is far larger
ABS_TOL_AT_ZERO = 1e-12  # where one side is exactly 0, a relative tolerance means nothing
SHOWN = 5  # differing cells named in a failure message


def _colour(color) -> object:
    return None if color is None else (color.type, color.rgb if color.type == "rgb" else
                                       color.theme if color.type == "theme" else color.indexed)


def _style(cell) -> tuple:
    font, fill = cell.font, cell.fill
    return (cell.number_format, bool(font.b), _colour(font.color), fill.fill_type,
            _colour(fill.fgColor) if fill.fill_type else None, bool(cell.alignment.wrap_text))


def _validations(ws) -> list[tuple]:
    return sorted((str(dv.sqref), dv.type, dv.operator, dv.formula1, dv.formula2, dv.error)
                  for dv in ws.data_validations.dataValidation)


def _layout(wb) -> dict[str, object]:
    """Everything but cell contents that must match exactly, keyed by what it is."""
    out: dict[str, object] = {"sheets": wb.sheetnames,
                              "defined names": sorted((n, d.attr_text)
                                                      for n, d in wb.defined_names.items())}
    for ws in wb.worksheets:
        out[f"{ws.title} validation"] = _validations(ws)
        out[f"{ws.title} freeze panes"] = ws.freeze_panes
        out[f"{ws.title} charts"] = len(ws._charts)
    return out


def _cells(wb) -> dict[tuple[str, str], tuple[object, tuple]]:
    return {(ws.title, c.coordinate): (c.value, _style(c)) for ws in wb.worksheets
            for row in ws.iter_rows() for c in row if c.value is not None}


def _load(data: bytes, data_only: bool):
    return openpyxl.load_workbook(io.BytesIO(data), data_only=data_only)


def same_value(a: object, b: object) -> bool:
    """Exact for text, booleans and formulas; numbers within REL_TOL (ABS_TOL_AT_ZERO at 0)."""
    numbers = (int, float)
    if isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool) \
            and not isinstance(b, bool):
        a, b = float(a), float(b)
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        at_zero = ABS_TOL_AT_ZERO if a == 0 or b == 0 else 0.0
        return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=at_zero)
    return type(a) is type(b) and a == b


def differences(committed: bytes, fresh: bytes) -> list[str]:
    """Human-readable differences between two workbooks (empty when they match)."""
    old_wb, new_wb = _load(committed, False), _load(fresh, False)
    old_layout, new_layout = _layout(old_wb), _layout(new_wb)
    problems = [f"{key} differ" for key in sorted(old_layout.keys() | new_layout.keys())
                if old_layout.get(key) != new_layout.get(key)]
    old, new = _cells(old_wb), _cells(new_wb)
    old_cached, new_cached = _cells(_load(committed, True)), _cells(_load(fresh, True))
    for key in sorted(old.keys() | new.keys()):
        (a, style_a), (b, style_b) = old.get(key, (None, ())), new.get(key, (None, ()))
        where = f"{key[0]}!{key[1]}"
        if not same_value(a, b):
            problems.append(f"{where} formula or input: committed {a!r}, exported now {b!r}")
        elif style_a != style_b:
            problems.append(f"{where} style: committed {style_a}, exported now {style_b}")
        elif isinstance(a, str) and a.startswith("="):
            a, b = old_cached.get(key, (None,))[0], new_cached.get(key, (None,))[0]
            if not same_value(a, b):
                problems.append(f"{where} cached value: committed {a!r}, exported now {b!r}")
    return problems


def test_readme_names_every_example():
    readme = (WORKBOOKS / "README.md").read_text()
    assert all(name in readme for name in example_files())


@pytest.mark.parametrize("name", list(example_files()))
def test_committed_workbook_matches_the_model(name):
    path = WORKBOOKS / name
    assert path.exists(), f"{path} is missing: run `make workbooks`"
    committed, fresh = path.read_bytes(), example_bytes(example_files()[name])
    if committed == fresh:  # made on this machine: nothing to compare
        return
    problems = differences(committed, fresh)
    assert not problems, (f"{name}: {len(problems)} differences, e.g. "
                          + "; ".join(problems[:SHOWN]) + "; run `make workbooks`")


def test_exporting_twice_gives_the_same_bytes():
    options = example_files()["openai-2024.xlsx"]
    assert example_bytes(options) == example_bytes(options)


@pytest.mark.parametrize(("a", "b", "same"), [
    (0.6314388418618146, 0.6314388418618145, True),  # the cross-CPU noise
    (1.3445573637317303, 1.3445573637317323, True),
    (1.0, 1.0 + 1e-9, False),  # a model change
    (0.0, 1e-13, True),
    (0.0, 1e-6, False),
    (1e-300, 2e-300, False),
    ("=a+b", "=a+b", True),
    ("=a+b", "=b+a", False),  # formulas are compared exactly
    (True, 1.0, False),
    (float("nan"), float("nan"), True),
    (2, 2.0, True),
])
def test_values_compare_with_a_tolerance_and_formulas_exactly(a, b, same):
    assert same_value(a, b) is same


def _edited(data: bytes, edit) -> bytes:
    wb = _load(data, False)
    edit(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_stale_workbook_fails_naming_its_cells():
    options = example_files()["deepseek-v3.xlsx"]
    data = example_bytes(options)
    changed = example_bytes({**options, "overrides": {"gpu_rental_price": 2.5}})
    problems = differences(data, changed)
    assert any(p.startswith("Inputs!C") and p.endswith("committed 2.0, exported now 2.5")
               for p in problems)
    assert any(p.startswith("Budget!") and "cached value" in p for p in problems)


def test_formula_and_style_changes_are_named():
    # Both sides pass through openpyxl (which drops cached values), so only the edit differs.
    data = example_bytes(example_files()["deepseek-v3.xlsx"])

    def formula(wb):
        wb["Budget"]["C6"] = "=1+1"

    def style(wb):
        wb["Budget"]["C6"].number_format = "0.0"

    base = _edited(data, lambda wb: None)
    assert differences(base, _edited(data, lambda wb: None)) == []
    assert [p[:18] for p in differences(base, _edited(data, formula))] == ["Budget!C6 formula "]
    assert [p[:16] for p in differences(base, _edited(data, style))] == ["Budget!C6 style:"]
