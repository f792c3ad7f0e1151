"""A news-database id (source_id) held here by another text: a pulled (sync) or merged article is kept
without the id, not refused, so the unique index on source_id never breaks a sync or a merge."""

from __future__ import annotations

import json

from annotator.core.store import open_project
from annotator.core.team_rows import LocalRows, _apply_article


def test_a_pulled_article_with_a_source_id_already_here(tmp_path):
    project = open_project(tmp_path / "p.db")
    with project.write() as db:
        db["articles"].insert({"uid": "ours", "text": "Our text.", "title": "T", "source_id": "factiva:X1"})
    local = LocalRows(project.conn)
    with project.write():
        assert _apply_article(local, {"uid": "theirs", "text": "Their text.",
                                      "fields": json.dumps({"title": "T", "source_id": "factiva:X1"})})
        assert _apply_article(local, {"uid": "new", "text": "New text.",
                                      "fields": json.dumps({"title": "N", "source_id": "factiva:X2"})})
    rows = dict(project.conn.execute("SELECT uid, source_id FROM articles"))
    assert rows == {"ours": "factiva:X1", "theirs": None, "new": "factiva:X2"}
    project.close()


def test_merge_keeps_a_colleagues_source_ids_once(tmp_path):
    from annotator.core.merge import merge_project

    ours = open_project(tmp_path / "ours.db")
    with ours.write() as db:
        db["articles"].insert({"uid": "u1", "text": "Our export of the pier story.", "title": "Pier",
                               "source_id": "factiva:X1"})
    theirs = open_project(tmp_path / "theirs.db")
    with theirs.write() as db:
        db["articles"].insert_all([
            {"uid": "t1", "text": "Their export of the pier story, one paragraph more.", "title": "Pier",
             "source_id": "factiva:X1"},
            {"uid": "t2", "text": "A story only they have.", "title": "Other", "source_id": "factiva:X2"},
        ])
    theirs.close()
    merge_project(ours, tmp_path / "theirs.db")
    ids = sorted((r[0] or "") for r in ours.conn.execute("SELECT source_id FROM articles"))
    assert ids == ["", "factiva:X1", "factiva:X2"]
    ours.close()
