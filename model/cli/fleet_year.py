"""Fleet-year commands: `list` (presets, scenarios, GPUs, parameters), `budget`, `training-run`."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Sequence

from model.core.catalogue import CATALOGUE
from model.core.compiled import fleet_year
from model.core.equations import BUDGET_OUTPUTS, TRAINING_OUTPUTS
from model.core.gpus import GPUS
from model.core.ignored import fleet_year_reach
from model.core.presets import PRESETS
from model.core.resolve import Settings, exact_text
from model.loop.scenarios import SCENARIOS, scenario_settings
from model.report.formats import (
    format_value,
    json_number,
    money,
    pretty_unit,
    strict_json,
    table,
)

from .options import note_ignored, settings_from


def evaluate(settings: Settings, outputs: Sequence[str]) -> dict[str, float]:
    result = fleet_year(tuple(outputs))(settings.values)
    return {n: float(result[n]) for n in outputs}


def used_inputs(outputs: Sequence[str]) -> list[str]:
    used = set(fleet_year(tuple(outputs)).inputs)
    return [n for n in CATALOGUE if n in used and CATALOGUE[n].kind != "constant"]


def emit_values(settings: Settings, inputs: Sequence[str], outputs: dict[str, float],
                fmt: str) -> str:
    """Render a budget-like result as table, JSON or CSV."""
    def value_of(n):
        return settings.text(n) if CATALOGUE[n].kind == "choice" else settings.values[n]

    if fmt == "json":
        doc = {
            "preset": settings.preset,
            "inputs": {n: {"value": v if isinstance(v := value_of(n), str) else json_number(v),
                           "unit": CATALOGUE[n].unit} for n in inputs},
            "outputs": {n: {"value": json_number(v), "unit": CATALOGUE[n].unit}
                        for n, v in outputs.items()},
        }
        return strict_json(doc, indent=2)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["section", "name", "value", "unit"])
        w.writerows(["input", n, value_of(n), CATALOGUE[n].unit] for n in inputs)
        w.writerows(["output", n, "" if (x := json_number(v)) is None else repr(x),
                     CATALOGUE[n].unit] for n, v in outputs.items())
        return buf.getvalue().rstrip("\n")
    head = f"preset: {settings.preset or '(defaults)'}" + (f", GPU: {settings.gpu}"
                                                          if settings.gpu else "")
    ins = [(n, format_value(n, settings.values[n]), CATALOGUE[n].label) for n in inputs]
    outs = [(n, format_value(n, v), CATALOGUE[n].description) for n, v in outputs.items()]
    return "\n\n".join([
        head, table(ins, ("input", "value", "label"), legend=INPUT_LEGEND),
        table(outs, ("output", "value", "meaning"), legend=OUTPUT_LEGEND)])


INPUT_LEGEND = ("value = the input in effect (preset, GPU, --set), in its unit; shares as "
                "percentages of the fleet; money by one scale rule ($2.50, $874M, $1.42B)")
OUTPUT_LEGEND = ("one fleet-year; R&D = training + research + automation (all R&D), research = "
                 "the research use alone; shares of the fleet's GPUs; money per year unless "
                 "the unit says otherwise")


def _fleet_year_command(args, outputs: tuple[str, ...], what: str, odd=None) -> str:
    """The outputs' values; on stderr, the --set inputs they do not read and what `odd` (a
    function of the values) finds odd about the inputs."""
    settings = settings_from(args)
    text = emit_values(settings, used_inputs(outputs), evaluate(settings, outputs), args.format)
    note_ignored(args, settings, fleet_year_reach(settings.values, outputs), what)
    found = odd(settings.values) if odd else None
    if found:
        print(f"note: {found}", file=sys.stderr)
    return text


def cmd_budget(args) -> str:
    return _fleet_year_command(args, BUDGET_OUTPUTS, "the budget")


def cmd_training_run(args) -> str:
    from model.core.resolve import training_over_fleet

    return _fleet_year_command(args, TRAINING_OUTPUTS, "the training run", training_over_fleet)


def _scenarios() -> dict:
    return {name: s.description for name, s in SCENARIOS.items()}


def list_settings(args) -> Settings | None:
    """The settings whose values `list` shows: None (the catalogue's defaults) unless --preset,
    --scenario or --gpu chooses some."""
    if args.preset is None and args.scenario is None and args.gpu is None:
        return None
    return scenario_settings(args.preset, args.scenario, args.gpu)


def parameter_records(settings: Settings | None = None) -> list[dict]:
    """Every settable input's catalogue record; with `settings`, also its value there, and as
    source that value's own (the preset's, GPU's or scenario's), not the default's it replaced."""
    def value(n: str) -> dict:
        if settings is None:
            return {}
        v = settings.text(n) if CATALOGUE[n].kind == "choice" else json_number(settings.values[n])
        return {"value": v}

    return [
        {"name": n, "unit": q.unit, "kind": q.kind, **value(n), "default": q.default,
         "min": q.min, "max": q.max, "choices": list(q.choices), "group": q.group,
         "description": q.description,
         "source": q.source if settings is None else settings.sources[n]}
        for n, q in CATALOGUE.items() if q.is_input
    ]


