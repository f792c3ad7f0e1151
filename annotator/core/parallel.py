"""Work spread over the machine's cores: one process pool helper for import, detection and `quotes`.

    pool = worker_pool(workers, tasks_hint)       # None: not worth starting processes
    for result in map_in_order(pool, fn, tasks):  # fn(task) in the pool (or here), results in task order
        ...

A bounded window of tasks is in flight (memory stays flat however many tasks there are, even when
the workers outpace the consumer), results come back in the order of the tasks, and a `cancelled`
callable stops the work between tasks.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

MAX_WORKERS = 8


def worker_count(workers: int | None = None) -> int:
    """The processes to use: `workers` when given, else one a core this process may use (at most MAX_WORKERS)."""
    if workers is None:
        try:
            cores = len(os.sched_getaffinity(0))   # the cores this process may run on (taskset, cgroups)
        except (AttributeError, OSError):   # not on every platform
            cores = os.cpu_count() or 1
        workers = min(cores, MAX_WORKERS)
    return max(1, workers)


def worker_pool(workers: int | None, worth_it: bool = True) -> ProcessPoolExecutor | None:
    """Worker processes, or None when one process will do (one core, or too little work to pay for them).

    Forked when this process runs no other thread (the command line: instant; make the pool before
    starting threads of your own); spawned otherwise (the window's worker threads, macOS), which is safe.
    """
    workers = worker_count(workers)
    if workers <= 1 or not worth_it:
        return None
    import multiprocessing  # here, not at start-up: most commands start no processes
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if threading.active_count() == 1 and sys.platform == "linux" else "spawn"
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method),
                               initializer=_end_with, initargs=(os.getpid(),))


def _end_with(parent: int) -> None:
    """In each worker: end when the process that started it is gone (killed, say), instead of
    waiting on its queue for ever."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()


def map_in_order(pool: ProcessPoolExecutor | None, fn: Callable[..., Any], tasks: Iterable, *args,
                 cancelled: Callable[[], bool] | None = None, ahead: int = 2) -> Iterator[Any]:
    """fn(task, *args) for every task, in the pool's processes (in this one without a pool), in task order.

    At most `ahead` tasks a worker are in flight. With `cancelled`, stops between tasks once it returns
    True (tasks not started yet are dropped). fn must be a module-level function (the pool pickles it).
    """
    tasks = iter(tasks)
    if pool is None:
        for task in tasks:
            if cancelled and cancelled():
                return
            yield fn(task, *args)
        return
    pending = deque(pool.submit(fn, task, *args) for task in islice(tasks, pool._max_workers * ahead))
    try:
        while pending:
            result = pending.popleft().result()
            if not (cancelled and cancelled()):
                nxt = next(tasks, None)
                if nxt is not None:
                    pending.append(pool.submit(fn, nxt, *args))
            yield result
            if cancelled and cancelled():
                return
    finally:
        for future in pending:
            future.cancel()


def batched(items: Iterable, size: int, weight: Callable[[Any], int] | None = None, most: int = 0) -> Iterator[list]:
    """Lists of up to `size` items (and, with `weight`, of about `most` in summed weight at most)."""
    batch: list = []
    total = 0
    for item in items:
        batch.append(item)
        total += weight(item) if weight else 0
        if len(batch) >= size or (weight and total >= most):
            yield batch
            batch, total = [], 0
    if batch:
        yield batch
