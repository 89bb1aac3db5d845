"""What every command shares: one-line usage errors, and turning --preset/--gpu/--set/
--from-workbook into settings (the options themselves: model.cli.commands).
"""

from __future__ import annotations

import argparse
import os
import sys
from functools import cache

TYPE_CHECKING = False  # importing typing would cost --help ~2 ms of its ~8 over the floor
if TYPE_CHECKING:
    from model.core.resolve import Settings

MAX_MESSAGE = 200

# argparse asks gettext for each message it may print (46 for --help), and gettext searches the
# locale directories afresh at every ask (four stats each under LANG=C.UTF-8): ~1 ms of
# --help's start-up. The answer to a message cannot change within one process.
if callable(getattr(argparse, "_", None)):
    argparse._ = cache(argparse._)


@cache
def _width() -> int:
    """The help's width as argparse takes it (the terminal's columns less 2), read once, and the
    way shutil.get_terminal_size reads it without importing shutil (with bz2 and lzma ~2.5 ms;
    argparse asks for it at every add_argument)."""
    try:
        columns = int(os.environ.get("COLUMNS", 0))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return (columns or 80) - 2


def _wrap(text: str, width: int) -> list[str]:
    """Words in lines of at most `width` characters (a longer word alone on its line): what
    argparse asks of textwrap, whose import costs ~1 ms."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


class _Formatter(argparse.HelpFormatter):
    """argparse's help, its width read once and its lines wrapped without textwrap (the two
    methods the standard library's own Raw*HelpFormatter classes replace)."""

    def __init__(self, prog: str, **kwargs):
        super().__init__(prog, **{"width": _width(), **kwargs})

    def _split_lines(self, text: str, width: int) -> list[str]:
        return _wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in _wrap(text, width - len(indent)))


class Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit status 2."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **{"formatter_class": _Formatter, **kwargs})

    def error(self, message: str):  # noqa: D102 - argparse API
        command = " ".join(self.prog.split()[3:])
        hint = f"python -m model {command} --help".replace("  ", " ")
        if len(message) > MAX_MESSAGE:  # argparse quotes what was typed, however long
            message = message[: MAX_MESSAGE - 3] + "..."
        self.exit(2, f"error: {message} (see `{hint}`)\n")


# What a workbook's inputs already settle: every input is read from it and laid over these,
# so given beside it they would change the label the output carries and none of its numbers.
_SETTLED_BY_WORKBOOK = (
    ("preset", "--preset"),
    ("gpu", "--gpu"),
    ("scenario", "--scenario"),
    ("scenarios", "--scenarios"),
)


def given(option: str, value: str | None, expected: str) -> str | None:
    """`value`, None when the option was not given; an empty value is an error rather than
    read as not given (a shell variable that expanded to nothing would otherwise be ignored)."""
    if value is not None and not value.strip():
        from model.core.errors import InputError

        raise InputError(f"{option}: expected {expected}, got an empty value")
    return value


def scenario_list(text: str | None, option: str = "--scenario") -> list[str]:
    """The scenarios a comma-separated `text` names, once each in the order given; every
    scenario when the option was not given (an empty value is an error: `given`)."""
    from model.core.errors import InputError, quoted
    from model.loop.scenario_list import SCENARIOS

    text = given(option, text, "a comma-separated list of scenarios")
    names = list(SCENARIOS) if text is None else [s.strip() for s in text.split(",")]
    for s in names:
        if s not in SCENARIOS:
            raise InputError(f"{option} {quoted(s)}: expected one of {', '.join(SCENARIOS)}")
    return list(dict.fromkeys(names))


def overrides_from(args: argparse.Namespace) -> tuple[str | None, dict[str, str], str | None]:
    """The preset, the `--set` overrides laid over any inputs read from --from-workbook, and
    the workbook's primary scenario (None without a workbook)."""
    from model.core.errors import InputError
    from model.core.resolve import parse_assignments  # the catalogue: not for --help

    preset, scenario = args.preset, None
    overrides: dict[str, str] = {}
    sets = parse_assignments(args.sets)
    workbook = given("--from-workbook", getattr(args, "from_workbook", None), "an .xlsx file")
    if workbook is not None:
        from model.workbook.read import read_workbook_inputs

        for attr, option in _SETTLED_BY_WORKBOOK:
            if getattr(args, attr, None):
                raise InputError(
                    f"--from-workbook: the workbook holds its own inputs; {option} "
                    "cannot be combined with it (edit the workbook's inputs "
                    "instead)"
                )
        found = read_workbook_inputs(workbook)
        preset, scenario = found.preset, found.scenario
        overrides.update(found.values)
    overrides.update(sets)
    return preset, overrides, scenario


def settings_from(args: argparse.Namespace) -> Settings:
    from model.core.resolve import resolve

    preset, overrides, _ = overrides_from(args)
    return resolve(preset, args.gpu, overrides)


def note_ignored(args: argparse.Namespace, settings: Settings, reach, what: str) -> None:
    """A line on stderr for each --set input that `what` does not read under the settings'
    choices (model.core.ignored, from the equations): the value was accepted and changes
    nothing, which a user would otherwise have to find out by comparing outputs."""
    from model.core.ignored import ignored, note
    from model.core.resolve import parse_assignment

    names = dict.fromkeys(parse_assignment(text)[0] for text in args.sets)
    for name, reasons in ignored(names, reach).items():
        print(note(name, reasons, what, settings.text), file=sys.stderr)
