"""The committed example workbooks (workbooks/) match what the model exports today.

Compared cell by cell (formulas and cached values) so that a failure names the first cells that
changed; regenerate with `make workbooks` after a deliberate model change.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import openpyxl
import pytest

from model.export_examples import example_bytes, example_files

WORKBOOKS = Path(__file__).resolve().parent.parent / "workbooks"


def _cells(data: bytes, data_only: bool) -> dict[tuple[str, str], object]:
    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=data_only)
    return {(ws.title, c.coordinate): c.value for ws in wb.worksheets
            for row in ws.iter_rows() for c in row if c.value is not None}


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return a == b


def test_readme_names_every_example():
    readme = (WORKBOOKS / "README.md").read_text()
    assert all(name in readme for name in example_files())


@pytest.mark.parametrize("name", list(example_files()))
def test_committed_workbook_matches_the_model(name):
    path = WORKBOOKS / name
    assert path.exists(), f"{path} is missing: run `make workbooks`"
    committed, fresh = path.read_bytes(), example_bytes(example_files()[name])
    if committed == fresh:
        return
    for data_only in (False, True):
        old, new = _cells(committed, data_only), _cells(fresh, data_only)
        diff = [k for k in old.keys() | new.keys() if not _same(old.get(k), new.get(k))]
        what = "values" if data_only else "formulas"
        assert not diff, (f"{name}: {len(diff)} cells' {what} changed, e.g. "
                          f"{sorted(diff)[:5]}; run `make workbooks`")
