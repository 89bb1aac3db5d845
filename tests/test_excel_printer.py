"""Exact-text tests of the Excel formula printer, one construct per test (like sympy's
test_jscode.py).  tests/test_excel_printer_libreoffice.py checks the values in a real engine."""

from __future__ import annotations

import pytest
import sympy
from sympy import (
    Abs,
    And,
    E,
    Eq,
    Float,
    Function,
    I,
    Integral,
    Matrix,
    Max,
    Min,
    Mod,
    Ne,
    Not,
    Or,
    Piecewise,
    Rational,
    Sum,
    ceiling,
    exp,
    floor,
    gamma,
    log,
    nan,
    oo,
    pi,
    sign,
    sin,
    sqrt,
    zoo,
)
from sympy.codegen.ast import Assignment

from model.workbook.excel_printer import (
    ExcelPrinter,
    ExcelPrintError,
    excel_formula,
)

x, y, z = sympy.symbols("x y z")
p = sympy.Symbol("p")  # a boolean input
NAMES = {x: "x", y: "y", z: "z"}


def xl(expr: sympy.Basic) -> str:
    return excel_formula(expr, NAMES)


def test_symbols_print_their_reference_text() -> None:
    assert excel_formula(x + y, {x: "fleet_gpus", y: "Inputs!$C$7"}) == "=fleet_gpus+Inputs!$C$7"
    assert excel_formula(x**2, {x: "'Model Inputs'!C7"}) == "='Model Inputs'!C7^2"


def test_reference_text_that_is_not_atomic_is_parenthesised() -> None:
    assert excel_formula(x**2, {x: "A1+1"}) == "=(A1+1)^2"
    assert excel_formula(x**2, {x: "-A1"}) == "=(-A1)^2"
    assert excel_formula(x**2, {x: "(A1)+(B1)"}) == "=((A1)+(B1))^2"
    assert excel_formula(x**2, {x: "(A1+1)"}) == "=(A1+1)^2"


def test_missing_symbol_raises_naming_it() -> None:
    with pytest.raises(ExcelPrintError, match="symbol w"):
        excel_formula(x + sympy.Symbol("w"), NAMES)


def test_unary_minus_of_a_power_keeps_its_parentheses() -> None:
    # Excel's =-2^2 is 4: its unary minus binds tighter than ^.
    assert xl(-(x**2)) == "=-(x^2)"
    assert xl(-(2**x)) == "=-(2^x)"
    assert xl(y - x**2) == "=-(x^2)+y"


def test_power_of_a_negation() -> None:
    assert xl((-x) ** 2) == "=x^2"  # sympy simplifies even powers
    assert xl((-x) ** y) == "=(-x)^y"
    assert xl((-2) ** x) == "=(-2)^x"


def test_chained_powers_are_grouped_explicitly() -> None:
    # Excel's ^ chains left to right (=2^3^2 is 64), sympy's right to left.
    assert xl(x**y**z) == "=x^(y^z)"
    assert xl((x**y) ** z) == "=(x^y)^z"


def test_negative_exponents_become_divisions() -> None:
    assert xl(x**-1) == "=1/x"
    assert xl(2**-x) == "=1/2^x"
    assert xl(x**-y) == "=1/x^y"
    assert xl(x**-2.5) == "=1/x^2.5"
    assert xl((x + y) ** -2) == "=1/(x+y)^2"


def test_power_bases_and_exponents_are_parenthesised_unless_atomic() -> None:
    assert xl((x + y) ** 2) == "=(x+y)^2"
    assert xl((x * y) ** z) == "=(x*y)^z"
    assert xl(x ** (y + 1)) == "=x^(y+1)"
    assert xl(x**2.5) == "=x^2.5"
    assert xl(x ** Rational(1, 3)) == "=x^(1/3)"
    assert xl(pi**x) == "=PI()^x"


def test_complex_powers_raise() -> None:
    # sympy's (-8)**(1/3) is the complex principal root; Excel's =(-8)^(1/3) is -2.
    with pytest.raises(ExcelPrintError, match="complex power"):
        xl((-8) ** Rational(1, 3) * x)


