"""`python -m model market`: the market of labs (the end-2025 frontier labs and the rest of the
world, edited with `--set` or a market file) under a scenario: each lab's split, fleet, share of
customers, revenue and NPV, and the chip price, from the market's fixed point.

The labs keep their allocation policies: this is the market those policies meet, not yet an
equilibrium of choices, so the deviation gain and the joint optimum are null with the reason.
"""

from __future__ import annotations

import argparse

import numpy as np

from model.core.errors import InputError
from model.loop.scenario_list import SCENARIOS
from model.market.engine import equilibrium, frame
from model.market.files import apply_sets, read_market_file
from model.market.single_lab import lab_settings
from model.market.world import MARKET
from model.report.formats import json_number, money, strict_json, table

NOT_YET = ("not computed: each lab keeps its allocation policy; best responses (open-loop Nash) "
           "and the joint optimum are the next step of issue 18")
CAVEAT = ("Not a forecast yet: the labs keep their 2025 splits, chip production does not "
          "answer the price, and revenue falls with the frontier's price while fleets grow "
          "(docs/MODEL.md, 'The market of labs (engine)').")


def labs_from(args: argparse.Namespace) -> tuple:
    """The market the arguments describe: a market file (or the end-2025 labs), then --set."""
    base = read_market_file(args.market_file) if args.market_file else MARKET
    return apply_sets(args.sets, base) if args.sets else tuple(base)


def run_market(args: argparse.Namespace):
    if args.scenario is not None and args.scenario not in SCENARIOS:
        raise InputError(f"scenario: expected one of {', '.join(SCENARIOS)}")
    labs = labs_from(args)
    settings = [lab_settings(lab, args.scenario, None) for lab in labs]
    return labs, equilibrium(settings, [lab.name for lab in labs], years=args.years,
                             step=args.step)


def records(m) -> list[dict]:
    """One record per lab and step (model.market.engine.frame), numbers as strict JSON's."""
    return [{k: v if isinstance(v, str) else json_number(v) for k, v in r.items()}
            for r in frame(m).to_dict("records")]


def cmd_market(args: argparse.Namespace) -> str:
    labs, m = run_market(args)
    if args.format == "json":
        years = m.rows["year"][:, 0]
        return strict_json({
            "labs": list(m.labs), "scenario": args.scenario, "converged": bool(m.converged),
            "iterations": m.iterations, "change": json_number(m.change),
            "max_deviation_gain": None, "max_deviation_gain_note": NOT_YET,
            "joint": None, "joint_note": NOT_YET, "caveat": CAVEAT,
            "chip_price_index": [{"year": float(y), "value": json_number(v)}
                                 for y, v in zip(years, m.price_index, strict=True)],
            "records": records(m)})
    if args.format == "csv":
        return frame(m).to_csv(index=False, lineterminator="\n", float_format="%.17g").rstrip()

    def moved(series, j: int, fmt: str) -> str:
        """First step to last, e.g. '45% -> 52%'."""
        return f"{series[0, j]:{fmt}} -> {series[-1, j]:{fmt}}"

    rows = [(lab, moved(m.rows["share_research"], j, ".0%"),
             moved(m.rows["share_inference"], j, ".0%"), moved(m.rows["fleet_gpus"], j, ",.0f"),
             moved(m.customer_share, j, ".0%"),
             money(float(m.rows["inference_revenue"][-1, j]), "USD/year"),
             money(float(m.rows["npv"][-1, j])))
            for j, lab in enumerate(m.labs)]
    years = m.rows["year"][:, 0]
    state = (f"converged in {m.iterations} iterations (last change {m.change:.1e})"
             if m.converged else f"NOT converged after {m.iterations} iterations "
             f"(last change {m.change:.1e})")
    return (f"Market of {len(labs)} labs, scenario {args.scenario or 'status-quo'}, "
            f"{years[0]:.0f} to {years[-1]:.2f}: {state}; chip price index "
            f"{np.max(m.price_index):.2f}x at its highest\n\n"
            + table(rows, ("lab", "research share", "inference share", "fleet (H100e)",
                           "share of customers", "revenue, last step", "NPV"))
            + "\n\nEach lab keeps its allocation policy (no best responses yet). " + CAVEAT)
