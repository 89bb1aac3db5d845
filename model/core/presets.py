"""Lab presets: sets of input values, each value with its citation.

Values may be numbers in the input's catalogue unit or text with a unit ('2 USD/GPU/hour').
Inputs a preset does not name keep their catalogue defaults (and those defaults' sources).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .economy_inputs import WORLD_GPUS_2024
from .loop_inputs import HISTORICAL_HALVING_YEARS
from .sources import cite


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    description: str
    gpu: str
    values: dict[str, tuple[float | str, str]] = field(default_factory=dict)


_WORLD_2024 = WORLD_GPUS_2024


def _shares(source: str, **shares: float) -> dict[str, tuple[float, str]]:
    return {f"share_{use}": (value, source) for use, value in shares.items()}


_META_TRAIN = 16_384 / 600_000
_META = Preset(
    "meta-2024", "Meta, end-2024",
    "Meta's fleet of ~600k H100-equivalents, of which 16,384 H100s trained Llama 3.1 405B; "
    "AI 2027 estimates ~30% of the fleet went to AGI development, the rest (recommendation, "
    "ranking, Meta AI serving) is not split by any public source and counts as 'other'.",
    "H100",
    {
        "fleet_gpus": (600_000, cite("meta-fleet", "~600,000 H100-equivalents, end-2024")),
        **_shares(cite("llama3", "16,384 H100s of 600k H100e train the frontier model"),
                  training=_META_TRAIN),
        **_shares(cite("ai2027-compute", "~30% of Meta's fleet on AGI development; research = "
                       "30% less the training run"), research=0.30 - _META_TRAIN),
        **_shares(cite("assumption", "no public figure for Meta's paid inference"),
                  automation=0.0, inference=0.0),
        **_shares(cite("ai2027-compute", "the ~70% not on AGI development"), other=0.70),
        "cost_basis": ("owned", cite("meta-fleet", "Meta builds and owns its clusters")),
        "pue": (1.09, cite("epoch-costs", "Meta states PUE 1.09")),
        "mfu_training": (0.345, cite("llama31-card", "30.84M GPU-hours for 6ND = 3.79e25 FLOP "
                                     "imply 34.5% of 989.4 TFLOP/s (incl. ~15% overhead)")),
        "training_gpus": (16_384, cite("llama3", "16,384 H100 GPUs")),
        "external_financing": (39.23e9, cite("meta-capex", "2024 capital expenditure $39.23B, "
                                             "funded by Meta's other businesses")),
        "lab_supply_share": (550e3 / 5e6, cite(
            "ai2027-compute", "Meta gained ~550K H100e in 2024 of the ~5M produced: 11%")),
        "financing_growth": (math.log(62.5 / 39.23), cite(
            "meta-capex", "derived: January 2025 guidance of $60-65B (midpoint $62.5B) over "
            "2024's $39.23B, ln(62.5/39.23) = 0.47 a year")),
    },
)

# Epoch's split, in $B of rented compute: R&D 5 (final runs 0.5, the rest experiments),
# inference 1.9 (midpoint of 1.8-2), total 7; the unexplained 0.1 is 'other'.
_OPENAI_TOTAL = 7.0
_EPOCH = cite("epoch-openai-2024", "$B of $7B: final runs 0.5, experiments 4.5, inference 1.9")
_OPENAI_PRICE = 5.0
_OPENAI_TOKEN_PRICE = 3.7e9 / 6.767496e15 * 1e6  # USD per million tokens
_OPENAI_FINANCING = (6.6e9 + 40e9) / 2
# A token price's average over the first year, per its start (the projection's token_price row
# at defaults, before the floor): software expected to advance at the historical rate
# (ln 2 / 8 months) under the 12-OOM ceiling's penalty, U (1 - exp(-rate / (U ln 10))) OOMs,
# each lifting the price 10x while the market falls 10x: e-folds g, mean (e^g - 1) / g.
# Presets that quote a year's revenue divide by it to get the start price.
_CEILING = 12.0
_OOMS = _CEILING * -math.expm1(-math.log(2) / HISTORICAL_HALVING_YEARS
                               / (_CEILING * math.log(10)))
_GROWTH = math.log(10) * (_OOMS - 1)
_FIRST_YEAR_AVERAGE = math.expm1(_GROWTH) / _GROWTH


_OPENAI = Preset(
    "openai-2024", "OpenAI, 2024",
    "OpenAI's 2024 compute as estimated by Epoch AI: ~$7B, all rented, ~$5B R&D (of which "
    "~$0.5B final training runs) and ~$1.9B inference. The fleet size is derived from the spend "
    "at a 3-year-commitment H100 price.",
    "H100",
    {
        "cost_basis": ("rented", cite("epoch-openai-2024", "all of OpenAI's compute is rented")),
        "gpu_rental_price": (_OPENAI_PRICE, cite("rental-prices", "hyperscaler H100 ~$5 per "
                                                 "GPU-hour with a 3-year commitment")),
        "fleet_gpus": (_OPENAI_TOTAL * 1e9 / (_OPENAI_PRICE * 8760), cite(
            "epoch-openai-2024", "derived: $7B / ($5 per GPU-hour x 8,760 h)")),
        **_shares(_EPOCH, training=0.5 / 7, research=4.5 / 7, automation=0.0,
                  inference=1.9 / 7, other=0.1 / 7),
        "token_price": (_OPENAI_TOKEN_PRICE, cite(
            "openai-revenue", "derived: 2024 revenue ~$3.7B over the 6.767e15 tokens a year its "
            "43.4k inference H100s serve (37% utilisation, 2N FLOP per token, 37B active)")),
        "external_financing": (_OPENAI_FINANCING, cite(
            "openai-funding", "derived: $6.6B (Oct 2024) + $40B (Mar 2025) over two years = "
            "$23.3B a year")),
        "rental_price_decline": (0.0, cite(
            "rbc-rental-2025", "hyperscaler list prices 'hardly budged' in 2025 while neocloud "
            "H100 rates fell 22%: a 3-year hyperscaler commitment keeps its price")),
    },
)

_DS = cite("deepseek-v3", "2048 H800s; 37B active parameters; 14.8T tokens; $2/GPU-hour")
_DEEPSEEK = Preset(
    "deepseek-v3", "DeepSeek-V3 training cluster",
    "DeepSeek-V3's 2048-H800 training cluster, all of it on the final run, rented at $2 per "
    "GPU-hour as in the report's Table 1.",
    "H800",
    {
        "fleet_gpus": (2048, _DS),
        **_shares(_DS, training=1.0, research=0.0, automation=0.0, inference=0.0, other=0.0),
        "cost_basis": ("rented", _DS),
        "gpu_rental_price": (2.0, _DS),
        "model_active_params": (37e9, _DS),
        "training_tokens": (14.8e12, _DS),
        "training_gpus": (2048, _DS),
        "mfu_training": (0.3463, cite("deepseek-v3", "2,664K GPU-hours for 6ND = 3.2856e24 FLOP "
                                      "imply 34.63% of 989.4 TFLOP/s")),
        "serving_active_params": (37e9, _DS),
        "lab_supply_share": (2048 / _WORLD_2024, cite(
            "epoch-chips", "derived: 2,048 of the world's 6.53M H100e at end-2024")),
        "external_financing": (2.0 * 2048 * 8760, cite(
            "assumption", "no public capex: financing equal to the cluster's own rent, "
            "$2 x 2,048 GPUs x 8,760 h = $35.9M a year")),
    },
)

_DSI = cite("deepseek-inference", "226.75 nodes x 8 H800 on average; $2/GPU-hour")
_DEEPSEEK_SERVING = Preset(
    "deepseek-inference-2025", "DeepSeek-V3/R1 serving, Feb 2025",
    "DeepSeek's inference fleet over 24 hours (27-28 Feb 2025): 1,814 H800s on average, serving "
    "776B tokens a day at R1 prices.",
    "H800",
    {
        "fleet_gpus": (226.75 * 8, _DSI),
        **_shares(_DSI, training=0.0, research=0.0, automation=0.0, inference=1.0, other=0.0),
        "cost_basis": ("rented", _DSI),
        "gpu_rental_price": (2.0, _DSI),
        "serving_active_params": (37e9, cite("deepseek-v3", "37B activated parameters")),
        "start_year": (2025, cite("deepseek-inference", "27-28 Feb 2025")),
        "lab_supply_share": (226.75 * 8 / _WORLD_2024, cite(
            "epoch-chips", "derived: 1,814 of the world's 6.53M H100e at end-2024")),
        "external_financing": (87_072 * 365, cite(
            "assumption", "no public capex: financing equal to the fleet's own rent, $87,072 a "
            "day x 365 = $31.8M a year ([deepseek-inference])")),
    },
)

_A27 = cite("ai2027-compute", "leading lab, 2024")
_AI2027 = Preset(
    "ai-2027-lab-2024", "AI 2027 leading lab, 2024",
    "The leading lab of the AI 2027 compute forecast in 2024: 250k H100e on average, split "
    "40% training runs, 24% research (20% synthetic data + 4% experiments), 1% automation, "
    "33% external inference, 2% monitoring; costed at its $40k total cost of ownership per H100e.",
    "H100",
    {
        "fleet_gpus": (250_000, cite("ai2027-compute", "average compute 250K H100e in 2024")),
        **_shares(_A27, training=0.40, research=0.24, automation=0.01, inference=0.33,
                  other=0.02),
        "cost_basis": ("owned", _A27),
        "gpu_capex": (40_000, cite("ai2027-compute", "total cost of ownership $40k per H100e")),
        "cluster_capex_multiplier": (1.0, cite("ai2027-compute", "the $40k TCO already covers "
                                               "server and network")),
        "token_price": (4e9 / 1.2870708840e16 * 1e6 / _FIRST_YEAR_AVERAGE, cite(
            "ai2027-compute", "derived: the leading lab's 2024 revenue of $4B over the 1.287e16 "
            "tokens a year its 82.5k inference H100e serve is 2024's average price, $0.311; a "
            "price falling 10x a year [a16z-llmflation] while software progress at the "
            "historical pace [ho2024] under the 12-OOM ceiling [davidson-ftm] lifts it "
            "(capability_price_elasticity 1) averages "
            f"{_FIRST_YEAR_AVERAGE:.3f} of its start (the competition floor, reached within the "
            "year, lifts 2024's revenue to $4.1B)")),
        "external_financing": (_OPENAI_FINANCING, cite(
            "openai-funding", "the leading lab of 2024-25, OpenAI: $6.6B (Oct 2024) + $40B "
            "(Mar 2025) over two years = $23.3B a year")),
    },
)

PRESETS: dict[str, Preset] = {
    p.name: p for p in (_META, _OPENAI, _DEEPSEEK, _DEEPSEEK_SERVING, _AI2027)
}
