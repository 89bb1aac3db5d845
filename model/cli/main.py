"""Command line: `python -m model list | budget | training-run | run | sensitivity | export |
backtest | split`.

Every user error becomes one line on stderr and exit status 2; nothing a user types produces a
traceback. Each command module exposes `add_commands(subparsers, common)`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from model import __version__
from model.core.errors import InputError

from . import backtest, export, fleet_year, run, split
from .options import Parser, common_options


def build_parser() -> Parser:
    parser = Parser(prog="python -m model", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    common = common_options()
    for commands in (fleet_year, run, export, backtest, split):
        commands.add_commands(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # usage errors (already reported on one line), --help, --version
        return exc.code if isinstance(exc.code, int) else 2
    try:
        text = args.func(args)
    except InputError as exc:  # one line, whatever a message quotes of what was typed
        text = " ".join(str(exc).split())
        print(f"error: {text if len(text) <= 300 else text[:297] + '...'}", file=sys.stderr)
        return 2
    try:
        print(text)
    except BrokenPipeError:
        pass
    return 0
