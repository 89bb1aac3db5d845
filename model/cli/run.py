"""CLI subcommands of the projection: `run` (optionally Monte Carlo) and `sensitivity`.

Registered by model.cli.commands; user errors raise InputError, which the CLI
prints as one line with exit status 2.
"""

from __future__ import annotations

import csv
import io
import sys

from model.core.catalogue import CATALOGUE
from model.core.errors import InputError, quoted
from model.loop.scenarios import scenario_settings
from model.report.formats import (
    calendar_year,
    column_legend,
    format_value,
    json_number,
    strict_json,
    table,
    texts,
    year_of,
)

TABLE_COLUMNS = ("year", "fleet_gpus", "share_research", "share_inference", "ai_rd_multiplier",
                 "research_speedup", "software_efficiency", "capability", "inference_revenue",
                 "capex", "free_cash_flow", "cumulative_cash")


def settings_of(args):
    """Settings from --preset/--gpu/--set, or from --from-workbook (and its scenario) with
    any --set."""
    from .options import given, overrides_from

    scenario = given("--scenario", args.scenario, "a scenario name")
    preset, overrides, workbook_scenario = overrides_from(args)
    return scenario_settings(preset, scenario or workbook_scenario, args.gpu, overrides)


def _units(columns) -> dict[str, str]:
    def base(c: str) -> str:
        for suffix in ("_p5", "_p50", "_p95"):
            if c.endswith(suffix) and c[: -len(suffix)] in CATALOGUE:
                return c[: -len(suffix)]
        return c

    return {c: CATALOGUE[base(c)].unit for c in columns}


def render(df, settings, fmt: str, extra: dict | None = None, columns=None,
           table_columns=TABLE_COLUMNS) -> str:
    """A projection frame as JSON ({preset, scenario, units, records}), CSV or a table (of
    `table_columns` unless asked for others); asked for `columns`, each format gives those
    alone (year first, always)."""
    if columns is not None:  # each once, year first, in every format
        columns = list(dict.fromkeys(["year", *columns]))
    if columns is not None and fmt != "table":
        df = df[columns]
    if fmt == "json":
        doc = {"preset": settings.preset, "scenario": settings.scenario,
               "units": _units(df.columns),
               "records": [{c: json_number(v) for c, v in rec.items()}
                           for rec in df.to_dict("records")], **(extra or {})}
        return strict_json(doc, indent=1)
    if fmt == "csv":
        buf = io.StringIO()
        df.to_csv(buf, index=False, lineterminator="\n", float_format="%.17g")
        return buf.getvalue().rstrip("\n")
    cols = [c for c in (columns or table_columns) if c in df.columns]
    shown = {k: _extra_text(k, v) for k, v in (extra or {}).items()}
    note = shown.pop("optimiser", None)
    head = (f"preset: {settings.preset or '(defaults)'}, scenario: {settings.scenario}"
            + "".join(f", {k}: {v}" for k, v in shown.items())
            + (f"\n{note}" if note else ""))
    # a column at a time: the year column is whole years or, at sub-year steps, two decimals
    # throughout, as the workbook's row is
    columns_text = [texts(c, df[c].tolist()) for c in cols]
    rows = list(zip(*columns_text, strict=True))
    return head + "\n\n" + table(rows, tuple(cols), legend=_legend(cols, extra or {}))


def _extra_text(name: str, value) -> str:
    """The header's figures by the display catalogue: NPV as money, the payback as the calendar
    year it falls in, the discount rate as a percentage."""
    if name == "npv" and value is not None:
        return format_value("npv_to_date", value)
    if name == "payback_year":
        return calendar_year(value)
    if name == "discount_rate":
        return format_value(name, value)
    return value


def _legend(columns, header) -> str:
    """What the header's figures and the columns are: units, and how years are counted."""
    parts = []
    if "npv" in header:
        parts.append("npv = net present value at discount_rate, with a terminal value; "
                     "payback_year = the calendar year in which cumulative cash first reaches 0")
    parts.append("year = the step's start, a decimal year at sub-year steps (2025.25 = 1 April "
                 "2025)")
    if any(c.endswith(("_p5", "_p50", "_p95")) for c in columns):
        parts.append("_p5, _p50, _p95 = the 5th, 50th and 95th percentiles over the samples")
    return "; ".join([*parts, column_legend(c for c in columns if c != "year")])


def _note_ignored(args, settings, outputs=None, fleet_year=()) -> None:
    """Notes for the --set inputs that neither the projection's `outputs` (default: every row)
    nor the `fleet_year` outputs read under the settings' choices."""
    from model.core.ignored import fleet_year_reach
    from model.loop.projection import STEP_ROWS, steps_for
    from model.loop.reach import projection_reach

    from .options import note_ignored

    rows = projection_reach(settings.values, steps_for(args.years, args.step)[0],
                            outputs or STEP_ROWS)
    budget = fleet_year_reach(settings.values, tuple(fleet_year)) if fleet_year else None
    what = "the projection" if outputs is None else f"{outputs[0]}'s tornado or the elasticities"
    note_ignored(args, settings, lambda free: rows(free) | (budget(free) if budget else set()),
                 what)


