"""Inputs that place the lab against the frontier: the frontier's research inputs in absolute
units (the reference every lab's research is measured against), the lab's distance from the
frontier, diffusion from it, what relative capability is worth, and how fast a split can move.

The frontier is exogenous here (until the market of labs): it advances at the historical rate
of algorithmic progress, and its token price falls at the flagship list prices' pace.
"""

from __future__ import annotations

import math

from . import economy_inputs  # noqa: F401 - the closed loop's inputs first (catalogue order)
from .catalogue import choice as _choice
from .catalogue import number as _num
from .catalogue import register
from .loop_inputs import FRONTIER_PRICE_DECLINE, HISTORICAL_HALVING_YEARS
from .sources import cite

HISTORICAL_RATE = math.log(2) / HISTORICAL_HALVING_YEARS  # e-folds of efficiency a year
# OpenAI's 2024 research compute: Epoch's ~$4.5B of experiments (R&D $5B less $0.5B of final
# runs) at Epoch's own $2 per Hopper-hour, as useful FLOP at the research utilisation (40%).
FRONTIER_RESEARCH_GPUS = 4.5e9 / (2.0 * 8760)
FRONTIER_RESEARCH_COMPUTE = FRONTIER_RESEARCH_GPUS * 989.4e12 * 0.40 * 3600 * 8760
FRONTIER_RESEARCH_STAFF = 827.0
# A fixed capability's price falls 10x a year; the frontier's at FRONTIER_PRICE_DECLINE; the gap
# between them is what a year of the frontier's progress (HISTORICAL_RATE / ln 10 OOMs) is worth.
CAPABILITY_PRICE_ELASTICITY = (math.log(10) - FRONTIER_PRICE_DECLINE) / HISTORICAL_RATE

