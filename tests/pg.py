"""A PostgreSQL server for the team-sync tests: the DSN in ANNOTATOR_TEST_PG (scripts/pg-dev.sh
starts one on loopback and prints it). Without one the tests skip, except under CI=true, where a
missing or unreachable server fails them."""

from __future__ import annotations

import os
import uuid

import pytest

ENV = "ANNOTATOR_TEST_PG"


def admin_dsn() -> str:
    dsn = os.environ.get(ENV)
    problem = None
    if not dsn:
        problem = f"no PostgreSQL for the team tests: {ENV} is not set (run `eval \"$(scripts/pg-dev.sh)\"`)"
    else:
        try:
            import psycopg

            psycopg.connect(dsn, connect_timeout=5).close()
        except Exception as exc:  # any reason the server cannot be used
            problem = f"the PostgreSQL in {ENV} cannot be reached: {exc}"
    if problem:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(problem)
        pytest.skip(problem)
    return dsn


def with_login(dsn: str, role: str) -> str:
    """The admin DSN with another user and no password (the password comes from PGPASSFILE)."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(dsn)
    params.pop("password", None)
    params["user"] = role
    return make_conninfo(**params)


class TeamServer:
    """A fresh team name on the test server; its schema and roles are dropped afterwards. Logins made by
    `login()` get their passwords through a pgpass file (PGPASSFILE), as a real user's would."""

    def __init__(self, tmp_path, monkeypatch):
        from psycopg.conninfo import conninfo_to_dict

        self.dsn = admin_dsn()
        self.schema = "t" + uuid.uuid4().hex[:10]
        self.passfile = tmp_path / "pgpass"
        params = conninfo_to_dict(self.dsn)
        self.host, self.port = params.get("host", "127.0.0.1"), params.get("port", "5432")
        self.dbname = params.get("dbname", "postgres")
        admin = params.get("password")
        self.passfile.write_text(f"{self.host}:{self.port}:{self.dbname}:{params.get('user', 'postgres')}:{admin}\n"
                                 if admin else "")
        self.passfile.chmod(0o600)
        monkeypatch.setenv("PGPASSFILE", str(self.passfile))

    def login(self, name: str, *, lead: bool = False) -> str:
        from annotator.core.team import add_member

        password = uuid.uuid4().hex
        member = add_member(self.dsn, name, password, schema=self.schema, lead=lead)
        with open(self.passfile, "a") as fh:
            fh.write(f"{self.host}:{self.port}:{self.dbname}:{member.role}:{password}\n")
        return with_login(self.dsn, member.role)

    def login_again(self, name: str) -> str:
        """The DSN of a login made before (its password is in the pgpass file already)."""
        return with_login(self.dsn, self.role_of(name))

    def role_of(self, name: str) -> str:
        from annotator.core.team import role_name

        return role_name(self.schema, name)

    def drop(self) -> None:
        from annotator.core.team import drop_team

        drop_team(self.dsn, self.schema)


@pytest.fixture
def team_server(tmp_path, monkeypatch):
    server = TeamServer(tmp_path, monkeypatch)
    yield server
    server.drop()
