"""The pint registry (model/units.txt) and strict parsing of user values (model.units)."""

from __future__ import annotations

import json
import math

import pint
import pytest

from model.cli.main import main
from model.core.errors import InputError
from model.core.units import Q_, factor, parse_value, unit, ureg


def test_gpus_times_peak_per_gpu_is_flop_per_second():
    throughput = Q_(600_000, "GPU") * Q_(989.4e12, "FLOP/s/GPU")
    assert throughput.dimensionality == unit("FLOP/s").dimensionality
    assert throughput.to("FLOP/s").magnitude == pytest.approx(600_000 * 989.4e12, rel=1e-12)
    assert throughput.to("EFLOP/s").magnitude == pytest.approx(593.64, rel=1e-12)


def test_gpu_hours_times_price_per_gpu_hour_is_usd():
    spend = Q_(2_664_000, "GPU*hour") * Q_(2, "USD/GPU/hour")
    assert spend.dimensionality == unit("USD").dimensionality
    assert spend.to("USD").magnitude == pytest.approx(5_328_000, rel=1e-12)


def test_fleet_year_budget_units():
    # GPU x USD/GPU/hour x hour/year = USD/year
    budget = Q_(600_000, "GPU") * Q_(2, "USD/GPU/hour") * Q_(8760, "hour/year")
    assert budget.to("USD/year").magnitude == pytest.approx(600_000 * 2 * 8760, rel=1e-12)


@pytest.mark.parametrize(("text", "base", "expected"), [
    ("TFLOP/s", "FLOP/s", 1e12),
    ("PFLOP/s", "FLOP/s", 1e15),
    ("EFLOP/s", "FLOP/s", 1e18),
    ("PFLOP", "FLOP", 1e15),
    ("EFLOP", "FLOP", 1e18),
    ("YFLOP", "FLOP", 1e24),
    ("TFLOP/s/GPU", "FLOP/s/GPU", 1e12),
    ("Mtoken", "token", 1e6),
    ("Ttoken", "token", 1e12),
    ("kGPU", "GPU", 1e3),
    ("kW", "W", 1e3),
    ("year", "hour", 8760.0),
    ("year", "day", 365.0),
    ("day", "hour", 24.0),
    ("hour", "s", 3600.0),
    ("USD/GPU/year", "USD/GPU/hour", 1 / 8760),
])
def test_prefixed_units_parse_and_convert(text, base, expected):
    assert factor(text, base) == pytest.approx(expected, rel=1e-12)


def test_year_is_the_365_day_accounting_year_not_julian():
    assert Q_(1, "year").to("hour").magnitude == pytest.approx(8760.0, rel=1e-15)
    assert Q_(1, "yr").to("hour").magnitude == pytest.approx(8760.0, rel=1e-15)
    assert Q_(12, "month").to("year").magnitude == pytest.approx(1.0, rel=1e-12)


@pytest.mark.parametrize(("a", "b"), [
    ("GPU", "token"), ("GPU", ""), ("FLOP", ""), ("FLOP", "token"), ("USD", ""),
    ("FLOP/s", "FLOP"), ("USD/GPU/hour", "USD/hour"), ("W", "FLOP/s"),
])
def test_counted_things_and_money_are_distinct_dimensions(a, b):
    assert unit(a).dimensionality != unit(b).dimensionality
    with pytest.raises(pint.errors.DimensionalityError):
        Q_(1.0, unit(a)).to(unit(b))


def test_empty_unit_is_dimensionless_and_one_registry():
    assert unit("") == ureg.dimensionless
    assert Q_(1, "GPU")._REGISTRY is ureg


