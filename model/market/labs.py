"""The frontier labs at end-2025, and the rest of the world, as market presets.

Fleets are Epoch AI's end-2025 estimates of the compute each lab rents or uses (medians, with
their 90% intervals); the rest of the world is the deployed world stock less the named labs.
The base year is 2025: its fleet is the end-2025 stock (the base year's fleet is its end
stock in the projection) and its revenue 2025's. Where no source gives a figure the value is an
assumption, cited '[assumption]' with the reasoning and an interval in `Lab.intervals`.
"""

from __future__ import annotations

import math

from model.core.frontier_inputs import HISTORICAL_RATE
from model.core.presets import ANTHROPIC_END_2024, demand_growth
from model.core.sources import cite

from .fields import Lab

BASE_YEAR = 2025
BASE_YEAR_SOURCE = cite("epoch-lab-compute", "fleets at end-2025, revenue of 2025")
# Epoch's medians at end-2024 and end-2025 (H100e), and their 90% intervals at end-2025.
FLEET_2024 = {"openai": 386_218.71, "anthropic": ANTHROPIC_END_2024, "google-deepmind": 420_334.48,
              "xai": 203_366.32, "meta": 247_706.74}
FLEET_2025 = {"openai": 1_743_439.85, "anthropic": 1_189_573.89,
              "google-deepmind": 1_583_429.95, "xai": 634_792.61, "meta": 996_228.06}
FLEET_2025_CI = {"openai": (1_251_477.08, 2_185_142.35), "anthropic": (842_241.63, 1_716_534.70),
                 "google-deepmind": (1_008_220.47, 2_548_755.70), "xai": (587_268.48, 786_632.59),
                 "meta": (606_301.48, 1_637_712.65)}
WORLD_DEPLOYED = 16e6
WORLD_SOURCE = cite("epoch-acu", "deployed world stock ~16M H100e at end-2025")
# Cumulative H100e sold: 19,737,835 at end-2025 less 6,531,926 at end-2024 (Nvidia, TPU, AMD,
# Trainium medians).
PRODUCTION_2025 = 19_737_835 - 6_531_926
# fsum: builtin sum rounds differently from Python 3.12, and the market's replies amplify a
# last bit
REST_FLEET = WORLD_DEPLOYED - math.fsum(FLEET_2025.values())
FINAL_RUNS = 0.10  # final training runs' share of R&D compute (OpenAI 2024)
# Revenue a year per inference H100e: OpenAI's and Anthropic's 2025 (the only published splits).
PER_GPU = {"openai": 13.1e9 / (0.5 * FLEET_2025["openai"]),
           "anthropic": 4.5e9 / (0.4 * FLEET_2025["anthropic"])}
PER_GPU_MID = math.sqrt(PER_GPU["openai"] * PER_GPU["anthropic"])
OPENAI_RESEARCH = FLEET_2025["openai"] * 0.5 * (1 - FINAL_RUNS)
OPENAI_STAFF = 1_488.0


def _months(months: float) -> float:
    """OOMs of software efficiency the frontier gains in `months` at the historical rate."""
    return months / 12 * HISTORICAL_RATE / math.log(10)


def _lab(name: str, title: str, **values: tuple) -> Lab:
    """A lab from field=(value, citation) or (value, citation, (low, high)) pairs."""
    return Lab(name, title, {k: (v[0], v[1]) for k, v in values.items()},
               {k: v[2] for k, v in values.items() if len(v) == 3})


def _shares(inference: float, why: str, other: float = 0.0, other_why: str = "",
            inference_range: tuple[float, float] | None = None,
            other_range: tuple[float, float] = (0.0, 0.02)) -> dict[str, tuple]:
    """The five shares: inference as given, R&D the rest but `other`, final runs a tenth of
    R&D; automation 0 (no lab reports compute running automated researchers)."""
    rnd = 1 - inference - other
    runs = cite("epoch-final-runs", f"final runs ~10% of R&D compute: R&D {rnd:.2f} of the "
                "fleet less inference and other")
    inf = (inference, why) if inference_range is None else (inference, why, inference_range)
    return {
        "share_inference": inf,
        "share_training": (FINAL_RUNS * rnd, runs),
        "share_research": ((1 - FINAL_RUNS) * rnd, runs),
        "share_automation": (0.0, cite("assumption", "no lab reports compute running automated "
                             "researchers; up to AI 2027's 3% for 2025 [ai2027-compute]"),
                             (0.0, 0.03)),
        "share_other": (other, other_why or cite(
            "assumption", "no compute outside R&D and serving reported; up to AI 2027's 2% "
            "for monitoring [ai2027-compute]"), other_range),
    }


