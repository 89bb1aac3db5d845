"""The fleet-year inputs and constants: one sourced record each (defaults describe an H100 fleet).

Defaults are a generic, sourced starting point; presets (model.core.presets) override them per lab.
"""

from __future__ import annotations

from .catalogue import Quantity, register
from .catalogue import number as _num
from .sources import cite

USES = ("training", "research", "automation", "inference", "other")

_USE_TEXT = {
    "training": "final training runs of released models",
    "research": "experiments, de-risking runs and synthetic data",
    "automation": "GPUs running automated AI researchers (agents)",
    "inference": "serving external customers",
    "other": "everything else (e.g. recommender systems, monitoring)",
}

# AI 2027's 2024 leading-lab split, mapped onto our five uses (synthetic data counts as research,
# monitoring as other): the generic default because it is the only published full split.
_DEFAULT_SHARES = {
    "training": (0.40, "training runs 40%"),
    "research": (0.24, "synthetic data 20% + research experiments 4%"),
    "automation": (0.01, "research automation 1%"),
    "inference": (0.33, "external inference 33%"),
    "other": (0.02, "monitoring 2%"),
}


def _const(name, unit, value, description) -> Quantity:
    return Quantity(name, unit, "constant", description, cite("definition"), default=value,
                    min=value, max=value, group="constants")


CONSTANTS = (
    _const("seconds_per_hour", "s/hour", 3600.0, "Seconds in an hour"),
    _const("hours_per_day", "hour/day", 24.0, "Hours in a day"),
    _const("hours_per_year", "hour/year", 8760.0,
           "Hours in the model's 365-day accounting year (pint's Julian year is overridden)"),
    _const("fleet_year", "year", 1.0, "One fleet-year: the period a fleet-year budget covers"),
    _const("tokens_per_million", "token/Mtoken", 1e6, "Tokens in a million tokens"),
    _const("watts_per_kilowatt", "W/kW", 1000.0, "Watts in a kilowatt"),
)

FLEET = (
    _num("fleet_gpus", "GPU", 600_000.0, 1.0, 1e9,
         "GPUs in the fleet (H100-equivalents when mixed)",
         cite("meta-fleet", "~600,000 H100-equivalents at end-2024"), "fleet", log_scale=True),
    _num("gpu_peak_flops", "FLOP/s/GPU", 989.4e12, 1e12, 1e17,
         "Dense BF16 peak throughput per GPU",
         cite("nvidia-datasheets", "H100 SXM5 989.4 TFLOP/s dense BF16"), "fleet",
         log_scale=True),
    _num("gpu_power", "W/GPU", 700.0, 10.0, 5000.0, "GPU thermal design power (TDP)",
         cite("llama3", "H100 at 700 W TDP"), "fleet"),
)

SHARES = tuple(
    _num(f"share_{use}", "", value, 0.0, 1.0,
         f"Share of the fleet's GPUs used for {use}: {_USE_TEXT[use]}",
         cite("ai2027-compute", f"leading lab 2024: {note}"), "allocation")
    for use, (value, note) in _DEFAULT_SHARES.items()
)

_ASSUME_TRAIN = cite("llama3", "steady-state BF16 MFU 38-43%; assumed alike for experiments")
_ASSUME_SERVE = cite(
    "deepseek-inference",
    "776B tokens/day on 1,814 H800s at 2N FLOP/token, 37B active: 37% of 989.4 TFLOP/s; "
    "assumed alike for agents and other serving",
)
UTILISATION = (
    _num("mfu_training", "", 0.40, 0.01, 1.0,
         "Model FLOP utilisation of training (useful FLOP / peak), 6ND convention",
         cite("llama3", "steady-state BF16 MFU 38-43% (Table 4)"), "allocation"),
    _num("util_research", "", 0.40, 0.01, 1.0, "Utilisation of research GPUs (useful / peak)",
         _ASSUME_TRAIN, "allocation"),
    _num("util_automation", "", 0.37, 0.01, 1.0,
         "Utilisation of GPUs running AI research agents (useful / peak)", _ASSUME_SERVE,
         "allocation"),
    _num("util_inference", "", 0.37, 0.01, 1.0,
         "Utilisation of inference GPUs (useful / peak, 2N FLOP per token)", _ASSUME_SERVE,
         "allocation"),
    _num("util_other", "", 0.37, 0.01, 1.0, "Utilisation of other GPUs (useful / peak)",
         _ASSUME_SERVE, "allocation"),
)

