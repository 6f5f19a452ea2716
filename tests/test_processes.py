"""A build's processes and work folders end with it, however it ends.

Each test failed on the engine before: after ``kill -9`` of the driver its worker
processes lived on (finishing their tasks into the dead run's work folder, then
waiting for ever), the ``timeline-run-*`` work folders of killed runs were never
removed, SIGTERM printed a multi-line warning about leaked semaphores, and a
``--dask`` address that is not one exited 3 (an internal error) and left its
work folder behind.

No test here asserts on time: a process that should end is waited for with a
generous bound, and the test fails only if it never ends.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import psutil
import pytest

CLI = [sys.executable, "-m", "timeline.cli"]
MONTHS = ("Januari Februari Maret April Mei Juni Juli Agustus September Oktober November "
          "Desember").split()
#: Long enough for the test to catch the build at work (whatever the machine, the run
#: is checked to be still going when it is killed).
N_DOCS = 20_000


def _corpus(path: Path, n: int = N_DOCS) -> Path:
    start = date(2012, 1, 1)
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            day = start + timedelta(days=i % 3000)
            out.write(json.dumps({
                "id": f"d{i}", "lang": "id", "published": (day + timedelta(days=1)).isoformat(),
                "text": f"Pada {day.day} {MONTHS[day.month - 1]} {day.year}, konvoi {i} tiba "
                        "di Aleppo."}) + "\n")
    return path


@pytest.fixture
def short_tmp():
    """A temporary folder with a short path: the forkserver's socket lives in it, and a
    socket's path is limited to about 100 bytes (pytest's, under xdist, are longer)."""
    folder = Path(tempfile.mkdtemp(prefix="tl-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _environment(tmp: Path) -> dict[str, str]:
    """The environment of a build whose temporary folder is ``tmp`` (only this test's
    work folders are in it)."""
    tmp.mkdir(exist_ok=True)
    return {**os.environ, "TMPDIR": str(tmp)}


def _work_folders(tmp: Path) -> list[str]:
    return sorted(p.name for p in tmp.iterdir() if p.name.startswith("timeline-run-"))


def _start_and_wait_for_workers(command: list[str], env: dict[str, str],
                                tmp: Path) -> tuple[subprocess.Popen[bytes], list[psutil.Process]]:
    """Start a build, return once its workers are at work (the work folder has texts)."""
    driver = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    watched = psutil.Process(driver.pid)
    for _ in range(1200):  # up to two minutes on a loaded machine
        spooled = [p for folder in _work_folders(tmp)
                   for p in (tmp / folder / "spool").glob("texts-*")]
        children = watched.children(recursive=True)
        if len(children) >= 4 and len(spooled) >= 2:  # tracker, forkserver, 2 workers
            return driver, children
        assert driver.poll() is None, driver.stderr.read().decode() if driver.stderr else ""
        time.sleep(0.1)
    driver.kill()
    pytest.fail("the build's workers never started")


def _wait_gone(processes: list[psutil.Process], bound: float = 60.0) -> list[psutil.Process]:
    """The processes still alive after waiting for them up to ``bound`` seconds."""
    _, alive = psutil.wait_procs(processes, timeout=bound)
    for process in alive:  # do not leave them to the next test
        process.kill()
    return alive


def test_workers_end_with_a_killed_driver_and_the_next_run_removes_its_work_folder(tmp_path, short_tmp):
    corpus = _corpus(tmp_path / "in.jsonl")
    tmp = short_tmp
    env = _environment(tmp)
    command = [*CLI, "build", str(corpus), "-o", str(tmp_path / "out"), "--workers", "2",
               "--batch-documents", "200", "--no-charts", "--quiet"]
    driver, children = _start_and_wait_for_workers(command, env, tmp)
    assert driver.poll() is None, "the build ended before it could be killed"
    driver.send_signal(signal.SIGKILL)
    driver.wait()
    assert _wait_gone(children) == []
    assert len(_work_folders(tmp)) == 1  # the killed run's: it could not remove it
    (tmp_path / "small.jsonl").write_text(
        (tmp_path / "in.jsonl").read_text(encoding="utf-8").split("\n", 1)[0] + "\n",
        encoding="utf-8")
    done = subprocess.run([*CLI, "build", str(tmp_path / "small.jsonl"), "-o",
                           str(tmp_path / "out"), "--no-charts"], env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert _work_folders(tmp) == []
    assert not [p.name for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]


def test_sigterm_ends_the_build_in_one_line_leaving_nothing_behind(tmp_path, short_tmp):
    corpus = _corpus(tmp_path / "in.jsonl")
    tmp = short_tmp
    command = [*CLI, "build", str(corpus), "-o", str(tmp_path / "out"), "--workers", "2",
               "--batch-documents", "200", "--no-charts", "--quiet"]
    driver, children = _start_and_wait_for_workers(command, _environment(tmp), tmp)
    assert driver.poll() is None, "the build ended before it could be stopped"
    driver.send_signal(signal.SIGTERM)
    _, stderr = driver.communicate(timeout=300)  # every process holding stderr has ended
    assert driver.returncode == 143
    assert stderr.decode() == "timeline build: terminated\n"
    assert _wait_gone(children) == []
    assert _work_folders(tmp) == []
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


@pytest.mark.parametrize("address", ["foo", "tcp://:x"])
def test_a_dask_address_that_is_not_one_is_a_usage_error(tmp_path, short_tmp, address):
    corpus = _corpus(tmp_path / "in.jsonl", n=3)
    tmp = short_tmp
    done = subprocess.run([*CLI, "build", str(corpus), "-o", str(tmp_path / "out"), "--dask",
                           address], env=_environment(tmp), capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"timeline build: --dask {address}: no Dask scheduler ")
    assert done.stderr.count("\n") == 1
    assert _work_folders(tmp) == []


def test_a_work_folder_in_use_is_left_and_one_of_a_dead_run_removed(tmp_path):
    from timeline.pipeline.workfolder import WorkFolder, clean_stale

    dead = tmp_path / "timeline-run-dead"
    dead.mkdir()
    (dead / "spool").mkdir()
    (dead / ".timeline-work").write_bytes(b"")
    unmarked = tmp_path / "timeline-run-of-an-earlier-version"  # may be at work: left
    unmarked.mkdir()
    other = tmp_path / "timeline-run-other-user-link"
    other.symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "keep.txt").write_text("keep", encoding="utf-8")
    with WorkFolder(tmp_path) as live:
        assert clean_stale(tmp_path) == []  # the dead one went when this one was made
        assert live.exists() and not dead.exists()
    assert not live.exists() and unmarked.exists()
    assert (tmp_path / "elsewhere" / "keep.txt").read_text(encoding="utf-8") == "keep"