def test_sqrt() -> None:
    assert xl(sqrt(x)) == "=SQRT(x)"
    assert xl(1 / sqrt(x + y)) == "=1/SQRT(x+y)"


def test_subtraction_keeps_grouping() -> None:
    assert xl(x - y) == "=x-y"
    kept = sympy.Add(x, sympy.Mul(-1, y + z, evaluate=False), evaluate=False)
    assert xl(kept) == "=x-(y+z)"
    assert xl(x - 3 * (y + z) ** 2) == "=x-3*(y+z)^2"
    assert xl(x - y * (z - 1)) == "=x-y*(z-1)"


def test_division_keeps_the_whole_denominator() -> None:
    assert xl(x / (y * z)) == "=x/(y*z)"
    assert xl(x / y / z) == "=x/(y*z)"
    assert xl(x / (y + z)) == "=x/(y+z)"
    assert xl(x / y**2) == "=x/y^2"
    assert xl(x * y / 3) == "=x*y/3"
    assert xl(1 / (2 * x)) == "=1/(2*x)"


def test_negative_coefficients() -> None:
    assert xl(-x * y) == "=-(x*y)"
    assert xl(-x) == "=-x"
    assert xl(-x / (2 * y)) == "=-(x/(2*y))"
    assert xl(-(x + y)) == "=-x-y"
    assert xl(z - 2 * x * y) == "=-(2*x*y)+z"
    assert xl(3 - (x + y) * z) == "=-(z*(x+y))+3"


def test_integers() -> None:
    assert xl(sympy.Integer(7)) == "=7"
    assert xl(sympy.Integer(-7)) == "=-7"
    assert xl(sympy.Integer(10) ** 20 * x) == "=1E+20*x"
    with pytest.raises(ExcelPrintError, match="number"):
        xl(sympy.Integer(10) ** 400 * x)


def test_rationals() -> None:
    assert xl(Rational(2, 3)) == "=(2/3)"
    assert xl(Rational(-2, 3)) == "=-(2/3)"
    assert xl(x + Rational(1, 3)) == "=x+(1/3)"
    assert xl(x - Rational(1, 3)) == "=x-(1/3)"
    assert xl(Rational(-1, 3) * x) == "=-(x/3)"


def test_floats_print_with_full_precision_and_an_upper_case_exponent() -> None:
    assert xl(Float(0.1)) == "=0.1"
    assert xl(Float(0.1) + Float(0.2)) == "=0.30000000000000004"
    assert xl(Float(1e20) * x) == "=1E+20*x"
    assert xl(x + Float(1.5e-7)) == "=x+1.5E-07"
    assert xl(Float(-2.5) * x) == "=-(2.5*x)"
    assert xl(x ** Float(-2.5)) == "=1/x^2.5"


def test_floats_excel_cannot_hold_raise() -> None:
    with pytest.raises(ExcelPrintError, match="number"):
        xl(Float("1e400") * x)
    with pytest.raises(ExcelPrintError, match="number"):
        xl(Float(5e-324) * x)  # LibreOffice reads a subnormal literal as #VALUE!


def test_constants() -> None:
    assert xl(pi * x) == "=PI()*x"
    assert xl(E * x) == "=EXP(1)*x"
    assert xl(sympy.true) == "=TRUE"
    assert xl(sympy.false) == "=FALSE"


def test_exp_and_log() -> None:
    assert xl(exp(x)) == "=EXP(x)"
    assert xl(exp(-x)) == "=EXP(-x)"
    assert xl(log(x)) == "=LN(x)"
    assert xl(log(x, 2)) == "=LN(x)/LN(2)"
    assert xl(log(x, y, evaluate=False)) == "=LN(x)/LN(y)"
    assert xl(log(x + y) ** 2) == "=LN(x+y)^2"


def test_rounding_and_sign_functions() -> None:
    assert xl(floor(x)) == "=INT(x)"
    assert xl(ceiling(x)) == "=-INT(-x)"
    assert xl(ceiling(x + y)) == "=-INT(-x-y)"
    assert xl(x + ceiling(y)) == "=x+(-INT(-y))"
    assert xl(ceiling(x) ** 2) == "=(-INT(-x))^2"
    assert xl(Abs(x - y)) == "=ABS(x-y)"
    assert xl(sign(x)) == "=SIGN(x)"
    assert xl(Mod(x, y)) == "=MOD(x,y)"


