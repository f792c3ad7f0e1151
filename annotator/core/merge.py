"""A colleague's project merged into this one: articles (by uid), scheme, labels, quote verdicts,
hand-marked quotes, statuses and notes, adjudications, all under their annotators' names.

The other file is checked first and opened read-only (SQLite URI mode=ro, query_only, untrusted
schema); only parameterised SELECTs on known tables are run on it, so nothing in it is executed. An
item both files have for the same annotator with different values goes to the newer edit and is
listed in the report. Everything is one transaction; merging the same file again changes nothing.

Every row is held to the rules of `annotator.core.validate`, as an import is: names (annotator,
task, option, entity, alias) single-line, without control characters, bounded; article texts within
the import limit (NUL stored as U+FFFD, as an import does), uids recomputed from the text (never
taken from the file), short fields bounded and without control characters;
quote spans inside their article (the quote's text is taken from our article), known statuses,
verdicts, kinds and levels, one option on a single-choice task, options of the task they label.
A row that breaks a rule is refused and listed by table and row id with the reason, and so are the
rows that depend on it (the labels of a refused article); the valid rest is merged. A file that
cannot be read as a project (not SQLite, damaged, missing tables, newer schema) is refused whole.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core import validate as v
from annotator.core.backup import backup_project
from annotator.core.names import ENTITY_KINDS, normalise_name
from annotator.core.quote_forms import FORMS
from annotator.core.store import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    SQLITE_HEADER,
    Project,
    ProjectError,
    storage_problem,
    utc_now,
)
from annotator.core.validate import terminal_text as shown

MAX_BYTES = 8 * 1024**3  # a project this size is not a colleague's annotation file
MAX_LISTED_REFUSALS = 1000  # refused rows kept for the report (all are counted)
NEEDED = {
    "articles": {"id", "uid", "text"},
    "tasks": {"id", "name", "kind", "level"},
    "options": {"id", "task_id", "name"},
    "labels": {"article_id", "quote_id", "annotator", "task_id", "option_id", "updated_at"},
    "quotes": {"id", "article_id", "start", "end", "origin", "annotator"},
    "quote_labels": {"quote_id", "annotator", "status", "entity_id", "speaker", "updated_at"},
    "article_status": {"article_id", "annotator", "status", "note", "updated_at"},
    "entities": {"id", "name", "norm", "kind"},
}


@dataclass
class Conflict:
    """One item both files hold for the same annotator with different values."""

    kind: str  # label | verdict | status | adjudication
    article_uid: str
    article_title: str
    annotator: str
    what: str  # task name, 'quote at 10-42', 'status and note'
    ours: str
    theirs: str
    winner: str  # 'ours' | 'theirs'

    def __str__(self) -> str:
        kept = "their newer edit taken" if self.winner == "theirs" else "our newer edit kept"
        return (f"{shown(self.article_title or self.article_uid[:10], 80)} / {shown(self.annotator, 80)} / "
                f"{shown(self.what, 80)}: ours {shown(self.ours, 80)!r}, theirs {shown(self.theirs, 80)!r}: {kept}")


@dataclass(frozen=True)
class RefusedRow:
    """A row of the colleague's file that was not merged, and why."""

    table: str
    row_id: object  # the row's id (or rowid) in their file
    reason: str

    def __str__(self) -> str:
        return f"{self.table} {shown(self.row_id, 40)}: {self.reason}"


@dataclass
class MergeReport:
    path: str
    refused: str | None = None
    articles_added: int = 0
    articles_matched: int = 0
    tasks_added: int = 0
    options_added: int = 0
    entities_added: int = 0
    quotes_added: int = 0
    labels_added: int = 0
    verdicts_added: int = 0
    statuses_added: int = 0
    adjudications_added: int = 0
    replaced: int = 0
    annotators: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    refused_rows: list[RefusedRow] = field(default_factory=list)  # the first MAX_LISTED_REFUSALS
    refused_count: dict[str, int] = field(default_factory=dict)  # table -> rows refused

    def refuse(self, table: str, row_id, reason: str) -> None:
        self.refused_count[table] = self.refused_count.get(table, 0) + 1
        if len(self.refused_rows) < MAX_LISTED_REFUSALS:
            self.refused_rows.append(RefusedRow(table, row_id, reason))

    @property
    def refused_total(self) -> int:
        return sum(self.refused_count.values())

    @property
    def changed(self) -> int:
        return (self.articles_added + self.tasks_added + self.options_added + self.entities_added + self.quotes_added
                + self.labels_added + self.verdicts_added + self.statuses_added + self.adjudications_added
                + self.replaced)

    def lines(self, most_refused: int = 20) -> list[str]:
        """The report as lines to print; data text in them is stripped of control characters."""
        path = shown(self.path, 400)
        if self.refused:
            return [f"{path}: refused: {shown(self.refused, 400)}"]
        out = [
            f"{path}: merged work of {', '.join(shown(a, 60) for a in self.annotators) or 'nobody'}",
            f"  articles: {self.articles_matched} matched, {self.articles_added} added",
            f"  added: {self.labels_added} label choices, {self.verdicts_added} quote verdicts, "
            f"{self.quotes_added} quotes, {self.statuses_added} statuses/notes, {self.adjudications_added} "
            f"adjudications, {self.tasks_added} tasks, {self.options_added} options, {self.entities_added} entities",
            f"  replaced by newer edits: {self.replaced}; conflicts: {len(self.conflicts)}",
        ]
        out += [f"  conflict: {c}" for c in self.conflicts]
        if self.refused_total:
            by_table = ", ".join(f"{n} {t}" for t, n in sorted(self.refused_count.items()))
            out.append(f"  refused (not merged, the rest was): {self.refused_total} rows ({by_table})")
            out += [f"  refused: {r}" for r in self.refused_rows[:most_refused]]
            if self.refused_total > most_refused:
                out.append(f"  ... and {self.refused_total - most_refused} more refused rows")
        if not self.changed:
            out.append("  nothing new: this project already holds all of it")
        return out


