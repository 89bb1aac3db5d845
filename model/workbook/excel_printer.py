"""Print sympy expressions as Excel formulas, so exported workbooks carry live formulas.

sympy has code printers for C, JavaScript, Python and more, but none for Excel, whose grammar
differs from all of them in ways that change values silently when ignored:

* unary minus binds tighter than ``^`` (``=-2^2`` is 4), so ``-x**2`` prints ``-(x^2)``;
* ``^`` chains left to right (``=2^3^2`` is 64), so ``x**y**z`` prints ``x^(y^z)``;
* the functions are spelled differently (``LN``, ``INT``, ``SQRT``) or missing;
* ``IF`` without an else branch yields FALSE instead of failing.

The printer is strict: anything without a faithful Excel spelling raises ExcelPrintError rather
than printing something plausible but wrong.  Every printed piece carries its precedence level,
and a piece is parenthesised wherever its level is below what its context needs.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping

import sympy
from sympy.core.function import AppliedUndef
from sympy.printing.codeprinter import CodePrinter

MAX_FORMULA_LENGTH = 8192  # Excel's limit on the characters of one formula
MAX_NESTING = 64  # Excel's limit on nested function calls
MAX_ARGUMENTS = 255  # Excel's limit on the arguments of one function call
MAX_NUMBER = 9.99999999999999e307  # the largest number Excel accepts

# Precedence levels of printed text, loosest first.  A leading unary minus (NEG) binds tighter
# than ^ in Excel, so -x is left bare only where a sum would be: first in a sum, or compared.
CMP, ADD, MUL, POW, ATOM = range(5)
NEG = ADD

_REFERENCE = re.compile(r"(?:(?:'(?:[^']|'')+'|[\w.]+)!)?[\w.$]+")
_QUOTED = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"")
_RELATIONS = {"==": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


# constants(value, about) -> the defined name to print for a non-negative number (about: the
# symbol it is compared with, or None), or None to print the number itself.
Constants = Callable[[float, sympy.Basic | None], str | None]


class ExcelPrintError(ValueError):
    """The expression has no faithful Excel formula."""


class _Text(str):
    """Printed text that remembers its precedence level."""

    level: int

    def __new__(cls, text: str, level: int) -> _Text:
        self = super().__new__(cls, text)
        self.level = level
        return self


def _brief(expr: object) -> str:
    text = str(expr)
    return text if len(text) <= 60 else text[:57] + "..."


def _unquoted(text: str) -> str:
    """text with quoted sheet names and strings blanked out, so their brackets do not count."""
    return _QUOTED.sub(lambda match: "_" * len(match.group()), text)


def _enclosed(text: str) -> bool:
    """Whether text is one parenthesised group: true for (A1+B1), false for (A1)+(B1)."""
    depth = 0
    for i, char in enumerate(_unquoted(text)):
        depth += (char == "(") - (char == ")")
        if depth == 0:
            return char == ")" and i == len(text) - 1
    return False


def _nesting(text: str) -> int:
    """How deeply function calls nest in a formula."""
    plain, calls, deepest = _unquoted(text), [], 0
    for i, char in enumerate(plain):
        if char == "(":
            calls.append(i > 0 and (plain[i - 1].isalnum() or plain[i - 1] in "_."))
            deepest = max(deepest, sum(calls))
        elif char == ")" and calls:
            calls.pop()
    return deepest


def _fixed(text: str):
    """A _print_<Node> method printing a constant."""
    return lambda self, expr: _Text(text, ATOM)


def _calling(name: str):
    """A _print_<Node> method printing a call of the Excel function name on the node's args."""
    return lambda self, expr: self._call(name, expr.args)


