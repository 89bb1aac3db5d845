"""Inputs of the closed loop: chip supply, capital, customers and the software ceiling.

Each part has a switch (a choice whose first option closes the loop and whose second keeps the
open projection that came before), so the old behaviour stays reachable: `supply_limit=none`,
`capital_limit=investment-rate`, `demand_model=fixed-price`, `competition=none`,
`ceiling_model=none`.
"""

from __future__ import annotations

import math

from . import loop_inputs  # noqa: F401 - loop records first (catalogue order = layering)
from .catalogue import choice as _choice
from .catalogue import number as _num
from .catalogue import register
from .sources import cite

# Epoch AI's chip-sales data, cumulative H100e (8-bit) at end-2024: Nvidia 4.72M, TPU 0.95M,
# AMD 0.55M, Trainium 0.31M.
WORLD_GPUS_2024 = 4.72e6 + 0.95e6 + 0.55e6 + 0.31e6
PRODUCTION_2024 = 4.9e6  # H100e made in 2024 (epoch-chips, ~4.9M)
# IMF WEO (Oct 2025) world nominal GDP, USD/year: 2023 and 2025 (the market's base year).
WORLD_GDP_2023, WORLD_GDP_2025 = 106.94e12, 117.17e12
WORLD_GDP_GROWTH = math.log(WORLD_GDP_2025 / WORLD_GDP_2023) / 2

SUPPLY = (
    _choice("supply_limit", ("world-share", "none"),
            "Chip supply: the lab buys at most its share of the world's AI accelerator "
            "production each step (world-share), or whatever it can pay for (none)",
            cite("epoch-chips", "world stock of AI accelerators"), "supply"),
    _num("world_gpus_anchor", "GPU", WORLD_GPUS_2024, 1e5, 1e9,
         "World stock of AI accelerators (H100-equivalents) in world_anchor_year",
         cite("epoch-chips", "cumulative H100e (8-bit) at end-2024: Nvidia 4.72M + TPU 0.95M + "
              "AMD 0.55M + Trainium 0.31M = 6.53M"), "supply", log_scale=True),
    _num("world_anchor_year", "year", 2024.0, 2000.0, 2100.0,
         "Calendar year at whose end the world stock is world_gpus_anchor",
         cite("epoch-chips", "cumulative sales at end-2024"), "supply"),
    _num("world_gpu_growth", "1/year", math.log(3.3), 0.0, 3.0,
         "Growth rate (continuous) of the world's AI accelerator stock while far below its "
         "ceiling", cite("epoch-chips", "3.3x a year since 2022 (90% CI 2.7-4.1x)"), "supply"),
    _num("world_gpus_ceiling", "GPU", 100e6, 1e6, 1e12,
         "Ceiling of the world's AI accelerator stock (H100e): growth slows logistically as "
         "the stock nears it",
         cite("epoch-2030", "chip production could supply ~100M H100-equivalents by 2030 "
              "(range 20M-400M), used as the level the stock approaches"), "supply",
         log_scale=True),
    _num("lab_supply_share", "", 283.5e3 / PRODUCTION_2024, 0.0, 1.0,
         "Share of each step's world accelerator production the lab can buy",
         cite("epoch-lab-compute", "OpenAI went from 0.10M H100e (end-2023) to 0.39M (end-2024)"
              ) + "; " + cite("epoch-chips", "of ~4.9M H100e produced in 2024: 283.5k / 4.9M = "
                              "5.8%"), "supply"),
)

RENT = (
    _num("rental_price_decline", "1/year", math.log(1.875 / 1.50), -2.0, 2.0,
         "Rate (continuous) at which the rent of an H100e-hour falls (negative: it rises; 0 "
         "keeps the rent fixed)",
         cite("epoch-acu", "Hopper contracts signed at $1.50-2.25 an hour in 2024 and "
              "$1.20-1.80 in 2025: midpoints $1.875 to $1.50, ln 1.25 = 0.22 a year"), "costs"),
)

CAPITAL = (
    _choice("capital_limit", ("cash-and-financing", "investment-rate"),
            "What pays for new GPUs: cash from operations (reinvested) plus external financing "
            "in dollars a year (cash-and-financing), or the open loop's investment rate on the "
            "initial fleet plus reinvested revenue (investment-rate)",
            cite("assumption", "capex cannot exceed the cash a lab has"), "capital"),
    _num("external_financing", "USD/year", 39.23e9, 1.0, 1e13,
         "External financing available for GPUs in the first step (funding rounds, or a "
         "parent company's capex)",
         cite("meta-capex", "Meta's 2024 capital expenditure $39.23B (the default fleet is "
              "Meta's)"), "capital", log_scale=True),
    _num("financing_growth", "1/year", 0.0, -1.0, 2.0,
         "Growth rate (continuous) of external financing while it grows",
         cite("assumption", "flat dollars a year: no source projects funding rounds forward"),
         "capital"),
    _num("financing_growth_years", "year", 1.0, 0.0, 100.0,
         "Years over which external financing grows at financing_growth; flat after",
         cite("assumption", "published guidance covers the next year only"), "capital"),
    _num("deployment_lead_time", "year", 10 / 52, 0.0, 5.0,
         "Time over which a renter brings into service the GPUs its capital can newly pay "
         "rent for: in the chip market of labs it closes that gap at gap / this a year, "
         "stretched by the shortage when rationed (0: the whole gap at once)",
         cite("gpu-lead-times", "H100 server lead times of 8-12 weeks in April 2024, down from "
              "36-52 weeks in late 2023: 10 weeks = 0.19 years"), "capital"),
)

