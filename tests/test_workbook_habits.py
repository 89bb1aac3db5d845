"""The workbook's modelling habits (issue 20), measured on the committed example workbooks
(tests/test_workbook_examples.py keeps them current) and on a small fresh export: no number
hidden in a formula, no formula over 300 characters, inputs read by name on every sheet,
binding_constraint in words, the overall check on the Summary, Finance following the Summary's
scenario, Inputs and Equations printed landscape on A4 one page wide."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import openpyxl
import pytest
import sympy

from model.core.errors import ModelDefinitionError
from model.loop.rows import BINDING_CONSTRAINTS
from model.workbook._constants import STRUCTURAL, constant_name
from model.workbook._guards import reached
from model.workbook._split import MAX_LENGTH, compiled, split
from model.workbook.build import build_workbook, write_workbook
from model.workbook.examples import example_files
from model.workbook.excel_printer import excel_formula
from tests.workbook_habits import (
    SPELLED,
    badly_named,
    constants_listed,
    habits,
    stray_literals,
)

EXAMPLES = Path(__file__).resolve().parent.parent / "workbooks"


@cache
def _example(name: str):
    return openpyxl.load_workbook(EXAMPLES / name)


@cache
def _example_values(name: str):
    return openpyxl.load_workbook(EXAMPLES / name, data_only=True)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    path = tmp_path_factory.mktemp("habits") / "openai.xlsx"
    write_workbook(
        build_workbook("openai-2024", ["status-quo", "ai-2027"], years=3, created=date(2025, 1, 1)),
        path,
    )
    return openpyxl.load_workbook(path), openpyxl.load_workbook(path, data_only=True)


def test_the_literal_measure_finds_numbers_not_references_or_names():
    assert stray_literals("=IF(ABS(D5*C3)<1E-06,1,2)") == ["1E-06"]
    assert stray_literals("='Projection 2'!C5+\"3 x\"+AM123*$A$4/k_four") == []
    assert stray_literals("=x^0.5+.25*100") == [".25"]


@pytest.mark.parametrize("name", list(example_files()))
def test_examples_hide_no_number_keep_formulas_short_and_read_inputs_by_name(name):
    found = habits(_example(name))
    assert not found["literals"], found["literals"][:5]
    assert not found["long"], found["long"][:5]
    assert not found["raw"], found["raw"][:5]


def test_a_number_outside_the_structural_ones_prints_as_a_named_constant():
    x, policy = sympy.Symbol("x"), sympy.Symbol("allocation_policy")
    assert excel_formula(x * 700 + 1, {x: "x"}, constant_name) == "=exp_cap*x+1"
    with pytest.raises(ModelDefinitionError, match="number 250 in a formula has no name"):
        excel_formula(x * 250 + 1, {x: "x"}, constant_name)  # not one of the model's
    assert excel_formula(x / 100 + 0.5, {x: "x"}, constant_name) == "=x/100+0.5"
    choice = sympy.Piecewise((x, sympy.Eq(policy, 3)), (0, True))
    assert (
        excel_formula(choice, {x: "x", policy: "allocation_policy_index"}, constant_name)
        == "=IF(allocation_policy_index=allocation_policy_value_maximising,x,0)"
    )
    assert 1e-6 not in STRUCTURAL and constant_name(1e-6) == "near_zero"


@pytest.mark.parametrize("name", list(example_files()))
def test_every_constant_has_a_name_that_says_what_it_is_and_a_reason(name):
    assert len(constants_listed(_example(name))) > 20, "the Constants sheet's rows not found"
    assert not badly_named(_example(name))


def test_every_number_of_the_equations_has_a_known_name():
    """Every number any Projection template or fleet-year formula holds is structural, a
    choice's option, or in KNOWN (printing one that is not raises)."""
    from model.workbook._templates import templates

    assert SPELLED.fullmatch("k_two_e_minus_six") and SPELLED.fullmatch("four")
    assert not SPELLED.fullmatch("near_zero_twice")
    for coupled in (False, True):
        templates(coupled)  # raises ModelDefinitionError on a number without a name
    assert constant_name(4.0) == "half_step_series_divisor"


