"""The fleet-year equations, each declared once: output name, unit, sympy expression, source.

Expressions may use earlier outputs; model.core.compiled substitutes, checks units once and
compiles.
"""

from __future__ import annotations

import sympy

from . import fleet_inputs as inputs
from .catalogue import Quantity, register, sym
from .fleet_inputs import USES
from .sources import cite

EQUATIONS: dict[str, sympy.Expr] = {}


def define(name: str, unit: str, expr: sympy.Expr, description: str, source: str = "",
           group: str = "budget") -> sympy.Symbol:
    """Register output `name` = `expr` (in `unit`) and return its symbol for later equations."""
    register(Quantity(name, unit, "output", description, source or "Derived (equation)",
                      group=group))
    EQUATIONS[name] = sympy.sympify(expr)
    return sym(name)


_ = inputs  # the inputs' records must be registered before their symbols are used
s = sym
UTIL = {"training": "mfu_training", "research": "util_research",
        "automation": "util_automation", "inference": "util_inference", "other": "util_other"}

share_total = define("share_total", "", sympy.Add(*(s(f"share_{u}") for u in USES)),
                     "Sum of the fleet shares (must be 1)", group="checks")
fleet_gpu_hours = define("fleet_gpu_hours", "GPU*hour/year",
                         s("fleet_gpus") * s("hours_per_year"), "GPU-hours the fleet provides")
fleet_peak_flops = define("fleet_peak_flops", "FLOP/s", s("fleet_gpus") * s("gpu_peak_flops"),
                          "Peak throughput of the whole fleet")

capex_per_gpu_hour = define(
    "capex_per_gpu_hour", "USD/GPU/hour",
    s("gpu_capex") * s("cluster_capex_multiplier") / (s("depreciation_life") * s("hours_per_year")),
    "Owned: straight-line depreciation of cluster capex per GPU-hour",
    cite("epoch-costs", "amortised hardware cost"), group="costs")
energy_per_gpu_hour = define(
    "energy_per_gpu_hour", "USD/GPU/hour",
    s("gpu_power") * s("power_overhead") * s("pue") * s("electricity_price")
    / s("watts_per_kilowatt"),
    "Owned: electricity per GPU-hour (server power, average draw, PUE)",
    cite("epoch-costs", "energy cost"), group="costs")
owned_cost_per_gpu_hour = define("owned_cost_per_gpu_hour", "USD/GPU/hour",
                                 capex_per_gpu_hour + energy_per_gpu_hour,
                                 "Owned: all-in cost per GPU-hour", group="costs")
cost_per_gpu_hour = define(
    "cost_per_gpu_hour", "USD/GPU/hour",
    sympy.Piecewise((s("gpu_rental_price"), sympy.Eq(s("cost_basis"), 0)),
                    (owned_cost_per_gpu_hour, True)),
    "Cost per GPU-hour on the chosen cost basis (rented price, or owned all-in cost)",
    group="costs")

for use in USES:
    gpus = define(f"gpus_{use}", "GPU", s("fleet_gpus") * s(f"share_{use}"),
                  f"GPUs used for {use}")
    define(f"compute_{use}", "FLOP/year",
           gpus * s("gpu_peak_flops") * s(UTIL[use]) * s("seconds_per_hour") * s("hours_per_year"),
           f"Useful compute delivered for {use} per year (GPUs x peak x utilisation x time)")
    define(f"budget_{use}", "USD/year", gpus * cost_per_gpu_hour * s("hours_per_year"),
           f"Spend on GPUs used for {use} per year")

compute_total = define("compute_total", "FLOP/year",
                       sympy.Add(*(s(f"compute_{u}") for u in USES)), "Useful compute per year")
budget_total = define("budget_total", "USD/year", sympy.Add(*(s(f"budget_{u}") for u in USES)),
                      "Spend on the whole fleet per year")
budget_rnd = define("budget_rnd", "USD/year",
                    s("budget_training") + s("budget_research") + s("budget_automation"),
                    "All-R&D compute spend: training + research + automation (research is "
                    "the research use alone)",
                    cite("epoch-openai-2024", "R&D = final runs + experiments"))

tokens_per_gpu_year = define(
    "tokens_per_gpu_year", "token/GPU/year",
    s("gpu_peak_flops") * s("util_inference") * s("seconds_per_hour") * s("hours_per_year")
    / (s("inference_flops_per_param_token") * s("serving_active_params")),
    "Tokens one inference GPU serves in a year: useful FLOP / (FLOP per parameter-token x "
    "active params)", cite("kaplan", "2N FLOP per token"), group="inference")
tokens_served = define(
    "tokens_served", "token/year", s("gpus_inference") * tokens_per_gpu_year,
    "Tokens served per year: inference GPUs x tokens per GPU-year", group="inference")
inference_revenue = define("inference_revenue", "USD/year",
                           tokens_served * s("token_price") / s("tokens_per_million"),
                           "Revenue from tokens served", group="inference")
gross_margin = define("gross_margin", "USD/year", inference_revenue - s("budget_inference"),
                      "Inference revenue less inference compute spend", group="inference")
inference_margin = define("inference_margin", "", gross_margin / inference_revenue,
                          "Gross margin on inference (profit / revenue)", group="inference")
cost_per_million_tokens = define(
    "cost_per_million_tokens", "USD/Mtoken",
    s("budget_inference") * s("tokens_per_million") / tokens_served,
    "Compute cost of serving a million tokens", group="inference")

training_flops = define(
    "training_flops", "FLOP",
    s("flops_per_param_token") * s("model_active_params") * s("training_tokens"),
    "Training compute: FLOP per parameter-token x active parameters x tokens",
    cite("kaplan", "C = 6ND"), group="training")
training_gpu_hours = define(
    "training_gpu_hours", "GPU*hour",
    training_flops / (s("gpu_peak_flops") * s("mfu_training") * s("seconds_per_hour")),
    "GPU-hours of the run: FLOP / (peak x MFU)", group="training")
training_days = define("training_days", "day",
                       training_gpu_hours / (s("training_gpus") * s("hours_per_day")),
                       "Wall-clock days on training_gpus", group="training")
training_cost = define("training_cost", "USD", training_gpu_hours * cost_per_gpu_hour,
                       "Cost of the run's GPU-hours", group="training")
training_share_of_fleet_year = define(
    "training_share_of_fleet_year", "",
    training_gpu_hours / (fleet_gpu_hours * s("fleet_year")),
    "Fraction of one fleet-year's GPU-hours the run takes", group="training")

BUDGET_OUTPUTS = tuple(n for n in EQUATIONS if not n.startswith("training_"))
TRAINING_OUTPUTS = tuple(n for n in EQUATIONS if n.startswith("training_")) + (
    "cost_per_gpu_hour",)
