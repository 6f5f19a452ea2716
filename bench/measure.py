"""Time and peak memory of a whole command and every process it starts.

Two peaks are sampled over the command's process tree (psutil; RSS every 20 ms,
PSS every 200 ms): the largest sum of resident set sizes (RSS; pages shared between processes, such as
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
#: PSS is read every this many samples (reading smaps is not free).
PSS_EVERY = 10


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
    return tree_memory(process, pss=False)[0]


def tree_memory(process: psutil.Process, *, pss: bool = True) -> tuple[int, int]:
    """(RSS, PSS) bytes summed over a process and all its descendants alive (PSS 0
    unless asked: it reads each process's smaps, which costs CPU time)."""
    rss_total = pss_total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0, 0
    for member in members:
        try:
            if pss:
                full = member.memory_full_info()
                rss_total += full.rss
                pss_total += getattr(full, "pss", full.rss)
            else:
                rss_total += member.memory_info().rss
        except psutil.Error:
            continue
    return rss_total, pss_total


def run_measured(command: Sequence[str], *, stdin: Path | None = None,
                 stdout: Path | None = None, env: dict[str, str] | None = None) -> Measured:
    """Run ``command`` (stdin/stdout from/to files if given), sampling its tree's memory."""
    with open(stdin or "/dev/null", "rb") as input_, open(stdout or "/dev/null", "wb") as out:
        start = time.perf_counter()
        child = subprocess.Popen(list(command), stdin=input_, stdout=out,
                                 stderr=subprocess.PIPE, env=env)
        watched = psutil.Process(child.pid)
        peak = peak_pss = 0
        samples = 0
        while child.poll() is None:
            rss, pss = tree_memory(watched, pss=samples % PSS_EVERY == 0)
            peak, peak_pss = max(peak, rss), max(peak_pss, pss)
            samples += 1
            time.sleep(SAMPLE_SECONDS)
        seconds = time.perf_counter() - start
        stderr = child.stderr.read().decode("utf-8", "replace") if child.stderr else ""
    return Measured(seconds, peak / 2**20, child.returncode, stderr, peak_pss / 2**20)
