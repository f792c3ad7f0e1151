"""Scheme edits made in the dialog go on the window's undo stack: Ctrl+Z puts the scheme back, labels kept."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from annotator.core import labels
from annotator.gui.scheme_dialog import COL_KEY, COL_NAME
from tests.gui.scheme_cells import cell, current_text, edit


def focus_window(window, qtbot):
    """The main window active again (as when a dialog closes), its text focused: its keys work."""
    if not window.isActiveWindow():
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
    window.reader.text.setFocus()


def undo(window, qtbot):
    focus_window(window, qtbot)
    qtbot.keyClick(window.reader.text, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def redo(window, qtbot):
    focus_window(window, qtbot)
    qtbot.keyClick(window.reader.text, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)


def test_undo_a_rename_restores_the_name_and_labels_still_point_at_it(window, qtbot):
    qtbot.keyClick(window.reader.text, Qt.Key.Key_1)
    window.edit_scheme()
    edit(window.scheme_dialog, 0, 0, COL_NAME, "critical")
    assert window.scheme.stance_task().options[0].name == "critical"  # the window follows at once
    window.scheme_dialog.accept()
    undo(window, qtbot)
    stance = window.scheme.stance_task()
    assert stance.options[0].name == "against"
    assert [b.text() for b in window.panel.article_groups[0].buttons.values()][0] == "1  against"
    assert labels.chosen_options(window.project, 1, "ana", stance.id) == [stance.options[0].id]
    undo(window, qtbot)  # the label given before the rename is next in the history
    assert labels.chosen_options(window.project, 1, "ana", stance.id) == []
    redo(window, qtbot)
    redo(window, qtbot)
    assert window.scheme.stance_task().options[0].name == "critical"


def test_undo_an_added_option_removes_it_and_redo_brings_the_same_one_back(window, qtbot, monkeypatch):
    names = lambda: [o.name for o in window.scheme.stance_task().options]  # noqa: E731
    window.edit_scheme()
    dialog = window.scheme_dialog
    dialog.tree.setCurrentIndex(cell(dialog, 0))
    monkeypatch.setattr("annotator.gui.scheme_dialog.QInputDialog.getText", lambda *a, **k: ("sceptical", True))
    dialog.add_option()
    assert names()[-1] == "sceptical"
    added_id = window.scheme.stance_task().options[-1].id
    assert current_text(dialog, COL_NAME) == "sceptical"
    dialog.accept()
    undo(window, qtbot)
    assert "sceptical" not in names()
    redo(window, qtbot)
    assert window.scheme.stance_task().options[-1].id == added_id


def test_undo_a_key_change_gives_the_old_key_back(window, qtbot):
    window.edit_scheme()
    edit(window.scheme_dialog, 0, 0, COL_KEY, "7")
    window.scheme_dialog.accept()
    assert window.scheme.stance_task().options[0].shortcut == "7"
    undo(window, qtbot)
    stance = window.scheme.stance_task()
    assert stance.options[0].shortcut == "1"
    qtbot.keyClick(window.reader.text, Qt.Key.Key_1)
    assert labels.chosen_options(window.project, 1, "ana", stance.id) == [stance.options[0].id]


def test_undo_inside_the_dialog_redraws_it(window, qtbot):
    window.edit_scheme()
    dialog = window.scheme_dialog
    edit(dialog, 0, 1, COL_NAME, "balanced")
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.tree.setFocus()
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert dialog.model.data(cell(dialog, 0, 1)) == "neutral"
    assert window.scheme.stance_task().options[1].name == "neutral"


def test_removing_a_used_option_and_undo_brings_back_option_and_labels(window, qtbot, monkeypatch):
    qtbot.keyClick(window.reader.text, Qt.Key.Key_2)
    stance = window.scheme.stance_task()
    neutral = stance.options[1]
    window.edit_scheme()
    dialog = window.scheme_dialog
    dialog.tree.setCurrentIndex(cell(dialog, 0, 1))
    monkeypatch.setattr("annotator.gui.scheme_dialog.QMessageBox.question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog.remove()
    assert neutral.id not in [o.id for o in window.scheme.stance_task().options]
    assert labels.chosen_options(window.project, 1, "ana", stance.id) == []
    dialog.accept()
    undo(window, qtbot)
    assert [o.name for o in window.scheme.stance_task().options][1] == "neutral"
    assert labels.chosen_options(window.project, 1, "ana", stance.id) == [neutral.id]


def test_undo_refused_when_labels_came_since_is_said_and_nothing_lost(window, qtbot, monkeypatch):
    window.edit_scheme()
    dialog = window.scheme_dialog
    dialog.tree.setCurrentIndex(cell(dialog, 0))
    monkeypatch.setattr("annotator.gui.scheme_dialog.QInputDialog.getText", lambda *a, **k: ("sceptical", True))
    dialog.add_option()
    dialog.accept()
    stance = window.scheme.stance_task()
    added = stance.options[-1]
    labels.set_choice(window.project, 2, "bea", stance.id, added.id)  # a colleague, outside this history
    undo(window, qtbot)
    assert "labels use this option" in window.statusBar().currentMessage()
    assert window.scheme.stance_task().options[-1].name == "sceptical"
    assert labels.chosen_options(window.project, 2, "bea", stance.id) == [added.id]
    assert not window.undo_stack.canRedo()
