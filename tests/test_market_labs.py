"""The market's labs at end-2025: every value cited, the fleets Epoch's, the world accounted
for, each lab runnable alone with its base year reproducing its fleet and revenue; and the two
ways a user edits a market (`--set` strings, JSON/TOML files), which refuse anything bad with
one line naming the lab and field, in bounded time.
"""

from __future__ import annotations

import json
import math
import time

import numpy as np
import pytest
from hostile import HOSTILE_NUMBERS
from hypothesis import given, settings
from hypothesis import strategies as st

from model.core.catalogue import CATALOGUE
from model.core.errors import InputError
from model.core.sources import REFERENCES, reference_keys
from model.loop.projection import project
from model.market.fields import FIELDS, REQUIRED, SHARES, records
from model.market.files import (
    MAX_FILE_BYTES,
    MAX_LABS,
    apply_sets,
    market_document,
    parse_set,
    read_market_file,
    read_market_text,
)
from model.market.labs import BASE_YEAR, OPENAI_RESEARCH, OPENAI_STAFF, WORLD_DEPLOYED
from model.market.single_lab import lab_inputs, lab_settings
from model.market.world import LABS, MARKET, REST_OF_WORLD, TEMPLATE

HANG = 2.0  # seconds: a hang detector, far above any bounded case
# Epoch AI, data/lab_compute_year_end_by_lab.csv: (p5, median, p95) H100e at end-2025.
EPOCH_2025 = {
    "openai": (1251477.0828997404, 1743439.8493869188, 2185142.3455992746),
    "anthropic": (842241.6260268212, 1189573.8857074357, 1716534.7037994058),
    "google-deepmind": (1008220.4725750112, 1583429.9538668268, 2548755.702786412),
    "xai": (587268.4845382306, 634792.6058833487, 786632.5928349933),
    "meta": (606301.475799089, 996228.0602346028, 1637712.6527012342),
}
# Reported 2025 revenue (USD): OpenAI $13.1B, Anthropic $4.5B, Meta none from its models.
REPORTED_REVENUE = {"openai": 13.1e9, "anthropic": 4.5e9, "meta": 0.0}
BASE_TOLERANCE = 1e-9  # relative: the base year is data, reproduced to rounding


def one_line(message: str, *names: str) -> None:
    assert "\n" not in message and "Traceback" not in message, message
    assert all(n in message for n in names), (names, message)
    assert len(message) < 400, message


def refused(call, *names: str) -> str:
    """`call()` raises one InputError line naming `names`, in bounded time."""
    start = time.perf_counter()
    with pytest.raises(InputError) as info:
        call()
    assert time.perf_counter() - start < HANG
    one_line(str(info.value), *names)
    return str(info.value)


# ---------------------------------------------------------------------------------------------
# The data: cited, Epoch's fleets, the world accounted for
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lab", [*MARKET, TEMPLATE], ids=lambda lab: lab.name)
def test_every_field_of_every_lab_is_cited(lab):
    assert set(REQUIRED) <= set(lab.values) <= set(FIELDS)
    for name, (value, citation) in lab.values.items():
        keys = reference_keys(citation)
        assert keys, f"{lab.name}.{name} cites nothing: {citation!r}"
        assert set(keys) <= set(REFERENCES), f"{lab.name}.{name}: {keys}"
        if not FIELDS[name].choices:
            assert math.isfinite(value) and FIELDS[name].min <= value <= FIELDS[name].max


@pytest.mark.parametrize("lab", MARKET, ids=lambda lab: lab.name)
def test_assumptions_are_labelled_with_an_interval(lab):
    for name, (_, citation) in lab.values.items():
        if "[assumption]" in citation:
            assert name in lab.intervals, f"{lab.name}.{name} is assumed without an interval"
    for name, (lo, hi) in lab.intervals.items():
        assert lo <= lab.value(name) <= hi, f"{lab.name}.{name} outside its interval"


def test_some_values_are_assumptions_and_the_sourced_ones_are_not():
    """Not vacuous: the labs without a published split or revenue assume them; OpenAI's and
    Anthropic's split, revenue and fleet come from their sources."""
    assumed = {(lab.name, n) for lab in MARKET for n, (_, c) in lab.values.items()
               if "[assumption]" in c}
    assert {("google-deepmind", "share_inference"), ("google-deepmind", "revenue"),
            ("xai", "share_inference"), ("xai", "revenue"), ("rest-of-world", "revenue"),
            ("rest-of-world", "rented_share")} <= assumed
    for name in ("openai", "anthropic"):
        for field in ("fleet_gpus", "share_inference", "revenue", "rented_share"):
            assert (name, field) not in assumed


