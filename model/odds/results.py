"""Finished draws on disk, so a long run resumes where it stopped: a Parquet dataset (a folder),
one file per draw, written once (to a temporary name, then renamed: a killed run leaves no half
file) and never rewritten. A file's name is its key: the run's configuration (a digest of the
labs, horizon, step and overrides, and of the model's own code, so that a changed model never
reuses a stale draw), the scenario, the seed and the draw index; the draws of another
configuration in the same folder are left alone.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pandas as pd

from .outcome import Spec


def config_key(spec: Spec) -> str:
    """A digest of what a draw's numbers depend on besides its scenario, seed and index."""
    doc = {"model": model_digest(),
           "labs": [[lab.name, {k: v[0] for k, v in sorted(lab.values.items())},
                     {k: list(v) for k, v in sorted(lab.intervals.items())}]
                    for lab in spec.labs],
           "years": spec.years, "lookahead": spec.lookahead, "step": spec.step,
           "overrides": {k: str(v) for k, v in sorted(spec.overrides.items())}}
    text = json.dumps(doc, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


_SOURCES = {".py", ".txt", ".json", ".toml", ".csv"}  # code, and the data it reads (units)


@cache
def model_digest() -> str:
    """A digest of the code a draw's numbers come from (the model's layers up to the odds):
    results written by another version of it are another configuration's."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for layer in ("core", "loop", "policy", "market", "odds"):
        for path in sorted(p for p in (root / layer).rglob("*") if p.suffix in _SOURCES):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def draw_path(folder: Path, config: str, scenario: str, seed: int, draw: int) -> Path:
    return Path(folder) / f"{config}_{scenario}_{seed}_{draw}.parquet"


def read(folder: Path, config: str, keys: Iterable[tuple[str, int, int]]) -> list[dict]:
    """The records already on disk for `keys` (scenario, seed, draw), in the keys' order."""
    out = []
    for scenario, seed, draw in keys:
        path = draw_path(folder, config, scenario, seed, draw)
        if path.exists():
            out.append(pd.read_parquet(path).iloc[0].to_dict())
    return out


def write(folder: Path, config: str, record: dict) -> Path:
    """`record` as its draw's file, unless that draw is already on disk."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = draw_path(folder, config, record["scenario"], record["seed"], record["draw"])
    if path.exists():
        return path
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pd.DataFrame([{**record, "config": config}]).to_parquet(tmp, index=False)
    os.replace(tmp, path)
    return path
