"""The revealed beliefs as people read them: docs/reveal.json (written by `make docs` from
model.market.reveal, minutes of solves) read back and laid out as the README's table and the
app's, without solving anything or importing the solver (the app's Market tab reads it).
"""

from __future__ import annotations

import json
from pathlib import Path

REVEAL_FILE = Path(__file__).resolve().parents[2] / "docs" / "reveal.json"
BASE_YEAR = 2024  # the single-lab presets' base year, whose split is data
MARKET_YEAR = 2025  # the market's base year: its labs' splits are 2025's observed ones


def write(result: dict, path: Path = REVEAL_FILE) -> None:
    path.write_text(json.dumps(result, indent=1) + "\n")


def read(path: Path = REVEAL_FILE) -> dict:
    return json.loads(path.read_text())


def _number(v: float) -> str:
    return f"{v:.3g}" if abs(v) < 1e4 else f"{v:.0f}"


def ranges_text(sweep: dict) -> str:
    """'1-2.2, 7.7' or 'none in range'; an end at the catalogue bound is marked, and so are
    re-solved markets that did not clear (the ranges then read some uncleared markets)."""
    lo, hi = sweep["bounds"]

    def end(v: float) -> str:
        return _number(v) + ("" if lo < v < hi else " (bound)")
    text = (", ".join(end(a) if a == b else f"{end(a)} to {end(b)}" for a, b in sweep["ranges"])
            or "none in range")
    uncleared = sweep.get("uncleared_runs", 0)
    return (text if not uncleared else
            f"{text} ({uncleared} of {sweep['market_runs']} markets did not clear)")


def reading(r: dict) -> str:
    """A record's kind of best response, in a few words (the full text is its `kind`)."""
    # short enough that the app's table fits a 1366-pixel laptop without scrolling sideways (the
    # longer wording overflowed it by 45 px); the README's text and the caption say the rest
    if r["best_response"] == "market":
        return f"market best reply, Q1 {MARKET_YEAR + 1}"
    return {"first": f"price-taker keeps it, Q1 {BASE_YEAR + 1}",
            "end": f"price-taker, end of {r['year']}",
            "year": f"price-taker, {r['year']} mean"}[r["when"]]


def cells(result: dict) -> list[dict[str, str]]:
    """One row of text per revealed lab-year: index, lab, period, measure, observed (the
    fraction compared, and of what), best response, then each sweep's key -> its ranges."""
    return [{"index": str(r["index"]), "lab": r["lab"], "period": r["period"],
             "measure": r["measure"],
             "observed": f"{r['observed']:.1%} "
                         f"({'research' if r['compared'] == 'research' else 'all R&D'})",
             "best_response": reading(r),
             **{s: ranges_text(r["sweeps"][s]) for s in result["sweeps"]}}
            for r in result["rows"]]


def markdown(result: dict | None = None) -> str:
    """The README's table: one row per revealed lab-year."""
    result = read() if result is None else result
    heads = ["#", "lab", "period", "measure", "observed", "best response"] + [
        f"{s['label']} ({s['input']}, under `{s['scenario']}`)" for s in result["sweeps"].values()]
    lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    lines += ["| " + " | ".join(row.values()) + " |" for row in cells(result)]
    return "\n".join(lines)