# --- checking and opening the other file ----------------------------------------------------------


def open_other(path: Path, max_bytes: int = MAX_BYTES) -> sqlite3.Connection | str:
    """A read-only connection to a colleague's project, or a sentence saying why it is refused."""
    if not path.is_file():
        return "no such file" if not path.exists() else "not a file"
    size = path.stat().st_size
    if size > max_bytes:
        return f"the file is {size / 1024**3:.1f} GB, more than the {max_bytes / 1024**3:.1f} GB a project may be"
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if not header.startswith(SQLITE_HEADER) or len(header) < 100:
        return "not an annotator project (not an SQLite database)"
    try:
        # With no write-ahead log beside it the file is opened immutable: SQLite then creates no
        # -wal/-shm files in the colleague's folder (which may be read-only) and takes no locks.
        wal = path.with_name(path.name + "-wal")
        immutable = "&immutable=1" if not (wal.exists() and wal.stat().st_size > 0) else ""
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro{immutable}", uri=True, check_same_thread=False)
    except sqlite3.Error as exc:
        return f"cannot be opened ({exc})"
    problem = _check_open(conn)
    if problem:
        conn.close()
        return problem
    return conn


def _check_open(conn: sqlite3.Connection) -> str | None:
    """Why an opened file cannot be merged, or None."""
    try:
        conn.execute("PRAGMA query_only = ON")
        with contextlib.suppress(sqlite3.Error):
            conn.execute("PRAGMA trusted_schema = OFF")
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id != APPLICATION_ID:
            return "an SQLite database, but not an annotator project"
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            return (f"made by a newer version of annotator (schema {version}; this version reads up to "
                    f"{SCHEMA_VERSION}); update annotator to merge it")
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            return f"the file is damaged ({check})"
        kinds = dict(conn.execute("SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view')"))
        for table, columns in NEEDED.items():
            if kinds.get(table) != "table":
                return f"the file has no {table} table; it is not a complete annotator project"
            have = {r[1] for r in conn.execute("SELECT * FROM pragma_table_info(?)", [table])}
            if not columns <= have:
                return f"the {table} table lacks {', '.join(sorted(columns - have))}"
    except sqlite3.DatabaseError as exc:
        return f"the file is damaged or not a database ({exc})"
    return None


def _refuse(conn, report: MergeReport, message: str) -> MergeReport:
    if conn is not None:
        conn.close()
    report.refused = message
    return report


# --- merging --------------------------------------------------------------------------------------


class MergeCancelled(Exception):
    """Cancel was pressed during a merge: its transaction was rolled back, nothing was merged."""


def merge_project(project: Project, other_path: str | Path, progress=None, max_bytes: int = MAX_BYTES,
                  cancelled=None) -> MergeReport:
    """Copy a colleague's annotations into `project`; returns what was added, replaced and refused.
    `progress(step, steps, text)` is called between steps; when `cancelled()` turns true the merge
    stops at the next step and raises MergeCancelled, leaving the project as it was (one transaction)."""
    path = Path(other_path).expanduser()
    report = MergeReport(str(path))
    with contextlib.suppress(OSError):
        if path.resolve() == Path(project.path).resolve() or (
                path.exists() and os.path.samefile(path, project.path)):
            return _refuse(None, report, "this is the open project itself")
    other = open_other(path, max_bytes)
    if isinstance(other, str):
        return _refuse(None, report, other)
    try:
        backup_project(project, "merge")  # a merge changes much at once: keep the state before it
    except ProjectError as exc:
        other.close()
        return _refuse(None, report, f"no backup of this project could be made first ({exc}); nothing was merged")
    def step(done: int, steps: int, what: str) -> None:
        if cancelled is not None and cancelled():
            raise MergeCancelled("cancelled; nothing of this file was merged")
        if progress is not None:
            progress(done, steps, what)

    try:
        with project.write():
            _merge(project, other, report, step)
    except sqlite3.DatabaseError as exc:
        ours = storage_problem(project.path, exc)  # our disk or file, not theirs
        if ours:
            return _refuse(other, report, f"{ours}: nothing was merged")
        return _refuse(other, report, f"the file could not be read to the end ({exc}); nothing was merged")
    finally:
        other.close()
    return report