DEMAND = (
    # The first step is the base year's average, so its users are the year's middle's, not its
    # end's: 300M (Dec 2024) put the ceiling a third too low.
    _num("user_ceiling_multiple", "", 5.5e9 / 200e6, 1.0, 1e4,
         "How many times its first-step users a lab's user base can grow to: demand from users "
         "grows logistically towards it (at user_demand_growth while far below it)",
         cite("itu-2024", "5.5B people online in 2024") + "; "
         + cite("openai-users", "ChatGPT 200M weekly users in Aug 2024, the base year's "
                "middle: 5.5B / 200M = 27.5"),
         "demand", log_scale=True),
    _choice("demand_model", ("demand-curve", "fixed-price"),
            "Customers: a demand curve whose price for a given capability falls over time, with "
            "a ceiling on users (demand-curve), or the open loop's fixed price per token and "
            "unbounded user growth (fixed-price)",
            cite("epoch-prices", "LLM prices at a given capability fall 9-900x a year"),
            "demand"),
    _num("demand_price_elasticity", "", loop_inputs.CALIBRATION_ELASTICITY, 0.0, 3.0,
         "Price elasticity of demand for tokens (quantity falls as price^-elasticity)",
         cite("nber-llm-market", "own-price elasticity of LLM API demand -1.11 (labelled "
              "assumption)"), "demand"),
    _num("capability_price_elasticity", "", 1.5, 0.0, 5.0,
         "Orders of magnitude by which a lab's price per token rises per order of magnitude of "
         "software efficiency it gains on the frontier (falls per OOM it loses): the research "
         "payoff. Matching the frontier earns nothing extra",
         cite("a16z-llmflation", "a fixed capability's price falls 10x a year") + "; " + cite(
             "genai-prices", "the frontier's 0.75 a year") + "; " + cite(
             "ho2024", "the frontier gains ln 2 / 8 months = 1.04 e-folds of efficiency a "
             "year: (ln 10 - 0.75) / 1.04 = 1.5 per OOM (derived; Epoch's 9x-50x a year "
             "[epoch-prices] gives 1.4-3.0)"), "demand"),
    _num("world_gdp_base_year", "USD/year", 110e12, 1e12, 1e16,
         "World output in the base year: what all customers together can spend then",
         cite("imf-weo-2024", "world GDP 2024 ~$110 trillion at current prices"), "demand",
         log_scale=True),
    _num("world_gdp_growth", "1/year", WORLD_GDP_GROWTH, -0.2, 0.5,
         "Growth rate (continuous, nominal) of world output after the base year",
         cite("imf-weo-2025", f"world nominal GDP $106.94T in 2023 and $117.17T in 2025: "
              f"ln(117.17/106.94)/2 = {WORLD_GDP_GROWTH:.3f} a year"), "demand"),
    _num("ai_spending_ceiling", "", 0.1, 0.0, 1.0,
         "Largest share of world output spent on AI compute; a lab's revenue is at most its "
         "supply share of that", cite("davidson-ftm", "frac_gwp_compute_ceiling 0.1"),
         "demand"),
    _choice("competition", ("price-floor", "none"),
            "Competition: prices fall with the market but not below the serving cost plus a "
            "markup, where competitors would undercut (price-floor); or no floor (none)",
            cite("assumption", "Bertrand-like competition at serving cost"), "demand"),
    _num("competitive_markup", "", 3.7 / 1.9 - 1, 0.0, 10.0,
         "Markup over the serving cost per token at which competition holds prices",
         cite("openai-revenue", "2024 revenue $3.7B") + "; " + cite(
             "epoch-openai-2024", "on ~$1.9B of inference compute: 3.7 / 1.9 - 1 = 0.95"),
         "demand"),
)

CEILING = (
    _choice("ceiling_model", ("ftm-penalty", "none"),
            "Software efficiency ceiling: the FTM's penalty (progress slows as efficiency nears "
            "the ceiling, stopping at it), or none",
            cite("davidson-ftm", "software ceiling penalty"), "research"),
    _num("software_ceiling", "", 12.0, 1.0, 30.0,
         "Ceiling of software efficiency, in orders of magnitude above the first step",
         cite("davidson-ftm", "software_ceiling 1e12 best guess (1e8 conservative, 1e16 "
              "aggressive)"), "research"),
)

ECONOMY_INPUTS = SUPPLY + RENT + CAPITAL + DEMAND + CEILING
register(*ECONOMY_INPUTS)