def test_every_named_constant_is_on_the_constants_sheet_with_its_value(fresh):
    wb, values = fresh
    ws = wb["Constants"]
    listed = {r[0].value: r[1].value for r in ws.iter_rows(min_row=5) if r[1].value is not None}
    assert listed["binds_customers"] == 3 and listed["near_zero"] == 1e-6
    for name, value in listed.items():
        ((title, coord),) = wb.defined_names[name].destinations
        assert title == "Constants" and ws[coord.replace("$", "")].value == value


def test_split_cuts_a_long_expression_into_short_pieces_of_the_same_value():
    xs = sympy.symbols("x0:40")
    expr = sympy.Piecewise(
        (sum(v**2 for v in xs) / (1 + xs[0]), xs[1] > 0),
        (sympy.exp(sum(xs[:20])) * sum(xs[20:]), True),
    )
    names = {v: f"long_input_name_{i}" for i, v in enumerate(xs)}
    helpers, final = split(expr, names, lambda i: (sympy.Symbol(f"h{i}"), f"h{i}"))
    refs = {**names, **{h: str(h) for h, _ in helpers}}
    assert len(excel_formula(expr, names)) > MAX_LENGTH and helpers
    assert all(len(excel_formula(e, refs)) <= MAX_LENGTH for _, e in [*helpers, (0, final)])
    at = {v: 0.01 * (i + 1) for i, v in enumerate(xs)}
    for h, e in helpers:
        at[h] = e.subs(at)
    assert float(final.subs(at)) == pytest.approx(float(expr.subs(at)), rel=1e-12)


def test_split_cuts_an_expression_over_excels_own_limit():
    x, y, z = sympy.symbols("x y z")
    level = x
    for _ in range(8):  # a tree that doubles with every level: thousands of characters
        level = (level + y) / (level * z + 1) + x
    names = {x: "x", y: "y", z: "z"}
    helpers, final = split(level, names, lambda i: (sympy.Symbol(f"h{i}"), f"h{i}"))
    refs = {**names, **{h: str(h) for h, _ in helpers}}
    assert all(len(excel_formula(e, refs)) <= MAX_LENGTH for _, e in [*helpers, (0, final)])
    at = {x: 1.3, y: 0.7, z: 2.1}
    for h, e in helpers:
        at[h] = e.subs(at)
    assert float(final.subs(at)) == pytest.approx(float(level.subs(at)), rel=1e-12)


def test_a_helper_cut_out_of_an_if_branch_computes_only_where_the_if_takes_it():
    """A helper row is computed in every column: cut out of a branch, it carries the branch's
    condition, so that it shows 0 rather than an error (#NUM!, LN(0)) where the IF does not
    take it (issue 20)."""
    xs, y = sympy.symbols("x0:30"), sympy.Symbol("y")
    branch = sum(sympy.log(xs[i] / xs[i + 1]) for i in range(29)) / y
    expr = sympy.Piecewise((0, y <= 0), (branch, True))
    names = {v: f"long_input_name_{i}" for i, v in enumerate([*xs, y])}
    helpers, final = split(expr, names, lambda i: (sympy.Symbol(f"h{i}"), f"h{i}"))
    assert helpers
    for _, piece in helpers:
        assert piece == sympy.Piecewise((piece.args[0][0], y > 0), (0, True))
        order, fn = compiled(piece)
        assert fn(*(0.0 for _ in order)) == 0  # y = 0: the IF takes 0, LN(0/0) is not reached
    at = {v: 1.0 + 0.1 * i for i, v in enumerate(xs)} | {y: 2.0}
    for h, piece in helpers:
        at[h] = piece.subs(at)
    assert float(final.subs(at)) == pytest.approx(float(branch.subs(at)), rel=1e-12)


def test_reached_follows_nested_ifs_and_ors_their_places():
    a, b, c, d, x = sympy.symbols("a b c d x")
    inner = sympy.Piecewise((b * x, d > 0), (x, True))
    when = reached(sympy.Piecewise((a, c > 0), (inner, True)) + sympy.exp(b * d))
    assert when[a] == (c > 0) and when[inner] == (c <= 0)
    assert when[b * x] == sympy.And(c <= 0, d > 0)
    assert when[x] == (c <= 0)  # in both of inner's branches: the weaker of the two
    assert when[b] is sympy.true  # also in EXP(b*d), computed always


