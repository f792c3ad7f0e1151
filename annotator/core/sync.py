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
from annotator.core.team_rows import APPLY, LocalRows, flush_labels, pending_key, pulled_row_problem, server_row
from annotator.core.validate import terminal_text

PUSH_BATCH = 5000  # change-log entries per server transaction
ORDER = ("articles", "tasks", "options", "entities", "mentions", "quotes", "labels", "quote_labels",
         "article_status", "adjudications")


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
    server_won: list = field(default_factory=list)  # (table, row) the server kept over ours: applied here
    pulled_own: int = 0  # received rows of this project's own annotator (made on another machine)
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


COPY_FROM_ROWS = 200  # a batch this big goes through COPY into a staging table; a smaller one in one statement
JSONB = {"fields", "options", "aliases", "vals"}  # columns whose values are JSON text already


def _q(columns, alias: str = "") -> str:
    return ", ".join(f'{alias}"{c}"' for c in columns)


def _json_rows(rows: list[dict], names: list[str]) -> str:
    """The rows as one JSON array, the JSON columns' text embedded as it is."""
    def value(column, v):
        if column in JSONB:
            return "null" if v is None else v
        return json.dumps(v, ensure_ascii=False)

    return "[" + ",".join("{" + ",".join(f'"{c}":{value(c, row.get(c))}' for c in names) + "}" for row in rows) + "]"


