"""The market workbook (model.workbook.market_book): its layout, names and labels, and the
Market sheet's values against the market engine's own numpy (a change to the engine's clearing
that the workbook's sympy does not follow fails here). A small market: three labs, three years
at yearly steps. tests/test_market_workbook_libreoffice.py recalculates the file."""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import date

import numpy as np
import openpyxl
import pytest

from model.cli.main import main
from model.core.errors import InputError
from model.loop.projection import STEP_ROWS
from model.market import capital, chips
from model.market.clearing import TOLERANCE, couple
from model.market.nash import choosing, nash
from model.market.single_lab import lab_settings
from model.market.world import LABS
from model.workbook.build import workbook_bytes
from model.workbook.market_book import CHOSEN, SOLVED, build_market_workbook
from model.workbook.market_clearing import PARAMETERS
from tests.workbook_habits import badly_named, constants_listed, habits

NAMES = ("openai", "anthropic", "rest-of-world")
YEARS, STEP = 3, "year"
RTOL = 1e-12  # the sheet's cached values are the sympy clearing evaluated in numpy


@pytest.fixture(scope="module")
def solved():
    labs = [LABS[n] for n in NAMES]
    eq = nash([choosing(lab_settings(lab, None)) for lab in labs], list(NAMES), YEARS, STEP)
    return labs, eq


@pytest.fixture(scope="module")
def book(solved):
    labs, eq = solved
    return build_market_workbook(labs, None, eq.market, eq.paths, years=YEARS, step=STEP,
                                 created=date(2026, 1, 1))


@pytest.fixture(scope="module")
def wb(book):
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes(book)))


def market_rows(ws) -> dict[str, int]:
    """Market-sheet label (`name` or `name[lab]`) -> sheet row."""
    return {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)
            if isinstance(ws.cell(r, 1).value, str)}


def engine_values(m, shares: np.ndarray) -> dict[str, np.ndarray]:
    """What the engine computes for the Market sheet's rows (n, labs) or (n,), from the final
    market's rows (model.market.clearing.couple, model.market.chips)."""
    target, (served, chosen) = couple(m.rows, shares, False, False)
    bids = m.rows["gpus_bid"].copy()
    bids[0] = 0.0
    supply = chips.market_supply(m.rows["world_gpu_production"], shares)
    return {"logit_share": chosen, "share_of_tokens_sold": served, "rival_odds": target[2],
            "rival_demand": target[3], "market_supply": supply, "bids": bids,
            "chip_price_index": target[1], "chip_shortage": chips.shortage(target[1]),
            "rationed": chips.rationed(bids, supply, shares),
            "market_supply_share": target[0], "total_npv": m.rows["npv"].sum(axis=1),
            "capital_pool": capital.capital_pool(m.rows["external_financing"], m.rows["year"],
                                                  m.rows["world_gdp"][:, 0]),
            "financing_share": target[5][:, 0], "rival_capability_gap": target[6],
            "base_frontier_gap": target[7][:, 0]}


def shares_of(labs) -> np.ndarray:
    return np.array([lab.value("lab_supply_share") for lab in labs])


def test_sheets_one_per_lab_then_market(wb):
    assert wb.sheetnames == ["Cover", "Inputs", "Constants", *NAMES, "Market", "Observed",
                             "Checks"]


def test_each_lab_reads_its_own_inputs_by_names_scoped_to_its_sheet(wb):
    inputs = wb["Inputs"]
    for k, name in enumerate(NAMES):
        names = wb[name].defined_names
        assert len(names) > 150
        (title, coord), = names["fleet_gpus"].destinations
        assert title == "Inputs" and coord == f"${'CDE'[k]}${inputs_row(inputs, 'fleet_gpus')}"
        assert "allocation_policy_index" in names  # a choice's option number
    # workbook-wide: the Market sheet's parameters, the constants and the checks' names only
    constants = {n for n, d in wb.defined_names.items() if d.attr_text.startswith("'Constants'!")}
    assert constants and set(wb.defined_names) == {*PARAMETERS, "lab_count", *constants,
                                                   "tolerance", "checks_pass"}


