"""Import by drag and drop: files and folders run in a worker thread, then the report is shown."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QLabel

from tests.conftest import FIXTURES

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # QDragEnterEvent(QPoint, ...) in 6.x

DROP_FOLDER = FIXTURES / "gui" / "drop_folder"
SCREENSHOTS = FIXTURES.parents[1] / "docs" / "screenshots"


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
    assert model.text(0, 1) == "imported, 1 left out" and model.text(0, 2) == "nexis-txt"
    assert model.text(0, 3) == "1"
    assert "document 2 left out" in model.text(0, 4) and "Photo of the day" in model.text(0, 4)
    assert "1 document left out of imported files" in dialog.findChild(QLabel).text()
    dialog.grab().save(str(tmp_path / "import_report.png"))
    dialog.close()
    qtbot.waitUntil(lambda: not window.jobs, timeout=10_000)


def test_the_report_names_the_reader_of_each_news_database_export(window, qtbot, tmp_path):
    """Factiva and Nexis exports saved as .html go to their own readers, and the report says which."""
    ingest = FIXTURES / "ingest"
    paths = [ingest / "factiva_en_two_articles.html", ingest / "nexis_uk_de_two_docs.html",
             ingest / "factiva_search_results.html", ingest / "article_basic.html"]
    with qtbot.waitSignal(window.import_finished, timeout=60_000):
        drop(window, paths)
    dialog = window.report_dialog
    model = dialog.model
    rows = {model.text(r, 0).rsplit("/", 1)[-1]: [model.text(r, c) for c in range(1, 5)]
            for r in range(model.rowCount())}
    assert rows["factiva_en_two_articles.html"][:3] == ["imported", "factiva-html", "2"]
    assert rows["nexis_uk_de_two_docs.html"][:3] == ["imported", "nexis-html", "2"]
    assert rows["article_basic.html"][:3] == ["imported", "html", "1"]
    assert rows["factiva_search_results.html"][:2] == ["failed", "factiva-html"]
    assert "list of search results" in rows["factiva_search_results.html"][3]
    dialog.resize(1100, 300)
    dialog.grab().save(str(tmp_path / "import-report.png"))
    if os.environ.get("ANNOTATOR_SCREENSHOTS"):  # refresh the README's picture: ANNOTATOR_SCREENSHOTS=1 pytest ...
        dialog.grab().save(str(SCREENSHOTS / "import-report.png"))
    dialog.close()
    qtbot.waitUntil(lambda: not window.jobs, timeout=10_000)
