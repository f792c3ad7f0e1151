"""What changed in a team project since its last sync: SQLite triggers write the server key of every
row touched (inserted, changed or deleted) into `team_changes`, so a sync sends only those rows.

Keys name rows the way the server does, by stable values rather than local ids: an article by its
uid, a quote by article uid, span, origin and annotator, a task by name and level, an entity by its
normalised name and kind. A key is a JSON array. The triggers log only in a project joined to a team
(a row `annotator` in `team_sync`) and not while a sync applies what it pulled (a row `applying`,
set and removed inside the pull's own transaction, so no other connection ever sees it).
"""

from __future__ import annotations

import sqlite3

_ACTIVE = ("(SELECT value FROM team_sync WHERE key = 'annotator') IS NOT NULL "
           "AND (SELECT value FROM team_sync WHERE key = 'applying') IS NULL")

TIME = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"


def quote_key_sql(table: str, row: str) -> str:
    """The server key of a quote or mention row (`row` is NEW or OLD) as an SQL text expression."""
    return (f"(SELECT a.uid || ':' || {row}.start || ':' || {row}.\"end\" || ':' || {row}.origin || ':' || "
            f"coalesce({row}.annotator, '') FROM articles a WHERE a.id = {row}.article_id)")


def _quote_ref(row: str, column: str = "quote_id") -> str:
    """The key of the quote a row points to, '' for none."""
    return (f"coalesce((SELECT a.uid || ':' || q.start || ':' || q.\"end\" || ':' || q.origin || ':' || "
            f"coalesce(q.annotator, '') FROM quotes q JOIN articles a ON a.id = q.article_id "
            f"WHERE q.id = {row}.{column}), '')")


def _uid(row: str) -> str:
    return f"(SELECT uid FROM articles WHERE id = {row}.article_id)"


def _task(row: str, part: str) -> str:
    return f"coalesce((SELECT {part} FROM tasks WHERE id = {row}.task_id), '')"


# table -> SQL giving the key of row NEW / OLD
KEYS = {
    "articles": lambda r: f"json_array({r}.uid)",
    "tasks": lambda r: f"json_array({r}.name, {r}.level)",
    "options": lambda r: f"json_array({_task(r, 'name')}, {_task(r, 'level')}, {r}.name)",
    "entities": lambda r: f"json_array({r}.norm, {r}.kind)",
    "aliases": lambda r: ("(SELECT json_array(e.norm, e.kind) FROM entities e WHERE e.id = "
                          f"{r}.entity_id)"),
    "quotes": lambda r: f"json_array({quote_key_sql('quotes', r)})",
    "mentions": lambda r: f"json_array({quote_key_sql('mentions', r)})",
    "labels": lambda r: (f"json_array({_uid(r)}, {_quote_ref(r)}, {r}.annotator, {_task(r, 'name')}, "
                         f"{_task(r, 'level')})"),
    "quote_labels": lambda r: f"json_array({_quote_ref(r)}, {r}.annotator)",
    "article_status": lambda r: f"json_array({_uid(r)}, {r}.annotator)",
    "adjudications": lambda r: (f"json_array({_uid(r)}, {_quote_ref(r)}, {_task(r, 'name')}, "
                                f"{_task(r, 'level')})"),
}
# aliases are sent with their entity
LOGGED_AS = {"aliases": "entities"}


def install_triggers(conn: sqlite3.Connection) -> None:
    """Create the change-log triggers (again, if a later migration rebuilt a table and lost them)."""
    for table, key in KEYS.items():
        logged = LOGGED_AS.get(table, table)
        for event, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",))):
            # an alias's entity may be gone already when the alias goes with it
            inserts = " ".join(
                f"INSERT INTO team_changes (tbl, key, changed_at) SELECT '{logged}', k, {TIME} "
                f"FROM (SELECT {key(row)} AS k) WHERE k IS NOT NULL;" for row in rows)
            conn.execute(
                f"CREATE TRIGGER IF NOT EXISTS team_log_{table}_{event.lower()} AFTER {event} ON {table} "
                f"WHEN {_ACTIVE} BEGIN {inserts} END")


def ensure_triggers(conn: sqlite3.Connection) -> None:
    """install_triggers when some are missing (one look at the schema otherwise)."""
    have = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'team_log_%'")
    if have.fetchone()[0] < 3 * len(KEYS):
        install_triggers(conn)


def drop_triggers(conn: sqlite3.Connection) -> None:
    for table in KEYS:
        for event in ("insert", "update", "delete"):
            conn.execute(f"DROP TRIGGER IF EXISTS team_log_{table}_{event}")


def pending_count(conn: sqlite3.Connection) -> int:
    """How many distinct rows wait to be sent."""
    return conn.execute("SELECT count(*) FROM (SELECT DISTINCT tbl, key FROM team_changes)").fetchone()[0]
