"""Fixtures shared by the real-server tests (see tests/served.py), and hypothesis's profile."""

from __future__ import annotations

import os

import pytest
from external import chromium
from hypothesis import settings
from served import FLAGS, serve

# CI (which requires the external tools) runs the same examples every time, so a submission is
# judged on its own code; locally each run explores new ones and keeps what fails in .hypothesis.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("FLEET_REQUIRE_TOOLS"):
    settings.load_profile("ci")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("streamlit") / "server.log") as (url, _):
        yield url


@pytest.fixture(scope="module")
def browser():
    exe = chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, headless=True, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    yield pg
    context.close()
