"""Chart data and Vega-Lite specs for the Streamlit page (pure; the page draws them).

Frames are long (one row per point) so that one spec serves every scenario and series. Specs are
built once without data: Altair's validation is slow, so the page caches a spec and passes data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from model.core.catalogue import CATALOGUE
from model.core.fleet_inputs import USES
from model.report import palette
from model.report.formats import CODE_WORDS, format_value, label

PROJECTION_VIEWS = {
    "budgets": ({f"budget_{u}": u for u in ("research", "automation", "inference", "training")},
                "Budget [USD/year]", True),
    "multiplier": ({"ai_rd_multiplier": "headline AI R&D multiplier",
                    "research_speedup": "effective research speed-up"}, "Speed-up [x]", True),
    "fleet": ({"fleet_gpus": "fleet"}, "Fleet [GPU]", True),
    "software": ({"software_efficiency": "software efficiency"},
                 "Software efficiency [OOMs over the start]", False),
    "revenue": ({"inference_revenue": "inference revenue", "capex": "capex",
                 **{f"budget_{u}": f"compute cost: {u}" for u in USES}},
                "Per year [USD/year]", True),  # log: a ceiling-high revenue flattens the rest
    "cash": ({"gross_margin": "gross margin", "free_cash_flow": "free cash flow",
              "cumulative_cash": "cumulative cash"}, "Cash [USD, per year or cumulative]", False),
}
# Tab sections: subheader -> (PROJECTION_VIEWS names, facet by scenario).
PROJECTION_SECTIONS = {
    "Research vs inference budget": (["budgets"], True),
    "Headline AI R&D multiplier vs effective research speed-up": (["multiplier"], True),
    "Fleet and software efficiency": (["fleet", "software"], False),
}
FINANCE_SECTIONS = {
    "Revenue and compute cost by use": (["revenue"], True),
    "Margin, free cash flow and cumulative cash": (["cash"], True),
}

# Projection columns worth a fan chart or a tornado, in menu order.
KEY_OUTPUTS = ("software_efficiency", "capability", "ai_rd_multiplier", "research_speedup",
               "fleet_gpus", "budget_research", "budget_inference", "inference_revenue",
               "free_cash_flow", "cumulative_cash", "npv_to_date")


def long_frame(frames: Mapping[str, pd.DataFrame], columns: Mapping[str, str],
               log: bool = False) -> pd.DataFrame:
    """Stack projections into (year, scenario, series, value) rows for the given columns.

    For a log axis, rows whose value is not positive are left out (a log axis cannot show them).
    """
    parts = []
    for scenario, df in frames.items():
        for column, series in columns.items():
            if column in df:
                parts.append(pd.DataFrame({"year": df["year"], "scenario": scenario,
                                           "series": series, "value": df[column]}))
    if not parts:
        return pd.DataFrame(columns=["year", "scenario", "series", "value"])
    out = pd.concat(parts, ignore_index=True)
    return out[out["value"] > 0] if log else out


# binding_constraint codes and what each means on the page (one list, in model.report.formats).
CONSTRAINTS = dict(enumerate(CODE_WORDS["binding_constraint"]))


def binding_frame(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """(year, scenario, constraint) rows: what limits the lab in each step of each scenario."""
    parts = [pd.DataFrame({"year": df["year"], "scenario": scenario,
                           "constraint": [CONSTRAINTS[int(c)] for c in df["binding_constraint"]]})
             for scenario, df in frames.items()]
    return (pd.concat(parts, ignore_index=True) if parts
            else pd.DataFrame(columns=["year", "scenario", "constraint"]))


def fan_frame(mc: pd.DataFrame, column: str, scenario: str) -> pd.DataFrame:
    """p5/p50/p95 of one Monte Carlo column over time, for a fan chart."""
    return pd.DataFrame({"year": mc["year"] if "year" in mc else mc.get("year_p50"),
                         "scenario": scenario, "p5": mc[f"{column}_p5"],
                         "p50": mc[f"{column}_p50"], "p95": mc[f"{column}_p95"]})


DIRECTIONS = ("rises with the input", "falls as the input rises")


def tornado_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A sensitivity.tornado table as bars: input, low_value, high_value, direction, labels."""
    output = df.attrs.get("output", "")
    return pd.DataFrame({
        "input": df["input"],
        "low": [format_value(n, v) for n, v in zip(df["input"], df["low"], strict=True)],
        "high": [format_value(n, v) for n, v in zip(df["input"], df["high"], strict=True)],
        "low_value": df["output_low"], "high_value": df["output_high"],
        "direction": [DIRECTIONS[0] if h >= lo else DIRECTIONS[1]
                      for lo, h in zip(df["output_low"], df["output_high"], strict=True)],
        "swing": [format_value(output, v) for v in df["swing"]],
    })