def _fleet(name: str) -> tuple:
    lo, hi = FLEET_2025_CI[name]
    return (FLEET_2025[name], cite("epoch-lab-compute", f"{FLEET_2025[name]:,.0f} H100e at "
                                   f"end-2025 (median; 90% interval {lo:,.0f}-{hi:,.0f})"),
            (lo, hi))


def _supply(name: str) -> tuple:
    added = FLEET_2025[name] - FLEET_2024[name]
    share = added / PRODUCTION_2025
    return (share, cite("epoch-lab-compute", f"+{added:,.0f} H100e in 2025") + "; " + cite(
        "epoch-chips", f"of {PRODUCTION_2025:,.0f} H100e sold in 2025: {share:.1%}"))


def _staff(research_gpus: float) -> tuple:
    """Research staff for `research_gpus` research H100e, at OpenAI's 2025 ratio."""
    staff = OPENAI_STAFF * research_gpus / OPENAI_RESEARCH
    return (staff, cite("assumption", f"research staff in proportion to research compute at "
                        f"OpenAI's 2025 ratio ([aifm-inputs]: 1,488 staff for "
                        f"{OPENAI_RESEARCH:,.0f} research H100e): {staff:,.0f}"),
            (staff / 2, staff * 2))


def _at_frontier(why: str) -> tuple:
    return (0.0, cite("assumption", f"{why}; up to the 3.5 months open-weight models trail "
                      "[epoch-open-models]"), (0.0, _months(3.5)))


def _demand(growth: float, citation: str) -> tuple:
    value = demand_growth(growth)
    return (value, citation + f"; users from revenue growth {growth:.2f} plus the frontier's "
            "falling price, less tokens per user and the price effect (as the single-lab "
            f"presets derive it [genai-prices]): {value:.2f} a year")


def _parent(share: float, parent: str, capex: float, guide: float, why: str) -> dict:
    budget = share * capex
    return {
        "financing_model": ("parent", cite("capex-2025-26", f"funded from {parent}'s capex")),
        "external_financing": (budget, cite("capex-2025-26", f"{parent} spent ${capex / 1e9:.1f}B "
                               f"in 2025") + f"; {why}: {share:.3f} of it, ${budget / 1e9:.1f}B"),
        "financing_growth": (math.log(guide / capex), cite(
            "capex-2025-26", f"{parent}'s 2026 guidance ${guide / 1e9:.0f}B (midpoint): "
            f"ln({guide / 1e9:.0f}/{capex / 1e9:.1f}) = {math.log(guide / capex):.2f}")),
    }


_RENT = (1.50, cite("epoch-acu", "Hopper contracts signed in 2025 at $1.20-1.80 an hour: "
                    "midpoint $1.50 per H100e-hour"))
_CAPEX = (23_238.0, cite("epoch-nv-prices", "H100 $20,000-27,000 in 2025, geometric mean"))
_COMMON = {"gpu_rental_price": _RENT, "gpu_capex": _CAPEX}
_RENTS = cite("epoch-acu", "rents its compute")
_OWNS_GOOGLE = FLEET_2025["google-deepmind"] / 5.05e6
_OWNS_META = FLEET_2025["meta"] / 2.30e6

_OPENAI_GROWTH = math.log(20 / 6)
OPENAI = _lab(
    "openai", "OpenAI", fleet_gpus=_fleet("openai"), rented_share=(1.0, _RENTS),
    **_shares(0.5, cite("epoch-acu", "inference ~50% of OpenAI's 2025 compute")),
    revenue=(13.1e9, cite("openai-revenue", "$13.1B in 2025")),
    base_revenue_growth=(_OPENAI_GROWTH, cite("openai-cfo-2026", "annualised revenue $6B "
                         "(end-2024) to >$20B (end-2025): ln(20/6) = 1.20")),
    user_demand_growth=_demand(_OPENAI_GROWTH, cite("openai-cfo-2026", "revenue 3.3x in 2025")),
    financing_model=("revenue-multiple", cite("openai-rounds", "equity rounds priced on "
                                              "revenue")),
    revenue_multiple=(852 / 13.1, cite("openai-rounds", "$852B (Mar 2026)") + " " + cite(
        "openai-revenue", "on 2025 revenue of $13.1B: 65x")),
    lab_supply_share=_supply("openai"), research_staff=(OPENAI_STAFF, cite(
        "aifm-inputs", "the leading AI company's 1,488 coding staff in 2025")),
    software_gap=(0.0, cite("epoch-openai-2024", "OpenAI's research is the frontier's "
                            "reference")), **_COMMON)

