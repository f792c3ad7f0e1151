"""Import article files into a project: read and detect quotes (on several cores), skip duplicates,
report every file.

Each file is stored whole or not at all: its articles go in under a savepoint that is rolled back if
its reader reports a problem. Files are committed in groups, so a crash loses at most the group in
flight, and importing again skips what is already there (same uid). The reader processes also detect
the quotes of what they read, and each article is stored with its quotes, mentions and entity links
in the same transaction (streamed big files are detected once they are stored).
"""

from __future__ import annotations

import json
import os
import queue
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from annotator.core.ingest import ReadOptions, read_source
from annotator.core.ingest.source import Source, iter_sources
from annotator.core.ingest.split import read_part
from annotator.core.parallel import batched, map_in_order, worker_pool
from annotator.core.records import Article, ImportProblem

if TYPE_CHECKING:
    from annotator.core.store import Project

# The store (and with it sqlite-utils) is imported where it is used, not here: reader processes
# import this module for `read_whole` and need no database code (about 13 MB less in each).

# Files at most this big are read in worker processes and sent back whole; bigger ones stream here.
POOL_MAX_BYTES = 8 * 1024 * 1024
POOL_MIN_BYTES = 8 * 1024 * 1024  # fewer than 64 files are read by reader processes only from this much
COMMIT_EVERY_ARTICLES = 2000
POOL_CHUNK = 32  # files a worker reads per task, at most
POOL_CHUNK_BYTES = 1024 * 1024  # and about this much input
# A batch is stored by one multi-row INSERT: one statement, run with the GIL released, stores all of
# it. (executemany takes the GIL back after every row, and with the reading thread busy each row then
# waits for a thread switch: many times slower.)
_COLUMNS = (
    "uid, title, outlet, authors, published, url, language, text, source_path, source_index, imported_at, source_id"
)
_ROW_MARKS = "(" + ",".join("?" * 12) + ")"
INSERT_ROWS = 500  # rows a statement: 6,000 parameters, well under SQLite's limit of 32,766


def _insert_rows(conn, rows: list[tuple]) -> int:
    """Insert rows (skipping known uids); returns how many were new."""
    inserted = 0
    for start in range(0, len(rows), INSERT_ROWS):
        part = rows[start : start + INSERT_ROWS]
        sql = f"INSERT OR IGNORE INTO articles ({_COLUMNS}) VALUES " + ",".join([_ROW_MARKS] * len(part))
        inserted += conn.execute(sql, [value for row in part for value in row]).rowcount
    return inserted

def _insert_rows_returning(conn, rows: list[tuple]) -> list[tuple[int, str]]:
    """Insert rows (skipping known uids and source ids); returns (id, uid) of each new one."""
    new: list[tuple[int, str]] = []
    for start in range(0, len(rows), INSERT_ROWS):
        part = rows[start : start + INSERT_ROWS]
        sql = f"INSERT OR IGNORE INTO articles ({_COLUMNS}) VALUES " + ",".join([_ROW_MARKS] * len(part)) \
            + " RETURNING id, uid"
        new.extend(conn.execute(sql, [value for row in part for value in row]).fetchall())
    return new


_EXISTING = "SELECT uid FROM articles WHERE uid IN (SELECT value FROM json_each(?))"
_EXISTING_SOURCE_IDS = "SELECT source_id FROM articles WHERE source_id IN (SELECT value FROM json_each(?))"

