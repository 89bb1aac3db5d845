"""The projection's rows: each declared once here (name, unit, meaning, source), with the means
of giving it first-step and later-step expressions; the expressions live in the block modules
(fleet_rows, progress_rows, market_rows, finance_rows, research_rows: each imports the one before,
so importing the last declares them all in evaluation order).

A row's later-step expression may use inputs, `prev(row)` (any row's previous value) and rows
declared before it; its first-step expression may use inputs and earlier rows' first-step values.
Rows whose name is a fleet-year output reuse that output's equation
(model.core.equations.EQUATIONS), with the fleet-year inputs that now vary over time (fleet_gpus,
share_<use>, gpu_capex) read as this step's rows. model.loop.projection checks units and compiles.
"""

from __future__ import annotations

import sympy
from sympy import Eq

from model.core import economy_inputs  # noqa: F401 - the closed loop's inputs, registered
from model.core.catalogue import CATALOGUE, Quantity, register, sym
from model.core.equations import EQUATIONS
from model.core.fleet_inputs import USES
from model.core.loop_inputs import MILESTONES
from model.core.sources import cite

INIT_RAW: dict[str, sympy.Expr] = {}
STEP_RAW: dict[str, sympy.Expr] = {}
s = sym
_EPOCH = cite("epoch-costs", "amortised hardware cost")

