"""What labs were observed to give research, training and inference: a sourced panel to set
beside the model's paths (`python -m model observed`, the app's Market tab, the market
workbook's Observed sheet).

One record per lab, year and observation. The shares use the model's categories:

- research_share: R&D less the final training runs of released models (experiments,
  de-risking runs, unreleased models, synthetic data): the model's `share_research`;
- training_share: final training runs (the model's `share_training`);
- rd_share: all R&D, research and training together, where a source does not separate them
  (and beside them where it does);
- inference_share: serving customers.

A share is `nan` where no source gives it. `measure` says what is divided: "expense" (dollars
of compute spend), "compute" (GPUs or the power capacity provisioned for them) or "energy"
(energy used). Every number is a source's or arithmetic on a source's, shown in `note`; the
sources' own words are in model.core.sources. Fleets are Epoch AI's medians as in
model.market.labs (tests/test_observed.py checks they agree); this module imports neither it
nor numpy, so the command starts fast.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

from model.core.sources import cite

NAN = math.nan
MEASURES = ("expense", "compute", "energy")


@dataclass(frozen=True)
class Observation:
    """One lab-year observation; shares are of `measure`, dollars a year, H100e at the date."""

    lab: str
    year: int
    period: str  # what the year means: "2024", "end-2025", "2019-2021"...
    measure: str
    scope: str  # what the shares cover: all R&D, final runs only, one cluster...
    research_share: float = NAN
    training_share: float = NAN
    rd_share: float = NAN
    inference_share: float = NAN
    total_usd: float = NAN
    rd_usd: float = NAN
    training_usd: float = NAN
    inference_usd: float = NAN
    fleet_h100e: float = NAN
    training_h100e: float = NAN
    rd_h100e: float = NAN
    inference_h100e: float = NAN
    note: str = ""  # how comparable the measure is with the model's shares, and the arithmetic
    citation: str = ""


COLUMNS = tuple(f.name for f in fields(Observation))
SHARES = ("research_share", "training_share", "rd_share", "inference_share")

# OpenAI 2024 ($B): the reported expenses, and Epoch's restatement with research compute
# amortised over two years instead of 'multiple'; final runs ~$0.5B of the R&D.
_TRAIN, _INFER, _RESEARCH_AMORTISED, _RESEARCH_EPOCH, _FINAL = 3.0, 1.8, 1.0, 2.0, 0.5
_REPORTED = _TRAIN + _INFER + _RESEARCH_AMORTISED  # 5.8
_EPOCH = _TRAIN + _INFER + _RESEARCH_EPOCH  # 6.8
_EPOCH_RD = _TRAIN + _RESEARCH_EPOCH  # 5.0
_OPENAI_H100E_2024 = 388_000  # Epoch: '$6.8B all-Hopper at $2/hr => ~388k H100e average'
# OpenAI 2025 ($B): Epoch's projected R&D compute, and its cloud compute spend as reported.
_RD_2025, _SPEND_2025 = 9.0, 16.3
# Epoch's medians (H100e), as in model.market.labs.
_OPENAI_END_2025 = 1_743_439.85
_ANTHROPIC_END_2025 = 1_189_573.89
_XAI_END_2024 = 203_366.32
# Meta 2024: the final run's GPUs, Meta's fleet, Epoch's frontier cluster and owned fleet.
_LLAMA_GPUS, _META_FLEET = 16_384, 600_000
_LLAMA_HOURS = 30.84e6  # H100-hours of Llama 3.1 405B (model card)
_META_CLUSTER, _META_OWNED = 100_000, 700_000
_COLOSSUS = 100_000
# DeepSeek: V3's cluster, its inference nodes on average over a day, SemiAnalysis's fleet.
_V3_GPUS, _INFERENCE_NODES, _DEEPSEEK_FLEET = 2_048, 226.75, 50_000

PANEL: tuple[Observation, ...] = (
    Observation(
        "openai", 2024, "2024", "expense", "all R&D compute (training incl. experiments, "
        "research amortised) vs inference, as reported",
        rd_share=(_TRAIN + _RESEARCH_AMORTISED) / _REPORTED, inference_share=_INFER / _REPORTED,
        total_usd=_REPORTED * 1e9, rd_usd=(_TRAIN + _RESEARCH_AMORTISED) * 1e9,
        inference_usd=_INFER * 1e9,
        note=f"dollar shares of rented compute, the reported accounting: R&D ({_TRAIN:g} "
        f"training + {_RESEARCH_AMORTISED:g} research amortised) / {_REPORTED:g} = "
        f"{(_TRAIN + _RESEARCH_AMORTISED) / _REPORTED:.3f}; inference {_INFER:g} / "
        f"{_REPORTED:g} = {_INFER / _REPORTED:.3f}. 'Training' includes experimental runs, so "
        "research and final runs are not separable here; inference excludes Microsoft's own "
        "serving of OpenAI models",
        citation=cite("epoch-openai-spend-page", "$3B training, $1.8B inference, $1B research "
                      "amortised")),
    Observation(
        "openai", 2024, "2024", "expense", "all R&D incl. experiments, with final runs of "
        "released models separated",
        research_share=(_EPOCH_RD - _FINAL) / _EPOCH, training_share=_FINAL / _EPOCH,
        rd_share=_EPOCH_RD / _EPOCH, inference_share=_INFER / _EPOCH, total_usd=_EPOCH * 1e9,
        rd_usd=_EPOCH_RD * 1e9, training_usd=_FINAL * 1e9, inference_usd=_INFER * 1e9,
        fleet_h100e=_OPENAI_H100E_2024,
        note=f"dollar shares of ~${_EPOCH:g}B ({_TRAIN:g} + {_INFER:g} + {_RESEARCH_EPOCH:g} "
        f"research amortised over two years, Epoch's assumption): R&D {_EPOCH_RD:g} / "
        f"{_EPOCH:g} = {_EPOCH_RD / _EPOCH:.3f} (the headline '~$5B of ~$7B' rounds it to "
        f"0.71); final runs {_FINAL:g} / {_EPOCH:g} = {_FINAL / _EPOCH:.3f}; research "
        f"{_EPOCH_RD - _FINAL:g} / {_EPOCH:g} = {(_EPOCH_RD - _FINAL) / _EPOCH:.3f}; inference "
        f"{_INFER:g} / {_EPOCH:g} = {_INFER / _EPOCH:.3f}. Closest to the model's categories; "
        f"~{_OPENAI_H100E_2024:,} H100e is Epoch's average at $2 an hour",
        citation="; ".join((
            cite("epoch-openai-spend-page", "$2B research incurred in 2024"),
            cite("epoch-final-runs", "final runs ~$0.5B of ~$5B R&D"),
            cite("epoch-acu", "~388k H100e average")))),
    Observation(
        "openai", 2025, "2025", "compute", "inference vs the rest (R&D) of the compute used",
        rd_share=0.5, inference_share=0.5, fleet_h100e=_OPENAI_END_2025,
        note="Epoch's estimate of the compute share over 2025 (GPU-time, not dollars); R&D is "
        "the rest, 1 - 0.5, final runs not separated. The fleet is the end-2025 median",
        citation=cite("epoch-acu", "inference ~50% of OpenAI's 2025 compute") + "; " + cite(
            "epoch-lab-compute", f"{_OPENAI_END_2025:,.0f} H100e at end-2025")),
    Observation(
        "openai", 2025, "2025", "expense", "all R&D compute (projected) vs the rest of the "
        "cloud compute spend",
        rd_share=_RD_2025 / _SPEND_2025, inference_share=(_SPEND_2025 - _RD_2025) / _SPEND_2025,
        total_usd=_SPEND_2025 * 1e9, rd_usd=_RD_2025 * 1e9,
        inference_usd=_SPEND_2025 * 1e9 - _RD_2025 * 1e9,
        note=f"dollar shares: R&D {_RD_2025:g} / {_SPEND_2025:g} = "
        f"{_RD_2025 / _SPEND_2025:.3f}; inference the rest, ({_SPEND_2025:g} - {_RD_2025:g}) "
        f"/ {_SPEND_2025:g} = {(_SPEND_2025 - _RD_2025) / _SPEND_2025:.3f}. The R&D figure was "
        "a projection and the spend a report; assumes all spend is R&D or inference",
        citation=cite("epoch-gpt5-compute", "~$9B R&D compute in 2025") + "; " + cite(
            "epoch-acu", "2025 cloud compute spend $16.3B")),
    Observation(
        "anthropic", 2025, "2025", "compute", "inference vs the rest (R&D) over the year",
        rd_share=0.6, inference_share=0.4, total_usd=6.8e9, fleet_h100e=_ANTHROPIC_END_2025,
        note="Epoch's estimate of the compute share over 2025; R&D is the rest, 1 - 0.4. The "
        "$6.8B is the year's cloud spend the shares apply to (not split in dollars); the fleet "
        "is the end-2025 median",
        citation=cite("epoch-acu", "inference ~40% of Anthropic's 2025 compute; cloud spend "
                      "$6.8B") + "; " + cite("epoch-lab-compute", f"{_ANTHROPIC_END_2025:,.0f} "
                                             "H100e at end-2025")),
    Observation(
        "anthropic", 2025, "end-2025", "compute", "inference vs the rest (R&D) at the year's "
        "end", rd_share=0.5, inference_share=0.5, fleet_h100e=_ANTHROPIC_END_2025,
        note="Epoch assumes ~50% inference at end-2025 (a snapshot, not the year): R&D 1 - 0.5",
        citation=cite("epoch-acu", "assume ~50% inference at end-2025")),
    Observation(
        "meta", 2024, "2024", "compute", "one final run (Llama 3.1 405B) of the whole company's "
        "fleet, recommendation included",
        training_share=_LLAMA_GPUS / _META_FLEET, fleet_h100e=_META_FLEET,
        training_h100e=_LLAMA_GPUS,
        note=f"{_LLAMA_GPUS:,} / {_META_FLEET:,} = {_LLAMA_GPUS / _META_FLEET:.4f} of the GPUs "
        f"while the run lasted; in GPU-hours over a year {_LLAMA_HOURS / 1e6:g}M / "
        f"({_META_FLEET:,} x 8,760) = {_LLAMA_HOURS / (_META_FLEET * 8760):.4f}. Not Meta "
        "Superintelligence Labs' fleet, which the market's 'meta' lab is",
        citation=cite("llama3", "up to 16K H100s") + "; " + cite(
            "meta-fleet", "~600,000 H100e by end-2024") + "; " + cite(
            "llama31-card", "30.84M H100-hours")),
    Observation(
        "meta", 2024, "end-2024", "compute", "the frontier training cluster only (a floor on "
        "R&D: other clusters also train and experiment)",
        rd_share=_META_CLUSTER / _META_OWNED, fleet_h100e=_META_OWNED, rd_h100e=_META_CLUSTER,
        note=f"{_META_CLUSTER:,} / {_META_OWNED:,} = {_META_CLUSTER / _META_OWNED:.3f} of the "
        "whole company's owned fleet (Epoch rounds it to ~15%)",
        citation=cite("epoch-acu", "end-2024 Meta owned ~700k H100e; 100k-H100 frontier "
                      "training cluster ~15% of Meta's compute")),
    Observation(
        "meta", 2021, "2021", "compute", "all of Facebook's AI infrastructure (not a frontier "
        "lab's): experimentation, training, inference",
        research_share=0.10, training_share=0.20, rd_share=0.30, inference_share=0.70,
        note="power capacity provisioned, 10:20:70; 'training' includes tuning and retraining, "
        "so it is wider than final runs (as Epoch's cost notebook reads it); R&D 0.10 + 0.20",
        citation=cite("wu-2022", "10:20:70") + "; " + cite(
            "epoch-costs", "training-cost-trends, development costs: 'training' is not just the "
            "final training run")),
    Observation(
        "google", 2021, "2019-2021", "energy", "all ML energy at Google: research, "
        "development, testing and production",
        rd_share=0.4, inference_share=0.6,
        note="energy used, about 2/5 training (research and experiments included) and 3/5 "
        "inference across 2019-2021; all of Google, not Google DeepMind alone",
        citation=cite("patterson-2022", "~3/5 inference, ~2/5 training")),
    Observation(
        "xai", 2024, "end-2024", "compute", "the frontier training cluster only (a floor on "
        "R&D)", rd_share=_COLOSSUS / _XAI_END_2024, fleet_h100e=_XAI_END_2024,
        rd_h100e=_COLOSSUS,
        note=f"{_COLOSSUS:,} / {_XAI_END_2024:,.0f} = {_COLOSSUS / _XAI_END_2024:.3f}: the "
        "Colossus H100s that trained Grok 3 against Epoch's end-2024 fleet (reported, "
        "secondary; the cluster also ran experiments)",
        citation=cite("xai-grok3", "100,000 H100s") + "; " + cite(
            "epoch-lab-compute", f"{_XAI_END_2024:,.0f} H100e at end-2024")),
    Observation(
        "deepseek", 2024, "2024", "compute", "one final run (DeepSeek-V3) of the estimated "
        "fleet", training_share=_V3_GPUS / _DEEPSEEK_FLEET, fleet_h100e=_DEEPSEEK_FLEET,
        training_h100e=_V3_GPUS,
        note=f"{_V3_GPUS:,} H800 / ~{_DEEPSEEK_FLEET:,} = {_V3_GPUS / _DEEPSEEK_FLEET:.4f} "
        "while the run lasted; the fleet is an analyst's disputed count of GPUs (H20s "
        "included), not H100e, and shared with High-Flyer's trading",
        citation=cite("deepseek-v3", "2,048 H800 GPUs") + "; " + cite(
            "semianalysis-deepseek", "~50,000 Hopper GPUs")),
    Observation(
        "deepseek", 2025, "Feb 2025, one day", "compute", "inference nodes on average over a "
        "day, of the estimated fleet",
        inference_share=_INFERENCE_NODES * 8 / _DEEPSEEK_FLEET, fleet_h100e=_DEEPSEEK_FLEET,
        inference_h100e=_INFERENCE_NODES * 8,
        note=f"{_INFERENCE_NODES:g} nodes x 8 = {_INFERENCE_NODES * 8:,.0f} H800 / "
        f"~{_DEEPSEEK_FLEET:,} = {_INFERENCE_NODES * 8 / _DEEPSEEK_FLEET:.4f}; the fleet is an "
        "analyst's disputed count of GPUs, not H100e",
        citation=cite("deepseek-inference", "226.75 H800 nodes on average") + "; " + cite(
            "semianalysis-deepseek", "~50,000 Hopper GPUs")),
)
LABS = tuple(dict.fromkeys(o.lab for o in PANEL))


def panel(lab: str | None = None):
    """The panel as a pandas DataFrame, one row per observation (`lab` alone if given)."""
    import pandas as pd

    rows = [o for o in PANEL if lab is None or o.lab == lab]
    return pd.DataFrame([[getattr(o, c) for c in COLUMNS] for o in rows], columns=list(COLUMNS))


def research_points(df) -> list[dict]:
    """The points to set beside the model's research-share paths: research where a source
    separates it from final runs, else all R&D (marked so), with what the tooltip shows."""
    out = []
    for r in df.itertuples(index=False):
        value, kind = ((r.research_share, "research (R&D less final runs)")
                       if not math.isnan(r.research_share) else
                       (r.rd_share, "all R&D (final runs included)"))
        if not math.isnan(value):
            out.append({"lab": r.lab, "year": r.year, "value": value, "kind": kind,
                        "measure": r.measure, "period": r.period, "scope": r.scope,
                        "citation": r.citation})
    return out
