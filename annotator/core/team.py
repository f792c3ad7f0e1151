"""The team's server: a plain PostgreSQL database holding one schema per team (default `team`).

The schema mirrors a project by stable keys (article uid, quote key, task name and level, entity norm
and kind), never by local ids. Every row records the transaction that last wrote it (`txid`, an xid8
set by a trigger), so a client pulls "everything written by transactions it could not see last time":
rows with txid >= the xmin of its previous snapshot. That misses no transaction that committed late,
which a sequence number would.

Security lives in the database. Two group roles per team: `<schema>_annotators` reads everything and
may insert and update only rows whose annotator column is its own annotator name (row-level security;
the name comes from `members`, keyed by the login role), and `<schema>_lead`, which also writes the
corpus, the scheme, the entities, detected quotes and adjudications. No one is granted DELETE: a row
removed in a project travels as a tombstone. Passwords are never stored by us: libpq reads them from
~/.pgpass, a service file or PGPASSWORD; TLS settings (sslmode, sslrootcert ...) go in the DSN.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FORMAT = "1"  # the server schema's own version, in meta
NAME = re.compile(r"^[a-z_][a-z0-9_]{0,40}$")
CONNECT_TIMEOUT_S = 10


class TeamError(Exception):
    """A team operation that cannot be done; the message is a sentence for the person."""


def check_schema_name(schema: str) -> str:
    if not NAME.match(schema):
        raise TeamError(f"{schema!r} is not a usable team name (lower-case letters, digits and _, up to 41)")
    return schema


def role_name(schema: str, annotator: str) -> str:
    """The login role of an annotator: the team name and the annotator's name in lower case."""
    slug = re.sub(r"[^a-z0-9]+", "_", annotator.lower()).strip("_") or "annotator"
    return f"{schema}_{slug}"[:63]


def lead_role(schema: str) -> str:
    return f"{schema}_lead"


def annotators_role(schema: str) -> str:
    return f"{schema}_annotators"


