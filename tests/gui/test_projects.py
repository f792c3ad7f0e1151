"""Projects from the File menu: New, Open, Open recent, Close, drop a project file; and the first
minute on a fresh profile (who is annotating is asked once, the banner's keys work at once)."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.core import labels
from annotator.core.store import open_project
from annotator.gui import projects
from annotator.gui.main_window import MainWindow
from tests.gui.conftest import fill


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def other_project(tmp_path):
    path = tmp_path / "other.db"
    with open_project(path) as project:
        fill(project)
        project.db["articles"].update(2, {"title": "Only in the other project"})
    return path


@pytest.fixture
def owned_window(qtbot, small_project, settings):
    projects.remember_annotator(settings, small_project.path, "ana")
    win = MainWindow(small_project, "ana", settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def track(qtbot, window):
    if window is not None:
        qtbot.addWidget(window)
    return window


def test_file_menu_has_new_open_recent_close_with_mnemonics(owned_window):
    file_menu = owned_window.menuBar().actions()[0]
    assert file_menu.text() == "&File"
    texts = [a.text() for a in file_menu.menu().actions() if not a.isSeparator()]
    assert texts[:4] == ["&New project…", "&Open project…", "Open &recent", "&Close project"]
    open_action = next(a for a in file_menu.menu().actions() if a.text() == "&Open project…")
    assert open_action.shortcut().toString() == "Ctrl+O"
    for menu_action in owned_window.menuBar().actions():
        assert "&" in menu_action.text()
        for action in menu_action.menu().actions():
            assert action.isSeparator() or "&" in action.text(), action.text()


def test_open_project_replaces_the_window_and_names_it(qtbot, owned_window, other_project, settings):
    new = track(qtbot, owned_window.open_project_file(other_project))
    assert new is not None and new.isVisible() and not owned_window.isVisible()
    assert new.project.path == other_project
    assert "other.db" in new.windowTitle()
    assert new.list_model.data(new.list_model.index(1, 0)) == "Only in the other project"
    assert new.annotator == "ana"  # the machine's name carried to a project not opened before
    assert projects.recent_projects(settings)[0] == str(other_project.resolve())


def test_open_recent_lists_projects_and_opens_one(qtbot, owned_window, other_project, settings):
    projects.remember_recent(settings, other_project)
    projects.remember_recent(settings, owned_window.project.path)
    owned_window._fill_recent_menu()
    actions = owned_window.recent_menu.actions()
    assert [a.data() for a in actions] == [str(owned_window.project.path.resolve()), str(other_project.resolve())]
    assert actions[1].text() == "&2 other.db"
    actions[1].trigger()
    new = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
    track(qtbot, new)
    assert new.project.path == other_project


def test_a_file_that_is_not_a_project_is_refused_and_left_untouched(qtbot, owned_window, tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_text("just some notes, not a database\n" * 20)
    before = digest(notes)
    assert owned_window.open_project_file(notes) is None
    box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
    assert "not an annotator project" in box.text() and "notes.db" in box.text()
    box.close()
    assert owned_window.isVisible() and digest(notes) == before


def test_a_project_from_a_newer_version_is_refused_and_left_untouched(qtbot, owned_window, other_project):
    conn = sqlite3.connect(other_project)
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    before = digest(other_project)
    assert owned_window.open_project_file(other_project) is None
    box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
    assert "newer version" in box.text()
    box.close()
    assert digest(other_project) == before and owned_window.project.path != other_project


def test_new_project_is_created_empty_and_opened(qtbot, owned_window, tmp_path):
    path = tmp_path / "fresh.db"
    new = track(qtbot, owned_window.open_project_file(path, create=True))
    assert path.exists() and new.project.path == path
    assert new.list_model.rowCount() == 0 and "File > Import" in new.reader.banner.text()


def test_new_project_dialog_offers_an_import_right_away(qtbot, owned_window, tmp_path, monkeypatch):
    article = tmp_path / "one.txt"
    article.write_text("A headline\n\n\"We will build it,\" said Mayor Ann Lee.\n")
    monkeypatch.setattr(projects, "choose_new_project", lambda parent: str(tmp_path / "made.db"))
    chosen = {}

    def import_files(self):
        chosen["window"] = self
        self.import_paths([str(article)], workers=1)

    monkeypatch.setattr(MainWindow, "import_files_dialog", import_files)

    def press_import():
        box = QApplication.activeModalWidget()
        chosen["question"] = box.text()
        next(b for b in box.buttons() if b.text() == "Import &files…").click()

    QTimer.singleShot(50, press_import)
    new = track(qtbot, owned_window.new_project_dialog())
    assert "Import articles" in chosen["question"] and chosen["window"] is new
    qtbot.waitUntil(lambda: new.list_model.rowCount() == 1, timeout=20000)
    assert new.article is not None and new.article.title == "A headline"


def test_close_leaves_the_start_window_which_opens_a_recent_project(qtbot, owned_window, settings):
    path = owned_window.project.path
    start = track(qtbot, owned_window.close_project())
    assert isinstance(start, projects.StartWindow) and start.isVisible() and not owned_window.isVisible()
    assert str(path.resolve()) in start.recent_model.stringList()
    row = start.recent_model.stringList().index(str(path.resolve()))
    start.recent_view.activated.emit(start.recent_model.index(row))
    assert start.opened is not None and start.opened.project.path.resolve() == path.resolve()
    track(qtbot, start.opened)


def test_dropping_a_project_file_opens_it(qtbot, owned_window, other_project):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(other_project))])
    event = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    owned_window.dropEvent(event)

    def opened():
        return next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
                     and w.project.path == other_project), None)

    qtbot.waitUntil(lambda: opened() is not None)
    track(qtbot, opened())
    assert not owned_window.isVisible() and owned_window.jobs == []  # opened, not imported


def test_annotator_is_remembered_per_project(settings, tmp_path):
    projects.remember_annotator(settings, tmp_path / "a.db", "ana")
    projects.remember_annotator(settings, tmp_path / "b.db", "ben")
    assert projects.remembered_annotator(settings, tmp_path / "a.db") == "ana"
    assert projects.remembered_annotator(settings, tmp_path / "b.db") == "ben"
    assert projects.remembered_annotator(settings, tmp_path / "new.db") == "ben"  # the machine's last name


def test_first_minute_on_a_fresh_profile(qtbot, settings, monkeypatch, tmp_path):
    """Launch as a new person would: asked once who is annotating (the login name filled in, one
    sentence why), then N, 2 and ? act at once without clicking anywhere."""
    from annotator.gui import launch

    monkeypatch.setattr(projects, "login_name", lambda: "maria")
    asked = []

    def answer():
        dialog = QApplication.activeModalWidget()
        asked.append((dialog.windowTitle(), dialog.name.text(), dialog.findChildren(type(dialog.name))))
        from PySide6.QtWidgets import QLabel

        assert any("stored under this name" in label.text() for label in dialog.findChildren(QLabel))
        dialog.accept()

    QTimer.singleShot(50, answer)
    window = launch.first_window(None, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    assert asked and asked[0][:2] == ("Who is annotating?", "maria")
    assert window.annotator == "maria" and "maria" in window.annotator_button.text()
    assert window.focusWidget() is window.reader.text  # not the search box

    first = window.article.id
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_N)
    assert window.article.id != first or window.list_model.rowCount() == 1
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_2)
    stance = window.scheme.stance_task("article")
    chosen = labels.chosen_options(window.project, window.article.id, "maria", stance.id)
    assert [stance.option(o).name for o in chosen] == [stance.options[1].name]
    assert window.search.text() == ""
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Question, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: getattr(window, "cheat_sheet", None) is not None and window.cheat_sheet.isVisible())
    window.cheat_sheet.close()

    # Asked once per machine: the next start names the same person without asking.
    QTimer.singleShot(50, lambda: asked.append("asked again") if QApplication.activeModalWidget() else None)
    again = launch.first_window(None, settings)
    qtbot.addWidget(again)
    assert again.annotator == "maria" and len(asked) == 1


def test_escape_leaves_the_search_box(owned_window, qtbot):
    owned_window.search.setFocus()
    qtbot.keyClicks(owned_window.search, "bridge")
    qtbot.keyClick(owned_window.search, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is owned_window.reader.text
