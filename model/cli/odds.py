"""`python -m model odds`: the seed's answer with its odds. For each scenario, over draws of the
uncertain inputs (the labs' assumed fields within their intervals, the loop's uncertain inputs),
the probability that research's share of the labs' compute falls relative to inference from the
first year after the base year to the last, in equilibrium and for the labs as price-takers,
with the ratio's 5th-50th-95th percentile paths and the three inputs that move it most
(model.odds).

A draw is one market's Nash equilibrium and its labs' price-taking solves: ~7 s for the six labs
at yearly steps on one core (the labs choosing to 2034), so the default is a modest
DEFAULT_SAMPLES draws per scenario (binomial standard error up to 0.5/sqrt(samples): 0.18 at 8).
Draws run on a local dask cluster (`--workers`, default one per core; 0: in this process) or an
existing one (`--scheduler`), each written once to the results folder as it finishes, so a rerun
with more samples computes only the new draws.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from model.core.errors import InputError, quoted
from model.core.resolve import parse_assignments
from model.loop.steps import STEPS
from model.report.formats import strict_json, table

from .commands import MAX_LAB_STEPS
from .market import check_lookahead, check_size, labs_from, note_ignored
from .options import given, scenario_list

DEFAULT_SAMPLES = 8
MAX_SAMPLES = 10_000
MAX_WORKERS = 256
NOTE = ("p_research_share_falls: share of the draws in which research falls relative to "
        "inference, by the one rises/falls test on research's share of the labs' summed "
        "research + inference GPUs from the first year after the base year to the last "
        "(model.core.trend: down by more than 1 point, never back up by more than 1), in the "
        "open-loop Nash equilibrium (_price_taker: each lab alone, value-maximising, their "
        "fleets summed); _se: its binomial standard error sqrt(p(1-p)/samples); trends: the "
        "share of the draws giving each of the test's answers; "
        "ratio_paths: the ratio's 5th, 50th and 95th percentiles over the draws per year; "
        "drivers: the drawn inputs with the largest Spearman rank correlation with the ratio's "
        "log change, last year over first, in equilibrium (drivers_price_taker: each lab "
        "alone's; a loop input is its factor over the setting; "
        "'lab.field' a lab's drawn value), with each one's unadjusted p_value: the largest of "
        "inputs_tested correlations is large by chance alone when the draws are few")


def _check_scheduler(address: str | None) -> None:
    """InputError unless `address` is one dask can dial (scheme, host and port), said before
    any draw; that a scheduler answers there is found when the client connects."""
    if given("--scheduler", address, "a dask scheduler's address") is None:
        return
    from distributed.comm.addressing import get_address_host_port, parse_address
    from distributed.comm.registry import get_backend

    try:
        get_backend(parse_address(address, strict=False)[0])
        host, port = get_address_host_port(address)
        if not host:
            raise ValueError("no host")
        if not 0 < port < 2**16:
            raise ValueError(f"port {port} is outside 1 to 65535")
    except (ValueError, TypeError, ImportError) as exc:  # distributed's own one-line reasons
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise InputError(f"--scheduler {quoted(address)}: {reason}; expected an address such "
                         "as tcp://10.0.0.5:8786") from None


def _check(args: argparse.Namespace) -> None:
    if not 1 <= args.samples <= MAX_SAMPLES:
        raise InputError(f"samples: expected a whole number from 1 to {MAX_SAMPLES:,}")
    if not 0 <= args.seed < 2**64:
        raise InputError("seed: expected a whole number from 0 to 2**64 - 1")
    if args.workers is not None and not 0 <= args.workers <= MAX_WORKERS:
        raise InputError(f"workers: expected a whole number from 0 to {MAX_WORKERS}")
    if args.step not in STEPS:
        raise InputError(f"step: expected one of {', '.join(STEPS)}")
    check_lookahead(args.lookahead)
    _check_scheduler(args.scheduler)


def run_odds(args: argparse.Namespace) -> dict:
    """The odds document the arguments ask for."""
    _check(args)
    scenarios = scenario_list(args.scenario)
    overrides = parse_assignments(args.inputs, "--input")
    from model.core.resolve import parse_input

    for name, raw in overrides.items():  # an input of every lab: named as the option, not a lab
        try:
            parse_input(name, raw)
        except InputError as exc:
            raise InputError(f"--input: {exc}") from None
    # numpy, the market, the optimiser: only when the command runs
    from model.loop.projection import steps_for
    from model.market.outcome import fitting
    from model.market.single_lab import lab_settings
    from model.odds.outcome import Spec
    from model.odds.run import default_workers, odds_records
    from model.odds.summary import summaries

    labs = labs_from(args)
    if args.sets:
        note_ignored(args, labs, scenarios)
    # the labs, horizon and inputs checked here, on one line, before any worker starts
    if steps_for(args.years, args.step)[0] < 3:
        raise InputError("years: the odds compare the first year after the base year with "
                         "the last: expected at least 3 steps")
    # each draw is a market of its own, over the years read and those beyond: the years read
    # must fit, and as many years beyond as fit with them are chosen over (as `market` does)
    check_size(labs, args.years, args.step)
    lookahead = fitting(len(labs), args.years, args.step, args.lookahead, MAX_LAB_STEPS)
    if lookahead < args.lookahead:
        print(f"lookahead: {args.lookahead} years beyond --years {args.years} would be more "
              f"than {MAX_LAB_STEPS} labs x steps for {len(labs)} labs; the labs choose "
              f"{lookahead} years beyond", file=sys.stderr)
    spec = Spec(tuple(labs), args.years, args.step, overrides, args.seed, lookahead)
    for lab in labs:
        for s in scenarios:
            lab_settings(lab, s, overrides)
    workers = (0 if args.scheduler is None and args.workers == 0 else
               args.workers if args.workers is not None else default_workers())
    folder = None if args.no_results else Path(args.results)
    if folder is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"results: cannot use {str(folder)[:80]!r} as a folder "
                             f"({exc.strerror or exc})") from None
    began = time.perf_counter()
    try:
        records, computed = odds_records(spec, scenarios, args.samples, workers,
                                         args.scheduler, folder, progress=True)
    except (OSError, TimeoutError) as exc:
        where = f"scheduler {args.scheduler}" if args.scheduler else "the local cluster"
        raise InputError(f"{where}: {exc}") from None
    seconds = time.perf_counter() - began
    return {
        "samples": args.samples, "seed": args.seed, "years": args.years,
        "lookahead": lookahead, "step": args.step,
        "labs": [lab.name for lab in labs], "inputs": overrides,
        "workers": None if args.scheduler else workers, "scheduler": args.scheduler,
        "computed": computed, "read": len(records) - computed, "seconds": round(seconds, 1),
        "draws_per_minute": round(computed / seconds * 60, 2) if computed else None,
        "results": None if folder is None else str(folder), "note": NOTE,
        "scenarios": summaries(records, scenarios)}


def cmd_odds(args: argparse.Namespace) -> str:
    from model.report.market_doc import (
        MARKET_ENDS,
        MARKET_TEST,
        drivers,
        odds,
        other_answers,
        solved,
    )
    from model.report.market_doc import year as year_text

    doc = run_odds(args)
    if args.format == "json":
        return strict_json(doc)
    rows = []
    for s in doc["scenarios"]:
        paths = s["ratio_paths"]
        rows.append((s["scenario"], str(s["samples"]), odds(s, "p_research_share_falls"),
                     odds(s, "p_research_share_falls_price_taker"), other_answers(s["trends"]),
                     odds(s, "p_research_share_ends_lower"),
                     solved(s),
                     f"{paths['p50'][1]:.2f} -> {paths['p50'][-1]:.2f}", drivers(s, ""),
                     drivers(s, "", "drivers_price_taker")))
    years = doc["scenarios"][0]["ratio_paths"]["years"]
    saved = f", {doc['read']} read from {doc['results']}" if doc["read"] else ""
    return (f"Does research's share of the labs' compute fall relative to inference, "
            f"{year_text(years[1])} to {year_text(years[-1])}? Odds over {doc['samples']} draws "
            f"per scenario (seed {doc['seed']}; {doc['computed']} draws computed{saved})\n\n"
            + table(rows, ("scenario", "draws", "P(falls), equilibrium",
                           "P(falls), price-takers", "other answers (eq.)",
                           "P(ends lower), equilibrium",
                           "in equilibrium: P(ends lower) over them",
                           "median ratio (eq.)", "drivers (Spearman rho, equilibrium)",
                           "drivers (price-takers)"),
                    legend=f"P(falls) = the share of draws in which research falls relative to "
                    f"inference ({MARKET_TEST}); ±: binomial standard error; other answers = "
                    "the share of draws giving each other answer of the test; P(ends lower) = "
                    f"the share of draws in which research {MARKET_ENDS}; in equilibrium = "
                    "the share of draws whose labs reached one (the others count above as "
                    "solved), and P(ends lower) over those draws alone; median ratio = "
                    "research / inference GPUs, first year -> last")
            + "\n\n" + NOTE)