def inputs_row(ws, name: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == name)


def test_lab_sheets_are_the_coupled_rows_then_the_labelled_input_rows(wb, solved):
    _, eq = solved
    ws = wb["anthropic"]
    labels = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    rows = [label for label in labels if label in STEP_ROWS]  # between them: helper rows
    assert rows == list(STEP_ROWS) and labels[3] == STEP_ROWS[0]
    last = labels.index(STEP_ROWS[-1])
    assert all(label in STEP_ROWS or "_part" in label for label in labels[3:last + 1])
    chosen, solved_at = labels.index(CHOSEN) + 1, labels.index(SOLVED) + 1
    assert labels[chosen:chosen + 5] == [f"chosen_share_{u}" for u in (
        "training", "research", "automation", "inference", "other")]
    assert labels[solved_at:solved_at + 6] == ["market_supply_share", "chip_price_change",
                                               "rival_odds", "rival_demand", "spilled_demand",
                                               "financing_share"]
    for r in range(4, last + 2):  # every projection cell a formula, every path not
        if labels[r - 1] in STEP_ROWS:
            assert all(c.data_type == "f" for c in ws[r][2:2 + YEARS]), labels[r - 1]
    research = [ws.cell(chosen + 2, 3 + t).value for t in range(YEARS)]
    assert research == pytest.approx(eq.paths[1]["chosen_share_research"], rel=RTOL)
    # the coupled rows read the coupling inputs: gpu_rental_price the price change, by cell
    rent = ws.cell(1 + labels.index("gpu_rental_price"), 4).value
    assert f"D{solved_at + 2}" in rent


def test_every_market_cell_is_a_formula_without_numbers_but_0_and_1(wb):
    ws = wb["Market"]
    rows = market_rows(ws)
    first = rows["customer_odds[openai]"]
    literals = set()
    for r in range(first, ws.max_row + 1):
        if ws.cell(r, 2).value is None or ws.cell(r, 1).value == "checks_pass":  # labels, checks
            continue
        for c in ws[r][2:2 + YEARS]:
            assert c.data_type == "f", (ws.cell(r, 1).value, c.coordinate)
            text = re.sub(r"'[^']*'!|\$?[A-Z]{1,3}\$?\d+|[a-z_]+", "", c.value)
            literals |= set(re.findall(r"\d+(?:\.\d+)?(?:E[+-]?\d+)?", text))
    assert literals <= {"0", "1"}


def test_no_formula_hides_a_number_runs_long_or_reads_an_inputs_cell_raw(wb):
    found = habits(wb)  # every sheet: the labs', Market, Observed, Checks
    assert not found["literals"], found["literals"][:5]
    assert not found["long"], found["long"][:5]
    assert not found["raw"], found["raw"][:5]


def test_every_constant_has_a_name_that_says_what_it_is_and_a_reason(wb):
    assert "exp_cap" in constants_listed(wb) and not badly_named(wb)


def test_checks_sheet_has_the_market_shares_and_each_labs_checks(wb):
    ws = wb["Checks"]
    labels = [r[0].value for r in ws.iter_rows(min_row=5) if r[0].value]
    assert any(label.startswith("market shares (share_of_tokens_sold) sum to 1")
               for label in labels)
    for name in NAMES:
        assert any(label.startswith(f"{name}: revenue at most") for label in labels)
    flag = [r for r in wb["Market"].iter_rows() if r[0].value == "checks_pass"]
    assert flag and flag[0][2].value == "=checks_pass"


