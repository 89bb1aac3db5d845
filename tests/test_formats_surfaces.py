"""One catalogue, really (issue 20): every output quantity reads the same in the CLI's tables,
the app's tables and the workbook, and every CLI table has a legend line.

The workbook side is checked twice: each cell's number format is the catalogue's for its value,
rendered by model.report.excel_text; and LibreOffice renders those formats to the same text
(so excel_text is not a private opinion of what Excel shows).
"""

from __future__ import annotations

import ast
import csv
import json
import re
import subprocess
import tempfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from app import tables
from model.cli.main import main
from model.cli.run import render
from model.core.catalogue import CATALOGUE
from model.loop.projection import project, summary
from model.loop.scenarios import scenario_settings
from model.policy.optimise import Solution
from model.report.excel_text import excel_text
from model.report.formats import CODE_WORDS, LEGEND, calendar_year, format_value, money, texts
from model.report.split_doc import optimiser_status
from model.workbook.build import build_workbook, projection_title, write_workbook
from tests.external import soffice

ROOT = Path(__file__).resolve().parents[1]
PRESET, SCENARIOS, YEARS = "openai-2024", ("status-quo", "ai-2027"), 3


def cli(capsys, *argv: str) -> str:
    assert main(list(argv)) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


def parse_table(text: str) -> dict[str, list[str]]:
    """The first plain-text table in `text`: column -> its cells, cut at the dash line's gaps."""
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if _dashes(line))
    spans, start = [], 0
    for dashes in lines[at].split("  "):
        spans.append((start, start + len(dashes)))
        start += len(dashes) + 2
    head = [lines[at - 1][a:b].strip() for a, b in spans]
    body = []
    for line in lines[at + 1:]:
        if not line.strip() or line.startswith(LEGEND):
            break
        body.append([line[a:b].strip() if i < len(spans) - 1 else line[a:].strip()
                     for i, (a, b) in enumerate(spans)])
    return {h: [r[i] for r in body] for i, h in enumerate(head)}


def _dashes(line: str) -> bool:
    """The line under a table's header: dashes, two spaces between columns."""
    return line.startswith("-") and set(line) <= {"-", " "} and "  " in line


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """The workbook of two scenarios at quarterly steps: formulas and cached values."""
    path = tmp_path_factory.mktemp("surfaces") / "book.xlsx"
    write_workbook(build_workbook(PRESET, list(SCENARIOS), years=YEARS, step="quarter",
                                  created=date(2025, 1, 1)), path)
    return openpyxl.load_workbook(path), openpyxl.load_workbook(path, data_only=True)


def _projection_rows(wb, cached, title: str) -> dict[str, list[tuple[str, float]]]:
    """Projection sheet row name -> (number format, cached value) per step column."""
    rows = {}
    for cells, values in zip(wb[title].iter_rows(min_row=4), cached[title].iter_rows(min_row=4),
                             strict=True):
        name = cells[0].value
        if name in CATALOGUE and all(isinstance(v.value, float) for v in values[2:]):
            rows[name] = [(c.number_format, v.value) for c, v in zip(cells[2:], values[2:],
                                                                     strict=True)]
    return rows


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_projection_row_reads_the_same_in_the_cli_and_the_workbook(book, scenario):
    """Every row the Projection sheet shows: the CLI table's column (with --columns of all of
    them) holds the catalogue's text, and each workbook cell's format renders that text."""
    wb, cached = book
    sheet = _projection_rows(wb, cached, projection_title(scenario, scenario == SCENARIOS[0]))
    settings = scenario_settings(PRESET, scenario)
    df = project(settings, YEARS, "quarter")
    names = [n for n in sheet if n in df.columns]
    assert len(names) > 100, "the Projection sheet's rows were not found"
    shown = parse_table(render(df, settings, "table", columns=names))
    for name in names:
        values = df[name].tolist()
        assert shown[name] == texts(name, values), name
        if name in CODE_WORDS:  # a code on the sheet until its lookup row (another part of #20)
            continue
        in_book = [excel_text(fmt, v) for fmt, v in sheet[name]]
        assert in_book == texts(name, values, with_unit=False), name
        assert all(cli.startswith(book) for cli, book in zip(shown[name], in_book, strict=True))


