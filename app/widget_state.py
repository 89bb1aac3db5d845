"""What the input widgets show after each event (pure; the page's callbacks apply the result).

Events: a link (a View), a preset, a GPU, the reset button, a documented training run and an
uploaded workbook. Widgets hold values in the model's units, choices as their option text; each
function returns {widget key: value} for the page to put in its session state.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from app.inputs import View, input_names, read_uploaded
from model.core.catalogue import CATALOGUE
from model.core.errors import InputError
from model.core.gpus import GPUS
from model.core.presets import PRESETS
from model.core.resolve import Settings, resolve

# Training-run presets: the training inputs of a lab preset that documents a real run.
TRAINING_RUNS = {"Llama 3.1 405B": "meta-2024", "DeepSeek-V3": "deepseek-v3"}
TRAINING_RUN_INPUTS = ("flops_per_param_token", "model_active_params", "training_tokens",
                       "training_gpus", "mfu_training", "gpu_peak_flops", "cost_basis",
                       "gpu_rental_price")


def widget_value(name: str, value: float) -> float | str:
    """A model value as its widget holds it (choices as option text)."""
    q = CATALOGUE[name]
    return q.choices[int(value)] if q.kind == "choice" else float(value)


def model_value(name: str, value: float | str) -> float:
    """A widget's value in the model's units (choices as option index)."""
    q = CATALOGUE[name]
    return float(q.choice_index(value)) if q.kind == "choice" else float(value)


def widget_state(settings: Settings, names: Sequence[str] | None = None) -> dict[str, object]:
    """Widget values that show `settings` (all inputs, or only `names`)."""
    return {n: widget_value(n, settings.values[n]) for n in (names or input_names())}


def same(a: float, b: float) -> bool:
    """Equal up to float noise: a widget round-trip must not count as an override."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-15)


def overrides_from_widgets(state: Mapping[str, object], base: Settings) -> dict[str, float]:
    """The inputs whose widget value differs from the preset's (and GPU's) value."""
    out = {}
    for name in input_names():
        if name in state:
            value = model_value(name, state[name])
            if not same(value, base.values[name]):
                out[name] = value
    return out


def run_values(run: str) -> dict[str, float]:
    """The training-run inputs documented for a named run (from its lab preset)."""
    settings = resolve(TRAINING_RUNS[run])
    return {n: settings.values[n] for n in TRAINING_RUN_INPUTS}


def view_state(view: View) -> dict[str, object]:
    """A view's widgets: its preset and GPU, their values, then the view's overrides."""
    return {"preset": view.preset, "gpu": view.gpu,
            **widget_state(resolve(view.preset, view.gpu)),
            **{n: widget_value(n, v) for n, v in view.overrides.items()}}


def state_after(event: str, state: Mapping[str, object]) -> dict[str, object]:
    """Widget values to set after `event`, given the current widget `state`.

    'preset': the preset's GPU and values; 'gpu': the GPU's own figures (other inputs kept);
    'reset': the preset's and GPU's values, and the training run back to custom;
    'training_run': the chosen run's documented inputs (nothing for 'custom').
    """
    preset, gpu = state["preset"], state["gpu"]
    if event == "preset":
        return {"gpu": PRESETS[preset].gpu, **widget_state(resolve(preset))}
    if event == "gpu":
        return widget_state(resolve(preset, gpu), list(GPUS[gpu].inputs()))
    if event == "reset":
        return {**widget_state(resolve(preset, gpu)), "training_run": "custom"}
    run = state.get("training_run")
    if run not in TRAINING_RUNS:
        return {}
    return {n: widget_value(n, v) for n, v in run_values(run).items()}


def upload_state(data: bytes, filename: str, reader) -> tuple[dict[str, object], str]:
    """An uploaded workbook's widget values and a message ('Loaded ...' or 'Not loaded: ...').

    `reader` is workbook_read.read_workbook_inputs (see app_support.read_uploaded); nothing is
    loaded when any value is invalid.
    """
    try:
        view, found = read_uploaded(data, filename, reader)
    except InputError as exc:
        return {}, f"Not loaded: {exc}"
    return view_state(view), f"Loaded {found} inputs from {filename}."
