"""The one exception users see: a single line naming the input and what was expected."""


class InputError(ValueError):
    """Bad user input (value, unit, name, preset...). str() is the whole one-line message."""


class ModelDefinitionError(RuntimeError):
    """The model itself is inconsistent (e.g. an equation whose units do not match)."""


def quoted(value: object, limit: int = 60) -> str:
    """`value` quoted for a one-line message, cut to `limit` characters (a huge integer, whose
    repr is itself an error past 4,300 digits, is named rather than shown)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**limit:
        return "a huge integer"
    shown = repr(value)
    return shown if len(shown) <= limit else shown[: limit - 4] + "...'"
