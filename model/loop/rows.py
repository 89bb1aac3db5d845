"""The projection's rows: each declared once here (name, unit, meaning, source), with the means
of giving it first-step and later-step expressions; the expressions live in the block modules
(fleet_rows, progress_rows, market_rows, finance_rows, research_rows, band_rows: each imports the
one before, so importing the last declares them all in evaluation order).

A row's later-step expression may use inputs, `prev(row)` (any row's previous value) and rows
declared before it; its first-step expression may use inputs and earlier rows' first-step values.
Rows whose name is a fleet-year output reuse that output's equation
(model.core.equations.EQUATIONS), with the fleet-year inputs that now vary over time (fleet_gpus,
share_<use>, gpu_capex) read as this step's rows. model.loop.projection checks units and compiles.
"""

from __future__ import annotations

import sympy
from sympy import Eq

from model.core import finance_inputs  # noqa: F401 - every input of the loop, registered
from model.core.catalogue import CATALOGUE, Quantity, register, sym
from model.core.equations import EQUATIONS
from model.core.fleet_inputs import USES
from model.core.loop_inputs import MILESTONES
from model.core.sources import cite

from .coupling import alone, coupled

INIT_RAW: dict[str, sympy.Expr] = {}
STEP_RAW: dict[str, sympy.Expr] = {}
# The market's forms of the rows that read a coupling input (model.loop.coupling): (first-step,
# later-step). STEP_RAW and INIT_RAW hold every row for a lab alone.
COUPLED_RAW: dict[str, tuple[sympy.Expr, sympy.Expr]] = {}
s = sym
_EPOCH = cite("epoch-costs", "amortised hardware cost")
# binding_constraint's codes 0..3, in words (the CLI table, the page and the workbook say these);
# here, not in finance_rows, so that formatting a number does not build the projection's rows.
BINDING_CONSTRAINTS = ("none", "chip supply", "capital", "customers")

