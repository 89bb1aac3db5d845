"""Formulas that show no error where the model has a value (issue 20): a financial modeller
reads any error cell as a broken model.

Two places a sheet could show one that the model does not:

* a helper row cut out of one branch of an IF (model.workbook._split) is computed in every
  column, where the IF computed it only when that branch is taken; so a helper carries the
  condition under which its formula reached it (`reached`), as IF(condition, piece, 0);
* an output that divides by another output (the inference margin, over revenue) is undefined
  where that output is 0, which the CLI and the app print as n/a: its cell says n/a too
  (`ratio_formula`), rather than #DIV/0!.
"""

from __future__ import annotations

import sympy

from model.core.catalogue import sym
from model.core.equations import EQUATIONS

from ._constants import formula

UNDEFINED = "n/a"  # what the CLI and the app print for a number the model leaves undefined


def reached(expr: sympy.Basic) -> dict[sympy.Basic, sympy.Basic]:
    """Each subexpression of expr -> the condition under which a spreadsheet evaluates it.

    IF (a Piecewise, or a boolean ITE) evaluates its i-th condition only when the earlier ones
    failed, and its i-th value only when, besides, its own condition holds; every other function
    evaluates all of its arguments.  A subexpression found in several places is reached when
    any of them is."""
    found: dict[sympy.Basic, sympy.Basic] = {}

    def visit(node: sympy.Basic, cond: sympy.Basic) -> None:
        if found.get(node) is sympy.true:
            return  # reached always: so is all below it
        found[node] = _either(found[node], cond) if node in found else cond
        if isinstance(node, sympy.Piecewise | sympy.ITE):
            pairs = node.args if isinstance(node, sympy.Piecewise) else [
                (node.args[1], node.args[0]), (node.args[2], sympy.true)]
            before = cond
            for value, test in pairs:
                visit(test, before)
                visit(value, sympy.And(before, test))
                before = sympy.And(before, sympy.Not(test).to_nnf())  # NOT(x<=0): x>0
        else:
            for arg in node.args:
                visit(arg, cond)

    visit(expr, sympy.true)
    return found


def _either(a: sympy.Basic, b: sympy.Basic) -> sympy.Basic:
    """a or b, kept short in the two cases nesting gives: the weaker of the two where one's
    conjuncts are a subset of the other's (OR(c, AND(c, d)) is c), and what they share where
    they differ only in a condition and its negation (both branches of one IF)."""
    terms = [set(x.args) if isinstance(x, sympy.And) else {x} for x in (a, b)]
    if terms[0] <= terms[1]:
        return a
    if terms[1] <= terms[0]:
        return b
    only_a, only_b = terms[0] - terms[1], terms[1] - terms[0]
    if len(only_a) == len(only_b) == 1 and sympy.Not(*only_a).to_nnf() == next(iter(only_b)):
        return sympy.And(*(terms[0] & terms[1]))
    return sympy.Or(a, b)


def guarded(piece: sympy.Expr, cond: sympy.Basic) -> sympy.Expr:
    """piece where cond holds, else 0: a helper computed only where its formula reached it."""
    return piece if cond is sympy.true else sympy.Piecewise((piece, cond), (0, True))


def ratio_formula(
    expr: sympy.Expr, refs: dict, value: float, values: dict[str, float]
) -> tuple[str, object]:
    """(formula, cached value) of an output, `value`, computed by expr over the named `refs`:
    where it divides by other outputs, n/a where one of them is 0 (`values`: the outputs')."""
    text = formula(expr, refs)
    divisors = sorted({str(p.base) for p in sympy.preorder_traversal(expr)
                       if isinstance(p, sympy.Pow) and p.exp.could_extract_minus_sign()
                       and str(p.base) in EQUATIONS})
    if not divisors:
        return text, value
    zero = [f"{refs[sym(d)]}=0" for d in divisors]
    test = zero[0] if len(zero) == 1 else f"OR({','.join(zero)})"
    undefined = any(values[d] == 0 for d in divisors)
    return f'=IF({test},"{UNDEFINED}",{text[1:]})', UNDEFINED if undefined else value
