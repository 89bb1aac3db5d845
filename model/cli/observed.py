"""`python -m model observed`: the published research, training and inference shares per lab
and year (model.market.observed), each with its source and how comparable it is."""

from __future__ import annotations

import argparse
import math

from model.core.errors import InputError, quoted
from model.core.sources import reference_keys
from model.market.observed import COLUMNS, LABS, panel
from model.report.formats import format_value, json_number, strict_json, table

DEFINITIONS = {
    "research_share": "R&D less the final training runs of released models (the model's "
                      "share_research)",
    "training_share": "final training runs (the model's share_training)",
    "rd_share": "all R&D, research and final runs together",
    "inference_share": "serving customers",
    "measure": "what the shares divide: expense (dollars of compute spend), compute (GPUs or "
               "their power capacity) or energy (energy used)",
}


def _share(value: float) -> str:
    return "" if math.isnan(value) else format_value("share_research", value)


def cmd_observed(args: argparse.Namespace) -> str:
    if args.lab is not None and args.lab not in LABS:
        raise InputError(f"--lab {quoted(args.lab)}: expected one of {', '.join(LABS)}")
    df = panel(args.lab)
    if args.format == "json":
        return strict_json({"definitions": DEFINITIONS, "rows": [
            {c: (json_number(r[c]) if isinstance(r[c], float) else r[c]) for c in COLUMNS}
            for r in df.to_dict("records")]})
    if args.format == "csv":
        return df.to_csv(index=False, lineterminator="\n").rstrip("\n")
    rows = [(r.lab, r.period, r.measure, _share(r.research_share), _share(r.training_share),
             _share(r.rd_share), _share(r.inference_share),
             ", ".join(dict.fromkeys(reference_keys(r.citation))))
            for r in df.itertuples()]
    notes = [f"{i}. {r.lab} {r.period}, {r.scope}: {r.note}."
             for i, r in enumerate(df.itertuples(), start=1)]
    return (f"{len(df)} published observations of how labs split their compute (shares of the "
            "measure; blank where no source gives one)\n\n"
            + table([(str(i), *row) for i, row in enumerate(rows, start=1)],
                    ("#", "lab", "period", "measure", "research", "final runs", "all R&D",
                     "inference", "sources"),
                    legend="research: " + DEFINITIONS["research_share"] + "; final runs: "
                    + DEFINITIONS["training_share"] + "; all R&D: the two together; measure: "
                    + DEFINITIONS["measure"] + ". Citations in full: --format json or csv")
            + "\n\n"
            + "\n".join(notes))
