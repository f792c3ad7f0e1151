"""A stance key press and its undo each run at most five SQL statements (counted with SQLite's trace
callback): the edit returns a change record and the window redraws from it instead of reading the
article, its quotes, mentions and labels again (23 and 21 statements before).

SQLite also reports each trigger program a statement runs (the team-sync change log keeps one on
every table), under that statement's own text, right after it: those are counted apart."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.core import labels
from annotator.gui.quotes_model import COL_STANCE

BUDGET = 5


class Statements:
    def __init__(self, project):
        self.conn, self.reported = project.conn, []

    def __enter__(self):
        self.conn.set_trace_callback(self.reported.append)
        return self

    def __exit__(self, *exc):
        self.conn.set_trace_callback(None)

    @property
    def seen(self) -> list[str]:
        """The statements run, a trigger program's report (the same text again at once) not repeated."""
        return [sql for i, sql in enumerate(self.reported) if i == 0 or sql != self.reported[i - 1]]


def stance_of(window):
    task = window.scheme.stance_task()
    return [task.option(o).name for o in labels.chosen_options(window.project, window.article.id, "ana", task.id)]


def test_a_stance_key_and_its_undo_each_run_at_most_five_statements(window, qtbot):
    qtbot.keyClick(window.reader.text, Qt.Key.Key_1)  # a stance to change, so the old one is deleted
    window.list_view.viewport().repaint()  # the list's rows are read (and cached) before counting
    with Statements(window.project) as press:
        qtbot.keyClick(window.reader.text, Qt.Key.Key_2)
        window.list_view.viewport().repaint()
    assert stance_of(window) == ["neutral"]
    print(f"stance key: {len(press.seen)} statements ({len(press.reported)} with trigger programs): {press.seen}")
    assert 0 < len(press.seen) <= BUDGET, press.seen
    # what the person sees follows: the panel's button and the list's stance column
    group = window.panel.article_groups[0]
    assert [b.isChecked() for b in group.buttons.values()] == [False, True, False, False]
    assert window.list_model.data(window.list_model.index(0, 4)) == "neutral"

    with Statements(window.project) as undo:
        qtbot.keyClick(window.reader.text, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        window.list_view.viewport().repaint()
    print(f"undo: {len(undo.seen)} statements ({len(undo.reported)} with trigger programs)")
    assert stance_of(window) == ["against"]
    assert 0 < len(undo.seen) <= BUDGET, undo.seen
    assert [b.isChecked() for b in group.buttons.values()] == [True, False, False, False]
    assert window.list_model.data(window.list_model.index(0, 4)) == "against"


def test_a_topic_key_and_a_quote_stance_stay_within_the_budget(window, qtbot):
    with Statements(window.project) as topic:
        qtbot.keyClick(window.reader.text, Qt.Key.Key_E)
    assert 0 < len(topic.seen) <= BUDGET, topic.seen
    window.panel.select_quote(window.article.quotes[0]["id"])
    window.panel.quotes_view.setFocus()
    with Statements(window.project) as quote:
        qtbot.keyClick(window.panel.quotes_view, Qt.Key.Key_1)
    assert 0 < len(quote.seen) <= BUDGET, quote.seen
    assert window.panel.quotes_model.data(window.panel.quotes_model.index(0, COL_STANCE)) == "against"
