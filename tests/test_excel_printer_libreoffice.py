"""The Excel printer checked by a real spreadsheet engine: LibreOffice recalculates the printed
formulas and each value must match sympy's exact value.

Hypothesis draws a few hundred random expressions up front; they all go into one workbook so
LibreOffice starts once.  Each expression is also evaluated in plain double precision, not as
an oracle but to skip ill-conditioned cases (cancellation, a floor or comparison right at its
jump), where no double-precision engine can match sympy's exact value to 1e-9.
"""

from __future__ import annotations

import math
import operator
from pathlib import Path

import openpyxl
import pytest
import sympy
from external import recalculate, soffice
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl.workbook.defined_name import DefinedName

from model.workbook.excel_printer import excel_formula

pytestmark = pytest.mark.libreoffice

RANDOM_CASES = 360
SYMBOLS = sympy.symbols("a b c d")
INPUTS = "Model Inputs"  # a sheet name that needs quoting
COLUMNS = "BCDE"  # where row r keeps the values of a, b, c, d for random case r

# Fixed cases: precedence traps and every construct, over inputs with distinguishing values.
x, y, z, n, w, v = sympy.symbols("x y z n w v")
FIXED_INPUTS = {x: 2, y: 3, z: 2, n: 3, w: 0.75, v: 0.75}  # rows 2.. of column H
FIXED_VALUES = {x: 2, y: 3, z: 2, n: 3, w: sympy.Rational(3, 2), v: sympy.Rational(3, 4)}
FIXED_NAMES = {
    x: "growth_x",  # a defined name
    y: f"'{INPUTS}'!$H$3",
    z: f"'{INPUTS}'!H4",
    n: f"'{INPUTS}'!$H$5",
    w: f"('{INPUTS}'!$H$6*2)",  # parenthesised text: w is 1.5
    v: f"'{INPUTS}'!$H$7+0",  # text the printer must parenthesise
}
FIXED = [
    -(x**2),
    (-x) ** y,
    -(2**x),
    (-2) ** n,
    x**y**z,
    (x**y) ** z,
    -(x**y**z),
    x**-1,
    2**-x,
    x**-y,
    x ** (-y) ** z,
    v**2,
    -(v**2) + w,
    sympy.Add(x, sympy.Mul(-1, y + z, evaluate=False), evaluate=False),
    x / (y * z),
    -x * y,
    -x / (2 * y),
    3 - (x + y) * z,
    x * y**-2 * z**-3,
    sympy.Rational(1, 3) * x,
    sympy.Rational(-2, 3),
    x ** sympy.Rational(1, 3),
    x ** sympy.Rational(-2, 3),
    x**2.5,
    x**-2.5,
    sympy.sqrt(x),
    1 / sympy.sqrt(x + y),
    sympy.Float(1e20) * x,
    sympy.Float(1.5e-7) * x,
    sympy.Float(-3.25e-12) * x,
    sympy.Float(1e-300) * x,
    sympy.Float(0.30000000000000004) * x,
    sympy.Float(123456.789) * x,
    sympy.Integer(10) ** 20 * x,
    sympy.pi * x,
    sympy.E * x,
    sympy.exp(-x),
    sympy.log(x),
    sympy.log(x, 2),
    sympy.log(x, y, evaluate=False),
    sympy.floor(-1.25 * x),
    sympy.ceiling(-1.25 * x),
    sympy.ceiling(1.25 * x),
    sympy.Mod(-n, x),
    sympy.Mod(n, -x),
    sympy.Mod(1.25 * n, -x),
    sympy.sign(-x),
    sympy.Abs(y - 2 * x),
    sympy.Max(x, y, z),
    sympy.Min(x, -y),
    sympy.Piecewise((x, x > y), (y, sympy.Eq(x, z)), (10 * z, True)),
    sympy.Piecewise((1, sympy.And(x < y, sympy.Not(sympy.Eq(x, z)))), (2, x > w), (3, True)),
    sympy.Piecewise((1, sympy.Or(x > y, sympy.Ne(y, z))), (2, True)),
    x < y,
    sympy.Eq(x, z),
    sympy.Ne(x, z),
    sympy.And(x < y, y < z),
    sympy.true,
]
# Raw formulas that pin down the engine's own grammar, which the printer relies on.
PROBES = {"=1+1": 2, "=-2^2": 4, "=2^3^2": 64, "=MOD(-7,3)": 2, "=MOD(7,-3)": -2, "=INT(-2.5)": -3}


def _float(low: float, high: float) -> st.SearchStrategy[sympy.Float]:
    # 30 digits hold the drawn double exactly, so sympy computes with the value Excel reads.
    plain = st.floats(low, high).filter(lambda f: f == 0 or abs(f) > 1e-3)
    return plain.map(lambda f: sympy.Float(f, 30))


