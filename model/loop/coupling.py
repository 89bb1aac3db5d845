"""The market's coupling inputs: per-step paths through which a market of labs (model.market)
feeds each lab's projection what the other labs do to it.

A lab alone never sees them: every row is written with them, and the single-lab projection
(STEP_RAW, INIT_RAW, the workbook, the docs) is those rows with each coupling input replaced by
its default, which gives back exactly the expressions the rows had before the market existed.
The market's program (model.loop.projection.program(..., coupled=True)) keeps them free.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import sympy

from model.core.catalogue import Quantity, register, sym

# No reference key: like a projection row, the value is derived (by the market), not cited,
# so the workbooks' bibliography does not list these unused-alone inputs.
_WHY = "Set by the market of labs (model.market.engine); 1 for a lab alone"
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
    Quantity("customer_share_factor", "", "path", "The lab's customers in a market of labs "
             "over those its own demand curve gives it: its logit share of the labs' summed "
             "demand over its own demand (1: a lab alone)", _WHY, default=1.0, min=0.0,
             max=1e12, group="market"),
)

# Coupling input -> what it is for a lab alone.
DEFAULTS: dict[str, sympy.Expr] = {
    "market_supply_share": sym("lab_supply_share"),
    "chip_price_change": sympy.Integer(1),
    "customer_share_factor": sympy.Integer(1),
}
COUPLING: tuple[str, ...] = tuple(DEFAULTS)
_MAPPING = {sym(n): v for n, v in DEFAULTS.items()}


def alone(expr: sympy.Expr) -> sympy.Expr:
    """`expr` for a lab alone: every coupling input at its default."""
    return expr.xreplace(_MAPPING) if expr.free_symbols & _MAPPING.keys() else expr


def coupled(expr: sympy.Expr) -> bool:
    """True when `expr` reads a coupling input."""
    return bool(expr.free_symbols & _MAPPING.keys())


def coupling_defaults(values: Mapping[str, float], n_steps: int) -> dict[str, np.ndarray]:
    """The coupling paths (n_steps, *shape) as a lab alone has them (DEFAULTS: an input's value
    or a number)."""
    out = {}
    for name, default in DEFAULTS.items():
        value = np.asarray(values[str(default)] if default.is_Symbol else float(default),
                           dtype=float)
        out[name] = np.broadcast_to(value, (n_steps, *value.shape))
    return out
