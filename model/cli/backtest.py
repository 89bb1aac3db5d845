"""`python -m model backtest`: each preset from its base year beside what was later published;
with `--market`, the end-2025 market of labs beside what was published for 2026."""

from __future__ import annotations

import argparse

from model.loop.backtest import backtest
from model.report.backtest_table import observed_text
from model.report.formats import json_number, strict_json, table


def cmd_backtest(args: argparse.Namespace) -> str:
    if getattr(args, "market", False):
        from model.market.backtest import backtest as market_backtest

        df = market_backtest()
    else:
        df = backtest()
    if args.format == "json":
        return strict_json({"rows": [{k: (json_number(v) if isinstance(v, float) else v)
                                     for k, v in r.items()} for r in df.to_dict("records")]},
                          indent=1)
    if args.format == "csv":
        return df.to_csv(index=False, lineterminator="\n").rstrip("\n")
    rows = [(r.observable, r.preset, r.step, observed_text(r.observed, r.unit),
             observed_text(r.modelled, r.unit), f"{r.ratio:.2f}", f"{r.band_low:g}-{r.band_high:g}",
             "yes" if r.within else "NO") for r in df.itertuples()]
    passed = int(df["within"].sum())
    return (f"{passed} of {len(df)} observable readings within their band, each observable "
            "read at every step length (sources: --format json)\n\n"
            + table(rows, ("observable", "market: lab" if getattr(args, "market", False)
                           else "preset", "step", "observed", "modelled", "ratio",
                           "band", "in band"),
                    legend="observed = the published figure; modelled = the model's at the same "
                    "date; ratio = modelled / observed; band = the ratios counted as a match; "
                    "step = the projection's step length"))