def safe_dsn(dsn: str) -> str:
    """The DSN without a password (which must never be written to the project file)."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    try:
        params = conninfo_to_dict(dsn)
    except Exception as exc:  # psycopg.ProgrammingError: libpq could not parse it
        raise TeamError(f"not a PostgreSQL connection string ({exc})") from exc
    params.pop("password", None)
    return make_conninfo(**params)


def connect(dsn: str, **kwargs):
    """A psycopg connection, or TeamError saying why not (the server's words, never the password)."""
    import psycopg

    try:
        return psycopg.connect(dsn, connect_timeout=CONNECT_TIMEOUT_S, application_name="annotator", **kwargs)
    except psycopg.Error as exc:
        raise TeamError(f"cannot reach the team server: {str(exc).strip()}") from exc


# --- the server schema ---------------------------------------------------------------------------

# (table, primary key, other columns with types); every table also has txid.
# Rows of the "own" tables carry updated_at, the client that wrote them and an annotator column.
TABLES: dict[str, tuple[tuple[str, ...], dict[str, str]]] = {
    "articles": (("uid",), {"uid": "text", "text": "text NOT NULL", "fields": "jsonb NOT NULL", "client": "text"}),
    "tasks": (("name", "level"), {"name": "text", "level": "text", "kind": "text NOT NULL", "target": "text",
                                  "position": "integer", "client": "text"}),
    "options": (("task_name", "task_level", "name"),
                {"task_name": "text", "task_level": "text", "name": "text", "shortcut": "text",
                 "position": "integer", "client": "text"}),
    "entities": (("norm", "kind"), {"norm": "text", "kind": "text", "name": "text NOT NULL", "role": "text",
                                    "aliases": "jsonb NOT NULL", "client": "text"}),
    "quotes": (("qkey",), {"qkey": "text", "article_uid": "text NOT NULL", "origin": "text NOT NULL",
                           "annotator": "text", "fields": "jsonb", "deleted": "boolean NOT NULL DEFAULT false",
                           "updated_at": "text", "client": "text"}),
    "mentions": (("qkey",), {"qkey": "text", "article_uid": "text NOT NULL", "origin": "text NOT NULL",
                             "annotator": "text", "fields": "jsonb", "deleted": "boolean NOT NULL DEFAULT false",
                             "updated_at": "text", "client": "text"}),
    "labels": (("article_uid", "qkey", "annotator", "task_name", "task_level"),
               {"article_uid": "text", "qkey": "text", "annotator": "text", "task_name": "text",
                "task_level": "text", "options": "jsonb NOT NULL", "updated_at": "text", "client": "text"}),
    "quote_labels": (("qkey", "annotator"),
                     {"qkey": "text", "annotator": "text", "status": "text", "entity_norm": "text",
                      "entity_kind": "text", "speaker": "text", "updated_at": "text", "client": "text"}),
    "article_status": (("article_uid", "annotator"),
                       {"article_uid": "text", "annotator": "text", "status": "text", "note": "text",
                        "deleted": "boolean NOT NULL DEFAULT false", "updated_at": "text", "client": "text"}),
    "adjudications": (("article_uid", "qkey", "task_name", "task_level"),
                      {"article_uid": "text", "qkey": "text", "task_name": "text", "task_level": "text",
                       "vals": "jsonb NOT NULL", "adjudicator": "text", "updated_at": "text", "client": "text"}),
}
OWN = ("quotes", "mentions", "labels", "quote_labels", "article_status")  # rows of one annotator each
LEAD_ONLY = ("articles", "tasks", "options", "entities", "adjudications")


def _ddl(schema: str) -> list[str]:
    s, lead, group = f'"{schema}"', f'"{lead_role(schema)}"', f'"{annotators_role(schema)}"'
    out = [
        f"CREATE SCHEMA {s}",
        f"CREATE TABLE {s}.meta (key text PRIMARY KEY, value text)",
        f"CREATE TABLE {s}.members (role_name text PRIMARY KEY, annotator text UNIQUE NOT NULL, "
        "is_lead boolean NOT NULL DEFAULT false, created_at timestamptz NOT NULL DEFAULT now())",
        f"CREATE FUNCTION {s}.me() RETURNS text LANGUAGE sql STABLE AS "
        f"$$ SELECT annotator FROM {s}.members WHERE role_name = current_user $$",
        f"CREATE FUNCTION {s}.stamp() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN NEW.txid := pg_current_xact_id(); RETURN NEW; END $$",
        f"GRANT USAGE ON SCHEMA {s} TO {group}, {lead}",
        f"GRANT SELECT ON {s}.meta, {s}.members TO {group}, {lead}",
    ]
    for table, (pk, columns) in TABLES.items():
        cols = ", ".join(f'"{c}" {t}' for c, t in columns.items())
        out += [
            f"CREATE TABLE {s}.{table} ({cols}, txid xid8 NOT NULL DEFAULT pg_current_xact_id(), "
            f"PRIMARY KEY ({', '.join(pk)}))",
            f"CREATE INDEX ON {s}.{table} (txid)",
            f"CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON {s}.{table} FOR EACH ROW EXECUTE FUNCTION {s}.stamp()",
            f"GRANT SELECT ON {s}.{table} TO {group}, {lead}",
        ]
        if table in LEAD_ONLY:
            out.append(f"GRANT INSERT, UPDATE ON {s}.{table} TO {lead}")
        else:
            out += [
                f"GRANT INSERT, UPDATE ON {s}.{table} TO {group}, {lead}",
                f"ALTER TABLE {s}.{table} ENABLE ROW LEVEL SECURITY",
                f"CREATE POLICY read_all ON {s}.{table} FOR SELECT USING (true)",
                f"CREATE POLICY insert_own ON {s}.{table} FOR INSERT WITH CHECK (annotator = {s}.me())",
                f"CREATE POLICY update_own ON {s}.{table} FOR UPDATE USING (annotator = {s}.me()) "
                f"WITH CHECK (annotator = {s}.me())",
            ]
            if table == "quotes" or table == "mentions":  # detected ones come with the corpus, from the lead
                out += [
                    f"CREATE POLICY lead_detected ON {s}.{table} FOR ALL TO {lead} USING (origin <> 'human') "
                    "WITH CHECK (origin <> 'human')",
                ]
    out.append(f"CREATE INDEX ON {s}.quotes (article_uid)")
    return out


def _role_exists(conn, role: str) -> bool:
    return conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone() is not None


def create_team_schema(conn, schema: str, lead_annotator: str) -> None:
    """The team schema, its group roles, and the connecting user as its first lead (one transaction)."""
    check_schema_name(schema)
    if conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema]).fetchone():
        raise TeamError(f"the server already holds a team named {schema!r} (choose another with --team)")
    for role in (lead_role(schema), annotators_role(schema)):
        if not _role_exists(conn, role):
            conn.execute(f'CREATE ROLE "{role}" NOLOGIN')
    conn.execute(f'GRANT "{annotators_role(schema)}" TO "{lead_role(schema)}"')
    for statement in _ddl(schema):
        conn.execute(statement)
    conn.execute(f'INSERT INTO "{schema}".meta VALUES (%s, %s), (%s, %s)',
                 ["format", FORMAT, "created_by", lead_annotator])
    user = conn.execute("SELECT current_user").fetchone()[0]
    conn.execute(f'INSERT INTO "{schema}".members (role_name, annotator, is_lead) VALUES (%s, %s, true)',
                 [user, lead_annotator])