def test_market_sheet_labels_every_lab_and_the_fixed_point(wb):
    rows = market_rows(wb["Market"])
    for name in ("logit_share", "share_of_tokens_sold", "rival_odds", "rival_demand", "bids",
                 "market_supply_share", "gap_rival_odds", "npv"):
        assert all(f"{name}[{lab}]" in rows for lab in NAMES), name
    for name in ("total_odds", "chip_price_index", "total_npv", *PARAMETERS, "lab_count"):
        assert name in rows
    check = wb["Market"].cell(rows["fixed_point: every gap within fixed_point_tolerance"], 3)
    assert check.value.endswith("<=fixed_point_tolerance")


def test_the_capital_pool_reads_the_world_of_the_first_labs_customers(wb):
    """World GDP on the Market sheet is the first lab's world_gdp row, as the engine reads it:
    edit that lab's world_gdp_base_year or world_gdp_growth and the pool moves with its
    customers' spending ceiling, read at the same point of every step. The market keeps no
    world of its own and writes no formula of it a second time."""
    ws, lab = wb["Market"], wb[NAMES[0]]
    row = market_rows(ws)["world_gdp"]
    gdp = next(r for r in range(1, lab.max_row + 1) if lab.cell(r, 1).value == "world_gdp")
    steps = [c for c in range(3, ws.max_column + 1) if ws.cell(row, c).value is not None]
    assert len(steps) >= 2
    for col in steps:
        letter = ws.cell(row, col).column_letter
        assert ws.cell(row, col).value == f"='{NAMES[0]}'!{letter}{gdp}"
    assert not {"world_gdp_base_year", "world_gdp_growth"} & set(wb.defined_names)


def test_market_sheet_values_are_the_engines(book, solved):
    labs, eq = solved
    m = eq.market
    ws = book.cached["Market"]
    sheet = openpyxl.load_workbook(io.BytesIO(workbook_bytes(book)))["Market"]
    rows = market_rows(sheet)

    def row(label: str) -> np.ndarray:
        return np.array([ws[f"{'CDE'[t]}{rows[label]}"] for t in range(YEARS)])

    for name, want in engine_values(m, shares_of(labs)).items():
        for j, lab in enumerate(NAMES):
            got = row(name) if want.ndim == 1 else row(f"{name}[{lab}]")
            np.testing.assert_allclose(got, want if want.ndim == 1 else want[:, j],
                                       rtol=RTOL, atol=0, err_msg=f"{name} {lab}")
    gaps = [row(label) for label in rows if label.startswith("gap_")]
    assert len(gaps) == 9 * len(NAMES)
    assert 0 < np.max(gaps) <= TOLERANCE  # a fixed point, to the engine's tolerance
    assert ws[f"C{rows['fixed_point: every gap within fixed_point_tolerance']}"] is True


def test_lab_titles_are_text_not_formulas(solved):
    labs, eq = solved
    hostile = [dataclasses.replace(lab, title="=HYPERLINK(\"x\")") for lab in labs]
    book = build_market_workbook(hostile, None, eq.market, eq.paths, years=YEARS, step=STEP)
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(book)))
    assert wb["openai"]["A1"].data_type == "s"
    assert wb["openai"]["A1"].value.startswith("=HYPERLINK")


def test_a_market_needs_two_labs(solved):
    labs, eq = solved
    with pytest.raises(InputError, match="two labs"):
        build_market_workbook(labs[:1], None, eq.market, eq.paths, years=YEARS, step=STEP)


def test_cli_refuses_an_out_file_not_xlsx_before_solving(capsys):
    assert main(["market", "--out", "market.csv"]) == 2
    assert "expected a file name ending in .xlsx" in capsys.readouterr().err


def test_a_lab_the_user_adds_is_drawn_in_a_colour_of_its_own(solved):
    # `market --set +rival=anthropic --out`: the Observed chart asked the palette for a colour
    # it did not have, after the whole market was solved
    labs, eq = solved
    added = [labs[0], dataclasses.replace(labs[1], name="rival"), *labs[2:]]
    market = dataclasses.replace(eq.market, labs=tuple(lab.name for lab in added))
    book = build_market_workbook(added, None, market, eq.paths, years=YEARS, step=STEP)
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(book)))
    assert "rival" in wb.sheetnames
