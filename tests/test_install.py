"""Installed like a tool (issue 20): the wheel holds the page, and `fleet-split app` serves it
from a fresh environment, run from outside the checkout so the installed copy is what runs.

Offline: the wheel is built without build isolation (setuptools from the dev extra) and
installed without an index; the fresh venv reaches this interpreter's dependencies through a
.pth file (a path there is added to sys.path, but its own .pth files, such as the checkout's
editable install, are not run).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import urllib.request
import venv
from pathlib import Path

import pytest
from served import free_port, stop, wait_healthy

ROOT = Path(__file__).resolve().parents[1]
SOURCES = (
    "model",
    "app",
    "streamlit_app.py",
    "pyproject.toml",
    "README.md",
    ".streamlit/config.toml",
)


def run(*argv, **kw) -> str:
    done = subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=300, **kw)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with the wheel installed: its folder."""
    tmp = tmp_path_factory.mktemp("install")
    # a copy of the sources, so no stale build/ in the checkout can leak into the wheel
    source = tmp / "source"
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / name, source / name)
    run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "--disable-pip-version-check",
        "-q",
        "-w",
        tmp / "wheels",
        source,
    )
    (wheel,) = (tmp / "wheels").glob("fleet_split-*.whl")
    env_dir = tmp / "env"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    own = Path(
        run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip()
    )
    deps = dict.fromkeys(sysconfig.get_paths()[k] for k in ("purelib", "platlib"))
    (own / "dependencies.pth").write_text("".join(f"{p}\n" for p in deps))
    run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "--no-deps",
        "--no-index",
        "--disable-pip-version-check",
        "-q",
        wheel,
    )
    return env_dir


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}


def test_the_wheel_holds_the_page(installed, tmp_path):
    found = run(
        installed / "bin" / "python",
        "-c",
        "import importlib.util as u, model, app.compute; print(model.__file__); "
        "print(app.compute.__file__); print(u.find_spec('streamlit_app').origin)",
        cwd=tmp_path,
        env=clean_env(),
    ).split()
    assert len(found) == 3
    assert all(Path(f).is_relative_to(installed) for f in found), found
    settings = installed / "share" / "fleet-split" / ".streamlit" / "config.toml"
    assert settings.read_text() == (ROOT / ".streamlit" / "config.toml").read_text()


def test_fleet_split_app_serves_the_page(installed, tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "app.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                installed / "bin" / "fleet-split",
                "app",
                "--server.port",
                str(port),
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=tmp_path,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**clean_env(), "PYTHONWARNINGS": "ignore"},
        )
        try:
            wait_healthy(url, proc, log)  # /_stcore/health answers 200
            with urllib.request.urlopen(url, timeout=10) as reply:
                assert reply.status == 200 and b"<html" in reply.read().lower()
            # the installed page, its settings read from where the wheel put them
            if Path(f"/proc/{proc.pid}/cwd").exists():
                assert (
                    Path(f"/proc/{proc.pid}/cwd").resolve()
                    == (installed / "share" / "fleet-split").resolve()
                )
                page = Path(f"/proc/{proc.pid}/cmdline").read_bytes().split(b"\0")
                assert str(installed).encode() in next(
                    a for a in page if a.endswith(b"streamlit_app.py")
                )
        finally:
            stop(proc)


def test_app_passes_streamlit_options_on_and_serves_the_checkouts_page(monkeypatch, tmp_path):
    from model.cli import serve
    from model.cli.main import main

    ran = []
    monkeypatch.setattr(serve.os, "execv", lambda exe, argv: ran.append((exe, argv)))
    monkeypatch.chdir(tmp_path)
    assert main(["app", "--server.port", "8502", "--theme.base=dark"]) == 0
    ((exe, argv),) = ran
    assert exe == sys.executable
    assert argv == [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "streamlit_app.py"),
        "--server.fileWatcherType",
        "none",
        "--server.port",
        "8502",
        "--theme.base=dark",
    ]
    assert Path.cwd() == ROOT  # where .streamlit/config.toml is


def test_other_commands_still_refuse_what_they_do_not_know(capsys):
    from model.cli.main import main

    assert main(["budget", "--server.port", "8502"]) == 2
    assert "unrecognized arguments: --server.port 8502" in capsys.readouterr().err


def test_app_without_the_page_says_so_in_one_line(monkeypatch, capsys):
    from model.cli import serve
    from model.cli.main import main

    monkeypatch.setattr(serve.importlib.util, "find_spec", lambda name: None)
    monkeypatch.setattr(serve.os, "execv", lambda *a: pytest.fail("ran without a page"))
    assert main(["app"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "streamlit_app.py is not installed" in err
