"""Every subcommand: its help, what adds its arguments, and the function that does its work,
imported only when the command runs. Parsing (and --help) imports no sympy, numpy or pandas,
and only the command typed gets its arguments, so the command line starts within 1.3x of
`python -c "import model"` (benchmarks/bench_startup.py).
"""

from __future__ import annotations

import argparse
from importlib import import_module

from model.core.errors import quoted
from model.loop.scenario_list import DEFAULT_SCENARIO, SCENARIOS
from model.loop.steps import (
    DEFAULT_STEP,
    MAX_SAMPLE_STEPS,
    MAX_SAMPLES,
    MAX_STEPS,
    STEPS,
    max_years,
)
from model.market.presets import DEFAULT_PRESET as DEFAULT_MARKET
from model.market.presets import LOOKAHEAD, MAX_LOOKAHEAD
from model.market.presets import PRESETS as MARKET_PRESETS

TYPE_CHECKING = False  # collections.abc: for annotations only, not --help's start-up
if TYPE_CHECKING:
    from collections.abc import Callable, Collection

FORMATS = ("table", "json", "csv")
# The largest market (labs x steps) `market` and each draw of `odds` solve: each lab's best
# reply re-solves the whole market, so the work grows with both. The six end-2025 labs over 10
# quarterly years (6 x 37) take ~8 s (benchmarks/bench_market.py); 64 labs over 10 years took
# minutes, as did 6 labs over 400 years.
MAX_LAB_STEPS = 240


def _lab_steps() -> str:
    """How long a market MAX_LAB_STEPS allows, for the six end-2025 labs, in --years' help."""
    steps = MAX_LAB_STEPS // 6
    longest = [int(1 + (steps - 1) * STEPS[s] + 1e-9) for s in ("year", "quarter", "month")]
    return (f"labs x steps at most {MAX_LAB_STEPS}: for six labs {longest[0]} years at yearly "
            f"steps, {longest[1]} at quarterly, {longest[2]} at monthly")


def later(module: str, name: str) -> Callable[[argparse.Namespace], str]:
    """model.cli.<module>.<name>, imported when it is called."""
    def run(args: argparse.Namespace) -> str:
        return getattr(import_module(f"model.cli.{module}"), name)(args)

    return run


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {quoted(text)}") from None


def _common(p: argparse.ArgumentParser) -> None:
    """Options shared by every command that evaluates the model."""
    p.add_argument("--preset", help="lab preset (see `list`)")
    p.add_argument("--gpu", help="GPU catalogue entry whose figures to use (see `list`)")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="NAME=VALUE",
                   help="override an input; VALUE may carry a compatible unit, e.g. "
                        "'gpu_rental_price=2 USD/GPU/hour'")
    p.add_argument("--from-workbook", metavar="FILE.xlsx",
                   help="read inputs from an exported (possibly edited) workbook")
    p.add_argument("--format", choices=FORMATS, default="table")


def _loop(p: argparse.ArgumentParser) -> None:
    """The projection's options (`run`, `sensitivity`), after the common ones."""
    _common(p)
    p.add_argument("--scenario", help=f"one of {', '.join(SCENARIOS)} (default {DEFAULT_SCENARIO})")
    p.add_argument("--years", type=_int, default=10,
                   help=f"horizon in years (default 10; at most {MAX_STEPS} steps: "
                        + ", ".join(f"{max_years(s)} years at {s} steps" for s in STEPS) + ")")
    p.add_argument("--step", default=DEFAULT_STEP,
                   help=f"step length: {', '.join(STEPS)} (default {DEFAULT_STEP}: quarters "
                        "agree with months within 5%%; years are coarse for fast growth)")


def _list(p: argparse.ArgumentParser) -> None:
    p.add_argument("--preset", help="show each parameter's value in this lab preset and its "
                   "source")
    p.add_argument("--scenario", help=f"with the values this scenario sets (one of "
                   f"{', '.join(SCENARIOS)})")
    p.add_argument("--gpu", help="with this GPU catalogue entry's figures (default: the "
                   "preset's GPU)")
    p.add_argument("--format", choices=FORMATS, default="table")


