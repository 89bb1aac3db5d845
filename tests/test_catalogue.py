"""Walk the catalogue: every record is sourced, unit-checked, bounded and a valid Excel name."""

from __future__ import annotations

import math

import pytest

import model.core.equations  # noqa: F401 - registers every input and output record
from model.core.catalogue import CATALOGUE, Quantity, is_valid_excel_name, register, sym
from model.core.errors import ModelDefinitionError
from model.core.gpus import GPUS
from model.core.presets import PRESETS
from model.core.resolve import parse_input, resolve
from model.core.sources import REFERENCES, reference_keys
from model.core.units import unit

RECORDS = list(CATALOGUE.values())
INPUTS = [q for q in RECORDS if q.kind in ("input", "constant")]


def test_the_catalogue_is_populated():
    kinds = {q.kind for q in RECORDS}
    assert {"input", "choice", "constant", "output"} <= kinds
    assert len(INPUTS) >= 30
    for name in ("fleet_gpus", "gpu_peak_flops", "gpu_rental_price", "share_training",
                 "budget_total", "training_gpu_hours"):
        assert name in CATALOGUE


@pytest.mark.parametrize("q", RECORDS, ids=lambda q: q.name)
def test_every_record_is_sourced_and_parses(q: Quantity):
    assert q.name == q.symbol.name
    assert CATALOGUE[q.name] is q
    unit(q.unit)  # raises if the unit does not parse
    assert q.description.strip()
    assert q.source.strip()
    assert q.label.strip()
    keys = reference_keys(q.source)
    assert set(keys) <= set(REFERENCES), f"{q.name} cites unknown references {keys}"
    if q.is_input:  # a settable value cites where it comes from
        assert keys, f"{q.name}: the source {q.source!r} names no reference"


@pytest.mark.parametrize("q", INPUTS, ids=lambda q: q.name)
def test_every_numeric_input_has_a_finite_default_within_bounds(q: Quantity):
    assert all(isinstance(v, float | int) for v in (q.default, q.min, q.max))
    assert math.isfinite(q.default) and math.isfinite(q.min) and math.isfinite(q.max)
    assert q.min <= q.default <= q.max
    if q.kind == "constant":
        assert q.min == q.default == q.max
    if q.log_scale:
        assert q.min > 0


def test_every_choice_has_options_and_a_valid_default():
    choices = [q for q in RECORDS if q.kind == "choice"]
    assert choices
    for q in choices:
        assert len(q.choices) >= 2
        assert q.default in range(len(q.choices))


@pytest.mark.parametrize("q", RECORDS, ids=lambda q: q.name)
def test_every_name_is_a_valid_excel_name_not_a_cell_address(q: Quantity):
    assert is_valid_excel_name(q.name)
    name = q.name.upper()
    # A1 style: one to three letters then digits (XFD1048576 is the last cell)
    letters = name.rstrip("0123456789")
    assert not (name != letters and len(letters) <= 3 and letters.isalpha())
    # R1C1 style
    assert not (name.startswith(("R", "C")) and name.strip("RC0123456789") == "")


def test_names_are_unique_case_insensitively():
    lowered = [n.lower() for n in CATALOGUE]
    assert len(lowered) == len(set(lowered))


@pytest.mark.parametrize("name", ["a1", "A1", "xfd1048576", "ab12", "r1c1", "R2C3", "r", "c",
                                  "rc", "r10", "c7", "Fleet", "1abc", "fleet gpus", "fleet-gpus",
                                  "", "_x", "gpu.peak"])
def test_excel_name_check_rejects_cell_addresses_and_bad_names(name):
    assert not is_valid_excel_name(name)


@pytest.mark.parametrize("name", ["fleet_gpus", "abcd1", "share_total", "x", "gpu_h100",
                                  "rc_share"])
def test_excel_name_check_accepts_snake_case_names(name):
    assert is_valid_excel_name(name)


@pytest.mark.parametrize(("kwargs", "fragment"), [
    ({"name": "a1"}, "Excel name"),
    ({"name": "FleetSize"}, "Excel name"),
    ({"unit": "blorps"}, "bad unit"),
    ({"source": ""}, "source"),
    ({"description": ""}, "description"),
    ({"default": 11.0}, "outside"),
    ({"default": math.nan}, "finite"),
    ({"min": None}, "finite"),
    ({"min": 0.0, "log_scale": True}, "log-scale"),
])
def test_quantity_validates_on_creation(kwargs, fragment):
    base = dict(name="test_quantity", unit="GPU", kind="input", description="d", source="s",
                default=5.0, min=1.0, max=10.0)
    with pytest.raises(ModelDefinitionError, match=fragment):
        Quantity(**{**base, **kwargs})


def test_register_refuses_a_second_record_of_the_same_name():
    before = dict(CATALOGUE)
    copy = Quantity("fleet_gpus", "GPU", "input", "again", "s", default=1.0, min=1.0, max=2.0)
    with pytest.raises(ModelDefinitionError, match="defined twice"):
        register(copy)
    assert CATALOGUE == before


def test_sym_refuses_unknown_names():
    with pytest.raises(ModelDefinitionError, match="no quantity named"):
        sym("not_a_quantity")


@pytest.mark.parametrize("preset", list(PRESETS))
def test_every_preset_value_parses_cites_a_source_and_resolves(preset):
    p = PRESETS[preset]
    assert p.gpu in GPUS
    for name, (raw, source) in p.values.items():
        assert CATALOGUE[name].is_input
        parse_input(name, raw)
        assert set(reference_keys(source)) <= set(REFERENCES) and reference_keys(source)
    settings = resolve(preset)
    shares = [v for n, v in settings.values.items() if n.startswith("share_")]
    assert math.fsum(shares) == pytest.approx(1.0, abs=1e-9)
    for name in p.values:
        assert settings.sources[name] == p.values[name][1]


@pytest.mark.parametrize("gpu", list(GPUS))
def test_every_gpu_entry_is_sourced_and_within_bounds(gpu):
    g = GPUS[gpu]
    assert reference_keys(g.source)
    settings = resolve(gpu=gpu)
    for name, value in g.inputs().items():
        q = CATALOGUE[name]
        assert q.min <= value <= q.max
        assert settings.values[name] == value
        assert settings.sources[name] == g.source
