"""`python -m model split`: the share a value-maximising lab gives research, per scenario, and
the break-even AI R&D multiplier per preset (the seed question, answered by the model)."""

from __future__ import annotations

import argparse

from model.core.errors import InputError, quoted
from model.core.presets import PRESETS
from model.core.resolve import parse_assignments
from model.core.trend import DIRECTION_TEST
from model.loop.scenarios import scenario_settings
from model.loop.steps import DEFAULT_STEP
from model.policy.value_split import (
    YEARS_SHOWN,
    break_even_multiplier,
    break_even_text,
    value_split_table,
)
from model.report.formats import json_number, money, strict_json, table, texts
from model.report.split_doc import SHARE, year_headers

from .options import given, scenario_list
from .run import _note_ignored


def cmd_split(args: argparse.Namespace) -> str:
    if args.preset is not None and args.preset not in PRESETS:
        raise InputError(f"unknown preset {quoted(args.preset)}; "
                         f"expected one of {', '.join(PRESETS)}")
    sets = parse_assignments(getattr(args, "sets", []))
    if "allocation_policy" in sets:
        # the table is the value-maximising policy's; a policy set here would be overruled
        raise InputError("--set allocation_policy: split always chooses the value-maximising "
                         "policy; set a policy in `run`")
    gpu = given("--gpu", getattr(args, "gpu", None), "a GPU catalogue entry")
    scenarios = scenario_list(getattr(args, "scenario", None))
    # every input is checked before any solve (each scenario of the preset, each preset's
    # break-even): a bad value fails in a second, not after a minute of solves
    chosen = {**sets, "allocation_policy": "value-maximising"}
    first, *_ = (scenario_settings(args.preset, s, gpu, chosen) for s in scenarios)
    for p in PRESETS:
        scenario_settings(p, "status-quo", gpu, sets)
    _note_ignored(argparse.Namespace(**{**vars(args), "years": 10, "step": DEFAULT_STEP}),
                  first)
    split = value_split_table(args.preset, scenarios, gpu=gpu, overrides=sets)
    breaks = {p: break_even_multiplier(p, gpu=gpu, overrides=sets) for p in PRESETS}
    inputs = ", ".join(f"{k}={v}" for k, v in sets.items())
    if args.format == "json":
        return strict_json({"preset": args.preset, "gpu": gpu, "inputs": sets,
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
    return (f"Value-maximising research share, preset {args.preset or '(defaults)'}"
            + (f", GPU {gpu}" if gpu else "") + (f", inputs {inputs}" if inputs else "")
            + "\n\n"
            + table(rows, head, legend=SPLIT_LEGEND) + "\n\nBreak-even AI R&D multiplier "
            "(moving a GPU from inference to research raises NPV at the preset's own split)"
            + (f", with {inputs}" if inputs else "") + "\n\n"
            + table(breaks_rows, ("preset", "break-even multiplier"),
                    legend="the constant AI R&D multiplier above which one more research GPU "
                    "raises NPV; never: not up to 10,000x; n/a: no inference to move"))


SPLIT_LEGEND = (f"research = research's share of the whole fleet in each calendar year; as the "
                f"fleet grows: {DIRECTION_TEST}; fleet in H100-equivalent GPUs; NPV over the "
                f"best of the fixed, scheduled and inference-first policies")
