"""The one process-pool helper: results in task order, in worker processes or here, cancellable."""

from __future__ import annotations

import os
import sys

import pytest

from annotator.core.parallel import batched, map_in_order, worker_count, worker_pool
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
