"""The market's answers as a person reads them, in the catalogue's formats (model.report.formats):
the README's single-path table (docs/market_answer.json, model.market.answer), its odds table
(docs/odds.json, model.odds) and the odds as the CLI prints them.
"""

from __future__ import annotations

from model.core.trend import DIRECTION_TEST, ENDS_TEST
from model.market import answer
from model.odds import headline

from .formats import format_value

# What the words mean on the market's surfaces (legends, the odds' note).
MARKET_TEST = (f"rises / falls: the one test ({DIRECTION_TEST}) on research's share of research "
               "+ inference GPUs, summed over the labs, from the first year after the base year "
               "to the last")
MARKET_ENDS = f"ends lower: {ENDS_TEST} (the same share, first year to last)"


def year(value: float) -> str:
    return format_value("year", value)


def odds(r: dict, key: str) -> str:
    """'50% ± 12%': a probability and its standard error (record `r`, field `key`)."""
    p, se = r[key], r[f"{key}_se"]
    return "n/a" if p is None else f"{format_value(key, p, '')} ± {format_value(key, se, '')}"


def other_answers(shares: dict) -> str:
    """'falls, then rises 25%; rises 12%': the test's other answers, most common first."""
    found = sorted(((w, p) for w, p in shares.items() if w != "falls" and p), key=lambda x: -x[1])
    return "; ".join(f"{w} {format_value('p_research_share_falls', p, '')}"
                     for w, p in found) or "none"


def solved(r: dict) -> str:
    """'98%: 38% ± 6%': the share of draws in equilibrium, and the odds of ending lower over
    those draws alone."""
    return (f"{format_value('share_converged', r['share_converged'], '')}: "
            f"{odds(r, 'p_research_share_ends_lower_converged')}")


def drivers(r: dict, quote: str = "`", key: str = "drivers") -> str:
    """"`software_returns` (+0.72), ...": the record's drivers (`key`: drivers_price_taker for
    each lab alone) and their Spearman rho."""
    return ", ".join(f"{quote}{d['input']}{quote} ({d['spearman_rho']:+.2f})"
                     for d in r[key]) or "-"


def odds_markdown(data: dict | None = None) -> str:
    """The headline table: odds in equilibrium and for the price-takers (that research falls,
    and that it ends lower whatever the path between), the median ratio's
    path, the draws that reached an equilibrium and the odds of ending lower over them alone,
    and the inputs most rank-correlated with the outcome, in equilibrium and for each lab alone
    (whose answer hangs on other inputs)."""
    data = headline.read() if data is None else data
    years = data["scenarios"][0]["ratio_paths"]["years"]
    lines = [f"| scenario | P(research / inference falls, {year(years[1])} to "
             f"{year(years[-1])}), equilibrium | each lab alone (price-takers) | P(ends lower), "
             "equilibrium | each lab alone | median ratio | draws in equilibrium: P(ends lower) "
             "over them | inputs that move it most (Spearman rho) | each lab alone: inputs that "
             "move it most |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in data["scenarios"]:
        median = r["ratio_paths"]["p50"]
        lines.append(f"| `{r['scenario']}` | {odds(r, 'p_research_share_falls')} | "
                     f"{odds(r, 'p_research_share_falls_price_taker')} | "
                     f"{odds(r, 'p_research_share_ends_lower')} | "
                     f"{odds(r, 'p_research_share_ends_lower_price_taker')} | "
                     f"{median[1]:.2f} to {median[-1]:.2f} | "
                     f"{solved(r)} | "
                     f"{drivers(r)} | {drivers(r, key='drivers_price_taker')} |")
    return "\n".join(lines)


def _verdict(r: dict, name: str) -> str:
    shares = [format_value("share_research", r[f"{name}_share_{end}"]) for end in
              ("first", "last")]
    return (f"{r[f'{name}_trend']}: {r[f'{name}_ratio_first']:.2f} to "
            f"{r[f'{name}_ratio_last']:.2f} ({shares[0]} to {shares[1]} of the fleet)")


def answer_markdown(records: list[dict] | None = None) -> str:
    """The README's single-path table (docs/market_answer.json)."""
    records = answer.read() if records is None else records
    first, last = records[0]["first_year"], records[0]["last_year"]
    lines = [f"| scenario | research / inference, {year(first)} to {year(last)}, in equilibrium "
             "| under one owner | the race (points of the fleet) | fleet grows | equilibrium? "
             "| the rounds from each lab's price-taker path |",
             "|---|---|---|---|---|---|---|"]
    for r in records:
        lines.append(f"| `{r['scenario']}` | {_verdict(r, 'equilibrium')} | "
                     f"{_verdict(r, 'joint')} | {r['race'] * 100:+.1f} | "
                     f"{r['fleet_growth']:.1f}x | {_check(r)} | "
                     f"{_from_price_takers(r['from_price_takers'])} |")
    return "\n".join(lines)


def _check(r: dict) -> str:
    gain = format_value("max_deviation_gain", r["max_deviation_gain"], "")
    return f"yes (deviation gain {gain})" if r["converged"] else f"no (a lab still gains {gain})"


def _from_price_takers(o: dict) -> str:
    """The second start's verdict, whether it is an equilibrium, and how far its paths are from
    the first's (the largest gap in a lab's research share, in points of its fleet)."""
    return (f"{o['trend']}: {o['ratio_first']:.2f} to {o['ratio_last']:.2f}; equilibrium "
            f"{_check(o)}; a lab's research share up to {o['largest_gap'] * 100:.1f} points "
            "from the first's")

