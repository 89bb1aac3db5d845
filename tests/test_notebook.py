"""The example notebook (notebooks/example.ipynb) runs top to bottom with the checkout's model,
and is committed without outputs (they would go stale, and diff as noise)."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "example.ipynb"


def test_the_committed_notebook_has_no_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) >= 5
    assert [(c.outputs, c.execution_count) for c in code] == [([], None)] * len(code)
    assert set(nb.metadata) <= {"kernelspec", "language_info"}


def text_of(cell) -> str:
    return "".join(
        o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in cell.outputs
    )


def test_the_notebook_runs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    # the kernel runs in the checkout (python -m puts it first on sys.path): its model
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]),
    }
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    )
    client.execute(env=env)  # CellExecutionError on any cell's exception
    outputs = [text_of(c) for c in nb.cells if c.cell_type == "code"]
    assert "allocation_policy" in outputs[0] and "scheduled" in outputs[0]
    assert "'fleet_gpus': 'GPU'" in outputs[2] and "'inference_revenue': 'USD/year'" in outputs[2]
    assert "rent $1.5/hour" in outputs[3] and "brakes" in outputs[3]
    assert "anthropic" in outputs[4] and "meta" not in outputs[4]
    assert outputs[-1].startswith("openai.xlsx ") and outputs[-1].strip().endswith(" bytes")
