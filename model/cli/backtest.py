"""`python -m model backtest`: each preset from its base year beside what was published later;
with `--market`, the end-2025 market of labs beside what was published for 2026 (with
`--from-2024`, the labs of 2024 as one market beside the presets' observables); with
`--intervals`, each observable over draws of the uncertain inputs; with `--levers`, what it would
take to land: the readings in band with one departure from the defaults at a time."""

from __future__ import annotations

import argparse

import pandas as pd

from model.core.errors import InputError
from model.core.resolve import parse_assignments
from model.loop.backtest import backtest
from model.report.backtest_table import observed_text
from model.report.formats import json_number, strict_json, table


def _records(df: pd.DataFrame, fmt: str, head: dict | None = None) -> str | None:
    """`df` as JSON ({`head`..., rows}) or CSV; None for the table format."""
    if fmt == "json":
        return strict_json({**(head or {}),
                            "rows": [{k: (json_number(v) if isinstance(v, float) else v)
                                      for k, v in r.items()} for r in df.to_dict("records")]},
                           indent=1)
    if fmt == "csv":
        return df.to_csv(index=False, lineterminator="\n").rstrip("\n")
    return None


def _intervals(args: argparse.Namespace, label: str) -> str:
    from model.odds.backtest import SAMPLES, SEED, intervals

    samples = SAMPLES if args.samples is None else args.samples
    seed = SEED if args.seed is None else args.seed
    df = intervals(market=args.market, samples=samples, seed=seed,
                   from_2024=getattr(args, "from_2024", False))
    out = _records(df, args.format)
    if out is not None:
        return out
    rows = [(r.observable, r.preset, r.step, observed_text(r.observed, r.unit),
             *(observed_text(v, r.unit, r.observed) for v in (r.p5, r.p50, r.p95)),
             "yes" if r.covered else "NO", f"{r.rank:.2f}") for r in df.itertuples()]
    return (f"{int(df['covered'].sum())} of {len(df)} readings within the draws' 90% interval "
            f"({samples} draws, seed {seed}; the readings are not independent); mean rank "
            f"{df['rank'].mean():.2f} (0.50 unbiased)\n\n"
            + table(rows, ("observable", label, "step", "observed", "p5", "p50", "p95",
                           "in 90%", "rank"),
                    legend="observed = the published figure; p5, p50, p95 = the draws' "
                    "percentiles at the same date; in 90% = observed within p5-p95; rank = "
                    "the share of draws below the observed figure (near 0 or 1: beyond what "
                    "the model's uncertainty reaches)"))


def _levers(args: argparse.Namespace) -> str:
    from model.odds.levers import levers, summary

    df = levers()
    out = _records(df, args.format)
    if out is not None:
        return out
    table_ = summary(df)
    steps = list(dict.fromkeys(df["step"]))
    rows = [(name, *(f"{row[s]} of {row.readings}" for s in steps), row.why)
            for name, row in table_.iterrows()]
    return ("What it would take: the readings in band with one departure from the defaults at "
            "a time, then all together. Each stands for what 2025-26 turned out to be, chosen "
            "after seeing the backtest: a diagnosis, not a default (docs/MODEL.md)\n\n"
            + table(rows, ("departure", *(f"in band ({s})" for s in steps),
                           "what it stands for"),
                    legend="in band = readings whose modelled / observed ratio lies in its band "
                    "(--format json: each reading)"))


def cmd_backtest(args: argparse.Namespace) -> str:
    market, intervals = getattr(args, "market", False), getattr(args, "intervals", False)
    label = "market: lab" if market else "preset"
    if not intervals and (args.samples is not None or args.seed is not None):
        raise InputError("samples, seed: only with --intervals")
    from_2024 = getattr(args, "from_2024", False)
    if from_2024 and not market:
        raise InputError("--from-2024: with --market (the labs of 2024 run as one market)")
    sets = parse_assignments(getattr(args, "sets", []))
    if sets and (intervals or getattr(args, "levers", False)):
        raise InputError("--set: not with --intervals or --levers (the draws and the "
                         "departures set inputs of their own)")
    if getattr(args, "levers", False):
        if market or intervals:
            raise InputError("levers: the single-lab backtest's alone, without --market or "
                             "--intervals")
        return _levers(args)
    if intervals:
        return _intervals(args, label)
    if market:
        from model.market.backtest import backtest as market_backtest
        from model.market.backtest import backtest_2024

        df = backtest_2024(overrides=sets) if from_2024 else market_backtest(overrides=sets)
    else:
        from model.odds.levers import with_sets

        df = backtest(with_sets(sets)) if sets else backtest()
    inputs = ", ".join(f"{k}={v}" for k, v in sets.items())
    out = _records(df, args.format, {"inputs": sets} if sets else None)
    if out is not None:
        return out
    rows = [(r.observable, r.preset, r.step, observed_text(r.observed, r.unit),
             observed_text(r.modelled, r.unit), f"{r.ratio:.2f}", f"{r.band_low:g}-{r.band_high:g}",
             "yes" if r.within else "NO") for r in df.itertuples()]
    passed = int(df["within"].sum())
    return (f"{passed} of {len(df)} observable readings within their band, each observable "
            "read at every step length (sources: --format json)"
            + (f"; with {inputs} in every {'lab' if market else 'preset'} (a departure from "
               "the defaults, which none of these figures set)" if inputs else "") + "\n\n"
            + table(rows, ("observable", label, "step", "observed", "modelled", "ratio",
                           "band", "in band"),
                    legend="observed = the published figure; modelled = the model's at the same "
                    "date; ratio = modelled / observed; band = the ratios counted as a match; "
                    "step = the projection's step length"))
