"""Post-process a saved xlsx: cached formula results, fixed dates, reproducible zip entries.

openpyxl writes a formula cell as `<c r="B5" s="3"><f>...</f><v /></c>`, with no result, so
previewers and `pandas.read_excel` show blanks.  `finish_xlsx` fills each `<v>` from a map
sheet title -> cell -> value computed by the Python model (numbers, booleans, text, or an error
for a NaN/infinite result), fixes the document properties' dates and writes every zip entry with
one fixed timestamp, so the same inputs give the same bytes.  `strip_cached_values` does the
reverse, so that a spreadsheet engine opening the file must compute every formula itself.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Mapping
from datetime import datetime
from xml.sax.saxutils import escape

_FORMULA_CELL = re.compile(
    r'<c r="(?P<ref>[A-Z]+[0-9]+)"(?P<attrs>[^>]*)><f>(?P<f>[^<]*)</f>'
    r"(?:<v ?/>|<v>[^<]*</v>)</c>"
)
_NUMBER_CELL = re.compile(r'<c r="(?P<ref>[A-Z]+[0-9]+)"(?P<attrs>[^>]*)><v>(?P<v>[^<]*)</v></c>')
_TYPE = re.compile(r'\st="[a-z]+"')
_SHEET = re.compile(r'<sheet [^>]*name="(?P<name>[^"]+)"[^>]*r:id="(?P<rid>[^"]+)"')
_REL = re.compile(r'<Relationship [^>]*Id="(?P<rid>[^"]+)"[^>]*Target="(?P<target>[^"]+)"')
_REL2 = re.compile(r'<Relationship [^>]*Target="(?P<target>[^"]+)"[^>]*Id="(?P<rid>[^"]+)"')
_DATES = re.compile(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")
ZIP_DATE = (2020, 1, 1, 0, 0, 0)


def _xml_unescape(text: str) -> str:
    return (text.replace("&quot;", '"').replace("&apos;", "'").replace("&lt;", "<")
            .replace("&gt;", ">").replace("&amp;", "&"))


def sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title -> path of its XML part inside the archive."""
    book = archive.read("xl/workbook.xml").decode("utf-8")
    rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    targets = {m["rid"]: m["target"] for m in _REL.finditer(rels)}
    targets |= {m["rid"]: m["target"] for m in _REL2.finditer(rels)}
    paths = {}
    for m in _SHEET.finditer(book):
        target = targets[m["rid"]]
        path = target.lstrip("/") if target.startswith("/") else "xl/" + target
        paths[_xml_unescape(m["name"])] = path
    return paths


def _cached(value: object) -> tuple[str, str]:
    """(type attribute, <v> text) of a cached result."""
    if isinstance(value, bool):
        return ' t="b"', "1" if value else "0"
    if isinstance(value, int | float):
        number = float(value)
        if math.isnan(number):
            return ' t="e"', "#DIV/0!"
        if math.isinf(number):
            return ' t="e"', "#NUM!"
        return "", repr(number)
    return ' t="str"', escape(str(value))


def _fill(xml: str, values: Mapping[str, object]) -> str:
    def one(m: re.Match) -> str:
        ref = m["ref"]
        if ref not in values:
            return m.group(0)
        kind, text = _cached(values[ref])
        attrs = _TYPE.sub("", m["attrs"]) + kind
        return f'<c r="{ref}"{attrs}><f>{m["f"]}</f><v>{text}</v></c>'

    def exact(m: re.Match) -> str:  # openpyxl writes numbers to 16 digits; repr round-trips
        value = values.get(m["ref"])
        kind = _TYPE.search(m["attrs"])
        if not isinstance(value, float) or (kind and kind.group(0) != ' t="n"'):
            return m.group(0)
        return f'<c r="{m["ref"]}"{m["attrs"]}><v>{repr(value)}</v></c>'

    return _NUMBER_CELL.sub(exact, _FORMULA_CELL.sub(one, xml))


def _strip(xml: str) -> str:
    def one(m: re.Match) -> str:
        return f'<c r="{m["ref"]}"{_TYPE.sub("", m["attrs"])}><f>{m["f"]}</f><v /></c>'

    return _FORMULA_CELL.sub(one, xml)


def _rewrite(data: bytes, edit) -> bytes:
    """A copy of the xlsx `data` with each entry's bytes passed through edit(name, bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(
            out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, edit(info.filename, src.read(info.filename)))
    return out.getvalue()


def finish_xlsx(data: bytes, cached: Mapping[str, Mapping[str, object]],
                when: datetime) -> bytes:
    """Add cached results to formula cells, date the document `when`, fix zip timestamps."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        paths = {path: cached.get(title, {}) for title, path in sheet_paths(archive).items()}
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")

    def edit(name: str, raw: bytes) -> bytes:
        if name in paths:
            return _fill(raw.decode("utf-8"), paths[name]).encode("utf-8")
        if name == "docProps/core.xml":
            return _DATES.sub(rf"\g<1>{stamp}\g<2>", raw.decode("utf-8")).encode("utf-8")
        return raw

    return _rewrite(data, edit)


def strip_cached_values(data: bytes) -> bytes:
    """A copy of an xlsx (as written by this project) whose formula cells carry no result."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        paths = set(sheet_paths(archive).values())

    def edit(name: str, raw: bytes) -> bytes:
        return _strip(raw.decode("utf-8")).encode("utf-8") if name in paths else raw

    return _rewrite(data, edit)
