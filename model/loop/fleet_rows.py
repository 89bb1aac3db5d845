"""Projection rows of the fleet and the chips: time, hardware prices, the lab's fleet, the
world's accelerator stock and what the lab may buy of it, and the cost of a GPU-hour.
"""

from __future__ import annotations

from sympy import exp

from model.core.loop_inputs import prev

from .rows import reuse, row, s

year = row("year", prev("year") + s("step_years"), s("start_year"))
elapsed = row("elapsed_years", year - s("start_year"))
_decline = exp(-s("price_performance_growth") * s("step_years"))
gpu_capex = row("gpu_capex", prev("gpu_capex") * _decline, s("gpu_capex"))
# A rented H100e-hour gets cheaper as hardware does: the rental market tracks the chips.
row("gpu_rental_price", prev("gpu_rental_price")
    * exp(-s("rental_price_decline") * s("step_years")), s("gpu_rental_price"))
row("hardware_price", gpu_capex * s("cluster_capex_multiplier"))
fleet = row("fleet_gpus", prev("fleet_gpus") - prev("gpus_retired") + prev("gpus_purchased"),
            s("fleet_gpus"))
# Exponential decay, not fleet x dt / life, so the step length does not change the retirements.
row("gpus_retired", fleet * (1 - exp(-s("step_years") / s("depreciation_life"))))


def world_stock(when):
    """Logistic stock of accelerators in calendar year `when` (closed form: no step error)."""
    ceiling, anchor = s("world_gpus_ceiling"), s("world_gpus_anchor")
    return ceiling / (1 + (ceiling / anchor - 1)
                      * exp(-s("world_gpu_growth") * (when - s("world_anchor_year"))))


world = row("world_gpus", world_stock(year))
production = row("world_gpu_production", world_stock(year + s("step_years")) - world
                 + world * (1 - exp(-s("step_years") / s("depreciation_life"))))
row("gpus_purchasable", s("lab_supply_share") * production)

for name in ("capex_per_gpu_hour", "energy_per_gpu_hour", "owned_cost_per_gpu_hour",
             "cost_per_gpu_hour"):
    reuse(name)
reuse("tokens_per_gpu_year")
# What competitors pay to serve a million tokens: renting the GPUs at the market rent.
row("serving_cost", s("gpu_rental_price") * s("hours_per_year") * s("tokens_per_million")
    / s("tokens_per_gpu_year"))
