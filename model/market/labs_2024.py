"""The labs at end-2024 as a market, for the backtest: the single-lab presets' OpenAI, Anthropic
and Meta (each as its 2024 preset, so the market reads the single-lab backtest's observables
from the same starting points), beside Google DeepMind and xAI at Epoch AI's end-2024 fleets and
the rest of the world's chips.

Not a market preset: its base year is 2024, before the end-2025 labs' (model.market.labs), and
it exists to test the market's mechanisms (one chip supply, one customer market, the labs' own
frontier, one capital pool) against what 2025-26 published, where each lab alone misses. Where
no source gives a figure for 2024 the value is an assumption, cited '[assumption]' with its
reasoning and an interval, as the end-2025 labs' are.
"""

from __future__ import annotations

import math

from model.core.catalogue import CATALOGUE
from model.core.economy_inputs import PRODUCTION_2024, WORLD_GPUS_2024
from model.core.frontier_inputs import FRONTIER_RESEARCH_GPUS, FRONTIER_RESEARCH_STAFF
from model.core.presets import demand_growth
from model.core.resolve import resolve
from model.core.sources import cite
from model.loop.scenarios import ScenarioSettings, scenario_settings

from .labs import FLEET_2024, _lab, _months
from .parameters import SCARCITY_PRICE_CAP, Parameter
from .single_lab import lab_settings

BASE_YEAR = 2024
BASE = (BASE_YEAR, cite("epoch-lab-compute", "fleets at end-2024, revenue of 2024"))
_GDP = CATALOGUE["world_gdp_base_year"]
GDP = (_GDP.default, _GDP.source)
# The market's labs that are single-lab presets, by lab name.
PRESET_LABS = {"openai": "openai-2024", "anthropic": "anthropic-2024", "meta": "meta-2024"}
_PRESETS = {lab: resolve(preset).values for lab, preset in PRESET_LABS.items()}
# OpenAI's 2024 split as Epoch estimates it ($B of $7B), which the Anthropic preset borrows too.
_SPLIT = {"share_training": 0.5 / 7, "share_research": 4.5 / 7, "share_automation": 0.0,
          "share_inference": 1.9 / 7, "share_other": 0.1 / 7}


def _fleet(lab: str) -> float:
    return float(_PRESETS[lab]["fleet_gpus"])


def _revenue_per_gpu(lab: str, revenue: float) -> float:
    """A preset lab's 2024 revenue a year per inference H100e (USD/GPU/year)."""
    return revenue / (_fleet(lab) * float(_PRESETS[lab]["share_inference"]))


PER_GPU = {"openai": _revenue_per_gpu("openai", 3.7e9),
           "anthropic": _revenue_per_gpu("anthropic", 381e6)}
PER_GPU_MID = math.sqrt(PER_GPU["openai"] * PER_GPU["anthropic"])


def _revenue(inference_gpus: float) -> tuple:
    """Revenue assumed for a lab that reports none, as the end-2025 labs' is: its inference
    H100e at the geometric mean of OpenAI's and Anthropic's 2024 revenue per inference H100e,
    from Anthropic's to OpenAI's."""
    low, mid, high = (inference_gpus * v for v in
                      (PER_GPU["anthropic"], PER_GPU_MID, PER_GPU["openai"]))
    return (mid, cite("assumption", f"no revenue reported: {inference_gpus:,.0f} inference H100e "
                      f"at ${PER_GPU_MID:,.0f} a year each, the geometric mean of OpenAI's "
                      f"${PER_GPU['openai']:,.0f} and Anthropic's ${PER_GPU['anthropic']:,.0f} "
                      "in 2024 ([openai-revenue], [anthropic-revenue], [epoch-openai-2024]): "
                      f"${mid / 1e9:.2f}B; from ${low / 1e9:.2f}B to ${high / 1e9:.2f}B"),
            (low, high))


_NONE_AUTOMATED = (0.0, cite("assumption", "no lab reports compute running automated "
                                        "researchers; up to AI 2027's 1% for 2024 "
                                        "[ai2027-compute]"), (0.0, 0.01))
_NONE_OTHER = (0.0, cite("assumption", "no compute outside R&D and serving reported; up to AI "
                         "2027's 2% for monitoring [ai2027-compute]"), (0.0, 0.02))


