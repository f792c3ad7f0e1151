"""The change log of a team project (no server needed): what the triggers write, and when they do not."""

from __future__ import annotations

import json

import pytest

from annotator.core import annotate, changelog, labels
from annotator.core.scheme import load_scheme
from annotator.core.sync import _write_link
from annotator.core.team import TeamError, check_schema_name, role_name, safe_dsn
from tests.core.team_helpers import article_ids, lead_project


def _log(project):
    return [(t, json.loads(k)) for t, k in project.conn.execute("SELECT tbl, key FROM team_changes ORDER BY seq")]


def test_a_project_without_a_team_logs_nothing(tmp_path):
    project = lead_project(tmp_path)
    stance = load_scheme(project).stance_task()
    labels.set_choice(project, next(iter(article_ids(project).values())), "ann", stance.id, stance.options[0].id)
    assert _log(project) == []
    project.close()


def test_a_team_project_logs_each_change_by_its_server_key(tmp_path):
    project = lead_project(tmp_path)
    with project.write() as db:
        _write_link(db.conn, annotator="ann", dsn="host=127.0.0.1", schema="team", client="c")
    stance = load_scheme(project).stance_task()
    ids = article_ids(project)
    bridge = ids["Council backs harbour bridge"]
    uid = project.conn.execute("SELECT uid FROM articles WHERE id = ?", [bridge]).fetchone()[0]
    labels.set_choice(project, bridge, "ann", stance.id, stance.options[0].id)
    labels.set_note(project, bridge, "ann", "a note")
    quote = project.conn.execute('SELECT id, start, "end" FROM quotes WHERE article_id = ? ORDER BY start',
                                 [bridge]).fetchone()
    annotate.confirm_quote(project, quote[0], "ann")
    qkey = f"{uid}:{quote[1]}:{quote[2]}:auto:"
    assert ("labels", [uid, "", "ann", "stance", "article"]) in _log(project)
    assert ("article_status", [uid, "ann"]) in _log(project)
    assert ("quote_labels", [qkey, "ann"]) in _log(project)
    assert changelog.pending_count(project.conn) == 3
    # what a sync applies is not logged again (the flag lives inside its own transaction)
    with project.write() as db:
        _write_link(db.conn, applying="1")
        db.execute("DELETE FROM labels")
        db.execute("DELETE FROM team_sync WHERE key = 'applying'")
    assert changelog.pending_count(project.conn) == 3
    project.close()


def test_the_address_kept_has_no_password_and_keeps_tls_settings():
    kept = safe_dsn("postgresql://ann:s3cret@db.example.edu:5433/study?sslmode=verify-full&sslrootcert=/etc/ca.pem")
    assert "s3cret" not in kept
    assert "sslmode=verify-full" in kept and "sslrootcert=/etc/ca.pem" in kept and "port=5433" in kept
    assert "password" not in safe_dsn("host=h dbname=d user=u password=x")
    with pytest.raises(TeamError, match="not a PostgreSQL connection string"):
        safe_dsn("this is = not = a dsn '")


def test_team_and_role_names():
    assert role_name("team", "Ann Lee") == "team_ann_lee"
    assert role_name("team", "Zoë O'Brien") == "team_zo_o_brien"
    assert check_schema_name("study_2024") == "study_2024"
    for bad in ("Team", "drop table x", "", "x" * 50, '"quoted"'):
        with pytest.raises(TeamError):
            check_schema_name(bad)
