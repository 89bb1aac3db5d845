"""Every chart takes its colours from one palette (model.report.palette), stands its scenarios
in the scenario list's order, leaves room for its labels and marks log axes at powers of ten;
the workbook's charts take the same colours (issue 20, Charts).
"""

from __future__ import annotations

import itertools
import math

import pandas as pd
import pytest

from app import axes, charts
from app import inputs as ui
from model.core.fleet_inputs import USES
from model.loop.scenario_list import SCENARIOS
from model.market.world import LABS
from model.report import palette

ORDER = [ui.CUSTOM, *SCENARIOS]  # the order the scenario list, and so every text, uses


def colour_scales(spec) -> list[dict]:
    """Every colour encoding's scale in a Vega-Lite spec (layers included)."""
    if isinstance(spec, dict):
        found = [spec["color"]["scale"]] if isinstance(spec.get("color"), dict) else []
        return found + [s for k, v in spec.items() if k != "color" for s in colour_scales(v)]
    if isinstance(spec, list):
        return [s for item in spec for s in colour_scales(item)]
    return []


def legends_and_axes(spec) -> list[dict]:
    if isinstance(spec, dict):
        here = [v for k, v in spec.items() if k in ("axis", "legend") and isinstance(v, dict)]
        return here + [x for v in spec.values() for x in legends_and_axes(v)]
    if isinstance(spec, list):
        return [x for item in spec for x in legends_and_axes(item)]
    return []


def test_uses_scenarios_and_labs_each_have_their_own_colour():
    groups = {"use": [palette.colour(u) for u in USES],
              "scenario": [palette.colour(s) for s in ORDER],
              "lab": [palette.colour(lab) for lab in LABS]}
    every = [c for colours in groups.values() for c in colours]
    assert len(set(every)) == len(every), groups  # no colour means two things
    named = [c for group in palette.GROUPS for c in group.values()]
    named += list(palette.DIRECTION_COLOURS)
    assert len(set(named)) == len(named)
    # a use's budget, share and compute cost are that use
    assert {palette.colour(f"{p}research") for p in ("", "budget_", "share_", "compute cost: ")
            } == {palette.colour("research")}
    assert palette.excel("research") == palette.colour("research")[1:]
    assert palette.colour("google") == palette.colour("google-deepmind")
    with pytest.raises(KeyError, match="no colour"):
        palette.colour("not-a-scenario")