_INSERT_REPORT = (
    "INSERT INTO imports (path, status, message, line, row, article_count, duplicate_count, time, reader) SELECT "
    + ", ".join(f"value->>{i}" for i in range(9))
    + " FROM json_each(?)"
)
GROUP_ARTICLES = 500  # read-whole files are stored in groups of about this many articles

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
    left_out: int = 0  # parts of an imported file that could not be articles (said in `message`)
    reader: str = ""  # which reader read the file: "factiva-html", "nexis-txt", "csv", ...

    def describe(self) -> str:
        """'factiva-html: 27 articles' (and what was left out or went wrong), for a report row."""
        said = f"{self.reader}: " if self.reader else ""
        if self.status in ("imported", "duplicate"):
            said += _n(self.article_count + self.duplicate_count, "article")
            if self.duplicate_count:
                said += f" ({self.duplicate_count:,} already in the project)"
            if self.left_out:
                said += f", {self.left_out:,} left out"
            return said
        return said + (self.message or self.status)


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

    def by_reader(self) -> list[str]:
        """One line per reader: 'factiva-html: 27 articles from 1 file' (articles stored or already there)."""
        counts: dict[str, list[int]] = {}
        for f in self.files:
            if f.status in ("imported", "duplicate") and f.reader:
                got = counts.setdefault(f.reader, [0, 0])
                got[0] += f.article_count + f.duplicate_count
                got[1] += 1
        return [f"{name}: {_n(articles, 'article')} from {_n(files, 'file')}"
                for name, (articles, files) in sorted(counts.items())]

    def summary(self) -> str:
        text = (
            f"{_n(self.imported_articles, 'article')} imported from {_n(self.count('imported'), 'file')}; "
            f"{_n(self.duplicate_articles, 'duplicate')} skipped; {_n(self.count('failed'), 'file')} failed"
        )
        if self.detection is not None:
            text += f"; {_n(self.detection.quotes, 'quote')} detected"
        if self.count("skipped"):
            text += f"; {_n(self.count('skipped'), 'non-article file')} skipped"
        left_out = sum(f.left_out for f in self.files)
        if left_out:
            text += f"; {_n(left_out, 'document')} left out of imported files"
        return text + (" (cancelled)" if self.cancelled else "")


def read_whole(source: Source, options: ReadOptions) -> tuple[Source, list[Article | ImportProblem] | ImportProblem]:
    """Worker side: all articles of a small file (with notes on what it left out), or its problem.
    Module-level so a pool can pickle it."""
    articles: list[Article | ImportProblem] = []
    for item in read_source(source, options):
        if isinstance(item, ImportProblem):
            if item.note:
                articles.append(item)
                continue
            return source, item
        item.uid  # noqa: B018 (hash here, on the worker's core, not in the writer)
        articles.append(item)
    return source, articles


def read_part_rows(part, options: ReadOptions, now: str) -> tuple[list[tuple], str] | None:
    """Worker side: the rows of a part of a big export (ingest.split.read_part), ready to insert
    (rows pickle faster than Articles), and the reader's name; None when the part cannot be taken alone."""
    got = read_part(part, options)
    if got is None:
        return None
    articles, reader = got
    return [_row(a, now) for a in articles], reader


def read_chunk(sources: list[Source], options: ReadOptions, detect: bool = False, forms=None) -> list[tuple]:
    """Worker side: (source, articles or problem, prepared detections or None) for each file; with
    `detect`, every article's quotes (of `forms`, default all) are detected here too, on the worker's core."""
    out = []
    for source in sources:
        source, result = read_whole(source, options)
        prepared = None
        if detect and not isinstance(result, ImportProblem):
            from annotator.core.prepared import prepare_detection

            prepared = [prepare_detection(a.text, forms) for a in result if not isinstance(a, ImportProblem)]
        out.append((source, result, prepared))
    return out