def _run(p: argparse.ArgumentParser) -> None:
    _loop(p)
    p.add_argument("--samples", type=_int,
                   help=f"Monte Carlo samples, percentiles per step (1 to {MAX_SAMPLES:,}, "
                        f"and samples x steps at most {MAX_SAMPLE_STEPS:,}: about a minute)")
    p.add_argument("--seed", type=_int,
                   help="random seed for --samples (0 to 2**64 - 1; default 0)")
    p.add_argument("--columns", help="comma-separated columns to show, in any format (year "
                   "always; the table's default: a selection)")


def _sensitivity(p: argparse.ArgumentParser) -> None:
    _loop(p)
    p.add_argument("--output", default="software_efficiency",
                   help="projection column to swing (default software_efficiency)")


def _export(p: argparse.ArgumentParser) -> None:
    _common(p)
    p.add_argument("--scenario", help="the primary scenario (drives Projection and Finance)")
    p.add_argument("--scenarios", metavar="S1,S2,...",
                   help="further scenarios, each with its own Projection sheet and Compare")
    p.add_argument("--years", type=int, default=10, help="years to project (default 10)")
    p.add_argument("--step", choices=tuple(STEPS), default=DEFAULT_STEP,
                   help=f"projection step (default {DEFAULT_STEP})")
    p.add_argument("--title", help="title shown on the Cover (stored as text)")
    p.add_argument("--notes", default="", help="notes shown on the Cover (stored as text)")
    p.add_argument("--out", required=True, metavar="FILE.xlsx", help="the workbook to write")


def _backtest(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument("--market", action="store_true",
                   help="the end-2025 market of labs from its base year beside what was "
                   "published for 2026 (default: each lab preset alone from its base year)")
    p.add_argument("--from-2024", dest="from_2024", action="store_true",
                   help="with --market: the market of labs from end-2024 (the OpenAI, "
                   "Anthropic and Meta presets beside Google DeepMind, xAI and the rest of the "
                   "world) beside the lab presets' observables and three of its other labs' "
                   "(with --intervals, over draws of its uncertain inputs)")
    p.add_argument("--intervals", action="store_true",
                   help="each observable over draws of the uncertain inputs (the Monte "
                   "Carlo's; the market's labs' intervals too): its 5th, 50th and 95th "
                   "percentiles and the published figure's rank among the draws")
    p.add_argument("--levers", action="store_true",
                   help="what it would take to land: the readings in band with one departure "
                   "from the defaults at a time (each what 2025-26 turned out to be), then all "
                   "together")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="NAME=VALUE",
                   help="read the observables with this input set in every preset (with "
                   "--market, in every lab): how 2025-26 fits your assumption; a departure "
                   "the readings suggest is tuning, not calibration")
    p.add_argument("--samples", type=_int, help="draws for --intervals (default 200, at most "
                   "2,000)")
    p.add_argument("--seed", type=_int, help="random seed for --intervals (default 0)")


def _split(p: argparse.ArgumentParser) -> None:
    p.add_argument("--preset", help="lab preset (default: the catalogue defaults)")
    p.add_argument("--gpu", help="GPU catalogue entry whose figures to use (see `list`)")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="NAME=VALUE",
                   help="override an input in every scenario and every preset's break-even, "
                        "e.g. 'capability_price_elasticity=0.5' (what the table hangs on)")
    p.add_argument("--scenario", help="comma-separated scenarios (default: every one)")
    p.add_argument("--format", choices=("table", "json"), default="table")


def _milestones(p: argparse.ArgumentParser) -> None:
    p.add_argument("--preset", default="openai-2024", help="lab preset (default openai-2024)")
    p.add_argument("--scenario", help=f"one of {', '.join(SCENARIOS)} (default: every one)")
    p.add_argument("--years", type=_int, default=15, help="horizon in years (default 15)")
    p.add_argument("--step", default=DEFAULT_STEP,
                   help=f"step length: {', '.join(STEPS)} (default {DEFAULT_STEP})")
    p.add_argument("--fractions", metavar="F1,F2,...",
                   help="research's fractions of the research + inference pool (default: 9 "
                        "from AI 2027's 2024 split, 42%%, to its Q4 2027 one, 81%%)")
    p.add_argument("--hold", action="store_true",
                   help="hold the split fixed (allocation_policy fixed) over the horizon")
    p.add_argument("--format", choices=FORMATS, default="table")


