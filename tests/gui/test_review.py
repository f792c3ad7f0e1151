"""Review mode: the disagreement list, adjudicating from it (with undo), and the agreement panel."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from annotator.core.adjudicate import get_adjudication  # noqa: E402
from annotator.gui.agreement_panel import AgreementPanel  # noqa: E402
from annotator.gui.review import ReviewWindow, open_review_window  # noqa: E402
from tests.fixtures.review.sample import build_sample  # noqa: E402
from tests.paths import REPO  # noqa: E402

SHOTS = REPO / "docs" / "screenshots"


def _select(window, task, level):
    for row in range(window.proxy.rowCount()):
        item = window.model.item(window.proxy.mapToSource(window.proxy.index(row, 0)).row())
        if item.task == task and item.level == level:
            window.table.selectRow(row)
            return item
    raise AssertionError(f"no {task} row")


def test_disagreement_list_shows_items_and_sorts_by_task(qtbot, qtmodeltester, tmp_project):
    build_sample(tmp_project)
    window = ReviewWindow(tmp_project, "zoe")
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.job is None, timeout=10_000)  # found in a worker thread
    qtmodeltester.check(window.model)
    qtmodeltester.check(window.proxy)
    assert window.model.rowCount() == 5
    tasks = [window.proxy.index(r, 0).data() for r in range(window.proxy.rowCount())]
    assert tasks == sorted(tasks)
    window.table.sortByColumn(0, window.table.horizontalHeader().sortIndicatorOrder().__class__.DescendingOrder)
    assert window.proxy.index(0, 0).data() == "topic"
    assert "5 items where annotators differ; 5 not adjudicated" == window.count_label.text()


def test_choosing_a_value_stores_the_adjudication_and_undo_removes_it(qtbot, tmp_project):
    ids = build_sample(tmp_project)
    window = ReviewWindow(tmp_project, "zoe")
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.job is None, timeout=10_000)  # found in a worker thread
    item = _select(window, "stance", "article")
    assert "in favour" in window.detail.toPlainText() and "neutral" in window.detail.toPlainText()
    window.value_box.setCurrentText("neutral")
    qtbot.mouseClick(window.apply_button, __import__("PySide6.QtCore", fromlist=["Qt"]).Qt.MouseButton.LeftButton)
    rows = get_adjudication(tmp_project, item.article_id, ids["stance"])
    assert [(r["value"], r["adjudicator"]) for r in rows] == [("neutral", "zoe")]
    assert "4 not adjudicated" in window.count_label.text()
    shown = [window.proxy.index(r, 5).data() for r in range(window.proxy.rowCount())]
    assert "neutral" in shown
    window.undo_stack.undo()
    assert get_adjudication(tmp_project, item.article_id, ids["stance"]) == []
    assert "5 not adjudicated" in window.count_label.text()
    window.undo_stack.redo()
    assert len(get_adjudication(tmp_project, item.article_id, ids["stance"])) == 1


def test_typing_a_new_speaker(qtbot, tmp_project):
    build_sample(tmp_project)
    window = ReviewWindow(tmp_project, "zoe")
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.job is None, timeout=10_000)  # found in a worker thread
    item = _select(window, "speaker", "quote")
    assert "Zhang Min" in window.detail.toPlainText()
    window.value_box.setEditText("Li Wei (minister)")
    window.adjudicate_current()
    assert get_adjudication(tmp_project, item.article_id, None, item.quote_id)[0]["value"] == "Li Wei (minister)"


def test_screenshots(qtbot, tmp_project):
    build_sample(tmp_project)
    SHOTS.mkdir(parents=True, exist_ok=True)
    window = ReviewWindow(tmp_project, "zoe")
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.job is None, timeout=10_000)  # found in a worker thread
    window.show()
    _select(window, "stance", "article")
    qtbot.waitExposed(window)
    window.grab().save(str(SHOTS / "review.png"))
    panel = AgreementPanel(tmp_project)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.waitUntil(lambda: panel.job is None, timeout=10_000)  # computed in a worker thread
    qtbot.wait(50)  # the new rows laid out
    assert panel.tabs.count() == 4  # three tasks and quotes
    assert panel.progress_layout.count() == 4  # a name and a bar for ann and ben (cleo, registered, did no work)
    assert panel.chart.rows
    panel.grab().save(str(SHOTS / "agreement.png"))
    assert (SHOTS / "review.png").stat().st_size > 1000


def test_open_review_window_on_a_path(qtbot, tmp_path):
    from annotator.core.store import open_project

    path = tmp_path / "p.db"
    project = open_project(path)
    build_sample(project)
    project.close()
    window = open_review_window(path, "zoe")
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        pass  # the list is found in a worker thread; the window shows at once
    assert window.model.rowCount() == 5
    window.close()


def test_export_dialog_writes_the_file_in_a_worker(qtbot, tmp_path):
    from annotator.core.store import open_project
    from annotator.gui.export_dialog import ADJUDICATED, ExportDialog

    path = tmp_path / "p.db"
    project = open_project(path)
    build_sample(project)
    project.close()
    dialog = ExportDialog(path)
    qtbot.addWidget(dialog)
    assert [dialog.who.itemText(i) for i in range(dialog.who.count())] == [
        "All annotators", "ann", "ben", "cleo", ADJUDICATED]
    dialog.who.setCurrentText("ben")
    dialog.path.setText(str(tmp_path / "ben.csv"))
    assert dialog.options()["annotator"] == "ben"
    dialog.start()
    qtbot.waitUntil(lambda: dialog.result_ok is not None, timeout=10000)
    assert dialog.result_ok, dialog.status.text()
    assert "2 rows" in dialog.status.text()
    import pandas as pd

    frame = pd.read_csv(tmp_path / "ben.csv")
    assert list(frame.annotator) == ["ben", "ben"]
    assert list(frame.topics) == ["economy", "diplomacy; health"]


def test_export_dialog_exports_in_parts_from_its_worker_thread(qtbot, tmp_path, monkeypatch):
    """The window's export runs in a QThread; its part processes start from there like from the CLI."""
    from annotator.core import export_part
    from annotator.core.export import write_export
    from annotator.core.store import open_project
    from annotator.gui.export_dialog import ExportDialog

    path = tmp_path / "p.db"
    project = open_project(path)
    build_sample(project)
    write_export(project, tmp_path / "one.csv", level="quote")
    project.close()
    started = []
    real = export_part.Part.__init__
    monkeypatch.setattr(export_part.Part, "__init__", lambda self, *a: started.append(1) or real(self, *a))
    monkeypatch.setenv("ANNOTATOR_EXPORT_PROCESSES", "2")
    dialog = ExportDialog(path)
    qtbot.addWidget(dialog)
    dialog.level.setCurrentIndex(dialog.level.findData("quote"))
    dialog.path.setText(str(tmp_path / "two.csv"))
    dialog.start()
    qtbot.waitUntil(lambda: dialog.result_ok is not None, timeout=20000)
    assert dialog.result_ok, dialog.status.text()
    assert started == [1]
    assert (tmp_path / "two.csv").read_bytes() == (tmp_path / "one.csv").read_bytes()