@pytest.mark.parametrize("name", EPOCH_2025)
def test_fleets_are_epochs_end_2025_estimates(name):
    lo, median, hi = EPOCH_2025[name]
    assert LABS[name].value("fleet_gpus") == pytest.approx(median, abs=0.01)
    assert LABS[name].intervals["fleet_gpus"] == pytest.approx((lo, hi), abs=0.01)
    assert "[epoch-lab-compute]" in LABS[name].values["fleet_gpus"][1]


def test_the_named_labs_and_the_rest_make_the_world_stock():
    fleets = {lab.name: lab.value("fleet_gpus") for lab in MARKET}
    assert sum(fleets.values()) == pytest.approx(WORLD_DEPLOYED, rel=1e-12)
    assert WORLD_DEPLOYED == 16e6  # Epoch: ~16M H100e deployed at end-2025
    assert fleets["rest-of-world"] == pytest.approx(
        16e6 - sum(m for _, m, _ in EPOCH_2025.values()), abs=0.1)
    assert sum(lab.value("lab_supply_share") for lab in MARKET) == pytest.approx(1, abs=1e-12)


def test_sourced_splits_revenue_and_ownership():
    split = {lab.name: lab.value("share_inference") for lab in MARKET}
    assert (split["openai"], split["anthropic"]) == (0.5, 0.4)  # Epoch: ~50%, ~40% over 2025
    for name, revenue in REPORTED_REVENUE.items():
        assert LABS[name].value("revenue") == revenue
    rented = {lab.name: lab.value("rented_share") for lab in MARKET}
    assert rented["openai"] == rented["anthropic"] == 1 and rented["google-deepmind"] == 0
    assert rented["xai"] == pytest.approx(1 - 553_714 / EPOCH_2025["xai"][1], abs=1e-6)
    for lab in MARKET:
        assert sum(lab.value(s) for s in SHARES) == pytest.approx(1, abs=1e-12), lab.name


def test_research_staff_follows_each_labs_research_compute():
    # the rest of the world is a fringe with no research of its own at the frontier
    assert REST_OF_WORLD.value("research_staff") == 0
    for lab in (*MARKET[:-1], TEMPLATE):
        research = lab.value("fleet_gpus") * lab.value("share_research")
        assert lab.value("research_staff") == pytest.approx(
            OPENAI_STAFF * research / OPENAI_RESEARCH, rel=1e-12), lab.name


def test_records_list_every_value_with_its_source():
    rows = records(MARKET)
    assert len(rows) == sum(len(lab.values) for lab in MARKET)
    row = next(r for r in rows if (r["lab"], r["field"]) == ("openai", "fleet_gpus"))
    assert row["unit"] == "GPU" and row["interval"] == list(LABS["openai"].intervals[
        "fleet_gpus"]) and row["source"].startswith("[epoch-lab-compute]")
    json.dumps(rows)  # plain data


# ---------------------------------------------------------------------------------------------
# Each lab alone through the single-lab projection
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lab", MARKET, ids=lambda lab: lab.name)
def test_each_lab_runs_alone_and_its_base_year_is_its_data(lab):
    frame = project(lab_settings(lab), years=2)
    first = frame.iloc[0]
    assert first["year"] == BASE_YEAR
    fleet, revenue = lab.value("fleet_gpus"), lab.value("revenue")
    assert first["fleet_gpus"] == pytest.approx(fleet, rel=BASE_TOLERANCE)
    assert first["fleet_stock"] == pytest.approx(fleet, rel=BASE_TOLERANCE)
    assert first["inference_revenue"] == pytest.approx(revenue, rel=BASE_TOLERANCE, abs=1e-6)
    assert first["share_inference"] == lab.value("share_inference")
    assert np.isfinite(frame.to_numpy(dtype=float)).all(), lab.name


@pytest.mark.parametrize("lab", MARKET, ids=lambda lab: lab.name)
def test_lab_settings_cite_the_lab(lab):
    settings = lab_settings(lab)
    for name, (_, citation) in lab_inputs(lab).items():
        assert settings.sources[name] == citation, name
    basis = "rented" if lab.value("rented_share") >= 0.5 else "owned"
    assert settings.text("cost_basis") == basis
    if lab.value("revenue") > 0:
        assert settings.sources["token_price"].startswith(lab.values["revenue"][1])
    assert settings.overrides == {} and settings.scenario == "status-quo"


