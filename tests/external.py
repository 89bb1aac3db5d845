"""Access to external engines (LibreOffice, Chromium) for tests.

Where an engine is missing the test skips with a reason, unless FLEET_REQUIRE_TOOLS=1 (set by
.ci/run), which turns the skip into a failure so CI always exercises it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

REQUIRE = os.environ.get("FLEET_REQUIRE_TOOLS") == "1"


def require(executable: str, package: str) -> str:
    """Return the path of `executable`, or skip (fail under FLEET_REQUIRE_TOOLS=1) without it."""
    path = shutil.which(executable)
    if path:
        return path
    reason = f"{executable} not found: install the Debian package {package}"
    if REQUIRE:
        pytest.fail(f"{reason} (FLEET_REQUIRE_TOOLS=1 forbids skipping)")
    pytest.skip(reason)


def soffice() -> str:
    return require("soffice", "libreoffice-calc")


def chromium() -> str:
    return require("chromium", "chromium")


def recalculate(path: Path, outdir: Path) -> Path:
    """Recalculate an xlsx with LibreOffice headless and return the converted copy's path.

    LibreOffice computes every formula cell that carries no cached value, so callers strip
    cached values first (see strip_cached_values) when they want a full recalculation.
    """
    exe = soffice()
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        cmd = [
            exe,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(outdir),
            str(path),
        ]
        subprocess.run(cmd, check=True, capture_output=True, timeout=300)
    out = outdir / path.name
    if not out.exists():
        raise RuntimeError(f"LibreOffice produced no output for {path}")
    return out
