"""A colleague's project merged into this one: articles (by uid), scheme, labels, quote verdicts,
hand-marked quotes, statuses and notes, adjudications, all under their annotators' names.

The other file is checked first and opened read-only (SQLite URI mode=ro, query_only, untrusted
schema); only parameterised SELECTs on known tables are run on it, so nothing in it is executed. An
item both files have for the same annotator with different values goes to the newer edit and is
listed in the report. Everything is one transaction; merging the same file again changes nothing.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.backup import backup_project
from annotator.core.store import APPLICATION_ID, SCHEMA_VERSION, SQLITE_HEADER, Project, ProjectError, utc_now

MAX_BYTES = 8 * 1024**3  # a project this size is not a colleague's annotation file
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
        return (f"{self.article_title or self.article_uid[:10]} / {self.annotator} / {self.what}: "
                f"ours {self.ours!r}, theirs {self.theirs!r}: {kept}")


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

    @property
    def changed(self) -> int:
        return (self.articles_added + self.tasks_added + self.options_added + self.entities_added + self.quotes_added
                + self.labels_added + self.verdicts_added + self.statuses_added + self.adjudications_added
                + self.replaced)

    def lines(self) -> list[str]:
        if self.refused:
            return [f"{self.path}: refused: {self.refused}"]
        out = [
            f"{self.path}: merged work of {', '.join(self.annotators) or 'nobody'}",
            f"  articles: {self.articles_matched} matched, {self.articles_added} added",
            f"  added: {self.labels_added} label choices, {self.verdicts_added} quote verdicts, "
            f"{self.quotes_added} quotes, {self.statuses_added} statuses/notes, {self.adjudications_added} "
            f"adjudications, {self.tasks_added} tasks, {self.options_added} options, {self.entities_added} entities",
            f"  replaced by newer edits: {self.replaced}; conflicts: {len(self.conflicts)}",
        ]
        out += [f"  conflict: {c}" for c in self.conflicts]
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
    for (name,) in _q(other, "SELECT DISTINCT annotator FROM labels UNION SELECT DISTINCT annotator FROM "
                             "quote_labels UNION SELECT DISTINCT annotator FROM article_status"):
        if name:
            annotators.add(name)
    if _has_table(other, "annotators"):
        annotators |= {r[0] for r in _q(other, "SELECT name FROM annotators") if r[0]}
    now = utc_now()
    conn.executemany("INSERT OR IGNORE INTO annotators (name, created_at) VALUES (?, ?)",
                     [(a, now) for a in sorted(annotators)])
    report.annotators = sorted(annotators)
    progress(4, steps, "labels")
    _merge_labels(conn, other, report, article_map, quote_map, task_map, option_map, titles, task_names, option_names)
    progress(5, steps, "quote verdicts")
    _merge_verdicts(conn, other, report, quote_map, entity_map, titles)
    progress(6, steps, "statuses and notes")
    _merge_statuses(conn, other, report, article_map, titles)
    progress(7, steps, "adjudications")
    _merge_adjudications(conn, other, report, article_map, quote_map, task_map, option_map, titles)
    progress(8, steps, "done")


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]).fetchone() is not None


def _merge_articles(conn, other, report):
    """{their article id: our id}, and {our id: (uid, title)} for naming conflicts."""
    ours = dict(conn.execute("SELECT uid, id FROM articles"))
    mapping, titles, new = {}, {}, []
    have = {r[1] for r in other.execute("SELECT * FROM pragma_table_info('articles')")}
    fields = [f for f in ("title", "outlet", "authors", "published", "url", "language", "source_path",
                          "source_index", "imported_at") if f in have]
    for row in _q(other, f"SELECT id, uid, text, {', '.join(fields)} FROM articles ORDER BY id"):
        their_id, uid, text = row[0], row[1], row[2]
        if uid in ours:
            mapping[their_id] = ours[uid]
            report.articles_matched += 1
        else:
            new.append((their_id, uid, text, dict(zip(fields, row[3:], strict=True))))
    for their_id, uid, text, extra in new:
        extra["imported_at"] = extra.get("imported_at") or utc_now()
        cur = conn.execute(
            f"INSERT INTO articles (uid, text, {', '.join(extra)}) VALUES (?, ?, {', '.join('?' * len(extra))})",
            [uid, text, *extra.values()])
        mapping[their_id] = cur.lastrowid
        ours[uid] = cur.lastrowid
        report.articles_added += 1
    for uid, title, article_id in conn.execute("SELECT uid, title, id FROM articles"):
        titles[article_id] = (uid, title or "")
    return mapping, titles


def _merge_scheme(conn, other, report):
    tasks = {(name, level): (tid, kind) for tid, name, level, kind in conn.execute(
        "SELECT id, name, level, kind FROM tasks")}
    task_map, task_names = {}, {}
    has_target = "target" in {r[1] for r in other.execute("SELECT * FROM pragma_table_info('tasks')")}
    for tid, name, kind, level, target in _q(
            other, f"SELECT id, name, kind, level, {'target' if has_target else 'NULL'} FROM tasks ORDER BY id"):
        if (name, level) not in tasks:
            position = conn.execute("SELECT coalesce(max(position), -1) + 1 FROM tasks").fetchone()[0]
            cur = conn.execute("INSERT INTO tasks (name, kind, level, target, position) VALUES (?, ?, ?, ?, ?)",
                               [name, kind, level, target, position])
            tasks[(name, level)] = (cur.lastrowid, kind)
            report.tasks_added += 1
        task_map[tid] = tasks[(name, level)][0]
        task_names[task_map[tid]] = name
    options = {(task_id, name): oid for oid, task_id, name in conn.execute("SELECT id, task_id, name FROM options")}
    option_map, option_names = {}, {}
    for oid, their_task, name in _q(other, "SELECT id, task_id, name FROM options ORDER BY task_id, id"):
        task_id = task_map.get(their_task)
        if task_id is None:
            continue
        if (task_id, name) not in options:
            position = conn.execute("SELECT coalesce(max(position), -1) + 1 FROM options WHERE task_id = ?",
                                    [task_id]).fetchone()[0]
            cur = conn.execute("INSERT INTO options (task_id, name, position) VALUES (?, ?, ?)",
                               [task_id, name, position])
            options[(task_id, name)] = cur.lastrowid
            report.options_added += 1
        option_map[oid] = options[(task_id, name)]
        option_names[option_map[oid]] = name
    return task_map, option_map, task_names, option_names


def _merge_entities(conn, other, report):
    """{their entity id: ours}: matched by normalised name and kind, else added (with their aliases)."""
    ours = {(norm, kind): eid for eid, norm, kind in conn.execute("SELECT id, norm, kind FROM entities")}
    mapping, added = {}, {}
    for eid, name, norm, kind in _q(other, "SELECT id, name, norm, kind FROM entities ORDER BY id"):
        if (norm, kind) not in ours:
            cur = conn.execute("INSERT INTO entities (name, norm, kind, created_at) VALUES (?, ?, ?, ?)",
                               [name, norm, kind, utc_now()])
            ours[(norm, kind)] = cur.lastrowid
            added[eid] = cur.lastrowid
            report.entities_added += 1
        mapping[eid] = ours[(norm, kind)]
    if added and _has_table(other, "aliases"):
        for eid, alias, norm in _q(other, "SELECT entity_id, alias, norm FROM aliases"):
            if eid in added:
                conn.execute("INSERT OR IGNORE INTO aliases (entity_id, alias, norm) VALUES (?, ?, ?)",
                             [added[eid], alias, norm])
    return mapping


def _merge_quotes(conn, other, report, article_map, entity_map):
    """{their quote id: ours}: detected quotes matched by article and span (added when missing),
    hand-marked ones by article, span and annotator."""
    ours = {}
    for qid, article_id, start, end, origin, annotator in conn.execute(
            'SELECT id, article_id, start, "end", origin, annotator FROM quotes ORDER BY id'):
        key = (article_id, start, end, origin, annotator if origin == "human" else None)
        ours.setdefault(key, qid)
    have = {r[1] for r in other.execute("SELECT * FROM pragma_table_info('quotes')")}
    extra = [f for f in ("text", "kind", "speaker", "entity_id", "confidence", "replaces_id", "detector_version",
                         "created_at") if f in have]
    mapping, replaces = {}, []
    for row in _q(other, f'SELECT id, article_id, start, "end", origin, annotator, {", ".join(extra)} '
                         "FROM quotes ORDER BY id"):
        qid, their_article, start, end, origin, annotator = row[:6]
        article_id = article_map.get(their_article)
        if article_id is None:
            continue
        key = (article_id, start, end, origin, annotator if origin == "human" else None)
        if key not in ours:
            values = dict(zip(extra, row[6:], strict=True))
            if values.get("entity_id") is not None:
                values["entity_id"] = entity_map.get(values["entity_id"])
            their_replaces = values.pop("replaces_id", None)
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


def _merge_labels(conn, other, report, article_map, quote_map, task_map, option_map, titles, task_names,
                  option_names):
    theirs: dict[tuple, list] = defaultdict(lambda: [set(), None])
    for article_id, quote_id, annotator, task_id, option_id, updated in _q(
            other, "SELECT article_id, quote_id, annotator, task_id, option_id, updated_at FROM labels"):
        a, t, o = article_map.get(article_id), task_map.get(task_id), option_map.get(option_id)
        q = quote_map.get(quote_id) if quote_id is not None else None
        if a is None or t is None or o is None or (quote_id is not None and q is None):
            continue
        entry = theirs[(a, q, annotator, t)]
        entry[0].add(o)
        entry[1] = max(entry[1] or "", updated or "") or None
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
    for key, (options, updated) in theirs.items():
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
            conn.execute("DELETE FROM labels WHERE article_id = ? AND quote_id IS ? AND annotator = ? AND task_id = ?",
                         list(key))
            inserts.extend((*key, o, updated) for o in options)
            report.replaced += 1
    conn.executemany(
        "INSERT INTO labels (article_id, quote_id, annotator, task_id, option_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
        inserts)


def _merge_verdicts(conn, other, report, quote_map, entity_map, titles):
    ours = {(q, a): (s, e, sp, t) for q, a, s, e, sp, t in conn.execute(
        "SELECT quote_id, annotator, status, entity_id, speaker, updated_at FROM quote_labels")}
    where = {qid: (aid, start, end) for qid, aid, start, end in conn.execute('SELECT id, article_id, start, "end" FROM quotes')}
    inserts = []
    for quote_id, annotator, status, entity_id, speaker, updated in _q(
            other, "SELECT quote_id, annotator, status, entity_id, speaker, updated_at FROM quote_labels"):
        q = quote_map.get(quote_id)
        if q is None:
            continue
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


def _merge_statuses(conn, other, report, article_map, titles):
    ours = {(a, n): (s, note or "", t) for a, n, s, note, t in conn.execute(
        "SELECT article_id, annotator, status, note, updated_at FROM article_status")}
    inserts = []
    for article_id, annotator, status, note, updated in _q(
            other, "SELECT article_id, annotator, status, note, updated_at FROM article_status"):
        a = article_map.get(article_id)
        if a is None:
            continue
        mine = ours.get((a, annotator))
        if mine is None:
            inserts.append((a, annotator, status, note, updated))
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


def _merge_adjudications(conn, other, report, article_map, quote_map, task_map, option_map, titles):
    if not _has_table(other, "adjudications"):
        return

    def grouped(rows, mapped: bool):
        out: dict[tuple, list] = defaultdict(lambda: [set(), None, None])
        for article_id, quote_id, task_id, option_id, value, who, updated in rows:
            if mapped:
                article_id = article_map.get(article_id)
                task_id = task_map.get(task_id) if task_id is not None else None
                option_id = option_map.get(option_id) if option_id is not None else None
                if quote_id is not None:
                    quote_id = quote_map.get(quote_id)
                    if quote_id is None:
                        continue
                if article_id is None:
                    continue
            entry = out[(article_id, quote_id, task_id)]
            entry[0].add((option_id, value or ""))
            if (updated or "") >= (entry[2] or ""):
                entry[1], entry[2] = who, updated
        return out

    sql = "SELECT article_id, quote_id, task_id, option_id, value, adjudicator, updated_at FROM adjudications"
    theirs = grouped(_q(other, sql), True)
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