def test_overrides_win_and_the_revenue_still_holds():
    lab = LABS["openai"]
    settings = lab_settings(lab, "brakes", {"fleet_gpus": "1e6 GPU"})
    assert settings.values["fleet_gpus"] == 1e6 and settings.sources["fleet_gpus"] == \
        "user setting"
    assert settings.text("allocation_policy") == "inference-first"  # the scenario's
    first = project(settings, years=1).iloc[0]
    assert first["inference_revenue"] == pytest.approx(13.1e9, rel=BASE_TOLERANCE)
    assert first["fleet_gpus"] == 1e6


def test_a_lab_that_cannot_resolve_is_named():
    bad = apply_sets(["-meta"])  # a valid market...
    assert "meta" not in {lab.name for lab in bad}
    refused(lambda: apply_sets(["openai.share_inference=0.9"]), "openai", "shares must sum")
    refused(lambda: lab_settings(LABS["openai"], "brake"), "openai", "brake")


# ---------------------------------------------------------------------------------------------
# --set strings
# ---------------------------------------------------------------------------------------------
def test_set_grammar_adds_removes_and_edits():
    market = apply_sets(["openai.fleet_gpus=2e6 GPU", "+mylab.fleet_gpus=1e5", "-xai",
                         "+rival=anthropic", "rival.title = Rival", "mylab.revenue=1 GUSD/year",
                         "+blank", "meta.financing_model = PARENT"])
    labs = {lab.name: lab for lab in market}
    assert list(labs) == ["openai", "anthropic", "google-deepmind", "meta", "rest-of-world",
                          "mylab", "rival", "blank"]
    assert labs["openai"].values["fleet_gpus"] == (2e6, "user setting (--set)")
    assert "fleet_gpus" not in labs["openai"].intervals
    # a new lab is the rest of the world scaled to its fleet: totals scale, ratios stay
    k = 1e5 / REST_OF_WORLD.value("fleet_gpus")
    assert labs["mylab"].value("external_financing") == pytest.approx(
        REST_OF_WORLD.value("external_financing") * k)
    assert labs["mylab"].value("share_inference") == REST_OF_WORLD.value("share_inference")
    assert labs["mylab"].value("revenue") == 1e9
    assert labs["blank"].value("fleet_gpus") == pytest.approx(TEMPLATE.value("fleet_gpus"))
    assert labs["rival"].title == "Rival"
    assert labs["rival"].value("revenue") == LABS["anthropic"].value("revenue")
    assert labs["rival"].values["revenue"][1].startswith("as anthropic's: [anthropic-revenue]")
    assert labs["meta"].value("financing_model") == "parent"
    for lab in market:  # every lab of an edited market still runs alone
        assert project(lab_settings(lab), years=1).iloc[0]["fleet_gpus"] == lab.value(
            "fleet_gpus")


@pytest.mark.parametrize(("sets", "names"), [
    (["openai.fleet_gpus=1e6", "openai.fleet_gpus=2e6"], ("openai.fleet_gpus", "twice")),
    (["+openai"], ("openai", "already")),
    (["+x", "+x"], ("x", "already")),
    (["-xai", "-xai"], ("xai", "no lab")),
    (["-xai", "xai.revenue=1"], ("xai", "no lab", "+xai")),
    (["opnai.revenue=1"], ("opnai", "did you mean 'openai'")),
    (["openai.revnue=1"], ("openai", "revnue", "did you mean 'revenue'")),
    (["+x=nobody"], ("nobody", "no lab")),
    (["openai.fleet_gpus=2e6 GPU/hour"], ("openai.fleet_gpus", "expected GPU")),
    (["openai.fleet_gpus=0"], ("openai.fleet_gpus", "outside its bounds")),
    (["openai.rented_share=1.5"], ("openai.rented_share", "[0, 1]")),
    (["openai.revenue=-1"], ("openai.revenue", "outside")),
    (["openai.financing_model=loans"], ("openai.financing_model", "revenue-multiple")),
    (["meta.revenue=1e9"], ("meta.revenue", "share_inference")),
    (["openai.revenue=1e-3"], ("openai.revenue", "token_price")),
    (["openai.title="], ("openai.title",)),
    (["OpenAI.revenue=1"], ("'OpenAI'", "a-z")),
    ([f"+{'a' * 33}"], ("a-z", "1-32")),
    (["-" + n for n in LABS], ("market", "1 to")),
    ([f"+l{i}" for i in range(MAX_LABS)], ("a market holds at most",)),
])
def test_bad_sets_are_refused_on_one_line(sets, names):
    refused(lambda: apply_sets(sets), *names)


