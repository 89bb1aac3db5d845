"""docs/MODEL.md's tables are generated from the catalogue; the README's map matches the tree."""

import re
from pathlib import Path

from model.report.equations_table import markdown

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "MODEL.md"


def test_model_doc_tables_match_the_catalogue():
    text = DOC.read_text()
    assert markdown() in text, "docs/MODEL.md is stale: regenerate its tables with `make docs`"


def test_model_doc_backtest_is_current():
    from model.loop.backtest import backtest
    from model.loop.backtest import markdown as backtest_markdown

    assert backtest_markdown(backtest()) in DOC.read_text(), "regenerate with `make docs`"


def test_model_doc_market_backtests_are_current():
    from model.loop.backtest import markdown as backtest_markdown
    from model.market.backtest import backtest, backtest_2024

    text = DOC.read_text()
    assert backtest_markdown(backtest(), "market: lab") in text, "regenerate with `make docs`"
    assert backtest_markdown(backtest_2024(), "market: lab") in text, \
        "regenerate with `make docs`"


def test_model_doc_backtest_intervals_are_current():
    from model.odds.backtest import intervals, markdown

    text = DOC.read_text()
    assert markdown(intervals()) in text, "regenerate with `make docs`"
    assert markdown(intervals(market=True), "market: lab") in text, "regenerate with `make docs`"
    assert markdown(intervals(market=True, from_2024=True), "market: lab") in text, \
        "regenerate with `make docs`"


def test_model_doc_names_every_input_and_row():
    from model.core.catalogue import CATALOGUE

    text = DOC.read_text()
    missing = [n for n, q in CATALOGUE.items()
               if q.kind in ("input", "choice", "output") and f"`{n}`" not in text]
    assert not missing, missing


def _where_things_are() -> str:
    readme = (ROOT / "README.md").read_text()
    return readme.split("## Where things are", 1)[1].split("\n## ", 1)[0]


def test_readme_where_things_are_matches_the_tree():
    text = _where_things_are()
    named = set(re.findall(r"`([\w./]+/)`", text))
    packages = {f"{p.parent.relative_to(ROOT).as_posix()}/" for p in
                [*ROOT.glob("model/*/__init__.py"), ROOT / "app" / "__init__.py"]}
    assert named == packages, "README's 'Where things are' names other packages than the tree"
    # every file named sits in the package named before it in the text (or at the top)
    where = ""
    for token in re.findall(r"`([\w./]+)`", text):
        if token.endswith("/"):
            where = token
        elif "." in token:
            found = (ROOT / where / token).exists() or (ROOT / token).exists()
            assert found, f"README names {token} under {where}, which has no such file"


def test_readme_backtest_counts_are_current():
    """The README's backtest paragraph counts the figures each backtest reads and quotes the mean
    ranks docs/MODEL.md's generated interval tables end with."""
    from model.loop.backtest import OBSERVABLES
    from model.market.backtest import OBSERVABLES as MARKET

    readme = (ROOT / "README.md").read_text()
    prose = " ".join(readme.split())
    assert f"checks the presets against {len(OBSERVABLES)} figures" in prose
    assert f"`backtest --market` reads {len(MARKET)} figures" in prose
    assert f"none lands ten of the {len(OBSERVABLES)} at" in prose
    ranks = re.findall(r"mean rank among the draws is (\d\.\d\d)", DOC.read_text())
    assert len(ranks) == 3, ranks  # alone, the end-2025 market, the market from 2024
    assert f"mean rank {ranks[0]} alone, {ranks[1]} in the market" in prose
    covered = re.findall(r"^(\d+) of (\d+) readings lie within", DOC.read_text(), re.M)
    assert f"The market from 2024* covers {covered[2][0]} of {covered[2][1]} (mean rank " \
        f"{ranks[2]})" in " ".join(DOC.read_text().split())
