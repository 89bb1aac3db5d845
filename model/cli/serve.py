"""`python -m model app` (`fleet-split app`): serve the Streamlit page of this installation.

The page (streamlit_app.py, its helpers in app/) ships in the package beside model, so a plain
install serves it; any `streamlit run` option passes on (--server.port 8502). The page's
settings (.streamlit/config.toml) are read by streamlit from its working directory only, so the
page runs from where they are: the checkout, or where the wheel installs them
(share/fleet-split, pyproject.toml's data-files).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import site
import sys
from pathlib import Path

from model.core.errors import InputError

SETTINGS = Path(".streamlit", "config.toml")
# Streamlit watches every module under the page's folder for edits; installed, that folder is
# site-packages (thousands of files) and nobody edits it, so the watcher is off unless asked.
WATCHER = ("--server.fileWatcherType", "none")


def page() -> Path:
    """The page this installation serves (in a checkout, the checkout's own)."""
    spec = importlib.util.find_spec("streamlit_app")
    if spec is None or spec.origin is None:
        raise InputError(
            "app: streamlit_app.py is not installed beside model; reinstall "
            "fleet-split (pip install .)"
        )
    return Path(spec.origin)


def settings_folder(script: Path) -> Path | None:
    """The folder holding .streamlit/config.toml for `script`: the checkout beside it, or the
    installed copy under the environment's (or the user's) share/fleet-split."""
    candidates = [
        script.parent,
        *(Path(base, "share", "fleet-split") for base in (sys.prefix, site.getuserbase())),
    ]
    return next((folder for folder in candidates if (folder / SETTINGS).is_file()), None)


def command(script: Path, options: list[str]) -> list[str]:
    """`streamlit run` of `script` with the watcher off, then the user's options (the last of
    an option given twice wins)."""
    return [sys.executable, "-m", "streamlit", "run", str(script), *WATCHER, *options]


def cmd_app(args: argparse.Namespace) -> str:
    script = page()
    folder = settings_folder(script)
    if folder is not None:
        os.chdir(folder)
    argv = command(script, list(args.passed_on))
    sys.stdout.flush()
    # this process becomes the server: Ctrl-C and a signal to its id reach streamlit itself
    os.execv(sys.executable, argv)
    return ""  # not reached
