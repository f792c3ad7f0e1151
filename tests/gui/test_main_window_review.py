"""The main window's export, merge, review and agreement entries: each menu action does what a person
expects (file written with the chosen options, colleague's labels in and the views refreshed, the
disagreements listed, the agreement tables shown)."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402

from annotator.core.store import open_project  # noqa: E402
from tests.fixtures.review.sample import build_sample  # noqa: E402


@pytest.fixture
def sample_window(qtbot, tmp_path):
    """A main window on the review sample (ann and ben labelled articles 1 and 2), annotator zoe."""
    from annotator.gui.main_window import MainWindow

    project = open_project(tmp_path / "p.db")
    build_sample(project)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("adjudicator", "zoe")
    win = MainWindow(project, "zoe", settings)
    win.show_report_dialogs = False
    qtbot.addWidget(win)
    win.show()
    yield win
    for job in list(win.jobs):
        job.wait()
    project.close()


def test_file_export_opens_the_dialog_and_writes_the_chosen_options(qtbot, sample_window, tmp_path):
    action = next(a for a in sample_window.export_actions if a.text().replace("&", "") == "Export…")
    action.trigger()
    dialog = sample_window.export_window
    assert dialog.isVisible() and dialog.level.currentData() == "article"
    dialog.who.setCurrentText("ben")
    dialog.excel.setChecked(True)
    dialog.neutralise.setChecked(False)
    dialog.path.setText(str(tmp_path / "ben.csv"))
    dialog.start()
    qtbot.waitUntil(lambda: dialog.result_ok is not None, timeout=10000)
    assert dialog.result_ok, dialog.status.text()
    raw = (tmp_path / "ben.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs
    text = raw.decode("utf-8-sig")
    assert ',ben,' in text and ',ann,' not in text
    assert '"=HYPERLINK(""x"")"' in text  # not neutralised: the option was turned off


def test_export_quote_labels_action_chooses_the_quote_level(sample_window, tmp_path):
    action = next(a for a in sample_window.export_actions if a.text().replace("&", "") == "Export quote labels…")
    action.trigger()
    assert sample_window.export_window.level.currentData() == "quote"
    assert sample_window.export_window.options()["neutralise"] is True


def test_merge_adds_the_colleagues_labels_and_refreshes_the_views(qtbot, tmp_path, monkeypatch):
    from annotator.gui import merge_action
    from annotator.gui.main_window import MainWindow

    colleague = tmp_path / "colleague.db"
    other = open_project(colleague)
    build_sample(other)
    other.close()
    project = open_project(tmp_path / "mine.db")
    win = MainWindow(project, "zoe", QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    win.show_report_dialogs = False
    qtbot.addWidget(win)
    assert len(win.list_model.ids) == 0
    monkeypatch.setattr(merge_action.QFileDialog, "getOpenFileNames",
                        staticmethod(lambda *a, **k: ([str(colleague)], "")))
    win.merge_action.trigger()
    qtbot.waitUntil(lambda: getattr(win, "last_merge_reports", None) is not None, timeout=20000)
    report = win.last_merge_reports[0]
    assert report.refused is None and report.articles_added == 4
    assert len(win.list_model.ids) == 4  # the list shows the articles that came with the labels
    assert "4 articles" in win.list_count.text()
    who = {r[0] for r in project.conn.execute("SELECT DISTINCT annotator FROM labels")}
    assert who == {"ann", "ben"}
    project.close()


def test_review_action_lists_the_disagreements(qtbot, sample_window):
    sample_window.review_action.trigger()
    review = sample_window.review_window
    qtbot.addWidget(review)
    assert review.isVisible()
    qtbot.waitUntil(lambda: review.job is None, timeout=10_000)  # found in a worker thread
    items = [review.model.item(r) for r in range(review.model.rowCount())]
    assert any(d.task == "stance" and d.level == "article" and d.article_id == 2 for d in items)
    assert all(len(set(d.values.values())) > 1 for d in items)
    review.close()


def test_agreement_action_shows_the_task_table(qtbot, sample_window):
    sample_window.agreement_action.trigger()
    panel = sample_window.agreement_panel
    assert panel.isVisible()
    qtbot.waitUntil(lambda: panel.job is None, timeout=10_000)  # computed in a worker thread
    tabs = [panel.tabs.tabText(i) for i in range(panel.tabs.count())]
    assert "stance (article)" in tabs and "quotes and speakers" in tabs
    table = panel.tabs.widget(tabs.index("stance (article)"))
    model = table.model()
    cells = [model.text(r, 0) for r in range(model.rowCount())]
    assert "ann / ben" in cells
    assert model.text(0, 1) == "2"  # two articles labelled by both
    with qtbot.waitSignal(panel.finished, timeout=10_000):
        sample_window.agreement_action.trigger()  # again: the same panel, recomputed
    assert sample_window.agreement_panel is panel


def test_agreement_is_computed_off_the_gui_thread_and_can_be_cancelled(qtbot, sample_window, monkeypatch, tmp_path):
    """While the figures are computed the window stays live (a busy bar and Cancel show); Cancel keeps
    the figures already shown."""
    import threading

    from annotator.gui import agreement_panel

    gate, threads = threading.Event(), []
    real = agreement_panel.project_agreement

    def slow(project):
        threads.append(threading.current_thread())
        gate.wait(10)
        return real(project)

    sample_window.agreement_action.trigger()
    panel = sample_window.agreement_panel
    qtbot.waitUntil(lambda: panel.job is None, timeout=10_000)
    shown = [panel.tabs.tabText(i) for i in range(panel.tabs.count())]
    monkeypatch.setattr(agreement_panel, "project_agreement", slow)
    panel.refresh()
    assert panel.busy.isVisible() and panel.cancel_button.isVisible() and not panel.refresh_button.isEnabled()
    qtbot.waitUntil(lambda: bool(threads), timeout=10_000)
    assert threads[0] is not threading.main_thread()
    panel.grab().save(str(tmp_path / "computing.png"))
    sample_window.go_to(2)  # the window answers meanwhile
    panel.cancel_button.click()
    assert not panel.busy.isVisible() and "cancelled" in panel.status.text()
    gate.set()
    with qtbot.waitSignal(panel.finished, timeout=10_000):
        pass
    assert [panel.tabs.tabText(i) for i in range(panel.tabs.count())] == shown
    assert panel.refresh_button.isEnabled()