def _q(conn: sqlite3.Connection, sql: str, params=()):
    cur = conn.execute(sql, params)
    while True:
        rows = cur.fetchmany(10000)
        if not rows:
            return
        yield from rows


def _merge(project: Project, other: sqlite3.Connection, report: MergeReport, progress) -> None:
    conn = project.conn
    steps = 8
    progress(0, steps, "articles")
    article_map, titles = _merge_articles(conn, other, report)
    progress(1, steps, "label scheme")
    task_map, option_map, task_names, option_names = _merge_scheme(conn, other, report)
    progress(2, steps, "entities")
    entity_map = _merge_entities(conn, other, report)
    progress(3, steps, "quotes")
    quote_map = _merge_quotes(conn, other, report, article_map, entity_map)
    annotators = set()
    # a name is checked by its length first in SQL: a 50 MB name is never read into memory
    sql = ("SELECT DISTINCT annotator AS n, length(annotator) > ? AS t FROM labels UNION SELECT DISTINCT annotator, "
           "length(annotator) > ? FROM quote_labels UNION SELECT DISTINCT annotator, length(annotator) > ? "
           "FROM article_status")
    if _has_table(other, "annotators"):
        sql += " UNION SELECT name, length(name) > ? FROM annotators"
    limit = v.MAX_NAME_CHARS * 4  # before spaces are folded
    for name, too_long in _q(other, f"SELECT substr(n, 1, {limit + 1}), max(t) FROM ({sql}) GROUP BY n",
                             [limit] * sql.count("?")):
        problem = "annotator name is too long" if too_long else v.check_name(name, "annotator")
        if name is None:
            continue
        if problem:
            report.refuse("annotators", name[:60], problem)
            continue
        annotators.add(name)
    listed = set()
    if _has_table(other, "annotators"):
        listed = {r[0] for r in _q(other, f"SELECT substr(name, 1, {limit + 1}) FROM annotators")} & annotators
    progress(4, steps, "labels")
    maps = _Maps(article_map, quote_map, task_map, option_map, annotators)
    _merge_labels(conn, other, report, maps, titles, task_names, option_names)
    progress(5, steps, "quote verdicts")
    _merge_verdicts(conn, other, report, maps, entity_map, titles)
    progress(6, steps, "statuses and notes")
    _merge_statuses(conn, other, report, maps, titles)
    progress(7, steps, "adjudications")
    _merge_adjudications(conn, other, report, maps, titles)
    # registered: the names their file lists and those with work merged, not those all of whose rows were refused
    named = sorted(listed | maps.used)
    now = utc_now()
    conn.executemany("INSERT OR IGNORE INTO annotators (name, created_at) VALUES (?, ?)", [(a, now) for a in named])
    report.annotators = named
    progress(8, steps, "done")


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]).fetchone() is not None



def _bounded(column: str, limit: int) -> str:
    """Select-list entries for a column read only if short enough: the value (NULL when too long)
    and whether it was too long, so a hostile 300 MB cell never reaches Python."""
    return f"CASE WHEN length({column}) > {limit} THEN NULL ELSE {column} END, length({column}) > {limit}"


def _text_problem(value, too_long, what: str, limit: int) -> str | None:
    if too_long:
        return f"{what} is longer than {limit:,} characters"
    return v.check_field(value, what, limit)


@dataclass
class _Maps:
    """Their ids -> ours, for the rows that were merged; and the valid annotator names."""

    articles: dict
    quotes: dict
    tasks: dict
    options: dict  # their option id -> (our option id, our task id)
    annotators: set
    used: set = field(default_factory=set)  # annotators with a row merged

    def article(self, their_id, report: MergeReport, table: str, row_id) -> int | None:
        found = self.articles.get(their_id)
        if found is None:
            report.refuse(table, row_id, f"its article {shown(their_id, 40)} was refused or is not in the file")
        return found

    def annotator(self, name, report: MergeReport, table: str, row_id) -> bool:
        if name in self.annotators:
            return True
        report.refuse(table, row_id, "its annotator name was refused" if name else "no annotator name")
        return False


_ARTICLE_FIELDS = ("title", "outlet", "authors", "published", "url", "language", "source_path", "source_index",
                   "imported_at", "source_id")


