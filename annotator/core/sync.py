"""Local-first team sync of a project through the team's PostgreSQL server (see team.py).

A sync first pushes, then pulls. Push: the rows named in `team_changes` (the change log kept by
triggers, see changelog.py) are read as they are now (a row that is gone becomes a tombstone), sent
in batches, each batch in one server transaction of upserts keyed by stable keys (newer edit wins),
and only after that transaction committed are its change-log entries removed here. Pull: every row
written by a server transaction that the previous pull could not see is applied in one local
transaction, which also records the new mark. A kill or dropped connection at any point therefore
leaves either the old or the new state on each side, and the next sync finishes the work: upserts
are idempotent, nothing is sent twice as two rows, nothing is lost.

The same annotator on two machines: an edit the server got from the other machine, that this one
had not yet seen, and that differs from ours, is a conflict: the newer edit wins and it is listed,
as merge does.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core import changelog
from annotator.core.merge import Conflict
from annotator.core.store import Project, ProjectError, open_project, utc_now
from annotator.core.team import (
    FORMAT,
    LEAD_ONLY,
    TABLES,
    TeamError,
    check_schema_name,
    connect,
    create_team_schema,
    lead_role,
    safe_dsn,
)
from annotator.core.validate import (
    ARTICLE_STATUSES,
    LEVELS,
    MAX_NOTE_CHARS,
    ORIGINS,
    TASK_KINDS,
    VERDICTS,
    check_article_text,
    check_choice,
    check_field,
    check_name,
    check_single_choice,
    check_span,
    terminal_text,
)

PUSH_BATCH = 5000  # change-log entries per server transaction
ORDER = ("articles", "tasks", "options", "entities", "mentions", "quotes", "labels", "quote_labels",
         "article_status", "adjudications")
# quote and mention columns that are local ids (sent as keys instead) or part of the key
QUOTE_LOCAL = {"id", "article_id", "origin", "annotator", "mention_id", "entity_id", "replaces_id"}


@dataclass
class TeamLink:
    """What a project knows of its team (table team_sync). The DSN holds no password."""

    dsn: str
    schema: str
    annotator: str
    client: str
    lead: bool
    pull_xmin: str = "0"
    snapshot: str | None = None
    last_synced: str | None = None


@dataclass
class SyncReport:
    pushed: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    pulled: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    not_sent: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # not this role's to change
    skipped: int = 0  # pulled rows naming something this project lacks (an option, a quote)
    refused: list[str] = field(default_factory=list)  # pulled rows that break the project's rules, and why
    conflicts: list[Conflict] = field(default_factory=list)
    error: str | None = None
    offline: bool = False
    cancelled: bool = False
    pending: int = 0  # changes still waiting to be sent afterwards
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None

    def summary(self) -> str:
        """One short line for a status bar."""
        if self.offline:
            return "The team server cannot be reached: your work is kept here and sent at the next sync"
        if self.error:
            return f"Sync failed: {self.error[:160]}"
        return (f"Synced: sent {sum(self.pushed.values())}, received {sum(self.pulled.values())}, "
                f"conflicts {len(self.conflicts)}")

    def lines(self) -> list[str]:
        def counts(d):
            return ", ".join(f"{n} {t.replace('_', ' ')}" for t, n in d.items() if n) or "nothing"

        if self.error:
            return [("offline: " if self.offline else "sync failed: ") + self.error,
                    f"  {self.pending} changes wait to be sent"]
        out = [f"sent {counts(self.pushed)}", f"received {counts(self.pulled)}"]
        if any(self.not_sent.values()):
            out.append(f"not sent (only the team's lead may change these): {counts(self.not_sent)}")
        if self.refused:
            out.append(f"refused {len(self.refused)} received rows that break the project's rules:")
            out += [f"  {line}" for line in self.refused[:50]]
        if self.skipped:
            out.append(f"{self.skipped} received rows name an option or quote this project lacks; kept on the server")
        out.append(f"conflicts: {len(self.conflicts)}")
        out += [f"  conflict: {c}" for c in self.conflicts]
        if self.cancelled:
            out.append(f"cancelled; {self.pending} changes wait to be sent")
        return out


# --- the link between a project and its team ---------------------------------------------------------


def read_link(project: Project) -> TeamLink | None:
    if project.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'team_sync'").fetchone() is None:
        return None
    values = dict(project.conn.execute("SELECT key, value FROM team_sync"))
    if "annotator" not in values or "dsn" not in values:
        return None
    return TeamLink(dsn=values["dsn"], schema=values["schema"], annotator=values["annotator"],
                    client=values["client"], lead=values.get("lead") == "1", pull_xmin=values.get("pull_xmin", "0"),
                    snapshot=values.get("snapshot"), last_synced=values.get("last_synced"))


def _write_link(conn: sqlite3.Connection, **values) -> None:
    conn.executemany("INSERT INTO team_sync (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
                     "value = excluded.value", [(k, None if v is None else str(v)) for k, v in values.items()])


def _link_project(project: Project, dsn: str, schema: str, annotator: str, lead: bool) -> TeamLink:
    with project.write() as db:
        _write_link(db.conn, dsn=safe_dsn(dsn), schema=schema, annotator=annotator, client=uuid.uuid4().hex,
                    lead="1" if lead else "0", pull_xmin="0")
        changelog.install_triggers(db.conn)
        db.execute("INSERT OR IGNORE INTO annotators (name, created_at) VALUES (?, ?)", [annotator, utc_now()])
    return read_link(project)


def status_line(project: Project) -> dict:
    """last synced, changes waiting, the team (for the window's status bar and `annotator info`)."""
    link = read_link(project)
    if link is None:
        return {}
    return {"team": link.schema, "annotator": link.annotator, "last_synced": link.last_synced,
            "pending": changelog.pending_count(project.conn)}


# --- reading local rows as the server holds them -----------------------------------------------------


class _Local:
    """Lookups from server keys to local ids and back, cached for one sync."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.articles: dict[str, int] = {}
        self.tasks: dict[tuple, int | None] = {}
        self.kinds: dict[tuple, str | None] = {}
        self.label_deletes: list[tuple] = []
        self.label_inserts: list[tuple] = []
        self.options: dict[tuple, int | None] = {}
        self.entities: dict[tuple, int | None] = {}
        self.columns = {t: [r[1] for r in conn.execute(f"PRAGMA table_info({t})")]
                        for t in ("articles", "quotes", "mentions")}

    def article(self, uid: str) -> int | None:
        if uid not in self.articles:
            row = self.conn.execute("SELECT id FROM articles WHERE uid = ?", [uid]).fetchone()
            if row is None:
                return None
            self.articles[uid] = row[0]
        return self.articles[uid]

    def task(self, name: str, level: str) -> int | None:
        if (name, level) not in self.tasks:
            row = self.conn.execute("SELECT id FROM tasks WHERE name = ? AND level = ?", [name, level]).fetchone()
            self.tasks[(name, level)] = row[0] if row else None
        return self.tasks[(name, level)]

    def task_kind(self, name: str, level: str) -> str | None:
        if (name, level) not in self.kinds:
            row = self.conn.execute("SELECT kind FROM tasks WHERE name = ? AND level = ?", [name, level]).fetchone()
            self.kinds[(name, level)] = row[0] if row else None
        return self.kinds[(name, level)]

    def option(self, task_id: int, name: str) -> int | None:
        if (task_id, name) not in self.options:
            row = self.conn.execute("SELECT id FROM options WHERE task_id = ? AND name = ?", [task_id, name]).fetchone()
            self.options[(task_id, name)] = row[0] if row else None
        return self.options[(task_id, name)]

    def entity(self, norm: str | None, kind: str | None) -> int | None:
        if norm is None:
            return None
        if (norm, kind) not in self.entities:
            row = self.conn.execute("SELECT id FROM entities WHERE norm = ? AND kind = ? ORDER BY id LIMIT 1",
                                    [norm, kind]).fetchone()
            self.entities[(norm, kind)] = row[0] if row else None
        return self.entities[(norm, kind)]

    def entity_key(self, entity_id: int | None) -> tuple | None:
        if entity_id is None:
            return None
        row = self.conn.execute("SELECT norm, kind FROM entities WHERE id = ?", [entity_id]).fetchone()
        return tuple(row) if row else None

    def span(self, table: str, qkey: str) -> tuple | None:
        """(local id, article id) of the quote or mention a key names."""
        if not qkey:
            return None
        uid, start, end, origin, annotator = qkey.split(":", 4)
        article_id = self.article(uid)
        if article_id is None:
            return None
        row = self.conn.execute(
            f'SELECT id FROM {table} WHERE article_id = ? AND start = ? AND "end" = ? AND origin = ? AND '
            "annotator IS ? ORDER BY id LIMIT 1",
            [article_id, int(start), int(end), origin, annotator or None]).fetchone()
        return (row[0], article_id) if row else None

    def qkey(self, table: str, row_id: int | None) -> str:
        if row_id is None:
            return ""
        row = self.conn.execute(
            "SELECT a.uid || ':' || q.start || ':' || q.\"end\" || ':' || q.origin || ':' || "
            f"coalesce(q.annotator, '') FROM {table} q JOIN articles a ON a.id = q.article_id WHERE q.id = ?",
            [row_id]).fetchone()
        return row[0] if row else ""


def _server_row(local: _Local, table: str, key: list, changed_at: str, client: str) -> dict | None:
    """The row the server should hold for a logged key, from the project as it is now (a tombstone
    when the row is gone); None for a row that is not sent at all (an article or task removed here)."""
    conn = local.conn
    if table == "articles":
        row = conn.execute("SELECT * FROM articles WHERE uid = ?", key).fetchone()
        if row is None:
            return None
        values = dict(zip(local.columns["articles"], row, strict=True))
        fields = {k: v for k, v in values.items() if k not in ("id", "uid", "text")}
        return {"uid": values["uid"], "text": values["text"], "fields": json.dumps(fields)}
    if table == "tasks":
        row = conn.execute("SELECT kind, target, position FROM tasks WHERE name = ? AND level = ?", key).fetchone()
        return None if row is None else {"name": key[0], "level": key[1], "kind": row[0], "target": row[1],
                                         "position": row[2]}
    if table == "options":
        task_id = local.task(key[0], key[1])
        row = None if task_id is None else conn.execute(
            "SELECT shortcut, position FROM options WHERE task_id = ? AND name = ?", [task_id, key[2]]).fetchone()
        return None if row is None else {"task_name": key[0], "task_level": key[1], "name": key[2],
                                         "shortcut": row[0], "position": row[1]}
    if table == "entities":
        row = conn.execute("SELECT id, name, role FROM entities WHERE norm = ? AND kind = ? ORDER BY id LIMIT 1",
                           key).fetchone()
        if row is None:
            return None
        aliases = conn.execute("SELECT alias, norm FROM aliases WHERE entity_id = ? ORDER BY norm", [row[0]]).fetchall()
        return {"norm": key[0], "kind": key[1], "name": row[1], "role": row[2],
                "aliases": json.dumps([list(a) for a in aliases])}
    if table in ("quotes", "mentions"):
        qkey = key[0]
        uid, _start, _end, origin, annotator = qkey.split(":", 4)
        out = {"qkey": qkey, "article_uid": uid, "origin": origin, "annotator": annotator or None,
               "client": client, "fields": None, "deleted": True, "updated_at": changed_at}
        found = local.span(table, qkey)
        if found is not None:
            values = dict(zip(local.columns[table], conn.execute(f"SELECT * FROM {table} WHERE id = ?",
                                                                 [found[0]]).fetchone(), strict=True))
            fields = {k: v for k, v in values.items() if k not in QUOTE_LOCAL}
            fields["entity"] = local.entity_key(values.get("entity_id"))
            if table == "quotes":
                fields["replaces"] = local.qkey("quotes", values.get("replaces_id")) or None
            out.update(fields=json.dumps(fields), deleted=False, updated_at=values.get("created_at") or changed_at)
        return out
    if table == "labels":
        uid, qkey, annotator, task_name, task_level = key
        article_id, task_id = local.article(uid), local.task(task_name, task_level)
        quote = local.span("quotes", qkey) if qkey else None
        rows = []
        if article_id is not None and task_id is not None and (not qkey or quote is not None):
            rows = conn.execute(
                "SELECT o.name, l.updated_at FROM labels l JOIN options o ON o.id = l.option_id WHERE l.article_id = ? "
                "AND l.quote_id IS ? AND l.annotator = ? AND l.task_id = ? ORDER BY o.name",
                [article_id, quote[0] if quote else None, annotator, task_id]).fetchall()
        updated = max((r[1] or "" for r in rows), default="") or changed_at
        return {"article_uid": uid, "qkey": qkey, "annotator": annotator, "task_name": task_name,
                "task_level": task_level, "options": json.dumps([r[0] for r in rows]), "updated_at": updated,
                "client": client}
    if table == "quote_labels":
        qkey, annotator = key
        quote = local.span("quotes", qkey)
        row = None if quote is None else conn.execute(
            "SELECT status, entity_id, speaker, updated_at FROM quote_labels WHERE quote_id = ? AND annotator = ?",
            [quote[0], annotator]).fetchone()
        entity = local.entity_key(row[1]) if row else None
        return {"qkey": qkey, "annotator": annotator, "status": row[0] if row else None,
                "entity_norm": entity[0] if entity else None, "entity_kind": entity[1] if entity else None,
                "speaker": row[2] if row else None, "updated_at": (row[3] if row else None) or changed_at,
                "client": client}
    if table == "article_status":
        uid, annotator = key
        article_id = local.article(uid)
        row = None if article_id is None else conn.execute(
            "SELECT status, note, updated_at FROM article_status WHERE article_id = ? AND annotator = ?",
            [article_id, annotator]).fetchone()
        return {"article_uid": uid, "annotator": annotator, "status": row[0] if row else None,
                "note": row[1] if row else None, "deleted": row is None,
                "updated_at": (row[2] if row else None) or changed_at, "client": client}
    if table == "adjudications":
        uid, qkey, task_name, task_level = key
        article_id = local.article(uid)
        task_id = local.task(task_name, task_level) if task_name else None
        quote = local.span("quotes", qkey) if qkey else None
        rows = []
        if article_id is not None and (not task_name or task_id is not None) and (not qkey or quote is not None):
            rows = conn.execute(
                "SELECT o.name, a.value, a.adjudicator, a.updated_at FROM adjudications a LEFT JOIN options o "
                "ON o.id = a.option_id WHERE a.article_id = ? AND a.quote_id IS ? AND a.task_id IS ? "
                "ORDER BY o.name, a.value", [article_id, quote[0] if quote else None, task_id]).fetchall()
        return {"article_uid": uid, "qkey": qkey, "task_name": task_name, "task_level": task_level,
                "vals": json.dumps([[r[0], r[1]] for r in rows]), "adjudicator": rows[0][2] if rows else None,
                "updated_at": max((r[3] or "" for r in rows), default="") or changed_at, "client": client}
    raise ValueError(table)


def _allowed(link: TeamLink, table: str, row: dict, everything: bool) -> bool:
    """Whether this member may send the row (the server refuses the rest anyway)."""
    if everything:
        return True
    if table in LEAD_ONLY:
        return link.lead
    if table in ("quotes", "mentions") and row["origin"] != "human":
        return link.lead
    return row["annotator"] == link.annotator


# --- push ----------------------------------------------------------------------------------------


def _value_columns(table: str) -> list[str]:
    pk, columns = TABLES[table]
    return [c for c in columns if c not in pk and c not in ("updated_at", "client")]


def _send(pg, schema: str, table: str, rows: list[dict], snapshot: str | None, titles, report: SyncReport) -> None:
    """Upsert rows through a staging table; rows the server holds from another machine that this one
    had not seen, with other values, are conflicts (the newer edit wins)."""
    pk, columns = TABLES[table]
    names = list(columns)
    quoted = ", ".join(f'"{c}"' for c in names)
    stage = f"stage_{table}"
    pg.execute(f'CREATE TEMP TABLE IF NOT EXISTS {stage} (LIKE "{schema}".{table} INCLUDING DEFAULTS) '
               "ON COMMIT DELETE ROWS")
    with pg.cursor().copy(f"COPY {stage} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row.get(c) for c in names])
    values = _value_columns(table)
    join = " AND ".join(f's."{c}" = t."{c}"' for c in pk)
    differs = f"({', '.join('s.' + chr(34) + c + chr(34) for c in values)}) IS DISTINCT FROM " \
              f"({', '.join('t.' + chr(34) + c + chr(34) for c in values)})"
    own = "updated_at" in columns
    if own:
        unseen = "true" if snapshot is None else "NOT pg_visible_in_snapshot(t.txid, %s::pg_snapshot)"
        found = pg.execute(
            f'SELECT {", ".join("s." + chr(34) + c + chr(34) for c in pk)}, '
            f'{", ".join("s." + chr(34) + c + chr(34) for c in values)}, s.updated_at, '
            f'{", ".join("t." + chr(34) + c + chr(34) for c in values)}, t.updated_at '
            f'FROM {stage} s JOIN "{schema}".{table} t ON {join} WHERE t.client IS DISTINCT FROM s.client '
            f"AND {differs} AND {unseen}", [snapshot] if snapshot is not None else []).fetchall()
        n, m = len(pk), len(values)
        for row in found:
            key, ours, our_time = row[:n], row[n:n + m], row[n + m]
            theirs, their_time = row[n + m + 1:n + 2 * m + 1], row[-1]
            report.conflicts.append(_conflict(table, dict(zip(pk, key, strict=True)), ours, theirs,
                                              "theirs" if (their_time or "") > (our_time or "") else "ours", titles))
    updates = ", ".join(f'"{c}" = excluded."{c}"' for c in names if c not in pk)
    newer = f' WHERE "{table}".updated_at IS NULL OR "{table}".updated_at <= excluded.updated_at' if own else ""
    still = f" AND ({', '.join(chr(34) + table + chr(34) + '.' + chr(34) + c + chr(34) for c in values)}) " \
            f"IS DISTINCT FROM ({', '.join('excluded.' + chr(34) + c + chr(34) for c in values)})"
    where = (newer + still) if own else " WHERE" + still[4:]
    pg.execute(f'INSERT INTO "{schema}".{table} AS "{table}" ({quoted}) SELECT {quoted} FROM {stage} '
               f"ON CONFLICT ({', '.join(pk)}) DO UPDATE SET {updates}{where}")
    report.pushed[table] += len(rows)


def _show(table: str, values: tuple) -> str:
    if table == "labels":
        return "; ".join(json.loads(values[0]) if isinstance(values[0], str) else values[0]) or "(none)"
    if table == "quote_labels":
        return f"{values[0] or 'no verdict'}" + (f" ({values[3]})" if values[3] else "")
    if table == "article_status":
        return "deleted" if values[2] else f"{values[0]}: {values[1] or ''}".rstrip(": ")
    return "deleted" if values and values[-1] is True else "changed"


def _conflict(table: str, key: dict, ours, theirs, winner: str, titles) -> Conflict:
    uid = key.get("article_uid") or key.get("qkey", "").split(":", 1)[0]
    kind = {"labels": "label", "quote_labels": "verdict", "article_status": "status"}.get(table, table)
    what = key.get("task_name") or ("quote at " + ":".join(key["qkey"].split(":")[1:3]) if key.get("qkey") else
                                    "status and note")
    if table in ("quotes", "mentions"):
        what = f"{table[:-1]} at " + "-".join(key["qkey"].split(":")[1:3])
    if table == "labels" and key.get("qkey"):
        what += " of quote at " + "-".join(key["qkey"].split(":")[1:3])
    return Conflict(kind, uid, titles(uid), key.get("annotator", ""), what, _show(table, tuple(ours)),
                    _show(table, tuple(theirs)), winner)


def push(project: Project, pg, link: TeamLink, report: SyncReport, *, everything: bool = False,
         cancelled=None, progress=None, batch: int = PUSH_BATCH) -> None:
    """Send the logged changes, one server transaction per batch; a batch's log entries go only
    after the server committed it."""
    conn = project.conn
    local = _Local(conn)
    titles_cache: dict[str, str] = {}

    def titles(uid: str) -> str:
        if uid not in titles_cache:
            row = conn.execute("SELECT title FROM articles WHERE uid = ?", [uid]).fetchone()
            titles_cache[uid] = (row[0] or "") if row else ""
        return titles_cache[uid]

    total = conn.execute("SELECT count(*) FROM team_changes").fetchone()[0]
    done = 0
    last_seq = 0
    while True:
        if cancelled is not None and cancelled():
            report.cancelled = True
            return
        entries = conn.execute("SELECT seq, tbl, key, changed_at FROM team_changes WHERE seq > ? ORDER BY seq LIMIT ?",
                               [last_seq, batch]).fetchall()
        if not entries:
            return
        top = entries[-1][0]
        latest: dict[tuple, str] = {}
        for _seq, table, key, changed_at in entries:
            latest[(table, key)] = max(latest.get((table, key), ""), changed_at)
        rows: dict[str, list[dict]] = defaultdict(list)
        for (table, key), changed_at in latest.items():
            row = _server_row(local, table, json.loads(key), changed_at, link.client)
            if row is None:
                continue
            row["client"] = link.client
            if _allowed(link, table, row, everything):
                rows[table].append(row)
            else:
                report.not_sent[table] += 1
        try:
            with pg.transaction():
                for table in ORDER:
                    if rows.get(table):
                        _send(pg, link.schema, table, rows[table], link.snapshot, titles, report)
        except Exception as exc:
            _raise_server(exc)
        # the server has them: forget those log entries (ones logged meanwhile have higher seq)
        with project.write() as db:
            db.execute("DELETE FROM team_changes WHERE seq <= ?", [top])
        last_seq = top
        done += len(entries)
        if progress is not None:
            progress(done, max(total, done), "sent")


def _raise_server(exc: Exception):
    import psycopg

    if isinstance(exc, psycopg.errors.InsufficientPrivilege):
        raise TeamError(f"the server refused a change ({str(exc).strip()})") from exc
    if isinstance(exc, psycopg.Error):
        raise TeamError(f"the team server: {str(exc).strip()}") from exc
    raise exc


# --- pull ----------------------------------------------------------------------------------------


def _select(pg, schema: str, table: str, mark: str, client: str):
    """The rows others wrote since `mark`; a first pull (a join) streams through a server-side cursor,
    a later one, small, comes in one round trip."""
    pk, columns = TABLES[table]
    cols = ", ".join(f'"{c}"' for c in columns)
    sql = (f'SELECT {cols} FROM "{schema}".{table} WHERE txid >= %s::xid8 AND client IS DISTINCT FROM %s '
           "ORDER BY txid")
    if mark == "0":
        with pg.cursor(name=f"pull_{table}") as cur:
            cur.itersize = 5000
            cur.execute(sql, [mark, client])
            for row in cur:
                yield dict(zip(columns, row, strict=True))
        return
    for row in pg.execute(sql, [mark, client]):
        yield dict(zip(columns, row, strict=True))


def pull(project: Project, pg, link: TeamLink, report: SyncReport, *, cancelled=None, progress=None) -> None:
    """Apply everything written on the server since the last pull, in one local transaction that
    also records the new mark (REPEATABLE READ on the server: one consistent snapshot)."""
    try:
        with pg.transaction():
            pg.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            snapshot, xmin = pg.execute(
                "SELECT pg_current_snapshot()::text, pg_snapshot_xmin(pg_current_snapshot())::text").fetchone()
            with project.write() as db:
                conn = db.conn
                _write_link(conn, applying="1")
                pending = set(conn.execute("SELECT DISTINCT tbl, key FROM team_changes"))
                local = _Local(conn)
                names = set()
                for step, table in enumerate(ORDER):
                    if cancelled is not None and cancelled():
                        raise _Cancelled
                    if progress is not None:
                        progress(step, len(ORDER), f"receiving {table.replace('_', ' ')}")
                    apply = _APPLY[table]
                    logged = changelog.LOGGED_AS.get(table, table)
                    # rows this project wrote itself are not sent back (client); it has them
                    for row in _select(pg, link.schema, table, link.pull_xmin, link.client):
                        if pending and (logged, _pending_key(table, row)) in pending:
                            continue  # changed here since: sent next time, newer edit wins there
                        problem = pulled_row_problem(local, table, row)
                        if problem:
                            key = _pending_key(table, row)
                            report.refused.append(f"{table.replace('_', ' ')} {terminal_text(key)}: {problem}")
                        elif apply(local, row):
                            report.pulled[table] += 1
                        else:
                            report.skipped += 1
                        if row.get("annotator"):
                            names.add(row["annotator"])
                    if table == "labels":
                        _flush_labels(local)
                now = utc_now()
                conn.executemany("INSERT OR IGNORE INTO annotators (name, created_at) VALUES (?, ?)",
                                 [(n, now) for n in sorted(names)])
                conn.execute("DELETE FROM team_sync WHERE key = 'applying'")
                _write_link(conn, pull_xmin=xmin, snapshot=snapshot, last_synced=now)
    except _Cancelled:
        report.cancelled = True
        return
    except TeamError:
        raise
    except sqlite3.Error:
        raise
    except Exception as exc:
        _raise_server(exc)
    link.pull_xmin, link.snapshot = xmin, snapshot
    if progress is not None:
        progress(len(ORDER), len(ORDER), "received")


class _Cancelled(Exception):
    pass


def _texts(values: dict, what: str) -> str | None:
    for name, value in values.items():
        if isinstance(value, str) and (problem := check_field(value, f"{what} {name}", MAX_NOTE_CHARS)):
            return problem
    return None


def pulled_row_problem(local: _Local, table: str, row: dict) -> str | None:
    """Why a row from the server may not enter the project (the rules every other door uses,
    annotator.core.validate), or None. Another member's login can write odd values to the server."""
    def name(value, what):
        return None if value is None else check_name(value, what)

    if table == "articles":
        fields = row["fields"] if isinstance(row["fields"], dict) else None
        if fields is None:
            return "article fields are not an object"
        # the uid is only the server's key here: a project made by an older version may hold uids
        # computed another way, and every row of its team refers to them
        return check_article_text(row["text"]) or check_field(row["uid"], "uid", 200) or _texts(fields, "article")
    if table == "tasks":
        return (check_name(row["name"], "task") or check_choice(row["kind"], TASK_KINDS, "task kind")
                or check_choice(row["level"], LEVELS, "task level"))
    if table == "options":
        return check_name(row["name"], "option") or check_field(row["shortcut"], "shortcut", 20)
    if table == "entities":
        aliases = row["aliases"]
        if not isinstance(aliases, list) or not all(isinstance(a, list) and len(a) == 2 for a in aliases):
            return "aliases are not a list of pairs"
        return check_name(row["name"], "entity") or next(
            (p for a, _n in aliases if (p := check_name(a, "alias"))), None)
    if table in ("quotes", "mentions"):
        problem = check_choice(row["origin"], ORIGINS, "origin") or name(row["annotator"], "annotator")
        if problem or row["deleted"]:
            return problem
        fields = row["fields"]
        if not isinstance(fields, dict):
            return f"{table[:-1]} fields are not an object"
        _uid, start, end, *_ = row["qkey"].split(":", 4)
        article_id = local.article(row["article_uid"])
        if article_id is not None and start.isdigit() and end.isdigit():
            length = local.conn.execute("SELECT length(text) FROM articles WHERE id = ?", [article_id]).fetchone()[0]
            problem = check_span(int(start), int(end), length)
        elif article_id is not None:
            problem = f"span {terminal_text(start)}-{terminal_text(end)} is not two whole numbers"
        return problem or _texts({k: v for k, v in fields.items() if k != "entity"}, table[:-1])
    if table == "labels":
        options = row["options"]
        if not isinstance(options, list) or not all(isinstance(o, str) for o in options):
            return "options are not a list of names"
        kind = local.task_kind(row["task_name"], row["task_level"])
        return check_name(row["annotator"], "annotator") or (check_single_choice(kind, options) if kind else None)
    if table == "quote_labels":
        return (check_name(row["annotator"], "annotator")
                or (None if row["status"] is None else check_choice(row["status"], VERDICTS, "verdict"))
                or check_field(row["speaker"], "speaker"))
    if table == "article_status":
        return (check_name(row["annotator"], "annotator")
                or (None if row["deleted"] else check_choice(row["status"], ARTICLE_STATUSES, "status"))
                or check_field(row["note"], "note", MAX_NOTE_CHARS))
    if table == "adjudications":
        vals = row["vals"]
        if not isinstance(vals, list) or not all(isinstance(v, list) and len(v) == 2 for v in vals):
            return "adjudicated values are not a list of pairs"
        return name(row["adjudicator"], "adjudicator") or next(
            (p for _o, v in vals if (p := check_field(v, "adjudicated value"))), None)
    return None


def _pending_key(table: str, row: dict) -> str | None:
    """The change-log key a pulled row would have here (to leave rows changed here alone)."""
    parts = {
        "labels": ("article_uid", "qkey", "annotator", "task_name", "task_level"),
        "quote_labels": ("qkey", "annotator"),
        "article_status": ("article_uid", "annotator"),
        "quotes": ("qkey",), "mentions": ("qkey",),
        "adjudications": ("article_uid", "qkey", "task_name", "task_level"),
        "tasks": ("name", "level"), "options": ("task_name", "task_level", "name"), "entities": ("norm", "kind"),
        "articles": ("uid",),
    }[table]
    return json.dumps([row[p] for p in parts], separators=(",", ":"), ensure_ascii=False)


def _apply_article(local: _Local, row: dict) -> bool:
    fields = {k: v for k, v in json.loads(row["fields"]).items() if k in local.columns["articles"] and k != "id"} \
        if isinstance(row["fields"], str) else {k: v for k, v in row["fields"].items()
                                                  if k in local.columns["articles"] and k != "id"}
    fields["imported_at"] = fields.get("imported_at") or utc_now()
    if fields.get("source_id") is not None and local.conn.execute(
        "SELECT 1 FROM articles WHERE source_id = ? AND uid != ?", [fields["source_id"], row["uid"]]
    ).fetchone():  # the same database article, exported with another text here: keep both, the id once
        fields["source_id"] = None
    cols = ["uid", "text", *fields]
    cur = local.conn.execute(
        f"INSERT INTO articles ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
        "ON CONFLICT (uid) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in fields),
        [row["uid"], row["text"], *fields.values()])
    if cur.lastrowid:
        local.articles.pop(row["uid"], None)
    return True


def _apply_task(local: _Local, row: dict) -> bool:
    local.conn.execute(
        "INSERT INTO tasks (name, level, kind, target, position) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name, level) "
        "DO UPDATE SET kind = excluded.kind, target = excluded.target, position = excluded.position",
        [row["name"], row["level"], row["kind"], row["target"], row["position"] or 0])
    local.tasks.pop((row["name"], row["level"]), None)
    local.kinds.pop((row["name"], row["level"]), None)
    return True


def _apply_option(local: _Local, row: dict) -> bool:
    task_id = local.task(row["task_name"], row["task_level"])
    if task_id is None:
        return False
    shortcut = row["shortcut"]
    if shortcut and local.conn.execute("SELECT 1 FROM options WHERE task_id = ? AND shortcut = ? AND name <> ?",
                                       [task_id, shortcut, row["name"]]).fetchone():
        shortcut = None  # the key is taken here by another option
    local.conn.execute(
        "INSERT INTO options (task_id, name, shortcut, position) VALUES (?, ?, ?, ?) ON CONFLICT (task_id, name) "
        "DO UPDATE SET shortcut = excluded.shortcut, position = excluded.position",
        [task_id, row["name"], shortcut, row["position"] or 0])
    local.options.pop((task_id, row["name"]), None)
    return True


def _apply_entity(local: _Local, row: dict) -> bool:
    conn = local.conn
    entity_id = local.entity(row["norm"], row["kind"])
    if entity_id is None:
        entity_id = conn.execute("INSERT INTO entities (name, norm, kind, role, created_at) VALUES (?, ?, ?, ?, ?)",
                                 [row["name"], row["norm"], row["kind"], row["role"], utc_now()]).lastrowid
        local.entities[(row["norm"], row["kind"])] = entity_id
    else:
        conn.execute("UPDATE entities SET name = ?, role = ? WHERE id = ?", [row["name"], row["role"], entity_id])
    aliases = row["aliases"] if isinstance(row["aliases"], list) else json.loads(row["aliases"])
    conn.execute("DELETE FROM aliases WHERE entity_id = ? AND norm NOT IN (SELECT value ->> 1 FROM json_each(?))",
                 [entity_id, json.dumps(aliases)])
    conn.executemany("INSERT OR IGNORE INTO aliases (entity_id, alias, norm) VALUES (?, ?, ?)",
                     [(entity_id, a, n) for a, n in aliases])
    return True


def _apply_span(table: str):
    def apply(local: _Local, row: dict) -> bool:
        conn = local.conn
        found = local.span(table, row["qkey"])
        if row["deleted"]:
            if found is None:
                return True
            span_id = found[0]
            if table == "mentions":
                conn.execute("UPDATE quotes SET mention_id = NULL WHERE mention_id = ?", [span_id])
            else:
                used = conn.execute("SELECT 1 FROM labels WHERE quote_id = ? AND annotator IS NOT ? UNION ALL "
                                    "SELECT 1 FROM quote_labels WHERE quote_id = ? AND annotator IS NOT ? LIMIT 1",
                                    [span_id, row["annotator"], span_id, row["annotator"]]).fetchone()
                if used:
                    return False  # someone here still refers to it
                conn.execute("DELETE FROM labels WHERE quote_id = ?", [span_id])
                conn.execute("DELETE FROM quote_labels WHERE quote_id = ?", [span_id])
                conn.execute("UPDATE quotes SET replaces_id = NULL WHERE replaces_id = ?", [span_id])
            conn.execute(f"DELETE FROM {table} WHERE id = ?", [span_id])
            return True
        uid, start, end, origin, annotator = row["qkey"].split(":", 4)
        article_id = local.article(uid)
        if article_id is None:
            return False
        fields = row["fields"] if isinstance(row["fields"], dict) else json.loads(row["fields"])
        entity = fields.pop("entity", None)
        replaces = fields.pop("replaces", None)
        values = {k: v for k, v in fields.items() if k in local.columns[table] and k not in QUOTE_LOCAL}
        values.update(article_id=article_id, start=int(start), end=int(end), origin=origin,
                      annotator=annotator or None, entity_id=local.entity(*entity) if entity else None)
        if table == "quotes":
            values["replaces_id"] = (local.span("quotes", replaces) or (None,))[0] if replaces else None
        cols = list(values)
        if found is None:
            conn.execute(f"INSERT INTO {table} ({', '.join(chr(34) + c + chr(34) for c in cols)}) "
                         f"VALUES ({', '.join('?' * len(cols))})", list(values.values()))
        else:
            conn.execute(f"UPDATE {table} SET {', '.join(chr(34) + c + chr(34) + ' = ?' for c in cols)} WHERE id = ?",
                         [*values.values(), found[0]])
        return True

    return apply


def _apply_labels(local: _Local, row: dict) -> bool:
    article_id, task_id = local.article(row["article_uid"]), local.task(row["task_name"], row["task_level"])
    quote = local.span("quotes", row["qkey"]) if row["qkey"] else None
    if article_id is None or task_id is None or (row["qkey"] and quote is None):
        return False
    quote_id = quote[0] if quote else None
    names = row["options"] if isinstance(row["options"], list) else json.loads(row["options"])
    option_ids = [local.option(task_id, n) for n in names]
    if any(o is None for o in option_ids):
        return False
    # one key per server row: all deletes, then all inserts, at the end of the table (flush_labels)
    local.label_deletes.append((article_id, quote_id, row["annotator"], task_id))
    local.label_inserts.extend((article_id, quote_id, row["annotator"], task_id, o, row["updated_at"])
                               for o in option_ids)
    return True


def _flush_labels(local: _Local) -> None:
    local.conn.executemany("DELETE FROM labels WHERE article_id = ? AND quote_id IS ? AND annotator = ? AND "
                           "task_id = ?", local.label_deletes)
    local.conn.executemany("INSERT INTO labels (article_id, quote_id, annotator, task_id, option_id, updated_at) "
                           "VALUES (?, ?, ?, ?, ?, ?)", local.label_inserts)
    local.label_deletes.clear()
    local.label_inserts.clear()


def _apply_verdict(local: _Local, row: dict) -> bool:
    quote = local.span("quotes", row["qkey"])
    if quote is None:
        return False
    conn = local.conn
    if row["status"] is None:
        conn.execute("DELETE FROM quote_labels WHERE quote_id = ? AND annotator = ?", [quote[0], row["annotator"]])
        return True
    conn.execute(
        "INSERT INTO quote_labels (quote_id, annotator, status, entity_id, speaker, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (quote_id, annotator) DO UPDATE SET status = excluded.status, entity_id = excluded.entity_id, "
        "speaker = excluded.speaker, updated_at = excluded.updated_at",
        [quote[0], row["annotator"], row["status"], local.entity(row["entity_norm"], row["entity_kind"]),
         row["speaker"], row["updated_at"]])
    return True


def _apply_status(local: _Local, row: dict) -> bool:
    article_id = local.article(row["article_uid"])
    if article_id is None:
        return False
    if row["deleted"]:
        local.conn.execute("DELETE FROM article_status WHERE article_id = ? AND annotator = ?",
                           [article_id, row["annotator"]])
        return True
    local.conn.execute(
        "INSERT INTO article_status (article_id, annotator, status, note, updated_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (article_id, annotator) DO UPDATE SET status = excluded.status, note = excluded.note, "
        "updated_at = excluded.updated_at",
        [article_id, row["annotator"], row["status"], row["note"], row["updated_at"]])
    return True


def _apply_adjudication(local: _Local, row: dict) -> bool:
    article_id = local.article(row["article_uid"])
    task_id = local.task(row["task_name"], row["task_level"]) if row["task_name"] else None
    quote = local.span("quotes", row["qkey"]) if row["qkey"] else None
    if article_id is None or (row["task_name"] and task_id is None) or (row["qkey"] and quote is None):
        return False
    quote_id = quote[0] if quote else None
    vals = row["vals"] if isinstance(row["vals"], list) else json.loads(row["vals"])
    conn = local.conn
    conn.execute("DELETE FROM adjudications WHERE article_id = ? AND quote_id IS ? AND task_id IS ?",
                 [article_id, quote_id, task_id])
    conn.executemany(
        "INSERT INTO adjudications (article_id, quote_id, task_id, option_id, value, adjudicator, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(article_id, quote_id, task_id, local.option(task_id, name) if name and task_id else None, value,
          row["adjudicator"], row["updated_at"]) for name, value in vals])
    return True


