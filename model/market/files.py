"""Edit a market: `--set` strings and JSON or TOML market files, read one way, bounded.

`--set` grammar (one edit a string; spaces around '=' are ignored):

    NAME.FIELD=VALUE    set FIELD of lab NAME, e.g. openai.fleet_gpus=2e6 GPU
    +NAME               add lab NAME: the rest of the world in small (100,000 H100e)
    +NAME.FIELD=VALUE   add lab NAME and set FIELD; with fleet_gpus, the rest of the world is
                        scaled to that fleet, e.g. +mylab.fleet_gpus=1e5
    +NAME=BASE          add lab NAME as a copy of lab BASE, e.g. +rival=anthropic
    -NAME               remove lab NAME, e.g. -xai

NAME is 1-32 of a-z, 0-9 and '-'; FIELD is `title` or one of fields.FIELDS; VALUE is a number
with an optional unit (model.core.units.parse_value), or an option of a choice field. Edits apply
in order; setting a field twice, adding a lab that exists and naming a lab that does not are
errors. A market file says the same as a table (TOML shown; JSON has the same keys):

    from = "presets"          # start from the end-2025 labs (default), or "empty"
    remove = ["xai"]
    [add.mylab]               # like = "anthropic" copies a lab; without it, the template
    fleet_gpus = "1e5 GPU"
    [edit.openai]
    revenue = "13.1e9 USD/year"

Every problem is an InputError of one line naming the lab, the field and what was expected.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from model.core.catalogue import CATALOGUE
from model.core.errors import InputError, quoted
from model.core.resolve import suggest

from .fields import FIELDS, Lab, check_name, check_title, field_of, read_field
from .single_lab import lab_settings
from .world import MARKET, REST_OF_WORLD, TEMPLATE, scaled

MAX_LABS = 64
MAX_EDITS = MAX_LABS * (len(FIELDS) + 3)
MAX_SET_TEXT = 300
MAX_FILE_BYTES = 256 * 1024
GRAMMAR = "NAME.FIELD=VALUE, +NAME, +NAME.FIELD=VALUE, +NAME=BASE or -NAME"
FILE_KEYS = ("from", "remove", "add", "edit")
STARTS = ("presets", "empty")


@dataclass(frozen=True)
class Edit:
    """One edit: add (from `like`, or the template), remove, or set `field` to `value`.
    An add may carry one field and value, set as the lab is added."""

    action: str
    lab: str
    field: str | None = None
    value: object = None
    like: str | None = None
    origin: str = "--set"


def parse_set(text: object) -> Edit:
    """One `--set` string as an edit (see the module's grammar)."""
    if not isinstance(text, str) or len(text) > MAX_SET_TEXT:
        raise InputError(f"--set {quoted(text)}: expected a string of at most {MAX_SET_TEXT} "
                         f"characters: {GRAMMAR}")
    raw = text.strip()
    sign = raw[:1] if raw[:1] in "+-" else ""
    target, eq, value = raw[len(sign):].partition("=")
    name, dot, field = target.strip().partition(".")
    value = value.strip()
    if not name or (eq and not value) or (dot and not field) or (sign == "-" and (dot or eq)) \
            or (not sign and not (dot and eq)) or (dot and not eq):
        raise InputError(f"--set {quoted(text)}: expected {GRAMMAR}")
    check_name(name)
    if dot:
        name_field = "title" if field == "title" else field_of(name, field).name
        return Edit("add" if sign else "set", name, name_field, value)
    if sign == "-":
        return Edit("remove", name)
    return Edit("add", name, like=check_name(value) if eq else None)


def parse_sets(texts: Sequence[object]) -> list[Edit]:
    """Every `--set` string (a list or tuple of them) as an edit, at most MAX_EDITS."""
    texts = list(texts) if isinstance(texts, list | tuple) else None
    if texts is None or len(texts) > MAX_EDITS:
        raise InputError(f"--set: expected a list of at most {MAX_EDITS} edits")
    return [parse_set(t) for t in texts]


def _no_lab(market: Mapping[str, Lab], name: str, how: str) -> InputError:
    names = list(market)
    shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
    return InputError(f"{how}: no lab {name!r} in the market{suggest(name, market)}; the "
                      f"labs are {shown or 'none'}")


def _set(lab: Lab, field: str, raw: object, origin: str) -> Lab:
    if field == "title":
        return replace(lab, title=check_title(lab.name, raw))
    value = read_field(lab.name, field, raw)
    values = {**lab.values, field: (value, f"user setting ({origin})")}
    intervals = {n: r for n, r in lab.intervals.items() if n != field}
    return replace(lab, values=values, intervals=intervals)


def _copy(lab: Lab, name: str) -> Lab:
    return replace(lab, name=name, title=name,
                   values={n: (v, f"as {lab.name}'s: {c}") for n, (v, c) in lab.values.items()})


def _add(labs: dict[str, Lab], e: Edit) -> Lab:
    if e.lab in labs:
        raise InputError(f"+{e.lab}: lab {e.lab!r} is already in the market")
    if len(labs) >= MAX_LABS:
        raise InputError(f"+{e.lab}: a market holds at most {MAX_LABS} labs")
    if e.like is not None:
        if e.like not in labs:
            raise _no_lab(labs, e.like, f"+{e.lab}={e.like}")
        return _copy(labs[e.like], e.lab)
    if e.field == "fleet_gpus":
        return scaled(REST_OF_WORLD, e.lab, read_field(e.lab, "fleet_gpus", e.value))
    return replace(TEMPLATE, name=e.lab, title=e.lab)


def apply_edits(market: Iterable[Lab], edits: Iterable[Edit]) -> tuple[Lab, ...]:
    """The market after `edits`, in order (not yet checked as a whole: see check_market)."""
    labs = {lab.name: lab for lab in market}
    edits = list(edits)
    if len(edits) > MAX_EDITS:
        raise InputError(f"market: at most {MAX_EDITS} edits, got {len(edits)}")
    done: set[tuple[str, str]] = set()
    for e in edits:
        if e.action == "remove":
            if e.lab not in labs:
                raise _no_lab(labs, e.lab, f"-{e.lab}")
            del labs[e.lab]
            done = {d for d in done if d[0] != e.lab}
            continue
        if e.action == "add":
            labs[e.lab] = _add(labs, e)
        elif e.lab not in labs:
            raise _no_lab(labs, e.lab, f"{e.lab}.{e.field} ({e.origin}; add a lab with "
                                       f"+{e.lab})")
        if e.field is None:
            continue
        if (e.lab, e.field) in done:
            raise InputError(f"{e.lab}.{e.field}: set twice ({e.origin}); expected each "
                             "field of a lab once")
        done.add((e.lab, e.field))
        labs[e.lab] = _set(labs[e.lab], e.field, e.value, e.origin)
    return tuple(labs.values())


def check_market(market: Iterable[Lab]) -> tuple[Lab, ...]:
    """The market, if each lab resolves as single-lab settings (shares summing to 1, a token
    price within bounds, ...) and there are 1 to MAX_LABS labs; InputError naming the lab."""
    market = tuple(market)
    if not 1 <= len(market) <= MAX_LABS:
        raise InputError(f"market: expected 1 to {MAX_LABS} labs, got {len(market)}")
    for lab in market:
        lab_settings(lab)
    return market


def apply_sets(texts: Sequence[object], market: Iterable[Lab] = MARKET) -> tuple[Lab, ...]:
    """The market after `--set` strings (default: the end-2025 labs), checked."""
    return check_market(apply_edits(market, parse_sets(texts)))


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict:
    """json's object hook: a key given twice is an error, not a silent last-wins."""
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise InputError(f"market file: key {quoted(key)} given twice")
        out[key] = value
    return out


def _table(doc: Mapping, key: str, origin: str) -> dict:
    table = doc.get(key, {})
    if not isinstance(table, dict) or len(table) > MAX_LABS:
        raise InputError(f"{origin}: '{key}' must be a table of at most {MAX_LABS} labs")
    return table


def _fields(name: str, table: object, origin: str, extra: tuple[str, ...]) -> dict:
    check_name(name)
    if not isinstance(table, dict) or len(table) > len(FIELDS) + len(extra):
        raise InputError(f"{name} ({origin}): expected a table of fields, e.g. "
                         "fleet_gpus = \"1e5 GPU\"")
    for key in table:
        if key not in extra:
            field_of(name, key)
    return table


def file_edits(doc: object, origin: str = "market file") -> tuple[str, list[Edit]]:
    """A parsed market file as where it starts ('presets' or 'empty') and its edits: removals,
    then additions, then edits of existing labs."""
    if not isinstance(doc, dict):
        raise InputError(f"{origin}: expected a table with keys {', '.join(FILE_KEYS)}")
    for key in doc:
        if key not in FILE_KEYS:
            hint = suggest(key, FILE_KEYS) if isinstance(key, str) and len(key) < 64 else ""
            raise InputError(f"{origin}: unknown key {quoted(key)}{hint}; expected "
                             f"{', '.join(FILE_KEYS)}")
    start = doc.get("from", "presets")
    if start not in STARTS:
        raise InputError(f"{origin}: 'from' must be one of {', '.join(STARTS)}, got "
                         f"{quoted(start)}")
    remove = doc.get("remove", [])
    if not isinstance(remove, list) or len(remove) > MAX_LABS:
        raise InputError(f"{origin}: 'remove' must be a list of at most {MAX_LABS} lab names")
    edits = [Edit("remove", check_name(n), origin=origin) for n in remove]
    for name, table in _table(doc, "add", origin).items():
        fields = dict(_fields(name, table, origin, ("like", "title")))
        like = fields.pop("like", None)
        first = "fleet_gpus" if like is None and "fleet_gpus" in fields else None
        edits.append(Edit("add", name, first, fields.pop(first, None),
                          None if like is None else check_name(like), origin))
        edits += [Edit("set", name, f, v, origin=origin) for f, v in fields.items()]
    for name, table in _table(doc, "edit", origin).items():
        fields = _fields(name, table, origin, ("title",))
        edits += [Edit("set", name, f, v, origin=origin) for f, v in fields.items()]
    return start, edits


def _default(name: str) -> float | str:
    q = CATALOGUE[name]
    return q.choices[int(q.default)] if q.choices else q.default


def market_document(market: Iterable[Lab]) -> dict:
    """A market as a market file's table (from = "empty", every lab added with every field:
    its own values, the catalogue's defaults for the rest), so that reading it back gives the
    same settings: json.dumps it to write a file a user can edit."""
    return {"from": "empty", "add": {lab.name: {"title": lab.title, **{
        n: lab.values[n][0] if n in lab.values else _default(n) for n in FIELDS}}
        for lab in market}}


def read_market_text(data: bytes | str, fmt: str, market: Iterable[Lab] = MARKET,
                     origin: str = "market file") -> tuple[Lab, ...]:
    """A market file's text ('json' or 'toml'), applied to `market` (or to none when it says
    from = "empty"), checked."""
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"{origin}: over {MAX_FILE_BYTES // 1024} KiB; a market file is small")
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        if fmt == "json":
            doc = json.loads(text, object_pairs_hook=_no_duplicates)
        elif fmt == "toml":
            doc = tomllib.loads(text)
        else:
            raise InputError(f"{origin}: expected a .json or .toml file, got {quoted(fmt)}")
    except InputError:
        raise
    except (ValueError, RecursionError) as exc:  # includes decoding and TOML errors
        reason = (str(exc).splitlines() or [type(exc).__name__])[0][:120]
        raise InputError(f"{origin}: not valid {fmt.upper()} ({reason})") from None
    start, edits = file_edits(doc, origin)
    return check_market(apply_edits(market if start == "presets" else (), edits))


def read_market_file(path: str | Path, market: Iterable[Lab] = MARKET) -> tuple[Lab, ...]:
    """The market a .json or .toml file describes (see the module docstring), checked."""
    p = Path(path)
    origin = f"market file {quoted(p.name, 40)}"
    fmt = p.suffix.lower().removeprefix(".")
    if fmt not in ("json", "toml"):
        raise InputError(f"{origin}: expected a .json or .toml file")
    try:
        if not p.is_file():  # not a directory, a device or a pipe that never ends
            raise InputError(f"{origin}: not a readable file")
        with p.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{origin}: cannot read it ({exc.strerror or type(exc).__name__})"
                         ) from None
    return read_market_text(data, fmt, market, origin)
