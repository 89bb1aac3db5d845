"""`python -m model market`: the market of labs (the end-2025 frontier labs and the rest of the
world, edited with `--set` or a market file) under a scenario: each lab's split, fleet, share of
customers, revenue and NPV, and the chip price.

By default (`--choice nash`) each lab chooses its research share path against the others
(open-loop Nash, model.market.nash), beside the joint optimum (one owner of all the labs) and
each lab alone as a price-taker; the race is Nash's research share less the joint's. With
`--choice policy` the labs keep their scenario's allocation policies: the market those policies
meet, with no deviation gain or joint optimum to report (null, with the reason).
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from model.core.errors import InputError
from model.loop.scenario_list import SCENARIOS
from model.loop.steps import steps_for
from model.market.engine import equilibrium, frame
from model.market.files import apply_sets, read_market_file
from model.market.nash import DEVIATION_TOLERANCE
from model.market.presets import DEFAULT_PRESET, LOOKAHEAD, MAX_LOOKAHEAD
from model.market.single_lab import lab_settings
from model.market.world import MARKETS
from model.report.formats import (
    counted,
    format_value,
    json_number,
    money,
    strict_json,
    table,
    texts,
)

from .commands import MAX_LAB_STEPS
from .market_export import check_out, write_market_book
from .options import given

POLICY = ("not computed: with --choice policy each lab keeps its scenario's allocation policy "
          "(no lab chooses, so there is no deviation to test and no owner to optimise)")
CAVEAT = ("Not a forecast yet: chip production does not answer the price, a renter reinvests "
          "all its revenue, and revenue falls with the frontier's price while fleets grow, so "
          "most NPVs are negative (docs/MODEL.md, 'The market of labs').")
YEARLY = (" Yearly steps are annual summaries: in the market a lab's fleet and NPV part from "
          "monthly steps' by tens of per cent (docs/MODEL.md, 'The market's steps').")


def caveat(args: argparse.Namespace) -> str:
    """CAVEAT, and at yearly steps what they miss."""
    return CAVEAT + (YEARLY if args.step == "year" else "")


def labs_from(args: argparse.Namespace) -> tuple:
    """The market the arguments describe: a market file (or the end-2025 labs), then --set."""
    path = given("--market-file", args.market_file, "a .toml or .json market file")
    base = (read_market_file(path) if path is not None
            else MARKETS[getattr(args, "preset", None) or DEFAULT_PRESET])
    return apply_sets(args.sets, base) if args.sets else tuple(base)


def check_size(labs: tuple, years: int, step: str) -> None:
    """InputError, before any work, when the market is larger than MAX_LAB_STEPS labs x steps
    (every lab's best reply re-solves every step of the market, so the work grows faster than
    either alone)."""
    n = steps_for(years, step)[0]
    if len(labs) * n > MAX_LAB_STEPS:
        steps = {"year": "yearly", "quarter": "quarterly", "month": "monthly"}.get(step, step)
        raise InputError(f"market: {len(labs)} labs x {n} {steps} steps is {len(labs) * n:,} "
                         f"labs x steps, over the limit of {MAX_LAB_STEPS}; expected fewer labs "
                         f"or a shorter horizon (at most {MAX_LAB_STEPS // max(1, len(labs))} "
                         f"steps for {len(labs)} labs)")


def check_lookahead(years: int) -> int:
    """`years` (the --lookahead), or InputError unless it is 0 to MAX_LOOKAHEAD."""
    if not 0 <= years <= MAX_LOOKAHEAD:
        raise InputError(f"lookahead: expected a whole number of years from 0 to "
                         f"{MAX_LOOKAHEAD}")
    return years


def note_ignored(args: argparse.Namespace, labs: tuple, scenarios=None) -> None:
    """A line on stderr for each `--set LAB.FIELD=VALUE` the market does not read under that
    lab's choices (model.market.ignored, from the equations): accepted, and changes nothing.
    `scenarios`: each of them (odds), a line once however many ignore it; else --scenario."""
    from model.core.ignored import note
    from model.market.files import parse_sets
    from model.market.ignored import ignored_fields

    edited = [(e.lab, e.field) for e in parse_sets(args.sets) if e.field is not None]
    choosing = getattr(args, "choice", "nash") == "nash"
    lines = {}
    for scenario in [args.scenario] if scenarios is None else scenarios:
        for lab, field, reasons, settings in ignored_fields(labs, edited, scenario, args.years,
                                                            args.step, choosing):
            lines.setdefault(note(f"{lab}.{field}", reasons, "the market", settings.text))
    for line in lines:
        print(line, file=sys.stderr)


def run_market(args: argparse.Namespace, notes: bool = False):
    """(labs, Outcome) under --choice nash; (labs, Market) under --choice policy; `notes`: first
    say which --set edits change nothing (note_ignored)."""
    if args.scenario is not None and args.scenario not in SCENARIOS:
        raise InputError(f"scenario: expected one of {', '.join(SCENARIOS)}")
    labs = labs_from(args)
    check_size(labs, args.years, args.step)
    if notes and args.sets:
        note_ignored(args, labs)
    lookahead = check_lookahead(getattr(args, "lookahead", LOOKAHEAD))
    if getattr(args, "choice", "nash") == "nash":
        from model.market.outcome import solve_shown  # the optimiser: scipy, only when choosing

        return labs, solve_shown(labs, args.scenario, None, years=args.years, step=args.step,
                                 lookahead=lookahead, limit=MAX_LAB_STEPS)
    settings = [lab_settings(lab, args.scenario, None) for lab in labs]
    return labs, equilibrium(settings, [lab.name for lab in labs], years=args.years,
                             step=args.step)


def _records(table) -> list[dict]:
    """Records of a frame, numbers as strict JSON's."""
    return [{k: v if isinstance(v, str) else json_number(v) for k, v in r.items()}
            for r in table.to_dict("records")]


