"""GPU catalogue: dense BF16 peak, TDP, memory and typical price, each with a source.

Choosing a GPU sets the inputs gpu_peak_flops, gpu_power and gpu_capex from its entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from .sources import cite


@dataclass(frozen=True)
class GPU:
    """One accelerator. Units: FLOP/s/GPU, W/GPU, GB, USD/GPU."""

    name: str
    label: str
    peak_flops: float
    power: float
    memory_gb: float
    price: float
    source: str

    def inputs(self) -> dict[str, float]:
        """The model inputs this GPU sets."""
        return {"gpu_peak_flops": self.peak_flops, "gpu_power": self.power,
                "gpu_capex": self.price}


_SHEET = "dense BF16 and TDP from NVIDIA's data sheet"
GPUS: dict[str, GPU] = {
    g.name: g
    for g in (
        GPU("A100", "NVIDIA A100 SXM4 80GB", 312e12, 400.0, 80.0, 17_500.0,
            cite("nvidia-datasheets", _SHEET) + "; "
            + cite("epoch-hardware", "~$17.5k list, 2020")),
        GPU("H100", "NVIDIA H100 SXM5 80GB", 989.4e12, 700.0, 80.0, 30_000.0,
            cite("nvidia-datasheets", _SHEET) + "; " + cite("epoch-hardware", "$30-40k per GPU")),
        GPU("H800", "NVIDIA H800 SXM5 80GB", 989.4e12, 700.0, 80.0, 33_800.0,
            cite("epoch-hardware", "no NVIDIA datasheet; ~989 TFLOP/s dense BF16, 700 W, "
                 "~$33.8k (2025)")),
        GPU("H200", "NVIDIA H200 SXM 141GB", 989.5e12, 700.0, 141.0, 34_000.0,
            cite("nvidia-datasheets", _SHEET) + "; " + cite("epoch-hardware", "~$34-39k")),
        GPU("B200", "NVIDIA B200 (HGX, 1000 W)", 2250e12, 1000.0, 180.0, 47_000.0,
            cite("nvidia-datasheets", _SHEET) + "; "
            + cite("epoch-hardware", "~$47k, DGX basis, 2024")),
    )
}
