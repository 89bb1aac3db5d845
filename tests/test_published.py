"""Published figures reproduced through the CLI (see docs DATA.md and model/sources.py).

DeepSeek-V3 (arXiv 2412.19437, Table 1), the Llama 3.1 405B model card, DeepSeek's inference
disclosure (open-infra-index, day 6) and Epoch AI's estimate of OpenAI's 2024 compute: each is
reproduced within 1%, from the preset and from explicit --set values.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from model.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
WITHIN = 0.01  # 1%


def outputs(capsys, *argv: str) -> dict[str, float]:
    assert main([*argv, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    return {n: o["value"] for n, o in doc["outputs"].items()}


def sets(**values: str | float) -> list[str]:
    out: list[str] = []
    for name, value in values.items():
        out += ["--set", f"{name}={value}"]
    return out


# --- DeepSeek-V3: 2048 H800s, 37B active, 14.8T tokens, $2/GPU-hour ------------------------

DEEPSEEK_V3 = {"training_gpu_hours": 2_664e3, "training_cost": 5.328e6, "training_days": 54.2}


def test_deepseek_v3_mfu_is_what_the_published_hours_imply():
    # 6ND / (GPU-hours x 3600 s x peak): the preset's 34.63% is derived, not fitted to the CLI
    mfu = 6 * 37e9 * 14.8e12 / (2_664e3 * 3600 * 989.4e12)
    assert mfu == pytest.approx(0.3463, abs=5e-5)


@pytest.mark.parametrize("how", ["preset", "explicit", "explicit-with-units"])
def test_deepseek_v3_table_1(capsys, how):
    argv = {
        "preset": ["--preset", "deepseek-v3"],
        "explicit": ["--gpu", "H800", *sets(
            mfu_training=0.3463, model_active_params=37e9, training_tokens=14.8e12,
            training_gpus=2048, cost_basis="rented", gpu_rental_price=2)],
        "explicit-with-units": sets(**{
            "gpu_peak_flops": "989.4 TFLOP/s/GPU", "mfu_training": "34.63%",
            "model_active_params": 37e9, "training_tokens": "14.8 Ttoken",
            "training_gpus": "2.048 kGPU", "cost_basis": "rented",
            "gpu_rental_price": "2 USD/GPU/hour"}),
    }[how]
    out = outputs(capsys, "training-run", *argv)
    assert out["training_flops"] == pytest.approx(3.2856e24, rel=1e-9)
    for name, published in DEEPSEEK_V3.items():
        assert out[name] == pytest.approx(published, rel=WITHIN), name
    assert out["cost_per_gpu_hour"] == 2.0


def test_deepseek_v3_180k_gpu_hours_per_trillion_tokens(capsys):
    out = outputs(capsys, "training-run", "--preset", "deepseek-v3",
                  *sets(training_tokens=1e12))
    assert out["training_gpu_hours"] == pytest.approx(180e3, rel=WITHIN)
    assert out["training_days"] == pytest.approx(3.7, abs=0.05)  # "3.7 days on our cluster"


# --- Llama 3.1 405B model card: 30.84M H100-hours; 78.4 days on 16,384 GPUs at MFU 34.5% -----

LLAMA = {"training_gpu_hours": 30.84e6, "training_days": 78.4}


def test_llama_mfu_is_what_the_model_card_hours_imply():
    mfu = 6 * 405e9 * 15.6e12 / (30.84e6 * 3600 * 989.4e12)
    assert mfu == pytest.approx(0.345, abs=5e-4)


@pytest.mark.parametrize("how", ["preset", "explicit", "explicit-with-units"])
def test_llama_31_405b_model_card(capsys, how):
    argv = {
        "preset": ["--preset", "meta-2024"],
        "explicit": sets(mfu_training=0.345, model_active_params=405e9,
                         training_tokens=15.6e12, training_gpus=16384,
                         gpu_peak_flops=989.4e12),
        "explicit-with-units": ["--gpu", "H100", *sets(**{
            "mfu_training": "34.5 percent", "model_active_params": "405e9",
            "training_tokens": "15600 Gtoken", "training_gpus": "16384 GPU"})],
    }[how]
    out = outputs(capsys, "training-run", *argv)
    assert out["training_flops"] == pytest.approx(3.79e25, rel=WITHIN)
    for name, published in LLAMA.items():
        assert out[name] == pytest.approx(published, rel=WITHIN), name


def test_published_figures_through_a_real_subprocess():
    proc = subprocess.run(
        [sys.executable, "-m", "model", "training-run", "--preset", "deepseek-v3",
         "--format", "json"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = {n: o["value"] for n, o in json.loads(proc.stdout)["outputs"].items()}
    assert out["training_gpu_hours"] == pytest.approx(2_664e3, rel=WITHIN)
    assert out["training_cost"] == pytest.approx(5.328e6, rel=WITHIN)


# --- DeepSeek inference disclosure (27-28 Feb 2025): 1,814 H800s on average --------------------

def test_deepseek_inference_cost_and_revenue_per_day(capsys):
    out = outputs(capsys, "budget", "--preset", "deepseek-inference-2025")
    assert out["gpus_inference"] == pytest.approx(226.75 * 8, rel=1e-12)
    assert out["budget_inference"] / 365 == pytest.approx(87_072, rel=WITHIN)
    assert out["inference_revenue"] / 365 == pytest.approx(562_027, rel=WITHIN)
    # 608B input + 168B output tokens a day
    assert out["tokens_served"] / 365 == pytest.approx(776e9, rel=WITHIN)
    assert out["budget_total"] == pytest.approx(out["budget_inference"], rel=1e-12)


def test_deepseek_inference_from_explicit_values(capsys):
    out = outputs(capsys, "budget", "--gpu", "H800", *sets(**{
        "fleet_gpus": 1814, "share_training": 0, "share_research": 0, "share_automation": 0,
        "share_inference": 1, "share_other": 0, "cost_basis": "rented",
        "gpu_rental_price": "48 USD/GPU/day", "serving_active_params": 37e9,
        "util_inference": 0.37, "token_price": "0.7243 USD/Mtoken"}))
    assert out["budget_inference"] / 365 == pytest.approx(87_072, rel=WITHIN)
    assert out["inference_revenue"] / 365 == pytest.approx(562_027, rel=WITHIN)


# --- Epoch AI on OpenAI 2024: ~$7B compute, ~$5B R&D, ~$1.8-2B inference ----------------------

def test_openai_2024_budget(capsys):
    out = outputs(capsys, "budget", "--preset", "openai-2024")
    assert out["budget_total"] == pytest.approx(7e9, rel=WITHIN)
    assert out["budget_rnd"] == pytest.approx(5e9, rel=WITHIN)
    assert out["budget_inference"] == pytest.approx(1.9e9, rel=WITHIN)
    assert 1.8e9 <= out["budget_inference"] <= 2.0e9
    assert out["budget_training"] == pytest.approx(0.5e9, rel=WITHIN)
    # final runs are ~10% of R&D compute
    assert out["budget_training"] / out["budget_rnd"] == pytest.approx(0.10, rel=WITHIN)


# --- Meta end-2024: ~600k H100e, 16,384 of them on Llama 3 ---------------------------------

def test_meta_2024_budget_puts_about_16000_gpus_on_training(capsys):
    out = outputs(capsys, "budget", "--preset", "meta-2024")
    assert out["gpus_training"] == pytest.approx(16_384, rel=1e-9)
    assert out["gpus_training"] == pytest.approx(16_000, rel=0.05)
    assert sum(out[f"gpus_{u}"] for u in ("training", "research", "automation", "inference",
                                          "other")) == pytest.approx(600_000, rel=1e-9)
    # owned H100s: Epoch's ~$1.0-2.6 per GPU-hour all-in
    assert 1.0 <= out["cost_per_gpu_hour"] <= 2.6


def test_meta_2024_table_shows_the_training_gpus(capsys):
    assert main(["budget", "--preset", "meta-2024"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines()
            if line.startswith("gpus_training ")]
    assert len(rows) == 1
    assert "16,384 GPU" in rows[0]