def test_max_and_min() -> None:
    assert xl(Max(x, y, 1)) == "=MAX(1,x,y)"
    assert xl(Min(x, -y)) == "=MIN(x,-y)"
    assert xl(-Max(x, y)) == "=-MAX(x,y)"


def test_comparisons() -> None:
    assert xl(Eq(x, y)) == "=x=y"
    assert xl(Ne(x + 1, y)) == "=x+1<>y"
    assert xl(x < y) == "=x<y"
    assert xl(x <= y) == "=x<=y"
    assert xl(x > y) == "=x>y"
    assert xl(-x >= y**2) == "=-x>=y^2"


def test_logic() -> None:
    assert xl(And(x < y, y < z)) == "=AND(x<y,y<z)"
    assert xl(Or(x < y, Not(y < z))) == "=OR(y>=z,x<y)"
    assert excel_formula(Not(p), {p: "flag"}) == "=NOT(flag)"
    assert excel_formula(And(p, Not(x < y)), {p: "flag", **NAMES}) == "=AND(flag,x>=y)"
    assert xl(Not(Eq(x, y))) == "=x<>y"
    assert xl(Or(x < y, Not(Eq(y, z)))) == "=OR(x<y,y<>z)"


def test_piecewise_becomes_nested_ifs() -> None:
    expr = Piecewise((x, x < y), (y, Eq(x, z)), (z, True))
    assert xl(expr) == "=IF(x<y,x,IF(x=z,y,z))"
    assert xl(2 * Piecewise((x, x < y), (y, True))) == "=2*IF(x<y,x,y)"
    assert xl(Piecewise((x, And(x < y, y < z)), (0, True))) == "=IF(AND(x<y,y<z),x,0)"


def test_boolean_if_then_else() -> None:
    assert xl(sympy.ITE(x < y, x < z, y < z)) == "=IF(x<y,x<z,y<z)"


def test_piecewise_without_a_true_branch_raises() -> None:
    with pytest.raises(ExcelPrintError, match="final True branch"):
        xl(Piecewise((x, x < y), (y, x > z)))


@pytest.mark.parametrize(
    "expr",
    [
        sin(x),
        gamma(x),
        x + sin(x),
        Sum(y, (x, 1, 3)),
        Integral(x, (x, 0, y)),
        I * x,
        oo,
        -oo,
        zoo,
        nan,
        Matrix([[x]]),
        Function("f")(x),
        Function("exp")(x),  # an undefined function that merely shares a name
        sympy.Xor(x < y, y < z),
    ],
    ids=str,
)
def test_unsupported_nodes_raise(expr: sympy.Basic) -> None:
    with pytest.raises(ExcelPrintError, match="cannot express"):
        xl(expr)


def test_inherited_printers_are_not_used() -> None:
    # StrPrinter knows Tuple, CodePrinter knows Assignment: neither is Excel.
    with pytest.raises(ExcelPrintError, match="cannot express Tuple"):
        xl(sympy.Tuple(x, y))
    with pytest.raises(ExcelPrintError, match="cannot express"):
        ExcelPrinter(NAMES).doprint(Assignment(x, y))


def test_long_formula_raises() -> None:
    terms = sympy.symbols("t0:547")
    names = {t: f"Inputs!$C${1000 + i}" for i, t in enumerate(terms)}  # 14 characters each
    assert len(excel_formula(sympy.Add(*terms[:-1]), names)) == 8190
    with pytest.raises(ExcelPrintError, match="is 8205 characters, over Excel's 8192 limit"):
        excel_formula(sympy.Add(*terms), names)


def test_deeply_nested_functions_raise() -> None:
    expr = Piecewise(*[(i, x < i) for i in range(70)], (70, True))
    with pytest.raises(ExcelPrintError, match="nests 70 function calls, over Excel's 64"):
        xl(expr)


def test_too_many_arguments_raise() -> None:
    terms = sympy.symbols("t0:300")
    with pytest.raises(ExcelPrintError, match="MAX of 300 arguments"):
        excel_formula(Max(*terms, evaluate=False), {t: t.name for t in terms})
