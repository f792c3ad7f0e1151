"""The label scheme dialog writes each change to the project; renaming keeps labels; keys update."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.core import labels
from annotator.core.scheme import load_scheme
from annotator.gui.scheme_dialog import COL_KEY, COL_NAME, COL_TARGET, SchemeDialog


def option_item(dialog, task_row, option_row):
    return dialog.tree.topLevelItem(task_row).child(option_row)


def test_rename_option_in_dialog_keeps_labels_and_window_follows(window, qtbot):
    qtbot.keyClick(window.reader.text, Qt.Key.Key_1)
    window.edit_scheme()
    dialog = window.scheme_dialog
    option_item(dialog, 0, 0).setText(COL_NAME, "critical")
    dialog.accept()
    stance = window.scheme.stance_task()
    assert stance.options[0].name == "critical"
    assert [b.text() for b in window.panel.article_groups[0].buttons.values()][0] == "1  critical"
    assert labels.chosen_options(window.project, 1, "ana", stance.id) == [stance.options[0].id]


def test_new_key_works_in_the_window_and_a_taken_key_is_explained(window, qtbot):
    window.edit_scheme()
    dialog = window.scheme_dialog
    option_item(dialog, 0, 0).setText(COL_KEY, "E")  # topic economy has E
    assert "already the key" in dialog.problem.text()
    option_item(dialog, 0, 0).setText(COL_KEY, "7")
    assert dialog.problem.text() == ""
    dialog.accept()
    qtbot.keyClick(window.reader.text, Qt.Key.Key_7)
    stance = window.scheme.stance_task()
    assert labels.chosen_options(window.project, 1, "ana", stance.id) == [stance.options[0].id]


def test_target_edit(qtbot, small_project):
    dialog = SchemeDialog(small_project)
    qtbot.addWidget(dialog)
    dialog.tree.topLevelItem(0).setText(COL_TARGET, "the EU")
    assert load_scheme(small_project).stance_task().title == "stance towards the EU"


def test_removing_an_unused_option(qtbot, small_project):
    dialog = SchemeDialog(small_project)
    qtbot.addWidget(dialog)
    before = len(load_scheme(small_project).stance_task().options)
    dialog.tree.setCurrentItem(option_item(dialog, 0, 3))
    dialog.remove()
    assert len(load_scheme(small_project).stance_task().options) == before - 1
