"""The app's page as Streamlit's AppTest runs it (no server, no browser)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")


def page(query: dict[str, str], tab: str = "Budget", timeout: float = 120) -> AppTest:
    """The page opened at `query` (its URL parameters) on `tab`, run once without an
    exception."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.query_params.update(query)
    at.session_state["tab"] = tab
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def charts(at: AppTest) -> list[tuple[dict, pd.DataFrame | None]]:
    """Each Vega-Lite chart on the page, in order: its spec and the data the page gave it."""
    out = []
    for element in at.get("vega_lite_chart"):
        proto = element.proto
        data = (pa.ipc.open_stream(proto.data.data).read_pandas() if proto.HasField("data")
                else None)
        out.append((json.loads(proto.spec), data))
    return out
