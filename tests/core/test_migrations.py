"""Projects from every released schema version open and keep their data; unusable files are refused
with a clear sentence and left byte for byte as they were."""

import hashlib
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest
import sqlite_utils

from annotator.core.backup import list_backups
from annotator.core.store import APPLICATION_ID, SCHEMA_VERSION, ProjectError, migrations, open_project
from tests.paths import FIXTURES, REPO

SCHEMAS = FIXTURES / "schemas"
RELEASED = sorted(SCHEMAS.glob("schema_v*.db"), key=lambda p: int(re.findall(r"\d+", p.stem)[0]))
INTERNAL = re.compile(r"^(sqlite_|articles_fts)")  # SQLite's own tables and the search index's shadow tables


def _rows(path) -> dict[str, tuple[list[str], set[tuple]]]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        out = {}
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            if INTERNAL.match(table):
                continue
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            out[table] = (cols, set(conn.execute(f'SELECT * FROM "{table}"')))
        return out
    finally:
        conn.close()


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_there_is_a_fixture_for_the_current_schema_version():
    assert (SCHEMAS / f"schema_v{SCHEMA_VERSION}.db").exists(), (
        "a schema change needs tests/fixtures/schemas/schema_v<N>.db: run tests/fixtures/schemas/make_fixtures.py")


@pytest.mark.parametrize("fixture", RELEASED, ids=[p.name for p in RELEASED])
def test_released_project_opens_migrates_and_keeps_every_row(tmp_path, fixture):
    version = int(re.findall(r"\d+", fixture.stem)[0])
    path = tmp_path / fixture.name
    shutil.copyfile(fixture, path)
    before = _rows(path)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == version
    assert sum(len(rows) for _, rows in before.values()) > 20

    project = open_project(path)
    assert project.schema_version == SCHEMA_VERSION
    assert project.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert project.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    hits = project.conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'heating'").fetchall()
    assert hits == [(2,)]
    project.close()

    after = _rows(path)
    for table, (cols, rows) in before.items():
        assert table in after, f"table {table} was dropped"
        after_cols, after_rows = after[table]
        keep = [after_cols.index(c) for c in cols if c in after_cols]
        assert len(keep) == len(cols), f"{table} lost columns {set(cols) - set(after_cols)}"
        projected = {tuple(row[i] for i in keep) for row in after_rows}
        assert rows <= projected, f"{table} lost rows: {sorted(rows - projected, key=str)[:3]}"
    if version < SCHEMA_VERSION:
        assert [b.kind for b in list_backups(path)] == ["migration"]


