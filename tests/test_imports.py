"""The layers import one way, read from the code itself (ast; nothing is imported or run).

model/ is a set of packages (core, loop, policy, report, workbook, cli); app/ holds the page
helpers and streamlit_app.py the page. Each package's __init__ docstring says in its second line
what the package may import ("May import: model.core, model.loop."); this test holds every module
to its package's line, and the lines to one order (acyclic and transitive: lower never imports
higher).
Modules whose names start with "_" are private to their package, and so are names starting with
"_": no other package may import them. Heavy libraries stay in their rooms: openpyxl in
model/workbook, altair in app/, streamlit in streamlit_app.py and the page modules app/page_*.
model/__init__.py is the top: its notebook API (model.project, ...) calls any layer, but only
inside its functions, since every `import model.x` runs the root first (an import at its top
would be a cycle, and would make every start-up pay for the whole model).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path, PurePosixPath

import pytest

ROOT = Path(__file__).resolve().parents[1]
TREES = ("model", "app")
PAGE = "streamlit_app.py"
# third-party package -> where it may be imported (path prefixes)
ROOMS = {"openpyxl": ("model/workbook/",), "altair": ("app/",),
         "streamlit": (PAGE, "app/page_")}
ANY_MODEL = "model (any public module)"


def module_name(path: str) -> str:
    """'model/core/units.py' -> 'model.core.units'; '__init__.py' names its package."""
    parts = PurePosixPath(path).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_of(module: str, packages: set[str]) -> str | None:
    """The longest package (e.g. 'model.core') holding `module`, or None (model, the page)."""
    found = [p for p in packages if module == p or module.startswith(p + ".")]
    return max(found, key=len, default=None)


def allowed_imports(doc: str | None, packages: set[str]) -> set[str] | None:
    """The packages a package's docstring says it may import (None: the line is missing)."""
    lines = (doc or "").strip().splitlines()
    if len(lines) < 2 or not lines[1].startswith("May import:"):
        return None
    text = lines[1].removeprefix("May import:").strip()
    if text.startswith(ANY_MODEL):
        return {p for p in packages if p.startswith("model.")}
    named = set(re.findall(r"\b(?:model|app)(?:\.\w+)+", text))
    return named & packages if named <= packages else named


def imported(tree: ast.AST, module: str, is_package: bool) -> list[tuple[str, str | None]]:
    """(module, imported name or None) for every import in the tree, relative ones resolved."""
    out: list[tuple[str, str | None]] = []
    base = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            prefix = base[: len(base) - node.level + 1] if node.level else []
            target = ".".join([*prefix, *(node.module or "").split(".")]).strip(".")
            out += [(target, alias.name) for alias in node.names]
    return out


class _Eager(ast.NodeTransformer):
    """A tree without its functions' bodies: what runs when the module is imported."""

    def visit_FunctionDef(self, node):
        return None

    visit_AsyncFunctionDef = visit_FunctionDef


def _root_problems(source: str) -> list[str]:
    """The package root may import the model only inside its functions (lazily)."""
    eager = imported(_Eager().visit(ast.parse(source)), "model", True)
    return [f"model/__init__.py imports {target} when imported; the package root imports the "
            "model only inside its functions" for target, _ in eager
            if target.split(".")[0] in TREES]


def violations(files: dict[str, str]) -> list[str]:
    """Layering problems in a tree given as {posix path: source text}."""
    modules = {module_name(p): p for p in files}
    packages = {module_name(p) for p in files if p.endswith("__init__.py")
                and p.count("/") >= 1 and p.split("/")[0] in TREES and p != "model/__init__.py"}
    problems: list[str] = []
    rules: dict[str, set[str]] = {}
    for pkg in sorted(packages):
        init = modules[pkg]
        allowed = allowed_imports(ast.get_docstring(ast.parse(files[init])), packages)
        if allowed is None:
            problems.append(f"{init}: the docstring's second line must say 'May import: ...'")
            allowed = set()
        rules[pkg] = allowed
    problems += _order_problems(rules)
    if "model/__init__.py" in files:
        problems += _root_problems(files["model/__init__.py"])
    for path, source in sorted(files.items()):
        here = module_name(path)
        pkg = package_of(here, packages)
        for target, name in imported(ast.parse(source), here, path.endswith("__init__.py")):
            top = target.split(".")[0]
            if top not in TREES:
                rooms = ROOMS.get(top)
                if rooms and not path.startswith(rooms):
                    problems.append(f"{path} imports {top} (only {', '.join(rooms)} may)")
                continue
            full = f"{target}.{name}" if name and f"{target}.{name}" in modules else target
            problems += _one_import(path, pkg, full, name if full == target else None,
                                    packages, rules)
    return problems