def test_the_reviewers_cases_read_one_way():
    """payback '2028.00' / '2026.0' / '2026.4999999999977'; 0.1 for 10%; 37.51% beside 4%;
    $0.00 beside $658.4B; $1,297.3B against $1.297T; $0.547 as '$0.00M'."""
    assert calendar_year(2026.4999999999977) == calendar_year(2026.0) == "2026"
    assert format_value("discount_rate", 0.1) == "10.0%"
    assert texts("share_research", [0.3751, 0.04]) == ["37.5%", "4.0%"]
    assert [money(v) for v in (0.0, 658.4e9, 1.2973e12)] == ["$0", "$658B", "$1.30T"]
    assert texts("token_price", [0.547, 8e6]) == ["$0.547/Mtoken", "$8.00M/Mtoken"]


def test_the_app_tables_say_what_the_cli_says(capsys):
    """Budget metrics, the fleet table, the training table and the finance table against the
    CLI's budget, training-run and run outputs."""
    from model.cli.fleet_year import BUDGET_OUTPUTS, TRAINING_OUTPUTS, evaluate

    settings = scenario_settings(PRESET, None)
    out = evaluate(settings, (*BUDGET_OUTPUTS, *TRAINING_OUTPUTS))
    budget = parse_table(cli(capsys, "budget", "--preset", PRESET).split("\n\n", 2)[2])
    cli_budget = dict(zip(budget["output"], budget["value"], strict=True))
    for label, value, _ in tables.headline(settings.values, out):
        name = tables.BUDGET_METRICS[label]
        if name in cli_budget:  # money without its per-what, as the label says per what
            assert cli_budget[name].startswith(value), (label, value, cli_budget[name])
    fleet = tables.fleet_table(tables.fleet_split(out))
    for use, gpus, spend in zip(fleet["use"], fleet["gpus"], fleet["budget_usd_per_year"],
                                strict=True):
        assert cli_budget[f"gpus_{use}"] == f"{gpus} GPU" and cli_budget[f"budget_{use}"] == spend
    training = parse_table(cli(capsys, "training-run", "--preset", PRESET).split("\n\n", 2)[2])
    cli_training = dict(zip(training["output"], training["value"], strict=True))
    for name, value in zip(*(tables.training_table(out)[c] for c in ("name", "value")),
                           strict=True):
        assert cli_training[name] == value, name
    run = cli(capsys, "run", "--preset", PRESET, "--years", "3").splitlines()[0]
    df = project(settings, 3)
    finance = tables.finance_table({"status-quo": summary(df)}).iloc[0]
    assert f"npv: {finance['NPV']}," in run and f"payback_year: {finance['payback year']}," in run
    assert "discount_rate: 10.0%" in run


def test_the_value_split_table_has_one_decimal_and_calendar_years():
    import pandas as pd

    split = pd.DataFrame({"scenario": ["status-quo"], "research_share_year_1": [0.3751],
                          "research_share_year_3": [0.04], "research_share_year_5": [0.31],
                          "trend": ["rises, then falls"], "npv_gain": [658.4e9]})
    frame = tables.value_split_frame(split)
    assert frame.iloc[0].tolist() == ["status-quo", "37.5%", "4.0%", "31.0%",
                                      "rises, then falls", "$658B"]
    heads = [h for h, _ in tables.value_split_columns(2024).values()]
    assert heads[:3] == ["Research share, 2025", "Research share, 2027", "Research share, 2029"]


COMMANDS = [("run", "--preset", PRESET, "--years", "2"), ("budget", "--preset", PRESET),
            ("training-run",), ("list",), ("observed",),
            ("sensitivity", "--preset", PRESET, "--years", "2"),
            ("milestones", "--scenario", "ai-2027", "--years", "3")]


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: a[0])
def test_every_cli_table_has_a_legend_line(capsys, argv):
    lines = cli(capsys, *argv).splitlines()
    dashes = [i for i, line in enumerate(lines) if _dashes(line)]
    assert dashes
    for at in dashes:  # the rows run to the first blank line; the last of them is the legend
        block = [*lines[at + 1:], ""]
        last = block[block.index("") - 1] if block.index("") else ""
        assert last.startswith(LEGEND) and len(last) > len(LEGEND) + 10, (argv, last)