def _market(p: argparse.ArgumentParser) -> None:
    start = p.add_mutually_exclusive_group()
    start.add_argument("--preset", choices=MARKET_PRESETS, default=DEFAULT_MARKET,
                       help="the labs: end-2025 (default: five frontier labs and the rest of "
                            "the world) or frontier-2025 (the five alone)")
    p.add_argument("--scenario", help=f"one of {', '.join(SCENARIOS)} (default {DEFAULT_SCENARIO})")
    p.add_argument("--years", type=_int, default=10,
                   help=f"horizon in years (default 10; {_lab_steps()})")
    p.add_argument("--step", choices=tuple(STEPS), default="year",
                   help="step length (default year: a 10-year quarterly equilibrium takes "
                        "about half a minute)")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="EDIT",
                   help="edit the labs: 'openai.fleet_gpus=2e6 GPU', '+rival=anthropic'; "
                        "remove one with --set=-xai (see model/market/files.py)")
    start.add_argument("--market-file", metavar="FILE.toml|FILE.json",
                       help="a market file (from, remove, add.NAME, edit.NAME), before --set; "
                            "instead of --preset")
    p.add_argument("--choice", choices=("nash", "policy"), default="nash",
                   help="nash (default): each lab chooses its research share against the "
                        "others (open-loop Nash), beside the joint optimum and each lab alone; "
                        "policy: each lab keeps its scenario's allocation policy")
    p.add_argument("--lookahead", type=_int, default=LOOKAHEAD,
                   help=f"under nash, years the labs choose over beyond the horizon shown "
                        f"(default {LOOKAHEAD}; 0 to {MAX_LOOKAHEAD}; as many as the labs x "
                        "steps limit leaves): research pays after it is done, so a horizon's "
                        "last years see it cut")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument("--out", metavar="FILE.xlsx",
                   help="also write the market as a workbook: a sheet per lab and a Market "
                        "sheet of live formulas over them (model/workbook/market_book.py)")


def _odds(p: argparse.ArgumentParser) -> None:
    start = p.add_mutually_exclusive_group()
    start.add_argument("--preset", choices=MARKET_PRESETS, default=DEFAULT_MARKET,
                       help="the labs (default end-2025: five frontier labs and the rest of "
                            "the world)")
    start.add_argument("--market-file", metavar="FILE.toml|FILE.json",
                       help="a market file, instead of --preset (see `market --help`)")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="EDIT",
                   help="edit the labs, as `market --set` does: 'openai.fleet_gpus=2e6 GPU'")
    p.add_argument("--input", dest="inputs", action="append", default=[],
                   metavar="NAME=VALUE", help="hold a model input at VALUE in every draw and "
                   "lab, e.g. 'capability_price_elasticity=0' (it is then not drawn)")
    p.add_argument("--scenario", metavar="S1,S2,...",
                   help=f"scenarios (default every one: {', '.join(SCENARIOS)})")
    p.add_argument("--samples", type=_int, default=8,
                   help="draws per scenario (default 8, modest: a draw is a six-lab "
                        "equilibrium, ~7 s on one core at yearly steps; the odds' standard "
                        "error is up to 0.5/sqrt(samples))")
    p.add_argument("--seed", type=_int, default=0,
                   help="random seed (0 to 2**64 - 1): draw k of a seed is the same in every "
                        "run, scenario and worker")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--workers", type=_int,
                       help="worker processes of a local dask cluster (default one per core; "
                            "0: in this process, no cluster)")
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="an existing dask cluster's scheduler, e.g. tcp://10.0.0.5:8786 "
                            "(its workers need this package installed)")
    p.add_argument("--years", type=_int, default=6,
                   help=f"horizon in years from the base year 2025 (default 6: to 2030; "
                        f"each draw's {_lab_steps()})")
    p.add_argument("--lookahead", type=_int, default=LOOKAHEAD,
                   help=f"years the labs choose over beyond the horizon read (default "
                        f"{LOOKAHEAD}; 0 to {MAX_LOOKAHEAD}; as many as the labs x steps limit "
                        "leaves): research pays after it is done, so a horizon's last years "
                        "see it cut")
    p.add_argument("--step", choices=tuple(STEPS), default="year",
                   help="step length (default year)")
    saved = p.add_mutually_exclusive_group()
    saved.add_argument("--results", default="odds-results", metavar="FOLDER",
                       help="Parquet folder of finished draws, one file each, read on a "
                            "rerun instead of recomputed (default odds-results)")
    saved.add_argument("--no-results", action="store_true",
                       help="keep no results folder")
    p.add_argument("--format", choices=("table", "json"), default="table")


