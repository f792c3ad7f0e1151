"""A detection stopped before it finished (a kill, a crash) is said at the next start, with the
command that finishes it; a finished one leaves no note."""

import pytest

from annotator.cli import main
from annotator.core import quotes
from annotator.core.detection_state import detection_pending
from annotator.core.importer import import_paths
from annotator.core.quotes import run_detection


def _articles(tmp_path, n=60):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(n):
        (folder / f"a{i}.txt").write_text(f"Title {i}\n\n\"We will win,\" said Ann Lee on day {i}.", encoding="utf-8")
    return folder


def test_a_detection_killed_halfway_leaves_a_note_until_it_is_run_again(tmp_path, tmp_project, monkeypatch, capsys):
    import_paths(tmp_project, [_articles(tmp_path)], workers=1, detect=False)
    assert detection_pending(tmp_project) is None
    real, calls = quotes._store_batch, []

    def dies(*args):
        calls.append(1)
        if len(calls) > 1:
            raise KeyboardInterrupt  # as a kill would stop it: after the first batch was stored
        return real(*args)

    monkeypatch.setattr(quotes, "BATCH_ARTICLES", 10)
    monkeypatch.setattr(quotes, "_store_batch", dies)
    with pytest.raises(KeyboardInterrupt):
        run_detection(tmp_project, workers=1)
    note = detection_pending(tmp_project)
    assert note and f"annotator detect {tmp_project.path}" in note
    assert main(["info", str(tmp_project.path)]) == 0
    assert "did not finish" in capsys.readouterr().err
    monkeypatch.setattr(quotes, "_store_batch", real)
    run_detection(tmp_project, workers=1)
    assert detection_pending(tmp_project) is None


def test_an_import_that_finishes_its_detection_leaves_no_note(tmp_path, tmp_project):
    report = import_paths(tmp_project, [_articles(tmp_path, 5)], workers=1)
    assert report.imported_articles == 5 and detection_pending(tmp_project) is None


def test_the_window_says_so_on_opening(qtbot, tmp_project, tmp_path):
    from PySide6.QtCore import QSettings

    from annotator.core.detection_state import set_detection_pending
    from annotator.gui.main_window import MainWindow

    import_paths(tmp_project, [_articles(tmp_path, 3)], workers=1)
    set_detection_pending(tmp_project, True)
    window = MainWindow(tmp_project, "ana", QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    assert "annotator detect" in window.statusBar().currentMessage()
