"""The project file: one SQLite database per project, read and written through sqlite-utils.

The schema grows by one migration function per version step (sqlite-utils `Migrations`), and
`PRAGMA user_version` always equals the schema version so that an older app refuses a newer file
instead of damaging it. `PRAGMA application_id` marks the file as ours.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path


def _import_sqlite_utils():
    """sqlite-utils, loaded without pandas and numpy: it imports both when they are installed, only
    to map their value types to column types, and the project never stores such values. With pandas
    installed that is about 0.5 s CPU of every start that opens a project. They stay importable by
    anything else (the None markers are taken out again at once)."""
    hidden = [name for name in ("pandas", "numpy") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None   # `import pandas` raises ImportError while this stands
    try:
        import sqlite_utils
    finally:
        for name in hidden:
            if sys.modules.get(name, False) is None:
                del sys.modules[name]
    return sqlite_utils


sqlite_utils = _import_sqlite_utils()
Migrations = sqlite_utils.Migrations

APPLICATION_ID = 0x414E4E4F  # "ANNO"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 30_000
QUICK_CHECK_MAX_BYTES = 256 * 1024**2  # about 0.5 s of checking on open; bigger files are checked daily

migrations = Migrations("annotator")


class ProjectError(Exception):
    """A project file that cannot be used; the message names the file and the problem."""


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# --- schema, one function per version step ------------------------------------------------------


@migrations(name="0001_articles_and_imports")
def _m0001(db: sqlite_utils.Database) -> None:
    db["articles"].create(
        {
            "id": int, "uid": str, "title": str, "outlet": str, "authors": str, "published": str,
            "url": str, "language": str, "text": str, "source_path": str, "source_index": int,
            "imported_at": str,
        },
        pk="id",
        not_null={"uid", "text"},
    )
    db["articles"].create_index(["uid"], unique=True)
    db["articles"].create_index(["published"])
    db["imports"].create(
        {
            "id": int, "path": str, "status": str, "message": str, "line": int, "row": int,
            "article_count": int, "duplicate_count": int, "time": str,
        },
        pk="id",
        not_null={"path", "status"},
    )


@migrations(name="0002_quotes_entities_labels")
def _m0002(db: sqlite_utils.Database) -> None:
    """Detections and everything a person adds: quotes, mentions, entities, label scheme, labels."""
    db["entities"].create(
        {"id": int, "name": str, "norm": str, "kind": str, "role": str, "created_at": str},
        pk="id", not_null={"name", "norm", "kind"}, defaults={"kind": "person"},
    )
    db["entities"].create_index(["norm"])
    db["aliases"].create(
        {"id": int, "entity_id": int, "alias": str, "norm": str},
        pk="id", foreign_keys=[("entity_id", "entities", "id")], not_null={"entity_id", "alias", "norm"},
    )
    db["aliases"].create_index(["entity_id", "norm"], unique=True)
    db["aliases"].create_index(["norm"])
    # Speaker mentions: spans naming a source. origin auto (detector) or human (annotator made it).
    db["mentions"].create(
        {
            "id": int, "article_id": int, "start": int, "end": int, "text": str, "name": str, "kind": str,
            "role": str, "entity_id": int, "link_by": str, "link_score": float, "origin": str,
            "annotator": str, "detector_version": str, "created_at": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id"), ("entity_id", "entities", "id")],
        not_null={"article_id", "start", "end", "origin"},
    )
    db["mentions"].create_index(["article_id"])
    db["mentions"].create_index(["entity_id"])
    # Quotes: a detected (origin auto, annotator NULL) or hand-marked (origin human) span of quoted words.
    # A person's verdict on a quote lives in quote_labels, one row per annotator.
    db["quotes"].create(
        {
            "id": int, "article_id": int, "start": int, "end": int, "text": str, "kind": str,
            "open_mark": str, "close_mark": str, "cue": str, "cue_start": int, "cue_end": int,
            "speaker": str, "speaker_start": int, "speaker_end": int, "speaker_role": str,
            "speaker_kind": str, "mention_id": int, "entity_id": int, "link_by": str, "link_score": float,
            "confidence": float, "origin": str, "annotator": str, "replaces_id": int,
            "detector_version": str, "created_at": str,
        },
        pk="id",
        foreign_keys=[
            ("article_id", "articles", "id"), ("entity_id", "entities", "id"), ("mention_id", "mentions", "id"),
        ],
        not_null={"article_id", "start", "end", "origin"},
    )
    db["quotes"].create_index(["article_id"])
    db["quotes"].create_index(["entity_id"])
    db["annotators"].create({"name": str, "created_at": str}, pk="name")
    # Label scheme: tasks (stance: single choice, topic: multiple choice) and their options.
    db["tasks"].create(
        {"id": int, "name": str, "kind": str, "level": str, "target": str, "position": int},
        pk="id", not_null={"name", "kind", "level"}, defaults={"level": "article", "position": 0},
    )
    db["tasks"].create_index(["name", "level"], unique=True)
    db["options"].create(
        {"id": int, "task_id": int, "name": str, "shortcut": str, "position": int},
        pk="id", foreign_keys=[("task_id", "tasks", "id")], not_null={"task_id", "name"},
    )
    db["options"].create_index(["task_id", "name"], unique=True)
    # Labels: one row per (item, annotator, task, chosen option); item is an article or a quote.
    db["labels"].create(
        {
            "id": int, "article_id": int, "quote_id": int, "annotator": str, "task_id": int,
            "option_id": int, "updated_at": str,
        },
        pk="id",
        foreign_keys=[
            ("article_id", "articles", "id"), ("quote_id", "quotes", "id"), ("task_id", "tasks", "id"),
            ("option_id", "options", "id"),
        ],
        not_null={"article_id", "annotator", "task_id", "option_id"},
    )
    db.execute(
        "CREATE UNIQUE INDEX idx_labels_unique ON labels "
        "(article_id, ifnull(quote_id, 0), annotator, task_id, option_id)"
    )
    db["labels"].create_index(["annotator"])
    # A person's verdict on a quote: confirmed / corrected / rejected, and the speaker they chose.
    db["quote_labels"].create(
        {
            "quote_id": int, "annotator": str, "status": str, "entity_id": int, "speaker": str,
            "updated_at": str,
        },
        pk=("quote_id", "annotator"),
        foreign_keys=[("quote_id", "quotes", "id"), ("entity_id", "entities", "id")],
        not_null={"status"},
    )
    # Per article and annotator: workflow status (todo / labelled / reviewed) and a note.
    db["article_status"].create(
        {"article_id": int, "annotator": str, "status": str, "note": str, "updated_at": str},
        pk=("article_id", "annotator"),
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["adjudications"].create(
        {
            "id": int, "article_id": int, "quote_id": int, "task_id": int, "option_id": int, "value": str,
            "adjudicator": str, "updated_at": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id"), ("task_id", "tasks", "id")],
    )
    db["settings"].create({"key": str, "value": str}, pk="key")


@migrations(name="0003_article_search")
def _m0003(db: sqlite_utils.Database) -> None:
    """Full-text search over titles and texts, kept current by triggers."""
    db["articles"].enable_fts(["title", "text"], create_triggers=True, tokenize="unicode61")


@migrations(name="0005_article_source_ids")
def _m0005(db: sqlite_utils.Database) -> None:
    """The news database's own id of an article (Factiva accession number, ...): one article exported
    twice, in overlapping batches or in two formats, is stored once. And which reader read each file."""
    db["articles"].add_column("source_id", str)
    db.execute("CREATE UNIQUE INDEX idx_articles_source_id ON articles (source_id) WHERE source_id IS NOT NULL")
    db["imports"].add_column("reader", str)


@migrations(name="0007_team_sync")
def _m0007(db: sqlite_utils.Database) -> None:
    """Team sync bookkeeping: settings of the team a project is joined to (server address without
    password, annotator, last pull mark), and the log of rows changed since the last sync."""
    from annotator.core.changelog import install_triggers

    db["team_sync"].create({"key": str, "value": str}, pk="key")
    db.execute("CREATE TABLE team_changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, tbl TEXT NOT NULL, "
               "key TEXT NOT NULL, changed_at TEXT NOT NULL)")
    db["team_changes"].create_index(["tbl", "key"])
    install_triggers(db.conn)


@migrations(name="0004_quote_forms")
def _m0004(db: sqlite_utils.Database) -> None:
    """Reported speech: a quote's form (direct / mixed / indirect) and its content, what the source is
    reported to have said (a mixed or indirect one's whole reported clause). Every quote stored so far
    is a direct one whose content is its quoted words; nothing else changes."""
    db.execute("ALTER TABLE quotes ADD COLUMN form TEXT NOT NULL DEFAULT 'direct'")
    db.execute("ALTER TABLE quotes ADD COLUMN content_start INTEGER")
    db.execute("ALTER TABLE quotes ADD COLUMN content_end INTEGER")
    db.execute("ALTER TABLE quotes ADD COLUMN content TEXT")
    db.execute("UPDATE quotes SET content_start = start, content_end = end, content = text")


SCHEMA_VERSION = len(migrations._migrations)


# --- opening ------------------------------------------------------------------------------------


class Project:
    """An open project file. One per thread: workers open their own with `open_project`."""

    def __init__(self, path: Path, conn: sqlite3.Connection, read_only: bool = False, copied: bool = False):
        self.path = path
        self.db = sqlite_utils.Database(conn)
        self.backup_warning: str | None = None  # why today's backup copy could not be made, if so
        self.read_only = read_only  # opened for reading: write() refuses
        self.copied = copied  # an older schema brought up to date in memory: `path` still has the old one

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """One committed transaction; taken with BEGIN IMMEDIATE so a second writer waits, not fails."""
        if self.read_only:
            raise ProjectError(f"{self.path}: opened read-only, so nothing can be changed")
        if self.conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        begin_immediate(self.conn)
        try:
            yield self.db
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    @contextlib.contextmanager
    def write_lock(self) -> Iterator[None]:
        """Hold the write lock, changing nothing (so that other readers take one snapshot meanwhile);
        sqlite3.OperationalError when the file cannot be locked for writing (opened from a read-only
        file, or a copy)."""
        if self.copied:
            raise sqlite3.OperationalError("a copy in memory has no file lock")
        begin_immediate(self.conn)
        try:
            yield
        finally:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def info(self) -> dict:
        counts = {
            "articles": self.db["articles"].count,
            "imports": self.db["imports"].count,
            "failed_imports": self.db["imports"].count_where("status = 'failed'"),
        }
        return {
            "path": str(self.path),
            "schema_version": self.schema_version,
            **counts,
            "outlets": self.conn.execute(
                "SELECT count(DISTINCT outlet) FROM articles WHERE outlet IS NOT NULL"
            ).fetchone()[0],
        }


def begin_immediate(conn: sqlite3.Connection) -> None:
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if time.monotonic() > deadline:
                raise ProjectError("the project file stayed locked by another program for 30 s") from exc
            time.sleep(0.05)


def check_project_file(path: Path, thorough: bool | None = None) -> str:
    """'new' for a file to create, 'project' for one of ours that this version can open; else ProjectError.

    Reads only: a file that is not ours, is from a newer version or is damaged is left exactly as it
    was. `thorough` runs SQLite's quick_check over every page (default: for files up to 256 MB; the
    daily backup checks bigger ones).
    """
    if not path.exists():
        if not path.parent.exists():
            raise ProjectError(f"{path}: the folder {path.parent} does not exist")
        return "new"
    if path.is_dir():
        raise ProjectError(f"{path}: is a folder, not a project file")
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        raise ProjectError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if not header:
        return "new"
    if not header.startswith(SQLITE_HEADER):
        raise ProjectError(f"{path}: not an annotator project (it is not an SQLite database)")
    if len(header) < 100:
        raise ProjectError(f"{path}: the file is truncated (shorter than an SQLite header)")
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ProjectError(f"{path}: the file is damaged or not a database ({exc})") from exc
    if app_id != APPLICATION_ID:
        if tables:
            raise ProjectError(
                f"{path}: an SQLite database, but not an annotator project (tables: {', '.join(tables[:5])})"
            )
        return "new"
    if version > SCHEMA_VERSION:
        raise ProjectError(
            f"{path}: made by a newer version of annotator (schema {version}; this version reads up to "
            f"{SCHEMA_VERSION}). Update annotator to open it; the file was not changed."
        )
    if thorough is None:
        thorough = path.stat().st_size <= QUICK_CHECK_MAX_BYTES
    if thorough:
        problem = damage(path)
        if problem:
            raise ProjectError(
                f"{path}: the file is damaged ({problem}); it was not changed. Earlier copies are listed by "
                f"`annotator restore {path} --list`."
            )
    return "project"


READ_ONLY_ADVICE = ("open it read-only or copy it (the commands that only read, such as export, agreement and "
                    "disagreements, work on it as it is)")


def storage_problem(path, exc: BaseException) -> str | None:
    """A sentence for an error of the disk or of permissions rather than of the file: read-only
    (file, folder or mount) or a full disk; None for anything else (damage, a bug). A read-only
    file is not a damaged one, and must not be reported as one: a person might restore a backup
    over a sound file."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(exc).lower()
    errno_ = getattr(exc, "errno", None) if isinstance(exc, OSError) else None
    if primary == 13 or "disk is full" in text or errno_ in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return f"{path}: the disk is full"
    if primary == 8 or "readonly database" in text or errno_ == errno.EROFS:
        return f"{path}: the file is read-only: {READ_ONLY_ADVICE}"
    if (primary == 14 or errno_ in (errno.EACCES, errno.EPERM)) and path and Path(path).exists() and not (
            os.access(path, os.W_OK) and os.access(Path(path).parent, os.W_OK)):
        return f"{path}: the file or its folder is read-only: {READ_ONLY_ADVICE}"
    return None


