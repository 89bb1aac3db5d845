"""The Checks sheet: consistency checks of the model showing TRUE/FALSE, and their overall AND.

Each check is (label, formula, the model's value); the fleet-year ones are here, the projection's
come from model.workbook._projection_sheets.  Equality checks use the named `tolerance` cell.
"""

from __future__ import annotations

from collections.abc import Sequence

from model.core.equations import EQUATIONS

from ._book import Book
from ._styles import BOLD, BOOLEAN, CHECK_FILL, TITLE_FONT, set_widths, style_header

PASS = "checks_pass"  # the defined name of the overall flag


def budget_checks(values: dict[str, float]) -> list[tuple[str, str, bool]]:
    """(label, formula, model value) checks on the fleet-year budget."""
    checks = [("Shares of the fleet sum to 1", "=ABS(share_total-1)<=tolerance",
               abs(values["share_total"] - 1) <= 1e-6)]
    for family in ("gpus", "compute", "budget"):
        names = [n for n in EQUATIONS if n.startswith(f"{family}_")]
        checks.append((f"{family} by use not negative", f"=MIN({','.join(names)})>=0",
                       min(values[n] for n in names) >= 0))
    checks.append(("Cost per GPU-hour not negative", "=cost_per_gpu_hour>=0",
                   values["cost_per_gpu_hour"] >= 0))
    return checks


def write_checks(book: Book, items: Sequence[tuple[str, str, bool]]) -> bool:
    """Checks showing TRUE/FALSE, and one overall TRUE when all pass (the name `checks_pass`);
    returns the model's overall value."""
    ws = book.sheet("Checks")
    book.text(ws, 1, 1, "Checks", TITLE_FONT)
    book.row(ws, 2, ["tolerance (absolute, of the equality checks)"])
    book.number(ws, 2, 3, 1e-6, "0.0E+00")
    book.define("tolerance", ws, 2, 3)
    book.row(ws, 4, ["check", "", "result"])
    style_header(ws, 4, 1, 3)
    first = 5
    for row, (label, formula, value) in enumerate(items, start=first):
        book.text(ws, row, 1, label)
        cell = book.formula(ws, row, 3, formula, bool(value), BOOLEAN)
        cell.fill = CHECK_FILL
    last = first + len(items) - 1
    total = first + len(items) + 1
    book.text(ws, total, 1, "All checks pass", BOLD)
    passed = all(bool(v) for *_, v in items)
    book.formula(ws, total, 3, f"=AND(C{first}:C{last})", passed, BOOLEAN).fill = CHECK_FILL
    book.define(PASS, ws, total, 3)
    ws.freeze_panes = "A5"
    set_widths(ws, {"A": max([50, *(len(label) + 2 for label, *_ in items)]), "B": 4, "C": 12})
    return passed


def show_flag(book: Book, title: str, row: int, col: int, passed: bool) -> None:
    """The Checks sheet's overall flag on another sheet (the Summary), labelled."""
    ws = book.wb[title]
    book.text(ws, row, 1, PASS, BOLD)
    book.text(ws, row, 2, "true/false")
    book.formula(ws, row, col, f"={PASS}", passed, BOOLEAN).fill = CHECK_FILL
    book.text(ws, row, col + 1, "every check on the Checks sheet passes")
