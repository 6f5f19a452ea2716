"""Work spread over local processes, results in input order, memory bounded.

Per-document stages (tagging, event extraction) are independent from one
document to the next, so a batch of documents is a unit of work. The standard
library's ``Pool.imap`` reads its whole input ahead (memory grows with the
corpus); :func:`ordered_map` keeps at most ``in_flight`` batches in flight and
yields the results in the order the batches came in, so the output is the same
whatever the number of workers.

Worker processes end with their driver: each watches a pipe whose only writing
end the driver holds (:class:`WorkerPool`), and exits as soon as it closes, which
the system does when the driver ends, however it ends (``kill -9`` included).
Without it, the workers of a killed build lived on, finishing their tasks into
a work folder no one would read.

>>> list(ordered_map(len, [[1, 2], [3]], workers=1))
[2, 1]
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.connection import Connection
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def start_method() -> str:
    """How worker processes start: ``forkserver`` where there is one (a fork of a
    process that runs threads, as polars does, may deadlock), else ``spawn``."""
    methods = multiprocessing.get_all_start_methods()
    return "forkserver" if "forkserver" in methods and sys.platform != "darwin" else "spawn"


def ordered_map(function: Callable[[T], R], items: Iterable[T], *, workers: int,
                initializer: Callable[..., Any] | None = None, initargs: tuple[Any, ...] = (),
                in_flight: int | None = None, method: str | None = None,
                pool: ProcessPoolExecutor | None = None) -> Iterator[R]:
    """``map(function, items)`` over ``workers`` processes, in order.

    With ``workers <= 1`` everything runs in this process (``initializer`` is called
    once first). ``function`` and ``initializer`` must be importable top-level
    functions. At most ``in_flight`` items (default: two per worker) are read ahead.
    An exception in a worker is raised here, for the item that caused it; when the
    caller stops early (a closed pipe, an interrupt) the pending work is cancelled.
    A ``pool`` given (see :func:`process_pool`) is used and left running, so that
    successive maps pay for starting and warming their processes once.
    """
    if workers <= 1:
        if initializer is not None:
            initializer(*initargs)
        for item in items:
            yield function(item)
        return
    in_flight = in_flight or 2 * workers
    owned = pool is None
    if pool is None:
        pool = process_pool(workers, initializer, initargs, method)
    pending: deque[Future[R]] = deque()
    try:
        iterator = iter(items)
        for item in iterator:
            pending.append(pool.submit(function, item))
            if len(pending) >= in_flight:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    except BaseException:
        if owned and isinstance(pool, WorkerPool):
            pool.stop()  # interrupted or failed: the workers end now
        raise
    finally:
        for future in pending:
            future.cancel()
        if owned:
            pool.shutdown(wait=True, cancel_futures=True)


#: Status of a worker that ends because its driver has ended.
ORPHANED = 70


def _watch_driver(lifeline: Connection) -> None:
    """End this worker when the driver's end of the lifeline closes."""
    try:
        while True:
            lifeline.recv_bytes()  # the driver never writes: returns only at EOF
    except (EOFError, OSError):
        pass
    os._exit(ORPHANED)


def _start_worker(lifeline: Connection, initializer: Callable[..., Any] | None,
                  initargs: tuple[Any, ...]) -> None:
    threading.Thread(target=_watch_driver, args=(lifeline,), daemon=True,
                     name="timeline-lifeline").start()
    if initializer is not None:
        initializer(*initargs)


class WorkerPool(ProcessPoolExecutor):
    """A process pool whose workers end with this process (see the module docstring).

    :meth:`stop` ends them at once (an interrupted run does not wait for their tasks).
    """

    def __init__(self, workers: int, context: Any,
                 initializer: Callable[..., Any] | None = None,
                 initargs: tuple[Any, ...] = ()) -> None:
        reader, writer = context.Pipe(duplex=False)
        self._lifeline: tuple[Connection, Connection] | None = (reader, writer)
        super().__init__(workers, mp_context=context, initializer=_start_worker,
                         initargs=(reader, initializer, initargs))

    def _cut_lifeline(self) -> None:
        if self._lifeline is not None:
            for end in self._lifeline:
                with contextlib.suppress(OSError):
                    end.close()
            self._lifeline = None

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        super().shutdown(wait=wait, cancel_futures=cancel_futures)
        if wait:
            self._cut_lifeline()

    def stop(self) -> None:
        """End the workers now, whatever they are doing, and shut the pool down.

        The workers are ended here, not left to the executor: its shutdown waits on a
        management thread that may itself wait for workers already gone."""
        self._cut_lifeline()
        workers = list((getattr(self, "_processes", None) or {}).values())
        _terminate(workers)
        super().shutdown(wait=False, cancel_futures=True)
        _reap(workers)


def end_children(grace: float = 5.0) -> None:
    """End every worker process this process started that is still alive: terminated,
    then killed after ``grace`` seconds. A run stopped by a signal calls it last, so that
    none is left behind whatever moment the signal came at (a pool still being made
    is not yet the run's to stop, and the executors' exit would wait for its workers)."""
    children = multiprocessing.active_children()
    _terminate(children)
    _reap(children, grace)


def _terminate(processes: list[Any]) -> None:
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()


def _reap(processes: list[Any], grace: float = 5.0) -> None:
    """Wait up to ``grace`` seconds for each of ``processes`` to end; kill it if it has not."""
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(timeout=grace)
            if process.is_alive():
                process.kill()


def process_pool(workers: int, initializer: Callable[..., Any] | None = None,
                 initargs: tuple[Any, ...] = (), method: str | None = None) -> WorkerPool:
    """``workers`` processes, each running ``initializer`` once before its first task,
    each ending when this process ends."""
    context = multiprocessing.get_context(method or start_method())
    return WorkerPool(workers, context, initializer, initargs)
