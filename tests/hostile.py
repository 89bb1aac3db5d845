"""Hostile inputs shared by the tests and the benchmarks: workbooks inflated to the upload
limit, and link texts an attacker or a careless user would try.

A workbook is inflated by rewriting its zip: junk cells are appended as one XML string to a
sheet (or to the shared strings), so building a 1M-cell file takes well under a second.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

# Text an attacker or a careless user types into a number field (CLI --set, a link, a cell).
HOSTILE_NUMBERS = (
    "9**9**9", "9**9**9 GPU", "10**400 GPU", "10**400", "1" * 401, "2**64**64", "1e999999",
    " =1.2", "=1+1", "@SUM(A1)", "(" * 500 + "1" + ")" * 500, "1 " + "GPU*" * 5000 + "GPU",
    "1 GPU**99999", "1 GPU^9^9^9", "__import__('os')", "1e308 kGPU", "nan", "-inf", "\x00",
    "1" + "e" * 10_000, "9" * 5000, "1 GPU" + " " * 100_000 + "x", "0x1p1000", "1_" * 3000,
)


def _sheet_entry(archive: zipfile.ZipFile, title: str) -> str:
    """The zip entry of the sheet called `title` (through workbook.xml and its rels)."""
    book = archive.read("xl/workbook.xml").decode()
    rid = re.search(rf'<sheet name="{re.escape(title)}"[^>]*r:id="([^"]+)"', book).group(1)
    rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    target = re.search(rf'<Relationship[^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels) or \
        re.search(rf'<Relationship[^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels)
    return "xl/" + target.group(1).removeprefix("/xl/").removeprefix("xl/")


def with_raw_cell(src: Path, dst: Path, sheet: str, coord: str, inner_xml: str) -> Path:
    """Copy workbook `src` to `dst` with cell `coord` of `sheet` holding `inner_xml` verbatim:
    '<v>111...1</v>' (a number no spreadsheet program would write) or '<is><t>text</t></is>'
    (an inline string)."""
    kind = ' t="inlineStr"' if inner_xml.startswith("<is>") else ""
    with zipfile.ZipFile(src) as a:
        entry = _sheet_entry(a, sheet)
        with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as b:
            for info in a.infolist():
                data = a.read(info.filename)
                if info.filename == entry:
                    data = re.sub(rf'<c r="{coord}"[^>]*?(/>|>.*?</c>)'.encode(),
                                  f'<c r="{coord}"{kind}>{inner_xml}</c>'.encode(), data, count=1)
                b.writestr(info, data)
    return dst


def junk_rows(n_cells: int, first_row: int, per_row: int = 1000) -> str:
    """`n_cells` numeric cells as <row> elements from `first_row` on."""
    rows, left, r = [], n_cells, first_row
    while left > 0:
        k = min(per_row, left)
        cells = "".join(f'<c r="{_col(j)}{r}"><v>{j}</v></c>' for j in range(k))
        rows.append(f'<row r="{r}">{cells}</row>')
        left, r = left - k, r + 1
    return "".join(rows)


def _col(j: int) -> str:
    name, j = "", j + 1
    while j:
        j, rem = divmod(j - 1, 26)
        name = chr(65 + rem) + name
    return name


def inflate(src: Path, dst: Path, sheet: str, n_cells: int, first_row: int = 5000,
            per_row: int = 1000) -> Path:
    """Copy workbook `src` to `dst` with `n_cells` junk cells appended to `sheet`."""
    with zipfile.ZipFile(src) as a:
        entry = _sheet_entry(a, sheet)
        with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as b:
            for info in a.infolist():
                data = a.read(info.filename)
                if info.filename == entry:
                    text = data.decode()
                    end = text.rindex("</sheetData>")
                    text = text[:end] + junk_rows(n_cells, first_row, per_row) + text[end:]
                    data = text.encode()
                    # the sheet's declared extent must not contradict the junk
                    data = re.sub(rb'<dimension ref="[^"]*"\s*/>', b"", data)
                b.writestr(info, data)
    return dst


# Run in a child process, so that a regression that hangs is killed by the caller's timeout
# instead of hanging the suite. Reads a JSON list of argv lists on stdin; writes, per argv,
# [exit code, stderr, seconds].
_CLI_BATCH = """
import contextlib, io, json, sys, time
from model.cli.main import main
# the commands import their work when they run (issue 18): import it before the clock starts,
# so each time is the refusal's and not the model's start-up
import model.cli.fleet_year, model.cli.run, model.loop.montecarlo, model.policy.paths
import model.workbook.read
out = []
for argv in json.load(sys.stdin):
    err, sink = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(sink):
        code = main(argv)
    out.append([code, err.getvalue(), time.perf_counter() - start])
print(json.dumps(out))
"""


def cli_batch(argvs: list[list[str]], timeout: float = 240) -> list[tuple[int, str, float]]:
    """Each argv through the CLI in one child process: (exit code, stderr, seconds) each."""
    import json
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", _CLI_BATCH], input=json.dumps(argvs),
                          capture_output=True, text=True, timeout=timeout, cwd=root, check=True)
    return [tuple(r) for r in json.loads(done.stdout)]
