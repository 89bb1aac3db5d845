"""The market's clearing, one step of it, as sympy expressions: what the market engine computes
in numpy (model.market.clearing.couple, model.market.chips, the customers' logit) written once
more, from the same parameters (model.market.parameters), so that the workbook's Market sheet
prints its formulas from them rather than by hand.

The engine's numpy is not generated from these (model.market is not the workbook's to edit):
tests/test_market_workbook.py holds the two to the same values, so a change to either that the
other does not follow fails there.

A row is a quantity per lab or for the whole market, with a first-step and a later-step
expression (as the projection's rows). Its symbols are references, which `Clearing.refs` says
how to resolve: ("lab", row, j) lab j's projection sheet, this step; ("input", name, j) lab j's
input `name`; ("row", name, j) the Market sheet's row, this step (j None: a market row);
("prev", name, j) the same, the step before; ("name", name, None) a defined name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import sympy

from model.loop.coupling import NO_RIVAL
from model.market import parameters
from model.market.engine import TOLERANCE

Ref = tuple[str, str, int | None]


def _parameter(name: str, unit: str = "") -> tuple[float, str, str]:
    """(value, unit, why) of model.market.parameters.`name`."""
    p = getattr(parameters, name)
    return p.value, unit, f"model.market.parameters.{name}: {p.source}"


# The Market sheet's named inputs: name -> (value, unit, why). The market's own parameters and
# the engine's convergence tolerance, which the fixed-point check holds the sheet to.
PARAMETERS: dict[str, tuple[float, str, str]] = {
    "chip_price_elasticity": _parameter("CHIP_PRICE_ELASTICITY"),
    "chip_price_floor": _parameter("CHIP_PRICE_FLOOR"),
    "chip_price_cap": _parameter("CHIP_PRICE_CAP"),
    "capital_pool_growth": _parameter("CAPITAL_POOL_GROWTH", "1/year"),
    "capital_pool_cap": _parameter("CAPITAL_POOL_CAP"),
    "fixed_point_tolerance": (TOLERANCE, "", "model.market.engine.TOLERANCE: the largest "
                              "change of a coupling path at which the market's fixed point "
                              "stops (supply shares of production, the price index in "
                              "e-folds, the customers' paths as shares of the market's)"),
}


@dataclass(frozen=True)
class Row:
    """One Market-sheet row: quantity `name` of lab `lab` (None: the market's)."""

    name: str
    lab: int | None
    unit: str
    first: sympy.Expr
    later: sympy.Expr
    description: str


@dataclass
class Clearing:
    """The Market sheet's rows, in order, and what each symbol refers to."""

    labs: int
    rows: list[Row] = field(default_factory=list)
    refs: dict[sympy.Symbol, Ref] = field(default_factory=dict)

    def ref(self, kind: str, name: str, lab: int | None = None) -> sympy.Symbol:
        symbol = sympy.Symbol(f"{kind}__{name}__{'' if lab is None else lab}")
        self.refs[symbol] = (kind, name, lab)
        return symbol

    def lab(self, row: str, j: int) -> sympy.Symbol:
        return self.ref("lab", row, j)

    def row(self, name: str, j: int | None = None) -> sympy.Symbol:
        return self.ref("row", name, j)

    def add(self, name: str, unit: str, description: str, later: Callable, first=None,
            per_lab: bool = True) -> None:
        """Rows `name` (one per lab, or one), `later(j)` / `first(j)` their expressions."""
        first = first or later
        for j in range(self.labs) if per_lab else [None]:
            self.rows.append(Row(name, j, unit, sympy.sympify(first(j)),
                                 sympy.sympify(later(j)), description))

    def total(self, name: str, of: str, unit: str, description: str) -> None:
        self.add(name, unit, description, lambda _: sympy.Add(
            *(self.row(of, j) for j in range(self.labs))), per_lab=False)


def _others(c: Clearing, name: str, j: int) -> sympy.Expr:
    """The sum of row `name` over every lab but `j` (0 for a lab alone)."""
    return sympy.Add(*(c.row(name, k) for k in range(c.labs) if k != j))


def _share(part, whole, otherwise):
    """part / whole, or `otherwise` where whole is 0 (as the engine's np.where)."""
    return sympy.Piecewise((part / whole, whole > 0), (otherwise, True))


def clearing(labs: int) -> Clearing:
    """The rows of a market of `labs` labs."""
    c = Clearing(labs)
    count = c.ref("name", "lab_count")
    pick = c.lab
    # the customers: a logit over the labs' odds divides their summed demand
    c.add("customer_odds", "token/year", "each lab's customer_odds", lambda j: pick(
        "customer_odds", j))
    c.total("total_odds", "customer_odds", "token/year", "the labs' summed odds")
    c.add("logit_share", "", "the customers' logit choice: odds over the labs' summed odds",
          lambda j: _share(c.row("customer_odds", j), c.row("total_odds"), 1 / count))
    c.add("own_tokens_demanded", "token/year", "each lab's own demand curve",
          lambda j: pick("own_tokens_demanded", j))
    c.total("total_demand", "own_tokens_demanded", "token/year", "the market's demand")
    c.add("rival_odds", "token/year", "the other labs' odds, summed over them (as the "
          "engine's clearing.others: the total less the lab's own is rounding 20 OOMs apart)",
          lambda j: _others(c, "customer_odds", j))
    c.add("rival_demand", "token/year", "the other labs' demand, summed over them",
          lambda j: _others(c, "own_tokens_demanded", j))
    c.add("tokens_served", "token/year", "each lab's tokens sold", lambda j: pick(
        "tokens_served", j))
    c.total("total_tokens_served", "tokens_served", "token/year", "tokens the labs sell")
    c.add("share_of_tokens_sold", "", "each lab's share of the tokens sold (the logit share "
          "while none sells any)", lambda j: _share(
              c.row("tokens_served", j), c.row("total_tokens_served"), c.row("logit_share", j)))
    # the chips: bids against the labs' share of world production
    c.add("world_gpu_production", "GPU", "world accelerator production: the mean of the labs' "
          "rows (each lab's projection sees the same world)", lambda _: sympy.Add(
              *(pick("world_gpu_production", j) for j in range(labs))) / count, per_lab=False)
    c.add("lab_supply_share", "", "each lab's input lab_supply_share",
          lambda j: c.ref("input", "lab_supply_share", j))
    c.total("total_supply_share", "lab_supply_share", "", "the labs' summed supply shares")
    c.add("market_supply", "GPU", "GPUs the labs may buy: their supply shares (at most all) of "
          "world production", lambda _: sympy.Min(1, c.row("total_supply_share"))
          * c.row("world_gpu_production"), per_lab=False)
    c.add("bids", "GPU", "GPUs each lab bids for (gpus_bid: what its capital affords, a "
          "renter's over its lead time); none in the base year, whose fleet is observed",
          lambda j: pick("gpus_bid", j),
          first=lambda _: sympy.Integer(0))
    c.total("total_bids", "bids", "GPU", "the labs' summed bids")
    bids, supply = c.row("total_bids"), c.row("market_supply")
    index = sympy.Min(c.ref("name", "chip_price_cap"), sympy.Max(
        c.ref("name", "chip_price_floor"), (bids / supply) ** (1 / c.ref(
            "name", "chip_price_elasticity"))))
    c.add("chip_price_index", "", "(bids / supply)^(1 / chip_price_elasticity) within [floor, "
          "cap] (the cap when there is no supply); 1 in the base year", lambda _: sympy.Piecewise(
              (index, supply > 0), (c.ref("name", "chip_price_cap"), True)),
          first=lambda _: sympy.Integer(1), per_lab=False)
    c.add("chip_shortage", "", "how many times the supply the labs bid for, as the price index "
          "shows it: chip_price_index^chip_price_elasticity, at least 1 (each lab gets 1 / this "
          "of its bid; a renter's lead time stretches by it); 1 in the base year",
          lambda _: sympy.Max(1, c.row("chip_price_index") ** c.ref(
              "name", "chip_price_elasticity")), first=lambda _: sympy.Integer(1), per_lab=False)
    weight = lambda j: _share(c.row("lab_supply_share", j), c.row("total_supply_share"),  # noqa: E731
                              1 / count)
    c.add("rationed", "GPU", "GPUs each lab may buy: its bid scaled to the supply when the labs "
          "over-bid, else its bid plus the spare chips by supply shares", lambda j: sympy.Piecewise(
              (c.row("bids", j) * supply / bids, bids > supply),
              (c.row("bids", j) + (supply - bids) * weight(j), True)))
    c.add("market_supply_share", "", "each lab's share of world production: its ration over "
          "production (its supply share in the base year)", lambda j: _share(
              c.row("rationed", j), c.row("world_gpu_production"), c.row("lab_supply_share", j)),
          first=lambda j: c.row("lab_supply_share", j))
    c.add("input_price_index", "", "the price index the lab's chip_price_change inputs make "
          "(their running product)", lambda j: c.ref("prev", "input_price_index", j)
          * pick("chip_price_change", j), first=lambda j: pick("chip_price_change", j))
    _capital(c)
    _frontier(c)
    _gaps(c)
    c.add("npv", "USD", "each lab's NPV", lambda j: pick("npv", j))
    c.total("total_npv", "npv", "USD", "the labs' summed NPV")
    return c


def _capital(c: Clearing) -> None:
    """The one capital market (model.market.capital): the labs' offers against the pool."""
    c.add("external_financing", "USD/year", "what investors offer each lab (its "
          "external_financing)", lambda j: c.lab("external_financing", j))
    c.total("total_offers", "external_financing", "USD/year", "the labs' summed offers")
    c.add("market_year", "year", "the step's start (the labs' year row)",
          lambda _: c.lab("year", 0), per_lab=False)
    elapsed = c.row("market_year") - c.ref("prev", "market_year")
    c.add("capital_pool_trend", "USD/year", "the base year's summed offers grown at "
          "capital_pool_growth", lambda _: c.ref("prev", "capital_pool_trend") * sympy.exp(
              c.ref("name", "capital_pool_growth") * elapsed),
          first=lambda _: c.row("total_offers"), per_lab=False)
    # the world the labs' customers spend from (the first lab's row, as the engine reads)
    c.add("world_gdp", "USD/year", "world GDP: the first lab's world_gdp row",
          lambda _: c.lab("world_gdp", 0), per_lab=False)
    c.add("capital_pool", "USD/year", "the money there is to raise: the trend, at most "
          "capital_pool_cap of world GDP", lambda _: sympy.Min(
              c.row("capital_pool_trend"), c.ref("name", "capital_pool_cap") * c.row("world_gdp")),
          per_lab=False)
    c.add("financing_share", "", "the share of its offer every lab raises: the pool over the "
          "summed offers, at most 1 (1 in the base year)", lambda _: sympy.Piecewise(
              (c.row("capital_pool") / c.row("total_offers"),
               c.row("total_offers") > c.row("capital_pool")), (1, True)),
          first=lambda _: sympy.Integer(1), per_lab=False)


def _frontier(c: Clearing) -> None:
    """The market's frontier: the labs' own best software (model.market.clearing.rival_gaps)."""
    c.add("capability_gap", "", "each lab's capability_gap (OOMs against the exogenous "
          "frontier path, at the step's start)", lambda j: c.lab("capability_gap", j))
    c.add("rival_capability_gap", "", "the best of the other labs' capability_gap "
          f"({NO_RIVAL} for a lab alone)", lambda j: sympy.Max(
              *(c.row("capability_gap", k) for k in range(c.labs) if k != j))
          if c.labs > 1 else sympy.Integer(NO_RIVAL))
    c.add("base_frontier_gap", "", "the market's frontier in its base year: the highest "
          "capability_gap there (0 for a lab alone)", lambda _: c.ref("prev", "base_frontier_gap"),
          first=lambda _: sympy.Max(*(c.row("capability_gap", k) for k in range(c.labs)))
          if c.labs > 1 else sympy.Integer(0), per_lab=False)


def _gaps(c: Clearing) -> None:
    """Fixed-point rows: each coupling input's distance from what the market recomputes, in
    the engine's measure (model.market.clearing._change); all within fixed_point_tolerance at a
    fixed point."""
    why = "fixed point: |recomputed - input|"
    c.add("gap_market_supply_share", "share", f"{why} (share of world production)",
          lambda j: sympy.Abs(c.row("market_supply_share", j) - c.lab("market_supply_share", j)))
    c.add("gap_chip_price_index", "e-folds", f"{why} of the price index, in e-folds",
          lambda j: sympy.Abs(sympy.log(c.row("chip_price_index")
                                        / c.row("input_price_index", j))))
    c.add("gap_chip_shortage", "e-folds", f"{why} of the shortage, in e-folds",
          lambda j: sympy.Abs(sympy.log(c.row("chip_shortage") / c.lab("chip_shortage", j))))
    for name, total in (("rival_odds", "total_odds"), ("rival_demand", "total_demand")):
        c.add(f"gap_{name}", "share", f"{why} of {name}, over {total}", lambda j, n=name, t=total:
              _share(sympy.Abs(c.row(n, j) - c.lab(n, j)), c.row(t), 0))
    c.add("gap_financing_share", "share", f"{why} of the share of its offer the lab raises",
          lambda j: sympy.Abs(c.row("financing_share") - c.lab("financing_share", j)))
    for name, j_row in (("rival_capability_gap", True), ("base_frontier_gap", False)):
        c.add(f"gap_{name}", "OOMs", f"{why} of {name}", lambda j, n=name, own=j_row:
              sympy.Abs(c.row(n, j if own else None) - c.lab(n, j)))
    c.add("gap_spilled_demand", "share", "fixed point: |spilled_demand| over total_demand (the "
          "market moves no demand between labs: model.market.engine.SPILL)",
          lambda j: _share(sympy.Abs(c.lab("spilled_demand", j)), c.row("total_demand"), 0))


def evaluate(c: Clearing, lookup: Callable[[Ref], np.ndarray | float],
             n: int) -> dict[tuple[str, int | None], np.ndarray]:
    """Every row's values over `n` steps (key (name, lab)), as the sheet computes them:
    `lookup(ref)` gives a lab row's path (n,), an input's or a name's value."""
    out = {(r.name, r.lab): np.empty(n) for r in c.rows}
    compiled = [(r, *(sympy.lambdify(sorted(e.free_symbols, key=str), e, modules="numpy")
                      for e in (r.first, r.later))) for r in c.rows]
    with np.errstate(all="ignore"):
        for t in range(n):
            for r, first, later in compiled:
                expr, fn = (r.first, first) if t == 0 else (r.later, later)
                args = [_value(c.refs[s], lookup, out, t) for s in sorted(expr.free_symbols,
                                                                         key=str)]
                out[(r.name, r.lab)][t] = float(fn(*args))
    return out


def _value(ref: Ref, lookup, out: dict, t: int) -> float:
    kind, name, lab = ref
    if kind == "row":
        return out[(name, lab)][t]
    if kind == "prev":
        return out[(name, lab)][t - 1]
    if kind == "lab":
        return float(lookup(ref)[t])
    return float(lookup(ref))