def test_merge_action_runs_in_a_worker(qtbot, tmp_path):
    from annotator.core.store import open_project
    from annotator.gui.merge_action import merge_files

    other = tmp_path / "other.db"
    project = open_project(other)
    build_sample(project)
    project.close()
    target = tmp_path / "t.db"
    open_project(target).close()
    got = []
    merge_files(None, target, [str(other), str(tmp_path / "missing.db")], on_done=got.extend)
    qtbot.waitUntil(lambda: len(got) == 2, timeout=20000)
    assert got[0].articles_added == 4 and got[1].refused == "no such file"


def test_adjudicating_refreshes_its_row_without_searching_again(qtbot, tmp_project, monkeypatch):
    """After the list is in, an adjudication (and its undo) updates its own row by one lookup."""
    from annotator.gui import review

    build_sample(tmp_project)
    window = ReviewWindow(tmp_project, "zoe")
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.job is None, timeout=10_000)
    monkeypatch.setattr(review, "disagreements", lambda *a, **k: pytest.fail("searched every disagreement again"))
    item = _select(window, "topic", "article")
    window.value_box.setEditText("health")
    window.adjudicate_current()
    row = next(r for r in range(window.model.rowCount()) if window.model.item(r).task == "topic")
    assert (window.model.item(row).adjudicated, window.model.item(row).adjudicator) == ("health", "zoe")
    assert window.model.item(row).values == item.values  # the annotators' values stay
    window.undo_stack.undo()
    assert window.model.item(row).adjudicator is None