def output_title(name: str) -> str:
    """'Budget research [USD/year]', 'Share research [%]': an axis title from the catalogue."""
    return label(CATALOGUE[name])


def positive(frame: pd.DataFrame, columns: Sequence[str]) -> bool:
    """True when every value in `columns` is positive (a log axis can show them)."""
    return bool((frame[list(columns)] > 0).all().all())


# --- chart specs (Altair, built once; the page passes the data) -------------------------------
TOOLTIP_NUMBER = ",.4~g"
# Series labels -> the model's names, whose colours model.report.palette holds.
SERIES_NAMES = {label: column for columns, _, _ in PROJECTION_VIEWS.values()
                for column, label in columns.items()} | {"chip price index": "chip_price_index"}
# Legend labels and axis labels are never cut: the longest label is ~30 characters (~190 px).
LABEL_LIMIT = 400


def _spec(chart) -> dict:
    """An Altair chart's Vega-Lite spec without its (empty) data: the page supplies the data."""
    spec = chart.to_dict()
    spec.pop("data", None)
    spec.pop("datasets", None)
    for layer in spec.get("layer", []):  # Altair names each layer's (absent) data 'empty',
        layer.pop("data", None)  # which would hide the data the page passes to the whole chart
    # Streamlit's default ("fit") squeezes the legend into the chart's height; fit-x fills the
    # column's width and adds the legend below the plot
    spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    return spec


def colour_names(frame: pd.DataFrame, field: str) -> tuple[str, ...]:
    """The values of `field` a chart colours, in the palette's order (scenarios as listed)."""
    return tuple(palette.in_order(frame[field])) if field in frame else ()


def colour_scale(names: Sequence[str]) -> alt.Scale:
    """Each name's one colour (model.report.palette), whatever else the chart shows."""
    names = list(names)
    return alt.Scale(domain=names, range=palette.colours(SERIES_NAMES.get(n, n) for n in names))


def _scale(log: bool):
    return alt.Scale(type="log") if log else alt.Scale(zero=False)


def axis_title(title: str) -> str | list[str]:
    """'Software efficiency [OOMs over the start]' as two lines, name then unit: a long title on
    one line runs past a short axis."""
    name, bracket, unit = title.partition(" [")
    return [name, bracket.strip() + unit] if bracket and len(title) > 24 else title


def value_axis(title: str) -> alt.Axis:
    """An axis titled `title`; money ('[USD...') reads '$800M', '$1.2B' rather than 800,000,000;
    shares ('[%]') read as percentages.

    d3's SI format says G for 10^9, which reads as giga, so the label swaps it for B; zero would
    take the axis's prefix ('$0M').
    """
    common = {"title": axis_title(title), "labelLimit": LABEL_LIMIT}
    if "[%]" in title:  # shares: percentages, as everywhere
        return alt.Axis(format=".0%", **common)
    if "[USD" not in title:
        return alt.Axis(**common)
    return alt.Axis(format="$~s", labelExpr=(
        "datum.value == 0 ? '$0' : replace(datum.label, 'G', 'B')"), **common)


def _legend(columns: int = 1, title: str | None = None) -> alt.Legend:
    return alt.Legend(orient="bottom", columns=columns, title=title, labelLimit=LABEL_LIMIT)


def bar_spec(x: str, x_title: str, names: Sequence[str] = USES) -> dict:
    """Horizontal bars by use (the fleet split)."""
    return _spec(alt.Chart().mark_bar().encode(
        x=alt.X(f"{x}:Q", axis=value_axis(x_title)),
        y=alt.Y("use:N", sort=list(names), title=None),
        color=alt.Color("use:N", legend=None, scale=colour_scale(names)),
        tooltip=["use:N", alt.Tooltip(f"{x}:Q", format=TOOLTIP_NUMBER)]).properties(height=220))


def line_spec(y_title: str, log: bool, by: str, names: Sequence[str], title: str = "") -> dict:
    """Lines over time coloured `by` series or by scenario; `title` names a scenario's panel
    (the page lays panels side by side, each as wide as its column)."""
    chart = alt.Chart().mark_line().encode(
        x=alt.X("year:Q", title="Year", axis=alt.Axis(format="d")),
        y=alt.Y("value:Q", axis=value_axis(y_title), scale=_scale(log)),
        color=alt.Color(f"{by}:N", scale=colour_scale(names),
                        legend=_legend(1 if title else 4)),
        tooltip=["scenario:N", "series:N", alt.Tooltip("year:Q", format=".2f"),
                 alt.Tooltip("value:Q", format=TOOLTIP_NUMBER)])
    return _spec(chart.properties(width="container", height=240, **(
        {"title": title} if title else {})))