def _merge_articles(conn, other, report):
    """{their article id: our id}, and {our id: (uid, title)} for naming conflicts. Articles are
    matched by the uid computed from their text; the file's uid is not used."""
    ours = dict(conn.execute("SELECT uid, id FROM articles"))
    mapping, titles = {}, {}
    have = {r[1] for r in other.execute("SELECT * FROM pragma_table_info('articles')")}
    fields = [f for f in _ARTICLE_FIELDS if f in have]
    select = ", ".join(_bounded(f, v.MAX_FIELD_CHARS) for f in fields)
    for row in _q(other, f"SELECT id, {_bounded('text', v.MAX_ARTICLE_CHARS)}, {select} FROM articles ORDER BY id"):
        their_id, text, text_too_long = row[0], row[1], row[2]
        problem = (f"the article text is longer than {v.MAX_ARTICLE_CHARS:,} characters" if text_too_long
                   else v.check_article_text(text))
        extra = {}
        for i, name in enumerate(fields):
            value, too_long = row[3 + 2 * i], row[4 + 2 * i]
            if name == "source_index":
                if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                    problem = problem or "source_index is not a whole number"
                extra[name] = value
                continue
            problem = problem or _text_problem(value, too_long, name, v.MAX_FIELD_CHARS)
            extra[name] = v.clean_text(value)
        if problem:
            report.refuse("articles", their_id, problem)
            continue
        text = v.clean_article_text(text)  # as an import stores it: offsets of their quotes still hold
        uid = v.article_uid(text)
        if uid in ours:
            mapping[their_id] = ours[uid]
            report.articles_matched += 1
            continue
        if extra.get("title") is not None:
            extra["title"] = " ".join(extra["title"].split()) or None
        extra["imported_at"] = extra.get("imported_at") or utc_now()
        if extra.get("source_id") is not None and conn.execute(
            "SELECT 1 FROM articles WHERE source_id = ?", [extra["source_id"]]
        ).fetchone():  # the same database article with another text here: both kept, the id once
            extra["source_id"] = None
        cur = conn.execute(
            f"INSERT INTO articles (uid, text, {', '.join(extra)}) VALUES (?, ?, {', '.join('?' * len(extra))})",
            [uid, text, *extra.values()])
        mapping[their_id] = ours[uid] = cur.lastrowid
        report.articles_added += 1
    for uid, title, article_id in conn.execute("SELECT uid, title, id FROM articles"):
        titles[article_id] = (uid, title or "")
    return mapping, titles


def _merge_scheme(conn, other, report):
    """Their tasks and options matched by name (and level), else added; {their id: ours} for each
    (options: (our option id, our task id)), and {our id: name}."""
    tasks = {(name, level): (tid, kind) for tid, name, level, kind in conn.execute(
        "SELECT id, name, level, kind FROM tasks")}
    task_map, task_names = {}, {}
    has_target = "target" in {r[1] for r in other.execute("SELECT * FROM pragma_table_info('tasks')")}
    select = (f"SELECT id, {_bounded('name', v.MAX_NAME_CHARS * 4)}, kind, level, "
              f"{_bounded('target', v.MAX_FIELD_CHARS) if has_target else 'NULL, 0'} FROM tasks ORDER BY id")
    for tid, name, name_too_long, kind, level, target, target_too_long in _q(other, select):
        problem = ("task name is too long" if name_too_long else v.check_name(name, "task")) \
            or v.check_choice(kind, v.TASK_KINDS, "task kind") or v.check_choice(level, v.LEVELS, "task level") \
            or _text_problem(target, target_too_long, "task target", v.MAX_FIELD_CHARS)
        if problem:
            report.refuse("tasks", tid, problem)
            continue
        name = " ".join(name.split())
        if (name, level) not in tasks:
            position = conn.execute("SELECT coalesce(max(position), -1) + 1 FROM tasks").fetchone()[0]
            cur = conn.execute("INSERT INTO tasks (name, kind, level, target, position) VALUES (?, ?, ?, ?, ?)",
                               [name, kind, level, v.clean_text(target), position])
            tasks[(name, level)] = (cur.lastrowid, kind)
            report.tasks_added += 1
        task_map[tid] = tasks[(name, level)][0]
        task_names[task_map[tid]] = name
    options = {(task_id, name): oid for oid, task_id, name in conn.execute("SELECT id, task_id, name FROM options")}
    option_map, option_names = {}, {}
    for oid, their_task, name, too_long in _q(
            other, f"SELECT id, task_id, {_bounded('name', v.MAX_NAME_CHARS * 4)} FROM options ORDER BY task_id, id"):
        task_id = task_map.get(their_task)
        problem = ("its task was refused or is not in the file" if task_id is None
                   else "option name is too long" if too_long else v.check_name(name, "option"))
        if problem:
            report.refuse("options", oid, problem)
            continue
        name = " ".join(name.split())
        if (task_id, name) not in options:
            position = conn.execute("SELECT coalesce(max(position), -1) + 1 FROM options WHERE task_id = ?",
                                    [task_id]).fetchone()[0]
            cur = conn.execute("INSERT INTO options (task_id, name, position) VALUES (?, ?, ?)",
                               [task_id, name, position])
            options[(task_id, name)] = cur.lastrowid
            report.options_added += 1
        option_map[oid] = (options[(task_id, name)], task_id)
        option_names[options[(task_id, name)]] = name
    return task_map, option_map, task_names, option_names


