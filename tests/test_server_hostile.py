"""A shared server under hostile links: while one browser session opens each link, a second
session's health check and rerun answer within 2 s, the attacker sees the refusal, and the
server still stops on SIGTERM. A real `streamlit run`; the attacker is Chromium, the bystander a
bare websocket session (tests/served.py), so its timing is the server's, not a browser's."""

from __future__ import annotations

import math
import subprocess
import time
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import Error as PlaywrightError
from served import RENDER_TIMEOUT_MS, Session, rendered, serve
from websockets.exceptions import ConnectionClosed

# (serial: its 2 s bound is the server's answer on a quiet machine, not beside another worker)
pytestmark = [pytest.mark.browser, pytest.mark.serial]

ANSWER_S = 2.0
HOSTILE_LINKS = {
    "power tower": {"fleet_gpus": "9**9**9 GPU"},
    "huge power": {"pue": "10**400"},
    "401 digits": {"fleet_gpus": "1" * 401},
    "unit power tower": {"gpu_rental_price": "1 USD/GPU/hour^9^9^9"},
    "past the slider": {"years": "40"},
    "below the slider": {"years": "-5"},
    "junk": {**{f"junk_{i}": "9**9**9" for i in range(300)}, "scenarios": "x," * 300},
}


def _health_seconds(url: str) -> float:
    """Seconds for the health check to answer (infinite past ANSWER_S)."""
    start = time.monotonic()
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=ANSWER_S) as reply:
            assert reply.status == 200
    except OSError:  # a timeout
        return math.inf
    return time.monotonic() - start


def _rerun_seconds(session: Session, query: str) -> float:
    """Seconds for a rerun of `session` to finish (infinite past a few ANSWER_S)."""
    try:
        return session.rerun(query, timeout=3 * ANSWER_S)
    except (TimeoutError, OSError, ConnectionClosed):
        return math.inf


def test_hostile_links_do_not_stall_other_sessions(browser, tmp_path):
    with serve(tmp_path / "server.log") as (url, proc), Session.open(url) as bystander:
        view = "preset=openai-2024&scenarios=status-quo"
        bystander.rerun(view)  # the first run of a session imports and caches
        attacker = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
        rendered(attacker, url)  # the default view's results are cached for every session, so
        # what each link below costs is its hostile text, not the default view's first run
        slow = {}
        for name, query in HOSTILE_LINKS.items():
            try:
                attacker.goto(f"{url}/?{urllib.parse.urlencode(query)}", wait_until="commit")
            except PlaywrightError:
                slow[name] = "the server did not serve the page"
                break
            refused = attacker.get_by_text("Ignored from the link:")
            deadline = time.monotonic() + RENDER_TIMEOUT_MS / 1000
            # measure the bystander over and over until the attacker's run has ended, so the
            # checks overlap the hostile run however long the browser takes to start it
            while True:
                timings = (_health_seconds(url), _rerun_seconds(bystander, view))
                if max(timings) > ANSWER_S:
                    slow[name] = timings
                    break
                if refused.count():
                    break
                assert time.monotonic() < deadline, f"{name}: the attacker's page never ended"
            assert attacker.locator('[data-testid="stException"]').count() == 0, name
        assert not slow, f"(health, rerun) seconds over {ANSWER_S}: {slow}"
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pytest.fail("the server did not stop on SIGTERM within 10 s")