# New rows: name, unit, description, source ('' = derived). Declared first so that any row may
# use any other's previous value. Rows named like fleet-year outputs are catalogued already.
_NEW_ROWS = (
    ("year", "year", "Calendar year at the start of the step", ""),
    ("elapsed_years", "year", "Years since the first step", ""),
    ("hardware_price", "USD/GPU", "Cluster capex of one new H100-equivalent", ""),
    ("world_gpus", "GPU", "World stock of AI accelerators (H100e) at the start of the step: "
     "logistic growth from the anchor towards the ceiling",
     cite("epoch-chips", "6.53M H100e at end-2024, growing 3.3x a year")),
    ("world_gpu_production", "GPU", "World accelerator production during the step: the stock's "
     "growth plus replacement of retired accelerators (1/life a year)", ""),
    ("gpus_purchasable", "GPU", "GPUs the lab can buy this step: its share of world "
     "production", ""),
    ("gpus_retired", "GPU", "GPUs retired during the step (the fleet decays at 1/life a year)",
     cite("epoch-costs", "5-year server lives")),
    ("researchers", "", "Human research staff relative to the first step", ""),
    ("earlier_progress_drive", "1/year", "The previous step's drive of software progress "
     "(with this step's, the trend the next step extrapolates)", ""),
    ("software_efficiency", "", "Orders of magnitude (log10) by which algorithms have cut the "
     "compute needed for a given capability since the first step", ""),
    *((f"milestone_multiplier_{m}", "", f"Multiplier at milestone {m.upper()} on the chosen "
       "path", "") for m in MILESTONES),
    ("ai_rd_multiplier", "", "Headline AI R&D progress multiplier: base_multiplier times a path "
     "log-linear in software efficiency between milestone thresholds, flat beyond the last",
     cite("ai2027-takeoff", "5x, 25x, 250x, 2000x")),
    *((f"scheduled_share_{u}", "", f"AI 2027 schedule's share for {u} in this step's period "
       "(unnormalised)", cite("ai2027-compute", "leading lab's compute by use")) for u in USES),
    ("scheduled_share_total", "", "Sum of the scheduled shares (the table rounds to 99-100%)",
     ""),
    ("serving_cost", "USD/Mtoken", "What a competitor pays to serve a million tokens: GPUs "
     "rented at the market rent, at full utilisation (the competition floor's base)", ""),
    ("token_price_market", "USD/Mtoken", "Price per million tokens for the capability served at "
     "the first step, at the start of the step: falls at token_price_decline from token_price",
     cite("a16z-llmflation", "10x a year")),
    ("token_price_start", "USD/Mtoken", "The lab's own price per million tokens at the start "
     "of the step: the market's, raised 10^(capability_price_elasticity x software "
     "efficiency)", ""),
    ("token_price_mean", "USD/Mtoken", "The step's average of the lab's own price, moving "
     "exponentially from token_price_start by token_price_growth e-folds (before the floor)",
     ""),
    ("token_price_floor", "USD/Mtoken", "The competition's floor: serving cost plus the "
     "competitive markup, below which competitors would undercut", ""),
    ("token_price_growth", "", "Growth of the lab's own price over the step, in e-folds: the "
     "market's decline plus the capability premium's rise, software efficiency keeping its "
     "last step's pace (the historical pace at first) up to the ceiling", ""),
    ("log_price_index", "", "Natural log of the lab's token price over the first step's", ""),
    ("initial_inference_gpus", "GPU", "Inference GPUs at the first step: the base of "
     "inference demand", ""),
    ("log_inference_demand", "", "Natural log of tokens demanded over the first step's "
     "(users, tokens per task, capability, and price^-elasticity)", ""),
    ("inference_demand_share", "", "Inference demand as a share of the fleet (at most 1)", ""),
    ("token_capacity", "token/year", "Tokens the inference GPUs could serve in a year (the "
     "fleet-year tokens_served: capacity, all of it sold)", cite("kaplan", "2N FLOP per token")),
    ("compute_cost", "USD/year", "Cost of the fleet's compute, all uses (sum of budget_<use>: "
     "rent, or depreciation + energy when owned)", ""),
    ("depreciation", "USD/year", "Straight-line depreciation of the owned fleet (at this "
     "step's replacement price; 0 when rented)", _EPOCH),
    ("operating_cash_flow", "USD/year", "Inference revenue less cash compute cost (rent, or "
     "energy when owned): the cash the fleet's operations bring in", ""),
    ("external_investment", "USD/year", "Open loop (capital_limit=investment-rate): external "
     "investment at a rate on the initial fleet's value", ""),
    ("capital_available", "USD/year", "What the lab can spend on new GPUs at the step's start: "
     "external financing plus reinvested operating cash (or, in the open loop, investment plus "
     "reinvested revenue)", ""),
    ("gpus_affordable", "GPU", "GPUs the available capital buys during the step, at the "
     "step's mid-point hardware price", ""),
    ("gpus_purchased", "GPU", "GPUs bought during the step: what capital affords, at most what "
     "the supply allows (in service from the next step)", ""),
    ("capex", "USD/year", "Spend on new GPUs (bought when owned; when rented it adds GPUs whose "
     "rent enters compute_cost)", ""),
    ("unspent_capex", "USD/year", "Capital available but not spent because the chips were not "
     "there to buy", ""),
    ("binding_constraint", "", "What limits the lab this step: 3 demand (serving capacity "
     "idles), 1 chip supply, 2 capital, 0 none (open loop)", ""),
    ("free_cash_flow", "USD/year", "Inference revenue less cash compute cost (rent, or energy "
     "when owned) less capex when owned", ""),
    ("cumulative_cash", "USD", "Cumulative free cash flow, after buying the initial fleet when "
     "owned", ""),
    ("discount_factor", "", "Discount factor at the start of the step", ""),
    ("npv_to_date", "USD", "Net present value of free cash flow so far (initial fleet outlay "
     "included when owned)", ""),
    ("payback_year", "year", "First year whose cumulative cash is >= 0 (0 until then)", ""),
    ("research_compute_weight", "", "Weight of experiment compute in research's CES: 1 - "
     "research_labour_weight", ""),
    ("research_compute_reference", "FLOP/year", "Research compute at the first step", ""),
    ("research_compute_index", "", "Experiment compute relative to the first step (1 if there "
     "was none)", ""),
    ("research_output_no_ai", "", "Research output without AI speed-up (CES of labour and "
     "compute)", cite("aifm-2025", "CES of cognitive labour and experiment compute")),
    ("research_output", "", "Research output: the multiplier scales all of research, or "
     "cognitive labour only", ""),
    ("research_speedup", "", "Effective speed-up: software-progress rate over the no-AI rate "
     "(= (research_output / research_output_no_ai)^lambda)", ""),
    ("software_headroom", "", "Share of the way from the first step's software efficiency to "
     "the ceiling still to go (the FTM's penalty factor; 1 without a ceiling)",
     cite("davidson-ftm", "penalty log(U/S) / log(U/S0)")),
    ("software_progress_drive", "1/year", "Growth rate software efficiency would have without "
     "the ceiling's penalty (e-folds a year): the no-AI rate, research output and ideas "
     "getting harder", ""),
    ("software_progress_rate", "1/year", "Growth rate of software efficiency (e-folds a year), "
     "after the ceiling's penalty", cite("ho2024", "no-AI rate ln 2 / 8 months")),
    ("capability", "", "Effective compute (the fleet's peak compute x software efficiency), OOMs "
     "over the first step", ""),
)
register(*(Quantity(n, u, "output", d, src or "Derived (projection step)", group="projection")
           for n, u, d, src in _NEW_ROWS))


def row(name: str, step, initial=None) -> sympy.Symbol:
    """Set row `name`'s later-step and first-step expressions; return its symbol."""
    if name not in CATALOGUE or name in STEP_RAW:
        raise ValueError(f"row {name} is not declared, or declared twice")
    STEP_RAW[name] = sympy.sympify(step)
    INIT_RAW[name] = sympy.sympify(step if initial is None else initial)
    return sym(name)


def reuse(name: str) -> sympy.Symbol:
    """A row whose expression is the fleet-year equation of the same name."""
    return row(name, EQUATIONS[name])


def choose(name: str, index: int):
    """The condition `choice input `name` is its option number `index``."""
    return Eq(s(name), index)


def on(name: str):
    """The condition `choice `name` is its first option` (every closed-loop switch's 'on')."""
    return choose(name, 0)




def missing() -> list[str]:
    """Declared rows that no block module has given expressions (must be none)."""
    return [n for n, *_ in _NEW_ROWS if n not in STEP_RAW]
