"""An untrusted xlsx package, checked and pruned before openpyxl parses any of it.

Checked: the size on disk, the number of entries and the total uncompressed size (zip bombs);
macros (.xlsm, vbaProject.bin) are refused. Pruned: every worksheet but the ones the reader
needs (Cover, and the sheets the model's defined names point at) is replaced by an empty sheet,
because openpyxl scans each sheet it is given when it opens a file, even in read-only mode. What
is left to parse is bounded part by part (MAX_PART_BYTES), so no upload can make a read slow.
XML is parsed with defusedxml (no entity expansion, no external entities).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from pathlib import Path

from defusedxml import ElementTree

from model.core.errors import InputError

MAX_FILE_BYTES = 20 * 2**20
MAX_UNCOMPRESSED_BYTES = 200 * 2**20
MAX_ENTRIES = 2000
# Each part the reader parses (workbook, styles, strings, the sheets it reads) is at most this
# big uncompressed: an exported Inputs sheet is ~150 kB, so this leaves room for an analyst's
# notes and keeps a worst-case parse well under a second.
MAX_PART_BYTES = 2**20
MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlsb", ".xlam")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_EMPTY_SHEET = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b'<dimension ref="A1"/><sheetData/></worksheet>')


def unreadable(path: Path, exc: Exception, where: str = "the workbook") -> InputError:
    """The one-line error for a part that does not parse."""
    reason = str(exc).splitlines()[0][:120] if str(exc) else ""
    return InputError(f"{path}: cannot read {where} ({type(exc).__name__}"
                      f"{': ' + reason if reason else ''})")


def _read_bytes(path: Path) -> bytes:
    if path.suffix.lower() in MACRO_SUFFIXES:
        raise InputError(f"{path}: macro-enabled or binary workbooks are refused; save as .xlsx")
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"{path}: expected an .xlsx workbook")
    try:
        if path.exists() and not path.is_file():  # a directory, or a device or pipe whose
            raise InputError(f"{path}: not a readable file")  # size reads 0
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"{path}: {size:,} bytes is over the {MAX_FILE_BYTES:,}-byte limit")
        with path.open("rb") as f:  # at most the limit, should the file grow meanwhile
            data = f.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise InputError(f"{path}: over the {MAX_FILE_BYTES:,}-byte limit")
        return data
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def _check_entries(path: Path, entries: list[zipfile.ZipInfo]) -> None:
    if len(entries) > MAX_ENTRIES:
        raise InputError(f"{path}: {len(entries)} archive entries is over the limit")
    total = sum(e.file_size for e in entries)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise InputError(f"{path}: uncompressed size {total:,} bytes is over the "
                         f"{MAX_UNCOMPRESSED_BYTES:,}-byte limit")
    if any(e.filename.lower().endswith("vbaproject.bin") for e in entries):
        raise InputError(f"{path}: contains macros (vbaProject.bin); macro-enabled workbooks "
                         "are refused")


def _xml(path: Path, archive: zipfile.ZipFile, name: str):
    """A small part, parsed safely (None when absent)."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES:
        raise InputError(f"{path}: part {name} is {info.file_size:,} bytes uncompressed, over "
                         f"the {MAX_PART_BYTES:,}-byte limit")
    try:
        return ElementTree.fromstring(archive.read(name))
    except Exception as exc:  # malformed or hostile XML
        raise unreadable(path, exc) from None


def _sheet_parts(path: Path, archive: zipfile.ZipFile, workbook_part: str) -> dict[str, str]:
    """Sheet title -> zip entry, from the workbook part and its relationships."""
    book = _xml(path, archive, workbook_part)
    folder = posixpath.dirname(workbook_part)
    rels = _xml(path, archive, posixpath.join(folder, "_rels",
                                              posixpath.basename(workbook_part) + ".rels"))
    if book is None or rels is None:
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL}Relationship")}
    out = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join(folder, target))
        out[sheet.get("name", "")] = part
    return out


def _needed_titles(path: Path, archive: zipfile.ZipFile, workbook_part: str,
                   names: set[str]) -> set[str]:
    """Cover, and every sheet a defined name in `names` (lower case) points at."""
    book = _xml(path, archive, workbook_part)
    titles = {"Cover"}
    for dn in book.iter(f"{_MAIN}definedName") if book is not None else ():
        if (dn.get("name") or "").lower() in names and "!" in (dn.text or ""):
            titles.add(dn.text.rsplit("!", 1)[0].strip("'").replace("''", "'"))
    return titles


def _workbook_part(path: Path, archive: zipfile.ZipFile) -> str:
    root = _xml(path, archive, "_rels/.rels")
    for r in root.iter(f"{_PKG_REL}Relationship") if root is not None else ():
        if r.get("Type", "").endswith("/officeDocument"):
            return r.get("Target", "").lstrip("/")
    return "xl/workbook.xml"


def open_package(path: Path, names: set[str]) -> bytes:
    """The workbook's bytes, checked, with every sheet the reader does not need emptied.

    `names` are the defined names (lower case) whose sheets are kept.
    """
    data = _read_bytes(path)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            _check_entries(path, entries)
            types = _xml(path, archive, "[Content_Types].xml")
            if types is None:  # every OOXML package has one; openpyxl would fail on a KeyError
                raise InputError(f"{path}: not an xlsx workbook (no [Content_Types].xml part)")
            if any("macroEnabled" in (o.get("ContentType") or "") for o in types):
                raise InputError(f"{path}: contains macros; macro-enabled workbooks are refused")
            book = _workbook_part(path, archive)
            parts = _sheet_parts(path, archive, book)
            keep = {parts[t] for t in _needed_titles(path, archive, book, names) if t in parts}
            return _pruned(path, archive, entries, set(parts.values()) - keep)
    except InputError:  # itself a ValueError
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise InputError(f"{path}: not an xlsx file (not a valid zip archive)") from None


def _pruned(path: Path, archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo],
            emptied: set[str]) -> bytes:
    """A copy of the archive with the `emptied` sheets replaced and non-XML parts left out;
    every other part is bounded."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
        for e in entries:
            if e.filename in emptied:
                copy.writestr(e.filename, _EMPTY_SHEET)
                continue
            if not e.filename.endswith((".xml", ".rels")):  # media and binaries: never read
                continue
            if e.file_size > MAX_PART_BYTES:
                raise InputError(f"{path}: part {e.filename[:60]} is {e.file_size:,} bytes "
                                 f"uncompressed, over the {MAX_PART_BYTES:,}-byte limit")
            copy.writestr(e.filename, archive.read(e))
    return out.getvalue()
