"""Time and peak memory of a whole command and every process it starts.

Two peaks are sampled every 20 ms (psutil) over the command's process tree: the
largest sum of resident set sizes (RSS; pages shared between processes, such as
the code of the libraries every worker loads, count once per process, so it is
an upper bound) and the largest sum of proportional set sizes (PSS; a shared
page counts as its share in each process, so the sum is the memory the tree
really holds). The kernel's own figure for the main process (``ru_maxrss``)
would miss the workers.
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
    #: Peak of the summed RSS of the tree (MB).
    peak_mb: float
    returncode: int
    stderr: str
    #: Peak of the summed PSS of the tree (MB).
    peak_pss_mb: float = 0.0


def tree_rss(process: psutil.Process) -> int:
    """Resident bytes of a process and all its descendants (those still alive)."""
    return tree_memory(process)[0]


def tree_memory(process: psutil.Process) -> tuple[int, int]:
    """(RSS, PSS) bytes summed over a process and all its descendants alive."""
    rss = pss = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0, 0
    for member in members:
        try:
            full = member.memory_full_info()
        except psutil.Error:
            continue
        rss += full.rss
        pss += getattr(full, "pss", full.rss)
    return rss, pss


def run_measured(command: Sequence[str], *, stdin: Path | None = None,
                 stdout: Path | None = None, env: dict[str, str] | None = None) -> Measured:
    """Run ``command`` (stdin/stdout from/to files if given), sampling its tree's memory."""
    with open(stdin or "/dev/null", "rb") as input_, open(stdout or "/dev/null", "wb") as out:
        start = time.perf_counter()
        child = subprocess.Popen(list(command), stdin=input_, stdout=out,
                                 stderr=subprocess.PIPE, env=env)
        watched = psutil.Process(child.pid)
        peak = peak_pss = 0
        while child.poll() is None:
            rss, pss = tree_memory(watched)
            peak, peak_pss = max(peak, rss), max(peak_pss, pss)
            time.sleep(SAMPLE_SECONDS)
        seconds = time.perf_counter() - start
        stderr = child.stderr.read().decode("utf-8", "replace") if child.stderr else ""
    return Measured(seconds, peak / 2**20, child.returncode, stderr, peak_pss / 2**20)
