"""The one process-pool helper: results in task order, in worker processes or here, cancellable."""

from __future__ import annotations

import os
import sys

import pytest

from annotator.core.parallel import ItemStream, batched, map_in_order, worker_count, worker_pool
from tests.paths import REPO


def _square_and_pid(n: int, offset: int) -> tuple[int, int]:
    return n * n + offset, os.getpid()


def test_results_come_back_in_task_order_from_the_workers():
    pool = worker_pool(2)
    try:
        got = list(map_in_order(pool, _square_and_pid, range(40), 1))
    finally:
        if pool is not None:
            pool.shutdown()
    assert [value for value, _ in got] == [n * n + 1 for n in range(40)]
    if pool is not None:
        assert os.getpid() not in {pid for _, pid in got}


def test_without_a_pool_the_work_runs_here_and_stops_when_cancelled():
    done = []
    for value, pid in map_in_order(None, _square_and_pid, range(10), 0, cancelled=lambda: len(done) >= 3):
        done.append(value)
        assert pid == os.getpid()
    assert done == [0, 1, 4]


def test_one_worker_or_too_little_work_starts_no_processes():
    assert worker_pool(1) is None
    assert worker_pool(4, worth_it=False) is None
    assert worker_count(3) == 3 and worker_count(None) >= 1


def test_batches_keep_to_a_count_and_a_weight():
    assert list(batched(range(5), 2)) == [[0, 1], [2, 3], [4]]
    assert list(batched([5, 5, 1, 1, 1], 10, weight=lambda n: n, most=6)) == [[5, 5], [1, 1, 1]]


def _pid(_: int) -> int:
    return os.getpid()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_end_when_the_process_that_started_them_is_killed():
    import signal
    import subprocess
    import time

    script = ("import os, sys, time\n"
              "from annotator.core.parallel import worker_pool\n"
              "from tests.core.test_parallel import _pid\n"
              "pool = worker_pool(2)\n"
              "print(' '.join(str(p) for p in set(pool.map(_pid, range(8)))), flush=True)\n"
              "time.sleep(60)\n")
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=REPO)
    pids = [int(p) for p in proc.stdout.readline().split()]
    assert pids and proc.pid not in pids
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 30   # a bound for a loaded machine, not a speed requirement
    alive = pids
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = [p for p in pids if _running(p)]
    assert not alive


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def _items(task, fail_at=None):
    for i in range(task):
        if i == fail_at:
            raise ValueError(f"bad item {i} of task {task}")
        yield (task, i)


def test_item_stream_hands_back_each_task_in_order_and_skips_what_is_left():
    stream = ItemStream(_items, [450, 3, 0, 5])
    try:
        got = []
        for n, items in enumerate(stream):
            if n == 0:
                got.append(next(iter(items)))  # leave task 0 after one item: the rest is skipped
            else:
                got.extend(items)
    finally:
        stream.close()
    assert got == [(450, 0), (3, 0), (3, 1), (3, 2), (5, 0), (5, 1), (5, 2), (5, 3), (5, 4)]


def test_item_stream_raises_a_task_s_error_where_its_items_are_taken():
    stream = ItemStream(_items, [5, 2], 3)
    try:
        first, second = stream
        taken = []
        with pytest.raises(ValueError, match="bad item 3 of task 5"):
            for item in first:
                taken.append(item)
        assert taken == [(5, 0), (5, 1), (5, 2)]
        assert list(second) == [(2, 0), (2, 1)]
    finally:
        stream.close()