def test_messages_stay_one_short_line_in_a_full_market():
    full = [f"+{'l' * 28}{i:04d}" for i in range(MAX_LABS - len(MARKET))]
    refused(lambda: apply_sets([*full, f"{'x' * 32}.revenue=1"]), "no lab")
    refused(lambda: apply_sets([*full, "+one-more"]), "at most")


@pytest.mark.parametrize("text", ["", "+", "-", "=", ".", "openai", "openai.", "openai=1",
                                  "openai.fleet_gpus", "openai.fleet_gpus=", "+openai.=1",
                                  "-xai.revenue=1", "-xai=1", "+x.fleet_gpus", ".fleet_gpus=1",
                                  "open ai.revenue=1", "\x00", "x" * 301, "+=openai"])
def test_malformed_sets_are_refused(text):
    refused(lambda: parse_set(text))


@pytest.mark.parametrize("text", HOSTILE_NUMBERS, ids=range(len(HOSTILE_NUMBERS)))
def test_hostile_numbers_in_a_set_are_refused(text):
    refused(lambda: apply_sets([f"openai.fleet_gpus={text}"]))


@pytest.mark.parametrize("value", [None, 1, b"x", ["a"]], ids=["none", "int", "bytes", "list"])
def test_sets_must_be_a_list_of_strings(value):
    refused(lambda: apply_sets(value if isinstance(value, list) else [value]), "--set")
    refused(lambda: apply_sets("openai.revenue=1"), "--set", "list")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_set_text_is_an_edit_or_one_line(text):
    try:
        apply_sets([text])
    except InputError as exc:
        one_line(str(exc))


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[+-]?(openai|xai|meta|new|[a-z]{1,3})(\.(fleet_gpus|revenue|title|"
                     r"share_inference|financing_model|[a-z_]{1,8}))?(=[-+0-9eE. a-zA-Z/*]"
                     r"{0,30})?", fullmatch=True))
def test_grammar_like_sets_are_an_edit_or_one_line(text):
    start = time.perf_counter()
    try:
        apply_sets([text])
    except InputError as exc:
        one_line(str(exc))
    assert time.perf_counter() - start < HANG


# ---------------------------------------------------------------------------------------------
# Market files
# ---------------------------------------------------------------------------------------------
TOML = """
from = "presets"
remove = ["xai"]
[add.mylab]
fleet_gpus = "1e5 GPU"
revenue = 1e9
[add.rival]
like = "anthropic"
title = "Rival"
[edit.openai]
fleet_gpus = "2e6 GPU"
"""
SETS = ["-xai", "+mylab.fleet_gpus=1e5 GPU", "mylab.revenue=1e9", "+rival=anthropic",
        "rival.title=Rival", "openai.fleet_gpus=2e6 GPU"]


def _plain(market) -> list:
    return [(lab.name, lab.title, {n: v for n, (v, _) in lab.values.items()}) for lab in market]


def test_a_toml_and_a_json_file_say_what_the_sets_say(tmp_path):
    want = _plain(apply_sets(SETS))
    (tmp_path / "m.toml").write_text(TOML)
    doc = {"remove": ["xai"], "add": {"mylab": {"fleet_gpus": "1e5 GPU", "revenue": 1e9},
                                      "rival": {"like": "anthropic", "title": "Rival"}},
           "edit": {"openai": {"fleet_gpus": "2e6 GPU"}}}
    (tmp_path / "m.json").write_text(json.dumps(doc))
    for name in ("m.toml", "m.json"):
        market = read_market_file(tmp_path / name)
        assert _plain(market) == want, name
        assert dict(market[0].values)["fleet_gpus"][1] == f"user setting (market file {name!r})"


def test_a_market_written_as_a_file_reads_back_to_the_same_settings(tmp_path):
    path = tmp_path / "market.json"
    path.write_text(json.dumps(market_document(MARKET)))
    back = read_market_file(path)
    assert [(lab.name, lab.title) for lab in back] == [(lab.name, lab.title) for lab in MARKET]
    for new, old in zip(back, MARKET, strict=True):
        assert lab_settings(new).values == lab_settings(old).values, old.name


