"""`python -m model milestones`: the date each AI R&D milestone is reached as the research +
inference pool moves between experiments and serving customers (model.loop.milestone_dates)."""

from __future__ import annotations

import argparse

from model.core.errors import InputError, quoted
from model.core.loop_inputs import MILESTONES
from model.loop.milestone_dates import DARK_COMPUTE, PLAUSIBLE, spread, sweep
from model.loop.scenarios import SCENARIOS
from model.report.formats import format_value, strict_json, table


def _fractions(text: str | None) -> list[float] | None:
    if text is None:
        return None
    try:
        values = [float(t) for t in text.split(",")]
    except ValueError:
        raise InputError(f"--fractions: expected comma-separated numbers between 0 and 1, got "
                         f"{quoted(text)}") from None
    if not values or not all(0 <= v <= 1 for v in values):  # also rejects nan
        raise InputError(f"--fractions: expected comma-separated numbers between 0 and 1, got "
                         f"{quoted(text)}")
    return sorted(set(values))


def _date(value: float) -> str:
    """A milestone's moment as the catalogue shows a year: '2027.43' (or '2028' when whole)."""
    return "not reached" if value != value else format_value("year", value)


def _weeks(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def cmd_milestones(args: argparse.Namespace) -> str:
    scenarios = [args.scenario] if args.scenario else list(SCENARIOS)
    fractions = _fractions(args.fractions)
    frames = {s: sweep(args.preset, s, args.years, args.step, fractions, args.hold)
              for s in scenarios}
    if args.format == "json":
        low, high = (min(fractions), max(fractions)) if fractions else PLAUSIBLE
        return strict_json({
            "preset": args.preset, "years": args.years, "step": args.step, "hold": args.hold,
            "range": [low, high],
            "dark_compute_range": list(DARK_COMPUTE),
            "scenarios": {s: {"horizon": f.attrs["horizon"],
                              "rows": f.to_dict("records"),
                              "spread_weeks": {m: {k: _weeks(v) if k in ("change", "widest")
                                                   else v
                                                   for k, v in spread(f, m, low, high).items()}
                                               for m in MILESTONES}}
                          for s, f in frames.items()}}, indent=1)
    if args.format == "csv":
        return "\n".join(f.assign(scenario=s)[["scenario", *f.columns]].to_csv(
            index=False, header=i == 0, lineterminator="\n").rstrip("\n")
            for i, (s, f) in enumerate(frames.items()))
    rows = [(s, *(format_value("share_research", v) for v in (
                r.research_fraction, r.share_research, r.share_inference)),
             *(_date(getattr(r, f"date_{m}")) + (" (floor)" if getattr(r, f"floor_{m}") else "")
               for m in MILESTONES))
            for s, f in frames.items() for r in f.itertuples()]
    head = ("scenario", "research / pool", "research", "inference",
            *(m.upper() for m in MILESTONES))
    split = "held fixed" if args.hold else "the base year's, moved by each scenario's policy"
    return (f"Milestone dates (fractional years; software efficiency reaching milestone_<m>), "
            f"preset {args.preset}, {args.years} years of {args.step}s, split {split}; "
            "(floor): on the diffusion floor, the frontier's date a lag later\n\n"
            + table(rows, head, legend="research / pool = research's share of research + "
                    "inference; research, inference = shares of the fleet; SC, SAR, SIAR, ASI = "
                    "the moment each milestone is reached, as a decimal year (2027.25 = 1 April "
                    "2027)"))
