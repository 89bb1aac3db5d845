"""Lab presets: sets of input values, each value with its citation.

Values may be numbers in the input's catalogue unit or text with a unit ('2 USD/GPU/hour').
Inputs a preset does not name keep their catalogue defaults (and those defaults' sources).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .catalogue import CATALOGUE
from .economy_inputs import PRODUCTION_2024, WORLD_GPUS_2024
from .frontier_inputs import FRONTIER_RESEARCH_GPUS, FRONTIER_RESEARCH_STAFF, HISTORICAL_RATE
from .loop_inputs import CALIBRATION_ELASTICITY, FRONTIER_PRICE_DECLINE, TOKENS_PER_USER
from .sources import cite


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    description: str
    gpu: str
    values: dict[str, tuple[float | str, str]] = field(default_factory=dict)


_WORLD_2024 = WORLD_GPUS_2024


def _borrowed(whose: str, *names: str) -> dict[str, tuple[float, str]]:
    """Catalogue defaults a preset has no figure of its own for, labelled as the assumption
    they are: another lab's figure, with its source."""
    return {n: (CATALOGUE[n].default, cite("assumption", f"no figure of its own: {whose}, "
                                           f"{CATALOGUE[n].source}")) for n in names}


def _shares(source: str, **shares: float) -> dict[str, tuple[float, str]]:
    return {f"share_{use}": (value, source) for use, value in shares.items()}


def _staff(research_gpus: float) -> tuple[float, str]:
    """Research staff in proportion to research compute, at the frontier's ratio (no lab but
    the leading one publishes a research headcount)."""
    staff = FRONTIER_RESEARCH_STAFF * research_gpus / FRONTIER_RESEARCH_GPUS
    return staff, cite("assumption", f"staff in proportion to research compute at the "
                       f"frontier's ratio: 827 x {research_gpus:,.0f} / "
                       f"{FRONTIER_RESEARCH_GPUS:,.0f} research GPUs = {staff:,.0f} "
                       "([aifm-inputs], [epoch-openai-2024])")


def _gap(months: float, source: str) -> tuple[float, str]:
    """OOMs behind the frontier for a lag in months, at the historical rate."""
    ooms = months / 12 * HISTORICAL_RATE / math.log(10)
    return ooms, source + f"; {months:g} months at the historical rate (ln 2 / 8 months a " \
        f"year [ho2024]) = {ooms:.2f} OOMs"


def demand_growth(revenue_growth: float) -> float:
    """A lab's demand growth (users, per year) from its base-year revenue growth: revenue =
    tokens x price, and its price fell as the frontier's did, so tokens grew by revenue growth
    plus the price's fall; users carry that less tokens per user and the price effect."""
    return (revenue_growth + FRONTIER_PRICE_DECLINE - TOKENS_PER_USER
            - CALIBRATION_ELASTICITY * FRONTIER_PRICE_DECLINE)


def _demand_source(revenue_growth: float, citation: str) -> tuple[float, str]:
    value = demand_growth(revenue_growth)
    return value, citation + (
        f"; tokens grew e^{revenue_growth:.2f} x e^0.75 at the frontier's falling price "
        "[genai-prices]; less tokens per user (-0.23) and the price effect (1.11 x 0.75): "
        f"{value:.2f} a year (derived)")


