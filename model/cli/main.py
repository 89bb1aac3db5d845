"""Command line: `python -m model list | budget | training-run | run | sensitivity | export |
backtest | split | milestones | market | odds | observed | reveal | app`.

Every user error becomes one line on stderr and exit status 2; nothing a user types produces a
traceback. model.cli.commands declares every command's arguments and imports the module doing
its work only when the command runs, so `--help` starts as fast as Python does.
"""

from __future__ import annotations

import sys

from model import __version__
from model.core.errors import InputError

from .commands import COMMANDS, add_commands
from .options import Parser

TYPE_CHECKING = False  # collections.abc: for annotations only, not --help's start-up
if TYPE_CHECKING:
    from collections.abc import Sequence


def build_parser(argv: Sequence[str] | None = None) -> Parser:
    """The parser of every command with its arguments; given `argv` whose first word names a
    command (the top level's only options, --help and --version, exit), that command's alone
    (arguments for all of them cost --help ~2 ms)."""
    parser = Parser(prog="python -m model", description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    if argv is None:
        add_commands(sub)
    elif argv[:1] and argv[0] in COMMANDS:
        add_commands(sub, (argv[0],))
    else:  # top-level help, the version, or not a command: names and help only
        add_commands(sub, wanted=())
    parser.commands = sub.choices  # command -> its parser
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv)
    try:
        args, rest = parser.parse_known_args(argv)
        if rest and not getattr(args, "passes_on", False):  # what parse_args would say, but
            # pointing at the command's help, where its options are, not the top level's
            parser.commands[args.command].error(f"unrecognized arguments: {' '.join(rest)}")
        args.passed_on = rest  # `app`: streamlit's options
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
