"""The market's coupling inputs: per-step paths through which a market of labs (model.market)
feeds each lab's projection what the other labs do to it.

A lab alone never sees them: every row is written with them, and the single-lab projection
(STEP_RAW, INIT_RAW, the workbook, the docs) is those rows with each coupling input replaced by
its default, which gives back exactly the expressions the rows had before the market existed.
The market's program (model.loop.projection.program(..., coupled=True)) keeps them free.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

import numpy as np
import sympy

from model.core import finance_inputs  # noqa: F401 - the inputs DEFAULTS names, registered
from model.core.catalogue import Quantity, register, sym

# No reference key: like a projection row, the value is derived (by the market), not cited,
# so the workbooks' bibliography does not list these unused-alone inputs.
_WHY = "Set by the market of labs (model.market.engine); 1 for a lab alone"
_WHY0 = "Set by the market of labs (model.market.engine); 0 for a lab alone"
# rival_capability_gap of a lab with no rival: below any gap a lab can have (OOMs), so that a
# row may tell a market from a lab alone by it
NO_RIVAL = -100
register(
    Quantity("market_supply_share", "", "path", "Share of world accelerator production the "
             "chip market lets the lab buy this step (a lab alone: lab_supply_share)",
             "Set by the market of labs (model.market.engine); lab_supply_share for a lab "
             "alone", default=0.0, min=0.0, max=1.0,
             group="market"),
    Quantity("chip_price_change", "", "path", "Change of the chip price index over the step: "
             "this step's index over the last one's; it multiplies the rent and the hardware "
             "price (1: the world's price path)", _WHY, default=1.0, min=0.0, max=1e6,
             group="market"),
    Quantity("chip_shortage", "", "path", "How many times the chip supply the market's labs "
             "bid for this step (at least 1): each gets 1 / this of its bid, so a renter brings "
             "GPUs into service at its deployment_lead_time times this (1: no shortage)", _WHY,
             default=1.0, min=1.0, max=1e6, group="market"),
    Quantity("rival_odds", "token/year", "path", "The other labs' summed weight in the "
             "customers' choice (each its customer_odds): the lab's logit share of customers "
             "is its odds over its odds plus these (0: a lab alone)", _WHY0, default=0.0,
             min=0.0, max=1e40, group="market"),
    Quantity("rival_demand", "token/year", "path", "Tokens a year the other labs' own demand "
             "curves ask for: with the lab's own, the market the logit divides (0: a lab "
             "alone)", _WHY0, default=0.0, min=0.0, max=1e40, group="market"),
    Quantity("spilled_demand", "token/year", "path", "Tokens a year the market sends the lab "
             "beyond its logit share because a chosen lab had no capacity for them (negative: "
             "what it had no capacity for and others took; 0: a lab alone)", _WHY0,
             default=0.0, min=-1e40, max=1e40, group="market"),
    Quantity("financing_share", "", "path", "Share of what investors offer the lab "
             "(external_financing) that the one capital market lets it raise this step: the "
             "market's capital pool over the labs' summed offers, at most 1 (1: a lab alone)",
             _WHY, default=1.0, min=0.0, max=1.0, group="market"),
    Quantity("rival_capability_gap", "", "path", "The best of the other labs' capability_gap "
             "at the step's start (OOMs against the exogenous frontier path): the market's "
             f"frontier is the lab's own gap or this, whichever is higher ({NO_RIVAL}: a lab "
             "alone, whose frontier is the exogenous path)",
             f"Set by the market of labs (model.market.engine); {NO_RIVAL} for a lab alone",
             default=float(NO_RIVAL), min=float(NO_RIVAL), max=100.0, group="market"),
    Quantity("base_frontier_gap", "", "path", "The market's frontier in its base year: the "
             "highest of the labs' capability_gap there (OOMs; 0 for a lab alone)", _WHY0,
             default=0.0, min=-100.0, max=100.0, group="market"),
    Quantity("quality_sensitivity", "", "path", "Log-odds of a customer choosing a lab per "
             "OOM of software efficiency it gains on the others (constant over the steps; "
             "for a lab alone, and by default, ln 10 x demand_price_elasticity x "
             "capability_price_elasticity: what an OOM gained on the frontier does to its "
             "demand)", "Derived; the market may set it (model.market.parameters."
             "QUALITY_SENSITIVITY gives its interval)", default=0.0, min=0.0, max=100.0,
             group="market"),
)

# Coupling input -> what it is for a lab alone.
DEFAULTS: dict[str, sympy.Expr] = {
    "market_supply_share": sym("lab_supply_share"),
    "chip_price_change": sympy.Integer(1),
    "chip_shortage": sympy.Integer(1),
    "rival_odds": sympy.Integer(0),
    "rival_demand": sympy.Integer(0),
    "spilled_demand": sympy.Integer(0),
    "financing_share": sympy.Integer(1),
    "rival_capability_gap": sympy.Integer(NO_RIVAL),
    "base_frontier_gap": sympy.Integer(0),
    "quality_sensitivity": (sympy.log(10) * sym("demand_price_elasticity")
                            * sym("capability_price_elasticity")),
}
COUPLING: tuple[str, ...] = tuple(DEFAULTS)
# Known at a step's start (the labs' software there), so fixed through a step's clearing once
# its first run has read them: the clearing computes what only these reach once a step.
SLOW_COUPLING: tuple[str, ...] = ("rival_capability_gap", "base_frontier_gap")
_MAPPING = {sym(n): v for n, v in DEFAULTS.items()}


def alone(expr: sympy.Expr) -> sympy.Expr:
    """`expr` for a lab alone: every coupling input at its default."""
    return expr.xreplace(_MAPPING) if expr.free_symbols & _MAPPING.keys() else expr


def coupled(expr: sympy.Expr) -> bool:
    """True when `expr` reads a coupling input."""
    return bool(expr.free_symbols & _MAPPING.keys())


def coupling_defaults(values: Mapping[str, float], n_steps: int) -> dict[str, np.ndarray]:
    """The coupling paths (n_steps, *shape) as a lab alone has them (DEFAULTS: an expression of
    inputs, or a number)."""
    out = {}
    for name, default in DEFAULTS.items():
        names = sorted(str(s) for s in default.free_symbols)
        value = np.asarray(_numeric(default)(*(values[n] for n in names)), dtype=float)
        out[name] = np.broadcast_to(value, (n_steps, *value.shape))
    return out


@cache
def _numeric(expr: sympy.Expr):
    """`expr` as a numpy function of its inputs, in name order."""
    names = sorted(expr.free_symbols, key=str)
    return sympy.lambdify(names, expr, modules="numpy")
