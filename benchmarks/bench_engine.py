"""Benchmark the projection engine against an independent hand-written NumPy implementation.

    python benchmarks/bench_engine.py --samples 100000 --years 30 --json

prints one JSON line: engine_s (model.loop.projection.run_arrays on Monte Carlo samples of the
`brakes` scenario, compiled beforehand), numpy_reference_s (the projection written again by hand
below from model.loop's row modules, vectorised the same way), ratio, max_rel_diff over KEEP at
every step (see max_rel_diff; tests/test_bench_reference.py checks every scenario and preset at
years and quarters), and naive_sympy_s (subs/evalf of every row on a few samples, scaled).
Steps are years (the base year, then years - 1 more) unless --step says quarter or month.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import math
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model.core.catalogue import CATALOGUE, sym  # noqa: E402
from model.loop import projection as proj  # noqa: E402
from model.loop.montecarlo import sample_inputs  # noqa: E402
from model.loop.rows import INIT_RAW  # noqa: E402
from model.loop.scenarios import scenario_settings  # noqa: E402

USES = ("training", "research", "automation", "inference", "other")
MS = ("sc", "sar", "siar", "asi")
KEEP = ("fleet_gpus", "fleet_stock", "world_gpus", "gpus_purchasable", "share_research",
        "share_inference", "researchers", "ai_rd_multiplier", "research_speedup",
        "software_efficiency", "software_headroom", "capability_gap", "capability",
        "token_price_market", "token_price", "inference_demand_share", "inference_revenue",
        "external_financing", "capital_available", "capex", "unspent_capex", "binding_constraint",
        "free_cash_flow", "cumulative_cash", "npv_to_date", "terminal_value", "npv",
        "payback_year")
# The closed loop's switches; the reference writes only their first option ("on").
SWITCHES = ("supply_limit", "capital_limit", "demand_model", "competition", "ceiling_model",
            "terminal_model", "pricing")
LN10 = math.log(10)
where, mini, maxi, exp, log = np.where, np.minimum, np.maximum, np.exp, np.log


def growth_mean(x):
    """The mean of e^(x u) over u from 0 to 1."""
    with np.errstate(all="ignore"):
        return where(np.abs(x) < 1e-6, 1 + x / 2, np.expm1(x) / x)


class _Lab:
    """One run's inputs `v`, choices and constants. step(p) gives a step's rows from the last
    step's `p` (None: the base year, a year long, its figures the inputs), block by block in
    the order of model.loop's row modules."""

    def __init__(self, values: dict):
        pol, path = int(values["allocation_policy"]), int(values["multiplier_path"])
        if pol == 3 or any(int(values[c]) != 0 for c in SWITCHES):
            raise NotImplementedError("reference: value-maximising or an open-loop switch")
        self.pol, self.owned, self.labour_only, self.parent = pol, *(int(values[c]) == 1 for c in (
            "cost_basis", "multiplier_scope", "financing_model"))
        # NumPy scalars, so that 0/0 is nan (picked away by where, as in the model), not an error
        self.v = v = SimpleNamespace(**{k: np.float64(x) if np.ndim(x) == 0 else x
                                        for k, x in values.items()})
        mults = [values[f"ai2027_multiplier_{m}"] if path == 1 else
                 values[f"summary_multiplier_{m}"] if path == 2 else 1.0 for m in MS]
        self.milestones = [(0.0, 1.0), *zip([values[f"milestone_{m}"] for m in MS], mults,
                                            strict=True)]  # (threshold OOMs, multiplier)
        self.hours, self.tpm, self.fy = v.hours_per_year, v.tokens_per_million, v.fleet_year
        self.energy = (v.gpu_power * v.power_overhead * v.pue * v.electricity_price
                       / v.watts_per_kilowatt)
        self.tokens = (v.gpu_peak_flops * v.util_inference * v.seconds_per_hour * self.hours
                       / (v.inference_flops_per_param_token * v.serving_active_params))
        self.historical = math.log(2) / v.software_halving_time
        self.beta = v.parallelisation_exponent / v.software_returns  # ideas getting harder
        self.spend = v.world_gdp_base_year * v.ai_spending_ceiling * v.lab_supply_share
        self.tenfold = LN10 / self.fy

    # --- paths in closed form ---------------------------------------------------------------
    def world(self, when):  # logistic world stock of accelerators (the anchor: its year's end)
        v = self.v
        return v.world_gpus_ceiling / (1 + (v.world_gpus_ceiling / v.world_gpus_anchor - 1) * exp(
            -v.world_gpu_growth * (when - v.world_anchor_year - self.fy)))

    def world_years(self, start, end):  # GPU-years of the logistic stock: its integral
        v = self.v
        k, g = v.world_gpus_ceiling / v.world_gpus_anchor - 1, v.world_gpu_growth
        t0, t1 = (when - v.world_anchor_year - self.fy for when in (start, end))
        return v.world_gpus_ceiling / g * log((exp(g * t1) + k) / (exp(g * t0) + k))

    def fall(self, drive, dt):  # factor by which the headroom to the ceiling falls over dt
        return exp(-drive * dt / (self.v.software_ceiling * LN10))

    def headroom(self, when):  # the frontier's: the historical rate from its reference year
        elapsed = when - self.v.frontier_reference_year  # (before it: a straight line back)
        return where(elapsed < 0,
                     1 - self.historical * elapsed / (self.v.software_ceiling * LN10),
                     self.fall(self.historical, np.maximum(elapsed, 0.0)))

    def frontier(self, when):  # the frontier's software efficiency (OOMs): U (1 - headroom)
        return self.v.software_ceiling * (1 - self.headroom(when))

    def premium(self, change):  # OOMs of price for a change in the gap since the base year
        return np.clip(self.v.capability_price_elasticity * change, -100, 100)

    # --- blocks, in the order of the rows ---------------------------------------------------
    def clock(self, p, r):
        """Time, hardware price and rent (read at mid-step), the chips, costs per GPU-hour."""
        v = self.v
        if p is None:
            r.year, r.dt, r.middle = v.start_year, self.fy, 0.0
            r.gpu_capex, r.rent = v.gpu_capex, v.gpu_rental_price
        else:
            r.since, r.dt, r.year = p.dt, v.step_years, p.year + p.dt
            r.between = (r.since + r.dt) / 2  # from the last step's middle to this one's
            r.middle = r.year - v.start_year + r.dt / 2 - self.fy / 2
            r.gpu_capex = p.gpu_capex * exp(-v.price_performance_growth * r.between)
            r.rent = p.rent * exp(-v.rental_price_decline * r.between)
        r.elapsed, r.hw = r.year - v.start_year, r.gpu_capex * v.cluster_capex_multiplier
        r.retire = 1 - exp(-r.dt / v.depreciation_life)
        r.kept_bought = v.depreciation_life / r.dt * r.retire  # of the step's buys, at its end
        now, r.world_gpus = self.world(r.year), self.world(r.year + r.dt)
        # replaces what retires from the stock as it stands through the step
        r.gpus_purchasable = v.lab_supply_share * (
            r.world_gpus - now + self.world_years(r.year, r.year + r.dt) / v.depreciation_life)
        r.capex_hr = r.hw / (v.depreciation_life * self.hours)
        r.cost_hr = r.capex_hr + self.energy if self.owned else r.rent
        r.tpgy = self.tokens * exp(v.serving_efficiency_growth * r.middle)
        r.serving_cost = r.rent * self.hours * self.tpm / r.tpgy

    def capital(self, p, r):
        """Financing (on last year's revenue and its growth, or a parent's) + reinvestment."""
        v = self.v
        if p is None:  # the base year's own figures
            revenue = v.fleet_gpus * v.share_inference * self.tokens * v.token_price / self.tpm
            costs = v.fleet_gpus * self.hours * (self.energy if self.owned else sum(
                getattr(v, f"share_{u}") for u in USES) * r.cost_hr)
            cash, trailing, growth = revenue - costs, revenue, v.base_revenue_growth
            r.base_revenue = revenue
        else:
            revenue, cash, trailing, growth = p.inference_revenue, p.ocf, p.trailing, p.growth
            r.base_revenue = p.base_revenue
        if not self.parent:  # valuations rise about linearly with growth, never below 0
            linear = (1 + growth * self.fy) / (1 + v.reference_revenue_growth * self.fy)
            factor = mini(v.financing_growth_cap, maxi(0.0, linear))
            # the base year's multiple, compressed as revenue grows past the base year's
            paid = v.revenue_multiple
            with np.errstate(divide="ignore", invalid="ignore"):
                scale = np.where(r.base_revenue == 0, 1.0, trailing / r.base_revenue)
            multiple = mini(paid, maxi(v.revenue_multiple_floor,
                                       paid * scale ** -v.multiple_scale_elasticity))
            r.external_financing = v.raise_rate * multiple * self.fy * trailing * factor
        else:  # grows for financing_growth_years from the base year's start, flat after
            y, e = v.financing_growth_years, r.elapsed
            r.external_financing = v.external_financing if p is None else (
                p.external_financing * exp(v.financing_growth * (
                    mini(e, y) - mini(maxi(0.0, e - r.since), y))))
        r.capital_available = r.external_financing + v.reinvestment_rate * (
            maxi(0.0, cash) if self.owned else revenue)

    def fleet(self, p, r):
        """Retirements, the GPUs the capital pays for within the chip supply, the fleet."""
        v = self.v
        if p is None:
            kept, mean, growth = v.fleet_gpus, 1.0, 1.0
        else:
            kept = p.fleet_stock * (1 - r.retire)
            # money raised on revenue grows through the step at the capital's own growth since
            # the last step's start (the first step: the revenue's, less the multiple's fall)
            if r.elapsed - r.since < 1e-9 * self.fy:
                trend = p.growth * (1 - v.multiple_scale_elasticity)
            else:
                with np.errstate(divide="ignore", invalid="ignore"):
                    trend = np.where((r.capital_available > 0) & (p.capital_available > 0),
                                     np.log(r.capital_available / p.capital_available)
                                     / r.since, 0.0)
            x = 0.0 if self.parent else np.clip(trend, -self.tenfold, self.tenfold) * r.dt
            mean, growth = growth_mean(x), exp(x / 2)
        if self.owned:  # buys through the step at its mid-point price
            r.affordable = r.capital_available * r.dt * mean / r.hw
        else:  # rents the stock whose rent a year's capital at the step's middle pays
            r.affordable = maxi(0.0, r.capital_available * growth / (r.rent * self.hours)
                                - kept) / r.kept_bought
        if p is None:
            r.bought, r.fleet_stock, r.fleet_gpus = 0.0, v.fleet_gpus, v.fleet_gpus
        else:  # the step's buys retire from the day they arrive, as the stock does
            r.bought = mini(r.affordable, r.gpus_purchasable)
            r.fleet_stock = kept + r.bought * r.kept_bought
            retired = p.fleet_stock - r.fleet_stock + r.bought
            r.fleet_gpus = p.fleet_stock + (r.bought - retired) / 2

    def progress(self, p, r):
        """Researchers, software (own progress, diffusion's floor, the ceiling), multiplier."""
        v, ceiling = self.v, self.v.software_ceiling
        r.frontier = self.frontier(r.year)
        if p is None:
            r.researchers = v.research_staff / v.frontier_research_staff
            r.software_efficiency = self.frontier(v.start_year) - v.software_gap
            r.software_headroom = 1 - r.software_efficiency / ceiling
            r.capability = 0.0
            # the base year's drive: at its middle, half a year on at the frontier's pace
            r.middle_software = (r.software_efficiency + self.frontier(v.start_year + self.fy / 2)
                                 - self.frontier(v.start_year))
        else:
            # staff is read at the step's middle, as prices are: middle to middle
            r.researchers = p.researchers * exp(v.researcher_growth * r.between)
            # the drive was read at the last step's middle and grows on at its last rate
            x = p.drive_growth * r.since
            mean = p.drive * exp(-x / 2) * growth_mean(x)
            # the base year is observed: through it the lab keeps its gap to the frontier
            own = np.where(p.elapsed == 0, 1 - (r.frontier - v.software_gap) / ceiling,
                           p.software_headroom * self.fall(mean, r.since))
            r.software_headroom = mini(own, self.headroom(r.year - v.diffusion_lag))
            r.software_efficiency = ceiling * (1 - r.software_headroom)
            r.capability = (p.capability + r.software_efficiency - p.software_efficiency
                            + log(r.fleet_gpus / p.fleet_gpus) / LN10)
            r.middle_software = self.ahead(p, r, r.dt / 2)
        r.capability_gap = r.software_efficiency - r.frontier
        # the multiplier is read where the drive is (the base year, observed: at its start)
        se = r.software_efficiency if p is None else r.middle_software
        r.ai_rd_multiplier = v.base_multiplier  # log-linear between milestones, then flat
        for (lo, m0), (hi, m1) in itertools.pairwise(self.milestones):
            r.ai_rd_multiplier = r.ai_rd_multiplier * (m1 / m0) ** np.clip(
                (se - lo) / (hi - lo), 0, 1)

    def ahead(self, p, r, h):
        """The software predicted h years after the step's start: the last drive growing on
        at its last rate, under the ceiling, at least the diffusion floor then."""
        v = self.v
        drive = p.drive * exp(p.drive_growth * r.since / 2) * growth_mean(p.drive_growth * h)
        return maxi(v.software_ceiling - (v.software_ceiling - r.software_efficiency)
                    * self.fall(drive, h), self.frontier(r.year + h - v.diffusion_lag))

    def price(self, p, r):
        """The frontier's price moved by the gap's change: its step mean over the floor."""
        v = self.v
        if p is None:  # a price below the base year's floor keeps its discount to it
            floor = (1 + v.competitive_markup) * r.serving_cost  # (the base year's tokens/GPU)
            # the observed price is the year's average: the year starts at the price from
            # which the frontier's decline averages it, f / (1 - e^-f) times it
            f = v.frontier_price_decline * self.fy
            with np.errstate(all="ignore"):
                r.token_price_market = v.token_price * where(f < 1e-6, 1 + f / 2,
                                                             f / -np.expm1(-f))
            r.price = v.token_price
            r.discount, r.log_price = mini(1.0, v.token_price / floor), 0.0
            return
        gap0, dt = -v.software_gap, r.dt
        r.token_price_market = p.token_price_market * exp(-v.frontier_price_decline * r.since)
        now = self.premium(r.capability_gap - gap0)
        end_gap = self.ahead(p, r, dt) - self.frontier(r.year + dt)
        r.end_premium = self.premium(end_gap - gap0)
        z = LN10 * (r.end_premium - now) - v.frontier_price_decline * dt
        p0 = r.token_price_market * 10.0 ** now
        p1, small = p0 * exp(z), np.abs(z) < 1e-6
        mean = where(small, p0 * (1 + z / 2), (p1 - p0) / z)
        r.discount = p.discount
        floor = (1 + v.competitive_markup) * r.serving_cost * r.discount
        lo, hi = mini(p0, p1), maxi(p0, p1)
        crossing = floor + (hi - floor - floor * log(hi / floor)) / maxi(np.abs(z), 1e-6)
        r.price = mini(v.token_value_cap, where(lo >= floor, mean, where(
            (hi <= floor) | small, maxi(mean, floor), crossing)))
        r.log_price = p.log_price + log(r.price / p.price)

    def demand(self, p, r):
        """Demand as a share of the fleet, capped by it and by what customers can spend."""
        v, fleet = self.v, r.fleet_gpus
        if p is None:
            r.base_inf, log_demand, mid = v.fleet_gpus * v.share_inference, 0.0, 0.0
        else:
            h, mid, r.base_inf = v.user_ceiling_multiple, r.middle, p.base_inf
            users = log(h / (1 + (h - 1) * exp(-v.user_demand_growth * mid)))
            # the step's capability, halfway in premium from its start's to its end's
            adjusted = r.log_price - LN10 * (self.premium(r.capability_gap + v.software_gap)
                                             + r.end_premium) / 2
            # tokens per user as split out at the calibration's elasticity, moved at another
            per_user = v.tokens_per_task_growth + (
                v.calibration_demand_elasticity - v.demand_price_elasticity
            ) * v.calibration_price_decline
            log_demand = users + per_user * mid - v.demand_price_elasticity * adjusted
        # world output grows from the base year's middle to the step's
        r.spend = self.spend * exp(v.world_gdp_growth * r.middle)
        budget = r.spend * self.tpm / (r.price * r.tpgy * fleet)
        r.none = (r.base_inf <= 0) | (budget <= 0)
        # tokens demanded become GPUs at this step's tokens per GPU (serving gets more efficient)
        r.log_share = mini(log_demand + log(r.base_inf / fleet)
                           - v.serving_efficiency_growth * mid, log(budget))
        r.inference_demand_share = where(r.none, 0.0, exp(mini(0.0, r.log_share)))

    def schedule(self, r):
        """AI 2027's shares in this step's period (half a step of slack), normalised."""
        level, v = {}, self.v
        for u in USES:
            at = [getattr(v, f"schedule_{u}_{k}") for k in range(1, 8)]
            level[u] = at[0] + sum((at[k] - at[k - 1]) * (
                r.year + r.dt / 2 >= getattr(v, f"schedule_start_{k + 1}")) for k in range(1, 7))
        total = sum(level.values())
        return {u: level[u] / total for u in USES}

    def split(self, p, r):
        """The policy's target, approached no faster than split_adjustment_rate."""
        v = self.v
        if p is None:
            r.share = r.base_share = {u: getattr(v, f"share_{u}") for u in USES}
            r.base_sched = self.schedule(r) if self.pol == 1 else None
            return
        r.base_share, r.base_sched, last = p.base_share, p.base_sched, p.share
        target = dict(r.base_share)
        if self.pol == 1:
            now = self.schedule(r)
            moved = {u: maxi(0.0, target[u] + now[u] - r.base_sched[u]) for u in USES}
            target = {u: moved[u] / sum(moved.values()) for u in USES}
        elif self.pol == 2:
            # serve demand from the pool, never below the base year's inference; research keeps
            # its floor (at most the base year's research, at most the pool) and gets the rest
            pool, want = last["inference"] + last["research"], r.inference_demand_share
            kept = mini(mini(v.research_floor, r.base_share["research"]), pool)
            serve = mini(pool - kept, maxi(r.base_share["inference"], want))
            target.update(inference=serve, research=pool - serve)
        furthest = functools.reduce(maxi, (np.abs(target[u] - last[u]) for u in USES))
        move = where(furthest <= 1e-12, 1.0,
                     mini(1.0, v.split_adjustment_rate * r.between / furthest))
        r.share = {u: last[u] + move * (target[u] - last[u]) for u in USES}

    def sales(self, p, r):
        """GPUs and compute per use, compute cost, the price paid (scarcity), revenue."""
        v, share = self.v, r.share
        gpus = {u: r.fleet_gpus * share[u] for u in USES}
        r.compute_research = (gpus["research"] * v.gpu_peak_flops * v.util_research
                              * v.seconds_per_hour * self.hours)
        r.compute_cost = sum(gpus[u] * r.cost_hr * self.hours for u in USES)
        r.depreciation = r.fleet_gpus * r.capex_hr * self.hours if self.owned else 0.0
        r.share_research, r.share_inference = share["research"], share["inference"]
        capacity = gpus["inference"] * r.tpgy
        if p is None:
            r.token_price = v.token_price
        else:  # customers wanting more than the capacity bid the price up
            excess = where(r.none | (r.share_inference <= 0), 0.0,
                           maxi(0.0, r.log_share - log(r.share_inference)))
            scarce = r.price * exp(excess / maxi(v.demand_price_elasticity, 0.01))
            r.token_price = where(capacity > 0, mini(v.token_value_cap, maxi(
                r.price, mini(scarce, r.spend * self.tpm / capacity))), r.price)
        served = where(r.share_inference <= 0, 0.0, capacity * mini(
            1.0, r.inference_demand_share / r.share_inference))
        r.inference_revenue = served * r.token_price / self.tpm

    def money(self, p, r):
        """Cash, revenue growth and last year's, capex, what binds, NPV + terminal value."""
        v, dt, fy, revenue = self.v, r.dt, self.fy, r.inference_revenue
        r.ocf = revenue - (r.compute_cost - r.depreciation)
        if p is None:
            r.growth = r.growth_step = v.base_revenue_growth
            r.trailing = revenue
        else:
            g = np.clip(log(revenue / p.inference_revenue) / r.between, -self.tenfold,
                        self.tenfold)
            r.growth_step = g = where((revenue <= 0) | (p.inference_revenue <= 0),
                                      -self.tenfold, g)
            # investors average the step's growth over a year, run on through the step as the
            # last two steps' growth does (none from the base year's)
            w = 1 - exp(-dt / fy)
            slope = where(p.elapsed == 0, 0.0, (g - p.growth_step) / r.between)
            r.growth = g = np.clip(p.growth * (1 - w) + g * w + slope * (dt - fy * w),
                                   -self.tenfold, self.tenfold)
            # the last year's revenue rolls on: d/dt = revenue - (what left the window), the
            # window's revenue x phi at steady growth g, phi = g / (e^g - 1); exact over a step
            # (this step's revenue enters as a path growing at g through the step)
            x, h = g * fy, dt / fy
            flat = np.abs(x) < 1e-6
            with np.errstate(all="ignore"):
                phi = where(flat, 1.0, x / np.expm1(x))
                kept = exp(-phi * h)
                gained = where(flat, 1 - kept,
                               x * h * (exp(x * h) - kept) / (np.expm1(x * h) * (x + phi)))
            r.trailing = p.trailing * kept + revenue * gained
        r.capex = r.bought * r.hw / dt if self.owned else 0.0
        if p is None:  # the base year is observed: it buys nothing, and nothing binds it
            r.unspent_capex, r.binding_constraint = 0.0, 0.0
        else:  # the GPUs the chips denied, at a year's rent or the step's hardware price
            unit = r.hw / dt if self.owned else r.rent * self.hours
            r.unspent_capex = maxi(0.0, r.affordable - r.gpus_purchasable) * unit
            # a share that has just caught up with demand equals it only to the last bit
            r.binding_constraint = where(
                r.inference_demand_share < r.share_inference * (1 - 1e-9), 3.0,
                where(r.gpus_purchasable < r.affordable, 1.0, 2.0))
        fcf = r.free_cash_flow = r.ocf - r.capex
        rate, tg = v.discount_rate, v.terminal_growth
        disc = (1 + rate) ** (-(r.elapsed + dt / 2) / fy)
        if p is None:
            outlay = r.fleet_gpus * r.hw if self.owned else 0.0
            r.cumulative_cash, r.npv_to_date = fcf * dt - outlay, fcf * dt * disc - outlay
            r.last_year, r.payback_year = fcf, where(r.cumulative_cash >= 0, r.year, 0.0)
        else:
            r.cumulative_cash = p.cumulative_cash + fcf * dt
            r.npv_to_date = p.npv_to_date + fcf * dt * disc
            w = 1 - exp(-dt / fy)  # last year's free cash flow, an exponential average
            r.last_year = p.last_year * (1 - w) + fcf * w
            r.payback_year = where((r.cumulative_cash >= 0) & (p.payback_year == 0), r.year,
                                   p.payback_year)
        r.terminal_value = (maxi(0.0, r.last_year) * fy * (1 + tg) / (rate - tg)
                            * (1 + rate) ** (-(r.elapsed + dt) / fy))
        r.npv = r.npv_to_date + r.terminal_value

    def research(self, p, r):
        """CES output against the frontier's, the AI speed-up, the drive of progress."""
        v, people, mult = self.v, r.researchers, r.ai_rd_multiplier
        a, rho, lam = v.research_labour_weight, v.research_ces_rho, v.parallelisation_exponent
        b = 1 - a  # summed as a x + (1 - a), never a x - a + 1 (lost at a = 1)
        index = r.compute_research / v.frontier_research_compute
        x = where((rho < 0) & ((index <= 0) | (people <= 0)), 0.0,
                  (a * people ** rho + b * index ** rho) ** (1 / rho))
        if self.labour_only:
            per = people / maxi(index, 1e-200)
            ratio = ((a * (mult * per) ** rho + b) / (a * per ** rho + b)) ** (lam / rho)
            r.research_speedup = where(index <= 0, where(rho < 0, 1.0, mult ** lam),
                                       where(people <= 0, 1.0, ratio))
        else:
            r.research_speedup = mult
        r.drive = (self.historical * x ** lam * r.research_speedup
                   * exp(-self.beta * LN10 * maxi(0.0, r.middle_software - self.frontier(
                       v.frontier_reference_year + self.fy / 2))))
        if p is None:
            r.drive_growth = 0.0
        else:  # between the two steps' middles, within 50 e-folds a year either way, averaged
            bound = 50 / self.fy  # exponentially over a quarter
            with np.errstate(all="ignore"):
                rate = np.clip(log(r.drive / p.drive) / r.between, -bound, bound)
            w = 1 - exp(-r.between / (self.fy / 4))
            r.drive_growth = p.drive_growth * (1 - w) + w * where(
                (r.drive <= 0) | (p.drive <= 0), 0.0, rate)

    def step(self, p):
        r = SimpleNamespace()
        for block in (self.clock, self.capital, self.fleet, self.progress, self.price,
                      self.demand, self.split, self.sales, self.money, self.research):
            block(p, r)
        return r