# New rows: name, unit, description, source ('' = derived). Declared first so that any row may
# use any other's previous value. Rows named like fleet-year outputs are catalogued already.
_NEW_ROWS = (
    # --- time, prices and chips (fleet_rows) ---
    ("year", "year", "Calendar year at the start of the step", ""),
    ("step_length", "year", "Length of the step: the base year is one year at every step "
     "length (its figures are the observed year's), later steps are step_years", ""),
    ("elapsed_years", "year", "Years since the start of the base year", ""),
    ("mid_step_years", "year", "Years from the middle of the base year to the middle of the "
     "step: where the step's prices and rates are read", ""),
    ("hardware_price", "USD/GPU", "Cluster capex of one new H100-equivalent", ""),
    ("world_gpus", "GPU", "World stock of AI accelerators (H100e) at the end of the step: "
     "logistic growth from the anchor towards the ceiling",
     cite("epoch-chips", "6.53M H100e at end-2024, growing 3.3x a year")),
    ("world_gpu_production", "GPU", "World accelerator production during the step: the stock's "
     "growth plus replacement of what retires from it (1/life a year of the stock as it stands "
     "through the step: the logistic's integral)", ""),
    ("gpus_purchasable", "GPU", "GPUs the lab can add this step: its share of world "
     "production", ""),
    ("serving_cost", "USD/Mtoken", "What a competitor pays to serve a million tokens: GPUs "
     "rented at the market rent, at full utilisation (the competition floor's base)", ""),
    ("external_investment", "USD/year", "Open loop (capital_limit=investment-rate): external "
     "investment at a rate on the initial fleet's value", ""),
    ("multiple_base_revenue", "USD/year", "The base year's revenue, held through the "
     "projection: the scale at which investors paid revenue_multiple", ""),
    ("financing_multiple", "", "Revenue multiple investors pay this step: revenue_multiple "
     "compressed by the lab's growth in scale since the base year (trailing revenue over the "
     "base year's, to the power -multiple_scale_elasticity), never above revenue_multiple nor "
     "below revenue_multiple_floor", cite("multiples-scale", "multiples fall with revenue")),
    ("financing_raised", "USD/year", "External financing the lab raises: what investors offer "
     "(external_financing) times the share the one capital market lets it raise "
     "(financing_share; all of it for a lab alone)", ""),
    ("capital_available", "USD/year", "New money for compute this step, from the last step's "
     "figures: external financing raised plus reinvested cash (an owner's operating cash, a "
     "renter's revenue); in the open loop, investment plus reinvested revenue", ""),
    ("financing_trend", "1/year", "Growth of money raised on revenue through the step: the "
     "capital's growth from the last step's start to this one's (at the first step, the "
     "revenue's growth less the multiple's compression), clamped to tenfold a year either way "
     "(0 for a parent's budget)", ""),
    ("gpus_retired", "GPU", "GPUs retired (contracts ended) during the step: the stock decays "
     "at 1/life a year, and so do the step's additions from the day they arrive (none in the "
     "base year, whose fleet is observed)",
     cite("epoch-costs", "5-year server lives")),
    ("gpus_rentable", "GPU", "A renter's target stock: the GPUs whose rent a year's capital "
     "at the step's middle pays (0 for an owner)", ""),
    ("gpus_affordable", "GPU", "GPUs the lab can pay for this step: an owner, what the step's "
     "capital buys; a renter, gpus_rentable less the GPUs it keeps", ""),
    ("gpus_bid", "GPU", "GPUs the lab bids for in a market of labs' chip supply this step: "
     "an owner, its gpus_affordable; a renter, chip_shortage times what it brings into "
     "service within the step, closing its gap to gpus_rentable (moving linearly through the "
     "step) at deployment_lead_time x chip_shortage, at most its gpus_affordable", ""),
    ("gpus_purchased", "GPU", "GPUs added during the step (bought, or rented): what the lab "
     "can pay for, at most what the chip supply allows (none in the base year)", ""),
    ("fleet_stock", "GPU", "GPUs in the fleet at the end of the step", ""),
    # --- progress at the start of the step (progress_rows) ---
    ("researchers", "", "Research staff relative to the frontier's in its reference year, at "
     "the step's middle (grows at researcher_growth)", ""),
    ("ideas_harder_exponent", "", "Exponent beta by which research productivity falls as "
     "software efficiency rises (per OOM): lambda / r, so that research inputs growing as the "
     "frontier's keep the historical rate", cite("davidson-houlden-2025", "returns r")),
    ("frontier_software", "", "The frontier's software efficiency at the start of the step "
     "(OOMs above its reference-year level): the historical rate, under the ceiling",
     cite("ho2024", "compute for a given performance halves every ~8 months")),
    ("diffused_frontier_gap", "", "In a market of labs, how far the labs' best software "
     "stood from the exogenous frontier path diffusion_lag years ago, as diffusion brings it "
     "to the lab (OOMs): frontier_gap followed with a first-order lag of mean diffusion_lag, "
     "which is exactly diffusion_lag behind a frontier moving steadily (0 for a lab alone, "
     "whose frontier is the exogenous path)", cite("epoch-open-models", "open models lag "
                                                    "about a year")),
    ("diffusion_floor", "", "The frontier's software efficiency diffusion_lag years ago: a "
     "lab never trails further (in a market, the labs' own frontier's: the exogenous path's "
     "then plus diffused_frontier_gap)", cite("epoch-open-models", "open models lag about a "
                                              "year")),
    ("software_efficiency", "", "Orders of magnitude (log10) by which algorithms have cut the "
     "compute needed for a given capability, above the frontier's reference-year level: the "
     "lab's own progress, at least the diffusion floor", ""),
    ("mid_step_software", "", "The lab's software efficiency predicted at the step's middle "
     "(its last drive growing on at its last rate), where the drive and the AI R&D multiplier "
     "are read (the base year: half a year on at the frontier's pace)", ""),
    ("ideas_reference_software", "", "The frontier's software efficiency at the middle of its "
     "reference year, where its reference research inputs (a year's) were measured and it "
     "progresses at the historical rate: ideas get harder above it (OOMs)", ""),
    ("capability_gap", "", "The lab's software efficiency less the frontier's (OOMs; negative: "
     "behind)", ""),
    ("frontier_gap", "", "In a market of labs, the labs' best capability_gap at the step's "
     "start, the lab's own or its best rival's (OOMs against the exogenous frontier path; 0 "
     "for a lab alone)", ""),
    *((f"milestone_multiplier_{m}", "", f"Multiplier at milestone {m.upper()} on the chosen "
       "path", "") for m in MILESTONES),
    ("ai_rd_multiplier", "", "Headline AI R&D progress multiplier: base_multiplier times a path "
     "log-linear in software efficiency (at the step's middle) between milestone thresholds, "
     "flat beyond the last",
     cite("ai2027-takeoff", "5x, 25x, 250x, 2000x")),
    ("capability", "", "Effective compute (the fleet's peak compute x software efficiency), OOMs "
     "over the first step", ""),
    # --- customers and the split (market_rows) ---
    ("token_price_market", "USD/Mtoken", "The lab's price per million tokens at its base-year "
     "distance from the frontier, at the start of the step, falling at the frontier's rate from "
     "the base year's start, where it is set so the base year averages the observed price",
     cite("genai-prices", "flagship list prices")),
    ("token_price_start", "USD/Mtoken", "The lab's own price per million tokens at the start "
     "of the step: the market's, times 10^(capability_price_elasticity x the change in its "
     "capability gap since the base year)", ""),
    ("token_price_mean", "USD/Mtoken", "The step's average of the lab's own price, moving "
     "exponentially from token_price_start by token_price_growth e-folds (before the floor)",
     ""),
    ("floor_discount", "", "The base year's price over the competition's floor, at most 1: a "
     "lab that sold below the floor (under cost, to win customers) keeps that discount", ""),
    ("token_price_floor", "USD/Mtoken", "The competition's floor: serving cost plus the "
     "competitive markup, below which competitors would undercut (times floor_discount)", ""),
    ("token_price_growth", "", "Growth of the lab's own price over the step, in e-folds: the "
     "frontier's decline plus the change in its capability gap, its software advancing at its "
     "last step's pace and the frontier at the historical rate (0 in the base year)", ""),
    ("token_price_competitive", "USD/Mtoken", "The lab's price per million tokens where "
     "customers want no more than it serves: the frontier-relative price, at least the floor, "
     "at most token_value_cap", ""),
    ("log_price_index", "", "Natural log of the lab's competitive token price over the first "
     "step's", ""),
    ("initial_inference_gpus", "GPU", "Inference GPUs at the first step: the base of "
     "inference demand", ""),
    ("log_own_demand", "", "Natural log of the tokens the lab's own demand curve asks for "
     "over the first step's (users, tokens per task, capability, and price^-elasticity)", ""),
    ("demand_base_tokens", "token/year", "Tokens a year the lab served in the base year: the "
     "level its demand curve moves from", ""),
    ("own_tokens_demanded", "token/year", "Tokens a year the lab's own demand curve asks for "
     "(a lab alone: its customers)", ""),
    ("customer_odds", "token/year", "The lab's weight in customers' choice between labs: its "
     "own demand at the step times e^(quality_sensitivity x the OOMs of software efficiency it "
     "has gained since the base year) (a lab alone: no choice to make)", ""),
    ("customer_share_factor", "", "The lab's customers in a market of labs over those its own "
     "demand curve gives it: its logit share of the labs' summed demand, plus what spills to "
     "it, over its own demand (1: a lab alone)", ""),
    ("log_inference_demand", "", "Natural log of tokens demanded from the lab over the first "
     "step's: its own demand curve, times its customer_share_factor in a market of labs", ""),
    ("world_gdp", "USD/year", "World output through the step: world_gdp_base_year grown at "
     "world_gdp_growth from the middle of the base year to the middle of the step", ""),
    ("inference_demand_share", "", "Inference demand as a share of the fleet (at most 1)", ""),
    *((f"base_share_{u}", "", f"The base year's (observed) share of the fleet for {u}", "")
      for u in USES),
    *((f"scheduled_share_{u}", "", f"AI 2027 schedule's share for {u} in this step's period "
       "(unnormalised)", cite("ai2027-compute", "leading lab's compute by use")) for u in USES),
    ("scheduled_share_total", "", "Sum of the scheduled shares (the table rounds to 99-100%)",
     ""),
    *((f"base_scheduled_share_{u}", "", f"AI 2027 schedule's normalised share for {u} in the "
       "base year: the schedule moves a lab's split by its changes from here", "")
      for u in USES),
    *((f"scheduled_target_{u}", "", f"The lab's base-year share for {u} moved by the schedule's "
       "change since the base year: a rise by its points, a fall in proportion (before "
       "normalising)", "") for u in USES),
    ("scheduled_target_total", "", "Sum of the scheduled targets", ""),
    *((f"target_share_{u}", "", f"Share of the fleet the allocation policy aims at for {u}: "
       "fixed at the base year's, the schedule's changes, demand first, or the optimiser's "
       "path", "") for u in USES),
    ("split_adjustment", "", "How far the split moves towards the policy's targets this step "
     "(1 = all the way): no share moves more than split_adjustment_rate a year", ""),
    ("token_capacity", "token/year", "Tokens the inference GPUs could serve in a year (the "
     "fleet-year tokens_served: capacity, all of it sold)", cite("kaplan", "2N FLOP per token")),
    ("compute_cost", "USD/year", "Cost of the fleet's compute, all uses (sum of budget_<use>: "
     "rent, or depreciation + energy when owned)", ""),
    ("depreciation", "USD/year", "Straight-line depreciation of the owned fleet (at this "
     "step's replacement price; 0 when rented)", _EPOCH),
    # --- money at the end of the step (finance_rows) ---
    ("operating_cash_flow", "USD/year", "Inference revenue less cash compute cost (rent, or "
     "energy when owned): the cash the fleet's operations bring in", ""),
    ("revenue_growth_step", "1/year", "Revenue growth (continuous) over the step: the log of "
     "its revenue over the last step's, per year between their middles, within tenfold a year "
     "either way (the base year's own growth at first)", ""),
    ("revenue_growth", "1/year", "Revenue growth (continuous) as investors see it: "
     "revenue_growth_step averaged over a year (exponentially), through the step as the last "
     "two steps' growth runs on", ""),
    ("trailing_revenue", "USD/year", "Revenue over the year ending at the step's end (the "
     "base year's own revenue at first), as funding rounds price it", ""),
    ("capex", "USD/year", "Spend on buying GPUs (owners; a renter pays rent instead, in "
     "compute_cost)", ""),
    ("unspent_capex", "USD/year", "Money the lab could have spent on compute but did not, "
     "because the chips were not there", ""),
    ("binding_constraint", "", "What limits the lab this step: 3 demand (serving capacity "
     "idles), 1 chip supply, 2 capital, 0 none (open loop)", ""),
    ("free_cash_flow", "USD/year", "Inference revenue less cash compute cost (rent, or energy "
     "when owned) less capex", ""),
    ("cumulative_cash", "USD", "Cumulative free cash flow, after buying the initial fleet when "
     "owned", ""),
    ("discount_factor", "", "Discount factor at the middle of the step", ""),
    ("npv_to_date", "USD", "Net present value of free cash flow so far (initial fleet outlay "
     "included when owned)", ""),
    ("trailing_free_cash_flow", "USD/year", "Free cash flow over the last year (its "
     "exponential average), the base of the terminal value", ""),
    ("terminal_value", "USD", "Present value of the last year's free cash flow growing at "
     "terminal_growth for ever after the step (Gordon), were the horizon to end here",
     cite("damodaran-2025", "stable growth")),
    ("npv", "USD", "Net present value: free cash flow so far plus the terminal value", ""),
    ("payback_year", "year", "First year whose cumulative cash is >= 0 (0 until then)", ""),
    # --- research at the end of the step (research_rows) ---
    ("research_compute_weight", "", "Weight of experiment compute in research's CES: 1 - "
     "research_labour_weight", ""),
    ("research_compute_index", "", "Experiment compute relative to the frontier's in its "
     "reference year", ""),
    ("research_output_no_ai", "", "Research output without AI speed-up (CES of labour and "
     "compute, 1 for the frontier's inputs in its reference year)",
     cite("aifm-2025", "CES of cognitive labour and experiment compute")),
    ("research_output", "", "Research output: the multiplier scales all of research, or "
     "cognitive labour only", ""),
    ("research_speedup", "", "Effective speed-up: software-progress rate over the no-AI rate "
     "(the multiplier over all of research; (research_output / research_output_no_ai)^lambda "
     "over labour only)", ""),
    ("software_headroom", "", "Share of the way from the frontier's reference-year software "
     "efficiency to the ceiling still to go (the FTM's penalty factor; 1 without a ceiling)",
     cite("davidson-ftm", "penalty log(U/S) / log(U/S0)")),
    ("software_progress_drive", "1/year", "Growth rate software efficiency would have without "
     "the ceiling's penalty (e-folds a year), at the step's middle: the historical rate times "
     "research output over the frontier's reference-year output, slowed as ideas get harder",
     ""),
    ("software_progress_rate", "1/year", "Growth rate of software efficiency (e-folds a year), "
     "after the ceiling's penalty, at the step's middle",
     cite("ho2024", "no-AI rate ln 2 / 8 months")),
    ("progress_drive_growth", "1/year", "Growth rate of the drive between steps' middles "
     "(continuous; 0 in the base year), averaged exponentially over about a quarter: the rate "
     "at which the next steps extrapolate it", ""),
    # --- checks against the world (band_rows) ---
    ("token_price_band_min", "USD/Mtoken", "Low end of the sourced band of prices per million "
     "tokens at the step's middle: the cheapest listed token, falling at the fastest sourced "
     "decline (a check on token_price, not an input of it)", cite("genai-prices", "list prices")),
    ("token_price_band_max", "USD/Mtoken", "High end of the sourced band of prices per million "
     "tokens at the step's middle: the dearest listed token, falling at the slowest sourced "
     "decline (a check on token_price, not an input of it)", cite("genai-prices", "list prices")),
)
register(*(Quantity(n, u, "output", d, src or "Derived (projection step)", group="projection")
           for n, u, d, src in _NEW_ROWS))


