"""`python -m model split`: the share a value-maximising lab gives research, per scenario, and
the break-even AI R&D multiplier per preset (the seed question, answered by the model)."""

from __future__ import annotations

import argparse

from model.core.errors import InputError, quoted
from model.core.presets import PRESETS
from model.core.trend import DIRECTION_TEST
from model.policy.value_split import (
    YEARS_SHOWN,
    break_even_multiplier,
    break_even_text,
    value_split_table,
)
from model.report.formats import json_number, money, strict_json, table, texts
from model.report.split_doc import SHARE, year_headers


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
    years = year_headers(split.attrs["base_year"])
    rows = [(r.scenario, *texts(SHARE, [getattr(r, f"research_share_year_{y}")
                                        for y in YEARS_SHOWN]),
             r.trend, " -> ".join(texts("fleet_gpus", [r.fleet_year_1, r.fleet_year_5],
                                        with_unit=False)),
             money(r.npv_gain)) for r in split.itertuples()]
    head = ("scenario", *years, "as the fleet grows",
            f"fleet ({years[0].removeprefix('research, ')} -> {years[-1]})",
            "NPV over best assumed policy")
    breaks_rows = [(p, break_even_text(m)) for p, m in breaks.items()]
    return (f"Value-maximising research share, preset {args.preset or '(defaults)'}\n\n"
            + table(rows, head, legend=SPLIT_LEGEND) + "\n\nBreak-even AI R&D multiplier "
            "(moving a GPU from inference to research raises NPV at the preset's own split)\n\n"
            + table(breaks_rows, ("preset", "break-even multiplier"),
                    legend="the constant AI R&D multiplier above which one more research GPU "
                    "raises NPV; never: not up to 10,000x; n/a: no inference to move"))


SPLIT_LEGEND = (f"research = research's share of the whole fleet in each calendar year; as the "
                f"fleet grows: {DIRECTION_TEST}; fleet in H100-equivalent GPUs; NPV over the "
                f"best of the fixed, scheduled and inference-first policies")
