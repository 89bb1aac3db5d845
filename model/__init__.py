"""fleet-split: how AI labs split GPU fleets between training, research and inference.

One symbolic source of truth (sympy expressions over a unit-checked catalogue) from which the
NumPy engine, the CLI, the Excel workbooks and the Streamlit app are all derived. The layers,
lowest first, each a package that imports only the ones before it: core, loop, policy, report,
workbook, cli (the page helpers live outside the model, in app/).
"""

__version__ = "0.1.0"