@pytest.mark.parametrize("stop", range(1, SCHEMA_VERSION))
def test_every_earlier_step_of_the_schema_migrates_with_its_articles(tmp_path, stop):
    """Until each old release has its own fixture file: a project built with only the first steps."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    db = sqlite_utils.Database(conn)
    migrations.apply(db, stop_before=migrations._migrations[stop].name)
    db["articles"].insert({"uid": "u1", "title": "Old heating news", "text": "Heating costs rose again."})
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {stop}")
    conn.commit()
    conn.close()
    with open_project(path) as project:
        assert project.schema_version == SCHEMA_VERSION
        assert project.db["articles"].count == 1
        assert project.conn.execute(
            "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'heating'").fetchone()[0] == 1


# --- refusals ---------------------------------------------------------------------------------------


@pytest.fixture
def real_project(tmp_path):
    """A closed project of some size (many pages), checkpointed so the main file holds everything."""
    path = tmp_path / "real.db"
    shutil.copyfile(RELEASED[-1], path)
    with open_project(path) as project, project.write() as db:
        db["articles"].insert_all(
            {"uid": f"bulk{i}", "title": f"Bulk {i}", "text": f"Article {i}: " + "words and more words " * 60}
            for i in range(400))
    shutil.rmtree(tmp_path / "real.db.backups", ignore_errors=True)
    assert not (tmp_path / "real.db-wal").exists()
    return path


def _assert_refused_untouched(path, match):
    before = _digest(path)
    with pytest.raises(ProjectError, match=match) as info:
        open_project(path)
    assert str(path) in str(info.value)  # the message names the file
    assert _digest(path) == before
    assert not (path.parent / (path.name + ".backups")).exists()
    return str(info.value)


def test_newer_version_is_refused(real_project):
    conn = sqlite3.connect(real_project)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    message = _assert_refused_untouched(real_project, "newer version")
    assert "Update annotator" in message


def test_non_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "thesis.db"
    path.write_bytes(b"%PDF-1.7 not a project at all\n" * 50)
    _assert_refused_untouched(path, "not an annotator project")


def test_zero_filled_file_is_refused(tmp_path):
    path = tmp_path / "zeros.db"
    path.write_bytes(b"\0" * 65536)
    _assert_refused_untouched(path, "not an annotator project")


def test_truncated_project_is_refused(real_project):
    data = real_project.read_bytes()
    real_project.write_bytes(data[: len(data) // 2])
    _assert_refused_untouched(real_project, "damaged")


def test_project_cut_inside_its_header_is_refused(real_project):
    real_project.write_bytes(real_project.read_bytes()[:60])
    _assert_refused_untouched(real_project, "truncated")


@pytest.mark.parametrize("seed", range(3))
def test_project_with_garbage_in_the_middle_is_refused(real_project, seed):
    data = bytearray(real_project.read_bytes())
    page = 4096
    pages = len(data) // page
    rng = __import__("random").Random(seed)
    first = pages // 3 + rng.randrange(pages // 3)
    for p in range(first, first + 3):
        data[p * page : (p + 1) * page] = rng.randbytes(page)
    real_project.write_bytes(bytes(data))
    message = _assert_refused_untouched(real_project, "damaged")
    assert "annotator restore" in message  # says what to do about it


def test_flipped_bytes_in_a_page_header_are_refused(real_project):
    data = bytearray(real_project.read_bytes())
    page = 4096
    for p in range(len(data) // page // 2, len(data) // page // 2 + 4):
        for i in range(12):  # the b-tree page header: page type, cell count, content offset
            data[p * page + i] ^= 0xFF
    real_project.write_bytes(bytes(data))
    _assert_refused_untouched(real_project, "damaged")


def test_project_left_with_wal_and_shm_by_a_killed_process_opens_with_all_its_data(tmp_path):
    path = tmp_path / "crashed.db"
    open_project(path).close()
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import time
            from annotator.core.store import open_project
            p = open_project({str(path)!r})
            p.conn.execute("PRAGMA wal_autocheckpoint = 0")  # keep every commit in the -wal file
            for i in range(300):
                with p.write() as db:
                    db["articles"].insert({{"uid": f"w{{i}}", "title": "t", "text": f"text {{i}}"}})
            print("written", flush=True)
            time.sleep(60)
        """)],
        stdout=subprocess.PIPE, text=True, cwd=REPO,
    )
    try:
        assert child.stdout.readline().strip() == "written"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    wal = tmp_path / "crashed.db-wal"
    assert wal.exists() and wal.stat().st_size > 0
    assert (tmp_path / "crashed.db-shm").exists()
    with open_project(path) as project:
        assert project.db["articles"].count == 300
        assert project.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_quote_forms_migration_makes_every_stored_quote_direct_and_keeps_its_labels(tmp_path):
    """0004_quote_forms on a project of the schema before it: quotes become direct, their content their
    quoted words; verdicts and quote labels stay on them."""
    def columns(path):
        return {r[1] for r in sqlite3.connect(path).execute("PRAGMA table_info(quotes)")}

    without = [p for p in RELEASED if "form" not in columns(p)]
    if not without:
        pytest.skip("no fixture for the schema before quote forms")
    fixture = without[-1]
    path = tmp_path / fixture.name
    shutil.copyfile(fixture, path)
    old = sqlite3.connect(path)
    quotes = old.execute("SELECT id, start, end, text FROM quotes ORDER BY id").fetchall()
    verdicts = old.execute("SELECT quote_id, annotator, status FROM quote_labels ORDER BY 1, 2").fetchall()
    labels = old.execute("SELECT quote_id, option_id FROM labels WHERE quote_id IS NOT NULL").fetchall()
    old.close()
    assert quotes and verdicts and labels
    with open_project(path) as project:
        rows = project.conn.execute(
            "SELECT id, form, content_start, content_end, content FROM quotes ORDER BY id").fetchall()
        assert rows == [(i, "direct", s, e, t) for i, s, e, t in quotes]
        assert project.conn.execute(
            "SELECT quote_id, annotator, status FROM quote_labels ORDER BY 1, 2").fetchall() == verdicts
        assert project.conn.execute(
            "SELECT quote_id, option_id FROM labels WHERE quote_id IS NOT NULL").fetchall() == labels
