"""What every model-evaluating command shares: one-line usage errors, --preset/--gpu/--set/
--from-workbook/--format, and turning them into settings.
"""

from __future__ import annotations

import argparse

from model.core.resolve import Settings, parse_assignment, resolve

MAX_MESSAGE = 200


class Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit status 2."""

    def error(self, message: str):  # noqa: D102 - argparse API
        command = " ".join(self.prog.split()[3:])
        hint = f"python -m model {command} --help".replace("  ", " ")
        if len(message) > MAX_MESSAGE:  # argparse quotes what was typed, however long
            message = message[: MAX_MESSAGE - 3] + "..."
        self.exit(2, f"error: {message} (see `{hint}`)\n")


def common_options() -> argparse.ArgumentParser:
    """Options shared by every command that evaluates the model."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--preset", help="lab preset (see `list`)")
    p.add_argument("--gpu", help="GPU catalogue entry whose figures to use (see `list`)")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="NAME=VALUE",
                   help="override an input; VALUE may carry a compatible unit, e.g. "
                        "'gpu_rental_price=2 USD/GPU/hour'")
    p.add_argument("--from-workbook", metavar="FILE.xlsx",
                   help="read inputs from an exported (possibly edited) workbook")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    return p


def overrides_from(args: argparse.Namespace) -> tuple[str | None, dict[str, str], str | None]:
    """The preset, the `--set` overrides laid over any inputs read from --from-workbook, and
    the workbook's primary scenario (None without a workbook)."""
    preset, scenario = args.preset, None
    overrides: dict[str, str] = {}
    if getattr(args, "from_workbook", None):
        from model.workbook.read import read_workbook_inputs

        found = read_workbook_inputs(args.from_workbook)
        preset, scenario = preset or found.preset, found.scenario
        overrides.update(found.values)
    for text in args.sets:
        name, value = parse_assignment(text)
        overrides[name] = value
    return preset, overrides, scenario


def settings_from(args: argparse.Namespace) -> Settings:
    preset, overrides, _ = overrides_from(args)
    return resolve(preset, args.gpu, overrides)


