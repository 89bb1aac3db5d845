"""`python -m model reveal --lab NAME [--year Y]`: the ranges of the constant AI R&D multiplier,
of the compute bottleneck's rho and of ideas-harder's returns r under which a lab's observed
split is its value-maximising choice (model.market.reveal), with the observations that reveal
nothing and why."""

from __future__ import annotations

import argparse
import csv
import io

from model.market.reveal import check_selection, reveal
from model.market.reveal_table import ranges_text
from model.report.formats import format_value, json_number, strict_json, table

CSV_COLUMNS = ("index", "lab", "year", "period", "measure", "compared", "observed", "tolerance",
               "sweep", "input", "scenario", "revealed", "low", "high", "kind")


def _csv(result: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in result["rows"]:
        for key, s in r["sweeps"].items():
            ends = [v for pair in s["ranges"] for v in pair]
            writer.writerow([r["index"], r["lab"], r["year"], r["period"], r["measure"],
                             r["compared"], f"{r['observed']:.6g}", result["tolerance"], key,
                             s["input"], s["scenario"], ranges_text(s),
                             f"{min(ends):.6g}" if ends else "",
                             f"{max(ends):.6g}" if ends else "", r["kind"]])
    return out.getvalue().rstrip("\n")


def _text(result: dict, lab: str) -> str:
    sweeps = result["sweeps"]
    if not result["rows"]:
        head = f"{lab}: no observation in the panel reveals a belief here"
    else:
        rows = [(str(r["index"]), r["period"], r["measure"],
                 f"{format_value('share_research', r['observed'])} "
                f"{'research' if r['compared'] == 'research' else 'all R&D'}",
                 *(ranges_text(r["sweeps"][k]) for k in sweeps)) for r in result["rows"]]
        head = (f"{lab}: the values under which the observed split is the lab's value-maximising "
                f"choice, within {format_value('reveal_tolerance', result['tolerance'], '')} "
                f"of the research + inference pool ({result['tolerance_why']})\n\n"
                + table(rows, ("#", "period", "measure", "observed",
                               *(f"{s['input']} ({s['scenario']})" for s in sweeps.values())),
                        legend="observed = the published share (research: of research + "
                        "inference; R&D: of R&D + inference); each input column = the values "
                        "under which it is the lab's best choice")
                + "\n\n" + "\n".join(f"{r['index']}. {r['kind']}." for r in result["rows"])
                + "\n\nEach input over its catalogue bounds ("
                + "; ".join(f"{s['input']} {s['bounds'][0]:g} to {s['bounds'][1]:g}"
                            for s in sweeps.values())
                + "); '(bound)': the range reaches it. Research: of research + inference (the "
                "source separates final runs); R&D: research and final runs, of R&D + "
                f"inference. {result['years']} years at {result['step']} steps; solved in "
                f"{result['seconds']:g} s." + _cleared(result))
    skipped = [f"{s['index']}. {s['lab']} {s['period']} ({s['measure']}): {s['why']}."
               for s in result["skipped"]]
    return head + ("\n\nNot revealed (numbered as in `python -m model observed`):\n"
                   + "\n".join(skipped) if skipped else "")


def _cleared(result: dict) -> str:
    """How many markets the market replies re-solved, and how many did not clear."""
    # a lab's targets share its solves, so each lab and sweep is counted once
    sweeps = list({(r["lab"], k): s for r in result["rows"] for k, s in r["sweeps"].items()
                   if "market_runs" in s}.values())
    if not sweeps:
        return ""
    runs = sum(s["market_runs"] for s in sweeps)
    uncleared = sum(s["uncleared_runs"] for s in sweeps)
    return (f" The market replies re-solved the market {runs} times; "
            + (f"{uncleared} did not clear." if uncleared else "every one cleared."))


def cmd_reveal(args: argparse.Namespace) -> str:
    check_selection(args.lab, args.year)
    result = reveal(args.lab, args.year)
    if args.format == "json":
        return strict_json({**result, "rows": [
            {**r, "observed": json_number(r["observed"])} for r in result["rows"]]})
    if args.format == "csv":
        return _csv(result)
    return _text(result, args.lab)
