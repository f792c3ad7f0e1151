"""Merging a colleague's project: added, matched, idempotent, newer edit wins, bad files refused untouched."""

import hashlib
import sqlite3

import pytest

from annotator.core import labels
from annotator.core.merge import merge_project
from annotator.core.scheme import load_scheme
from annotator.core.store import SCHEMA_VERSION, open_project, utc_now
from tests.fixtures.review.sample import build_sample, option, task_id


def _fingerprint(path):
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def _counts(project):
    return {t: project.db[t].count for t in (
        "articles", "labels", "quote_labels", "quotes", "article_status", "adjudications", "tasks", "options",
        "entities", "annotators")}


@pytest.fixture
def colleague(tmp_path):
    path = tmp_path / "colleague.db"
    project = open_project(path)
    build_sample(project)
    project.close()
    return path


def test_merge_into_an_empty_project_adds_everything_and_is_idempotent(tmp_project, colleague):
    report = merge_project(tmp_project, colleague)
    assert report.refused is None
    assert report.articles_added == 4 and report.annotators == ["ann", "ben", "cleo"]
    counts = _counts(tmp_project)
    assert counts["articles"] == 4 and counts["labels"] == 13 and counts["quote_labels"] == 3
    assert counts["quotes"] == 3 and counts["article_status"] == 5
    text = tmp_project.conn.execute("SELECT text FROM articles WHERE id = 1").fetchone()[0]
    assert text.startswith('"Trade must stay open')
    again = merge_project(tmp_project, colleague)
    assert again.changed == 0 and not again.conflicts and again.articles_matched == 4
    assert _counts(tmp_project) == counts
    assert "nothing new" in "\n".join(again.lines())


def test_matching_by_uid_keeps_our_own_annotators(tmp_path, colleague):
    ours = open_project(tmp_path / "ours.db")
    # the same articles, imported in another order: ids differ, uids match
    other = sqlite3.connect(colleague)
    rows = other.execute("SELECT uid, title, text FROM articles ORDER BY id DESC").fetchall()
    other.close()
    with ours.write() as db:
        for uid, title, text in rows:
            db["articles"].insert({"uid": uid, "title": title, "text": text})
    scheme = load_scheme(ours)
    labels.set_choice(ours, 1, "ann", task_id(scheme, "stance"), option(scheme, "stance", "article", "unclear"))
    report = merge_project(ours, colleague)
    assert report.articles_added == 0 and report.articles_matched == 4
    # our article 1 is their article 4 (no labels there): ann keeps it and gains hers from the file
    stance = task_id(scheme, "stance")
    got = ours.conn.execute("SELECT a.title, o.name FROM labels l JOIN articles a ON a.id = l.article_id "
                            "JOIN options o ON o.id = l.option_id WHERE l.annotator = 'ann' AND l.task_id = ? "
                            "ORDER BY a.title", [stance]).fetchall()
    assert ("Article 1", "against") in got and ("Article 4", "unclear") in got
    ours.close()


def test_same_annotator_different_values_newer_wins_and_is_listed(tmp_project, colleague):
    merge_project(tmp_project, colleague)
    scheme = load_scheme(tmp_project)
    stance = task_id(scheme, "stance")
    # ours newer: ann changes article 2 after the merge
    labels.set_choice(tmp_project, 2, "ann", stance, option(scheme, "stance", "article", "against"))
    # theirs newer: make the colleague's edit of ben on article 1 newer than ours by editing it there later
    tmp_project.conn.execute("UPDATE labels SET updated_at = '2000-01-01T00:00:00Z' WHERE annotator = 'ben' "
                             "AND article_id = 1 AND task_id = ?", [stance])
    labels.set_choice(tmp_project, 1, "ben", stance, option(scheme, "stance", "article", "unclear"))
    tmp_project.conn.execute("UPDATE labels SET updated_at = '2000-01-01T00:00:00Z' WHERE annotator = 'ben' "
                             "AND article_id = 1 AND task_id = ?", [stance])
    tmp_project.conn.commit()
    report = merge_project(tmp_project, colleague)
    by_who = {(c.annotator, c.article_title): c for c in report.conflicts}
    assert by_who[("ann", '=HYPERLINK("x")')].winner == "ours"
    assert by_who[("ann", '=HYPERLINK("x")')].theirs == "in favour"
    assert by_who[("ben", "Article 1")].winner == "theirs"
    assert by_who[("ben", "Article 1")].ours == "unclear"
    assert report.replaced == 1
    chosen = labels.chosen_options(tmp_project, 1, "ben", stance)
    assert chosen == [option(scheme, "stance", "article", "against")]
    assert labels.chosen_options(tmp_project, 2, "ann", stance) == [option(scheme, "stance", "article", "against")]
    assert any("conflict:" in line for line in report.lines())
    assert merge_project(tmp_project, colleague).changed == 0  # and again: nothing changes


