import sqlite3

import pytest

from annotator.core.store import APPLICATION_ID, SCHEMA_VERSION, ProjectError, open_project


def test_new_project_is_plain_sqlite_with_version_wal_and_foreign_keys(tmp_path):
    path = tmp_path / "p.db"
    project = open_project(path)
    assert project.schema_version == SCHEMA_VERSION
    assert project.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert project.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    project.close()
    conn = sqlite3.connect(path)  # any SQLite tool opens it
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"articles", "imports", "quotes", "entities", "labels"} <= tables
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    columns = {r[1] for r in conn.execute("PRAGMA table_info(articles)")}
    assert columns >= {"id", "uid", "title", "outlet", "authors", "published", "url", "language", "text",
                       "source_path", "source_index", "imported_at"}
    conn.close()


def test_reopening_does_not_migrate_again(tmp_path):
    path = tmp_path / "p.db"
    open_project(path).close()
    project = open_project(path)
    applied = project.db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
    assert applied == SCHEMA_VERSION
    project.close()


def test_text_file_is_refused_and_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"just some notes\n")
    with pytest.raises(ProjectError, match="not an annotator project"):
        open_project(path)
    assert path.read_bytes() == b"just some notes\n"


def test_foreign_sqlite_database_is_refused_and_untouched(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE birds (name TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(ProjectError, match="not an annotator project"):
        open_project(path)
    assert path.read_bytes() == before


def test_newer_version_is_refused_and_untouched(tmp_path):
    path = tmp_path / "future.db"
    open_project(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(ProjectError, match="newer version"):
        open_project(path)
    assert path.read_bytes() == before


def test_truncated_file_is_refused(tmp_path):
    path = tmp_path / "cut.db"
    path.write_bytes(b"SQLite format 3\x00" + b"\x10\x00")
    with pytest.raises(ProjectError, match="truncated"):
        open_project(path)


def test_missing_project_without_create(tmp_path):
    with pytest.raises(ProjectError, match="no such project"):
        open_project(tmp_path / "nope.db", create=False)


def test_write_rolls_back_on_error(tmp_project):
    with pytest.raises(RuntimeError):
        with tmp_project.write() as db:
            db["settings"].insert({"key": "a", "value": "1"})
            raise RuntimeError("boom")
    assert tmp_project.db["settings"].count == 0