_APPLY = {
    "articles": _apply_article, "tasks": _apply_task, "options": _apply_option, "entities": _apply_entity,
    "mentions": _apply_span("mentions"), "quotes": _apply_span("quotes"), "labels": _apply_labels,
    "quote_labels": _apply_verdict, "article_status": _apply_status, "adjudications": _apply_adjudication,
}


# --- the three operations ------------------------------------------------------------------------


def _member(pg, schema: str) -> tuple[str | None, bool]:
    """(annotator name mapped to this login, whether it is the team's lead)."""
    if pg.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema]).fetchone() is None:
        raise TeamError(f"the server holds no team named {schema!r}")
    try:
        row = pg.execute(f'SELECT annotator, is_lead FROM "{schema}".members WHERE role_name = current_user').fetchone()
    except Exception as exc:
        _raise_server(exc)
    made = pg.execute(f'SELECT value FROM "{schema}".meta WHERE key = %s', ["format"]).fetchone()
    if made is None or not str(made[0]).isdigit() or int(made[0]) > int(FORMAT):
        raise TeamError(f"the team {schema!r} was made by a newer version of annotator (server format "
                        f"{made[0] if made else '?'}; this version knows {FORMAT}): update annotator to join it")
    # the lead who made the team owns its tables (and may not be a member of the lead role)
    lead = pg.execute("SELECT pg_has_role(current_user, %s, 'MEMBER')", [lead_role(schema)]).fetchone()[0]
    return (row[0] if row else None), bool(lead or (row and row[1]))