def _merge_entities(conn, other, report):
    """{their entity id: ours}: matched by normalised name (recomputed, not read) and kind, else
    added with their aliases."""
    ours = {(norm, kind): eid for eid, norm, kind in conn.execute("SELECT id, norm, kind FROM entities")}
    mapping, added = {}, {}
    for eid, name, too_long, kind in _q(
            other, f"SELECT id, {_bounded('name', v.MAX_NAME_CHARS * 4)}, kind FROM entities ORDER BY id"):
        problem = ("entity name is too long" if too_long else v.check_name(name, "entity")) \
            or v.check_choice(kind, ENTITY_KINDS, "entity kind")
        norm = normalise_name(name) if problem is None else ""
        if problem is None and not norm:
            problem = "entity name has no letters or digits"
        if problem:
            report.refuse("entities", eid, problem)
            continue
        if (norm, kind) not in ours:
            cur = conn.execute("INSERT INTO entities (name, norm, kind, created_at) VALUES (?, ?, ?, ?)",
                               [" ".join(name.split()), norm, kind, utc_now()])
            ours[(norm, kind)] = cur.lastrowid
            added[eid] = cur.lastrowid
            report.entities_added += 1
        mapping[eid] = ours[(norm, kind)]
    if added and _has_table(other, "aliases"):
        for rowid, eid, alias, too_long in _q(
                other, f"SELECT rowid, entity_id, {_bounded('alias', v.MAX_NAME_CHARS * 4)} FROM aliases"):
            if eid not in added:
                continue
            problem = "alias is too long" if too_long else v.check_name(alias, "alias")
            norm = normalise_name(alias) if problem is None else ""
            if problem or not norm:
                report.refuse("aliases", rowid, problem or "alias has no letters or digits")
                continue
            conn.execute("INSERT OR IGNORE INTO aliases (entity_id, alias, norm) VALUES (?, ?, ?)",
                         [added[eid], " ".join(alias.split()), norm])
    return mapping


_QUOTE_FIELDS = ("kind", "speaker", "entity_id", "confidence", "replaces_id", "detector_version", "created_at",
                 "form", "content_start", "content_end")   # the last three: reported speech (0004_quote_forms)


