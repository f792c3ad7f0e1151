"""Import article files into a project: read (on several cores), skip duplicates, report every file.

Each file is stored whole or not at all: its articles go in under a savepoint that is rolled back if
its reader reports a problem. Files are committed in groups, so a crash loses at most the group in
flight, and importing again skips what is already there (same uid).
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable
from itertools import islice
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field

from typing import TYPE_CHECKING

from annotator.core.ingest import ReadOptions, read_source
from annotator.core.ingest.source import Source, iter_sources
from annotator.core.records import Article, ImportProblem

if TYPE_CHECKING:
    from annotator.core.store import Project

# The store (and with it sqlite-utils) is imported where it is used, not here: reader processes
# import this module for `read_whole` and need no database code (about 13 MB less in each).

# Files at most this big are read in worker processes and sent back whole; bigger ones stream here.
POOL_MAX_BYTES = 4 * 1024 * 1024
COMMIT_EVERY_ARTICLES = 2000
POOL_CHUNK = 32  # files a worker reads per task
_INSERT = (
    "INSERT OR IGNORE INTO articles (uid, title, outlet, authors, published, url, language, text, "
    "source_path, source_index, imported_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
)

_INSERT_REPORT = (
    "INSERT INTO imports (path, status, message, line, row, article_count, duplicate_count, time) "
    "VALUES (?,?,?,?,?,?,?,?)"
)

Progress = Callable[[int, int, str], None]  # (files done, files in all, current path)


@dataclass
class FileReport:
    path: str
    status: str  # imported | duplicate | failed | skipped (a folder's non-article file, e.g. a manifest)
    message: str = ""
    article_count: int = 0
    duplicate_count: int = 0
    line: int | None = None
    row: int | None = None


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)
    cancelled: bool = False
    detection: object | None = None  # quotes.DetectReport when detection ran

    @property
    def imported_articles(self) -> int:
        return sum(f.article_count for f in self.files)

    @property
    def duplicate_articles(self) -> int:
        return sum(f.duplicate_count for f in self.files)

    @property
    def failed(self) -> list[FileReport]:
        return [f for f in self.files if f.status == "failed"]

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    def to_dict(self) -> dict:
        return {
            "files": len(self.files),
            "imported_files": self.count("imported"),
            "duplicate_files": self.count("duplicate"),
            "failed_files": self.count("failed"),
            "skipped_files": self.count("skipped"),
            "articles_imported": self.imported_articles,
            "articles_duplicate": self.duplicate_articles,
            "cancelled": self.cancelled,
            "quotes_detected": getattr(self.detection, "quotes", 0),
            "failures": [asdict(f) for f in self.failed],
            "report": [asdict(f) for f in self.files],
        }

    def summary(self) -> str:
        text = (
            f"{self.imported_articles} articles imported from {self.count('imported')} files; "
            f"{self.duplicate_articles} duplicates skipped; {self.count('failed')} files failed"
        )
        if self.detection is not None:
            text += f"; {self.detection.quotes} quotes detected"
        if self.count("skipped"):
            text += f"; {self.count('skipped')} non-article files skipped"
        return text + (" (cancelled)" if self.cancelled else "")


def read_whole(source: Source, options: ReadOptions) -> tuple[Source, list[Article] | ImportProblem]:
    """Worker side: all articles of a small file, or its problem. Module-level so a pool can pickle it."""
    articles = []
    for item in read_source(source, options):
        if isinstance(item, ImportProblem):
            return source, item
        item.uid  # noqa: B018 (hash here, on the worker's core, not in the writer)
        articles.append(item)
    return source, articles


def read_chunk(sources: list[Source], options: ReadOptions) -> list[tuple[Source, list[Article] | ImportProblem]]:
    return [read_whole(source, options) for source in sources]


def import_paths(
    project: Project,
    paths: Iterable[str | os.PathLike],
    options: ReadOptions | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    workers: int | None = None,
    detect: bool = True,
) -> ImportReport:
    """Import files, folders and zip archives; returns a report with one row per file tried.

    With `detect`, quotes and speakers of the new articles are detected afterwards (stored as auto).
    """
    options = options or ReadOptions()
    report = ImportReport()
    last_id_before = project.conn.execute("SELECT ifnull(max(id), 0) FROM articles").fetchone()[0]
    sources: list[Source] = []
    for item in iter_sources(list(paths)):
        if isinstance(item, ImportProblem):
            report.files.append(FileReport(item.path, "failed", item.message))
        else:
            sources.append(item)
    total = len(sources) + len(report.files)
    writer = _Writer(project, report)
    small = [s for s in sources if s.size <= POOL_MAX_BYTES]
    large = [s for s in sources if s.size > POOL_MAX_BYTES]
    done = len(report.files)
    try:
        for source, result in _read_many(small, options, workers, cancelled):
            writer.add_file(source.path, result)
            done += 1
            if progress:
                progress(done, total, source.path)
        for source in large:
            if cancelled and cancelled():
                break
            writer.add_stream(source.path, read_source(source, options))
            done += 1
            if progress:
                progress(done, total, source.path)
    finally:
        writer.close()
    report.cancelled = bool(cancelled and cancelled()) and done < total
    if detect and not report.cancelled and report.imported_articles:
        from annotator.core.quotes import run_detection

        new_ids = [r[0] for r in project.conn.execute("SELECT id FROM articles WHERE id > ?", (last_id_before,))]
        report.detection = run_detection(project, new_ids, progress=progress, cancelled=cancelled, workers=workers)
    return report


def _read_many(sources: list[Source], options: ReadOptions, workers: int | None, cancelled):
    if workers is None:
        workers = min(os.cpu_count() or 1, 8)
    if workers <= 1 or len(sources) < 64:
        for source in sources:
            if cancelled and cancelled():
                return
            yield read_whole(source, options)
        return
    ctx = multiprocessing.get_context("spawn")  # safe from a GUI thread, unlike fork
    chunks = (sources[i : i + POOL_CHUNK] for i in range(0, len(sources), POOL_CHUNK))
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        # A bounded window of chunks in flight: memory stays flat however many files there are,
        # even when the readers outpace the writer.
        pending = deque(pool.submit(read_chunk, chunk, options) for chunk in islice(chunks, workers * 3))
        try:
            while pending:
                results = pending.popleft().result()
                nxt = next(chunks, None)
                if nxt is not None:
                    pending.append(pool.submit(read_chunk, nxt, options))
                for item in results:
                    yield item
                if cancelled and cancelled():
                    break
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


class _Writer:
    """Stores files in grouped transactions, a savepoint per file."""

    def __init__(self, project: Project, report: ImportReport):
        from annotator.core.store import utc_now

        self.project = project
        self.conn = project.conn
        self.report = report
        self.pending_articles = 0
        self.pending_reports: list[tuple] = []
        self.now = utc_now()

    def _ensure_transaction(self):
        if not self.conn.in_transaction:
            from annotator.core.store import begin_immediate

            begin_immediate(self.conn)

    def _maybe_commit(self):
        if self.pending_articles >= COMMIT_EVERY_ARTICLES:
            self._commit()

    def _commit(self):
        if self.pending_reports:
            self.conn.executemany(_INSERT_REPORT, self.pending_reports)
            self.pending_reports.clear()
        if self.conn.in_transaction:
            self.conn.execute("COMMIT")
        self.pending_articles = 0

    def close(self):
        if self.pending_reports and not self.conn.in_transaction:
            self._ensure_transaction()
        self._commit()

    def add_file(self, path: str, result: list[Article] | ImportProblem):
        if isinstance(result, ImportProblem):
            status = "skipped" if result.skipped else "failed"
            self._record(FileReport(path, status, result.message, line=result.line, row=result.row))
            return
        # A read-whole file is complete already: one statement stores it, no savepoint needed.
        self._ensure_transaction()
        inserted = self.conn.executemany(_INSERT, [_row(a, self.now) for a in result]).rowcount
        self._record_stored(path, len(result), inserted)

    def add_stream(self, path: str, items):
        self._ensure_transaction()
        self.conn.execute("SAVEPOINT import_file")
        inserted = 0  # cursor.rowcount: rows this statement inserted, not counting FTS trigger writes
        count = 0
        batch = []
        problem = None
        try:
            for item in items:
                if isinstance(item, ImportProblem):
                    problem = item
                    break
                batch.append(_row(item, self.now))
                count += 1
                if len(batch) >= 500:
                    inserted += self.conn.executemany(_INSERT, batch).rowcount
                    batch.clear()
            if batch and problem is None:
                inserted += self.conn.executemany(_INSERT, batch).rowcount
        except BaseException:
            self.conn.execute("ROLLBACK TO import_file")
            self.conn.execute("RELEASE import_file")
            raise
        if problem is not None:
            self.conn.execute("ROLLBACK TO import_file")
            self.conn.execute("RELEASE import_file")
            status = "skipped" if problem.skipped else "failed"
            self._record(FileReport(path, status, problem.message, line=problem.line, row=problem.row))
            return
        self.conn.execute("RELEASE import_file")
        self._record_stored(path, count, inserted)

    def _record_stored(self, path: str, count: int, inserted: int):
        duplicates = count - inserted
        if inserted == 0:
            status = "duplicate"
            message = "already in the project" if count == 1 else f"all {count} articles already in the project"
        else:
            status = "imported"
            message = f"{duplicates} already in the project" if duplicates else ""
        self.pending_articles += count
        self._record(FileReport(path, status, message, inserted, duplicates))

    def _record(self, row: FileReport):
        self._ensure_transaction()
        self.report.files.append(row)
        self.pending_reports.append(
            (row.path, row.status, row.message, row.line, row.row, row.article_count, row.duplicate_count, self.now)
        )
        self.pending_articles += 1
        self._maybe_commit()


def _row(article: Article, now: str) -> tuple:
    return (
        article.uid,
        article.title,
        article.outlet,
        json.dumps(article.authors, ensure_ascii=False) if article.authors else None,
        article.published,
        article.url,
        article.language,
        article.text,
        article.source_path,
        article.source_index,
        now,
    )