def records(m) -> list[dict]:
    """One record per lab and step (model.market.engine.frame), numbers as strict JSON's."""
    return _records(frame(m))


def _index(m) -> list[dict]:
    years = m.rows["year"][:, 0]
    return [{"year": float(y), "value": json_number(v)}
            for y, v in zip(years, m.price_index, strict=True)]


def _financing(m) -> list[dict]:
    """The share of its offer every lab raises, per step (model.market.capital)."""
    years = m.rows["year"][:, 0]
    return [{"year": float(y), "value": json_number(v)}
            for y, v in zip(years, m.financing_share, strict=True)]


def _gain(share: float) -> str:
    """A deviation gain (a share of the lab's NPV scale) as the catalogue shows it: '0.94%'."""
    return format_value("deviation_gain", share, "")


def _raised(m) -> str:
    """What the labs raise of their offers where the capital market is tightest, in words."""
    return (f"the labs raise {format_value('financing_share', float(np.min(m.financing_share)))}"
            " of what investors offer at the tightest")


def _json(args, result) -> str:
    if not hasattr(result, "nash"):
        m = result
        return strict_json({
            "labs": list(m.labs), "scenario": args.scenario, "choice": "policy",
            "converged": bool(m.converged), "iterations": m.iterations,
            "change": json_number(m.change), "max_deviation_gain": None,
            "max_deviation_gain_note": POLICY, "joint": None, "joint_note": POLICY,
            "caveat": caveat(args), "chip_price_index": _index(m),
            "financing_share": _financing(m),
            "records": records(m)})
    eq, planner = result.nash, result.joint
    return strict_json({
        "labs": list(result.labs), "scenario": args.scenario, "choice": "nash",
        "lookahead": result.beyond,
        "lookahead_note": "years the labs chose over beyond the steps shown (research pays "
        "after it is done, so a horizon's last years see it cut); max_deviation_gain, "
        "deviation_gain, summed_npv (the equilibrium's) and joint.npv are over the whole "
        "horizon chosen, each record's npv at its step",
        "summed_npv": json_number(result.summed_npv()),
        "converged": bool(eq.converged and eq.market.converged), "rounds": eq.rounds,
        "round_gains": [json_number(g) for g in eq.gains],
        "max_deviation_gain": json_number(eq.max_deviation_gain),
        "max_deviation_gain_note": "largest NPV gain of a lab deviating alone to its best "
        "reply against the paths shown, the market re-solved, as a share of that lab's NPV "
        f"scale; within {_gain(DEVIATION_TOLERANCE)} is an equilibrium to the optimiser's "
        "resolution (round_gains: each round's largest gain, local rounds' with the market "
        "held)",
        "deviation_gain": {lab: json_number(g) for lab, g in
                           zip(result.labs, eq.deviation_gain, strict=True)},
        "checks_cleared": bool(eq.cleared),
        "checks_cleared_note": "every market the last check re-solved (each lab deviating "
        "alone) cleared; otherwise its gains vouch for nothing and converged is false",
        "market_iterations": eq.market.iterations, "seconds": round(eq.seconds, 2),
        "caveat": caveat(args), "chip_price_index": _index(eq.market),
        "financing_share": _financing(eq.market), "records": _records(result.frame()),
        "joint": {"npv": json_number(planner.npv), "success": planner.success,
                  "message": planner.message, "evaluations": planner.evaluations,
                  "climbs": planner.climbs,
                  "chip_price_index": _index(planner.market),
                  "financing_share": _financing(planner.market),
                  "records": records(planner.market)},
        "race": {lab: json_number(float(np.mean(r)))
                 for lab, r in zip(result.labs, result.race().T, strict=True)},
        "race_note": "Nash research share less the joint optimum's, averaged over the steps "
                     "(share of the fleet; positive: competition makes the lab do more "
                     "research than one owner of all the labs would)"})