def _merge_quotes(conn, other, report, article_map, entity_map):
    """{their quote id: ours}: detected quotes matched by article and span (added when missing),
    hand-marked ones by article, span and annotator. A span must lie inside our copy of the
    article; the quote's text is taken from it."""
    ours = {}
    for qid, article_id, start, end, origin, annotator in conn.execute(
            'SELECT id, article_id, start, "end", origin, annotator FROM quotes ORDER BY id'):
        key = (article_id, start, end, origin, annotator if origin == "human" else None)
        ours.setdefault(key, qid)
    lengths: dict[int, int] = {}
    have = {r[1] for r in other.execute("SELECT * FROM pragma_table_info('quotes')")}
    extra = [f for f in _QUOTE_FIELDS if f in have]
    select = ", ".join(_bounded(f, v.MAX_FIELD_CHARS) for f in extra)
    mapping, replaces = {}, []
    for row in _q(other, f'SELECT id, article_id, start, "end", origin, {_bounded("annotator", v.MAX_NAME_CHARS * 4)}'
                         f"{', ' if extra else ''}{select} FROM quotes ORDER BY id"):
        qid, their_article, start, end, origin, annotator, name_too_long = row[:7]
        article_id = article_map.get(their_article)
        if article_id is None:
            report.refuse("quotes", qid, f"its article {shown(their_article, 40)} was refused or is not in the file")
            continue
        if article_id not in lengths:
            lengths[article_id] = conn.execute("SELECT length(text) FROM articles WHERE id = ?",
                                               [article_id]).fetchone()[0]
        problem = v.check_choice(origin, v.ORIGINS, "quote origin") or v.check_span(start, end, lengths[article_id])
        if problem is None and origin == "human":
            problem = "annotator name is too long" if name_too_long else v.check_name(annotator, "annotator")
        values = {}
        for i, name in enumerate(extra):
            value, too_long = row[7 + 2 * i], row[8 + 2 * i]
            if name in ("entity_id", "replaces_id", "content_start", "content_end"):
                values[name] = value
            elif name == "form":
                problem = problem or v.check_choice(value, FORMS, "quote form")
                values[name] = value
            elif name == "confidence":
                if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
                    problem = problem or "confidence is not a number"
                values[name] = value
            else:
                problem = problem or _text_problem(value, too_long, f"quote {name}", v.MAX_FIELD_CHARS)
                values[name] = v.clean_text(value)
        if problem is None and ("content_start" in values or "content_end" in values):
            cs, ce = values.get("content_start"), values.get("content_end")
            if cs is None and ce is None:
                values.pop("content_start", None)
                values.pop("content_end", None)
            else:
                problem = v.check_span(cs, ce, lengths[article_id]) or (
                    None if cs <= start and end <= ce else "its content does not hold its quoted words")
        if problem:
            report.refuse("quotes", qid, problem)
            continue
        key = (article_id, start, end, origin, annotator if origin == "human" else None)
        if key not in ours:
            if values.get("entity_id") is not None:
                values["entity_id"] = entity_map.get(values["entity_id"])
            their_replaces = values.pop("replaces_id", None)
            values["text"] = conn.execute("SELECT substr(text, ?, ?) FROM articles WHERE id = ?",
                                          [start + 1, end - start, article_id]).fetchone()[0]
            cs, ce = values.setdefault("content_start", start), values.setdefault("content_end", end)
            values["content"] = conn.execute("SELECT substr(text, ?, ?) FROM articles WHERE id = ?",
                                             [cs + 1, ce - cs, article_id]).fetchone()[0]
            cur = conn.execute(
                f'INSERT INTO quotes (article_id, start, "end", origin, annotator, {", ".join(values)}) '
                f"VALUES (?, ?, ?, ?, ?, {', '.join('?' * len(values))})",
                [article_id, start, end, origin, annotator if origin == "human" else None, *values.values()])
            ours[key] = cur.lastrowid
            if their_replaces is not None:
                replaces.append((cur.lastrowid, their_replaces))
            report.quotes_added += 1
        mapping[qid] = ours[key]
    for new_id, their_replaces in replaces:
        if their_replaces in mapping:
            conn.execute("UPDATE quotes SET replaces_id = ? WHERE id = ?", [mapping[their_replaces], new_id])
    return mapping


def _newer(ours_time: str | None, theirs_time: str | None) -> bool:
    """Whether their edit is newer than ours (ours wins a tie or an unknown time)."""
    return (theirs_time or "") > (ours_time or "")


def _time(value, too_long, report, table, row_id) -> tuple[bool, str | None]:
    """(ok, the time as text) for an updated_at value of their file."""
    problem = _text_problem(value, too_long, "updated_at", 64)
    if problem:
        report.refuse(table, row_id, problem)
        return False, None
    return True, value


def _merge_labels(conn, other, report, maps: _Maps, titles, task_names, option_names):
    kinds = dict(conn.execute("SELECT id, kind FROM tasks"))
    theirs: dict[tuple, list] = defaultdict(lambda: [set(), None, []])
    for rowid, article_id, quote_id, annotator, task_id, option_id, updated, too_long in _q(
            other, f"SELECT rowid, article_id, quote_id, annotator, task_id, option_id, {_bounded('updated_at', 64)} "
                   "FROM labels"):
        a = maps.article(article_id, report, "labels", rowid)
        if a is None or not maps.annotator(annotator, report, "labels", rowid):
            continue
        t, (o, option_task) = maps.tasks.get(task_id), maps.options.get(option_id, (None, None))
        q = maps.quotes.get(quote_id) if quote_id is not None else None
        if t is None or o is None or (quote_id is not None and q is None):
            what = "task" if t is None else "option" if o is None else "quote"
            report.refuse("labels", rowid, f"its {what} was refused or is not in the file")
            continue
        if option_task != t:
            report.refuse("labels", rowid, "its option belongs to another task")
            continue
        ok, updated = _time(updated, too_long, report, "labels", rowid)
        if not ok:
            continue
        entry = theirs[(a, q, annotator, t)]
        entry[0].add(o)
        entry[1] = max(entry[1] or "", updated or "") or None
        entry[2].append(rowid)
    for key in [k for k, (options, _, _) in theirs.items() if v.check_single_choice(kinds.get(k[3]), options)]:
        for rowid in theirs.pop(key)[2]:
            report.refuse("labels", rowid, "more than one option chosen on a single-choice task")
    ours: dict[tuple, list] = defaultdict(lambda: [set(), None])
    # only their annotators' labels can match theirs (the annotator is part of the key): one index
    # range per name instead of every label of the project
    names = json.dumps(sorted({key[2] for key in theirs}))
    for a, q, annotator, t, o, updated in conn.execute(
            "SELECT article_id, quote_id, annotator, task_id, option_id, updated_at FROM labels "
            "WHERE annotator IN (SELECT value FROM json_each(?))", [names]):
        key = (a, q, annotator, t)
        if key in theirs:
            entry = ours[key]
            entry[0].add(o)
            entry[1] = max(entry[1] or "", updated or "") or None
    inserts = []
    for key, (options, updated, _) in theirs.items():
        maps.used.add(key[2])
        mine = ours.get(key)
        if mine is None:
            inserts.extend((*key, o, updated) for o in options)
            report.labels_added += 1
            continue
        if mine[0] == options:
            continue
        take = _newer(mine[1], updated)
        names = lambda ids: "; ".join(sorted(option_names.get(i, str(i)) for i in ids))  # noqa: E731
        uid, title = titles.get(key[0], ("", ""))
        what = task_names.get(key[3], "?") + (f" of quote {key[1]}" if key[1] is not None else "")
        report.conflicts.append(Conflict("label", uid, title, key[2], what, names(mine[0]), names(options),
                                         "theirs" if take else "ours"))
        if take:
            conn.execute("DELETE FROM labels WHERE article_id = ? AND ifnull(quote_id, 0) = ? AND annotator = ? "
                         "AND task_id = ?", [key[0], key[1] or 0, key[2], key[3]])
            inserts.extend((*key, o, updated) for o in options)
            report.replaced += 1
    conn.executemany(
        "INSERT INTO labels (article_id, quote_id, annotator, task_id, option_id, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?)", inserts)


