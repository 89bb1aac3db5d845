"""One catalogue of display formats (issue 12): every catalogued quantity has a measure, a label
that says what it is, and the same format in the app, the CLI's tables and the workbook."""

from __future__ import annotations

import re

import pytest

import model.loop.projection  # noqa: F401 - registers every row
from app import inputs as ui
from model.core.catalogue import CATALOGUE
from model.core.trend import direction
from model.report.formats import (
    CODE_WORDS,
    MEASURES,
    calendar_year,
    excel_format,
    excel_formats,
    format_value,
    label,
    measure,
    money,
    texts,
)
from model.workbook._styles import number_format

QUANTITIES = [q for q in CATALOGUE.values() if q.kind != "previous"]
SAMPLE = {"share": 0.4, "money": 873_657_584.0, "flop": 1.25e27, "count": 600_000.0,
          "calendar": 2024.0, "duration": 5.0, "rate": 0.322, "multiplier": 5.0,
          "exponent": -0.155, "ooms": 3.5, "log": 1.2, "code": 2.0, "choice": 0.0,
          "flag": 1.0}
PATTERNS = {  # what a reader sees, by measure
    "share": r"-?\d+\.\d(\d\d)?%", "money": r"-?\$[\d,]+(\.\d+)?[MBT]?(/.+)?",
    "flop": r"\d\.\d\dE\+\d\d FLOP(/\S+)?", "count": r"-?[\d,]+(\.\d+)? \S*",
    "calendar": r"\d{4}", "duration": r"\d+\.\d\d years", "rate": r"-?\d+\.\d%/year",
    "multiplier": r"[\d.,]+x", "exponent": r"-?\d\.\d{3}", "ooms": r"\d+\.\d\d OOMs",
    "log": r"-?[\d.,]+", "code": r"\d", "choice": r"\S+"}


@pytest.mark.parametrize("q", QUANTITIES, ids=lambda q: q.name)
def test_every_quantity_has_a_measure_a_label_and_a_format(q):
    m = measure(q)
    assert m.name != "number", f"{q.name}: no rule names what it is"
    text = label(q)
    assert text.startswith(q.label + " [") and not text.endswith("[]")
    assert "fraction" not in text
    value = SAMPLE[m.name]
    shown = format_value(q.name, value)
    if q.name in CODE_WORDS:  # a code reads as its word
        assert shown == CODE_WORDS[q.name][int(value)], (q.name, shown)
    elif m.name != "count" or q.unit:
        assert re.fullmatch(PATTERNS[m.name], shown), (q.name, shown)
    assert number_format(q.name, q.unit, [value]) == excel_format(q.name, [value])


def test_dimensionless_inputs_say_what_they_are():
    said = {label(q).split("[")[-1].rstrip("]") for q in QUANTITIES
            if q.unit == "" and q.kind in ("input", "output")}
    assert said <= {"%", "x", "exponent", "OOMs", "natural log", "code", "count"}
    assert label(CATALOGUE["serving_active_params"]) == "Serving active params [count]"
    assert label(CATALOGUE["research_ces_rho"]) == "Research CES rho [exponent]"
    assert label(CATALOGUE["cluster_capex_multiplier"]) == "Cluster capex multiplier [x]"
    assert label(CATALOGUE["share_research"]) == "Share research [%]"


def test_shares_are_percentages_everywhere():
    assert format_value("share_research", 0.4) == "40.0%"
    assert excel_format("share_research") == "0.0%"
    assert format_value("discount_rate", 0.1) == "10.0%"  # a rate of the model, not 0.1
    assert format_value("training_share_of_fleet_year", 0.0123) == "1.230%"  # its 3 decimals
    spec = ui.widget_spec(CATALOGUE["share_research"])
    assert spec.kind == "slider" and spec.format == "percent"
    assert all(ui.widget_spec(q).format == "percent" for q in QUANTITIES
               if q.kind == "input" and measure(q).name == "share" and not q.log_scale)


@pytest.mark.parametrize(("value", "text"), [
    (873_657_584, "$874M"), (1.4203e9, "$1.42B"), (2.5, "$2.50"), (-2.5e6, "-$2.50M"),
    (3.1e12, "$3.10T"), (1.2973e12, "$1.30T"), (658.4e9, "$658B"), (999.7e9, "$1.00T"),
    (12_345, "$12,345"), (600, "$600.00"), (0.547, "$0.547"), (0.0312, "$0.0312"),
    (3.12e-5, "$3.12E-05"), (0, "$0"),
    # either side of where rounding to three figures reaches the next scale (money_scales)
    (999.4e9, "$999B"), (-999.6e6, "-$1.00B"), (9.9949e-5, "$9.99E-05"), (9.996e-5, "$0.000100"),
    (99.94, "$99.94"), (999.4, "$999.40"), (999.6, "$1,000")])
def test_money_has_one_rule_for_scale(value, text):
    assert money(value) == text


def test_flop_are_scientific_with_the_unit():
    assert format_value("compute_total", 1.248e27) == "1.25E+27 FLOP/year"
    assert "Y" not in format_value("training_flops", 3.79e25)


def test_every_measure_has_an_excel_format_or_scales():
    scaled = {"money", "count", "multiplier", "calendar"}  # by the values: excel_format
    assert all(bool(m.excel) != (m.name in scaled) for m in MEASURES.values())
    assert excel_format("budget_total", [8.7e8]) == '"$"#,##0,,"M"'
    assert excel_format("budget_total", [8.7e9]) == '"$"#,##0.00,,,"B"'
    assert excel_format("year", [2024, 2025]) == "0"
    assert excel_format("year", [2024, 2025.25]) == "0.00"  # the whole row alike


def test_the_binding_constraint_reads_as_words():
    assert [format_value("binding_constraint", c) for c in range(4)] == [
        "none", "chip supply", "capital", "customers"]


def test_money_spanning_orders_of_magnitude_keeps_each_value_readable():
    """The reviewer's '$0.00M' for a $0.547 price on a row that reaches millions: each cell of a
    money row has its own scale, as the app and the CLI print it."""
    values = [0.547, 8e6, 5.5e-10, 0.0]
    assert excel_formats("token_price_market", values) == [
        '"$"#,##0.000', '"$"#,##0.00,,"M"', '"$"0.00E+00', '"$"#,##0']
    assert texts("token_price_market", values) == [
        "$0.547/Mtoken", "$8.00M/Mtoken", "$5.50E-10/Mtoken", "$0/Mtoken"]


@pytest.mark.parametrize(("values", "words"), [
    ([0.12, 0.35, 0.31], "rises, then falls"), ([0.40, 0.57, 0.60], "rises"),
    ([0.44, 0.34, 0.04], "falls"), ([0.40, 0.405, 0.40], "flat"),
    ([0.30, 0.10, 0.25], "falls, then rises"), ([0.40, 0.408, 0.416], "rises")])
def test_rises_and_falls_have_one_stated_test(values, words):
    assert direction(values) == words


def test_a_payback_reads_as_the_calendar_year_it_falls_in():
    assert calendar_year(2026.4999999999977) == "2026"  # monthly steps: the step of July 2026
    assert calendar_year(2026.9999999999977) == "2027"  # the step that starts 2027
    assert calendar_year(2028.0) == "2028"
    assert calendar_year(None) == calendar_year(0.0) == "not within the horizon"