def cmd_market(args: argparse.Namespace) -> str:
    out = getattr(args, "out", None)
    if out:
        check_out(out)
    labs, result = run_market(args, notes=True)
    if out:  # said on stderr: stdout stays the table, JSON or CSV
        print(write_market_book(args, labs, result), file=sys.stderr)
    if args.format == "json":
        return _json(args, result)
    if args.format == "csv":
        table_ = result.frame() if hasattr(result, "nash") else frame(result)
        return table_.to_csv(index=False, lineterminator="\n", float_format="%.17g").rstrip()
    m = result.nash.market if hasattr(result, "nash") else result

    def moved(series, j: int, name: str) -> str:
        """First step to last by the display catalogue, e.g. '45.0% -> 52.3%'."""
        first, last = texts(name, [float(series[0, j]), float(series[-1, j])], with_unit=False)
        return f"{first} -> {last}"

    first, last = texts("year", [float(y) for y in m.rows["year"][[0, -1], 0]])
    head = (f"Market of {counted(len(labs), 'lab')}, scenario {args.scenario or 'status-quo'}, "
            f"{first} to {last}")
    if getattr(result, "beyond", 0):
        head += f" (the labs choosing {result.beyond} years beyond it)"
    if not hasattr(result, "nash"):
        rows = [(lab, moved(m.rows["share_research"], j, "share_research"),
                 moved(m.rows["share_inference"], j, "share_inference"),
                 moved(m.rows["fleet_gpus"], j, "fleet_gpus"),
                 moved(m.customer_share, j, "customer_share"),
                 money(float(m.rows["inference_revenue"][-1, j]), "USD/year"),
                 money(float(m.rows["npv"][-1, j])))
                for j, lab in enumerate(m.labs)]
        state = (f"cleared step by step, each in at most {counted(m.iterations, 'run')} "
                 f"(last change {m.change:.1e})" if m.converged else
                 f"NOT cleared: a step still moved after {counted(m.iterations, 'run')} "
                 f"(change {m.change:.1e})")
        index = texts("chip_price_index", [float(np.max(m.price_index))], "", False)[0]
        return (f"{head}, each lab keeping its allocation policy: {state}; chip price index "
                f"{index} at its highest; {_raised(m)}\n\n"
                + table(rows, ("lab", "research share", "inference share", "fleet (H100e)",
                               "share of customers", "revenue, last step", "NPV"),
                        legend="research, inference share = of the lab's fleet, first step -> "
                        "last; fleet in H100-equivalent GPUs; share of customers = of the "
                        "tokens the labs serve; NPV = at the last step, with a terminal value")
                + "\n\n" + caveat(args))
    eq, planner = result.nash, result.joint
    race = result.race()
    alone = [p["share_research"].to_numpy() for p in result.price_takers]
    rows = [(lab, moved(m.rows["share_research"], j, "share_research"),
             format_value("share_research", float(planner.market.rows["share_research"][-1, j])),
             format_value("share_research", float(alone[j][-1])),
             f"{np.mean(race[:, j]) * 100:+.1f}", moved(m.customer_share, j, "customer_share"),
             money(float(m.rows["npv"][-1, j])),
             _gain(eq.deviation_gain[j] / eq.deviation_scale[j]))
            for j, lab in enumerate(m.labs)]
    state = (f"equilibrium in {eq.rounds} rounds of best replies" if eq.converged else
             f"NOT checked: a market the check re-solved did not clear (after {eq.rounds} "
             "rounds)" if not eq.cleared else
             f"NOT an equilibrium after {eq.rounds} rounds (the rounds stopped at their cap; "
             "the paths shown are the checked ones closest to one)")
    chosen_to = float(m.rows["year"][-1, 0]) + result.beyond
    over = f" (over the years chosen, to {texts('year', [chosen_to])[0]})" if result.beyond else ""
    return (f"{head}: {state}; largest deviation gain {_gain(eq.max_deviation_gain)}; joint "
            f"optimum {money(planner.npv)} against Nash's {money(result.summed_npv())} summed "
            f"NPV{over}; {_raised(m)}\n\n"
            + table(rows, ("lab", "research share (Nash)", "joint, last step",
                           "alone, last step", "race (points)", "share of customers", "NPV",
                           "deviation gain"),
                    legend="research share: of the fleet, first step -> last; joint: one "
                    "owner of all the labs; alone: the lab by itself against the exogenous "
                    "frontier (a price-taker); race: Nash less joint, averaged over the steps, "
                    "in points of the fleet; deviation gain: what the lab gains deviating alone "
                    "(share of its NPV scale)")
            + "\n\n" + caveat(args))