def _chosen(settings) -> dict[str, str | None]:
    """What the shown values are of: the preset, scenario and GPU in effect."""
    return {"preset": settings.preset, "scenario": settings.scenario, "gpu": settings.gpu}


def _parameter_table(params: list[dict], chosen: dict | None) -> str:
    """The PARAMETERS section: each input's default (or value in the chosen settings), bounds
    and the source of what is shown."""
    def bound(p, v):  # exactly, in the catalogue unit: what --set is checked against (shown
        # as the app does, 1/12 of a year would read 0.08)
        return "" if v is None or p["kind"] == "choice" else exact_text(v)

    def shown(p):
        if p["kind"] == "choice":
            return p["value"] if chosen is not None else "|".join(p["choices"])
        return format_value(p["name"], p["value"] if chosen is not None else p["default"])

    title = "PARAMETERS" if chosen is None else "PARAMETERS, values in " + ", ".join(
        f"{k} {v}" if v else "the catalogue defaults" for k, v in chosen.items()
        if v or k == "preset")
    return title + "\n" + table(
        [(p["name"], pretty_unit(p["unit"]), shown(p), bound(p, p["min"]), bound(p, p["max"]),
          p["source"]) for p in params],
        ("name", "unit", "default" if chosen is None else "value", "min", "max", "source"),
        legend="unit = the catalogue unit --set takes (any compatible unit converts); value as "
        "the app and the workbook show it; min, max = the bounds --set checks, exactly, in the "
        "catalogue unit; source = of the value shown")


def cmd_list(args) -> str:
    settings = list_settings(args)
    chosen = None if settings is None else _chosen(settings)
    params = parameter_records(settings)
    presets = {n: {"title": p.title, "description": p.description, "gpu": p.gpu}
               for n, p in PRESETS.items()}
    gpus = {n: {"label": g.label, "gpu_peak_flops": g.peak_flops, "gpu_power": g.power,
                "memory_gb": g.memory_gb, "gpu_capex": g.price, "source": g.source}
            for n, g in GPUS.items()}
    scenarios = _scenarios()
    if args.format == "json":
        return strict_json({**(chosen or {}), "presets": presets, "scenarios": scenarios,
                            "gpus": gpus, "parameters": params}, indent=2)
    if args.format == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(params[0]), lineterminator="\n")
        w.writeheader()
        w.writerows({**p, "choices": "|".join(p["choices"])} for p in params)
        return buf.getvalue().rstrip("\n")
    parts = [
        "PRESETS\n" + table([(n, p["title"], p["gpu"]) for n, p in presets.items()],
                            ("name", "title", "gpu"),
                            legend="name = the --preset value; gpu = the preset's GPU type"),
        "SCENARIOS\n" + (table([(n, d[:90]) for n, d in scenarios.items()],
                               ("name", "description"),
                               legend="name = the --scenario value; every scenario is a "
                               "parameter set of one model") if scenarios else "(none yet)"),
        "GPUS\n" + table([(n, g["label"], format_value("gpu_peak_flops", g["gpu_peak_flops"]),
                           f"{g['gpu_power']:,.0f} W", f"{g['memory_gb']:,.0f} GB",
                           money(g["gpu_capex"])) for n, g in gpus.items()],
                         ("name", "label", "BF16 dense", "TDP", "memory", "price"),
                         legend="BF16 dense = peak dense BF16 FLOP/s per GPU; TDP = power per "
                         "GPU; price = purchase price per GPU"),
        _parameter_table(params, chosen),
    ]
    return "\n\n".join(parts)