def _merge_verdicts(conn, other, report, maps: _Maps, entity_map, titles):
    ours = {(q, a): (s, e, sp, t) for q, a, s, e, sp, t in conn.execute(
        "SELECT quote_id, annotator, status, entity_id, speaker, updated_at FROM quote_labels")}
    where = {qid: (aid, start, end)
             for qid, aid, start, end in conn.execute('SELECT id, article_id, start, "end" FROM quotes')}
    inserts = []
    for rowid, quote_id, annotator, status, entity_id, speaker, sp_too_long, updated, too_long in _q(
            other, f"SELECT rowid, quote_id, annotator, status, entity_id, {_bounded('speaker', v.MAX_FIELD_CHARS)}, "
                   f"{_bounded('updated_at', 64)} FROM quote_labels"):
        q = maps.quotes.get(quote_id)
        if q is None:
            report.refuse("quote_labels", rowid, f"its quote {shown(quote_id, 40)} was refused or is not in the file")
            continue
        if not maps.annotator(annotator, report, "quote_labels", rowid):
            continue
        problem = v.check_choice(status, v.VERDICTS, "verdict") \
            or _text_problem(speaker, sp_too_long, "speaker", v.MAX_FIELD_CHARS)
        if problem:
            report.refuse("quote_labels", rowid, problem)
            continue
        ok, updated = _time(updated, too_long, report, "quote_labels", rowid)
        if not ok:
            continue
        speaker = v.clean_text(speaker)
        maps.used.add(annotator)
        e = entity_map.get(entity_id) if entity_id is not None else None
        mine = ours.get((q, annotator))
        if mine is None:
            inserts.append((q, annotator, status, e, speaker, updated))
            ours[(q, annotator)] = (status, e, speaker, updated)
            report.verdicts_added += 1
            continue
        if mine[:3] == (status, e, speaker):
            continue
        take = _newer(mine[3], updated)
        article_id, start, end = where.get(q, (None, 0, 0))
        uid, title = titles.get(article_id, ("", ""))
        show = lambda s, sp: f"{s}" + (f" ({sp})" if sp else "")  # noqa: E731
        report.conflicts.append(Conflict("verdict", uid, title, annotator, f"quote at {start}-{end}",
                                         show(mine[0], mine[2]), show(status, speaker), "theirs" if take else "ours"))
        if take:
            conn.execute("UPDATE quote_labels SET status = ?, entity_id = ?, speaker = ?, updated_at = ? "
                         "WHERE quote_id = ? AND annotator = ?", [status, e, speaker, updated, q, annotator])
            report.replaced += 1
    conn.executemany("INSERT INTO quote_labels (quote_id, annotator, status, entity_id, speaker, updated_at) "
                     "VALUES (?, ?, ?, ?, ?, ?)", inserts)


