"""Running the installed `timeline` script as a user would, for the command-line tests."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

_SCRIPT = shutil.which("timeline", path=str(Path(sys.executable).parent))
#: The console script of this environment (``python -m timeline.cli`` where it is absent).
TIMELINE = [_SCRIPT] if _SCRIPT else [sys.executable, "-m", "timeline.cli"]


def timeline(*args: str, stdin: str | None = None, cwd: Path | None = None
             ) -> subprocess.CompletedProcess[str]:
    """Run ``timeline ARGS`` with ``stdin`` as its input; output captured as text."""
    return subprocess.run([*TIMELINE, *args], input=stdin if stdin is not None else "",
                          capture_output=True, text=True, cwd=cwd, timeout=300)


def one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """The single stderr line of a failed run, checked to name what it must."""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got:\n{result.stderr}"
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0], f"{needle!r} not in {lines[0]!r}"
    return lines[0]