def read_only_uri(path: Path) -> str:
    """The URI that opens a file read-only (for sqlite3.connect(..., uri=True)). A file nobody has open
    (no -wal/-shm beside it) is opened immutable: SQLite then leaves no -wal/-shm files in its folder,
    which may be read-only; the moment another program opens it, those files exist."""
    path = Path(path)
    quiet = not any(path.with_name(path.name + end).exists() for end in ("-wal", "-shm"))
    return f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if quiet else "")


def damage(path: Path) -> str | None:
    """What PRAGMA quick_check finds wrong with a project (read-only), or None when it is sound."""
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA quick_check(3)")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None if rows == ["ok"] else "; ".join(rows)


def open_project(path: str | Path, *, create: bool = True) -> Project:
    """Open (and migrate) a project file, or create it; raises ProjectError with a clear sentence."""
    path = Path(path).expanduser()
    state = check_project_file(path)
    if state == "new" and not create:
        raise ProjectError(f"{path}: no such project")
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    except sqlite3.Error as exc:
        raise ProjectError(f"{path}: cannot be opened ({exc})") from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        project = Project(path, conn)
        if state == "project":
            _backup_if_due(project)
        _retry_while_busy(lambda: project.db.journal_mode == "wal" or project.db.enable_wal())
        conn.execute("PRAGMA synchronous = NORMAL")
        _retry_while_busy(lambda: _migrate(project))
    except ProjectError:
        conn.close()
        raise
    except sqlite3.DatabaseError as exc:
        conn.close()
        problem = storage_problem(path, exc) or f"{path}: the file is damaged or not a database ({exc})"
        raise ProjectError(problem) from exc
    return project