def delta_e(a: str, b: str) -> float:
    """CIE76 colour difference of two '#RRGGBB' colours (about 2.3: just noticeable)."""

    def lab(h: str) -> tuple[float, float, float]:
        rgb = [int(h[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (((c + 0.055) / 1.055) ** 2.4 if c > 0.04045 else c / 12.92 for c in rgb)
        xyz = ((r * 0.4124 + g * 0.3576 + b * 0.1805) / 0.95047,
               r * 0.2126 + g * 0.7152 + b * 0.0722,
               (r * 0.0193 + g * 0.1192 + b * 0.9505) / 1.08883)
        x, y, z = (v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116 for v in xyz)
        return 116 * y - 16, 500 * (x - y), 200 * (y - z)

    return math.dist(lab(a), lab(b))


# Colours a reader must tell apart: uses, scenarios and labs from one another anywhere, and the
# names that share a chart. CIE76 of 20 or more: plainly different hues or lightness.
APART = 20


def test_colours_are_told_apart_where_they_meet():
    groups = {"every use, scenario and lab": [*USES, *ORDER, *LABS],
              "revenue and cost by use": ["inference_revenue", "capex", *USES],
              "multiplier and speed-up": ["ai_rd_multiplier", "research_speedup"],
              "cash": ["gross_margin", "free_cash_flow", "cumulative_cash"],
              "what binds": list(palette.CONSTRAINT_COLOURS)}
    for group, names in groups.items():
        closest = min((delta_e(palette.colour(a), palette.colour(b)), a, b)
                      for a, b in itertools.combinations(names, 2))
        assert closest[0] >= APART, (group, closest)
    assert delta_e(*palette.DIRECTION_COLOURS) >= APART


def test_names_stand_in_the_scenario_lists_order():
    assert list(palette.SCENARIO_COLOURS) == ORDER
    frame = pd.DataFrame({"scenario": sorted(ORDER)})  # alphabetical, as Vega sorts by default
    assert list(charts.colour_names(frame, "scenario")) == ORDER
    assert palette.in_order(["brakes", "zeta", "status-quo", "brakes"]) == [
        "status-quo", "brakes", "zeta"]


def representative_specs() -> dict[str, dict]:
    """One spec of each kind, built as the page builds them."""
    scenarios = ("status-quo", "ai-2027", "brakes")
    specs = {"bar": charts.bar_spec("gpus", "GPUs [GPU]", USES),
             "binding": charts.binding_spec(scenarios),
             "fan": charts.fan_spec("Budget research [USD/year]", True, scenarios),
             "tornado": charts.tornado_spec("Capability [OOMs]"),
             "observed": charts.observed_spec("Research share of the fleet [%]",
                                              (*LABS, "google")),
             "market lines": charts.line_spec("Share of customers", False, "scenario", LABS),
             "scenario lines": charts.line_spec("Fleet [GPU]", True, "scenario", scenarios)}
    sections = {**charts.PROJECTION_SECTIONS, **charts.FINANCE_SECTIONS}.values()
    for views, panels in sections:  # panels colour by series; a single chart by scenario
        for name in views:
            columns, title, log = charts.PROJECTION_VIEWS[name]
            specs[name] = (charts.line_spec(title, log, "series", tuple(columns.values()),
                                            "ai-2027") if panels else
                           charts.line_spec(title, log, "scenario", scenarios))
    return specs


def test_every_chart_colours_each_name_with_its_palette_colour():
    for kind, spec in representative_specs().items():
        scales = colour_scales(spec)
        assert scales, kind
        for scale in scales:
            names = scale["domain"]
            expected = (list(palette.DIRECTION_COLOURS) if kind == "tornado" else
                        [palette.colour(charts.SERIES_NAMES.get(n, n)) for n in names])
            assert scale["range"] == expected, kind
    revenue = colour_scales(representative_specs()["revenue"])[0]
    assert revenue["range"][revenue["domain"].index("compute cost: research")] == "#1F77B4"


def test_every_chart_fills_its_column_and_keeps_its_labels():
    for kind, spec in representative_specs().items():
        if kind != "bar":  # bars: Streamlit's stretch gives them the column
            assert spec["width"] == "container", kind
        assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}, kind
        # the page passes the data to the whole chart: a layer naming its own would draw none
        assert all("data" not in layer for layer in spec.get("layer", [])), kind
        for part in legends_and_axes(spec):
            if "labelLimit" in part:
                assert part["labelLimit"] >= charts.LABEL_LIMIT, kind
            title = part.get("title")
            lines = title if isinstance(title, list) else [title or ""]
            # a y title runs along a 240 px axis: ~34 characters at Vega's 11 px bold
            assert all(len(line) <= 34 for line in lines), (kind, title)
        for legend in [p for p in legends_and_axes(spec) if "orient" in p]:
            assert legend["labelLimit"] >= charts.LABEL_LIMIT, kind


def test_long_axis_titles_break_before_the_unit():
    assert charts.axis_title("Software efficiency [OOMs over the start]") == [
        "Software efficiency", "[OOMs over the start]"]
    assert charts.axis_title("Budget [USD/year]") == "Budget [USD/year]"


def test_log_axes_are_labelled_at_every_power_of_ten():
    assert axes.decades(3e8, 5e11) == [1e8, 1e9, 1e10, 1e11, 1e12]
    assert axes.decades(2.0, 3.0) == [1.0, 10.0]
    wide = axes.decades(1e-3, 1e20)
    assert len(wide) <= 8 and wide[0] <= 1e-3 and wide[-1] >= 1e20
    steps = {round(math.log10(b / a)) for a, b in zip(wide, wide[1:], strict=False)}
    assert len(steps) == 1  # evenly spaced decades, never a skipped one here and there


def test_fitted_panels_share_one_y_range_and_log_ticks():
    spec = charts.line_spec("Budget [USD/year]", True, "series", ("research",), "ai-2027")
    values = pd.Series([3e8, 2e9, 5e11, 0.0])
    out = axes.fitted(spec, values, share=True)
    assert out["encoding"]["y"]["axis"]["values"] == [1e8, 1e9, 1e10, 1e11, 1e12]
    assert out["encoding"]["y"]["scale"]["domain"] == [1e8, 1e12]
    assert "values" not in spec["encoding"]["y"]["axis"]  # the cached spec is left alone
    linear = charts.line_spec("Share of the fleet [%]", False, "series", ("research",), "x")
    shared = axes.fitted(linear, pd.Series([0.2, 0.7]), share=True)
    assert shared["encoding"]["y"]["scale"]["domain"] == [0.2, 0.7]
    alone = axes.fitted(linear, pd.Series([0.2, 0.7]), share=False)
    assert "domain" not in alone["encoding"]["y"]["scale"]


def test_the_workbook_charts_use_the_palette():
    from model.workbook.build import build_workbook

    book = build_workbook("openai-2024", ["status-quo", "ai-2027"], years=2, step="year")
    wb = book.wb if hasattr(book, "wb") else book

    def colours(chart) -> dict[str, str]:
        return {s.tx.strRef.f if s.tx.strRef else s.tx.v:
                s.graphicalProperties.line.solidFill.srgbClr for s in chart.series}

    budget, shares, speed = wb["Charts"]._charts
    by_title = {str(t): c for t, c in colours(budget).items()}
    assert len(by_title) == 4
    assert set(by_title.values()) == {palette.excel("status-quo"), palette.excel("ai-2027")}
    assert list(colours(shares).values()) == [palette.excel(u) for u in USES]
    assert list(colours(speed).values()) == [palette.excel("ai_rd_multiplier"),
                                             palette.excel("research_speedup")]
    (summary,) = wb["Summary"]._charts
    assert list(colours(summary).values()) == [palette.excel("research"),
                                               palette.excel("inference")]


def test_a_lab_the_user_adds_has_a_fixed_colour_apart_from_the_named_ones():
    assert palette.lab_colour("openai") == palette.colour("openai")
    assert palette.lab_colour("google") == palette.colour("google-deepmind")
    # by the name's CRC-32: the same in every process, unlike hash()
    assert palette.lab_colour("rival") == palette.lab_colour("rival") == "#7F3B08"
    assert palette.lab_excel("rival") == "7F3B08"
    assert {palette.lab_colour(f"lab{i}") for i in range(50)} == set(palette.ADDED_LAB_COLOURS)
    named = [c for group in palette.GROUPS for c in group.values()]
    named += list(palette.DIRECTION_COLOURS)
    added = palette.ADDED_LAB_COLOURS
    assert min(delta_e(a, b) for a in added for b in named) >= APART
    assert min(delta_e(a, b) for a, b in itertools.combinations(added, 2)) >= APART