def _merge_statuses(conn, other, report, maps: _Maps, titles):
    ours = {(a, n): (s, note or "", t) for a, n, s, note, t in conn.execute(
        "SELECT article_id, annotator, status, note, updated_at FROM article_status")}
    inserts = []
    for rowid, article_id, annotator, status, note, note_too_long, updated, too_long in _q(
            other, f"SELECT rowid, article_id, annotator, status, {_bounded('note', v.MAX_NOTE_CHARS)}, "
                   f"{_bounded('updated_at', 64)} FROM article_status"):
        a = maps.article(article_id, report, "article_status", rowid)
        if a is None or not maps.annotator(annotator, report, "article_status", rowid):
            continue
        problem = v.check_choice(status, v.ARTICLE_STATUSES, "status") \
            or _text_problem(note, note_too_long, "note", v.MAX_NOTE_CHARS)
        if problem:
            report.refuse("article_status", rowid, problem)
            continue
        ok, updated = _time(updated, too_long, report, "article_status", rowid)
        if not ok:
            continue
        note = v.clean_text(note)
        maps.used.add(annotator)
        mine = ours.get((a, annotator))
        if mine is None:
            inserts.append((a, annotator, status, note, updated))
            ours[(a, annotator)] = (status, note or "", updated)
            report.statuses_added += 1
            continue
        if mine[:2] == (status, note or ""):
            continue
        take = _newer(mine[2], updated)
        uid, title = titles.get(a, ("", ""))
        report.conflicts.append(Conflict("status", uid, title, annotator, "status and note",
                                         f"{mine[0]}: {mine[1]}".rstrip(": "), f"{status}: {note or ''}".rstrip(": "),
                                         "theirs" if take else "ours"))
        if take:
            conn.execute("UPDATE article_status SET status = ?, note = ?, updated_at = ? "
                         "WHERE article_id = ? AND annotator = ?", [status, note, updated, a, annotator])
            report.replaced += 1
    conn.executemany("INSERT INTO article_status (article_id, annotator, status, note, updated_at) "
                     "VALUES (?, ?, ?, ?, ?)", inserts)


def _merge_adjudications(conn, other, report, maps: _Maps, titles):
    if not _has_table(other, "adjudications"):
        return

    def grouped(rows, mapped: bool):
        out: dict[tuple, list] = defaultdict(lambda: [set(), None, None])
        for row in rows:
            article_id, quote_id, task_id, option_id, value, who, updated = row[:7]
            if mapped:
                rowid, value_too_long, who_too_long, time_too_long = row[7:]
                article_id = maps.article(article_id, report, "adjudications", rowid)
                if article_id is None:
                    continue
                t = maps.tasks.get(task_id) if task_id is not None else None
                o, option_task = maps.options.get(option_id, (None, None)) if option_id is not None else (None, None)
                q = maps.quotes.get(quote_id) if quote_id is not None else None
                problem = None
                if (task_id is not None and t is None) or (option_id is not None and o is None) \
                        or (quote_id is not None and q is None):
                    problem = "its task, option or quote was refused or is not in the file"
                elif o is not None and option_task != t:
                    problem = "its option belongs to another task"
                problem = problem or _text_problem(value, value_too_long, "adjudicated value", v.MAX_FIELD_CHARS) \
                    or ("adjudicator name is too long" if who_too_long else
                        v.check_name(who, "adjudicator") if who is not None else None) \
                    or _text_problem(updated, time_too_long, "updated_at", 64)
                if problem:
                    report.refuse("adjudications", rowid, problem)
                    continue
                quote_id, task_id, option_id, value = q, t, o, v.clean_text(value)
            entry = out[(article_id, quote_id, task_id)]
            entry[0].add((option_id, value or ""))
            if (updated or "") >= (entry[2] or ""):
                entry[1], entry[2] = who, updated
        return out

    sql = "SELECT article_id, quote_id, task_id, option_id, value, adjudicator, updated_at FROM adjudications"
    bounded = (f"SELECT article_id, quote_id, task_id, option_id, {_bounded('value', v.MAX_FIELD_CHARS)}, "
               f"{_bounded('adjudicator', v.MAX_NAME_CHARS * 4)}, {_bounded('updated_at', 64)}, rowid "
               "FROM adjudications")
    theirs = grouped(((r[0], r[1], r[2], r[3], r[4], r[6], r[8], r[10], r[5], r[7], r[9])
                      for r in _q(other, bounded)), True)
    ours = grouped(conn.execute(sql), False)
    for key, (values, who, updated) in theirs.items():
        mine = ours.get(key)
        if mine is not None and mine[0] == values:
            continue
        if mine is not None:
            take = _newer(mine[2], updated)
            uid, title = titles.get(key[0], ("", ""))
            show = lambda vs: "; ".join(sorted(v for _, v in vs))  # noqa: E731
            report.conflicts.append(Conflict("adjudication", uid, title, f"{mine[1]} / {who}", "adjudicated value",
                                             show(mine[0]), show(values), "theirs" if take else "ours"))
            if not take:
                continue
            conn.execute("DELETE FROM adjudications WHERE article_id = ? AND quote_id IS ? AND task_id IS ?", list(key))
            report.replaced += 1
        else:
            report.adjudications_added += 1
        conn.executemany(
            "INSERT INTO adjudications (article_id, quote_id, task_id, option_id, value, adjudicator, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", [(*key, o, v, who, updated) for o, v in values])