def _observed(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lab", help="one lab's observations (e.g. openai, anthropic, meta)")
    p.add_argument("--format", choices=FORMATS, default="table")


def _reveal(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lab", required=True,
                   help="the lab whose observed splits to reveal (e.g. openai, anthropic)")
    p.add_argument("--year", type=_int, help="one year's observations (e.g. 2024, 2025)")
    p.add_argument("--format", choices=FORMATS, default="table")


def _app(p: argparse.ArgumentParser) -> None:
    # streamlit's own options are not declared here: model.cli.main passes them on
    p.set_defaults(passes_on=True)


# name -> (add_parser's keywords, what adds its arguments, the module and function doing its work)
COMMANDS: dict[str, tuple[dict, Callable[[argparse.ArgumentParser], None], tuple[str, str]]] = {
    "list": ({"help": "presets, scenarios, GPUs and every parameter with its source",
              "description": "Presets, scenarios, GPUs and every parameter: its catalogue "
              "default and that default's source, or, with --preset, --scenario or --gpu, its "
              "value there and the source of that value."}, _list, ("fleet_year", "cmd_list")),
    "budget": ({"help": "the fleet-year budget by use"}, _common,
               ("fleet_year", "cmd_budget")),
    "training-run": ({"help": "one training run's FLOP, hours, days and cost"}, _common,
                     ("fleet_year", "cmd_training_run")),
    "run": ({"help": "the feedback-loop projection, step by step"}, _run, ("run", "cmd_run")),
    "sensitivity": ({"help": "tornado of a projection output; exact fleet-year elasticities"},
                    _sensitivity, ("run", "cmd_sensitivity")),
    "export": ({"help": "write an Excel workbook of live formulas (and values)"}, _export,
               ("export", "cmd_export")),
    "backtest": ({"help": "each preset from its base year beside the published observables "
                  "that followed"}, _backtest, ("backtest", "cmd_backtest")),
    "split": ({"help": "what a value-maximising lab gives research, per scenario; the "
               "break-even AI R&D multiplier per preset"}, _split, ("split", "cmd_split")),
    "milestones": ({"help": "the date each AI R&D milestone is reached as the split moves "
                    "between research and inference"}, _milestones,
                   ("milestones", "cmd_milestones")),
    "market": ({"help": "the market of labs: one chip supply and one customer market; each "
                "lab's research share in equilibrium, jointly optimal, and alone"}, _market,
               ("market", "cmd_market")),
    "odds": ({"help": "the odds that research's share falls relative to inference, per "
              "scenario, over draws of the uncertain inputs (dask workers)"}, _odds,
             ("odds", "cmd_odds")),
    "observed": ({"help": "published research, training and inference shares per lab and "
                  "year, each with its source and how comparable it is"}, _observed,
                 ("observed", "cmd_observed")),
    "reveal": ({"help": "the AI R&D multipliers, compute bottlenecks and ideas-harder settings "
                "under which each lab's observed split is its value-maximising choice"},
               _reveal, ("reveal", "cmd_reveal")),
    "app": ({"help": "serve the Streamlit page (any `streamlit run` option passes on, e.g. "
             "--server.port 8502)",
             "description": "Serve the Streamlit page of this installation on "
             "http://localhost:8501; any `streamlit run` option passes on, e.g. "
             "`app --server.port 8502 --server.headless true`."}, _app, ("serve", "cmd_app")),
}


def add_commands(subparsers, commands: Collection[str] = tuple(COMMANDS),
                 wanted: Collection[str] | None = None) -> None:
    """The `commands`, each with its help, and the `wanted` ones (default: all of them) with
    their arguments."""
    for name in commands:
        keywords, arguments, work = COMMANDS[name]
        full = wanted is None or name in wanted
        # a command only named (in the top level's help) needs no -h of its own (half the
        # ~0.13 ms each of the fourteen costs)
        p = subparsers.add_parser(name, **keywords, **({} if full else {"add_help": False}))
        if full:
            arguments(p)
        p.set_defaults(func=later(*work))
