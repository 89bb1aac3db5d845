"""The app's page as Streamlit's AppTest runs it (no server, no browser)."""

from __future__ import annotations

from pathlib import Path

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
