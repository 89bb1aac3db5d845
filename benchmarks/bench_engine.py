"""Benchmark the projection engine against an independent hand-written NumPy implementation.

    python benchmarks/bench_engine.py --samples 100000 --years 30 --json

prints one JSON line: engine_s (model.projection.run_arrays on Monte Carlo samples of the
`brakes` scenario, compiled beforehand), numpy_reference_s (the same projection written by hand
below, vectorised the same way), ratio, max_rel_diff over the compared rows at every step, and
naive_sympy_s (subs/evalf of the step expressions on a few samples, scaled to all samples).
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
UTIL = {"training": "mfu_training", "research": "util_research",
        "automation": "util_automation", "inference": "util_inference", "other": "util_other"}
MS = ("sc", "sar", "siar", "asi")
KEEP = ("fleet_gpus", "share_research", "share_inference", "ai_rd_multiplier",
        "research_speedup", "software_efficiency", "capability", "inference_revenue", "capex",
        "free_cash_flow", "cumulative_cash", "npv_to_date", "payback_year")


def reference(v: dict, n: int) -> dict[str, np.ndarray]:
    """The projection by hand: same economics as model.loop.rows, written independently."""
    pol, path = int(v["allocation_policy"]), int(v["multiplier_path"])
    labour_only, owned = int(v["multiplier_scope"]) == 1, int(v["cost_basis"]) == 1
    dt, ln10 = v["step_years"], math.log(10)
    mult_k = [1.0] + [v[f"ai2027_multiplier_{m}"] if path == 1 else
                      v[f"summary_multiplier_{m}"] if path == 2 else 1.0 for m in MS]
    th_k = [0.0] + [v[f"milestone_{m}"] for m in MS]
    a, rho, lam = v["research_labour_weight"], v["research_ces_rho"], v["parallelisation_exponent"]
    hours, sph = v["hours_per_year"], v["seconds_per_hour"]
    cap_hr_energy = (v["gpu_power"] * v["power_overhead"] * v["pue"] * v["electricity_price"]
                     / v["watts_per_kilowatt"])
    shape = np.broadcast_shapes(*(np.shape(x) for x in v.values()))
    out = {k: [] for k in KEEP}
    p: dict = {}
    for t in range(n):
        first = t == 0
        year = v["start_year"] if first else p["year"] + dt
        elapsed = year - v["start_year"]
        capex_gpu = v["gpu_capex"] if first else p["gpu_capex"] * np.exp(
            -v["price_performance_growth"] * dt)
        hw = capex_gpu * v["cluster_capex_multiplier"]
        fleet = v["fleet_gpus"] if first else p["fleet"] - p["retired"] + p["purchased"]
        retired = fleet * dt / v["depreciation_life"]
        researchers = 1.0 if first else p["researchers"] * np.exp(v["researcher_growth"] * dt)
        se = 0.0 if first else p["se"] + p["rate"] * dt / ln10
        log_mult = 0.0
        for k in range(1, 5):
            frac = np.clip((se - th_k[k - 1]) / (th_k[k] - th_k[k - 1]), 0, 1)
            log_mult = log_mult + np.log(mult_k[k] / mult_k[k - 1]) * frac
        mult = np.exp(log_mult)
        sched = {}
        for u in USES:
            level = v[f"schedule_{u}_1"]
            for k in range(2, 8):
                level = level + (v[f"schedule_{u}_{k}"] - v[f"schedule_{u}_{k - 1}"]) * (
                    year >= v[f"schedule_start_{k}"])
            sched[u] = level
        total = sum(sched.values())
        base_inf = v["fleet_gpus"] * v["share_inference"] if first else p["base_inf"]
        log_demand = 0.0 if first else (
            (v["user_demand_growth"] + v["tokens_per_task_growth"]) * elapsed
            + v["demand_capability_elasticity"] * ln10 * p["capability"])
        with np.errstate(all="ignore"):
            demand = np.where(base_inf <= 0, 0.0,
                              np.exp(np.minimum(0, log_demand + np.log(base_inf / fleet))))
        if pol == 1:
            share = {u: sched[u] / total for u in USES}
        elif first:
            share = {u: v[f"share_{u}"] for u in USES}
        else:
            share = dict(p["share"])
            if pol == 2:
                pool = p["share"]["inference"] + p["share"]["research"]
                share["inference"] = np.minimum(demand, pool)
                share["research"] = np.maximum(0, pool - demand)
        gpus = {u: fleet * share[u] for u in USES}
        compute = {u: gpus[u] * v["gpu_peak_flops"] * v[UTIL[u]] * sph * hours for u in USES}
        compute_total = sum(compute.values())
        cap_hr = capex_gpu * v["cluster_capex_multiplier"] / (v["depreciation_life"] * hours)
        cost_hr = cap_hr + cap_hr_energy if owned else v["gpu_rental_price"]
        budget = {u: gpus[u] * cost_hr * hours for u in USES}
        compute_cost = sum(budget.values())
        depreciation = fleet * cap_hr * hours if owned else 0.0
        capacity = compute["inference"] / (v["inference_flops_per_param_token"]
                                           * v["serving_active_params"])
        with np.errstate(all="ignore"):  # served = capacity capped by demand
            served = np.where(share["inference"] <= 0, 0.0,
                              capacity * np.minimum(1.0, demand / share["inference"]))
        revenue = served * v["token_price"] / v["tokens_per_million"]
        invest = (v["investment_rate"] * fleet * hw if first
                  else p["invest"] * np.exp(v["investment_growth"] * dt))
        capex = invest + v["reinvestment_rate"] * revenue
        purchased = capex * dt / hw
        fcf = revenue - (compute_cost - depreciation) - (capex if owned else 0.0)
        outlay = fleet * hw if owned else 0.0
        disc = (1 + v["discount_rate"]) ** (-elapsed / v["fleet_year"])
        cash = fcf * dt - outlay if first else p["cash"] + fcf * dt
        npv = fcf * dt * disc - outlay if first else p["npv"] + fcf * dt * disc
        if first:
            payback = np.where(cash >= 0, year, 0.0)
        else:
            payback = np.where((cash >= 0) & (p["payback"] == 0), year, p["payback"])
        ref = compute["research"] if first else p["ref"]
        with np.errstate(all="ignore"):
            index = np.where(ref <= 0, 1.0, compute["research"] / ref)
            # no experiment compute: the CES limits (0 output if compute is a complement)
            starved = (index <= 0) & (rho < 0)
            x1 = np.where(starved, 0.0,
                          (a * researchers ** rho + (1 - a) * index ** rho) ** (1 / rho))
            if labour_only:
                x = np.where(starved, 0.0, (a * (researchers * mult) ** rho
                                            + (1 - a) * index ** rho) ** (1 / rho))
                per = researchers / index
                speedup = np.where(index <= 0, np.where(rho < 0, 1.0, mult ** lam), (
                    (a * (mult * per) ** rho + 1 - a) / (a * per ** rho + 1 - a)) ** (lam / rho))
            else:
                x, speedup = mult * x1, mult ** lam
            rate = (math.log(2) / v["software_halving_time"] * x ** lam
                    * np.exp(-v["ideas_harder_exponent"] * ln10 * se))
            capability = 0.0 if first else (p["capability"] + se - p["se"]
                                            + np.log(compute_total / p["compute_total"]) / ln10)
        p = {"year": year, "gpu_capex": capex_gpu, "fleet": fleet, "retired": retired,
             "purchased": purchased, "researchers": researchers, "se": se, "rate": rate,
             "base_inf": base_inf, "capability": capability, "share": share, "invest": invest,
             "cash": cash, "npv": npv, "payback": payback, "ref": ref,
             "compute_total": compute_total}
        row = {"fleet_gpus": fleet, "share_research": share["research"],
               "share_inference": share["inference"], "ai_rd_multiplier": mult,
               "research_speedup": speedup, "software_efficiency": se, "capability": capability,
               "inference_revenue": revenue, "capex": capex, "free_cash_flow": fcf,
               "cumulative_cash": cash, "npv_to_date": npv, "payback_year": payback}
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