def reference(v: dict, n: int) -> dict[str, np.ndarray]:
    """The projection by hand over `n` steps (the base year, then steps of v["step_years"]):
    model.loop's rows written again, independently. Every closed-loop switch on (SWITCHES),
    financing on revenue or a parent's, allocation fixed, scheduled or inference-first, either
    multiplier scope and path, rented or owned: every scenario and preset at its defaults."""
    lab = _Lab(v)
    shape = np.broadcast_shapes(*(np.shape(x) for x in v.values()))
    out = {k: np.empty((n, *shape)) for k in KEEP}
    p = None
    with np.errstate(all="ignore"):
        for t in range(n):
            p = lab.step(p)
            for k in KEEP:
                out[k][t] = getattr(p, k)
    return out


def naive_sympy(values: dict, n: int, samples: int, few: int = 2) -> float:
    """subs/evalf of every row's expression in order, the base year's then a later step's, on
    `few` samples; the time per sample-step scaled to `samples` x `n` steps."""
    start = time.perf_counter()
    for i in range(few):
        point = {sym(k): (float(np.asarray(x).flat[i]) if np.ndim(x) else float(x))
                 for k, x in values.items()}
        for raw in (INIT_RAW, proj.STEP):
            rows: dict = {}
            for name in proj.STEP_ROWS:
                known = {**point, **rows}
                rows[sym(name)] = raw[name].subs(
                    {x: known[x] for x in raw[name].free_symbols if x in known}).evalf()
            point.update({sym(f"{k}_prev"): rows[sym(k)] for k in proj.STEP_ROWS
                          if f"{k}_prev" in CATALOGUE})
    return (time.perf_counter() - start) / (2 * few) * samples * n