def _one_import(path, pkg, target, name, packages, rules) -> list[str]:
    theirs = package_of(target, packages)
    if theirs is None or theirs == pkg:  # the model root (__version__) or the same package
        return []
    problems = []
    if pkg is not None and theirs not in rules.get(pkg, set()):
        problems.append(f"{path} ({pkg}) imports {target}, but {pkg} may import only "
                        f"{', '.join(sorted(rules.get(pkg, ()))) or 'nothing in model'}")
    private = target.split(".")[-1].startswith("_") and not target.endswith("__")
    if private or (name or "").startswith("_") and not (name or "").startswith("__"):
        what = target if private else f"{name} from {target}"
        problems.append(f"{path} reaches into {theirs}'s private {what}")
    return problems


def _order_problems(rules: dict[str, set[str]]) -> list[str]:
    """The 'May import' lines must describe layers: no cycles, and transitive."""
    problems = []
    for pkg, allowed in rules.items():
        for other in allowed:
            if pkg in rules.get(other, set()):
                problems.append(f"{pkg} and {other} may import each other")
            missing = rules.get(other, set()) - allowed - {pkg}
            if missing:
                problems.append(f"{pkg} may import {other} but not what {other} may import: "
                                f"{', '.join(sorted(missing))}")
    return problems


def project_files() -> dict[str, str]:
    paths = [p for tree in TREES for p in sorted((ROOT / tree).rglob("*.py"))]
    return {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8")
            for p in [*paths, ROOT / PAGE]}


def test_the_layers_import_one_way():
    assert violations(project_files()) == []


def test_the_layers_are_the_packages_we_expect():
    # guards the walk: if it found no packages or no imports, the test above could not fail
    files = project_files()
    packages = {module_name(p) for p in files if p.endswith("/__init__.py")}
    assert {"model.core", "model.loop", "model.policy", "model.report", "model.workbook",
            "model.cli", "app"} <= packages
    assert all(len(files[f"{p.replace('.', '/')}/__init__.py"].strip().splitlines()) >= 2
               for p in packages)
    units = imported(ast.parse(files["model/core/catalogue.py"]), "model.core.catalogue", False)
    assert ("model.core.units", "unit") in units
    assert not list((ROOT / "model").glob("app_*.py")), "page helpers belong in app/"


def test_the_projection_never_imports_the_policy():
    # issue 18: the projection and the optimiser imported each other (one of them lazily); the
    # policy now sits above the loop, and no import in model/loop reaches it, lazy or not
    files = project_files()
    packages = {module_name(p) for p in files if p.endswith("/__init__.py")}
    doc = {p: allowed_imports(ast.get_docstring(ast.parse(files[f"model/{p}/__init__.py"])),
                              packages) for p in ("loop", "policy")}
    assert doc == {"loop": {"model.core"}, "policy": {"model.core", "model.loop"}}
    upward = [(path, target) for path, source in files.items() if path.startswith("model/loop/")
              for target, _ in imported(ast.parse(source), module_name(path),
                                        path.endswith("__init__.py"))
              if target.startswith("model.policy")]
    assert upward == []


def _pkg(name: str, may: str) -> dict[str, str]:
    return {f"{name.replace('.', '/')}/__init__.py": f'"""{name}.\nMay import: {may}\n"""\n'}


LAYERS = {**_pkg("model.core", "nothing else in model."), **_pkg("model.loop", "model.core."),
          **_pkg("model.policy", "model.core, model.loop."),
          **_pkg("model.workbook", "model.core, model.loop, model.policy."),
          **_pkg("app", f"{ANY_MODEL}.")}