@dataclass
class NewMember:
    role: str
    annotator: str
    lead: bool


def add_member(dsn: str, annotator: str, password: str | None, *, schema: str = "team", lead: bool = False,
               role: str | None = None) -> NewMember:
    """A login role for an annotator (or a lead), mapped to the annotator name. Run with the lead's
    (or an administrator's) connection; the password is handed to the server and kept nowhere here."""
    from psycopg import sql

    check_schema_name(schema)
    annotator = annotator.strip()
    if not annotator:
        raise TeamError("an annotator needs a name")
    role = role or role_name(schema, annotator)
    with connect(dsn) as conn:
        if not conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema]).fetchone():
            raise TeamError(f"the server holds no team named {schema!r} (run `annotator team init` first)")
        taken = conn.execute(f'SELECT role_name FROM "{schema}".members WHERE annotator = %s', [annotator]).fetchone()
        if taken and taken[0] != role:
            raise TeamError(f"{annotator!r} is already a member of the team, as the role {taken[0]}")
        group = lead_role(schema) if lead else annotators_role(schema)
        try:
            if _role_exists(conn, role):
                if password is not None:
                    conn.execute(sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(role),
                                                                                 sql.Literal(password)))
            else:
                conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                    sql.Identifier(role), sql.Literal(password) if password is not None else sql.SQL("NULL")))
            conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), sql.Identifier(role)))
            conn.execute(f'INSERT INTO "{schema}".members (role_name, annotator, is_lead) VALUES (%s, %s, %s) '
                         "ON CONFLICT (role_name) DO UPDATE SET annotator = excluded.annotator, "
                         "is_lead = excluded.is_lead", [role, annotator, lead])
        except Exception as exc:
            import psycopg

            if isinstance(exc, psycopg.errors.InsufficientPrivilege):
                raise TeamError("this connection may not create roles: use the lead's or an administrator's "
                                "(CREATEROLE)") from exc
            if isinstance(exc, psycopg.Error):
                raise TeamError(f"the server refused: {str(exc).strip()}") from exc
            raise
    return NewMember(role, annotator, lead)


def drop_team(dsn: str, schema: str) -> None:
    """Remove a team's schema and roles from the server (tests and a lead starting over)."""
    check_schema_name(schema)
    with connect(dsn, autocommit=True) as conn:
        roles = []
        if conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema]).fetchone():
            roles = [r[0] for r in conn.execute(f'SELECT role_name FROM "{schema}".members WHERE role_name <> '
                                                "current_user")]
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        for role in [*roles, lead_role(schema), annotators_role(schema)]:
            if _role_exists(conn, role):
                conn.execute(f'DROP OWNED BY "{role}"')
                conn.execute(f'DROP ROLE "{role}"')