class ExcelPrinter(CodePrinter):
    """Strict sympy-to-Excel printer; `names` maps each free symbol to its reference text."""

    language = "Excel"
    # INT rounds down like floor; MOD takes the divisor's sign like sympy's Mod.
    known_functions = {"exp": "EXP", "log": "LN", "Abs": "ABS", "floor": "INT", "sign": "SIGN"}
    known_functions |= {"Mod": "MOD", "Max": "MAX", "Min": "MIN"}

    def __init__(self, names: Mapping[sympy.Symbol, str], settings: dict | None = None,
                 constants: Constants | None = None) -> None:
        super().__init__(settings)
        self._names = names
        self._constants = constants

    def doprint(self, expr: sympy.Basic) -> str:
        text = "=" + self._print(sympy.sympify(expr))
        for size, limit, what in [
            (len(text), MAX_FORMULA_LENGTH, "is {} characters"),
            (_nesting(text), MAX_NESTING, "nests {} function calls"),
        ]:
            if size > limit:
                raise ExcelPrintError(
                    f"formula for {_brief(expr)} {what.format(size)}, over Excel's {limit} "
                    "limit; split it into helper rows"
                )
        return text

    def _print(self, expr: object, **kwargs: object) -> str:
        """Dispatch to this class's own methods only: the ones inherited from CodePrinter and
        StrPrinter print Python syntax, so a node without an Excel method is refused."""
        printers = type(self).__mro__[: type(self).__mro__.index(CodePrinter)]
        for node in type(expr).__mro__:
            for printer in printers:
                method = vars(printer).get(f"_print_{node.__name__}")
                if method is not None:
                    return method(self, expr)
        raise ExcelPrintError(f"cannot express {type(expr).__name__} {_brief(expr)} in Excel")

    def _wrap(self, text: str, level: int) -> str:
        """text, parenthesised unless it binds at least as tightly as level."""
        return text if getattr(text, "level", CMP) >= level else f"({text})"

    def _sub(self, expr: sympy.Basic, level: int) -> str:
        return self._wrap(self._print(expr), level)

    def _negate(self, text: str) -> _Text:
        return _Text(f"-{self._wrap(text, ATOM)}", NEG)

    def _call(self, name: str, args: tuple) -> _Text:
        if len(args) > MAX_ARGUMENTS:
            raise ExcelPrintError(f"{name} of {len(args)} arguments, over Excel's {MAX_ARGUMENTS}")
        return _Text(f"{name}({','.join(self._print(arg) for arg in args)})", ATOM)

    def _number(self, value: int | float, about: sympy.Basic | None = None) -> _Text:
        named = self._constants(abs(value), about) if self._constants else None
        if named is not None:
            return self._negate(_Text(named, ATOM)) if value < 0 else _Text(named, ATOM)
        if not abs(value) <= MAX_NUMBER or 0 < abs(value) < sys.float_info.min:
            raise ExcelPrintError(f"cannot express the number {_brief(value)} in Excel")
        if isinstance(value, int) and abs(value) < 10**15:
            text = str(abs(value))
        else:  # repr round-trips; Excel and LibreOffice both read 1E+20 and 1.5E-07
            text = repr(abs(float(value))).upper()
        return self._negate(_Text(text, ATOM)) if value < 0 else _Text(text, ATOM)

    def _product(self, coeff: sympy.Number, rest: sympy.Expr) -> str:
        """coeff*rest for a non-negative number coeff: numerator factors, then one divisor."""
        factors = [] if rest == 1 else rest.as_ordered_factors()
        if not factors:
            return self._print(coeff)
        num, den = [], []
        if coeff.is_Rational:
            num += [] if coeff.p == 1 else [self._number(coeff.p)]
            den += [] if coeff.q == 1 else [self._number(coeff.q)]
        else:
            num.append(self._print(coeff))
        for factor in factors:
            if factor.is_Pow and factor.exp.could_extract_minus_sign():
                den.append(self._print(sympy.Pow(factor.base, -factor.exp)))
            else:
                num.append(self._print(factor))
        if len(num) == 1 and not den:
            return num[0]
        text = "*".join(self._wrap(n, MUL) for n in num) or "1"
        if len(den) == 1:
            text += "/" + self._wrap(den[0], POW)
        elif den:
            text += "/(" + "*".join(self._wrap(d, MUL) for d in den) + ")"
        return _Text(text, MUL)

    def _print_Symbol(self, expr: sympy.Symbol) -> _Text:
        ref = self._names.get(expr)
        if not isinstance(ref, str) or not ref:
            raise ExcelPrintError(f"no Excel reference for symbol {expr} in names")
        atomic = _REFERENCE.fullmatch(ref) or _enclosed(ref)
        return _Text(ref if atomic else f"({ref})", ATOM)

    def _print_Integer(self, expr: sympy.Integer) -> _Text:
        return self._number(int(expr))

    def _print_Float(self, expr: sympy.Float) -> _Text:
        return self._number(float(expr))

    def _print_Rational(self, expr: sympy.Rational) -> _Text:
        text = _Text(f"({self._number(abs(expr.p))}/{self._number(expr.q)})", ATOM)
        return self._negate(text) if expr.p < 0 else text

    _print_Pi = _fixed("PI()")
    _print_Exp1 = _fixed("EXP(1)")
    _print_BooleanTrue = _fixed("TRUE")
    _print_BooleanFalse = _fixed("FALSE")

    def _print_Add(self, expr: sympy.Add) -> _Text:
        text = ""
        for term in expr.as_ordered_terms():
            coeff, rest = term.as_coeff_Mul()
            negative = coeff.is_negative
            part = self._product(-coeff if negative else coeff, rest)
            if not text:
                text = self._negate(part) if negative else part
            else:
                text += ("-" if negative else "+") + self._wrap(part, MUL)
        return _Text(text, ADD)

    def _print_Mul(self, expr: sympy.Mul) -> str:
        coeff, rest = expr.as_coeff_Mul()
        if coeff.is_negative:
            return self._negate(self._product(-coeff, rest))
        return self._product(coeff, rest)

    def _print_Pow(self, expr: sympy.Pow) -> str:
        base, exp = expr.args
        if expr.is_extended_real is False:  # (-1)**(1/3): complex in sympy, -1 in Excel
            raise ExcelPrintError(f"cannot express the complex power {_brief(expr)} in Excel")
        if exp is sympy.S.Half:
            return self._call("SQRT", (base,))
        if exp.could_extract_minus_sign():
            return self._product(sympy.S.One, expr)  # 1/base^-exp
        return _Text(f"{self._sub(base, ATOM)}^{self._sub(exp, ATOM)}", POW)

    def _print_Function(self, expr: sympy.Function) -> _Text:
        name = self.known_functions.get(type(expr).__name__)
        if name is None or isinstance(expr, AppliedUndef):
            raise ExcelPrintError(f"cannot express {type(expr).__name__} {_brief(expr)} in Excel")
        return self._call(name, expr.args)

    _print_MinMaxBase = _print_Function

    def _print_log(self, expr: sympy.log) -> str:
        if len(expr.args) == 2:  # log(x, b, evaluate=False)
            return _Text(f"LN({self._print(expr.args[0])})/LN({self._print(expr.args[1])})", MUL)
        return self._print_Function(expr)

    def _print_ceiling(self, expr: sympy.ceiling) -> _Text:
        return self._negate(self._call("INT", (-expr.args[0],)))

    def _print_Relational(self, expr: sympy.core.relational.Relational) -> _Text:
        op = _RELATIONS[expr.rel_op]
        return _Text(f"{self._side(expr.lhs, expr.rhs)}{op}{self._side(expr.rhs, expr.lhs)}", CMP)

    def _side(self, expr: sympy.Basic, other: sympy.Basic) -> str:
        """One side of a comparison: an integer compared with a symbol (a choice's option)
        is named for that symbol when constants are named."""
        if expr.is_Integer and other.is_Symbol:
            return self._wrap(self._number(int(expr), about=other), ADD)
        return self._sub(expr, ADD)

    _print_ITE = _calling("IF")  # sympy's boolean if-then-else
    _print_And = _calling("AND")
    _print_Or = _calling("OR")
    _print_Not = _calling("NOT")

    def _print_Piecewise(self, expr: sympy.Piecewise) -> str:
        *branches, (fallback, last) = expr.args
        if last is not sympy.true:
            raise ExcelPrintError(
                f"Piecewise without a final True branch: {_brief(expr)}; Excel's IF would "
                "silently give FALSE where no condition holds"
            )
        text = self._print(fallback)
        for value, cond in reversed(branches):
            text = _Text(f"IF({self._print(cond)},{self._print(value)},{text})", ATOM)
        return text


def excel_formula(expr: sympy.Expr, names: Mapping[sympy.Symbol, str],
                  constants: Constants | None = None) -> str:
    """The Excel formula, with its leading ``=``, computing expr from the named references.

    >>> x, y = sympy.symbols("x y")
    >>> excel_formula(-x**2 + 1 / (x * y), {x: "C7", y: "growth"})
    '=-(C7^2)+1/(C7*growth)'
    """
    return ExcelPrinter(names, constants=constants).doprint(expr)
