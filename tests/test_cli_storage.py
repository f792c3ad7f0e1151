"""A read-only file and a full disk are said in words, never as a traceback, and never as a damaged
file (a person might restore a backup over a sound one); read-only work goes on."""

import sqlite3
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core import labels, store
from annotator.core.scheme import load_scheme
from annotator.core.store import ProjectError, open_project

REAL_CONNECT = sqlite3.connect


def _labelled(path, journal="wal"):
    with open_project(path) as project:
        stance = load_scheme(project).stance_task()
        project.db["articles"].insert({"uid": "u1", "title": "T", "text": "Some text."})
        labels.set_choice(project, 1, "ana", stance.id, stance.options[0].id)
        project.conn.execute(f"PRAGMA journal_mode = {journal}")
    return path


@pytest.fixture
def read_only_mount(monkeypatch):
    """Call it to be as on a read-only mount: every connection the project opens for writing can
    only read (tests may run as root, for whom file modes do not stop SQLite)."""
    return lambda: monkeypatch.setattr(store.sqlite3, "connect", _read_only_connect)


def _read_only_connect(database, *args, **kwargs):
    if isinstance(database, str) and not database.startswith("file:") and database != ":memory:":
        return REAL_CONNECT(f"{Path(database).resolve().as_uri()}?mode=ro", *args, uri=True, **kwargs)
    return REAL_CONNECT(database, *args, **kwargs)


def test_a_read_only_file_is_called_read_only_not_damaged(tmp_path, read_only_mount):
    path = _labelled(tmp_path / "p.db", journal="delete")
    read_only_mount()
    with pytest.raises(ProjectError) as caught:
        open_project(path)
    message = str(caught.value)
    assert "read-only: open it read-only or copy it" in message and "damaged" not in message


def test_a_write_on_a_read_only_file_is_a_sentence_and_reading_work_goes_on(tmp_path, read_only_mount, capsys):
    path = _labelled(tmp_path / "p.db")
    read_only_mount()
    code = main(["label", str(path), "1", "stance", "against", "--annotator", "ben"])
    err = capsys.readouterr().err
    assert code == 1 and "read-only" in err and "Traceback" not in err and "damaged" not in err
    assert main(["export", str(path), "--out", str(tmp_path / "out.csv")]) == 0
    assert "ana" in (tmp_path / "out.csv").read_text(encoding="utf-8")
    assert main(["agreement", str(path)]) == 0


def _full_disk(monkeypatch, spare_pages=3):
    """Projects opened by the command line get a page limit just above their size: SQLite then
    fails as on a full disk (SQLITE_FULL)."""
    real = store.open_project

    def opening(path, **kwargs):
        project = real(path, **kwargs)
        pages = project.conn.execute("PRAGMA page_count").fetchone()[0]
        project.conn.execute(f"PRAGMA max_page_count = {pages + spare_pages}")
        return project

    monkeypatch.setattr(store, "open_project", opening)


def test_a_full_disk_during_import_says_so_and_stores_nothing(tmp_path, monkeypatch, capsys):
    path = _labelled(tmp_path / "p.db")
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(40):
        (folder / f"a{i}.txt").write_text(f"Title {i}\n\n" + f"word{i} " * 3000, encoding="utf-8")
    _full_disk(monkeypatch)
    code = main(["import", str(path), str(folder), "--no-detect"])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert "the disk is full: nothing of this import was stored" in err
    with open_project(path) as project:
        assert project.db["articles"].count == 1
        assert project.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_full_disk_during_a_merge_blames_our_disk_not_their_file(tmp_path, monkeypatch, capsys):
    path = _labelled(tmp_path / "p.db")
    other = tmp_path / "colleague.db"
    with open_project(other) as project:
        project.db["articles"].insert_all({"uid": str(i), "text": f"Their article {i}. " * 200} for i in range(200))
    _full_disk(monkeypatch, spare_pages=0)
    monkeypatch.setattr("annotator.core.merge.backup_project", lambda *a: None)  # the backup folder is elsewhere
    code = main(["merge", str(path), str(other)])
    out = capsys.readouterr()
    assert code == 1 and "Traceback" not in out.err
    assert "the disk is full: nothing was merged" in out.err and "could not be read" not in out.err
    with open_project(path) as project:
        assert project.db["articles"].count == 1


def test_a_window_job_that_fills_the_disk_shows_a_sentence(tmp_path, qtbot):
    from annotator.gui.jobs import ProjectJob

    path = _labelled(tmp_path / "p.db")

    def work(project, progress, cancelled):
        raise sqlite3.OperationalError("database or disk is full")

    job = ProjectJob(path, work)
    with qtbot.waitSignal(job.failed, timeout=10_000) as got:
        job.start()
    job.wait()
    assert got.args[0] == f"{path}: the disk is full: nothing of this work was stored."
