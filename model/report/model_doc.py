"""Regenerate the generated parts of docs/MODEL.md and README.md: `python -m
model.report.model_doc` (`make docs`). Each part sits between `<!-- begin NAME -->` and
`<!-- end NAME -->` markers; the tests fail when a part is stale.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from model.loop import backtest, convergence, milestone_dates
from model.market import answer, reveal, reveal_table
from model.market import backtest as market_backtest
from model.market import convergence as market_convergence
from model.odds import backtest as backtest_odds
from model.odds import levers

from . import equations_table, market_doc, split_doc

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "MODEL.md"
README = ROOT / "README.md"


def parts() -> dict[str, str]:
    """Marker name -> generated Markdown."""
    return {"equations": equations_table.markdown(),
            "convergence": convergence.markdown(convergence.convergence_table()),
            "market-convergence": market_convergence.markdown(
                market_convergence.convergence_table()),
            "backtest": backtest.markdown(backtest.backtest()),
            "market-backtest": backtest.markdown(market_backtest.backtest(), "market: lab"),
            "market-backtest-2024": backtest.markdown(market_backtest.backtest_2024(),
                                                      "market: lab"),
            "backtest-levers": levers.markdown(levers.levers()),
            "backtest-intervals": backtest_odds.markdown(backtest_odds.intervals()),
            "market-backtest-intervals": backtest_odds.markdown(
                backtest_odds.intervals(market=True), "market: lab"),
            "market-backtest-2024-intervals": backtest_odds.markdown(
                backtest_odds.intervals(market=True, from_2024=True), "market: lab"),
            "milestone-dates": milestone_dates.markdown(milestone_dates.table())}


def regenerate(text: str, generated: dict[str, str]) -> str:
    for name, body in generated.items():
        pattern = re.compile(rf"(<!-- begin {name} -->\n)(?:.*?\n)?(<!-- end {name} -->)", re.S)
        if not pattern.search(text):
            raise ValueError(f"docs/MODEL.md has no '{name}' markers")
        text = pattern.sub(lambda m, body=body: m.group(1) + body + "\n" + m.group(2), text)
    return text


if __name__ == "__main__":
    DOC.write_text(regenerate(DOC.read_text(), parts()))
    answer.write(answer.answers())
    reveal_table.write(reveal.reveal())
    README.write_text(regenerate(README.read_text(), {
        "value-split": split_doc.value_split_markdown(),
        "deciders": split_doc.deciders_markdown(),
        "market-answer": market_doc.answer_markdown(),
        "market-odds": market_doc.odds_markdown(),
        "reveal": reveal_table.markdown()}))
    sys.stdout.write(f"regenerated {DOC} and {README}\n")
