"""The command line starts light (issue 18): what each invocation imports, read in fresh
processes; how long it takes is benchmarks/bench_startup.py's business, not a test's."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from model.cli.commands import COMMANDS
from model.cli.main import build_parser

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("sympy", "numpy", "pandas", "scipy", "openpyxl", "pint")
_HELP = """
import contextlib, io, json, sys
from model.cli.main import main
for argv in json.loads(sys.argv[1]):
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(argv) == 0, argv
print(json.dumps(sorted(sys.modules)))
"""
_WORK = """
import contextlib, io, json, sys
from model.cli.main import main
with contextlib.redirect_stdout(io.StringIO()):
    assert main(["budget"]) == 0
budget = sorted(sys.modules)
import model.policy.paths, model.policy.value_split
print(json.dumps([budget, sorted(sys.modules)]))
"""


def modules_after(script: str, *args: str):
    """sys.modules (sorted) at the end of `script`, run in a fresh interpreter from the root."""
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True,
                          check=True, cwd=ROOT, timeout=300)
    return json.loads(done.stdout)


def test_help_and_version_import_nothing_heavy():
    argvs = [["--version"], ["--help"], *([name, "--help"] for name in COMMANDS)]
    loaded = modules_after(_HELP, json.dumps(argvs))
    assert [m for m in loaded if m.split(".")[0] in HEAVY] == []
    assert [m for m in loaded if m.startswith("model.")] == sorted(
        ["model.cli", "model.cli.commands", "model.cli.main", "model.cli.options", "model.core",
         "model.core.errors", "model.core.sources", "model.loop", "model.loop.scenario_list",
         "model.loop.steps", "model.market", "model.market.presets"])


def test_the_fleet_year_and_the_policy_leave_what_they_do_not_use():
    budget, policy = modules_after(_WORK)
    # the fleet year needs neither the projection's rows nor pandas, scipy or openpyxl
    assert not {"model.loop.projection", "model.loop.finance_rows", "pandas", "scipy.optimize",
                "openpyxl"} & set(budget)
    # the optimiser's Sobol points are stored, and scipy.optimize waits for a path to choose
    assert not {"scipy.stats", "scipy.optimize", "openpyxl"} & set(policy)


@pytest.mark.parametrize("name", COMMANDS)
def test_a_command_built_alone_reads_as_when_built_with_all(name):
    def help_of(parser) -> str:
        return next(a for a in parser._actions if a.dest == "command").choices[name].format_help()

    assert help_of(build_parser([name])) == help_of(build_parser())
    bare = next(a for a in build_parser(["--help"])._actions if a.dest == "command")
    assert set(bare.choices) == set(COMMANDS)