FRONTIER = (
    _num("frontier_reference_year", "year", 2024.0, 2000.0, 2100.0,
         "Calendar year of the frontier's reference point: software efficiency is measured in "
         "OOMs above the frontier's level then, and research inputs against its research then",
         cite("epoch-openai-2024", "the first year with a published split of a frontier lab's "
              "compute"), "frontier"),
    _num("frontier_research_compute", "FLOP/year", FRONTIER_RESEARCH_COMPUTE, 1e20, 1e35,
         "The frontier's research (experiment) compute in the reference year: a lab's research "
         "compute is measured against it",
         cite("epoch-openai-2024", "OpenAI 2024: ~$4.5B of experiments (R&D $5B less ~$0.5B "
              "of final runs)") + "; " + cite(
             "epoch-acu", f"at $2 per H100-hour: {FRONTIER_RESEARCH_GPUS:,.0f} H100-years, x "
             "989.4 TFLOP/s x 40% utilisation x 8,760 h = "
             f"{FRONTIER_RESEARCH_COMPUTE:.3g} FLOP/year"), "frontier", log_scale=True),
    _num("frontier_research_staff", "", FRONTIER_RESEARCH_STAFF, 1.0, 1e6,
         "The frontier's research staff in the reference year: a lab's research staff is "
         "measured against it",
         cite("aifm-inputs", "827 coding staff at the leading AI company in 2024"), "frontier",
         log_scale=True),
    _num("research_staff", "", FRONTIER_RESEARCH_STAFF, 0.0, 1e6,
         "The lab's research staff in the base year (count)",
         cite("aifm-inputs", "the leading lab's 827 coding staff in 2024 (default: a lab at "
              "the frontier)"), "frontier"),
    _num("software_gap", "", 0.0, -5.0, 10.0,
         "OOMs of software efficiency by which the lab trails the frontier in the base year "
         "(0: at the frontier)",
         cite("definition", "0 puts the lab at the frontier"), "frontier"),
    _num("diffusion_lag", "year", 1.0, 0.0, 10.0,
         "How far behind the frontier a lab falls at most: open weights, distillation and "
         "staff moving keep its software efficiency at least the frontier's of this many years "
         "ago", cite("epoch-open-models", "open models trail closed ones by about a year (3.5 "
                     "months on Epoch's capabilities index in 2025)"), "frontier"),
    _num("software_returns", "", 1.2, 0.1, 10.0,
         "Returns to software R&D r: OOMs of software efficiency per OOM of research input in "
         "the long run. Ideas getting harder to find follows as an exponent lambda / r, so a "
         "lab whose research inputs grow as the frontier's keeps the historical rate",
         cite("davidson-houlden-2025", "r between 0.4 and 3.6, median 1.2"), "research"),
    _num("frontier_price_decline", "1/year", FRONTIER_PRICE_DECLINE, 0.0, 5.0,
         "Rate (continuous) at which the price per token of frontier models falls: the price a "
         "lab that keeps pace with the frontier charges",
         cite("genai-prices", "flagship output prices $60 (GPT-4, Mar 2023) to $10 (GPT-5, Aug "
              "2025) per million tokens: ln 6 / 2.40 years = 0.75 a year"), "demand"),
    _num("serving_efficiency_growth", "1/year",
         FRONTIER_PRICE_DECLINE - math.log(1.875 / 1.50), -1.0, 5.0,
         "Growth rate (continuous) of the tokens of frontier capability an inference GPU "
         "serves a year (inference optimisation, distillation, smaller models for the same "
         "capability)",
         cite("genai-prices", "frontier prices fall 0.75 a year") + "; " + cite(
             "epoch-acu", "rents 0.22 a year") + "; at the ~1.9x markup over serving cost that "
         "labs' margins show [epoch-openai-2024], serving cost per frontier token falls as "
         "fast as the price: 0.75 - 0.22 = 0.52 a year (derived)", "inference"),
    _num("token_value_cap", "USD/Mtoken", 600.0, 1e-3, 1e5,
         "Most a customer pays for a million tokens: no price, however capable the lab, goes "
         "above it",
         cite("genai-prices", "o1-pro at $600 per million output tokens, the dearest frontier "
              "API of 2024-2026"), "demand", log_scale=True),
    # The sourced band a lab's price per million tokens is checked against (never an input of
    # its price): the cheapest and the dearest token on public price lists, moved through time
    # as the cheapest and the dearest listed tokens have moved. (At Epoch's fastest decline of
    # a fixed performance's price, 900x a year, the low end was $4e-7 by 2025: no check.)
    _num("token_price_band_year", "year", 2024.0, 2000.0, 2100.0,
         "Calendar year whose list prices set the ends of the sourced price band; the ends move "
         "from that year's start", cite("genai-prices", "list prices of 2024"), "price band"),
    _num("token_price_band_low", "USD/Mtoken", 0.01, 1e-6, 1e4,
         "Low end of the sourced band of prices per million tokens in token_price_band_year: "
         "the cheapest token on public price lists",
         cite("genai-prices", "Gemini 1.5 Flash-8B cached input at $0.01 per million tokens "
              "(2024; uncached $0.0375), the cheapest token listed that year"), "price band",
         log_scale=True),
    _num("token_price_band_high", "USD/Mtoken", 600.0, 1e-3, 1e6,
         "High end of the sourced band of prices per million tokens in token_price_band_year: "
         "the dearest token on public price lists",
         cite("genai-prices", "o1-pro output at $600 per million tokens (Mar 2025), the "
              "dearest token listed in 2023-2026"), "price band", log_scale=True),
    _num("token_price_band_low_decline", "1/year", math.log(0.01 / 0.0028) / 2, 0.0, 20.0,
         "Rate (continuous) at which the band's low end falls: the rate at which the cheapest "
         "listed token has fallen (extrapolated past 2026, an assumption)",
         cite("genai-prices", "the cheapest token listed fell from $0.01 (Gemini 1.5 Flash-8B "
              "cached, 2024) to $0.0028 (DeepSeek V4 Flash cache hit, 2026): ln(0.01 / 0.0028) "
              "/ 2 = 0.64 a year; Epoch's 9x-900x a year [epoch-prices] is a fixed "
              "performance's price, which a lab does not sell for long"), "price band"),
    _num("token_price_band_high_decline", "1/year", 0.0, 0.0, 20.0,
         "Rate (continuous) at which the band's high end falls: the slowest sourced decline of "
         "the dearest price per token",
         cite("genai-prices", "the dearest output price rose, from GPT-4-32k's $120 (2023) to "
              "o1-pro's $600 (2025): no decline") + "; " + cite(
             "epoch-prices", "9x a year, the slowest, holds a fixed performance, not the "
             "dearest model"), "price band"),
    _choice("pricing", ("scarcity", "competitive"),
            "Price when customers want more than the inference GPUs serve: it rises until they "
            "want no more, up to what the work is worth (scarcity); or it stays at the "
            "competitive price and the excess goes unserved (competitive)",
            cite("assumption", "a lab short of compute raises prices, as GPU rents rose in "
                 "2026 [semianalysis-rental]"), "demand"),
    # In a market of labs (model.market.parameters.SCARCITY_PRICE_CAP, 2x) customers short of
    # service have rivals at the competitive price; uncapped, where demand is inelastic (below
    # 1) a lab earned more the fewer tokens it served, and value-maximising labs withheld their
    # serving GPUs at the horizon's end to sell a sliver of tokens at thousands of times the
    # competitive price. Alone, capped, the money-revenue loop integrates badly (docs/MODEL.md).
    _num("scarcity_price_cap", "", 1e9, 1.0, 1e9,
         "Most a lab short of serving capacity charges over its competitive price: what "
         "customers pay to be served first (1: no scarcity premium; 1e9: none, the value cap "
         "and customers' spending bind first)",
         cite("assumption", "none for a lab alone, whose customers have no rival to turn to; "
              "in a market of labs 2x") + "; " + cite(
             "openai-priority", "Priority processing at 2x Standard for GPT-5, 1.7-2.5x across "
             "its models"), "demand", log_scale=True),
    _num("split_adjustment_rate", "1/year", 0.25, 0.01, 10.0,
         "Fastest a lab's split moves: no share of the fleet changes by more than this many "
         "share points a year (contracts, clusters and staff are not reassigned at once)",
         cite("assumption", "25 points a year: compute is contracted for 1-3 years "
              "[epoch-acu] and new capacity takes a quarter to deploy, so a third or more of a "
              "fleet can change use in a year; no source measures internal reallocation"),
         "allocation"),
)
register(*FRONTIER)
