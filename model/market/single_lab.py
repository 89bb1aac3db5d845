"""One lab of the market as the single-lab model's settings, so `project(...)` runs it alone.

The lab is laid over the catalogue's defaults the way a preset is (defaults < lab < scenario <
overrides), each value keeping its citation. Two inputs are derived: `cost_basis` from the
rented share (the single-lab model costs the whole fleet one way, the majority's: rented when
at least half is), and `token_price` from the base year's revenue over the tokens a year the
lab's inference GPUs serve, so the base year earns exactly the lab's revenue. A market's lab
prices scarcity at most SCARCITY_PRICE_CAP times its competitive price (customers have rivals).
"""

from __future__ import annotations

from collections.abc import Mapping

from model.core.errors import InputError
from model.core.resolve import check_value, input_quantity
from model.loop.scenarios import DEFAULT_SCENARIO, SCENARIOS, ScenarioSettings, scenario_settings

from .fields import CATALOGUE_FIELDS, REQUIRED, Lab
from .labs import BASE_YEAR, BASE_YEAR_SOURCE
from .parameters import SCARCITY_PRICE_CAP, WORLD_GDP

# The lab's own fields from which an input is derived (see lab_inputs and lab_settings).
DERIVED = {"rented_share": "cost_basis", "revenue": "token_price"}


def lab_inputs(lab: Lab, base: tuple[int, str] = (BASE_YEAR, BASE_YEAR_SOURCE),
               gdp: tuple[float, str] = (WORLD_GDP.value, WORLD_GDP.source),
               ) -> dict[str, tuple[float | str, str]]:
    """The lab as single-lab inputs: catalogue name -> (value, citation), without the token
    price (which needs the resolved serving inputs: see lab_settings). `base`: the market's base
    year and its citation; `gdp`: the world's GDP that year (USD/year) and its citation."""
    missing = [n for n in REQUIRED if n not in lab.values]
    if missing:
        raise InputError(f"{lab.name}: missing {', '.join(missing)} (every lab states "
                         f"{', '.join(REQUIRED)})")
    out = {n: lab.values[n] for n in CATALOGUE_FIELDS if n in lab.values}
    rented, why = lab.values["rented_share"]
    basis = "rented" if rented >= 0.5 else "owned"
    out["cost_basis"] = (basis, f"{why}; {rented:.0%} rented: costed as {basis} (the majority)")
    out["start_year"] = base
    out.setdefault("scarcity_price_cap", (SCARCITY_PRICE_CAP.value, SCARCITY_PRICE_CAP.source))
    # the market's base year is not the catalogue's: its customers spend from that year's GDP
    out.setdefault("world_gdp_base_year", gdp)
    return out


def tokens_per_gpu_year(values: Mapping[str, float]) -> float:
    """Tokens one inference GPU serves a year (token/GPU/year), as the model's equation
    tokens_per_gpu_year computes it from resolved inputs."""
    useful = (values["gpu_peak_flops"] * values["util_inference"] * values["seconds_per_hour"]
              * values["hours_per_year"])
    return useful / (values["inference_flops_per_param_token"] * values["serving_active_params"])


def token_price(lab: Lab, values: Mapping[str, float]) -> float | None:
    """USD per million tokens at which the lab's inference GPUs earn its revenue (None for a
    lab with no revenue and no inference GPUs); InputError if no price can."""
    revenue = float(lab.value("revenue"))
    gpus = values["fleet_gpus"] * values["share_inference"]
    if gpus <= 0:
        if revenue > 0:
            raise InputError(f"{lab.name}.revenue: {revenue:g} USD/year needs inference GPUs, "
                             "but share_inference is 0")
        return None
    price = revenue / (gpus * tokens_per_gpu_year(values)) * 1e6
    q = input_quantity("token_price")
    if not q.min <= price <= q.max:
        raise InputError(f"{lab.name}.revenue: {revenue:g} USD/year over {gpus:,.0f} inference "
                         f"GPUs is {price:g} USD/Mtoken, outside token_price's bounds "
                         f"[{q.min:g}, {q.max:g}]")
    return check_value(q, price)


def lab_settings(lab: Lab, scenario: str | None = DEFAULT_SCENARIO,
                 overrides: Mapping[str, str | float] | None = None,
                 **year: tuple) -> ScenarioSettings:
    """Settings for `lab` alone: defaults < the lab < the scenario < overrides, validated;
    InputError names the lab. `project(lab_settings(lab))` runs it through the projection.
    `year`: lab_inputs' base and gdp (a market based in another year)."""
    inputs = lab_inputs(lab, **year)
    scenario = scenario or DEFAULT_SCENARIO
    chosen = SCENARIOS[scenario].values if scenario in SCENARIOS else {}
    user = dict(overrides or {})
    mine = {n: v for n, (v, _) in inputs.items() if n not in chosen}
    try:
        settings = scenario_settings(None, scenario, None, {**mine, **user})
        if "token_price" not in user:
            price = token_price(lab, settings.values)
            if price is not None:
                settings.values["token_price"] = price
                settings.sources["token_price"] = (
                    f"{lab.values['revenue'][1]}; derived: the revenue over the tokens a year "
                    "its inference GPUs serve")
    except InputError as exc:
        text = str(exc)
        mine_already = text.startswith((f"{lab.name}.", f"{lab.name}:"))
        raise InputError(text if mine_already else f"{lab.name}: {text}") from None
    for name, (_, source) in inputs.items():
        if name in mine and name not in user:
            settings.sources[name] = source
    settings.overrides = {n: str(v) for n, v in user.items()}
    return settings
