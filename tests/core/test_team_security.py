"""The server itself refuses what a member may not do: an annotator, on their own connection and with
hand-written SQL, cannot change another annotator's work, the scheme, the corpus or an adjudication;
a lead can adjudicate and edit the scheme. Nothing here goes through our client code."""

from __future__ import annotations

import psycopg
import pytest

from annotator.core import labels
from annotator.core.adjudicate import set_adjudication
from annotator.core.scheme import load_scheme
from annotator.core.sync import init_team, join_team, sync_project
from tests.core.team_helpers import article_ids, lead_project
from tests.pg import team_server  # noqa: F401 (fixture)


@pytest.fixture
def team(tmp_path, team_server):  # noqa: F811
    """Ann and Bob have each labelled and synced; the lead has adjudicated one article."""
    lead = lead_project(tmp_path)
    stance = load_scheme(lead).stance_task()
    article = article_ids(lead)["Storm closes schools"]
    set_adjudication(lead, article, stance.id, stance.options[0].name, "Lead")
    assert init_team(lead, team_server.dsn, "Lead", team_server.schema).ok
    logins = {}
    for name in ("Ann", "Bob"):
        logins[name] = team_server.login(name)
        assert join_team(logins[name], tmp_path / f"{name}.db", name, team_server.schema).ok
        from annotator.core.store import open_project

        with open_project(tmp_path / f"{name}.db") as project:
            own_stance = load_scheme(project).stance_task()
            for article_id in article_ids(project).values():
                labels.set_choice(project, article_id, name, own_stance.id, own_stance.options[0].id)
                labels.set_status(project, article_id, name, "labelled")
            assert sync_project(project).ok
    yield team_server, logins
    lead.close()


def _as(dsn):
    return psycopg.connect(dsn, autocommit=True)


def test_an_annotator_cannot_change_another_annotators_label(team):
    server, logins = team
    s = server.schema
    with _as(logins["Ann"]) as ann:
        assert ann.execute(f'SELECT count(*) FROM "{s}".labels WHERE annotator = %s', ["Bob"]).fetchone()[0] == 3
        changed = ann.execute(f"""UPDATE "{s}".labels SET options = '["hacked"]' WHERE annotator = 'Bob'""")
        assert changed.rowcount == 0  # row-level security: Bob's rows are not Ann's to update
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            ann.execute(f"UPDATE \"{s}\".labels SET annotator = 'Bob' WHERE annotator = 'Ann'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            ann.execute(f"""INSERT INTO "{s}".labels (article_uid, qkey, annotator, task_name, task_level, options)
                            VALUES ('x', '', 'Bob', 'stance', 'article', '["for"]')""")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            ann.execute(f"DELETE FROM \"{s}\".labels WHERE annotator = 'Bob'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            ann.execute(f"INSERT INTO \"{s}\".article_status (article_uid, annotator, status) "
                        "VALUES ('x', 'Bob', 'todo')")
        # her own rows she may change
        assert ann.execute(f"UPDATE \"{s}\".article_status SET note = 'ok' WHERE annotator = 'Ann'").rowcount == 3
    with _as(server.dsn) as admin:
        options = {tuple(r[0]) for r in admin.execute(f"SELECT options FROM \"{s}\".labels WHERE annotator = 'Bob'")}
        assert ("hacked",) not in options and len(options) == 1


def test_an_annotator_cannot_change_the_scheme_the_corpus_or_an_adjudication(team):
    server, logins = team
    s = server.schema
    with _as(logins["Ann"]) as ann:
        assert ann.execute(f'SELECT count(*) FROM "{s}".adjudications').fetchone()[0] == 1
        for statement in (
            f"UPDATE \"{s}\".tasks SET kind = 'multi'",
            f"INSERT INTO \"{s}\".options (task_name, task_level, name) VALUES ('stance', 'article', 'mine')",
            f"UPDATE \"{s}\".adjudications SET vals = '[[null, \"x\"]]'",
            f"INSERT INTO \"{s}\".adjudications (article_uid, qkey, task_name, task_level, vals) "
            "VALUES ('x', '', 'stance', 'article', '[]')",
            f"UPDATE \"{s}\".articles SET text = 'rewritten'",
            f"UPDATE \"{s}\".entities SET name = 'Someone else'",
            f"UPDATE \"{s}\".quotes SET fields = '{{}}' WHERE origin = 'auto'",
            f"INSERT INTO \"{s}\".members (role_name, annotator) VALUES ('x', 'y')",
        ):
            try:
                result = ann.execute(statement)
            except psycopg.errors.InsufficientPrivilege:
                continue
            assert result.rowcount == 0, statement  # quotes: detected ones are not hers (RLS)


def test_the_lead_adjudicates_and_edits_the_scheme_but_not_an_annotators_labels(team):
    server, logins = team
    s = server.schema
    lead = server.login("Lee", lead=True)
    with _as(lead) as conn:
        assert conn.execute(f"UPDATE \"{s}\".adjudications SET vals = '[[\"neutral\", \"neutral\"]]'").rowcount == 1
        conn.execute(f"INSERT INTO \"{s}\".options (task_name, task_level, name, position) "
                     "VALUES ('stance', 'article', 'ironic', 9)")
        assert conn.execute(f"UPDATE \"{s}\".labels SET options = '[]' WHERE annotator = 'Ann'").rowcount == 0