@pytest.mark.parametrize(("name", "text", "to_unit", "expected"), [
    ("gpu_peak_flops", "0.99 PFLOP/s/GPU", "FLOP/s/GPU", 0.99e15),
    ("gpu_peak_flops", "989.4 TFLOP/s/GPU", "FLOP/s/GPU", 989.4e12),
    ("gpu_peak_flops", "989.4e12", "FLOP/s/GPU", 989.4e12),
    ("gpu_rental_price", "2 USD/GPU/hour", "USD/GPU/hour", 2.0),
    ("gpu_rental_price", "2 USD/(GPU*hour)", "USD/GPU/hour", 2.0),
    ("gpu_rental_price", "17520 USD/GPU/year", "USD/GPU/hour", 2.0),
    ("gpu_power", "1.5 kW/GPU", "W/GPU", 1500.0),
    ("electricity_price", "80 USD/MW/hour", "USD/kW/hour", 0.08),
    ("training_tokens", "14.8 Ttoken", "token", 14.8e12),
    ("fleet_gpus", "600,000", "GPU", 600_000.0),
    ("fleet_gpus", "600_000", "GPU", 600_000.0),
    ("fleet_gpus", " 5 kGPU ", "GPU", 5000.0),
    ("mfu_training", "40%", "", 0.40),
    ("depreciation_life", "60 month", "year", 5.0),
    ("fleet_gpus", 7, "GPU", 7.0),
    ("fleet_gpus", 7.5, "GPU", 7.5),
])
def test_parse_value_converts_to_the_declared_unit(name, text, to_unit, expected):
    assert parse_value(name, text, to_unit) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(("text", "to_unit", "fragment"), [
    ("700 W", "FLOP/s/GPU", "expected FLOP/s/GPU"),
    ("3 blorps", "FLOP/s/GPU", "unknown unit"),
    ("nan", "GPU", "finite"),
    ("inf", "GPU", "finite"),
    ("-inf", "GPU", "finite"),
    ("1e999", "GPU", "finite"),
    (math.nan, "GPU", "finite"),
    (math.inf, "GPU", "finite"),
    ("abc", "GPU", "expected a number"),
    ("", "GPU", "empty"),
    (True, "GPU", "expected a number"),
    (None, "GPU", "expected a number"),
    ("2 USD/hour", "USD/GPU/hour", "expected USD/GPU/hour"),
    ("5 GPU)", "GPU", "cannot read"),
])
def test_parse_value_rejects_with_one_line_naming_the_input(text, to_unit, fragment):
    with pytest.raises(InputError) as info:
        parse_value("the_input", text, to_unit)
    message = str(info.value)
    assert message.startswith("the_input: ")
    assert fragment in message
    assert "\n" not in message


@pytest.mark.parametrize(("text", "expected"), [
    ("1,000", 1000.0), ("1,234,567.5", 1_234_567.5), ("-1,000e3", -1e6), ("12,345 GPU", 12345.0),
    ("1,000.", 1000.0), ("1_000_000", 1e6)])
def test_commas_read_as_thousands_separators(text, expected):
    assert parse_value("fleet_gpus", text, "GPU") == expected


@pytest.mark.parametrize("text", ["2,5", "1,,,5", "1234,567", "1,0000", "1,000,00", ",5",
                                  "2,5 GPU", "1,5e6", "1,000_000", "1__0"])
def test_a_comma_or_underscore_out_of_place_is_refused_not_dropped(text):
    # '2,5' read as 25 and '1,,,5' as 15: every path reads numbers through parse_value
    from model.core.resolve import parse_input
    from model.market.files import apply_sets

    for read in (lambda: parse_value("fleet_gpus", text, "GPU"),
                 lambda: parse_input("fleet_gpus", text),
                 lambda: apply_sets([f"openai.fleet_gpus={text}"])):
        with pytest.raises(InputError) as info:
            read()
        assert "fleet_gpus" in str(info.value) and "\n" not in str(info.value)


def _json_inputs(capsys, *sets: str) -> dict:
    argv = ["budget", "--format", "json"]
    for s in sets:
        argv += ["--set", s]
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)["inputs"]


def test_cli_converts_unit_bearing_set_values(capsys):
    inputs = _json_inputs(capsys, "gpu_peak_flops=0.99 PFLOP/s/GPU",
                          "gpu_rental_price=2 USD/GPU/hour", "gpu_power=1.2 kW/GPU",
                          "fleet_gpus=250 kGPU")
    assert inputs["gpu_peak_flops"] == {"value": pytest.approx(0.99e15, rel=1e-12),
                                        "unit": "FLOP/s/GPU"}
    assert inputs["gpu_rental_price"] == {"value": pytest.approx(2.0, rel=1e-12),
                                          "unit": "USD/GPU/hour"}
    assert inputs["gpu_power"]["value"] == pytest.approx(1200.0, rel=1e-12)
    assert inputs["fleet_gpus"]["value"] == pytest.approx(250_000.0, rel=1e-12)


def test_cli_converts_a_yearly_price_to_hourly(capsys):
    inputs = _json_inputs(capsys, "gpu_rental_price=43800 USD/GPU/year")
    assert inputs["gpu_rental_price"]["value"] == pytest.approx(43800 / 8760, rel=1e-12)