def binding_spec(names: Sequence[str]) -> dict:
    """One tile per step and scenario (in the scenarios' order), coloured by what binds."""
    kinds = list(CONSTRAINTS.values())
    return _spec(alt.Chart().mark_rect().encode(
        x=alt.X("year:O", title="Year"), y=alt.Y("scenario:N", title=None, sort=list(names)),
        color=alt.Color("constraint:N", scale=colour_scale(kinds),
                        legend=_legend(4, "What binds")),
        tooltip=["scenario:N", "year:Q", "constraint:N"])
        .properties(width="container", height=alt.Step(28)))


def fan_spec(y_title: str, log: bool, names: Sequence[str]) -> dict:
    """Monte Carlo fan: the p5-p95 band and the median, by scenario."""
    x = alt.X("year:Q", title="Year", axis=alt.Axis(format="d"))
    color = alt.Color("scenario:N", scale=colour_scale(names), legend=_legend(4))
    band = alt.Chart().mark_area(opacity=0.25).encode(
        x=x, y=alt.Y("p5:Q", axis=value_axis(y_title), scale=_scale(log)), y2="p95:Q",
        color=color)
    median = alt.Chart().mark_line().encode(
        x=x, y=alt.Y("p50:Q", scale=_scale(log)), color=color,
        tooltip=["scenario:N", alt.Tooltip("year:Q", format=".2f"),
                 *(alt.Tooltip(f"{p}:Q", format=TOOLTIP_NUMBER) for p in ("p5", "p50", "p95"))])
    return _spec(alt.layer(band, median).properties(width="container", height=300))


def tornado_spec(x_title: str) -> dict:
    """One bar per input from the low-input to the high-input value of the output."""
    return _spec(alt.Chart().mark_bar().encode(
        # input names are up to ~30 characters (Vega's default cuts them at 180 px); Vega would
        # hide every other name as overlapping its neighbours' boxes
        y=alt.Y("input:N", sort=None, title=None,
                axis=alt.Axis(labelLimit=LABEL_LIMIT, labelOverlap=False)),
        x=alt.X("low_value:Q", axis=value_axis(x_title), scale=alt.Scale(zero=False)),
        x2="high_value:Q",
        color=alt.Color("direction:N", scale=alt.Scale(
            domain=list(DIRECTIONS), range=list(palette.DIRECTION_COLOURS)), legend=_legend(2)),
        tooltip=["input:N", "low:N", "high:N",
                 alt.Tooltip("low_value:Q", format=TOOLTIP_NUMBER),
                 alt.Tooltip("high_value:Q", format=TOOLTIP_NUMBER)])
        .properties(width="container", height=alt.Step(20)))  # a row a bar: every input labelled


# --- the observed panel beside the model's research shares (the Market tab) -------------------
MODEL_PATH = "model path"


def observed_frame(labs: pd.DataFrame, column: str, points: Sequence[Mapping]) -> pd.DataFrame:
    """The market's `column` per lab and year as (year, lab, value, kind = 'model path') rows,
    then the observed points (model.market.observed.research_points) with their citations."""
    model = pd.DataFrame({"year": labs["year"], "lab": labs["lab"], "value": labs[column],
                          "kind": MODEL_PATH, "period": "", "measure": "", "scope": "",
                          "citation": ""})
    seen = pd.DataFrame(list(points), columns=["lab", "year", "value", "kind", "measure",
                                               "period", "scope", "citation"])
    return pd.concat([model, seen[model.columns]], ignore_index=True)


def observed_spec(y_title: str, names: Sequence[str]) -> dict:
    """The model's lines by lab, and the observed shares as points (shape: what they count)
    whose tooltips give the source."""
    x = alt.X("year:Q", title="Year", axis=alt.Axis(format="d"), scale=alt.Scale(zero=False))
    y = alt.Y("value:Q", axis=value_axis(y_title))
    color = alt.Color("lab:N", scale=colour_scale(names), legend=_legend(4))
    lines = alt.Chart().transform_filter(alt.datum.kind == MODEL_PATH).mark_line().encode(
        x=x, y=y, color=color, tooltip=["lab:N", alt.Tooltip("year:Q", format=".2f"),
                                        alt.Tooltip("value:Q", format=".1%")])
    points = alt.Chart().transform_filter(alt.datum.kind != MODEL_PATH).mark_point(
        size=90, filled=True).encode(
        x=x, y=y, color=color,
        shape=alt.Shape("kind:N", title=None, legend=_legend(2)),
        tooltip=["lab:N", "period:N", alt.Tooltip("value:Q", format=".1%"), "kind:N",
                 "measure:N", "scope:N", "citation:N"])
    return _spec(alt.layer(lines, points).properties(width="container", height=280))
