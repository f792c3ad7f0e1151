"""Every CSV cell made safe by one function: header cells from a colleague's task names, control
characters, entity lists; exports replace their file only once complete and clean up after a kill."""

import csv
import os

import pytest

from annotator.core import labels
from annotator.core.csvsafe import clean_csv_line, csv_cell, neutralise, restore, strip_controls
from annotator.core.entities import export_entities_csv, import_entities_csv, insert_entity
from annotator.core.export import write_export
from annotator.core.import_labels import import_labels
from annotator.core.merge import merge_project
from annotator.core.names import normalise_name
from annotator.core.scheme import load_scheme
from annotator.core.store import open_project, utc_now

FORMULA = '=HYPERLINK("http://evil.example/","open me")'
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _rows(path):
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return list(csv.reader(fh))


def _colleague_with_formula_tasks(path):
    """A colleague's project whose scheme holds formula names at both levels, with labels."""
    other = open_project(path)
    with other.write() as db:
        db["articles"].insert({"uid": "u1", "title": "T", "text": 'He said "we win" today.'})
        art = db["tasks"].insert({"name": FORMULA, "kind": "single", "level": "article", "position": 9}).last_pk
        opt = db["options"].insert({"task_id": art, "name": "@SUM(1+1)", "position": 0}).last_pk
        qt = db["tasks"].insert({"name": "+quote" + FORMULA, "kind": "single", "level": "quote",
                                 "position": 10}).last_pk
        qopt = db["options"].insert({"task_id": qt, "name": "-1", "position": 0}).last_pk
        quote = db["quotes"].insert({"article_id": 1, "start": 9, "end": 15, "text": "we win",
                                     "origin": "auto"}).last_pk
        now = utc_now()
        db["labels"].insert({"article_id": 1, "annotator": "eve", "task_id": art, "option_id": opt, "updated_at": now})
        db["labels"].insert({"article_id": 1, "quote_id": quote, "annotator": "eve", "task_id": qt, "option_id": qopt,
                             "updated_at": now})
        db["article_status"].insert({"article_id": 1, "annotator": "eve", "status": "labelled", "updated_at": now})
    other.close()


@pytest.mark.parametrize("options", [
    {"level": "article"}, {"level": "quote"}, {"level": "article", "adjudicated": True},
    {"level": "quote", "adjudicated": True},
])
def test_a_formula_task_name_arriving_by_merge_is_neutralised_in_the_header(tmp_path, tmp_project, options):
    _colleague_with_formula_tasks(tmp_path / "colleague.db")
    assert merge_project(tmp_project, tmp_path / "colleague.db").refused is None
    out = tmp_path / "out.csv"
    write_export(tmp_project, out, **options)
    rows = _rows(out)
    for cell in (c for row in rows for c in row):
        assert not cell.startswith(TRIGGERS), repr(cell)
    header = rows[0]
    wanted = FORMULA if options["level"] == "article" else "+quote" + FORMULA
    assert "'" + wanted in header  # the name is kept, behind a quote


def test_an_export_with_a_formula_header_imports_back_unchanged(tmp_path, tmp_project):
    _colleague_with_formula_tasks(tmp_path / "colleague.db")
    merge_project(tmp_project, tmp_path / "colleague.db")
    before = tmp_project.conn.execute("SELECT * FROM labels ORDER BY id").fetchall()
    for level in ("article", "quote"):
        out = tmp_path / f"{level}.csv"
        write_export(tmp_project, out, level=level)
        report = import_labels(tmp_project, out)
        assert report.ok and report.changed == 0, report.problems
    assert tmp_project.conn.execute("SELECT * FROM labels ORDER BY id").fetchall() == before


@pytest.mark.parametrize("processes", ["1", "3"])
@pytest.mark.parametrize("adjudicated", [False, True])
def test_control_characters_never_reach_a_cell(tmp_path, monkeypatch, processes, adjudicated):
    monkeypatch.setenv("ANNOTATOR_EXPORT_PROCESSES", processes)
    project = open_project(tmp_path / "p.db")
    stance = load_scheme(project).stance_task()
    titles = ["\x1b]0;owned\x07=cmd", "a\x1b[31mred,\x7f\x9bend", "\x0b@x", "plain", "'\x01+1"]
    with project.write() as db:
        for i, title in enumerate(titles):
            db["articles"].insert({"uid": f"u{i}", "title": title, "outlet": "o\x08", "text": f"text {i}"})
    for article_id in range(1, len(titles) + 1):
        labels.set_choice(project, article_id, "ana", stance.id, stance.options[0].id)
        if adjudicated:
            labels.set_choice(project, article_id, "ben", stance.id, stance.options[0].id)
    out = tmp_path / "out.csv"
    write_export(project, out, adjudicated=adjudicated)
    raw = out.read_text(encoding="utf-8")
    assert strip_controls(raw) == raw  # no control character anywhere but tab/CR/LF
    rows = _rows(out)
    cells = [c for row in rows for c in row]
    for cell in cells:
        assert not cell.startswith(TRIGGERS), repr(cell)
    shown = {row[2] for row in rows[1:]}
    assert shown == {"]0;owned=cmd", "a[31mred,end", "'@x", "plain", "''+1"}
    assert {restore(c) for c in shown} == {strip_controls(t) for t in titles}
    project.close()