def _token_price(revenue: float, gpus: float) -> float:
    """USD per million tokens: a year's revenue over what `gpus` inference H100s serve (37%
    utilisation, 2N FLOP per token, 37B active parameters)."""
    tokens = gpus * 989.4e12 * 0.37 * 3600 * 8760 / (2 * 37e9)
    return revenue / tokens * 1e6


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
        "financing_model": ("parent", cite("meta-capex", "Meta funds its AI capex from its "
                                           "other businesses")),
        "external_financing": (39.23e9, cite("meta-capex", "2024 capital expenditure $39.23B, "
                                             "funded by Meta's other businesses")),
        "research_staff": _staff(600_000 * (0.30 - _META_TRAIN)),
        "software_gap": _gap(12, cite("epoch-open-models", "open models, Llama 3.1 405B "
                                      "among them, trail closed ones by about a year")),
        "lab_supply_share": (550e3 / 5e6, cite(
            "ai2027-compute", "Meta gained ~550K H100e in 2024 of the ~5M produced: 11%")),
        "financing_growth": (math.log(62.5 / 39.23), cite(
            "meta-capex", "derived: January 2025 guidance of $60-65B (midpoint $62.5B) over "
            "2024's $39.23B, ln(62.5/39.23) = 0.47 a year")),
        **_borrowed("OpenAI's and ChatGPT's", "researcher_growth", "user_demand_growth",
                    "user_ceiling_multiple"),
    },
)

# Epoch's split, in $B of rented compute: R&D 5 (final runs 0.5, the rest experiments),
# inference 1.9 (midpoint of 1.8-2), total 7; the unexplained 0.1 is 'other'.
_OPENAI_TOTAL = 7.0
_EPOCH = cite("epoch-openai-2024", "$B of $7B: final runs 0.5, experiments 4.5, inference 1.9")
_OPENAI_PRICE = 2.0
_OPENAI_FLEET = _OPENAI_TOTAL * 1e9 / (_OPENAI_PRICE * 8760)
_OPENAI_TOKEN_PRICE = _token_price(3.7e9, _OPENAI_FLEET * 1.9 / 7)


_OPENAI = Preset(
    "openai-2024", "OpenAI, 2024",
    "OpenAI's 2024 compute as estimated by Epoch AI: ~$7B, all rented, ~$5B R&D (of which "
    "~$0.5B final training runs) and ~$1.9B inference; ~400k H100e at Epoch's $2 an hour.",
    "H100",
    {
        "cost_basis": ("rented", cite("epoch-openai-2024", "all of OpenAI's compute is rented")),
        "gpu_rental_price": (_OPENAI_PRICE, cite("epoch-acu", "Epoch's $2 per Hopper-hour for "
                                                 "OpenAI's 2024 compute (contract priors "
                                                 "$1.50-2.25)")),
        "fleet_gpus": (_OPENAI_FLEET, cite(
            "epoch-openai-2024", "derived: $7B / ($2 per GPU-hour x 8,760 h) = "
            f"{_OPENAI_FLEET:,.0f} H100e (Epoch's year-end estimate: 386k [epoch-lab-compute])")),
        **_shares(_EPOCH, training=0.5 / 7, research=4.5 / 7, automation=0.0,
                  inference=1.9 / 7, other=0.1 / 7),
        "token_price": (_OPENAI_TOKEN_PRICE, cite(
            "openai-revenue", "derived: 2024 revenue ~$3.7B over the tokens a year its "
            f"{_OPENAI_FLEET * 1.9 / 7:,.0f} inference H100s serve (37% utilisation, 2N FLOP "
            "per token, 37B active)")),
        "financing_model": ("revenue-multiple", cite("openai-rounds", "equity rounds priced "
                                                     "on revenue")),
        "base_revenue_growth": (math.log(3), cite("openai-cfo-2026", "annualised revenue $2B "
                                                  "(2023) to $6B (2024): ln 3")),
        "user_demand_growth": _demand_source(math.log(3), cite(
            "openai-cfo-2026", "annualised revenue tripled in 2024")),
        "research_staff": (FRONTIER_RESEARCH_STAFF, cite(
            "aifm-inputs", "the leading AI company's 827 coding staff in 2024")),
        "software_gap": (0.0, cite("epoch-openai-2024", "OpenAI's 2024 research is the "
                                   "frontier's reference")),
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
        "financing_model": ("parent", cite("assumption", "DeepSeek is funded by its parent, "
                                           "High-Flyer; no public figures")),
        "external_financing": (2.0 * 2048 * 8760, cite(
            "assumption", "no public capex: financing equal to the cluster's own rent, "
            "$2 x 2,048 GPUs x 8,760 h = $35.9M a year")),
        "research_staff": (0.0, cite("deepseek-v3", "the cluster runs the final training run "
                                     "only: no research on it")),
        "software_gap": _gap(3.5, cite("epoch-open-models", "open-weight models trail the "
                                       "frontier by 3.5 months on Epoch's capabilities index")),
        **_borrowed("OpenAI's and ChatGPT's", "researcher_growth", "user_demand_growth",
                    "user_ceiling_multiple"),
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
        "financing_model": ("parent", cite("assumption", "DeepSeek is funded by its parent, "
                                           "High-Flyer; no public figures")),
        "external_financing": (87_072 * 365, cite(
            "assumption", "no public capex: financing equal to the fleet's own rent, $87,072 a "
            "day x 365 = $31.8M a year ([deepseek-inference])")),
        "research_staff": (0.0, cite("deepseek-inference", "the fleet serves customers only")),
        "software_gap": _gap(3.5, cite("epoch-open-models", "open-weight models trail the "
                                       "frontier by 3.5 months on Epoch's capabilities index "
                                       "(Oct 2025)")),
        **_borrowed("OpenAI's and ChatGPT's", "researcher_growth", "user_demand_growth",
                    "user_ceiling_multiple"),
    },
)

