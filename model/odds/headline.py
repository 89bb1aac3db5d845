"""The README's headline: per scenario, the odds that research's share of the labs' compute falls
relative to inference, from docs/odds.json (written by `make odds`, which runs
`python -m model odds`; `make docs` renders the table, model.report.market_doc, without solving
anything)."""

from __future__ import annotations

import json
from pathlib import Path

ODDS_FILE = Path(__file__).resolve().parents[2] / "docs" / "odds.json"


def read(path: Path = ODDS_FILE) -> dict:
    return json.loads(path.read_text())
