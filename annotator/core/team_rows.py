"""Rows of a team project as the server holds them, and back: reading a local row by its server key
(a tombstone when it is gone), checking a row received from the server against the project's rules,
and applying it. Used by sync.py; Qt-free, no server connection here."""

from __future__ import annotations

import json
import sqlite3

from annotator.core.store import utc_now
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

# quote and mention columns that are local ids (sent as keys instead) or part of the key
QUOTE_LOCAL = {"id", "article_id", "origin", "annotator", "mention_id", "entity_id", "replaces_id"}


class LocalRows:
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
        self.column_set = {t: set(c) for t, c in self.columns.items()}
        self.lengths: dict[int, int] = {}  # article id -> length of its text
        # a table empty when the pull began has no row a received key could name but those received
        # (server keys are unique), so a join need not look each one up
        self.fresh = {t: conn.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() is None for t in ("quotes", "mentions")}
        self._sql: dict[tuple, str] = {}

    def length(self, article_id: int) -> int:
        if article_id not in self.lengths:
            self.lengths[article_id] = self.conn.execute("SELECT length(text) FROM articles WHERE id = ?",
                                                         [article_id]).fetchone()[0]
        return self.lengths[article_id]

    def insert_sql(self, table: str, columns: tuple) -> str:
        key = ("insert", table, columns)
        if key not in self._sql:
            self._sql[key] = (f"INSERT INTO {table} ({', '.join(chr(34) + c + chr(34) for c in columns)}) "
                              f"VALUES ({', '.join('?' * len(columns))})")
        return self._sql[key]

    def update_sql(self, table: str, columns: tuple) -> str:
        key = ("update", table, columns)
        if key not in self._sql:
            sets = ", ".join(f'"{c}" = ?' for c in columns)
            self._sql[key] = f"UPDATE {table} SET {sets} WHERE id = ?"
        return self._sql[key]

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


def server_row(local: LocalRows, table: str, key: list, changed_at: str, client: str) -> dict | None:
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



def _texts(values: dict, what: str) -> str | None:
    for name, value in values.items():
        if isinstance(value, str) and (problem := check_field(value, f"{what} {name}", MAX_NOTE_CHARS)):
            return problem
    return None


def pulled_row_problem(local: LocalRows, table: str, row: dict) -> str | None:
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
            problem = check_span(int(start), int(end), local.length(article_id))
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


def pending_key(table: str, row: dict) -> str | None:
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


def _apply_article(local: LocalRows, row: dict) -> bool:
    known = local.column_set["articles"]
    given = row["fields"] if isinstance(row["fields"], dict) else json.loads(row["fields"])
    fields = {k: v for k, v in given.items() if k in known and k not in ("id", "uid", "text")}
    fields["imported_at"] = fields.get("imported_at") or utc_now()
    if fields.get("source_id") is not None and local.conn.execute(
        "SELECT 1 FROM articles WHERE source_id = ? AND uid != ?", [fields["source_id"], row["uid"]]
    ).fetchone():  # the same database article, exported with another text here: keep both, the id once
        fields["source_id"] = None
    cols = ("uid", "text", *fields)
    key = ("article", cols)
    if key not in local._sql:
        local._sql[key] = (f"INSERT INTO articles ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
                           "ON CONFLICT (uid) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in fields)
                           + " RETURNING id")
    article_id = local.conn.execute(local._sql[key], [row["uid"], row["text"], *fields.values()]).fetchone()[0]
    local.articles[row["uid"]] = article_id
    local.lengths[article_id] = len(row["text"])
    return True


def _apply_task(local: LocalRows, row: dict) -> bool:
    local.conn.execute(
        "INSERT INTO tasks (name, level, kind, target, position) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name, level) "
        "DO UPDATE SET kind = excluded.kind, target = excluded.target, position = excluded.position",
        [row["name"], row["level"], row["kind"], row["target"], row["position"] or 0])
    local.tasks.pop((row["name"], row["level"]), None)
    local.kinds.pop((row["name"], row["level"]), None)
    return True


def _apply_option(local: LocalRows, row: dict) -> bool:
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


def _apply_entity(local: LocalRows, row: dict) -> bool:
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
    def apply(local: LocalRows, row: dict) -> bool:
        conn = local.conn
        found = None if local.fresh[table] else local.span(table, row["qkey"])
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
        known = local.column_set[table]
        values = {k: v for k, v in fields.items() if k in known and k not in QUOTE_LOCAL}
        values.update(article_id=article_id, start=int(start), end=int(end), origin=origin,
                      annotator=annotator or None, entity_id=local.entity(*entity) if entity else None)
        if table == "quotes":
            values["replaces_id"] = (local.span("quotes", replaces) or (None,))[0] if replaces else None
        cols = tuple(values)
        if found is None:
            conn.execute(local.insert_sql(table, cols), list(values.values()))
        else:
            conn.execute(local.update_sql(table, cols), [*values.values(), found[0]])
        return True

    return apply


def _apply_labels(local: LocalRows, row: dict) -> bool:
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


def flush_labels(local: LocalRows) -> None:
    local.conn.executemany("DELETE FROM labels WHERE article_id = ? AND quote_id IS ? AND annotator = ? AND "
                           "task_id = ?", local.label_deletes)
    local.conn.executemany("INSERT INTO labels (article_id, quote_id, annotator, task_id, option_id, updated_at) "
                           "VALUES (?, ?, ?, ?, ?, ?)", local.label_inserts)
    local.label_deletes.clear()
    local.label_inserts.clear()


def _apply_verdict(local: LocalRows, row: dict) -> bool:
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


def _apply_status(local: LocalRows, row: dict) -> bool:
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


def _apply_adjudication(local: LocalRows, row: dict) -> bool:
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


APPLY = {
    "articles": _apply_article, "tasks": _apply_task, "options": _apply_option, "entities": _apply_entity,
    "mentions": _apply_span("mentions"), "quotes": _apply_span("quotes"), "labels": _apply_labels,
    "quote_labels": _apply_verdict, "article_status": _apply_status, "adjudications": _apply_adjudication,
}
