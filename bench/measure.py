"""Time and peak memory of a whole command and every process it starts.

The peak is the largest sum, over the command's process tree, of the resident
set sizes sampled every 20 ms (psutil): pages shared between a parent and its
workers count once per process, so the figure is an upper bound. The kernel's
own figure for the main process (``ru_maxrss``) would miss the workers.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

SAMPLE_SECONDS = 0.02


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_mb: float
    returncode: int
    stderr: str


def tree_rss(process: psutil.Process) -> int:
    """Resident bytes of a process and all its descendants (those still alive)."""
    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            continue
    return total


def run_measured(command: Sequence[str], *, stdin: Path | None = None,
                 stdout: Path | None = None, env: dict[str, str] | None = None) -> Measured:
    """Run ``command`` (stdin/stdout from/to files if given), sampling its tree's memory."""
    with open(stdin or "/dev/null", "rb") as input_, open(stdout or "/dev/null", "wb") as out:
        start = time.perf_counter()
        child = subprocess.Popen(list(command), stdin=input_, stdout=out,
                                 stderr=subprocess.PIPE, env=env)
        watched = psutil.Process(child.pid)
        peak = 0
        while child.poll() is None:
            peak = max(peak, tree_rss(watched))
            time.sleep(SAMPLE_SECONDS)
        seconds = time.perf_counter() - start
        stderr = child.stderr.read().decode("utf-8", "replace") if child.stderr else ""
    return Measured(seconds, peak / 2**20, child.returncode, stderr)