@pytest.mark.parametrize(("files", "expected"), [
    ({"model/core/units.py": "from model.loop.rows import ROWS", "model/loop/rows.py": ""},
     "model/core/units.py (model.core) imports model.loop.rows"),
    ({"model/core/units.py": "def f():\n    from ..loop import rows\n",
      "model/loop/rows.py": ""}, "model/core/units.py (model.core) imports model.loop.rows"),
    ({"model/loop/rows.py": "import model.workbook.build", "model/workbook/build.py": ""},
     "(model.loop) imports model.workbook.build"),
    # the projection reads a chosen path; even a lazy import of the optimiser is a cycle
    ({"model/loop/projection.py": "def f():\n    from model.policy.optimise import choose_path",
      "model/policy/optimise.py": ""}, "(model.loop) imports model.policy.optimise"),
    ({"model/loop/projection.py": "def f():\n    from ..policy import optimise",
      "model/policy/optimise.py": ""}, "(model.loop) imports model.policy.optimise"),
    ({"model/workbook/build.py": "from model.loop._cache import x", "model/loop/_cache.py": ""},
     "reaches into model.loop's private model.loop._cache"),
    ({"model/workbook/build.py": "from model.loop.rows import _helper",
      "model/loop/rows.py": ""}, "reaches into model.loop's private _helper"),
    ({"app/charts.py": "from model.workbook._book import Book", "model/workbook/_book.py": ""},
     "reaches into model.workbook's private"),
    ({"model/loop/rows.py": "import openpyxl"}, "imports openpyxl"),
    ({"model/workbook/build.py": "import altair"}, "imports altair"),
    ({"app/charts.py": "import streamlit as st"}, "imports streamlit"),
    ({"model/cli/__init__.py": '"""The command line."""'}, "must say 'May import"),
    ({**_pkg("model.core", "model.loop.")}, "may import each other"),
    ({**_pkg("model.cli", "model.workbook.")}, "but not what model.workbook may import"),
    ({"model/__init__.py": "from model.loop.projection import project"},
     "imports model.loop.projection when imported"),
    ({"model/__init__.py": "from .cli import main\ndef f():\n    pass"},
     "imports model.cli when imported"),
    ({"model/__init__.py": "def f():\n    from model.loop._cache import x",
      "model/loop/_cache.py": ""}, "reaches into model.loop's private model.loop._cache"),
])
def test_the_checker_catches_violations(files, expected):
    problems = violations({**LAYERS, **files})
    assert any(expected in p for p in problems), problems


@pytest.mark.parametrize("files", [
    {"model/loop/rows.py": "from model.core.catalogue import sym\nfrom . import _private",
     "model/loop/_private.py": "", "model/core/catalogue.py": ""},
    {"model/workbook/build.py": "import openpyxl\nfrom ._book import Book\nfrom model import "
     "__version__", "model/workbook/_book.py": ""},
    {"app/charts.py": "import altair\nfrom model.loop import rows\nfrom app import tables",
     "model/loop/rows.py": "", "app/tables.py": ""},
    {"streamlit_app.py": "import streamlit as st\nfrom app import charts\nfrom model.workbook "
     "import build", "app/charts.py": "", "model/workbook/build.py": ""},
    {"model/core/units.py": "def f():\n    from .catalogue import x\n",
     "model/core/catalogue.py": ""},
    {"model/__init__.py": "def project():\n    from model.policy.paths import project\n"
     "    from .cli.options import overrides_from", "model/policy/paths.py": "",
     "model/cli/options.py": ""},
])
def test_the_checker_allows_downward_imports(files):
    assert violations({**LAYERS, **files}) == []


def test_every_core_and_loop_module_imports_first():
    """Each module of the two layers that register the catalogue imports as the first model
    module of a fresh interpreter (model.loop.coupling named inputs no module it imported had
    registered yet, so `import model.loop.lockstep` failed unless something else came first).
    One subprocess: third-party modules stay loaded, only the model's are dropped between."""
    import subprocess
    import sys

    script = """
import importlib, pathlib, sys
failed = []
for path in sorted(pathlib.Path("model").glob("[cl]o*/*.py")):
    if path.parts[1] not in ("core", "loop"):
        continue
    name = ".".join(path.with_suffix("").parts).removesuffix(".__init__")
    for loaded in [m for m in sys.modules if m == "model" or m.startswith("model.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed.append(f"{name}: {exc!r}")
print("\\n".join(failed))
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "", done.stdout