def init_team(project: Project, dsn: str, annotator: str, schema: str = "team", progress=None) -> SyncReport:
    """Make the team on the server from this (the lead's) project and send all of it."""
    check_schema_name(schema)
    if read_link(project) is not None:
        raise TeamError(f"{project.path} already belongs to the team {read_link(project).schema!r}")
    with connect(dsn) as pg:
        try:
            with pg.transaction():
                create_team_schema(pg, schema, annotator)
        except TeamError:
            raise
        except Exception as exc:
            import psycopg

            if isinstance(exc, psycopg.errors.InsufficientPrivilege):
                raise TeamError("this connection may not create a schema and roles on the server: use an "
                                "administrator's (CREATEROLE and CREATE on the database)") from exc
            _raise_server(exc)
    _link_project(project, dsn, schema, annotator, lead=True)
    with project.write() as db:  # everything there is, as if just changed
        now = changelog.TIME
        for table, key in changelog.KEYS.items():
            logged = changelog.LOGGED_AS.get(table, table)
            db.execute(f"INSERT INTO team_changes (tbl, key, changed_at) SELECT '{logged}', k, {now} "
                       f"FROM (SELECT {key('r')} AS k FROM {table} AS r) WHERE k IS NOT NULL")
    return sync_project(project, everything=True, progress=progress, dsn=dsn)