def test_a_value_that_is_no_option_is_refused_and_the_next_item_is_selected_after_a_decision(qtbot, tmp_project):
    ids = build_sample(tmp_project)
    window = ReviewWindow(tmp_project, "zoe")
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.job is None, timeout=10_000)
    item = _select(window, "topic", "article")
    window.value_box.setCurrentText("healthx")
    assert window.adjudicate_current() is False
    assert "no option 'healthx'" in window.problem.text() and "economy" in window.problem.text()
    assert get_adjudication(tmp_project, item.article_id, ids["topic"]) == []
    row = window.table.currentIndex().row()
    window.value_box.setCurrentText("Economy")  # any case: the option's name is stored
    assert window.adjudicate_current() is True
    assert [r["value"] for r in get_adjudication(tmp_project, item.article_id, ids["topic"])] == ["economy"]
    after = window.current_item()
    assert window.table.currentIndex().row() != row and after.adjudicator is None


def test_the_adjudicator_is_named_and_warned_when_one_of_the_coders(qtbot, tmp_project):
    build_sample(tmp_project)
    window = ReviewWindow(tmp_project, "ann")
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.job is None, timeout=10_000)
    item = _select(window, "stance", "article")
    assert "ann" in item.values
    assert window.adjudicator_label.text().startswith("Adjudicating as ann.")
    assert "one of the coders" in window.adjudicator_label.text()
    outsider = ReviewWindow(tmp_project, "zoe")
    qtbot.addWidget(outsider)
    qtbot.waitUntil(lambda: outsider.job is None, timeout=10_000)
    _select(outsider, "stance", "article")
    assert outsider.adjudicator_label.text() == "Adjudicating as zoe."


def test_the_adjudicator_is_asked_once_with_the_annotator_offered(qtbot, settings):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from annotator.gui.projects import adjudicator_for

    seen = []

    def answer():
        dialog = QApplication.activeModalWidget()
        seen.append((dialog.windowTitle(), dialog.name.text()))
        dialog.name.setText("Pat (adjudicator)")
        dialog.accept()

    QTimer.singleShot(50, answer)
    assert adjudicator_for(settings, ["ann", "ben"], "ann") == "Pat (adjudicator)"
    assert seen == [("Who adjudicates?", "ann")]
    assert adjudicator_for(settings, ["ann"], "ben") == "Pat (adjudicator)" and len(seen) == 1


def test_cancelling_a_merge_from_the_window_merges_nothing(qtbot, tmp_path, monkeypatch):
    """Cancel pressed while merging: the project is as it was, and the report says so."""
    import threading

    from annotator.core import merge
    from annotator.core.store import open_project
    from annotator.gui.merge_action import merge_files

    other = tmp_path / "other.db"
    with open_project(other) as project:
        build_sample(project)
    target = tmp_path / "t.db"
    with open_project(target) as project:
        project.db["articles"].insert({"uid": "ours", "title": "Ours", "text": "Our own article."})
    gate = threading.Event()
    real = merge._merge_quotes

    def slow_quotes(*args):  # the merge waits half-way until Cancel has been pressed
        gate.wait(10)
        return real(*args)

    monkeypatch.setattr(merge, "_merge_quotes", slow_quotes)
    got = []
    job = merge_files(None, target, [str(other)], on_done=got.extend)
    qtbot.waitUntil(lambda: "quotes" in job.dialog.labelText(), timeout=10_000)  # half-way
    from PySide6.QtWidgets import QPushButton

    next(b for b in job.dialog.findChildren(QPushButton) if b.text() == "Cancel").click()
    gate.set()
    qtbot.waitUntil(lambda: len(got) == 1, timeout=20_000)
    assert "cancelled" in got[0].refused
    with open_project(target) as project:
        assert [r[0] for r in project.conn.execute("SELECT uid FROM articles")] == ["ours"]
        assert project.db["labels"].count == 0


def test_export_dialog_proposes_a_file_name_per_level_and_labels(qtbot, tmp_project):
    from annotator.gui.export_dialog import ADJUDICATED, ExportDialog

    build_sample(tmp_project)
    dialog = ExportDialog(tmp_project.path, ["ann", "ben"])
    qtbot.addWidget(dialog)
    names = set()
    for level in ("article", "quote"):
        dialog.level.setCurrentIndex(dialog.level.findData(level))
        for who in ("All annotators", "ann", ADJUDICATED):
            dialog.who.setCurrentText(who)
            names.add(dialog.path.text())
    assert len(names) == 6 and all(n.endswith(".csv") for n in names)
    dialog.format.setCurrentIndex(dialog.format.findData("jsonl"))
    assert dialog.path.text().endswith("_quotes_adjudicated.jsonl")
    dialog.path.setText(str(tmp_project.path.with_name("mine.csv")))  # typed by the person: kept
    dialog.level.setCurrentIndex(dialog.level.findData("article"))
    assert dialog.path.text().endswith("mine.csv")