def test_split_leaves_a_short_expression_alone():
    x, y = sympy.symbols("x y")
    assert split(x + y, {x: "x", y: "y"}, lambda i: (sympy.Symbol(f"h{i}"), f"h{i}")) == (
        [],
        x + y,
    )


def test_long_rows_have_named_helper_rows_above_them(fresh):
    wb, _ = fresh
    ws = wb["Projection"]
    labels = [r[0].value for r in ws.iter_rows(min_row=4)]
    at = labels.index("capital_available")
    assert labels[at - 1].startswith("capital_available_part")
    formula = ws.cell(4 + at, 3).value
    assert f"C{4 + at - 1}" in formula  # it reads its helper rows


def test_scenario_sheets_read_their_inputs_by_names_scoped_to_them(fresh):
    wb, _ = fresh
    inputs = wb["Inputs"]
    header = [c.value for c in inputs[3]]
    row = next(r[0].row for r in inputs.iter_rows(min_row=4) if r[0].value == "fleet_gpus")
    ws = wb["Projection ai-2027"]
    ((title, coord),) = ws.defined_names["fleet_gpus"].destinations
    col = openpyxl.utils.get_column_letter(header.index("ai-2027") + 1)
    assert (title, coord) == ("Inputs", f"${col}${row}")
    assert any(
        "fleet_gpus" in c.value for r in ws.iter_rows(min_row=4) for c in r if c.data_type == "f"
    )


def test_binding_constraint_reads_in_words_on_every_projection_and_the_summary(fresh):
    wb, values = fresh
    for title in ("Projection", "Projection ai-2027"):
        rows = {r[0].value: r[0].row for r in wb[title].iter_rows(min_row=4)}
        codes = [c.value for c in values[title][rows["binding_constraint"]][2:6]]
        words = [c.value for c in values[title][rows["binding_constraint_words"]][2:6]]
        assert words == [BINDING_CONSTRAINTS[int(c)] for c in codes]
        assert (
            wb[title].cell(rows["binding_constraint_words"], 3).value
            == f"=INDEX(binding_constraint_words,C{rows['binding_constraint']}+1)"
        )
    summary = {r[0].value: r for r in values["Summary"].iter_rows(min_row=8)}
    assert {c.value for c in summary["binding_constraint"][2:6]} <= set(BINDING_CONSTRAINTS)


def test_summary_shows_the_checks_sheets_overall_flag(fresh):
    wb, values = fresh
    flag = next(r for r in wb["Summary"].iter_rows(max_row=7) if r[0].value == "checks_pass")
    assert flag[2].value == "=checks_pass"
    ((title, coord),) = wb.defined_names["checks_pass"].destinations
    checks = wb["Checks"]
    assert title == "Checks" and checks[coord.replace("$", "")].value.startswith("=AND(")
    assert values["Summary"][flag[2].coordinate].value is True


def test_checks_include_revenue_price_band_and_shares_for_every_scenario(fresh):
    wb, values = fresh
    labels = [r[0].value for r in wb["Checks"].iter_rows(min_row=5) if r[0].value]
    for scenario in ("status-quo", "ai-2027"):
        mine = [label for label in labels if label.startswith(f"{scenario}:")]
        assert any("revenue at most the tokens served" in label for label in mine)
        assert any("within the sourced band" in label for label in mine)
        assert any("shares sum to 1" in label for label in mine)


def test_finance_follows_the_scenario_picked_on_the_summary(fresh):
    wb, _ = fresh
    ws = wb["Finance"]
    revenue = next(r for r in ws.iter_rows(min_row=4) if r[0].value == "inference_revenue")
    text = revenue[2].value
    assert text.startswith("=CHOOSE(summary_index,'Projection'!C")
    assert "'Projection ai-2027'!C" in text


@pytest.mark.parametrize("title", ["Inputs", "Equations"])
def test_inputs_and_equations_print_landscape_on_a4_one_page_wide(fresh, title):
    ws = fresh[0][title]
    setup = ws.page_setup
    assert setup.orientation == "landscape" and str(setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and int(setup.fitToWidth) == 1
    assert int(setup.fitToHeight) == 0  # as many pages tall as it needs
    wrapped = [
        c
        for r in ws.iter_rows(min_row=5, max_row=30)
        for c in r
        if isinstance(c.value, str) and len(c.value) > 60
    ]
    assert wrapped and all(c.alignment.wrap_text for c in wrapped)