SYMBOL = st.sampled_from(SYMBOLS)
POSITIVE_LEAF = st.one_of(
    SYMBOL,
    st.integers(1, 9).map(sympy.Integer),
    st.builds(sympy.Rational, st.integers(1, 9), st.integers(2, 9)),
    _float(0.05, 20),
    st.sampled_from([sympy.pi, sympy.E, sympy.Float(1.25e-5, 30), sympy.Float(2.5e5, 30)]),
)
SMALL = st.one_of(  # exponents and exp() arguments: magnitude at most a few
    SYMBOL,
    SYMBOL.map(lambda s: -s),
    st.integers(-3, 3).map(sympy.Integer),
    st.builds(sympy.Rational, st.integers(-5, 5), st.integers(2, 6)),
    _float(-2.5, 2.5),
    st.builds(lambda s, t: s**t, SYMBOL, SYMBOL),  # chains x**y**z
    st.builds(lambda s, t: -(s**t), SYMBOL, st.integers(1, 2)),
)
OPERATORS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}
RELATIONS = [sympy.Lt, sympy.Le, sympy.Gt, sympy.Ge, sympy.Eq, sympy.Ne]


@st.composite
def positive(draw: st.DrawFn, depth: int) -> sympy.Expr:
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        return draw(POSITIVE_LEAF)
    p = positive(depth - 1)
    kind = draw(st.sampled_from(["+", "*", "/", "pow", "pow", "sqrt", "exp", "max", "if"]))
    if kind == "pow":
        return draw(p) ** draw(SMALL)
    if kind == "sqrt":
        return sympy.sqrt(draw(p))
    if kind == "exp":
        return sympy.exp(draw(SMALL))
    if kind == "max":
        return draw(st.sampled_from([sympy.Max, sympy.Min]))(draw(p), draw(p))
    if kind == "if":
        return sympy.Piecewise((draw(p), draw(condition(depth - 1))), (draw(p), True))
    left, right = draw(p), draw(p)
    return OPERATORS[kind](left, right)


@st.composite
def real(draw: st.DrawFn, depth: int, top: bool = False) -> sympy.Expr:
    if depth == 0 or (not top and draw(st.integers(0, 3)) == 0):
        return draw(st.one_of(POSITIVE_LEAF, _float(-20, 20), SMALL))
    r, p = real(depth - 1), positive(depth - 1)
    kind = draw(
        st.sampled_from(["pos", "neg", "+", "-", "*", "/", "log", "max", "if", "round", "mod"])
    )
    if kind == "pos":
        return draw(positive(depth))
    if kind == "neg":
        return -draw(positive(depth))  # -x**2 and friends
    if kind == "log":
        return sympy.log(draw(p))
    if kind == "max":
        return draw(st.sampled_from([sympy.Max, sympy.Min]))(draw(r), draw(r), draw(r))
    if kind == "if":
        branches = [(draw(r), draw(condition(depth - 1))) for _ in range(draw(st.integers(1, 2)))]
        return sympy.Piecewise(*branches, (draw(r), True))
    if kind == "round":
        kinds = [sympy.floor, sympy.ceiling, sympy.sign, sympy.Abs]
        return draw(st.sampled_from(kinds))(draw(r))
    if kind == "mod":
        return sympy.Mod(draw(r), draw(p))
    left = draw(r)
    right = draw(p if kind == "/" else r)
    return OPERATORS[kind](left, right)


@st.composite
def condition(draw: st.DrawFn, depth: int) -> sympy.Basic:
    relation = draw(st.sampled_from(RELATIONS))(draw(real(depth)), draw(real(depth)))
    kind = draw(st.sampled_from(["plain", "plain", "not", "and", "or"]))
    if kind == "not":
        return sympy.Not(relation)
    if kind in ("and", "or"):
        other = draw(st.sampled_from(RELATIONS))(draw(SYMBOL), draw(real(0)))
        return (sympy.And if kind == "and" else sympy.Or)(relation, other)
    return relation


VALUES = st.fixed_dictionaries(
    {s: st.integers(4, 64).map(lambda k: sympy.Rational(k, 16)) for s in SYMBOLS}
)


def _draw_random_cases(count: int) -> list[tuple[sympy.Expr, dict]]:
    cases: list[tuple[sympy.Expr, dict]] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(real(3, top=True), VALUES)
    def collect(expr: sympy.Expr, values: dict) -> None:
        cases.append((expr, values))

    collect()
    return cases