def row(name: str, step, initial=None) -> sympy.Symbol:
    """Set row `name`'s later-step and first-step expressions; return its symbol. An
    expression may read the market's coupling inputs; the lab alone gets their defaults."""
    if name not in CATALOGUE or name in STEP_RAW:
        raise ValueError(f"row {name} is not declared, or declared twice")
    later = sympy.sympify(step)
    first = sympy.sympify(step if initial is None else initial)
    if coupled(later) or coupled(first):
        COUPLED_RAW[name] = (first, later)
    STEP_RAW[name] = alone(later)
    INIT_RAW[name] = alone(first)
    return sym(name)


def reuse(name: str) -> sympy.Symbol:
    """A row whose expression is the fleet-year equation of the same name."""
    return row(name, EQUATIONS[name])


def growth_mean(x):
    """The mean of e^(x u) over u from 0 to 1: a step's mean of a path growing x e-folds over
    it, over its start's; the series where (e^x - 1) / x loses digits."""
    return sympy.Piecewise((1 + x / 2, abs(x) < 1e-6), ((sympy.exp(x) - 1) / x, True))


def choose(name: str, index: int):
    """The condition `choice input `name` is its option number `index``."""
    return Eq(s(name), index)


def on(name: str):
    """The condition `choice `name` is its first option` (every closed-loop switch's 'on')."""
    return choose(name, 0)




def missing() -> list[str]:
    """Declared rows that no block module has given expressions (must be none)."""
    return [n for n, *_ in _NEW_ROWS if n not in STEP_RAW]