_ANTHROPIC_GROWTH = math.log(9)
ANTHROPIC = _lab(
    "anthropic", "Anthropic", fleet_gpus=_fleet("anthropic"), rented_share=(1.0, _RENTS),
    **_shares(0.4, cite("epoch-acu", "inference ~40% of Anthropic's compute over 2025 (~50% "
                        "at the year's end)")),
    revenue=(4.5e9, cite("anthropic-revenue", "$4.5B in 2025")),
    base_revenue_growth=(_ANTHROPIC_GROWTH, cite("anthropic-revenue", "run-rate ~$1B (Dec "
                         "2024) to ~$9B (end-2025): ln 9 = 2.20")),
    user_demand_growth=_demand(_ANTHROPIC_GROWTH, cite("anthropic-revenue", "run-rate 9x in "
                                                       "2025")),
    financing_model=("revenue-multiple", cite("anthropic-rounds", "equity rounds priced on "
                                              "revenue")),
    revenue_multiple=(380 / 4.5, cite("anthropic-rounds", "$380B (Feb 2026)") + " " + cite(
        "anthropic-revenue", "on 2025 revenue of $4.5B: 84x")),
    lab_supply_share=_supply("anthropic"),
    research_staff=_staff(FLEET_2025["anthropic"] * 0.6 * (1 - FINAL_RUNS)),
    software_gap=_at_frontier("Claude at the frontier in 2025"), **_COMMON)


def _per_gpu_revenue(inference_gpus: float, low: float, low_why: str) -> tuple:
    """Revenue assumed for a lab that reports none: its inference H100e at the geometric mean
    of OpenAI's and Anthropic's revenue per inference H100e, from `low` to OpenAI's."""
    mid, high = inference_gpus * PER_GPU_MID, inference_gpus * PER_GPU["openai"]
    return (mid, cite("assumption", f"no revenue reported: {inference_gpus:,.0f} inference "
                      f"H100e at ${PER_GPU_MID:,.0f} a year each, the geometric mean of "
                      f"OpenAI's ${PER_GPU['openai']:,.0f} and Anthropic's "
                      f"${PER_GPU['anthropic']:,.0f} ([openai-revenue], [anthropic-revenue], "
                      f"[epoch-acu]): ${mid / 1e9:.1f}B; from ${low / 1e9:.1f}B ({low_why}) "
                      f"to ${high / 1e9:.1f}B (at OpenAI's)"), (low, high))


_GDM_INFERENCE = 0.5 * FLEET_2025["google-deepmind"]
_GDM_TOKENS = math.log(1300 / 480) / (5 / 12)  # tokens a month, May to Oct 2025, a year
_GDM_GROWTH = _GDM_TOKENS - math.log(60 / 10) / 2.40
_GDM_GROWTH_WHY = cite("google-tokens", f"tokens 480T (May 2025) to 1.3 quadrillion (Oct 2025) "
                       f"a month: {_GDM_TOKENS:.2f} a year") + "; " + cite(
    "genai-prices", f"less the frontier's price decline 0.75: {_GDM_GROWTH:.2f} (derived)")