def _exact(expr: sympy.Basic, values: dict) -> float | bool | None:
    """sympy's value to 30 digits, or None when it is not a finite real number."""
    value = expr.xreplace(values)  # exact rationals in, so no rounding before evalf
    if value in (sympy.true, sympy.false):
        return bool(value)
    value = complex(value.evalf(30)) if value.is_number else complex("nan")
    finite = math.isfinite(value.real) and abs(value.real) < 1e100
    return value.real if finite and value.imag == 0 else None


def _close(got: float, exact: float, tolerance: float) -> bool:
    """Relatively close, or absolutely close to an exact zero."""
    return math.isclose(got, exact, rel_tol=tolerance, abs_tol=tolerance if exact == 0 else 0)


def _well_conditioned(expr: sympy.Expr, values: dict, exact: float) -> bool:
    """Whether double precision pins the value down: a filter, not an oracle.

    The double value must be within 1e-11 of the exact one, and stay within 1e-10 when the
    inputs are nudged by 1e-13 either way, so no cancellation sits at the point, nor a jump of
    INT, MOD or IF: LibreOffice snaps near-integers and near-ties by ~1e-15 before jumping.
    """
    function = sympy.lambdify(SYMBOLS, expr, modules="math")
    for nudge, tolerance in [(0, 1e-11), (1e-13, 1e-10), (-1e-13, 1e-10)]:
        inputs = [float(values[s]) * (1 + (-1) ** i * nudge) for i, s in enumerate(SYMBOLS)]
        try:
            if not _close(function(*inputs), exact, tolerance):
                return False
        except (ArithmeticError, ValueError, TypeError):
            return False
    return True


def _add_row(sheet, row: int, label: str, formula: str, expected: float | bool) -> None:
    sheet.cell(row, 1, label)
    sheet.cell(row, 2, formula)
    sheet.cell(row, 3, expected)


def test_libreoffice_computes_what_sympy_computes(tmp_path: Path) -> None:
    soffice()  # skip (or fail under FLEET_REQUIRE_TOOLS=1) before the drawing work
    book = openpyxl.Workbook()
    inputs = book.active
    inputs.title = INPUTS
    checks = book.create_sheet("Checks")
    book.defined_names["growth_x"] = DefinedName("growth_x", attr_text=f"'{INPUTS}'!$H$2")
    for row, value in enumerate(FIXED_INPUTS.values(), start=2):
        inputs.cell(row, 8, value)

    rows: list[tuple[str, str, float | bool]] = list(
        (f"probe {formula}", formula, value) for formula, value in PROBES.items()
    )
    for expr in FIXED:
        rows.append((f"fixed {expr}", excel_formula(expr, FIXED_NAMES), _exact(expr, FIXED_VALUES)))

    skipped = {"not finite real": 0, "ill-conditioned": 0, "duplicate": 0}
    seen: set[str] = set()
    for expr, values in _draw_random_cases(RANDOM_CASES):
        row = len(rows) + 2
        names = {s: f"'{INPUTS}'!{'$' * (i % 2)}{COLUMNS[i]}${row}" for i, s in enumerate(SYMBOLS)}
        formula = excel_formula(expr, names)
        exact = _exact(expr, values)
        reason = (
            "duplicate"
            if formula in seen
            else "not finite real"
            if exact is None
            else "ill-conditioned"
            if not _well_conditioned(expr, values, exact)
            else None
        )
        seen.add(formula)
        if reason:
            skipped[reason] += 1
            continue
        for i, s in enumerate(SYMBOLS):
            inputs[f"{COLUMNS[i]}{row}"] = float(values[s])
        rows.append((f"random {expr} at {values}", formula, exact))
    random_checked = len(rows) - len(PROBES) - len(FIXED)
    print(f"LibreOffice checks {random_checked} random expressions; skipped {skipped}")
    assert random_checked >= 0.7 * RANDOM_CASES, skipped

    for row, (label, formula, expected) in enumerate(rows, start=2):
        _add_row(checks, row, label, formula, expected)
    source = tmp_path / "printer.xlsx"
    book.save(source)
    computed = openpyxl.load_workbook(recalculate(source, tmp_path / "out"), data_only=True)

    failures = []
    for row, (label, formula, expected) in enumerate(rows, start=2):
        got = computed["Checks"].cell(row, 2).value
        if isinstance(expected, bool) or isinstance(got, bool | str | None):
            ok = got is expected
        else:  # LibreOffice stores values rounded to 15 significant digits
            ok = _close(got, expected, 1e-9)
        if not ok:
            failures.append(f"{label}: {formula} gave {got!r}, sympy {expected!r}")
    assert not failures, "\n".join(failures)