def _send(pg, schema: str, table: str, rows: list[dict], snapshot: str | None, titles, report: SyncReport) -> None:
    """Upsert rows (newer edit wins); rows the server holds from another machine that this one had
    not seen, with other values, are conflicts. A small batch is one statement (its rows as a JSON
    parameter; the conflicts read from the same snapshot the upsert starts from), a big one goes
    through COPY into a staging table."""
    pk, columns = TABLES[table]
    names = list(columns)
    values = _value_columns(table)
    own = "updated_at" in columns
    params: list = []
    if len(rows) > COPY_FROM_ROWS:
        stage = f"stage_{table}"
        pg.execute(f'CREATE TEMP TABLE IF NOT EXISTS {stage} (LIKE "{schema}".{table} INCLUDING DEFAULTS) '
                   "ON COMMIT DELETE ROWS")
        with pg.cursor().copy(f"COPY {stage} ({_q(names)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row.get(c) for c in names])
        source = ""
        staged = stage
    else:
        source = (f'WITH s AS MATERIALIZED (SELECT {_q(names)} FROM '
                  f'jsonb_populate_recordset(NULL::"{schema}".{table}, %s::jsonb)), ')
        params.append(_json_rows(rows, names))
        staged = "s"
    found = "SELECT NULL WHERE false"
    if own:
        unseen = "true"
        if snapshot is not None:
            unseen = "NOT pg_visible_in_snapshot(t.txid, %s::pg_snapshot)"
            params += [snapshot, snapshot]
        # rows another machine wrote with other values: a conflict if this one had not seen them or if
        # theirs is newer (the server keeps it, and it is brought here, seen or not)
        found = (f"SELECT {_q(pk, 's.')}, {_q(values, 's.')}, s.updated_at, {_q(values, 't.')}, t.updated_at, "
                 f"{unseen} AS unseen, to_jsonb(t) AS server_row "
                 f'FROM {staged} s JOIN "{schema}".{table} t ON '
                 + " AND ".join(f's."{c}" = t."{c}"' for c in pk)
                 + f" WHERE t.client IS DISTINCT FROM s.client AND ({_q(values, 's.')}) IS DISTINCT FROM "
                 f"({_q(values, 't.')}) AND ({unseen} OR t.updated_at > s.updated_at)")
    updates = ", ".join(f'"{c}" = excluded."{c}"' for c in names if c not in pk)
    still = f'({_q(values, chr(34) + table + chr(34) + ".")}) IS DISTINCT FROM ({_q(values, "excluded.")})'
    where = (f' WHERE ("{table}".updated_at IS NULL OR "{table}".updated_at <= excluded.updated_at) AND {still}'
             if own else f" WHERE {still}")
    upsert = (f'INSERT INTO "{schema}".{table} AS "{table}" ({_q(names)}) SELECT {_q(names)} FROM {staged} '
              f"ON CONFLICT ({', '.join(pk)}) DO UPDATE SET {updates}{where}")
    if source:  # one statement: every part sees the table as it was before the upsert
        conflicts = pg.execute(f"{source}found AS ({found}), put AS ({upsert} RETURNING 1) SELECT * FROM found",
                               params).fetchall()
    else:
        conflicts = pg.execute(found, params).fetchall() if own else []
        pg.execute(upsert)
    n, m = len(pk), len(values)
    for row in conflicts:
        key, ours, our_time = row[:n], row[n:n + m], row[n + m]
        theirs, their_time, unseen_row, server_row_now = row[n + m + 1:n + 2 * m + 1], row[-3], row[-2], row[-1]
        theirs_newer = (their_time or "") > (our_time or "")
        if unseen_row or theirs_newer:  # a newer edit from there replaces ours: listed too
            report.conflicts.append(_conflict(table, dict(zip(pk, key, strict=True)), ours, theirs,
                                              "theirs" if theirs_newer else "ours", titles))
        if theirs_newer:
            report.server_won.append((table, server_row_now))
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
    local = LocalRows(conn)
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
            row = server_row(local, table, json.loads(key), changed_at, link.client)
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


def _select_sql(schema: str, table: str) -> str:
    """The rows of a table that others wrote in transactions the last pull could not see (rows this
    copy wrote: it has them). txid >= the last snapshot's xmin finds them by the index; of those, the
    ones the last snapshot saw (a long transaction elsewhere holds xmin back) are left out."""
    return (f'SELECT {_q(TABLES[table][1])} FROM "{schema}".{table} WHERE txid >= %s::xid8 '
            "AND client IS DISTINCT FROM %s "
            "AND (%s::pg_snapshot IS NULL OR NOT pg_visible_in_snapshot(txid, %s::pg_snapshot)) ORDER BY txid")


def _streamed(pg, schema: str, table: str, mark: str, client: str):
    """A first pull (a join) streams each table through a server-side cursor."""
    columns = list(TABLES[table][1])
    with pg.cursor(name=f"pull_{table}") as cur:
        cur.itersize = 5000
        cur.execute(_select_sql(schema, table), [mark, client, None, None])
        for row in cur:
            yield dict(zip(columns, row, strict=True))


def _rows(cursor, table: str):
    columns = list(TABLES[table][1])
    for row in cursor:
        yield dict(zip(columns, row, strict=True))


def pull(project: Project, pg, link: TeamLink, report: SyncReport, *, cancelled=None, progress=None) -> None:
    """Apply everything written on the server since the last pull, in one local transaction that
    also records the new mark (REPEATABLE READ on the server: one consistent snapshot)."""
    try:
        with pg.transaction():
            # a later pull is small: every query goes in one round trip (a pipeline)
            first = link.pull_xmin == "0"
            with contextlib.nullcontext() if first else pg.pipeline():
                pg.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                mark = pg.execute("SELECT pg_current_snapshot()::text, pg_snapshot_xmin(pg_current_snapshot())::text")
                queued = {} if first else {table: pg.execute(_select_sql(link.schema, table),
                                                             [link.pull_xmin, link.client, link.snapshot,
                                                              link.snapshot]) for table in ORDER}
            snapshot, xmin = mark.fetchone()
            with project.write() as db:
                conn = db.conn
                _write_link(conn, applying="1")
                pending = set(conn.execute("SELECT DISTINCT tbl, key FROM team_changes"))
                local = LocalRows(conn)
                names = set()
                # rows the push found newer on the server than ours (another machine of this annotator)
                for table, row in report.server_won:
                    if (changelog.LOGGED_AS.get(table, table), pending_key(table, row)) not in pending and \
                            not pulled_row_problem(local, table, row) and APPLY[table](local, row):
                        report.pulled[table] += 1
                        report.pulled_own += row.get("annotator") == link.annotator
                flush_labels(local)
                for step, table in enumerate(ORDER):
                    if cancelled is not None and cancelled():
                        raise _Cancelled
                    if progress is not None:
                        progress(step, len(ORDER), f"receiving {table.replace('_', ' ')}")
                    apply = APPLY[table]
                    logged = changelog.LOGGED_AS.get(table, table)
                    # rows this project wrote itself are not sent back (client); it has them
                    rows = _streamed(pg, link.schema, table, link.pull_xmin, link.client) if first else \
                        _rows(queued[table], table)
                    for row in rows:
                        if pending and (logged, pending_key(table, row)) in pending:
                            continue  # changed here since: sent next time, newer edit wins there
                        problem = pulled_row_problem(local, table, row)
                        if problem:
                            key = pending_key(table, row)
                            report.refused.append(f"{table.replace('_', ' ')} {terminal_text(key)}: {problem}")
                        elif apply(local, row):
                            report.pulled[table] += 1
                            report.pulled_own += row.get("annotator") == link.annotator
                        else:
                            report.skipped += 1
                        if row.get("annotator"):
                            names.add(row["annotator"])
                    if table == "labels":
                        flush_labels(local)
                now = utc_now()
                conn.executemany("INSERT OR IGNORE INTO annotators (name, created_at) VALUES (?, ?)",
                                 [(n, now) for n in sorted(names)])
                conn.execute("DELETE FROM team_sync WHERE key = 'applying'")
                _write_link(conn, pull_xmin=xmin, snapshot=snapshot, last_synced=now)
    except BaseException as exc:
        # the local transaction was rolled back: nothing of this pull was kept
        report.pulled.clear()
        report.pulled_own, report.skipped = 0, 0
        report.refused.clear()
        if isinstance(exc, _Cancelled):
            report.cancelled = True
            return
        if isinstance(exc, (TeamError, sqlite3.Error)) or not isinstance(exc, Exception):
            raise
        _raise_server(exc)
    link.pull_xmin, link.snapshot = xmin, snapshot
    if progress is not None:
        progress(len(ORDER), len(ORDER), "received")


class _Cancelled(Exception):
    pass


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
