"""Crash safety of import with detection: kill `annotator import` with SIGKILL at random moments and
check that the project is sound and that every article in it has all its quotes and mentions.

Import detects in its reader processes and stores each article with its quotes in one transaction,
so a kill may lose the group of files in flight, never leave an article without (or with half of)
its quotes. The reference is one import run to the end; after each kill the same import is run
again to the end and must give the reference's counts.

    python benchmarks/import_crash_test.py [--kills 20] [--seed 1] [--corpus DIR]

Prints kills, articles found without their quotes (must be 0) and damaged files; exits 1 on any.
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
POLNEAR = REPO.parent / "shared" / "corpus" / "polnear-train" / "text"

_COUNTS = ("SELECT a.uid, (SELECT count(*) FROM quotes q WHERE q.article_id = a.id), "
           "(SELECT count(*) FROM mentions m WHERE m.article_id = a.id) FROM articles a")


def counts(path: Path) -> tuple[str, dict[str, tuple[int, int]]]:
    conn = sqlite3.connect(path)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        return integrity, {uid: (q, m) for uid, q, m in conn.execute(_COUNTS)}
    finally:
        conn.close()


def run_import(db: Path, folder: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "annotator", "import", str(db), str(folder)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=REPO)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path,
                        help="a folder of .txt articles (default: polnear-train, else synthetic)")
    parser.add_argument("--synthetic-mb", type=float, default=0,
                        help="use a synthetic corpus of this size instead (over 10 MB: more than one commit group)")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="annotator-import-crash-"))
    folder = args.corpus or (POLNEAR if POLNEAR.is_dir() and not args.synthetic_mb else None)
    if folder is None:
        from detect_bench import write_synthetic

        folder = tmp / "text"
        write_synthetic(folder, args.synthetic_mb or 12.0)
    try:
        reference = tmp / "reference.db"
        start = time.monotonic()
        proc = run_import(reference, folder)
        proc.wait()
        full_s = time.monotonic() - start
        _, expected = counts(reference)
        print(f"corpus: {folder} ({len(expected)} articles, a whole import {full_s:.1f} s)")
        partial = damaged = lost = rerun_wrong = 0
        for run in range(args.kills):
            db = tmp / f"run{run}.db"
            proc = run_import(db, folder)
            time.sleep(rng.uniform(0.2, full_s))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            integrity, found = counts(db) if db.exists() else ("ok", {})
            if integrity != "ok":
                damaged += 1
                print(f"run {run}: integrity_check: {integrity}")
            partial += 0 < len(found) < len(expected)
            wrong = [uid for uid, got in found.items() if got != expected.get(uid)]
            lost += len(wrong)
            if wrong:
                print(f"run {run}: {len(wrong)} articles stored without all their quotes and mentions")
            proc = run_import(db, folder)   # the same import again, to the end
            proc.wait()
            _, again = counts(db)
            if again != expected:
                rerun_wrong += 1
                print(f"run {run}: importing again did not give the reference's quotes")
            for p in tmp.glob(f"run{run}.db*"):
                shutil.rmtree(p) if p.is_dir() else p.unlink()
        print(f"kills: {args.kills} ({partial} with part of the corpus stored)")
        print(f"articles without all their quotes and mentions: {lost}")
        print(f"damaged files: {damaged}; re-imports that differ from the reference: {rerun_wrong}")
        return 1 if lost or damaged or rerun_wrong else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