def test_the_same_cell_rules_for_a_python_cell_and_a_line_sqlite_built():
    # SQLite neutralises a line's cells before the control characters are taken out (sql_neutralise
    # does what neutralise does)
    for value in ["\x00=x", "'\x00=x", "=\x00x", "\x1b", "ok", "a,\x1bb", 'q"\x1b"', "\x7f-1", "x\r\ny\x1b"]:
        line = ",".join('"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\r\n') else v
                        for v in [neutralise(value), "z"])
        cleaned = next(csv.reader([clean_csv_line(line)]))
        assert cleaned == [csv_cell(value), "z"], value


def _entities(project, names):
    with project.write():
        for name in names:
            insert_entity(project.conn, name, normalise_name(name), "person", None, ["@alias(1)", "plain"])


def test_entities_export_neutralises_names_and_aliases_and_reads_back(tmp_path, tmp_project):
    _entities(tmp_project, ["=HYPERLINK(\"http://evil.example/\",\"x\")", "@SUM(1+1)", "Ann Lee"])
    out = tmp_path / "entities.csv"
    assert export_entities_csv(tmp_project, out) == 3
    rows = _rows(out)
    for cell in (c for row in rows for c in row):
        assert not cell.startswith(TRIGGERS), repr(cell)
    assert rows[2][0] == "'@SUM(1+1)" and rows[1][2] == "'@alias(1)|plain"
    other = open_project(tmp_path / "other.db")
    report = import_entities_csv(other, out)
    assert not report.problems
    names = {r[0] for r in other.conn.execute("SELECT name FROM entities")}
    assert names == {"=HYPERLINK(\"http://evil.example/\",\"x\")", "@SUM(1+1)", "Ann Lee"}
    aliases = {r[0] for r in other.conn.execute("SELECT alias FROM aliases")}
    assert "@alias(1)" in aliases
    other.close()


def test_a_failed_entities_export_leaves_the_old_file_whole(tmp_path, tmp_project, monkeypatch):
    _entities(tmp_project, ["Ann Lee", "Bob Roe"])
    out = tmp_path / "entities.csv"
    out.write_text("the old list\n", encoding="utf-8")
    calls = []

    def failing(value, neutral=True):
        calls.append(value)
        if len(calls) > 6:
            raise OSError(28, "No space left on device")
        return value

    monkeypatch.setattr("annotator.core.entities.csv_cell", failing)
    with pytest.raises(OSError):
        export_entities_csv(tmp_project, out)
    assert out.read_text(encoding="utf-8") == "the old list\n"
    assert [p.name for p in tmp_path.iterdir() if ".part" in p.name] == []


def _dead_pid():
    pid = 4_000_000
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except OSError:
            pass
        pid += 1


@pytest.mark.skipif(os.name == "nt", reason="a process id is checked with signal 0")
def test_leftovers_of_a_killed_export_are_removed_by_the_next_one(tmp_path, tmp_project):
    out = tmp_path / "labels.csv"
    dead, alive = _dead_pid(), os.getppid()
    left = [tmp_path / f".labels.csv.{dead}.part", tmp_path / f".labels.csv.{dead}.part.1"]
    running = tmp_path / f".labels.csv.{alive}.part"
    unrelated = tmp_path / f".other.csv.{dead}.part"
    for path in (*left, running, unrelated):
        path.write_text("half", encoding="utf-8")
    write_export(tmp_project, out)
    assert out.exists()
    assert not any(p.exists() for p in left)
    assert running.exists() and unrelated.exists()  # another run's file, another target's
    entities = tmp_path / "e.csv"
    (tmp_path / f".e.csv.{dead}.part").write_text("half", encoding="utf-8")
    export_entities_csv(tmp_project, entities)
    assert not (tmp_path / f".e.csv.{dead}.part").exists()


@pytest.mark.skipif(os.name == "nt", reason="a process id is checked with signal 0")
def test_a_killed_backup_leaves_no_journal_behind(tmp_path, tmp_project):
    from annotator.core.backup import backup_dir, backup_project

    folder = backup_dir(tmp_project.path)
    folder.mkdir(exist_ok=True)
    dead = _dead_pid()
    copy = f".20260101T000000Z_daily.db.tmp-{dead}"
    left = [folder / copy, folder / f"{copy}-journal"]
    for path in left:
        path.write_bytes(b"half")
    backup_project(tmp_project, "merge")
    assert not any(p.exists() for p in left)
