"""Running `timeline` as a user would, for the command-line tests.

:func:`timeline` runs the command line's ``main`` in the test's own process, with its
standard input, output and error, its working folder and its exit status as a
process would have them (``SystemExit`` from ``--help`` or a usage error included):
starting a Python process per call would cost the suite three seconds each. Tests
of what only a process has (signals, closed pipes, an environment of its own, the
installed script) pass ``process=True``, which runs the console script itself.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

from timeline.cli import main

_SCRIPT = shutil.which("timeline", path=str(Path(sys.executable).parent))
#: The console script of this environment (``python -m timeline.cli`` where it is absent).
TIMELINE = [_SCRIPT] if _SCRIPT else [sys.executable, "-m", "timeline.cli"]


def timeline(*args: str, stdin: str | None = None, cwd: Path | None = None,
             process: bool = False) -> subprocess.CompletedProcess[str]:
    """Run ``timeline ARGS`` with ``stdin`` as its input; output captured as text."""
    if process:
        return subprocess.run([*TIMELINE, *args], input=stdin if stdin is not None else "",
                              capture_output=True, text=True, cwd=cwd, timeout=300)
    streams = {name: io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
               for name in ("stdout", "stderr")}
    given = io.TextIOWrapper(io.BytesIO((stdin or "").encode("utf-8")), encoding="utf-8")
    saved = sys.stdin, sys.stdout, sys.stderr
    here = os.getcwd()
    try:
        sys.stdin, sys.stdout, sys.stderr = given, streams["stdout"], streams["stderr"]
        if cwd is not None:
            os.chdir(cwd)
        try:
            status = main(list(args))
        except SystemExit as exit_:  # argparse: --help, or a usage error
            code = exit_.code
            status = code if isinstance(code, int) else (0 if code is None else 1)
            if isinstance(code, str):
                print(code, file=sys.stderr)
    finally:
        os.chdir(here)
        sys.stdin, sys.stdout, sys.stderr = saved
    texts = {}
    for name, stream in streams.items():
        with contextlib.suppress(ValueError):
            stream.flush()
        raw = stream.buffer
        assert isinstance(raw, io.BytesIO)
        texts[name] = raw.getvalue().decode("utf-8", errors="replace").replace("\r\n", "\n")
    return subprocess.CompletedProcess([*TIMELINE, *args], status, texts["stdout"],
                                       texts["stderr"])


def one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """The single stderr line of a failed run, checked to name what it must."""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got:\n{result.stderr}"
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0], f"{needle!r} not in {lines[0]!r}"
    return lines[0]