def _split(why: str) -> dict[str, tuple]:
    """OpenAI's 2024 split for a lab with none published: the inference share the assumption
    (from 15% to half, OpenAI's 2025 share), the rest of the fleet R&D as OpenAI's."""
    of = cite("epoch-openai-2024", "as OpenAI's: final runs 0.5, experiments 4.5, inference 1.9 "
              "and other 0.1 of $7B")
    return {"share_inference": (_SPLIT["share_inference"], cite(
        "assumption", f"no published split for {why} in 2024: OpenAI's 1.9 of 7 "
        "[epoch-openai-2024]; from 15% to half (OpenAI's 2025 [epoch-acu])"), (0.15, 0.5)),
        "share_training": (_SPLIT["share_training"], of),
        "share_research": (_SPLIT["share_research"], of),
        "share_automation": _NONE_AUTOMATED, "share_other": (_SPLIT["share_other"], of)}


def _staff(fleet: float) -> tuple:
    """Research staff for a fleet split as OpenAI's, at the frontier's 2024 ratio."""
    staff = FRONTIER_RESEARCH_STAFF * fleet * _SPLIT["share_research"] / FRONTIER_RESEARCH_GPUS
    return (staff, cite("assumption", f"staff in proportion to research compute at the "
                        f"frontier's 2024 ratio (827 staff for {FRONTIER_RESEARCH_GPUS:,.0f} "
                        f"research H100e, [aifm-inputs], [epoch-openai-2024]): {staff:,.0f}"),
            (staff / 2, staff * 2))


def _demand(growth: float, citation: str, growths: tuple[float, float] | None = None) -> tuple:
    """User demand growth (1/year) from revenue growth, as the single-lab presets derive it;
    with `growths`, the interval the revenue growth's interval gives."""
    value = demand_growth(growth)
    out = (value, citation + f"; users from revenue growth {growth:.2f} as the single-lab "
           f"presets derive them [genai-prices]: {value:.2f} a year")
    return out if growths is None else (*out, tuple(demand_growth(g) for g in growths))


def _assumed_growth(why: str) -> dict[str, tuple]:
    """Revenue growth into 2024 (1/year) for a lab with no earlier figure, OpenAI's, up to
    Anthropic's, and the user demand growth it gives."""
    growth, interval = math.log(3), (math.log(3), math.log(10))
    return {"base_revenue_growth": (growth, cite(
        "assumption", f"{why}: OpenAI's ln 3 [openai-cfo-2026]; up to Anthropic's ln 10 "
        "[anthropic-revenue]"), interval),
        "user_demand_growth": _demand(growth, cite("assumption", "revenue growth as assumed "
                                                   "above"), interval)}


_ALPHABET, _ALPHABET_2025 = 52.5e9, 75e9
_GDM_OWNS = 1_583_429.95 / 5.05e6  # Google DeepMind's share of the compute Google owns, 2025
_GDM_FLEET = FLEET_2024["google-deepmind"]
GOOGLE_DEEPMIND = _lab(
    "google-deepmind", "Google DeepMind", fleet_gpus=(_GDM_FLEET, cite(
        "epoch-lab-compute", f"{_GDM_FLEET:,.0f} H100e at end-2024 (median)")),
    rented_share=(0.0, cite("epoch-acu", "an allocation of Alphabet's owned compute")),
    **_split("Google DeepMind"),
    revenue=_revenue(_GDM_FLEET * _SPLIT["share_inference"]),
    **_assumed_growth("no revenue reported"),
    financing_model=("parent", cite("capex-2024-25", "funded from Alphabet's capex")),
    external_financing=(_GDM_OWNS * _ALPHABET, cite(
        "assumption", f"Google DeepMind's share of the compute Google owns at end-2025, "
        f"{_GDM_OWNS:.2f} [epoch-chip-owners], of Alphabet's ~$52.5B in 2024 [capex-2024-25]: "
        f"${_GDM_OWNS * _ALPHABET / 1e9:.1f}B; from a fifth to half of it"),
        (0.2 * _ALPHABET, 0.5 * _ALPHABET)),
    financing_growth=(math.log(_ALPHABET_2025 / _ALPHABET), cite(
        "capex-2024-25", f"Alphabet's 2025 plan $75B over 2024's ~$52.5B: "
        f"ln(75/52.5) = {math.log(_ALPHABET_2025 / _ALPHABET):.2f}")),
    lab_supply_share=(_GDM_FLEET / WORLD_GPUS_2024, cite(
        "assumption", f"no end-2023 figure: its share of the world's end-2024 H100e "
        f"[epoch-lab-compute] [epoch-chips], {_GDM_FLEET / WORLD_GPUS_2024:.1%}; up to all of "
        f"its fleet added in 2024, {_GDM_FLEET / PRODUCTION_2024:.1%}"),
        (0.5 * _GDM_FLEET / WORLD_GPUS_2024, _GDM_FLEET / PRODUCTION_2024)),
    research_staff=_staff(_GDM_FLEET),
    software_gap=(0.0, cite("assumption", "Gemini at the frontier in 2024; up to the 3.5 "
                            "months open-weight models trail [epoch-open-models]"),
                  (0.0, _months(3.5))))

