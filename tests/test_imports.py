"""Modules in model/ import only downwards, and heavy UI libraries stay in their own layers.

Layers, lowest first: errors/sources -> units -> catalogue (and the data modules) -> inputs ->
equations -> engine/settings -> projection/scenarios -> outputs (cli, report, workbook, app).
A module may import modules of its own layer or below. New modules get a rank from their name
(see PATTERNS) or, failing that, the lowest rank consistent with what they import.
"""

from __future__ import annotations

import ast
import fnmatch
from pathlib import Path

import pytest

MODEL = Path(__file__).resolve().parents[1] / "model"

BASE, UNITS, RECORDS, INPUTS, EQUATIONS, ENGINE, PROJECTION, OUTPUT, ENTRY = range(9)
RANKS = {
    "__init__": BASE, "errors": BASE, "sources": BASE,
    "units": UNITS,
    "catalogue": RECORDS, "dimensions": RECORDS, "gpus": RECORDS, "presets": RECORDS,
    "inputs": INPUTS,
    "equations": EQUATIONS,
    "engine": ENGINE, "settings": ENGINE,
    "projection": PROJECTION, "scenarios": PROJECTION,
    "cli": OUTPUT, "report": OUTPUT, "excel": OUTPUT, "workbook": OUTPUT,
    "__main__": ENTRY,
}
# Default ranks of modules other engineers add, by file name.
PATTERNS = (
    (("cli*", "workbook*", "export*", "app*", "excel*", "report*", "streamlit*"), OUTPUT),
    (("projection*", "scenario*", "montecarlo*", "monte_carlo*", "sensitivity*", "loop*",
      "uncertainty*", "feedback*"), PROJECTION),
)
OPENPYXL_ALLOWED = ("workbook*", "excel")


def imports_of(source: str) -> tuple[set[str], set[str]]:
    """(model modules, top-level third-party packages) imported anywhere in `source`."""
    internal: set[str] = set()
    external: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "model":
                    internal.add(parts[1] if len(parts) > 1 else "__init__")
                else:
                    external.add(parts[0])
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 0 and module.split(".")[0] != "model":
                external.add(module.split(".")[0])
                continue
            if node.level == 0:
                module = module.partition(".")[2]
            if module:
                internal.add(module.split(".")[0])
            else:  # from . import x: x is a submodule or a name from __init__
                internal.update(alias.name for alias in node.names)
    return internal, external


def rank_of_name(module: str) -> int | None:
    if module in RANKS:
        return RANKS[module]
    for patterns, rank in PATTERNS:
        if any(fnmatch.fnmatch(module, p) for p in patterns):
            return rank
    return None


def violations(sources: dict[str, str]) -> list[str]:
    """Layering problems in a package given as {module name: source text}."""
    parsed = {m: imports_of(text) for m, text in sources.items()}
    deps = {m: {d if d in sources else "__init__" for d in internal}
            for m, (internal, _) in parsed.items()}
    ranks = {m: rank_of_name(m) for m in sources}
    # unknown modules sit just high enough for what they import (a fixpoint over unknowns)
    unknown = [m for m, r in ranks.items() if r is None]
    for m in unknown:
        ranks[m] = BASE
    for _ in range(len(unknown) + 1):
        for m in unknown:
            ranks[m] = max([BASE, *(ranks.get(d, BASE) for d in deps[m] if d != m)])
    problems = []
    for m, targets in sorted(deps.items()):
        for target in sorted(targets - {m}):
            if target in ranks and ranks[target] > ranks[m]:
                problems.append(f"{m} (rank {ranks[m]}) imports {target} (rank {ranks[target]})")
        external = parsed[m][1]
        if "streamlit" in external:
            problems.append(f"{m} imports streamlit (only the app outside model/ may)")
        if "openpyxl" in external and not any(fnmatch.fnmatch(m, p) for p in OPENPYXL_ALLOWED):
            problems.append(f"{m} imports openpyxl (only model/workbook*.py and excel.py may)")
    return problems


def model_sources() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(MODEL.glob("*.py"))}


def test_model_modules_import_only_downwards():
    sources = model_sources()
    assert {"units", "catalogue", "equations", "engine", "settings", "cli"} <= set(sources)
    assert violations(sources) == []


def test_the_core_chain_is_really_imported():
    # guards the parser: if it saw nothing, the layering test above could not fail
    sources = model_sources()
    assert imports_of(sources["catalogue"])[0] >= {"units", "errors"}
    assert imports_of(sources["equations"])[0] >= {"inputs", "catalogue"}
    assert imports_of(sources["engine"])[0] >= {"catalogue", "dimensions"}
    assert imports_of(sources["cli"])[0] >= {"engine", "equations", "settings", "report"}
    assert "pint" in imports_of(sources["units"])[1]


@pytest.mark.parametrize(("sources", "expected"), [
    ({"units": "from .equations import EQUATIONS", "equations": ""},
     "units (rank 1) imports equations (rank 4)"),
    ({"units": "import model.catalogue", "catalogue": ""}, "units (rank 1) imports catalogue"),
    ({"catalogue": "from . import inputs", "inputs": ""}, "catalogue (rank 2) imports inputs"),
    ({"inputs": "def f():\n    from .settings import resolve\n", "settings": ""},
     "inputs (rank 3) imports settings"),
    ({"equations": "from model.engine import Compiled", "engine": ""},
     "equations (rank 4) imports engine"),
    ({"engine": "from .projection import run", "projection": ""}, "engine (rank 5) imports"),
    ({"scenarios": "from .cli import main", "cli": ""}, "scenarios (rank 6) imports cli"),
    ({"montecarlo_new": "from .workbook_new import x", "workbook_new": ""},
     "montecarlo_new (rank 6) imports workbook_new (rank 7)"),
    ({"helpers": "from .cli import main", "cli": "", "engine": "from .helpers import x"},
     "engine (rank 5) imports helpers (rank 7)"),
    ({"report": "import streamlit as st"}, "report imports streamlit"),
    ({"app_support": "from streamlit import cache_data"}, "app_support imports streamlit"),
    ({"engine": "import openpyxl"}, "engine imports openpyxl"),
    ({"cli": "from openpyxl import Workbook"}, "cli imports openpyxl"),
])
def test_the_checker_catches_violations(sources, expected):
    problems = violations(sources)
    assert any(expected in p for p in problems), problems


@pytest.mark.parametrize("sources", [
    {"cli": "from .projection import run\nfrom .report import table", "projection": "",
     "report": ""},
    {"workbook_styles": "from openpyxl.styles import Font"},
    {"excel": "import openpyxl"},
    {"helpers": "from .units import unit", "catalogue": "from .helpers import x", "units": ""},
    {"sensitivity": "from .engine import Compiled\nfrom .scenarios import S", "engine": "",
     "scenarios": ""},
    {"app_support": "import altair\nfrom .cli import main", "cli": ""},
    {"settings": "from . import inputs", "inputs": "from .catalogue import Quantity",
     "catalogue": "from .units import unit", "units": "from .errors import InputError",
     "errors": ""},
])
def test_the_checker_allows_downward_imports(sources):
    assert violations(sources) == []
