"""Import by drag and drop: files and folders run in a worker thread, then the report is shown."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QLabel

from tests.conftest import FIXTURES

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # QDragEnterEvent(QPoint, ...) in 6.x

DROP_FOLDER = FIXTURES / "gui" / "drop_folder"


def drop(window, paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(QPoint(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    event = QDropEvent(QPoint(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, event)


def test_dropping_a_folder_imports_it_and_shows_the_report(window, qtbot):
    with qtbot.waitSignal(window.import_finished, timeout=60_000) as finished:
        drop(window, [DROP_FOLDER])
    report = finished.args[0]
    assert report.imported_articles == 2 and not report.failed
    assert window.list_model.rowCount() == 5
    assert window.progress_label.text() == "0 of 5 labelled by you"
    assert window.report_dialog.model.rowCount() == 2
    window.report_dialog.close()
    qtbot.waitUntil(lambda: not window.jobs, timeout=10_000)


def test_dropping_the_same_files_again_reports_duplicates(window, qtbot):
    window.show_report_dialogs = False
    files = sorted(DROP_FOLDER.iterdir())
    with qtbot.waitSignal(window.import_finished, timeout=60_000):
        drop(window, files)
    with qtbot.waitSignal(window.import_finished, timeout=60_000) as again:
        drop(window, files)
    assert again.args[0].imported_articles == 0 and again.args[0].duplicate_articles == 2
    assert window.list_model.rowCount() == 5


def test_non_file_drops_are_ignored(window):
    mime = QMimeData()
    mime.setText("just text")
    enter = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted()


def test_cancelled_import_stops(window, qtbot):
    window.show_report_dialogs = False
    job = window.import_paths([str(DROP_FOLDER)])
    job.cancel()
    with qtbot.waitSignal(job.finished, timeout=60_000):
        pass
    assert window.list_model.rowCount() <= 5


def test_the_report_says_what_was_left_out_of_a_file(window, qtbot, tmp_path):
    """A Nexis export with a document that has no text: imported, and the report names the document."""
    with qtbot.waitSignal(window.import_finished, timeout=60_000):
        drop(window, [FIXTURES / "ingest" / "nexis_empty_body.txt"])
    dialog = window.report_dialog
    model = dialog.model
    assert model.rowCount() == 1
    assert model.text(0, 1) == "imported, 1 left out" and model.text(0, 2) == "1"
    assert "document 2 left out" in model.text(0, 3) and "Photo of the day" in model.text(0, 3)
    assert "1 document left out of imported files" in dialog.findChild(QLabel).text()
    dialog.grab().save(str(tmp_path / "import_report.png"))
    dialog.close()
    qtbot.waitUntil(lambda: not window.jobs, timeout=10_000)