def import_paths(
    project: Project,
    paths: Iterable[str | os.PathLike],
    options: ReadOptions | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    workers: int | None = None,
    detect: bool = True,
    forms=None,
) -> ImportReport:
    """Import files, folders and zip archives; returns a report with one row per file tried.

    With `detect`, quotes and speakers of the new articles are detected as they are read and stored
    with them (as auto; `forms`, default all, names the attribution forms); a streamed big file's
    articles once it is stored.
    """
    options = options or ReadOptions()
    report = ImportReport()
    last_id_before = project.conn.execute("SELECT ifnull(max(id), 0) FROM articles").fetchone()[0]
    sources: list[Source] = []
    for item in iter_sources(list(paths)):
        if isinstance(item, ImportProblem):
            report.files.append(FileReport(item.path, "skipped" if item.skipped else "failed", item.message))
        else:
            sources.append(item)
    total = len(sources) + len(report.files)
    small = [s for s in sources if s.size <= POOL_MAX_BYTES]
    large = [s for s in sources if s.size > POOL_MAX_BYTES]
    pool = _reader_pool(small, workers, large)  # before the writer thread starts: see _reader_pool
    if detect:
        from annotator.core.detection_state import set_detection_pending

        set_detection_pending(project, True)  # cleared once every new article has its quotes
    writer = _Writer(project, report, detect)
    done = len(report.files)
    try:
        for source, result, prepared in _read_many(small, options, pool, cancelled, detect, forms):
            writer.add_file(source.path, result, prepared)  # grouped; sent to the writer thread in batches
            done += 1
            if progress:
                progress(done, total, source.path)
        writer.flush_files()
        for source in large:
            if cancelled and cancelled():
                break
            parts = _plan_parts(source) if pool is not None else None
            if parts is None or not writer.add_parts(
                source.path, map_in_order(pool, read_part_rows, parts, options, writer.now)
            ):
                writer.add_stream(source.path, read_source(source, options))
            done += 1
            if progress:
                progress(done, total, source.path)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        writer.close()
    report.cancelled = bool(cancelled and cancelled()) and done < total
    if detect:
        report.detection = writer.detection
    if detect and not report.cancelled and report.imported_articles:
        from annotator.core.quotes import run_detection

        # what the readers did not detect: the articles of streamed big files
        new_ids = [r[0] for r in project.conn.execute("SELECT id FROM articles WHERE id > ?", (last_id_before,))
                   if r[0] not in writer.detected]
        if new_ids:
            more = run_detection(project, new_ids, progress=progress, cancelled=cancelled, workers=workers,
                                 forms=forms)
            for name in ("articles", "quotes", "mentions", "kept"):
                setattr(report.detection, name, getattr(report.detection, name) + getattr(more, name))
            report.detection.cancelled = more.cancelled
    if detect and not report.cancelled and not (report.detection and report.detection.cancelled):
        from annotator.core.detection_state import set_detection_pending

        set_detection_pending(project, False)
    return report


def _chunks(sources: list[Source]):
    """Tasks for the readers: up to POOL_CHUNK files and about POOL_CHUNK_BYTES of input each."""
    return batched(sources, POOL_CHUNK, weight=lambda s: s.size, most=POOL_CHUNK_BYTES)


def _reader_pool(sources: list[Source], workers: int | None, large: list[Source] = ()) -> ProcessPoolExecutor | None:
    """Reader processes, when there is enough to read to pay for starting them (made before the
    writer thread starts, so that they can be forked: see parallel.worker_pool): many small files,
    or a big file on disk that may be a news-database export (read in parts: see ingest.split)."""
    return worker_pool(workers, worth_it=len(sources) >= 64 or sum(s.size for s in sources) >= POOL_MIN_BYTES
                       or any(s.fs_path is not None and s.suffix in _MARKUP_SUFFIXES for s in large))


_MARKUP_SUFFIXES = {".html", ".htm", ".xhtml"}


def _plan_parts(source: Source):
    """The parts of a big news-database export to read on all cores, or None (read it whole)."""
    from annotator.core.ingest import _reader_for
    from annotator.core.ingest.split import plan_parts

    if source.fs_path is None or source.suffix not in _MARKUP_SUFFIXES:
        return None
    try:
        name, _ = _reader_for(source)
    except Exception:  # noqa: BLE001 (the whole file's reading says what is wrong with it)
        return None
    return plan_parts(source, name)


def _read_many(sources: list[Source], options: ReadOptions, pool: ProcessPoolExecutor | None, cancelled,
               detect: bool = False, forms=None):
    # A bounded window of tasks in flight: memory stays flat however many files there are, even
    # when the readers outpace the writer.
    tasks = _chunks(sources) if pool is not None else ([source] for source in sources)   # here: a file at a time
    for results in map_in_order(pool, read_chunk, tasks, options, detect, forms, cancelled=cancelled):
        yield from results


