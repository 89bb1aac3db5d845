"""The README's headline: per scenario, the odds that research's share of the labs' compute falls
relative to inference, from docs/odds.json (written by `make odds`, which runs
`python -m model odds`; `make docs` renders the table without solving anything)."""

from __future__ import annotations

import json
from pathlib import Path

ODDS_FILE = Path(__file__).resolve().parents[2] / "docs" / "odds.json"


def read(path: Path = ODDS_FILE) -> dict:
    return json.loads(path.read_text())


def _odds(r: dict, key: str) -> str:
    p, se = r[key], r[f"{key}_se"]
    return "n/a" if p is None else f"{p:.0%} ± {se:.0%}"


def _drivers(r: dict) -> str:
    return ", ".join(f"`{d['input']}` ({d['spearman_rho']:+.2f})" for d in r["drivers"]) or "-"


def markdown(data: dict | None = None) -> str:
    """The headline table: odds in equilibrium and for the price-takers, the median ratio's
    path, the draws that reached an equilibrium, and the inputs most rank-correlated with the
    outcome."""
    data = read() if data is None else data
    first, last = data["scenarios"][0]["ratio_paths"]["years"][1], data["scenarios"][0][
        "ratio_paths"]["years"][-1]
    lines = [f"| scenario | P(research / inference falls, {first:.0f} to {last:.0f}), "
             "equilibrium | each lab alone (price-takers) | median ratio | draws in "
             "equilibrium | inputs that move it most (Spearman rho) |",
             "|---|---|---|---|---|---|"]
    for r in data["scenarios"]:
        median = r["ratio_paths"]["p50"]
        lines.append(f"| `{r['scenario']}` | {_odds(r, 'p_research_share_falls')} | "
                     f"{_odds(r, 'p_research_share_falls_price_taker')} | "
                     f"{median[1]:.2f} to {median[-1]:.2f} | {r['share_converged']:.0%} | "
                     f"{_drivers(r)} |")
    return "\n".join(lines)
