"""fleet-split: how AI labs split GPU fleets between training, research and inference.

One symbolic source of truth (sympy expressions over a unit-checked catalogue) from which the
NumPy engine, the CLI, the Excel workbooks and the Streamlit app are all derived. The layers,
lowest first, each a package that imports only the ones before it: core, loop, policy, report,
workbook, cli (the page helpers live outside the model, in app/).

The Python API for notebooks is this module's functions: `inputs`, `project`, `solve_market`
and `export`, each doing what its `python -m model` command does (list, run, market, export:
the same functions, the same names, a keyword input being a `--set` name) and answering with
a pandas DataFrame whose `attrs["units"]` gives each column's pint unit (`export` writes a
workbook). They import the model when called, so `import model` (and the command line's
start) stays cheap. (Not `model.market`: that name is the package model/market.)
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["export", "inputs", "project", "solve_market"]

TYPE_CHECKING = False  # typing and pandas: for annotations only, not `import model`
if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

# The market frame's (model.market.engine.frame) columns that are not named after their
# catalogue quantity: revenue is the lab's inference revenue; market_share (of the customers'
# tokens) and race (research shares' difference) are shares with no catalogue record.
_MARKET_UNITS = {"revenue": "inference_revenue", "market_share": "", "race": ""}


def _units(columns, aliases=None) -> dict[str, str]:
    """Each column's pint unit from the catalogue: a column named after its quantity, or after
    it and a qualifier (share_research_joint, fleet_gpus_p50), or in `aliases` (column ->
    quantity name, or '' for a dimensionless share outside the catalogue)."""
    from model.core.catalogue import CATALOGUE

    def unit(column: str) -> str | None:
        name = (aliases or {}).get(column, column)
        if name == "":
            return ""
        while name and name not in CATALOGUE:  # drop one qualifier at a time
            name = name.rpartition("_")[0]
        return CATALOGUE[name].unit if name else None

    return {c: u for c in columns if (u := unit(c)) is not None}


def _overrides(preset, from_workbook, given, **chosen) -> tuple[str | None, dict, str | None]:
    """The preset, the inputs (a workbook's, then the keywords, as --set lays them over it)
    and the workbook's scenario: the command line's own reading (model.cli.options), which
    refuses a preset, GPU or scenario beside a workbook (it holds every input itself)."""
    from argparse import Namespace

    from model.cli.options import overrides_from

    preset, overrides, scenario = overrides_from(
        Namespace(
            preset=preset,
            sets=[],
            **chosen,
            from_workbook=None if from_workbook is None else str(from_workbook),
        )
    )
    return preset, {**overrides, **given}, scenario


def inputs(
    preset: str | None = None,
    scenario: str | None = None,
    *,
    gpu: str | None = None,
    from_workbook: str | Path | None = None,
    **values,
) -> pd.DataFrame:
    """Every input as `python -m model list --preset P --scenario S` shows it: one row per
    input (the index: its name, the keyword `project` takes) with its value in `unit` (a
    choice's option as text) and its source. `values` override inputs, by name; bad input
    raises ValueError (model.core.errors.InputError) of one line naming the input.

    >>> import model
    >>> table = model.inputs("openai-2024", discount_rate="12 %")
    >>> table.loc["discount_rate", ["value", "unit", "source"]].tolist()
    [0.12, '', 'user setting']
    >>> table.loc["supply_limit", "value"]
    'world-share'
    >>> model.inputs(fleet_gpus="1e5 USD")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    model.core.errors.InputError: fleet_gpus: ...
    """
    import pandas as pd

    from model.core.catalogue import CATALOGUE
    from model.loop.scenarios import scenario_settings

    preset, overrides, found = _overrides(preset, from_workbook, values, gpu=gpu, scenario=scenario)
    settings = scenario_settings(preset, scenario or found, gpu, overrides)
    rows = {
        n: {
            "value": settings.text(n) if CATALOGUE[n].kind == "choice" else v,
            "unit": CATALOGUE[n].unit,
            "source": settings.sources[n],
        }
        for n, v in settings.values.items()
    }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "input"
    table.attrs.update(preset=settings.preset, scenario=settings.scenario)
    return table


def project(
    preset: str | None = None,
    scenario: str | None = None,
    *,
    years: int = 10,
    step: str | None = None,
    gpu: str | None = None,
    from_workbook: str | Path | None = None,
    **values,
) -> pd.DataFrame:
    """The feedback-loop projection, `python -m model run` with `--format csv`: one row per
    step from the base year, a column per projection row (year, fleet_gpus, share_research,
    ...; `list` explains each). `step` is year, quarter (the default) or month; `values`
    override inputs as `--set name=value` does: a number in the input's unit or text with a
    compatible one ("0.99 PFLOP/s/GPU"). attrs: units (each column's pint unit), preset,
    scenario, and the optimiser's solution under value-maximising (else None).

    >>> import model
    >>> df = model.project("openai-2024", "brakes", years=3, step="year", fleet_gpus=4e5)
    >>> df[["year", "fleet_gpus", "share_research"]].round({"fleet_gpus": -3, "share_research": 2})
         year  fleet_gpus  share_research
    0  2024.0    400000.0            0.64
    1  2025.0    745000.0            0.46
    2  2026.0   1791000.0            0.64
    >>> df.attrs["units"]["fleet_gpus"], df.attrs["units"]["inference_revenue"]
    ('GPU', 'USD/year')
    """
    from model.loop.scenarios import scenario_settings
    from model.loop.steps import DEFAULT_STEP
    from model.policy.paths import project as run

    preset, overrides, found = _overrides(preset, from_workbook, values, gpu=gpu, scenario=scenario)
    settings = scenario_settings(preset, scenario or found, gpu, overrides)
    frame = run(settings, years, step or DEFAULT_STEP)
    frame.attrs.update(
        units=_units(frame.columns), preset=settings.preset, scenario=settings.scenario
    )
    return frame


def solve_market(
    preset: str | None = None,
    scenario: str | None = None,
    *,
    years: int = 10,
    step: str = "year",
    choice: str = "nash",
    edits=(),
    market_file: str | Path | None = None,
) -> pd.DataFrame:
    """The market of labs, `python -m model market` with `--format csv`: one row per lab and
    step with its research and inference shares, fleet, share of customers, inference revenue
    (USD/year) and NPV (USD). `preset` is end-2025 (the default) or frontier-2025, or
    `market_file` a TOML or JSON market file; `edits` are `market --set` strings
    ("openai.fleet_gpus=2e6 GPU", "+rival=anthropic", "-xai"). Under choice="nash" each lab
    chooses its research share against the others, beside the joint optimum and each lab
    alone (columns share_research_joint, share_research_price_taker, race; minutes at six
    labs); choice="policy" keeps each lab's scenario policy. attrs: units, scenario, choice,
    converged.

    >>> import model
    >>> m = model.solve_market("frontier-2025", years=1, choice="policy",
    ...                        edits=["-meta", "openai.fleet_gpus=2e6 GPU"])
    >>> m[["lab", "share_research", "fleet_gpus"]].round({"share_research": 2, "fleet_gpus": -3})
                   lab  share_research  fleet_gpus
    0           openai            0.45   2000000.0
    1        anthropic            0.54   1190000.0
    2  google-deepmind            0.45   1583000.0
    3              xai            0.81    635000.0
    >>> m.attrs["units"]["revenue"], m.attrs["converged"]
    ('USD/year', True)
    """
    from argparse import Namespace

    from model.cli.market import run_market
    from model.core.errors import InputError, quoted
    from model.core.resolve import suggest
    from model.loop.scenario_list import DEFAULT_SCENARIO
    from model.market.engine import frame
    from model.market.presets import PRESETS

    # what the command's argparse choices and exclusive options check
    if preset is not None and market_file is not None:
        raise InputError("solve_market: give a preset or a market_file, not both")
    if preset is not None and preset not in PRESETS:
        raise InputError(
            f"unknown market preset {quoted(preset)}{suggest(preset, PRESETS)}; "
            f"expected one of {', '.join(PRESETS)}"
        )
    if choice not in ("nash", "policy"):
        raise InputError(f"choice: expected nash or policy, got {quoted(choice)}")
    args = Namespace(
        preset=preset,
        scenario=scenario,
        years=years,
        step=step,
        choice=choice,
        sets=list(edits),
        market_file=market_file and str(market_file),
    )
    _, result = run_market(args)
    nash = hasattr(result, "nash")
    table = result.frame() if nash else frame(result)
    solved = result.nash.market if nash else result
    table.attrs.update(
        units=_units(table.columns, _MARKET_UNITS),
        scenario=scenario or DEFAULT_SCENARIO,
        choice=choice,
        converged=bool(solved.converged and (not nash or result.nash.converged)),
    )
    return table


def export(
    path: str | Path,
    preset: str | None = None,
    scenarios=(),
    *,
    years: int = 10,
    step: str | None = None,
    gpu: str | None = None,
    title: str | None = None,
    notes: str = "",
    from_workbook: str | Path | None = None,
    **values,
) -> Path:
    """Write the model as an Excel workbook of live formulas, `python -m model export`:
    `scenarios` is a list (the first drives Projection and Finance; each gets its own sheet),
    `values` override inputs as in `project`. Returns the path written (a name not ending in
    .xlsx is an InputError).

    >>> import model, openpyxl, tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = model.export(pathlib.Path(folder, "lab.xlsx"), "openai-2024", ["brakes"],
    ...                         years=2)
    ...     "Projection" in openpyxl.load_workbook(path).sheetnames
    True
    """
    from pathlib import Path

    from model.loop.steps import DEFAULT_STEP
    from model.workbook.build import build_workbook, write_workbook

    preset, overrides, found = _overrides(
        preset, from_workbook, values, gpu=gpu, scenarios=scenarios
    )
    named = [scenarios] if isinstance(scenarios, str) else list(scenarios)
    chosen = list(dict.fromkeys(named or ([found] if found else [])))
    book = build_workbook(
        preset,
        chosen,
        years=years,
        step=step or DEFAULT_STEP,
        gpu=gpu,
        overrides=overrides,
        title=title,
        notes=notes,
    )
    return Path(write_workbook(book, str(path)))