_A27 = cite("ai2027-compute", "leading lab, 2024")
_A27_SUPPLY = (17.5e6 - 0.5e6) / (100e6 - 10e6)
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
        "token_price": (_token_price(4e9, 250_000 * 0.33), cite(
            "ai2027-compute", "derived: the leading lab's 2024 revenue of $4B over the tokens a "
            "year its 82.5k inference H100e serve (37% utilisation, 2N FLOP per token, 37B "
            "active)")),
        "financing_model": ("revenue-multiple", cite("openai-rounds", "the leading lab of "
                                                     "2024-25, OpenAI, raises on revenue")),
        "base_revenue_growth": (math.log(3), cite("openai-cfo-2026", "the leading lab's "
                                                  "annualised revenue tripled in 2024")),
        "user_demand_growth": _demand_source(math.log(3), cite(
            "openai-cfo-2026", "the leading lab's annualised revenue tripled in 2024")),
        "research_staff": (FRONTIER_RESEARCH_STAFF, cite(
            "aifm-inputs", "the leading AI company's 827 coding staff in 2024")),
        # The forecast's own growth, not OpenAI's 2024 share: at 5.8% the lab it describes
        # would end 2027 with 16x its 2024 compute where the forecast gives it ~40x.
        "lab_supply_share": (_A27_SUPPLY, cite(
            "ai2027-compute", "section 2: the largest companies go from 5-10% of the world's AI "
            "compute (~0.5M H100e, March 2025) to 15-20% (15-20M H100e) by December 2027, the "
            "world's from 10M to 100M H100e: (17.5M - 0.5M) / (100M - 10M) = "
            f"{_A27_SUPPLY:.1%} of what is added (interval 16-22%)")),
        **_borrowed("OpenAI's and ChatGPT's, the leading lab of 2024", "researcher_growth",
                    "user_ceiling_multiple"),
    },
)

_ANTHROPIC_FLEET = 2.5e9 / (2.0 * 8760)
_CLAUDE_USERS = 200e6 * 381 / 3700
# Epoch's median at end-2024; the start of 2024 is what a straight path through the year's
# average fleet (from its cloud spend) implies.
ANTHROPIC_END_2024 = 208_559.98
_ANTHROPIC_START = 2 * _ANTHROPIC_FLEET - ANTHROPIC_END_2024
_ANTHROPIC_SUPPLY = (ANTHROPIC_END_2024 - _ANTHROPIC_START) / PRODUCTION_2024
_ANT_SPLIT = cite("assumption", "no published split for Anthropic in 2024: OpenAI's "
                  "[epoch-openai-2024] (final runs 0.5, experiments 4.5, inference 1.9 of 7)")