# Rows netting revenue against compute cost pass through 0: compared to the gross flows they net
# (this step's, summed so far, or that sum times the Gordon multiple); unspent_capex nets the
# GPUs the capital pays for against those the chips allow: compared to the capital and this
# step's flows ("money"). Rows in OOMs or a fraction of 1 that pass through 0 as differences of
# numbers of order 1: compared to 1 there.
NETTED = {"free_cash_flow": "flow", "cumulative_cash": "sum", "npv_to_date": "sum",
          "terminal_value": "gordon", "npv": "gordon", "unspent_capex": "money"}
UNIT_SCALE = ("software_efficiency", "capability_gap", "capability", "software_headroom")


def max_rel_diff(got: dict, want: dict, lengths: np.ndarray, gordon: float) -> float:
    """Largest relative difference over KEEP (see NETTED, UNIT_SCALE); binding_constraint's
    'customers' (3) where demand equals the inference share to rounding is a tie, either way."""
    flows = sum(np.abs(got[k]) for k in ("inference_revenue", "compute_cost", "capex"))
    summed = np.cumsum(flows * lengths[:, None], axis=0)
    scales = {"flow": flows, "sum": summed, "gordon": summed * (1 + gordon),
              "money": flows + np.abs(got["capital_available"])}
    tie = np.isclose(got["inference_demand_share"], got["share_inference"], 1e-9, 0)
    diff = 0.0
    for k in KEEP:
        g, w = got[k], want[k]
        if (np.isfinite(g) != np.isfinite(w)).any():
            return math.inf
        if k == "binding_constraint":
            w = np.where(tie & ((g == 3) != (w == 3)), g, w)
        scale = np.maximum(np.abs(w), scales[NETTED[k]] if k in NETTED else k in UNIT_SCALE)
        both = np.isfinite(w)
        diff = max(diff, float(np.max(np.abs(g - w)[both] / np.maximum(scale[both], 1e-300),
                                      initial=0.0)))
    return diff


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for flag, default in (("--samples", 100_000), ("--years", 30), ("--scenario", "brakes"),
                          ("--seed", 0), ("--repeat", 3)):
        ap.add_argument(flag, type=type(default), default=default)
    ap.add_argument("--step", choices=tuple(proj.STEPS), default="year")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    n, dt = proj.steps_for(args.years, args.step)
    settings = scenario_settings(None, args.scenario)
    values = sample_inputs({**settings.values, "step_years": dt}, args.samples, args.seed)
    proj.program(tuple(float(values[c]) for c in proj.CHOICES))  # compile outside the timing
    engine_s = ref_s = math.inf
    for _ in range(args.repeat):
        t = time.perf_counter()
        got = proj.run_arrays(values, n, keep=(*KEEP, "compute_cost"))
        engine_s = min(engine_s, time.perf_counter() - t)
        t = time.perf_counter()
        want = reference(values, n)
        ref_s = min(ref_s, time.perf_counter() - t)
    lengths = np.diff(proj.step_starts(n + 1, dt))  # 1 (the base year), then dt, ...
    rate, growth = settings.values["discount_rate"], settings.values["terminal_growth"]
    diff = max_rel_diff(got, want, lengths, (1 + growth) / (rate - growth))
    result = {"samples": args.samples, "years": args.years, "step": args.step, "steps": n,
              "scenario": args.scenario, "engine_s": round(engine_s, 4),
              "numpy_reference_s": round(ref_s, 4), "ratio": round(engine_s / ref_s, 3),
              "max_rel_diff": diff,
              "naive_sympy_s": round(naive_sympy(values, n, args.samples), 1)}
    print(json.dumps(result) if args.json else "\n".join(f"{k}: {v}" for k, v in result.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