def test_new_tasks_and_options_are_added_by_name(tmp_project, colleague):
    conn = sqlite3.connect(colleague)
    conn.execute("INSERT INTO tasks (name, kind, level, position) VALUES ('tone', 'single', 'article', 9)")
    tone = conn.execute("SELECT id FROM tasks WHERE name = 'tone'").fetchone()[0]
    conn.execute("INSERT INTO options (task_id, name, position) VALUES (?, 'angry', 0)", [tone])
    angry = conn.execute("SELECT id FROM options WHERE name = 'angry'").fetchone()[0]
    conn.execute("INSERT INTO labels (article_id, annotator, task_id, option_id, updated_at) VALUES (3, 'ann', ?, ?, ?)",
                 [tone, angry, utc_now()])
    conn.commit()
    conn.close()
    load_scheme(tmp_project)
    report = merge_project(tmp_project, colleague)
    assert report.tasks_added == 1 and report.options_added == 1
    names = [r[0] for r in tmp_project.conn.execute(
        "SELECT o.name FROM labels l JOIN options o ON o.id = l.option_id JOIN tasks t ON t.id = l.task_id "
        "WHERE t.name = 'tone'")]
    assert names == ["angry"]


def _refused(project, path, words):
    before = _fingerprint(path)
    counts = _counts(project)
    report = merge_project(project, path)
    assert report.refused and words in report.refused, report.refused
    assert _fingerprint(path) == before
    assert _counts(project) == counts
    assert not path.with_name(path.name + "-wal").exists()


def test_bad_files_are_refused_and_left_untouched(tmp_project, tmp_path, colleague):
    text = tmp_path / "notes.txt"
    text.write_text("not a database at all, just some words " * 10)
    _refused(tmp_project, text, "not an SQLite database")

    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE stuff (x)")
    conn.commit()
    conn.close()
    _refused(tmp_project, foreign, "not an annotator project")

    newer = tmp_path / "newer.db"
    newer.write_bytes(colleague.read_bytes())
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    _refused(tmp_project, newer, "newer version")

    damaged = tmp_path / "damaged.db"
    data = bytearray(colleague.read_bytes())
    page = 4096
    for i in range(page * 3, min(len(data), page * 12)):
        data[i] = 0x5A
    damaged.write_bytes(bytes(data))
    report = merge_project(tmp_project, damaged)
    assert report.refused and ("damaged" in report.refused or "could not be read" in report.refused)

    assert "more than" in merge_project(tmp_project, colleague, max_bytes=1000).refused
    assert "itself" in merge_project(tmp_project, tmp_project.path).refused
    assert merge_project(tmp_project, tmp_path / "missing.db").refused == "no such file"


def test_a_good_merge_leaves_the_other_file_untouched(tmp_project, colleague):
    before = _fingerprint(colleague)
    merge_project(tmp_project, colleague)
    assert _fingerprint(colleague) == before
    assert not colleague.with_name(colleague.name + "-wal").exists()


def test_views_posing_as_tables_are_refused(tmp_project, tmp_path, colleague):
    tricked = tmp_path / "tricked.db"
    tricked.write_bytes(colleague.read_bytes())
    conn = sqlite3.connect(tricked)
    conn.execute("ALTER TABLE labels RENAME TO labels_real")
    conn.execute("CREATE VIEW labels AS SELECT * FROM labels_real")
    conn.commit()
    conn.close()
    _refused(tmp_project, tricked, "no labels table")


@pytest.mark.parametrize("stop_at", [1, 4, 8])
def test_a_cancelled_merge_leaves_the_project_as_before(tmp_project, colleague, stop_at):
    from annotator.core.merge import MergeCancelled

    tmp_project.db["articles"].insert({"uid": "ours", "title": "Ours", "text": "Our own article."})
    before = _counts(tmp_project)
    steps = []

    def progress(done, total, what):
        steps.append(done)

    with pytest.raises(MergeCancelled, match="nothing of this file was merged"):
        merge_project(tmp_project, colleague, progress=progress, cancelled=lambda: len(steps) >= stop_at)
    assert _counts(tmp_project) == before
    assert not tmp_project.conn.in_transaction
    assert merge_project(tmp_project, colleague).articles_added == 4  # and a merge afterwards works
