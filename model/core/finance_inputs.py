"""Inputs of the money: financing tied to revenue and its growth (or a parent's budget), the
rent path, and the terminal value that keeps the horizon's end from deciding the split.
"""

from __future__ import annotations

import math

from . import frontier_inputs  # noqa: F401 - the frontier's inputs first (catalogue order)
from .catalogue import choice as _choice
from .catalogue import number as _num
from .catalogue import register
from .sources import cite

# Epoch's contract priors for Hopper: $1.50-2.25 per hour signed in 2024, $1.20-1.80 in 2025;
# midpoints $1.875 and $1.50.
RENT_DECLINE = math.log(1.875 / 1.50)
# Share of its valuation a frontier lab raised a year: OpenAI 4.2% (2024: $6.6B of $157B), 13%
# (2025: $40B of $300B), 14% (2026: $122B of $852B); Anthropic 12.8% (2025: $3.5B of $61.5B and
# $13B of $183B).
RAISE_RATE = 0.10
# Valuation over the last year's revenue in the rounds priced on 2024's revenue ($3.7B): OpenAI
# $157B (Oct 2024), 42x, and $300B (Mar 2025), 81x. Their geometric mean; the 2026 rounds are
# priced on 2025's revenue, which the backtest reads, so they may not set a default.
REVENUE_MULTIPLE = math.sqrt(157 / 3.7 * 300 / 3.7)

FINANCE = (
    _choice("financing_model", ("revenue-multiple", "parent"),
            "Where external money comes from: investors, who fund a share of a valuation that "
            "is a multiple of the last year's revenue and rises or falls with its growth "
            "(revenue-multiple); or "
            "a parent company's budget in dollars a year (parent: external_financing, growing "
            "at financing_growth)",
            cite("openai-rounds", "rounds priced at 42-81x the last year's revenue"),
            "capital"),
    _num("revenue_multiple", "", REVENUE_MULTIPLE, 1.0, 500.0,
         "Valuation in funding rounds over the last year's revenue, at the reference revenue "
         "growth",
         cite("openai-rounds", "the two rounds priced on 2024's revenue of $3.7B "
              "[openai-revenue]: $157B (Oct 2024), 42x, and $300B (Mar 2025), 81x; geometric "
              "mean 58x (interval 42-81x). Later rounds are priced on 2025 revenue, a backtest "
              "observable, and are not used"), "capital"),
    _num("multiple_scale_elasticity", "", 0.36, 0.0, 1.0,
         "How fast the revenue multiple compresses as revenue grows: the multiple is "
         "revenue_multiple x (trailing revenue / base-year revenue)^-elasticity, never above "
         "revenue_multiple nor below revenue_multiple_floor",
         cite("multiples-scale", "log-log fit of multiple on revenue over the rounds priced "
              "before 2025 and six mega-caps: 0.36 +/- 0.06 (interval 0.20-0.45; within one "
              "lab growing ~10x a year, Anthropic's rounds give 0.28)"), "capital"),
    _num("revenue_multiple_floor", "", 5.0, 1.0, 100.0,
         "Lowest revenue multiple investors pay however large the lab grows",
         cite("multiples-scale", "mega-caps at $165-690B of revenue trade at 3.9-28x sales; "
              "public software's median 4.8x (Jan 2026): 5x, interval 3-10x"), "capital"),
    _num("raise_rate", "1/year", RAISE_RATE, 0.0, 1.0,
         "Share of its valuation a lab raises a year",
         cite("openai-rounds", "4.2% (2024), 13% (2025), 14% (2026) of valuation") + "; "
         + cite("anthropic-rounds", "12.8% in 2025") + "; about 10% a year", "capital"),
    _num("reference_revenue_growth", "1/year", math.log(3.0), 0.01, 5.0,
         "Revenue growth (continuous) at which the revenue multiple was paid: a lab growing "
         "faster raises more, one growing slower less, one shrinking nothing",
         cite("openai-cfo-2026", "the 2024 rounds' growth: annualised revenue $2B (end-2023) "
              "to $6B (end-2024), ln 3 = 1.10 a year"), "capital"),
    _num("base_revenue_growth", "1/year", math.log(3.0), -5.0, 5.0,
         "The lab's revenue growth (continuous) going into the base year",
         cite("openai-cfo-2026", "annualised revenue $2B (end-2023) to $6B (end-2024): ln 3"),
         "capital"),
    _num("financing_growth_cap", "", 2.0, 0.0, 10.0,
         "Most that growth can raise financing above what the revenue multiple gives",
         cite("assumption", "twice: financing scales with (1 + g) / (1 + g_ref), valuations "
              "rising about linearly with growth, up to twice as much"), "capital"),
    _choice("terminal_model", ("gordon", "none"),
            "Value beyond the horizon: the last step's free cash flow growing at terminal_growth "
            "for ever, discounted (gordon), or none",
            cite("damodaran-2025", "stable growth no higher than the risk-free rate"),
            "finance"),
    _num("terminal_growth", "", 0.03, -0.5, 0.5,
         "Annual growth of free cash flow after the horizon (must be below discount_rate)",
         cite("damodaran-2025", "stable growth at or below the risk-free rate (4.25%); 3%, "
              "about long-run nominal world growth less a margin"), "finance"),
)
register(*FINANCE)
