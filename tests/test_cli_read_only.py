"""Reading commands (export, agreement, disagreements, info, articles, scheme, entities) open the project
read-only: no migration, no backup, nothing written beside it, and a file nobody may write works."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
import stat

import pandas as pd
import pytest

from annotator.cli import main
from annotator.core import labels
from annotator.core.backup import list_backups
from annotator.core.scheme import load_scheme
from annotator.core.store import SCHEMA_VERSION, ProjectError, open_project, open_project_read_only
from tests.paths import FIXTURES

RELEASED = sorted((FIXTURES / "schemas").glob("schema_v*.db"), key=lambda p: int(re.findall(r"\d+", p.stem)[0]))
READING = [["info"], ["articles"], ["scheme"], ["entities"], ["agreement"], ["disagreements"],
           ["export", "--out", "{out}"], ["export", "--out", "{out}", "--level", "quote"],
           ["export", "--out", "{out}", "--adjudicated"]]


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def labelled_project(path):
    with open_project(path) as project:
        load_scheme(project)
        for uid in ("a", "b"):
            project.db["articles"].insert({"uid": uid, "title": f"Title {uid}", "text": f"Text {uid}."})
        stance = project.db.execute("SELECT id FROM tasks WHERE name = 'stance'").fetchone()[0]
        option = project.db.execute("SELECT id FROM options WHERE task_id = ? LIMIT 1", [stance]).fetchone()[0]
        for who in ("ana", "ben"):
            labels.set_choice(project, 1, labels.ensure_annotator(project, who), stance, option)
    return path


def make_read_only(path) -> None:
    path.chmod(stat.S_IRUSR | stat.S_IRGRP)
    path.parent.chmod(stat.S_IRUSR | stat.S_IXUSR)


@pytest.fixture
def locked_folder(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    yield folder
    folder.chmod(0o755)
    for child in folder.iterdir():
        child.chmod(0o644)


@pytest.mark.parametrize("command", READING, ids=[" ".join(c[:3:2]) for c in READING])
def test_reading_commands_work_on_a_read_only_file_and_change_nothing(locked_folder, tmp_path, command, capsys):
    path = labelled_project(locked_folder / "p.db")
    before, files_before = digest(path), sorted(p.name for p in locked_folder.iterdir())
    make_read_only(path)
    out = tmp_path / "out.csv"
    assert main([command[0], str(path), *[a.format(out=out) for a in command[1:]]]) == 0
    assert digest(path) == before
    assert sorted(p.name for p in locked_folder.iterdir()) == files_before  # no -wal, -shm or backup
    assert list_backups(path) == []
    if command[0] == "export":
        frame = pd.read_csv(out)
        assert "quote_id" in frame.columns if "quote" in command else len(frame) >= 1


@pytest.mark.parametrize("fixture", RELEASED, ids=[p.name for p in RELEASED])
def test_a_released_schema_is_read_without_migrating_the_file(tmp_path, fixture, capsys):
    path = tmp_path / fixture.name
    shutil.copyfile(fixture, path)
    before = digest(path)
    version = sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0]
    assert main(["info", str(path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["articles"] > 0 and info["schema_version"] == SCHEMA_VERSION  # as read: brought up to date
    assert main(["export", str(path), "--out", str(tmp_path / "x.csv")]) == 0
    assert digest(path) == before and list_backups(path) == []
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == version


def test_a_read_only_project_refuses_writes(tmp_path):
    path = labelled_project(tmp_path / "p.db")
    with open_project_read_only(path) as project:
        with pytest.raises(ProjectError, match="read-only"):
            with project.write():
                pass
    with pytest.raises(ProjectError, match="no such project"):
        open_project_read_only(tmp_path / "missing.db")