COSTS = (
    Quantity("cost_basis", "", "choice",
             "How GPU-hours are costed: rented at a list price, or owned (capex + power)",
             cite("epoch-costs", "cloud vs amortised hardware + energy"), default=0,
             choices=("rented", "owned"), group="costs"),
    _num("gpu_rental_price", "USD/GPU/hour", 2.0, 0.01, 100.0,
         "Rental price of one GPU-hour (cost basis 'rented')",
         cite("deepseek-v3", "assumed H800 rental of $2 per GPU-hour"), "costs", log_scale=True),
    _num("gpu_capex", "USD/GPU", 30_000.0, 100.0, 1e6, "Purchase price of one GPU (chip only)",
         cite("epoch-hardware", "H100 $30-40k per GPU"), "costs", log_scale=True),
    _num("cluster_capex_multiplier", "", 1.64 * 1.23, 1.0, 10.0,
         "Cluster capex per GPU over the chip price (server, then network)",
         cite("epoch-costs", "chip-to-server 1.64 x interconnect 1.23"), "costs"),
    _num("depreciation_life", "year", 5.0, 0.5, 20.0, "Straight-line depreciation life",
         cite("epoch-costs", "5-year server lives from 2023"), "costs"),
    _num("power_overhead", "", 1.82 * 0.75, 0.1, 10.0,
         "Server power per GPU TDP, times the average draw",
         cite("epoch-costs", "H100 chip-to-server power 1.82 x average draw 0.75 of TDP"),
         "costs"),
    _num("pue", "", 1.1, 1.0, 3.0, "Data-centre power usage effectiveness",
         cite("epoch-costs", "PUE 1.1 at hyperscalers (Meta states 1.09)"), "costs"),
    _num("electricity_price", "USD/kW/hour", 0.08, 0.0, 2.0, "Electricity price",
         cite("epoch-costs", "US industrial ~$0.08/kWh"), "costs"),
)

INFERENCE = (
    _num("serving_active_params", "", 37e9, 1e6, 1e14,
         "Active parameters per token of the served model",
         cite("deepseek-v3", "37B activated parameters per token"), "inference", log_scale=True),
    _num("inference_flops_per_param_token", "FLOP/token", 2.0, 0.5, 100.0,
         "Inference FLOP per active parameter per token (forward pass)",
         cite("kaplan", "2N FLOP per token forward"), "inference"),
    _num("token_price", "USD/Mtoken", 562_027.0 / 776e3, 1e-4, 1e4,
         "Average revenue per million tokens served",
         cite("deepseek-inference", "$562,027/day over 776B tokens/day = $0.724 per M tokens"),
         "inference", log_scale=True),
)

TRAINING_RUN = (
    _num("flops_per_param_token", "FLOP/token", 6.0, 0.5, 100.0,
         "Training FLOP per active parameter per token (6 for dense transformers)",
         cite("kaplan", "C = 6ND"), "training"),
    _num("model_active_params", "", 405e9, 1e6, 1e15,
         "Active parameters per token of the model being trained",
         cite("llama31-card", "405B parameters (dense)"), "training", log_scale=True),
    _num("training_tokens", "token", 15.6e12, 1e6, 1e17, "Tokens in the training run",
         cite("llama31-card", "15.6T tokens"), "training", log_scale=True),
    _num("training_gpus", "GPU", 16_384.0, 1.0, 1e8, "GPUs running the training run",
         cite("llama3", "16,384 H100 GPUs"), "training", log_scale=True),
)

FLEET_YEAR_INPUTS = CONSTANTS + FLEET + SHARES + UTILISATION + COSTS + INFERENCE + TRAINING_RUN
register(*FLEET_YEAR_INPUTS)