def join_team(dsn: str, path: str | Path, annotator: str, schema: str = "team", progress=None) -> SyncReport:
    """A new local project from the team's server, for `annotator` (who must be this login's member)."""
    check_schema_name(schema)
    path = Path(path).expanduser()
    with connect(dsn) as pg:
        name, lead = _member(pg, schema)
    if name is not None and name != annotator:
        raise TeamError(f"this login belongs to the annotator {name!r}, not {annotator!r}")
    if name is None and not lead:
        raise TeamError(f"this login is not a member of the team {schema!r}: ask the lead to run "
                        f"`annotator team add-annotator` for {annotator!r}")
    if path.exists() and path.stat().st_size > 0:
        with open_project(path, create=False) as existing:
            if read_link(existing) is not None or existing.db["articles"].count:
                raise TeamError(f"{path}: already a project with articles; join into a new file")
    with open_project(path) as project:
        _link_project(project, dsn, schema, annotator, lead)
        return sync_project(project, progress=progress, dsn=dsn)


def sync_project(project: Project, *, everything: bool = False, cancelled=None, progress=None,
                 dsn: str | None = None, batch: int = PUSH_BATCH) -> SyncReport:
    """Push, then pull. A server that cannot be reached gives a report with `offline` set; the
    project is left as it was (its changes wait)."""
    report = SyncReport()
    started = time.monotonic()
    link = read_link(project)
    if link is None:
        raise TeamError(f"{project.path}: not joined to a team (`annotator team join` makes a team project)")
    changelog.ensure_triggers(project.conn)
    try:
        pg = connect(dsn or link.dsn, autocommit=True)
    except TeamError as exc:
        report.error = str(exc)
        report.offline = not any(w in str(exc) for w in ("password", "authentication", "does not exist", "role"))
    else:
        try:
            with pg:
                push(project, pg, link, report, everything=everything, cancelled=cancelled, progress=progress,
                     batch=batch)
                if not report.cancelled:
                    pull(project, pg, link, report, cancelled=cancelled, progress=progress)
        except TeamError as exc:
            report.error = str(exc)
            report.offline = "reach" in str(exc) or "connection" in str(exc).lower()
        except Exception as exc:
            import psycopg

            if not isinstance(exc, psycopg.OperationalError):
                raise
            report.error, report.offline = f"the connection to the team server was lost ({str(exc).strip()})", True
    with contextlib.suppress(sqlite3.Error):
        report.pending = changelog.pending_count(project.conn)
    report.seconds = time.monotonic() - started
    return report


def sync_path(path: str | Path, **kwargs) -> SyncReport:
    with open_project(path, create=False) as project:
        return sync_project(project, **kwargs)


__all__ = ["SyncReport", "TeamError", "TeamLink", "ProjectError", "init_team", "join_team", "read_link", "status_line",
           "sync_path", "sync_project"]