class _Writer:
    """Stores what the readers produce, on a thread of its own.

    SQLite does its work (inserts, full-text indexing) with the GIL released, so storing one
    batch overlaps with reading and parsing the next. Files are committed in groups; a streamed
    file goes in under a savepoint so that a problem late in it rolls all of it back.

    With detection, storing is many statements an article (quotes, mentions, entities), each
    taking the GIL back: beside a thread busy detecting, each would wait for a thread switch. So
    then it stores in the calling thread (the detecting is done by the reader processes, or
    before, in this one).
    """

    def __init__(self, project: Project, report: ImportReport, detect: bool = False):
        from annotator.core.store import begin_immediate, utc_now

        self._begin = begin_immediate
        self.project = project
        self.conn = project.conn
        self.detection = None   # quotes.DetectReport of what was stored with its quotes
        self.detected: set[int] = set()   # ids of the articles stored with their quotes
        self._linker = None
        if detect:
            from annotator.core.linking import LinkReport
            from annotator.core.quotes import DetectReport

            self.detection = DetectReport()
            self.links = LinkReport()
        self.report = report
        self.pending_articles = 0
        self.pending_reports: list[tuple] = []
        self.now = utc_now()
        self.group: list[tuple[str, list[tuple] | ImportProblem, list[ImportProblem]]] = []
        self.group_articles = 0
        self.stream_path: str | None = None
        self.stream_count = 0
        self.stream_inserted = 0
        self.error: BaseException | None = None
        self.thread = None
        if not detect:
            self.queue: queue.Queue = queue.Queue(maxsize=16)  # bounded: readers cannot run far ahead
            self.thread = threading.Thread(target=self._run, name="import-writer", daemon=True)
            self.thread.start()

    # --- called by the reading thread -------------------------------------------------------

    def add_file(self, path: str, result: list[Article | ImportProblem] | ImportProblem, prepared=None):
        """A read-whole file; `prepared`: the detection of each of its articles, when the reader made them."""
        notes = [] if isinstance(result, ImportProblem) else [a for a in result if isinstance(a, ImportProblem)]
        rows = result if isinstance(result, ImportProblem) else [_row(a, self.now) for a in result
                                                                  if not isinstance(a, ImportProblem)]
        reader = _reader_of(result if isinstance(result, list) else [result])
        self.group.append((path, rows, notes, reader, prepared))
        self.group_articles += 1 if isinstance(rows, ImportProblem) else len(rows)
        if self.group_articles >= GROUP_ARTICLES:
            self.flush_files()

    def flush_files(self):
        if self.group:
            self._send("files", "", self.group)
            self.group, self.group_articles = [], 0

    def add_stream(self, path: str, items):
        """Read a streamed file here, store its batches on the writer thread."""
        self._send("begin", path, None)
        batch: list[tuple] = []
        notes: list[ImportProblem] = []
        reader = ""
        try:
            for item in items:
                reader = reader or item.reader
                if isinstance(item, ImportProblem):
                    if item.note:
                        notes.append(item)
                        continue
                    self._send("abort", path, (item, reader))
                    return
                batch.append(_row(item, self.now))
                if len(batch) >= 500:
                    self._send("rows", path, batch)
                    batch = []
        except BaseException:
            self._send("abort", path, (None, reader))
            raise
        if batch:
            self._send("rows", path, batch)
        self._send("end", path, (notes, reader))

    def add_parts(self, path: str, results) -> bool:
        """A big export read in parts by the reader processes (`results`: read_part_rows', in file
        order), stored under one savepoint as a streamed file is; False (nothing of it stored) when a
        part cannot be taken alone: then the file is to be read whole, by add_stream."""
        self._send("begin", path, None)
        reader, index = "", 0
        try:
            for got in results:
                if got is None:
                    self._send("abort", path, (None, reader))
                    return False
                rows, reader = got
                if index:  # a part's articles count from 0: their place in the file
                    rows = [row[:9] + (row[9] + index,) + row[10:] for row in rows]
                index += len(rows)
                self._send("rows", path, rows)
        except BaseException:
            self._send("abort", path, (None, reader))
            raise
        finally:
            results.close()  # a part that cannot be taken: the ones in flight are not waited for
        self._send("end", path, ([], reader))
        return True

    def close(self):
        self.flush_files()
        self._send("close", "", None)
        if self.thread is not None:
            self.thread.join()
        if self.error is not None:
            raise self.error

    def _send(self, kind: str, path: str, payload) -> None:
        if self.error is not None:
            raise self.error
        if self.thread is None:
            self._handle_or_keep_error(kind, path, payload)
            if self.error is not None and kind != "close":
                raise self.error
        else:
            self.queue.put((kind, path, payload))

    # --- the writer thread ------------------------------------------------------------------

    def _run(self):
        while True:
            kind, path, payload = self.queue.get()
            if self.error is not None:
                if kind == "close":
                    return
                continue  # drain, so the reading side never blocks on a full queue
            self._handle_or_keep_error(kind, path, payload)
            if kind == "close":
                return

    def _handle_or_keep_error(self, kind: str, path: str, payload) -> None:
        try:
            self._handle(kind, path, payload)
        except BaseException as exc:  # handed to the reading thread at its next call
            self.error = exc
            self._rollback_quietly()
            if self._linker is not None:   # it may have learnt entities that were rolled back
                from annotator.core.linking import _linkers

                _linkers.pop(self.project, None)

    def _handle(self, kind: str, path: str, payload) -> None:
        if kind == "problem":
            self._record(_failed(path, payload, payload.reader))
        elif kind == "files":
            self._store_files(payload)
        elif kind == "begin":
            self._ensure_transaction()
            self.conn.execute("SAVEPOINT import_file")
            self.stream_path, self.stream_count, self.stream_inserted = path, 0, 0
        elif kind == "rows":
            # rowcount: rows this statement inserted, not counting full-text trigger writes
            self.stream_inserted += _insert_rows(self.conn, payload)
            self.stream_count += len(payload)
        elif kind == "end":
            notes, reader = payload
            if not self.stream_count and notes:  # nothing but left-out parts: the file failed
                self._handle("abort", path, (_all_left_out(path, notes), reader))
                return
            self.conn.execute("RELEASE import_file")
            self._record_stored(path, self.stream_count, self.stream_inserted, notes, reader=reader)
        elif kind == "abort":
            problem, reader = payload
            self.conn.execute("ROLLBACK TO import_file")
            self.conn.execute("RELEASE import_file")
            if problem is not None:
                self._record(_failed(path, problem, reader))
        elif kind == "close":
            if self.pending_reports:
                self._ensure_transaction()
            self._commit()

    def _store_files(self, group: list[tuple]) -> None:
        """Read-whole files are complete already: one statement stores a group of them.

        Which rows are new is worked out first (inside the transaction, so it stays true), to
        report each file as imported or duplicate: a row is a duplicate when its text (uid) or its
        database id (source_id) is already stored.
        """
        self._ensure_transaction()
        rows = [row for _, got, _, _, _ in group if not isinstance(got, ImportProblem) for row in got]
        uids = json.dumps([row[0] for row in rows])
        seen = {r[0] for r in self.conn.execute(_EXISTING, (uids,))}
        source_ids = [row[11] for row in rows if row[11] is not None]
        seen_ids = {r[0] for r in self.conn.execute(_EXISTING_SOURCE_IDS, (json.dumps(source_ids),))} if source_ids \
            else set()
        for path, got, notes, reader, _ in group:
            if not isinstance(got, ImportProblem) and not got and notes:  # nothing but left-out parts
                got = _all_left_out(path, notes)
            if isinstance(got, ImportProblem):
                self._record(_failed(path, got, reader), commit=False)
                continue
            inserted = 0
            for row in got:
                if row[0] not in seen and (row[11] is None or row[11] not in seen_ids):
                    seen.add(row[0])
                    if row[11] is not None:
                        seen_ids.add(row[11])
                    inserted += 1
            self._record_stored(path, len(got), inserted, notes, commit=False, reader=reader)
        if rows and self.detection is not None:
            self._store_with_quotes(group, _insert_rows_returning(self.conn, rows))
        elif rows:
            _insert_rows(self.conn, rows)
        if self.pending_articles >= COMMIT_EVERY_ARTICLES:
            self._commit()

    def _store_with_quotes(self, group: list[tuple], new: list[tuple[int, str]]) -> None:
        """The quotes, mentions and entity links of the articles just inserted, in the same transaction."""
        from annotator.core.linking import _fingerprint, linker_for
        from annotator.core.quotes import NewDetectionRows, store_new_detection

        prepared_of: dict[str, tuple] = {}   # uid -> (text, prepared) of its first row: the one inserted
        for _, got, _, _, prepared in group:
            if prepared is not None and not isinstance(got, ImportProblem):
                for row, prep in zip(got, prepared, strict=True):
                    prepared_of.setdefault(row[0], (row[7], prep))
        if self._linker is None:
            self._linker = linker_for(self.project)
        report = self.detection
        rows = NewDetectionRows(self.conn)   # the group's rows, written by a few statements at the end
        for article_id, uid in sorted(new):
            found = prepared_of.get(uid)
            if found is None:
                continue
            quotes, mentions = store_new_detection(self.project, article_id, found[0], found[1], self.now,
                                                   self._linker, self.links, rows)
            self.detected.add(article_id)
            report.articles += 1
            report.quotes += quotes
            report.mentions += mentions
        rows.write()
        self._linker.fingerprint = _fingerprint(self.project)

    def _rollback_quietly(self):
        try:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
        except Exception:  # noqa: BLE001 (the original error is what matters)
            pass

    def _ensure_transaction(self):
        if not self.conn.in_transaction:
            self._begin(self.conn)

    def _commit(self):
        if self.pending_reports:
            self.conn.execute(_INSERT_REPORT, (json.dumps(self.pending_reports),))
            self.pending_reports.clear()
        if self.conn.in_transaction:
            self.conn.execute("COMMIT")
        self.pending_articles = 0

    def _record_stored(self, path: str, count: int, inserted: int, notes: list[ImportProblem] | None = None,
                       commit: bool = True, reader: str = ""):
        duplicates = count - inserted
        if inserted == 0:
            status = "duplicate"
            message = "already in the project" if count == 1 else f"all {count} articles already in the project"
        else:
            status = "imported"
            message = f"{duplicates} already in the project" if duplicates else ""
        if notes:
            message = "; ".join(filter(None, [message, _left_out(notes)]))
        self.pending_articles += count
        self._record(FileReport(path, status, message, inserted, duplicates, left_out=len(notes or ()), reader=reader),
                     commit)

    def _record(self, row: FileReport, commit: bool = True):
        self._ensure_transaction()
        self.report.files.append(row)
        self.pending_reports.append(
            (row.path, row.status, row.message, row.line, row.row, row.article_count, row.duplicate_count, self.now,
             row.reader or None)
        )
        self.pending_articles += 1
        if commit and self.pending_articles >= COMMIT_EVERY_ARTICLES:
            self._commit()


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _left_out(notes: list[ImportProblem], most: int = 5) -> str:
    """What a file's notes say, as one message: the first few, with their lines, and how many more."""
    said = [f"line {n.line}: {n.message}" if n.line else n.message for n in notes[:most]]
    if len(notes) > most:
        said.append(f"and {len(notes) - most} more left out")
    return "; ".join(said)


def _all_left_out(path: str, notes: list[ImportProblem]) -> ImportProblem:
    return ImportProblem(path, f"no article could be read: {_left_out(notes)}", line=notes[0].line)


def _failed(path: str, problem: ImportProblem, reader: str = "") -> FileReport:
    status = "skipped" if problem.skipped else "failed"
    return FileReport(path, status, problem.message, line=problem.line, row=problem.row,
                      reader=problem.reader or reader)


def _reader_of(items) -> str:
    for item in items:
        if item.reader:
            return item.reader
    return ""


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
        article.source_id,
    )