_XAI_FLEET = FLEET_2024["xai"]
XAI = _lab(
    "xai", "xAI", fleet_gpus=(_XAI_FLEET, cite(
        "epoch-lab-compute", f"{_XAI_FLEET:,.0f} H100e at end-2024 (median)")),
    rented_share=(1 - 553_714 / 634_792.61, cite(
        "assumption", "as at end-2025, when xAI owned 553,714 of the 634,793 H100e it used "
        "[epoch-chip-owners] [epoch-lab-compute]: 12.8% rented; from none to a quarter"),
        (0.0, 0.25)),
    share_inference=(0.10, cite("assumption", "no published split; 'compute allocation skews "
                                "heavily to R&D' [epoch-acu]; as assumed at end-2025"),
                     (0.043, 0.25)),
    share_training=(0.09, cite("epoch-final-runs", "final runs ~10% of R&D (0.9 of the fleet)")),
    share_research=(0.81, cite("epoch-final-runs", "the rest of R&D: 0.9 x 0.9")),
    share_automation=_NONE_AUTOMATED, share_other=_NONE_OTHER,
    revenue=(0.1e9, cite("xai-revenue", "around $100M a year in 2024"), (0.05e9, 0.2e9)),
    **_assumed_growth("Grok's paid tiers and API began in 2024, with no earlier figure"),
    financing_model=("parent", cite("xai-rounds", "funded by rounds and debt, not on revenue")),
    external_financing=(12e9, cite("xai-rounds", "$6B Series B (May 2024) and $6B Series C "
                                   "(Dec 2024)")),
    financing_growth=(0.0, cite("assumption", "no 2025 plan published by the base year: held "
                                "flat; up to doubling"), (0.0, math.log(2))),
    lab_supply_share=(_XAI_FLEET / PRODUCTION_2024, cite(
        "epoch-lab-compute", f"its {_XAI_FLEET:,.0f} H100e at end-2024, all built in 2024 "
        "(Colossus)") + "; " + cite("epoch-chips", f"of ~4.9M made in 2024: "
                                    f"{_XAI_FLEET / PRODUCTION_2024:.1%}")),
    research_staff=_staff(_XAI_FLEET),
    software_gap=(_months(3.5), cite("assumption", "Grok 2 trailing the frontier as open-weight "
                                     "models do, 3.5 months [epoch-open-models]; up to a year"),
                  (0.0, _months(12))))

_NAMED = (*(_fleet(lab) for lab in PRESET_LABS), _GDM_FLEET, _XAI_FLEET)
REST_FLEET = WORLD_GPUS_2024 - math.fsum(_NAMED)
_HYPERSCALERS, _HYPERSCALERS_2025 = 246e9, 320e9
_PARENTS = GOOGLE_DEEPMIND.value("external_financing") + _PRESETS["meta"]["external_financing"]
_REST_GROWTH = math.log(11.5 / 2.5)
_SHARES = (*(_PRESETS[lab]["lab_supply_share"] for lab in PRESET_LABS),
           GOOGLE_DEEPMIND.value("lab_supply_share"), XAI.value("lab_supply_share"))