def open_project_read_only(path: str | Path) -> Project:
    """Open a project only to read it (export, agreement, listings): no migration, no backup, and a
    file the person may not write (or in a read-only folder) works. The same checks as open_project.

    A file of an older schema is copied into memory and brought up to date there; the file itself is
    never changed. A file nobody has open (no write-ahead log beside it) that cannot be written is
    opened immutable, so that SQLite leaves no -wal/-shm files in its folder.
    """
    path = Path(path).expanduser()
    if check_project_file(path) == "new":
        raise ProjectError(f"{path}: no such project")
    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK) and bool(path.stat().st_mode & 0o200)
    uri = f"{path.resolve().as_uri()}?mode=rw" if writable else read_only_uri(path)
    conn = None
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if migrations.pending(sqlite_utils.Database(conn)):
            memory = sqlite3.connect(":memory:", check_same_thread=False)
            conn.backup(memory)
            conn.close()
            conn = memory
            _migrate(Project(path, conn, copied=True))
            return Project(path, conn, read_only=True, copied=True)
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        raise ProjectError(f"{path}: cannot be opened for reading ({exc})") from exc
    return Project(path, conn, read_only=True)


def _retry_while_busy(step) -> None:
    """Run a step that another program opening the same file at the same moment can make fail with
    'database is locked' before SQLite's busy handler applies (switching a new file to WAL, the first
    migration); try again until the busy deadline."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            step()
            return
        except sqlite3.OperationalError as exc:
            if ("locked" not in str(exc) and "busy" not in str(exc)) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _backup_if_due(project: Project) -> None:
    """A copy before migrating (refusing to migrate without one), else the day's first copy.

    A project with no articles has nothing to lose and gets none. A daily copy that cannot be written
    (disk full, read-only folder) does not stop the project from opening: `backup_warning` says why.
    """
    from annotator.core.backup import backup_project, daily_backup_due

    if project.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles'").fetchone() is None or \
            project.conn.execute("SELECT 1 FROM articles LIMIT 1").fetchone() is None:
        return
    if migrations.pending(project.db):
        try:
            backup_project(project, "migration")
        except ProjectError as exc:
            raise ProjectError(f"{exc}. The project was not updated to this version's schema.") from exc
    elif daily_backup_due(project.path):
        try:
            backup_project(project, "daily")
        except ProjectError as exc:
            if "damaged" in str(exc):
                raise
            project.backup_warning = str(exc)


def _migrate(project: Project) -> None:
    db = project.db
    if not migrations.pending(db):
        return
    with project.write():
        if not migrations.pending(db):  # another process migrated it while this one waited
            return
        migrations.apply(db)  # each step runs in a savepoint inside this one transaction
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