def _note_overflow(df) -> None:
    """A line on stderr where the projection's numbers leave floating point (beyond ~1.8e308,
    e.g. a rent rising 2 e-folds a year for decades): from which year, and in which rows."""
    import numpy as np

    numeric = df.select_dtypes("number")
    beyond = np.isinf(numeric.to_numpy())
    if not beyond.any():
        return
    first = int(np.argmax(beyond.any(axis=1)))
    names = list(numeric.columns[beyond[first]])
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    print(f"note: from {year_of(df['year'].iloc[first])} the projection leaves floating point "
          f"(beyond 1.8e308) in {shown}: those cells read inf (null in JSON), and what depends "
          "on them is undefined; shorten --years or bring the inputs that drive them nearer "
          "their defaults", file=sys.stderr)


def cmd_run(args) -> str:
    from model.loop.montecarlo import monte_carlo
    from model.loop.projection import project, summary
    from model.policy.paths import with_paths

    if args.samples is None and args.seed is not None:  # else silently a seed for nothing
        raise InputError("--seed: only with --samples")
    settings = with_paths(settings_of(args), args.years, args.step)
    _note_ignored(args, settings)
    columns = args.columns.split(",") if args.columns else None
    shown = TABLE_COLUMNS
    if args.samples is not None:
        seed = 0 if args.seed is None else args.seed
        df = monte_carlo(settings, args.years, args.step, args.samples, seed)
        shown = ["year"] + [f"{c}_p{p}" for c in ("software_efficiency", "share_research")
                            for p in (5, 50, 95)]
        extra = {"samples": args.samples, "seed": seed}
    else:
        df = project(settings, args.years, args.step)
        s = summary(df)
        # the calendar year, as the table prints it (a step's start is 2026.25 at quarters)
        extra = {"npv": json_number(s["npv"]), "payback_year": year_of(s["payback_year"]),
                 "discount_rate": settings.values["discount_rate"]}
        solution = df.attrs.get("solution")
        if solution is not None:
            from model.report.split_doc import optimiser_status

            extra["optimiser"] = (solution.record() if args.format == "json"
                                  else optimiser_status(solution))
    if columns is not None:
        unknown = [c for c in columns if c not in df.columns]
        if unknown:
            raise InputError(f"--columns: unknown column {quoted(unknown[0])}")
    _note_overflow(df)
    return render(df, settings, args.format, extra, columns, shown)


def _csv_number(value: float) -> str:
    """A number for CSV: repr, or an empty cell where it is undefined (the note says why)."""
    number = json_number(value)
    return "" if number is None else repr(number)


def cmd_sensitivity(args) -> str:
    from model.core.equations import BUDGET_OUTPUTS
    from model.loop.sensitivity import elasticities, tornado
    from model.policy.paths import with_paths

    settings = with_paths(settings_of(args), args.years, args.step)
    swing = tornado(settings, args.output, args.years, args.step)
    _note_ignored(args, settings, (args.output,), BUDGET_OUTPUTS)
    elastic = elasticities(settings)
    if args.format == "json":
        return strict_json({"preset": settings.preset, "scenario": settings.scenario,
                           "output": args.output, "base": json_number(swing.attrs["base"]),
                           "tornado": [{k: (json_number(v) if k != "input" else v)
                                        for k, v in r.items()}
                                       for r in swing.to_dict("records")],
                           "elasticities": elastic.to_dict("records")}, indent=1)
    if args.format == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["kind", "output", "input", "low", "high", "output_low", "output_high",
                    "swing_or_elasticity", "note"])
        w.writerows(["tornado", args.output, r["input"], *map(_csv_number, (
            r["low"], r["high"], r["output_low"], r["output_high"], r["swing"])), ""]
            for r in swing.to_dict("records"))
        w.writerows(["elasticity", r["output"], r["input"], "", "", "", "",
                     _csv_number(r["elasticity"]), r["note"]]
                    for r in elastic.to_dict("records"))
        return buf.getvalue().rstrip("\n")
    out = args.output
    rows = [(r["input"], format_value(r["input"], r["low"]), format_value(r["input"], r["high"]),
             format_value(out, r["output_low"]), format_value(out, r["output_high"]),
             format_value(out, r["swing"])) for r in swing.to_dict("records")]
    # exact zeros (the output does not depend on the input) are left out; undefined ones say so
    shown = elastic[(elastic["elasticity"].abs() > 1e-12) | (elastic["note"] != "")]
    erows = [(r["output"], r["input"], r["note"] or f"{r['elasticity']:+.4g}")
             for r in shown.to_dict("records")]
    return (f"preset: {settings.preset or '(defaults)'}, scenario: {settings.scenario}; "
            f"{out} at the last step = {format_value(out, swing.attrs['base'])}\n\n"
            + table(rows, ("input", "low", "high", f"{out} (low)", f"{out} (high)", "swing"),
                    legend=f"low, high = the input at the 5th and 95th percentiles of its "
                    f"uncertainty; {out} (low), (high) = the output at the last step with the "
                    f"input there, every other input at its setting; swing = high less low")
            + "\n\nELASTICITIES (fleet-year, exact)\n"
            + table(erows, ("output", "input", "elasticity"),
                    legend="elasticity = d ln output / d ln input, from sympy derivatives "
                    "(+0.5: the output rises 0.5% per 1% more of the input); exact zeros left "
                    "out"))