REST_OF_WORLD = _lab(
    "rest-of-world", "Rest of the world",
    fleet_gpus=(REST_FLEET, cite("epoch-chips", f"the world's {WORLD_GPUS_2024:,.0f} H100e at "
                                 f"end-2024, less the five labs' {math.fsum(_NAMED):,.0f}: "
                                 f"{REST_FLEET:,.0f} (derived)")),
    rented_share=(0.5, cite("assumption", "as at end-2025: hyperscalers rent out about half of "
                            "theirs [epoch-chip-owners] [epoch-acu]; from 30% to 70%"), (0.3, 0.7)),
    share_inference=(0.5, cite("assumption", "no published split: half, as at end-2025"),
                     (0.3, 0.7)),
    share_training=(0.05, cite("epoch-final-runs", "final runs ~10% of R&D (half the fleet)")),
    share_research=(0.45, cite("epoch-final-runs", "the rest of R&D: 0.5 x 0.9")),
    share_automation=_NONE_AUTOMATED, share_other=_NONE_OTHER,
    revenue=_revenue(0.5 * REST_FLEET),
    base_revenue_growth=(_REST_GROWTH, cite("menlo-2023", "enterprise generative-AI spend ~$2.5B "
                         "(2023)") + " " + cite("menlo-2025", f"to ~$11.5B (2024): ln(11.5/2.5) "
                                                f"= {_REST_GROWTH:.2f}")),
    user_demand_growth=_demand(_REST_GROWTH, cite("menlo-2025", "enterprise spend 4.6x in 2024")),
    financing_model=("parent", cite("capex-2024-25", "the hyperscalers' capex pays for most of "
                                    "the world's compute")),
    external_financing=(_HYPERSCALERS - _PARENTS, cite(
        "capex-2024-25", f"Microsoft, Alphabet, Amazon and Meta spent $246B in 2024, less the "
        f"${_PARENTS / 1e9:.1f}B given to Google DeepMind and Meta above: "
        f"${(_HYPERSCALERS - _PARENTS) / 1e9:.1f}B (derived)")),
    financing_growth=(math.log(_HYPERSCALERS_2025 / _HYPERSCALERS), cite(
        "capex-2024-25", f"~$320B planned for 2025: ln(320/246) = "
        f"{math.log(_HYPERSCALERS_2025 / _HYPERSCALERS):.2f}")),
    lab_supply_share=(1 - math.fsum(_SHARES), cite(
        "epoch-chips", f"what the five labs did not add of 2024's production: "
        f"{1 - math.fsum(_SHARES):.1%} (derived)")),
    research_staff=(0.0, cite("assumption", "a fringe of many labs, none at the frontier's "
                              "scale: it follows by diffusion, as at end-2025; up to the staff "
                              "its research compute would have at the frontier's ratio"),
                    (0.0, _staff(REST_FLEET)[0] * 0.45 / _SPLIT["share_research"])),
    software_gap=(_months(3.5), cite("assumption", "open-weight models trail by 3.5 months "
                                     "[epoch-open-models]; up to a year"),
                  (_months(1.1), _months(12))))

LABS = (GOOGLE_DEEPMIND, XAI, REST_OF_WORLD)
NAMES = (*PRESET_LABS, *(lab.name for lab in LABS))
POOL_GROWTH = Parameter(math.log(_HYPERSCALERS_2025 / _HYPERSCALERS), 0.2, 0.6, cite(
    "capex-2024-25", "the money the labs raise together grows as the hyperscalers planned from "
    f"2024 to 2025: ln(320/246) = {math.log(_HYPERSCALERS_2025 / _HYPERSCALERS):.3f} a year"))


def settings(scenario: str, overrides: dict[str, str | float],
             labs: tuple = LABS) -> list[ScenarioSettings]:
    """Every lab's single-lab settings under `scenario` with `overrides`, in NAMES' order: the
    presets' as the single-lab backtest runs them (pricing scarcity at most as a market's lab
    does), the others' from their fields (`labs`: LABS, or a draw of them) at the 2024 base
    year."""
    cap = {"scarcity_price_cap": SCARCITY_PRICE_CAP.value}
    out = []
    for preset in PRESET_LABS.values():
        s = scenario_settings(preset, scenario, None, {**cap, **overrides})
        s.sources["scarcity_price_cap"] = SCARCITY_PRICE_CAP.source
        out.append(s)
    return out + [lab_settings(lab, scenario, overrides, base=BASE, gdp=GDP) for lab in labs]
