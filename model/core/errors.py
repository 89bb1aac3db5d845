"""The one exception users see: a single line naming the input and what was expected."""


class InputError(ValueError):
    """Bad user input (value, unit, name, preset...). str() is the whole one-line message."""


class ModelDefinitionError(RuntimeError):
    """The model itself is inconsistent (e.g. an equation whose units do not match)."""