def test_an_empty_start_holds_only_the_added_labs():
    market = read_market_text('from = "empty"\n[add.solo]\nfleet_gpus = 5e4\n', "toml")
    assert [lab.name for lab in market] == ["solo"]
    assert project(lab_settings(market[0]), years=1).iloc[0]["fleet_gpus"] == 5e4


HOSTILE_FILES = [
    ("json", "[" * 100_000, "not valid JSON"),
    ("toml", "a = " + "[" * 100_000, "not valid TOML"),
    ("json", '{"edit": {"openai": {"revenue": 1, "revenue": 2}}}', "given twice"),
    ("json", "[1]", "expected a table"),
    ("json", '{"edit": {"openai": {"revenue": 1e999}}}', "openai.revenue"),
    ("json", '{"edit": {"openai": {"revenue": NaN}}}', "openai.revenue"),
    ("json", '{"edit": {"openai": {"revenue": true}}}', "openai.revenue"),
    ("json", '{"edit": {"openai": {"revenue": [1]}}}', "openai.revenue"),
    ("json", '{"edit": {"openai": {"revenue": {"a": 1}}}}', "openai.revenue"),
    ("json", '{"edit": {"openai": {"revenue": ' + "9" * 5000 + "}}}", "not valid JSON"),
    ("json", '{"edit": {"openai": {"revenue": "9**9**9"}}}', "openai.revenue"),
    ("json", '{"edit": {"openai": 1}}', "openai"),
    ("json", '{"edit": {"Open AI": {}}}', "a-z"),
    ("json", '{"edit": {"nobody": {"revenue": 1}}}', "nobody"),
    ("json", '{"edit": {"openai": {"like": "xai"}}}', "unknown field 'like'"),
    ("json", '{"add": {"openai": {}}}', "already"),
    ("json", '{"add": {"x": {"like": "nobody"}}}', "nobody"),
    ("json", '{"remove": "xai"}', "remove"),
    ("json", '{"from": "somewhere"}', "'from' must be"),
    ("json", '{"form": "empty"}', "did you mean 'from'"),
    ("json", '{"from": "empty"}', "1 to"),
    ("json", json.dumps({"add": {f"l{i}": {} for i in range(MAX_LABS + 1)}}), "at most"),
    ("toml", "[edit.openai]\nrevenue = 2025-01-01\n", "openai.revenue"),
    ("toml", "[edit.openai]\nshare_inference = 0.9\n", "shares must sum"),
    ("toml", "from = 'presets'\nfrom = 'empty'\n", "not valid TOML"),
    ("toml", "x" * (MAX_FILE_BYTES + 1), "KiB"),
    ("toml", b"\xff\xfe\x00", "not valid TOML"),
]


@pytest.mark.parametrize(("fmt", "text", "named"), HOSTILE_FILES,
                         ids=range(len(HOSTILE_FILES)))
def test_hostile_market_files_are_refused_on_one_line(fmt, text, named):
    refused(lambda: read_market_text(text, fmt), named)


def test_what_is_not_a_market_file_is_refused(tmp_path):
    refused(lambda: read_market_file(tmp_path / "m.yaml"), "json or .toml")
    refused(lambda: read_market_file(tmp_path / "missing.toml"), "not a readable file")
    (tmp_path / "dir.json").mkdir()
    refused(lambda: read_market_file(tmp_path / "dir.json"), "not a readable file")
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (MAX_FILE_BYTES + 10))
    refused(lambda: read_market_file(big), "KiB")


_JSON = st.recursive(st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=20),
                     lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=20)
_KEYS = st.sampled_from(["from", "remove", "add", "edit", "openai", "like", "title", "revenue",
                         "fleet_gpus", "share_inference", "xai", "x"])


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(_KEYS, st.dictionaries(_KEYS, st.dictionaries(_KEYS, _JSON, max_size=3)
                                              | _JSON, max_size=3) | _JSON, max_size=4))
def test_any_json_market_is_a_market_or_one_line(doc):
    try:
        market = read_market_text(json.dumps(doc), "json")
    except InputError as exc:
        one_line(str(exc))
    else:
        assert 1 <= len(market) <= MAX_LABS


def test_catalogue_fields_keep_the_catalogues_units_and_bounds():
    for name, f in FIELDS.items():
        if name in CATALOGUE and not f.choices:
            q = CATALOGUE[name]
            assert (f.unit, f.min, f.max) == (q.unit, q.min, q.max)
