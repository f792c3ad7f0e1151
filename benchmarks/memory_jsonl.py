"""Memory of a big import: `annotator import` of a 200 MB JSON Lines file, peak RSS of the importing
process and its workers (summed, polled from /proc every 20 ms). The budget is 300 MB.

By default the import runs as a user's install has it: without pandas, which only the test extra
brings and which sqlite-utils imports (about 40 MB in every process) when it is there.
`--with-test-extras` measures the development environment as it is.

    python benchmarks/memory_jsonl.py [--mb 200] [--no-detect] [--workers N] [--with-test-extras]

Prints the file size, articles, time, and peak memory; exits 1 when the peak is over --budget.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ("council minister budget harbour school ferry election vote plan city river energy price court "
         "police report hospital union strike rail housing climate tax farmers market").split()


def write_jsonl(path: Path, megabytes: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    target = megabytes * 1024 * 1024
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        while fh.tell() < target:
            paragraphs = []
            for _ in range(rng.randint(3, 9)):
                words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(30, 90)))
                if rng.random() < 0.5:
                    words += f' "We will {rng.choice(WORDS)} the {rng.choice(WORDS)} now," said Anna Berg{n % 50}.'
                paragraphs.append(words.capitalize() + ".")
            record = {"title": f"Story {n}", "outlet": f"Outlet {n % 40}", "published": "2024-05-01",
                      "url": f"https://example.org/{n}", "text": "\n\n".join(paragraphs)}
            fh.write(json.dumps(record) + "\n")
            n += 1
    return n


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(x) for x in fh.read().split()]
    except OSError:
        return []


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(_children(p))
    return out


def _pss_kb(pid: int) -> int:
    """Proportional set size: shared pages (the Python binary, libraries) split between processes."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--budget", type=int, default=300, help="MB")
    parser.add_argument("--no-detect", action="store_true")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--with-test-extras", action="store_true",
                        help="leave pandas importable (it is not installed for users)")
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="annotator-memory-"))
    try:
        source = folder / "big dump.jsonl"
        t = time.monotonic()
        n = write_jsonl(source, args.mb)
        print(f"wrote {source.stat().st_size / 1e6:.0f} MB, {n} articles in {time.monotonic() - t:.0f} s")
        cmd = [sys.executable, "-m", "annotator", "import", str(folder / "p.db"), str(source), "--json"]
        if args.no_detect:
            cmd.append("--no-detect")
        if args.workers:
            cmd += ["--workers", str(args.workers)]
        env = dict(os.environ)
        if not args.with_test_extras:
            hidden = folder / "hidden"
            for name in ("pandas",):
                (hidden / name).mkdir(parents=True)
                (hidden / name / "__init__.py").write_text("raise ImportError('not installed for users')\n")
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(hidden), env.get("PYTHONPATH")]))
        print("environment: " + ("development (pandas importable)" if args.with_test_extras else
                                 "as installed for users (the test-only pandas hidden)"))
        t = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        peak_total = peak_main = peak_pss = 0
        most_procs = 1
        polls = 0
        while proc.poll() is None:
            pids = _tree(proc.pid)
            sizes = [_rss_kb(p) for p in pids]
            peak_total = max(peak_total, sum(sizes))
            if polls % 10 == 0:
                peak_pss = max(peak_pss, sum(_pss_kb(p) for p in pids))
            polls += 1
            peak_main = max(peak_main, sizes[0])
            most_procs = max(most_procs, len(pids))
            time.sleep(0.02)
        out, err = proc.communicate()
        elapsed = time.monotonic() - t
        if proc.returncode != 0:
            print(err[-3000:], file=sys.stderr)
            return 2
        report = json.loads(out)
        largest_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(f"imported {report['articles_imported']} articles, {report['quotes_detected']} quotes detected, "
              f"in {elapsed:.0f} s")
        print(f"peak RSS, importing process and workers summed: {peak_total / 1024:.0f} MB "
              f"(up to {most_procs} processes; budget {args.budget} MB)")
        print(f"peak PSS summed (shared pages counted once): {peak_pss / 1024:.0f} MB")
        print(f"peak RSS of the importing process alone: {peak_main / 1024:.0f} MB; "
              f"largest single process (getrusage): {largest_child / 1024:.0f} MB")
        print(f"project file: {(folder / 'p.db').stat().st_size / 1e6:.0f} MB")
        return 0 if peak_total / 1024 <= args.budget else 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