_ANTHROPIC = Preset(
    "anthropic-2024", "Anthropic, 2024",
    "Anthropic's 2024 compute: $2.5B of cloud spend, all rented, ~143k H100e at Epoch's $2 an "
    "hour; $381M of revenue; split as OpenAI's (no published split).",
    "H100",
    {
        "cost_basis": ("rented", cite("epoch-acu", "Anthropic rents from AWS and Google")),
        "gpu_rental_price": (2.0, cite("epoch-acu", "Epoch's $2 per Hopper-hour for 2024")),
        "fleet_gpus": (_ANTHROPIC_FLEET, cite(
            "epoch-acu", f"derived: 2024 cloud spend $2.5B / ($2 x 8,760 h) = "
            f"{_ANTHROPIC_FLEET:,.0f} H100e")),
        **_shares(_ANT_SPLIT, training=0.5 / 7, research=4.5 / 7, automation=0.0,
                  inference=1.9 / 7, other=0.1 / 7),
        "token_price": (_token_price(381e6, _ANTHROPIC_FLEET * 1.9 / 7), cite(
            "anthropic-revenue", "derived: 2024 revenue $381M over the tokens a year its "
            f"{_ANTHROPIC_FLEET * 1.9 / 7:,.0f} inference H100s serve")),
        "financing_model": ("revenue-multiple", cite("anthropic-rounds", "equity rounds "
                                                     "priced on revenue")),
        "base_revenue_growth": (math.log(10), cite("anthropic-revenue", "annualised revenue "
                                                   "grew tenfold in 2024 (FT): ln 10")),
        "research_staff": _staff(_ANTHROPIC_FLEET * 4.5 / 7),
        "software_gap": (0.0, cite("assumption", "a frontier lab: at the frontier")),
        "user_demand_growth": _demand_source(math.log(10), cite(
            "anthropic-revenue", "revenue grew tenfold in 2024 (FT)")),
        # Its own, not ChatGPT's: a lab with a tenth of the users has ten times the room.
        "user_ceiling_multiple": (5.5e9 / _CLAUDE_USERS, cite(
            "assumption", f"Claude's users in the base year's middle in proportion to its "
            f"revenue at ChatGPT's revenue per user: 200M x 381 / 3,700 = "
            f"{_CLAUDE_USERS / 1e6:.1f}M [openai-users] [anthropic-revenue]; 5.5B online "
            f"[itu-2024] / {_CLAUDE_USERS / 1e6:.1f}M = {5.5e9 / _CLAUDE_USERS:.0f} (interval "
            "183-306 from the 18-30M users estimated later [claude-users])")),
        "researcher_growth": (math.log(3.0), cite("heninger-2025", "Anthropic's headcount ~3x "
                                                  "a year: ln 3 = 1.10")),
        # Its own, not OpenAI's 5.8%: with 0.21M H100e at end-2024 it cannot have added 0.28M.
        "lab_supply_share": (_ANTHROPIC_SUPPLY, cite(
            "epoch-lab-compute", f"derived: {ANTHROPIC_END_2024:,.0f} H100e at end-2024, less the "
            f"{_ANTHROPIC_START:,.0f} at its start that a straight path through the year's "
            f"{_ANTHROPIC_FLEET:,.0f} average implies") + "; " + cite(
            "epoch-chips", f"of ~4.9M H100e produced in 2024: {_ANTHROPIC_SUPPLY:.1%} (at most "
            f"{ANTHROPIC_END_2024 / PRODUCTION_2024:.1%}, all of its end-2024 compute)")),
    },
)

PRESETS: dict[str, Preset] = {
    p.name: p for p in (_META, _OPENAI, _ANTHROPIC, _DEEPSEEK, _DEEPSEEK_SERVING, _AI2027)
}
