"""Benchmark the projection engine against an independent hand-written NumPy implementation.

    python benchmarks/bench_engine.py --samples 100000 --years 30 --json

prints one JSON line: engine_s (model.loop.projection.run_arrays on Monte Carlo samples of the
`brakes` scenario, yearly steps, compiled beforehand), numpy_reference_s (the same projection
written by hand below from model.loop's rows, closed loop included, vectorised the same way),
ratio, max_rel_diff over the rows in KEEP at every step, and naive_sympy_s (subs/evalf of the step
expressions on a few samples, scaled to all samples).

max_rel_diff is relative to each value. free_cash_flow, cumulative_cash and npv_to_date net
revenue against compute cost and pass through 0: near 0 their relative difference is the
rounding of the flows they net (~1e-16 of those), a few 1e-9 on some seeds of a 100k-sample run.
tests/test_bench_reference.py compares them relative to those flows, for every scenario.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model.core.catalogue import sym  # noqa: E402
from model.loop.montecarlo import sample_inputs  # noqa: E402
from model.loop.projection import CHOICES, INITIAL, STEP_ROWS, program, run_arrays  # noqa: E402
from model.loop.scenarios import scenario_settings  # noqa: E402

USES = ("training", "research", "automation", "inference", "other")
MS = ("sc", "sar", "siar", "asi")
KEEP = ("fleet_gpus", "world_gpus", "gpus_purchasable", "share_research", "share_inference",
        "ai_rd_multiplier", "research_speedup", "software_efficiency", "software_headroom",
        "capability", "token_price", "inference_demand_share", "inference_revenue",
        "capital_available", "capex", "binding_constraint", "free_cash_flow",
        "cumulative_cash", "npv_to_date", "payback_year")
# The closed loop's switches; the reference writes only their first option ("on").
SWITCHES = ("supply_limit", "capital_limit", "demand_model", "competition", "ceiling_model")


def reference(v: dict, n: int) -> dict[str, np.ndarray]:
    """The projection by hand: same economics as model.loop.rows, written independently.

    Covers the closed loop with every switch on (chip supply, capital, demand curve with
    competition, software ceiling), allocation fixed, scheduled or inference-first, either
    multiplier scope and path, rented or owned fleets: every scenario at defaults.
    """
    pol, path = int(v["allocation_policy"]), int(v["multiplier_path"])
    if pol == 3 or any(int(v[c]) != 0 for c in SWITCHES):
        raise NotImplementedError("reference: value-maximising or an open-loop switch")
    labour_only, owned = int(v["multiplier_scope"]) == 1, int(v["cost_basis"]) == 1
    # NumPy scalars, so that 0/0 is nan (picked away by where, as in the model), not an error
    v = {k: np.float64(x) if np.ndim(x) == 0 else x for k, x in v.items()}
    dt, ln10, start = v["step_years"], math.log(10), v["start_year"]
    hours, sph, tpm = v["hours_per_year"], v["seconds_per_hour"], v["tokens_per_million"]
    life, ceiling, h = v["depreciation_life"], v["software_ceiling"], v["user_ceiling_multiple"]
    mult_k = [1.0] + [v[f"ai2027_multiplier_{m}"] if path == 1 else
                      v[f"summary_multiplier_{m}"] if path == 2 else 1.0 for m in MS]
    th_k = [0.0] + [v[f"milestone_{m}"] for m in MS]
    a, rho, lam = v["research_labour_weight"], v["research_ces_rho"], v["parallelisation_exponent"]
    # constants of the run: retired fraction per step, energy per GPU-hour, tokens per GPU-year,
    # the market price's decline over a step, the half-step hardware price change
    retire = 1 - np.exp(-dt / life)
    energy_hr = (v["gpu_power"] * v["power_overhead"] * v["pue"] * v["electricity_price"]
                 / v["watts_per_kilowatt"])
    per_gpu_year = (v["gpu_peak_flops"] * v["util_inference"] * sph * hours
                    / (v["inference_flops_per_param_token"] * v["serving_active_params"]))
    fall = v["token_price_decline"] * dt
    half = np.exp(v["price_performance_growth"] * dt / 2)
    spend = v["world_gdp"] * v["ai_spending_ceiling"] * v["lab_supply_share"]
    K, W0 = v["world_gpus_ceiling"], v["world_gpus_anchor"]

    def world(when):  # logistic world stock of accelerators in calendar year `when`
        return K / (1 + (K / W0 - 1) * np.exp(-v["world_gpu_growth"]
                                               * (when - v["world_anchor_year"])))

    def ces(labour, index):  # CES of labour and compute; 0 with no compute as complement
        with np.errstate(all="ignore"):
            return np.where((index <= 0) & (rho < 0), 0.0,
                            (a * labour ** rho + (1 - a) * index ** rho) ** (1 / rho))

    shape = np.broadcast_shapes(*(np.shape(x) for x in v.values()))
    out = {k: [] for k in KEEP}
    p: dict = {}
    for t in range(n):
        first = t == 0
        # fleet_rows: year, hardware price and rent, the fleet and its retirements, the world's
        # stock and the lab's share of its production, cost per GPU-hour, competitors' cost
        year = start if first else p["year"] + dt
        elapsed = year - start
        capex_gpu = v["gpu_capex"] if first else p["capex_gpu"] * np.exp(
            -v["price_performance_growth"] * dt)
        rent = v["gpu_rental_price"] if first else p["rent"] * np.exp(
            -v["rental_price_decline"] * dt)
        hw = capex_gpu * v["cluster_capex_multiplier"]
        fleet = v["fleet_gpus"] if first else p["fleet"] - p["retired"] + p["purchased"]
        retired = fleet * retire
        world_now = world(year)
        purchasable = v["lab_supply_share"] * (world(year + dt) - world_now + world_now * retire)
        capex_hr = hw / (life * hours)
        cost_hr = capex_hr + energy_hr if owned else rent
        serving_cost = rent * hours * tpm / per_gpu_year
        # progress_rows: researchers; software efficiency driven at the mean of a drive that
        # keeps changing by its last step's factor, the ceiling's penalty exact; the milestone
        # multiplier (log-linear between thresholds); capability from peak compute
        researchers = 1.0 if first else p["researchers"] * np.exp(v["researcher_growth"] * dt)
        if first:
            se = 0.0
        else:
            d, before = p["drive"], p["drive_before"]
            with np.errstate(all="ignore"):
                g = np.where(before <= 0, 1.0, np.clip(d / before, 0.1, 10.0))
                mean = np.where((d <= 0) | (np.abs(g - 1) < 1e-9), d, d * (g - 1) / np.log(g))
            se = ceiling - (ceiling - p["se"]) * np.exp(-mean * dt / (ceiling * ln10))
        headroom = np.maximum(0.0, 1 - se / ceiling)
        log_mult = 0.0
        for k in range(1, 5):
            frac = np.clip((se - th_k[k - 1]) / (th_k[k] - th_k[k - 1]), 0, 1)
            log_mult = log_mult + np.log(mult_k[k] / mult_k[k - 1]) * frac
        mult = v["base_multiplier"] * np.exp(log_mult)
        capability = 0.0 if first else (p["capability"] + se - p["se"]
                                        + np.log10(fleet / p["fleet"]))
        # market_rows, price: the market price at the step's start (falling); the lab's own
        # price, raised 10^(elasticity x software OOMs), moves over the step as software is
        # expected to advance (the last drive, slowed by ideas getting harder as known now, the
        # historical rate at first; under the ceiling): the step's average of max(own, floor),
        # exact for an exponential path
        market = v["token_price"] if first else p["market"] * np.exp(-fall)
        expected = (math.log(2) / v["software_halving_time"] if first else p["drive"]
                    * np.exp(-v["ideas_harder_exponent"] * ln10 * (se - p["se"])))
        se_end = ceiling - (ceiling - se) * np.exp(-expected * dt / (ceiling * ln10))
        premium = np.minimum(250.0, v["capability_price_elasticity"] * se)
        z = ln10 * (np.minimum(250.0, v["capability_price_elasticity"] * se_end) - premium) - fall
        p0 = market * 10.0 ** premium
        p1 = p0 * np.exp(z)
        floor = (1 + v["competitive_markup"]) * serving_cost
        small = np.abs(z) < 1e-6
        with np.errstate(all="ignore"):
            mean = np.where(small, p0 * (1 + z / 2), (p1 - p0) / z)
            lo, hi = np.minimum(p0, p1), np.maximum(p0, p1)
            crossing = floor + (hi - floor - floor * np.log(hi / floor)) / np.maximum(np.abs(z),
                                                                                      1e-6)
        price = np.where(lo >= floor, mean,
                         np.where((hi <= floor) | small, np.maximum(mean, floor), crossing))
        log_price = 0.0 if first else p["log_price"] + np.log(price / p["price"])
        # market_rows, demand (logs, as a share of the fleet): logistic users, tokens per task,
        # capability, price^-elasticity; capped by 1 and by the lab's share of world spending
        base_inf = v["fleet_gpus"] * v["share_inference"] if first else p["base_inf"]
        users = np.log(h / (1 + (h - 1) * np.exp(-v["user_demand_growth"] * elapsed)))
        log_demand = 0.0 if first else (users + v["tokens_per_task_growth"] * elapsed
                                        + v["demand_capability_elasticity"] * ln10 * capability
                                        - v["demand_price_elasticity"] * log_price)
        afford_share = spend * tpm / (price * per_gpu_year * fleet)
        with np.errstate(all="ignore"):
            demand = np.where((base_inf <= 0) | (afford_share <= 0), 0.0, np.exp(np.minimum(
                np.minimum(0.0, log_demand + np.log(base_inf / fleet)), np.log(afford_share))))
        # market_rows, allocation: scheduled (period shares normalised, half a step of slack),
        # fixed, or inference-first out of the research + inference pool above research's floor
        if pol == 1:
            sched = {}
            for u in USES:
                level = v[f"schedule_{u}_1"]
                for k in range(2, 8):
                    level = level + (v[f"schedule_{u}_{k}"] - v[f"schedule_{u}_{k - 1}"]) * (
                        year + dt / 2 >= v[f"schedule_start_{k}"])
                sched[u] = level
            total = sum(sched.values())
            share = {u: sched[u] / total for u in USES}
        elif first:
            share = {u: v[f"share_{u}"] for u in USES}
        else:
            share = dict(p["share"])
            if pol == 2:
                pool = p["share"]["inference"] + p["share"]["research"]
                kept = np.minimum(v["research_floor"], pool)
                share["inference"] = np.minimum(demand, pool - kept)
                share["research"] = np.maximum(kept, pool - demand)
        # market_rows, the fleet-year budget: GPUs, compute and spend per use; tokens served are
        # capacity capped by demand; revenue
        gpus = {u: fleet * share[u] for u in USES}
        compute_research = (gpus["research"] * v["gpu_peak_flops"] * v["util_research"]
                            * sph * hours)
        compute_cost = sum(gpus.values()) * cost_hr * hours
        depreciation = fleet * capex_hr * hours if owned else 0.0
        s_inf = share["inference"]
        with np.errstate(all="ignore"):
            served = np.where(s_inf <= 0, 0.0, gpus["inference"] * per_gpu_year
                              * np.minimum(1.0, demand / s_inf))
        revenue = served * price / tpm
        # finance_rows: operating cash, financing (growing for its first years), capital,
        # purchases at the mid-step price within the chip supply, the binding constraint
        ocf = revenue - (compute_cost - depreciation)
        fy = v["financing_growth_years"]
        grown = np.minimum(elapsed, fy) - np.minimum(np.maximum(0.0, elapsed - dt), fy)
        financing = v["external_financing"] if first else p["financing"] * np.exp(
            v["financing_growth"] * grown)
        capital = financing + v["reinvestment_rate"] * np.maximum(0.0, ocf)
        affordable = capital * dt * half / hw
        purchased = np.minimum(affordable, purchasable)
        capex = purchased * hw / half / dt
        binding = np.where(demand < s_inf, 3.0, np.where(purchasable < affordable, 1.0, 2.0))
        # finance_rows: free cash flow (capex only when owned), cash, NPV, payback
        fcf = ocf - capex if owned else ocf
        outlay = fleet * hw if owned else 0.0
        disc = (1 + v["discount_rate"]) ** (-elapsed / v["fleet_year"])
        cash = fcf * dt - outlay if first else p["cash"] + fcf * dt
        npv = fcf * dt * disc - outlay if first else p["npv"] + fcf * dt * disc
        if first:
            payback = np.where(cash >= 0, year, 0.0)
        else:
            payback = np.where((cash >= 0) & (p["payback"] == 0), year, p["payback"])
        # research_rows: experiment compute index, CES research output (multiplier on all of
        # research or on labour only), speed-up, the drive under ideas-harder (ceiling: next step)
        ref = compute_research if first else p["ref"]
        with np.errstate(all="ignore"):
            index = np.where(ref <= 0, 1.0, compute_research / ref)
            if labour_only:
                x = ces(researchers * mult, index)
                per = researchers / np.maximum(index, 1e-200)
                b = 1 - a  # summed as a x + (1 - a), never a x - a + 1 (lost at a = 1)
                speedup = np.where(index <= 0, np.where(rho < 0, 1.0, mult ** lam), (
                    (a * (mult * per) ** rho + b) / (a * per ** rho + b)) ** (lam / rho))
            else:
                x, speedup = mult * ces(researchers, index), mult ** lam
        drive = (math.log(2) / v["software_halving_time"] * x ** lam
                 * np.exp(-v["ideas_harder_exponent"] * ln10 * se))
        p = {"year": year, "capex_gpu": capex_gpu, "rent": rent, "fleet": fleet,
             "retired": retired, "purchased": purchased, "researchers": researchers, "se": se,
             "drive": drive, "drive_before": p.get("drive", 0.0), "capability": capability,
             "market": market, "price": price, "log_price": log_price, "base_inf": base_inf,
             "share": share, "financing": financing, "cash": cash, "npv": npv,
             "payback": payback, "ref": ref}
        row = {"fleet_gpus": fleet, "world_gpus": world_now, "gpus_purchasable": purchasable,
               "share_research": share["research"], "share_inference": s_inf,
               "ai_rd_multiplier": mult, "research_speedup": speedup,
               "software_efficiency": se, "software_headroom": headroom,
               "capability": capability, "token_price": price,
               "inference_demand_share": demand, "inference_revenue": revenue,
               "capital_available": capital, "capex": capex, "binding_constraint": binding,
               "free_cash_flow": fcf, "cumulative_cash": cash, "npv_to_date": npv,
               "payback_year": payback}
        for k in KEEP:
            out[k].append(np.broadcast_to(row[k], shape))
    return {k: np.array(vs) for k, vs in out.items()}


def naive_sympy(values: dict, n: int, samples: int, few: int = 2) -> float:
    """subs/evalf of INITIAL then STEP (expanded) on `few` samples, scaled to `samples`."""
    from model.loop.projection import STEP, _expand

    step = _expand(STEP)
    start = time.perf_counter()
    for i in range(few):
        point = {sym(k): (float(np.asarray(x).flat[i]) if np.ndim(x) else float(x))
                 for k, x in values.items()}
        rows = {r: INITIAL[r].subs(point).evalf() for r in ("fleet_gpus", "capability")}
        for _ in range(1, min(n, 2)):
            prevs = {sym(f"{r}_prev"): rows.get(r, 0) for r in ("fleet_gpus",)}
            rows = {"fleet_gpus": step["fleet_gpus"].subs({**point, **prevs}).evalf()}
    per = (time.perf_counter() - start) / few
    return per * samples * max(n, 1) / min(n, 2) * len(STEP_ROWS) / 3


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=100_000)
    ap.add_argument("--years", type=int, default=30)
    ap.add_argument("--scenario", default="brakes")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    settings = scenario_settings(None, args.scenario)
    values = sample_inputs({**settings.values, "step_years": 1.0}, args.samples, args.seed)
    program(tuple(float(values[c]) for c in CHOICES))  # compile outside the timing
    engine_s = ref_s = math.inf
    for _ in range(args.repeat):
        t = time.perf_counter()
        got = run_arrays(values, args.years, keep=KEEP)
        engine_s = min(engine_s, time.perf_counter() - t)
        t = time.perf_counter()
        want = reference(values, args.years)
        ref_s = min(ref_s, time.perf_counter() - t)
    diff = 0.0
    for k in KEEP:
        g, w = got[k], want[k]
        both = np.isfinite(g) & np.isfinite(w)
        if not (np.isfinite(g) == np.isfinite(w)).all():
            diff = math.inf
        # relative to the value, or to the row's scale where the value is ~0 (e.g. a share 0)
        scale = 1e-12 * float(np.max(np.abs(w[both]), initial=0.0)) or 1e-300
        rel = np.abs(g[both] - w[both]) / np.maximum(np.abs(w[both]), scale)
        diff = max(diff, float(np.max(rel, initial=0.0)))
    result = {"samples": args.samples, "years": args.years, "scenario": args.scenario,
              "engine_s": round(engine_s, 4), "numpy_reference_s": round(ref_s, 4),
              "ratio": round(engine_s / ref_s, 3), "max_rel_diff": diff,
              "naive_sympy_s": round(naive_sympy(values, args.years, args.samples), 1)}
    print(json.dumps(result) if args.json else "\n".join(f"{k}: {v}" for k, v in result.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
