"""Running a build's batches on a Dask cluster (``timeline build --dask ADDRESS``).

The tasks are those of a local build (:mod:`timeline.pipeline.tasks`), submitted to a
running ``dask.distributed`` scheduler; their results are read back in task
order, so the chronology is the one a local build writes. The workers read the
corpus files and the run's work folder (``--work-dir``) by path: on several
machines, give a folder they all see (a shared file system).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from timeline.errors import UsageError

T = TypeVar("T")
R = TypeVar("R")

#: Tasks in flight per worker thread of the cluster (bounds the driver's memory).
IN_FLIGHT_PER_THREAD = 2


#: Seconds a build waits for the scheduler to answer (a scheduler still starting is
#: waited for), after which it stops with a usage error.
CONNECT_SECONDS = 20


def connect(address: str) -> Any:
    """A client of the scheduler at ``address``, or a clear error."""
    # Imported here: dask.distributed takes about a second to import, which only a
    # build with --dask pays.
    from distributed import Client

    try:
        return Client(address, timeout=f"{CONNECT_SECONDS}s")
    except (OSError, ValueError, TypeError) as exc:  # no answer, or not an address at all
        raise UsageError(f"--dask {address}: no Dask scheduler answers there ({exc}); start "
                         "one with `dask scheduler` and workers with `dask worker ADDRESS`, "
                         "and give the address it prints (tcp://host:8786)") from None


def ordered_submit(client: Any, function: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
    """``function`` over ``tasks`` on the cluster, results in task order, a bounded
    number in flight."""
    threads = sum(client.nthreads().values()) or 1
    in_flight = IN_FLIGHT_PER_THREAD * threads
    pending: deque[Any] = deque()
    try:
        for task in tasks:
            pending.append(client.submit(function, task, pure=False))
            if len(pending) >= in_flight:
                future = pending.popleft()
                yield future.result()
                future.release()
        while pending:
            future = pending.popleft()
            yield future.result()
            future.release()
    finally:
        for future in pending:
            future.cancel()
