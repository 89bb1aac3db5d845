"""Export the model as an Excel workbook of live formulas that also carries computed values.

    book = build_workbook("openai-2024", ["status-quo", "brakes"], years=10)
    write_workbook(book, "openai.xlsx")

Sheets, in the FAST order (control, inputs, calculations, presentation, checks): Summary (the
sheet it opens on: a scenario dropdown and that scenario's key figures), Cover, Inputs,
Constants (the numbers the formulas name), Budget, Projection (one per scenario), Finance,
Compare, Charts, Equations, Sources, Checks.
Every formula is printed from the model's sympy expressions by model.workbook.excel_printer;
every formula cell also carries the value the Python model computes for it
(model.workbook.cached_values), so the file shows numbers even where nothing recalculates.
Only this package imports openpyxl.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cache
from pathlib import Path

from model.core.equations import EQUATIONS
from model.core.errors import InputError, quoted
from model.core.presets import PRESETS
from model.core.resolve import Settings, resolve
from model.loop.steps import DEFAULT_STEP

from . import _reference_sheets as reference
from . import _static_sheets as sheets
from ._book import Book, local_name
from ._checks_sheet import budget_checks, show_flag, write_checks
from ._constants import constants_sheet
from ._page_setup import print_setup
from ._projection_sheets import FIRST_COL
from ._styles import follow_money
from ._summary_sheet import FLAG_ROW
from .cached_values import finish_xlsx


@dataclass
class Export:
    """What is exported: preset, scenarios (primary first) and their resolved settings."""

    preset: str | None
    scenarios: list[str]
    settings: list[Settings]
    years: int = 10
    step: str = DEFAULT_STEP
    title: str = ""
    notes: str = ""
    created: date = field(default_factory=date.today)


def _settings(preset, scenarios, gpu, overrides, step_years: float) -> list[Settings]:
    if not scenarios:
        return [resolve(preset, gpu, overrides)]
    from model.loop.scenarios import scenario_settings

    out = [scenario_settings(preset, s, gpu=gpu, overrides=overrides) for s in scenarios]
    for settings in out:  # the projection runs at the chosen step, whatever the input says
        settings.values["step_years"] = step_years
    return out


@cache
def _budget_entries() -> tuple:
    """Equations-sheet rows of the fleet-year outputs (printing is slow: done once)."""
    return tuple(reference.equation_entries(list(EQUATIONS), EQUATIONS))


@cache
def _step_entries() -> tuple:
    """Equations-sheet rows of the projection (done once)."""
    from model.loop.projection import STEP, STEP_ROWS
    from model.loop.rows import INIT_RAW

    return tuple(reference.step_entries(STEP_ROWS, INIT_RAW, STEP))


def projection_title(scenario: str, primary: bool) -> str:
    """'Projection' for the primary scenario, 'Projection <scenario>' for the others."""
    return "Projection" if primary else f"Projection {scenario}"[:31]


def add_time_sheets(book: Book, ex: Export, names: list) -> tuple[list, list]:
    """Projection per scenario, Finance, Compare, Charts, Summary; returns (checks, equation
    entries)."""
    from model.core.fleet_inputs import USES
    from model.loop.projection import PATHS, STEPS, default_paths
    from model.policy.paths import project

    from . import _finance_sheets as fin
    from . import _projection_sheets as tim
    from ._summary_sheet import summary_check, summary_sheet

    done = []
    checks: list = []
    for k, (scenario, settings) in enumerate(zip(ex.scenarios, ex.settings, strict=True)):
        df = project(settings, ex.years, ex.step)
        if PATHS[0] not in df:  # not value-maximising: the path rows show the first shares
            df = df.assign(**default_paths(settings.values, len(df)))
        title = projection_title(scenario, k == 0)
        # every scenario's sheet reads its own Inputs column by the model's names, scoped to it
        local = names[k] if k == 0 else {s: local_name(s) for s in names[k]}
        rows = tim.projection_sheet(book, title, f"Projection: {scenario}", local, df,
                                    STEPS[ex.step], values=settings.values)
        if k:
            book.define_local(title, names[k])
        checks += tim.projection_checks(title, scenario, rows, df, USES, scoped=k > 0)
        done.append((title, scenario, rows, df))
    fin.finance(book, done, STEPS[ex.step])
    if len(done) > 1:
        fin.compare(book, done)
    fin.charts(book, book.wb, done)
    checks.append(summary_check(summary_sheet(book, ex.title, done), done))
    return checks, list(_step_entries())


MAX_CELL_TEXT = 32_767  # Excel's cell; openpyxl silently cuts anything longer


def cover_text(option: str, text: str, lines: bool = False) -> str:
    """`text` for the Cover, or InputError: printable (a note may also break lines and tab),
    at most one cell long. openpyxl refuses control characters with a traceback and cuts long
    text without a word."""
    allowed = "\n\r\t" if lines else ""
    bad = next((c for c in text if not c.isprintable() and c not in allowed), None)
    if bad is not None:
        raise InputError(f"{option}: expected printable text, got the non-printable character "
                         f"{bad!r} in {quoted(text)}")
    if len(text) > MAX_CELL_TEXT:
        raise InputError(f"{option}: {len(text):,} characters is over the {MAX_CELL_TEXT:,} a "
                         "workbook cell holds")
    return text


def build_workbook(preset: str | None = None, scenarios: Sequence[str] = (), *,
                   years: int = 10, step: str = DEFAULT_STEP, gpu: str | None = None,
                   overrides: Mapping[str, str | float] | None = None,
                   title: str | None = None, notes: str = "",
                   created: date | None = None) -> Book:
    """Build the workbook for `preset` and `scenarios` (the first is the primary one).

    Without scenarios the workbook holds the fleet-year budget only.  `title` and `notes` are
    user text, written as text whatever they start with.  `created` dates the Cover and the
    document properties (today by default; fixed for reproducible examples).
    """
    scenarios = list(dict.fromkeys(scenarios))
    title, notes = cover_text("--title", title or ""), cover_text("--notes", notes or "", True)
    if years < 1 or years > 200:
        raise InputError(f"--years: expected 1 to 200, got {years}")
    from model.loop.projection import STEPS

    if step not in STEPS:
        raise InputError(f"--step: expected one of {', '.join(STEPS)}, got {quoted(step)}")
    default_title = "Fleet split: " + (PRESETS[preset].title if preset in PRESETS
                                       else "catalogue defaults")
    step_years = STEPS[step]
    ex = Export(preset, scenarios, _settings(preset, scenarios, gpu, overrides, step_years),
                years, step,
                title if title else default_title, notes, created or date.today())
    book = Book(created=datetime.combine(ex.created, time()))
    book.wb.properties.creator = "fleet-split"
    book.wb.properties.title = ex.title
    sheets.cover(book, ex)
    names = sheets.inputs(book, ex)
    values, refs = sheets.budget(book, ex, names[0])
    checks = budget_checks(values)
    entries = list(_budget_entries())
    if scenarios:
        more_checks, more_entries = add_time_sheets(book, ex, names)
        checks += more_checks
        entries += more_entries
    reference.equations(book, entries)
    reference.sources(book, ex.settings)
    passed = write_checks(book, checks)
    if scenarios:  # the overall flag where the reader starts
        show_flag(book, "Summary", FLAG_ROW, FIRST_COL, passed)
    constants_sheet(book)
    for ws in book.wb.worksheets:
        print_setup(ws, one_page=ws.title in ("Summary", "Charts"))
        follow_money(ws)
    return book


def workbook_bytes(book: Book) -> bytes:
    """The finished xlsx: openpyxl's file with cached values and fixed dates."""
    buffer = io.BytesIO()
    book.wb.save(buffer)
    return finish_xlsx(buffer.getvalue(), book.cached, book.created)


def write_workbook(book: Book, path: str | Path) -> Path:
    """Write the finished xlsx to `path`."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"{path}: the workbook must be saved as .xlsx")
    try:
        path.write_bytes(workbook_bytes(book))
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror})") from None
    return path


def export_workbook(path: str | Path, preset: str | None = None,
                    scenarios: Sequence[str] = (), **options) -> Path:
    """build_workbook(preset, scenarios, **options), written to `path`."""
    return write_workbook(build_workbook(preset, scenarios, **options), path)
