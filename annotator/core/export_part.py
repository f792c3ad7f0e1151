"""Running a CSV export's queries: here in this process, or as a part of a big export in another.

`annotator.core.export` turns a label scheme and the options of an export into a recipe: the SQL
that builds finished CSV lines, with its parameters. `lines` runs a recipe on a connection. A big
export is cut into article-id ranges and each range but the first runs in a child process started
with `python -m annotator.core.export_part` (or the bundle's `--export-part`): a fresh interpreter
that imports only this module, csvsafe and sqlite3, reads its recipe on stdin, reports once its snapshot of
the file is taken, writes its lines to a file of its own and reports how many. Processes, because
SQLite hands back one row at a time and two threads trading the GIL for every row are slower than
one; fresh ones, because an SQLite connection must not cross a fork.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from annotator.core.csvsafe import CONTROLS, clean_csv_line  # re, csv and io only

FROZEN_FLAG = "--export-part"  # how the bundled app is told to run a part (packaging/entry.py)
BUSY_TIMEOUT_S = 30
READY_TIMEOUT_S = 20  # for a part to start and take its snapshot (it takes about 0.1 s)


class ExportCancelled(Exception):
    """The person stopped the export; no file was written."""


# --- running a recipe ---------------------------------------------------------------------------


def lines(conn: sqlite3.Connection, recipe: dict) -> Iterator[str]:
    """The CSV lines (no line ending) a recipe makes. Quote level: one query of lines. Article
    level: the lines after each article's own cells (from labels, and from statuses with no labels,
    merged by article and annotator) and the articles' own cells, put in front of each of its lines."""
    params = recipe["params"]
    if recipe["level"] == "quote":
        return (row[0] for row in stream(conn.execute(recipe["sql"], params)))
    return _with_heads(
        merged_by_article(stream(conn.execute(recipe["labelled"], params)),
                          stream(conn.execute(recipe["unlabelled"], params))),
        stream(conn.execute(recipe["heads"], params)))


def _with_heads(rows: Iterator[tuple], heads: Iterator[tuple]) -> Iterator[str]:
    head_id, head = 0, ""
    for article_id, _ann, line in rows:
        if article_id != head_id:
            for head_id, head in heads:  # noqa: B007 - the article's cells stay for its next rows
                if head_id >= article_id:
                    break
            if head_id != article_id:  # no such article (a join would leave such rows out too)
                continue
        yield head + line


def stream(cursor) -> Iterator[tuple]:
    while True:
        chunk = cursor.fetchmany(5000)
        if not chunk:
            return
        yield from chunk


def merged_by_article(first: Iterator[tuple], second: Iterator[tuple]) -> Iterator[tuple]:
    """Two row streams, each sorted by their first two values (article id, annotator), as one: both
    come from SQLite in the order of an index, so the 300,000 rows of a big export are never sorted
    (nor held) at once."""
    pending = next(second, None)
    if pending is None:  # the usual case: every status goes with labels
        yield from first
        return
    for row in first:
        while pending is not None and (pending[0], pending[1]) < (row[0], row[1]):
            yield pending
            pending = next(second, None)
        yield row
    if pending is not None:
        yield pending
        yield from second


def chunks(rows: Iterator, cancelled=None, size: int = 5000) -> Iterator[list]:
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        if cancelled is not None and cancelled():
            raise ExportCancelled()
        yield chunk


def write_lines(rows: Iterator[str], fh, cancelled=None, neutral: bool | None = None) -> int:
    """Write lines with CRLF endings; returns how many. With `neutral` (True or False: whether the
    export neutralises formulas) control characters are taken out of the cells (`clean_csv_line`),
    looked for once per chunk."""
    count = 0
    for chunk in chunks(rows, cancelled):
        text = "\r\n".join(chunk)
        if neutral is not None and CONTROLS.search(text):
            text = "\r\n".join(clean_csv_line(line, neutral) for line in chunk)
        fh.write(text)
        fh.write("\r\n")
        count += len(chunk)
    return count


def clean_lines(conn: sqlite3.Connection, recipe: dict) -> Iterator[str]:
    """The lines of `lines` with control characters taken out of their cells."""
    neutral = recipe.get("neutral", True)
    return (clean_csv_line(line, neutral) for line in lines(conn, recipe))


def begin_snapshot(conn: sqlite3.Connection) -> None:
    """Start a read transaction now (SQLite starts one at the first read, not at BEGIN)."""
    conn.execute("BEGIN")
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()


def open_reader(path: str | Path) -> sqlite3.Connection:
    """Read-only, as store.read_only_uri opens it (not imported: a part loads only this module)."""
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S,
                           check_same_thread=False)


# --- a part in another process ------------------------------------------------------------------


def command() -> list[str]:
    """How to start a part: this interpreter, or the bundled app with its flag."""
    if getattr(sys, "frozen", False):
        return [sys.executable, FROZEN_FLAG]
    return [sys.executable, "-m", "annotator.core.export_part"]


class Part:
    """A child process writing one range of an export to `side`. Start it while holding the
    project's write lock and call `wait_ready` before letting the lock go: the child's snapshot is
    then the one everyone else reads."""

    def __init__(self, path: Path, recipe: dict, side: Path):
        self.side = side
        self.proc = subprocess.Popen(command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        try:
            self.proc.stdin.write(pickle.dumps((str(path), recipe, str(side))))
            self.proc.stdin.close()
        except OSError:
            pass  # it died at once: wait_ready says why

    def wait_ready(self, timeout: float = READY_TIMEOUT_S) -> None:
        """Wait for the child's snapshot. Bounded: the caller holds the write lock meanwhile, and
        someone labelling in the window must not wait long for it."""
        got: list[bytes] = []
        reader = threading.Thread(target=lambda: got.append(self.proc.stdout.read(1)), daemon=True)
        reader.start()
        reader.join(timeout)
        if got == [b"R"]:
            return
        if not got:
            self.kill()   # ends the read too
            raise RuntimeError(f"an export process did not start within {timeout:g} s")
        raise RuntimeError(f"an export process could not start: {self._error()}")

    def result(self, cancelled=None) -> int:
        while self.proc.poll() is None:
            if cancelled is not None and cancelled():
                self.kill()
                raise ExportCancelled()
            time.sleep(0.02)
        out = self.proc.stdout.read().decode("ascii", "replace").strip()
        if self.proc.returncode != 0 or not out.isdigit():
            raise RuntimeError(f"an export process failed: {self._error()}")
        return int(out)

    def _error(self) -> str:
        self.proc.wait()
        err = self.proc.stderr.read().decode("utf-8", "replace").strip().splitlines()
        return err[-1] if err else f"exit status {self.proc.returncode}"

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()

    def close(self) -> None:
        self.kill()
        for pipe in (self.proc.stdout, self.proc.stderr):
            pipe.close()


def main() -> int:
    """A part: recipe on stdin; 'R' on stdout once reading, then the number of lines written.
    Plain file descriptors, not sys.stdin/sys.stdout: a windowed (frozen) app has none of those."""
    with open(0, "rb", closefd=False) as stdin:
        path, recipe, side = pickle.loads(stdin.read())
    conn = open_reader(path)
    begin_snapshot(conn)
    os.write(1, b"R")
    with open(side, "w", encoding="utf-8", newline="") as fh:
        count = write_lines(lines(conn, recipe), fh, neutral=recipe.get("neutral", True))
    os.write(1, str(count).encode("ascii"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