def test_every_table_call_in_the_cli_passes_a_legend():
    """The slow commands (split, market, odds, reveal, backtest) too, read from the code."""
    calls = 0
    for path in (ROOT / "model" / "cli").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "table":
                calls += 1
                assert any(k.arg == "legend" for k in node.keywords), f"{path.name}:{node.lineno}"
    assert calls >= 15


# CSV, comma-separated, UTF-8, cells "as shown" (the 9th option; the default writes some raw)
AS_SHOWN = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true"


def test_libreoffice_shows_the_catalogues_formats_as_excel_text(book, tmp_path):
    """Every distinct (format, value) of the Projection sheets, written to a sheet, rendered by
    LibreOffice into CSV 'as shown', and compared with excel_text."""
    exe = soffice()
    wb, cached = book
    pairs = sorted({cell for title in wb.sheetnames if title.startswith("Projection")
                    for cells in _projection_rows(wb, cached, title).values() for cell in cells})
    probe = openpyxl.Workbook()
    ws = probe.active
    extra = [('"$"#,##0.000', -0.125), ('"$"#,##0.00,,,,"T"', 1.2973e12), ("0.0%", -1e-5)]
    for row, (fmt, value) in enumerate([*pairs, *extra], start=1):
        ws.cell(row, 1, value).number_format = fmt
    path = tmp_path / "probe.xlsx"
    probe.save(path)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--norestore", "--convert-to", AS_SHOWN, "--outdir", str(tmp_path),
                        str(path)], check=True, capture_output=True, timeout=300)
    with open(tmp_path / "probe.csv", newline="") as f:
        shown = [r[0] for r in csv.reader(f)]
    expected = [excel_text(fmt, value) for fmt, value in [*pairs, *extra]]
    wrong = [(p, s, e) for p, s, e in zip([*pairs, *extra], shown, expected, strict=True)
             if s != e]
    assert not wrong, wrong[:10]


def test_the_optimisers_status_line_gives_money_by_the_one_rule(capsys):
    """It printed '$134.40B' beside the tables' '$134B': now money() itself, on a made-up
    solution and on a solve's own numbers (its JSON record against its text)."""
    made = Solution(True, "", 134.4e9, {"fixed": 120e9, "inference-first": -2.5e9}, "fixed",
                    7, 40, 1.0)
    assert optimiser_status(made) == (
        "value-maximising path optimal: NPV $134B, $14.4B over the best assumed policy "
        "(fixed); 7 iterations, 40 batched projections")
    argv = ("run", "--preset", "ai-2027-lab-2024", "--scenario", "ai-2027", "--years", "3",
            "--set", "allocation_policy=value-maximising")
    record = json.loads(cli(capsys, *argv, "--format", "json"))["optimiser"]
    line = next(x for x in cli(capsys, *argv).splitlines() if "value-maximising path" in x)
    assert f"NPV {money(record['npv'])}, {money(record['gain'])} over" in line


def by_hand(root: Path) -> list[str]:
    """Where an f-string under `root` in the CLI, the page, the report's documents, the
    optimiser or the odds puts a '$' before a number, a T/B/M after one, or formats one as a
    percentage itself (the sources' derivations, in the input modules, are citations)."""
    found = []
    paths = [*(root / "model" / "cli").glob("*.py"), *(root / "app").glob("*.py"),
             *(root / "model" / "report").glob("*_doc.py"), *(root / "model" / "policy").glob(
                 "*.py"), *(root / "model" / "odds").glob("*.py"),
             root / "model" / "market" / "answer.py", root / "streamlit_app.py"]
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.JoinedStr):
                continue
            parts = node.values
            for i, part in enumerate(parts):
                if not isinstance(part, ast.FormattedValue):
                    continue
                before = parts[i - 1].value if i and isinstance(parts[i - 1], ast.Constant) else ""
                after = (parts[i + 1].value if i + 1 < len(parts)
                         and isinstance(parts[i + 1], ast.Constant) else "")
                spec = "".join(v.value for v in getattr(part.format_spec, "values", [])
                               if isinstance(v, ast.Constant))
                if (str(before).endswith("$") or re.match(r"[TBM]\b", str(after))
                        or spec.endswith("%")):
                    found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_no_surface_formats_money_or_shares_by_hand():
    assert by_hand(ROOT) == []
