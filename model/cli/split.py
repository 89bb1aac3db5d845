"""`python -m model split`: the share a value-maximising lab gives research, per scenario, and
the break-even AI R&D multiplier per preset (the seed question, answered by the model)."""

from __future__ import annotations

import argparse

from model.core.errors import InputError, quoted
from model.core.presets import PRESETS
from model.policy.value_split import (
    YEARS_SHOWN,
    break_even_multiplier,
    break_even_text,
    value_split_table,
)
from model.report.formats import json_number, strict_json, table


def _share(value: float) -> str:
    return "n/a" if value != value else f"{value:.0%}"


def cmd_split(args: argparse.Namespace) -> str:
    if args.preset is not None and args.preset not in PRESETS:
        raise InputError(f"unknown preset {quoted(args.preset)}; "
                         f"expected one of {', '.join(PRESETS)}")
    split = value_split_table(args.preset)
    breaks = {p: break_even_multiplier(p) for p in PRESETS}
    if args.format == "json":
        return strict_json({"preset": args.preset,
                           "value_split": [{k: json_number(v) if isinstance(v, float) else v
                                            for k, v in r.items()}
                                           for r in split.to_dict("records")],
                           "break_even_multiplier": {p: json_number(m) if m is not None
                                                     else None for p, m in breaks.items()}},
                          indent=1)
    rows = [(r.scenario, *(_share(getattr(r, f"research_share_year_{y}")) for y in YEARS_SHOWN),
             r.trend, f"{r.fleet_year_1:,.0f} -> {r.fleet_year_5:,.0f}",
             f"${r.npv_gain / 1e9:,.1f}B") for r in split.itertuples()]
    head = ("scenario", *(f"research, year {y}" for y in YEARS_SHOWN), "as the fleet grows",
            "fleet (year 1 -> 5)", "NPV over best assumed policy")
    breaks_rows = [(p, break_even_text(m)) for p, m in breaks.items()]
    return (f"Value-maximising research share, preset {args.preset or '(defaults)'}\n\n"
            + table(rows, head) + "\n\nBreak-even AI R&D multiplier (moving a GPU from "
            "inference to research raises NPV at the preset's own split)\n\n"
            + table(breaks_rows, ("preset", "break-even multiplier")))
