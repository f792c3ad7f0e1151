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
import pickle
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


def can_fork() -> bool:
    """True when a process can be forked safely (and at once): Linux, and no other thread running here."""
    return threading.active_count() == 1 and sys.platform == "linux"


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

    method = "fork" if can_fork() else "spawn"
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


class ItemStream:
    """fn(task, *args), an iterator, for each task in turn in ONE other process, its items handed back
    in batches: a big file is read on the other core while this process stores what was read.

        stream = ItemStream(fn, tasks, *args)   # only when can_fork(): before threads of your own
        for items in stream:                    # one iterator a task, in task order
            for item in items: ...              # leaving one early skips the rest of its items
        stream.close()                          # ends the process (also when not all was read)

    At most `ahead` batches wait in the queue, so memory stays flat however fast the reading. An
    exception fn raises is raised here, where its task's items are taken.
    """

    def __init__(self, fn: Callable[..., Iterable], tasks: list, *args, batch: int = 200, ahead: int = 8):
        import multiprocessing

        context = multiprocessing.get_context("fork" if can_fork() else "spawn")
        self._tasks = len(tasks)
        self._queue = context.Queue(maxsize=ahead)
        self._process = context.Process(target=_stream_items, name="import-reader", daemon=True,
                                        args=(self._queue, os.getpid(), fn, tasks, args, batch))
        self._process.start()

    def __iter__(self) -> Iterator[Iterator]:
        for number in range(self._tasks):
            yield self._items(number)

    def _items(self, number: int) -> Iterator:
        import queue

        while True:
            try:
                task, kind, payload = self._queue.get(timeout=1.0)
            except queue.Empty:
                if not self._process.is_alive() and self._queue.empty():
                    raise RuntimeError("the reader process ended unexpectedly") from None
                continue
            if task < number:  # what is left of a task whose reading stopped early
                continue
            if kind == "items":
                yield from payload
            elif kind == "error":
                raise payload
            else:  # "end"
                return

    def close(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join(timeout=5)
        self._queue.close()
        self._queue.cancel_join_thread()


def _stream_items(out, parent: int, fn, tasks: list, args: tuple, batch: int) -> None:
    """In the stream's process: every task's items, in batches, then an end mark (or the error)."""
    _end_with(parent)
    for number, task in enumerate(tasks):
        items: list = []
        try:
            for item in fn(task, *args):
                items.append(item)
                if len(items) >= batch:
                    out.put((number, "items", items))
                    items = []
        except Exception as exc:  # noqa: BLE001 (handed to the taking side, raised there)
            if items:
                out.put((number, "items", items))
            try:
                pickle.loads(pickle.dumps(exc))
            except Exception:  # noqa: BLE001 (an exception that does not pickle goes as its words)
                exc = RuntimeError(f"{type(exc).__name__}: {exc}")
            out.put((number, "error", exc))
            continue
        if items:
            out.put((number, "items", items))
        out.put((number, "end", None))
    out.close()
    out.join_thread()