GOOGLE_DEEPMIND = _lab(
    "google-deepmind", "Google DeepMind", fleet_gpus=_fleet("google-deepmind"),
    rented_share=(0.0, cite("epoch-acu", "an allocation of Alphabet's owned compute")),
    **_shares(0.5, cite("assumption", "no published split: as OpenAI's ~50% [epoch-acu], a "
                        "lab serving 750M monthly app users [google-tokens]"),
              inference_range=(0.3, 0.7)),
    revenue=_per_gpu_revenue(_GDM_INFERENCE, 21 / 40 * 4.5e9, "API only: Google's ~21% of "
                             "enterprise API spend to Anthropic's ~40% [menlo-2025], on "
                             "Anthropic's $4.5B"),
    base_revenue_growth=(_GDM_GROWTH, _GDM_GROWTH_WHY),
    user_demand_growth=_demand(_GDM_GROWTH, _GDM_GROWTH_WHY),
    **_parent(_OWNS_GOOGLE, "Alphabet", 91.4e9, 180e9, cite(
        "epoch-chip-owners", "Google DeepMind's 1.58M H100e of the 5.05M Google owns")),
    lab_supply_share=_supply("google-deepmind"),
    research_staff=_staff(FLEET_2025["google-deepmind"] * 0.5 * (1 - FINAL_RUNS)),
    software_gap=_at_frontier("Gemini at the frontier in 2025"), **_COMMON)

_XAI_OWNED = 553_714
_XAI_REVENUE = 0.2e9 + 2 * 0.107e9
_XAI_GROWTH = math.log(_XAI_REVENUE / 0.1e9)
XAI = _lab(
    "xai", "xAI", fleet_gpus=_fleet("xai"),
    rented_share=(1 - _XAI_OWNED / FLEET_2025["xai"], cite(
        "epoch-chip-owners", "xAI owns 553,714 H100e ('Colossus 1+2 2025')") + "; " + cite(
        "epoch-lab-compute", "of 634,793 it uses: the rest, 12.8%, rented")),
    **_shares(0.10, cite("assumption", "no published split; 'compute allocation skews heavily "
                         "to R&D' [epoch-acu]; from 4.3% (its revenue at OpenAI's per "
                         "inference GPU) to 25%"), inference_range=(0.043, 0.25)),
    revenue=(_XAI_REVENUE, cite("assumption", "over $200M through September and $107M in the "
                                "third quarter, nearly double the second [xai-revenue]: a "
                                "fourth quarter at twice the third gives $0.41B; from $0.31B "
                                "(flat) to the $0.5B target"), (0.307e9, 0.5e9)),
    base_revenue_growth=(_XAI_GROWTH, cite("assumption", "~$100M in 2024 [xai-revenue] to "
                                           f"the $0.41B assumed: {_XAI_GROWTH:.2f}"),
                         (math.log(3.07), math.log(5))),
    user_demand_growth=_demand(_XAI_GROWTH, cite("xai-revenue", "revenue ~4x in 2025 "
                                                 "(assumed above)")),
    financing_model=("parent", cite("xai-rounds", "funded by rounds and debt, not on revenue; "
                                    "now SpaceX's")),
    external_financing=(10e9, cite("xai-rounds", "$5B of debt and $5B of equity in Jun 2025")),
    financing_growth=(math.log(2), cite("xai-rounds", "$20B Series E in Jan 2026: ln 2")),
    lab_supply_share=_supply("xai"),
    research_staff=_staff(FLEET_2025["xai"] * 0.9 * (1 - FINAL_RUNS)),
    software_gap=_at_frontier("Grok at the frontier in 2025"), **_COMMON)

META = _lab(
    "meta", "Meta Superintelligence Labs", fleet_gpus=_fleet("meta"),
    rented_share=(90.6e3 / FLEET_2025["meta"], cite(
        "epoch-lab-intermediates", "90.6k H100e rented of 996,228: 9.1%")),
    **_shares(0.0, cite("meta-revenue", "no paid API or subscriptions: Llama is open-weight"),
              other=0.3, other_why=cite(
                  "assumption", "serving Meta AI free in Meta's apps (no revenue line "
                  "[meta-revenue]); no source splits the lab's compute"), other_range=(0.1, 0.5)),
    revenue=(0.0, cite("meta-revenue", "Meta's revenue is advertising; none from its models")),
    **_parent(_OWNS_META, "Meta", 72.2e9, 125e9, cite(
        "epoch-chip-owners", "the lab's 0.996M H100e of the 2.30M Meta owns")),
    lab_supply_share=_supply("meta"),
    research_staff=_staff(FLEET_2025["meta"] * 0.7 * (1 - FINAL_RUNS)),
    software_gap=(_months(3.5), cite("assumption", "Llama trails as open-weight models do, 3.5 "
                                     "months [epoch-open-models]; up to a year"),
                  (0.0, _months(12))), **_COMMON)
