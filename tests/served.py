"""A real Streamlit server and a real browser for tests: `streamlit run` on a free local port,
driven by Playwright with the system's Chromium (no browser download). Without Chromium the tests
skip (fail under FLEET_REQUIRE_TOOLS=1, see tests/external.py).

The fixtures `server`, `browser` and `page` are in tests/conftest.py.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
START_TIMEOUT = 90
RENDER_TIMEOUT_MS = 90_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen) -> None:
    """Stop a server: SIGTERM, and SIGKILL if it has not ended within 10 s."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_healthy(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("streamlit did not become healthy in time")


def settled(page) -> None:
    """Wait until the script has finished running."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=RENDER_TIMEOUT_MS)
    assert page.locator('[data-testid="stException"]').count() == 0


def rendered(page, url: str) -> None:
    """Open `url` and wait until the script has finished and the headline is drawn."""
    page.goto(url)
    page.wait_for_selector(".vega-embed", timeout=RENDER_TIMEOUT_MS)
    settled(page)


@contextlib.contextmanager
def serve(log: Path):
    """`streamlit run streamlit_app.py` on a free port: yields (url, process); stops it after."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
           "--server.headless", "true", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
        try:
            wait_healthy(url, proc, log)
            yield url, proc
        finally:
            stop(proc)


class Session:
    """A bare Streamlit session over the server's websocket: what a browser tab sends when it
    reruns the script, without a browser's own rendering time (which, on a shared 2-core test
    machine, would measure the other browser rather than the server)."""

    def __init__(self, ws):
        self.ws = ws

    @classmethod
    @contextlib.contextmanager
    def open(cls, url: str):
        """A session on the server at `url`, closed after the block."""
        from websockets.sync.client import connect

        with connect(url.replace("http://", "ws://") + "/_stcore/stream",
                     subprotocols=["streamlit"], origin=url, max_size=None,
                     open_timeout=30) as ws:
            yield cls(ws)

    def rerun(self, query: str = "", timeout: float = 120) -> float:
        """Seconds until the server reports the script run finished."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.query_string = query
        start = time.monotonic()
        self.ws.send(msg.SerializeToString())
        deadline = start + timeout
        while True:
            reply = ForwardMsg()
            reply.ParseFromString(self.ws.recv(timeout=max(deadline - time.monotonic(), 0.01)))
            if reply.WhichOneof("type") == "script_finished":
                return time.monotonic() - start
