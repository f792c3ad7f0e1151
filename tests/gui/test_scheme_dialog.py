"""The label scheme dialog writes each change to the project; renaming keeps labels; keys update."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.core import labels
from annotator.core.scheme import load_scheme
from annotator.gui.scheme_dialog import COL_KEY, COL_NAME, COL_TARGET, SchemeDialog
from tests.gui.scheme_cells import cell, current_text, edit


def test_rename_option_in_dialog_keeps_labels_and_window_follows(window, qtbot):
    qtbot.keyClick(window.reader.text, Qt.Key.Key_1)
    window.edit_scheme()
    dialog = window.scheme_dialog
    edit(dialog, 0, 0, COL_NAME, "critical")
    dialog.accept()
    stance = window.scheme.stance_task()
    assert stance.options[0].name == "critical"
    assert [b.text() for b in window.panel.article_groups[0].buttons.values()][0] == "1  critical"
    assert labels.chosen_options(window.project, 1, "ana", stance.id) == [stance.options[0].id]


def test_new_key_works_in_the_window_and_a_taken_key_is_explained(window, qtbot):
    window.edit_scheme()
    dialog = window.scheme_dialog
    edit(dialog, 0, 0, COL_KEY, "E")  # topic economy has E
    assert "already the key" in dialog.problem.text()
    edit(dialog, 0, 0, COL_KEY, "7")
    assert dialog.problem.text() == ""
    dialog.accept()
    window.activateWindow()  # as the window manager does when the dialog closes
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.reader.text, Qt.Key.Key_7)
    stance = window.scheme.stance_task()
    assert labels.chosen_options(window.project, 1, "ana", stance.id) == [stance.options[0].id]


def test_target_edit(qtbot, small_project):
    dialog = SchemeDialog(small_project)
    qtbot.addWidget(dialog)
    edit(dialog, 0, None, COL_TARGET, "the EU")
    assert load_scheme(small_project).stance_task().title == "stance towards the EU"


def test_removing_an_unused_option(qtbot, small_project):
    dialog = SchemeDialog(small_project)
    qtbot.addWidget(dialog)
    before = len(load_scheme(small_project).stance_task().options)
    dialog.tree.setCurrentIndex(cell(dialog, 0, 3))
    dialog.remove()
    assert len(load_scheme(small_project).stance_task().options) == before - 1


def test_editing_a_cell_in_the_tree_with_the_keyboard(qtbot, small_project):
    """The real editor: F2 on an option's name, type, Enter; the model is redrawn after the editor is done."""
    dialog = SchemeDialog(small_project)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.tree.setFocus()
    dialog.tree.setCurrentIndex(cell(dialog, 0, 1))
    qtbot.keyClick(dialog.tree, Qt.Key.Key_F2)
    editor = dialog.tree.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, "so-so")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: load_scheme(small_project).stance_task().options[1].name == "so-so")
    assert current_text(dialog) == "so-so"  # the edited option is still the current one
    assert dialog.model.data(cell(dialog, 0, 1, COL_KEY)) == "2" and not cell(dialog, 0, None, COL_KEY).flags() & \
        Qt.ItemFlag.ItemIsEditable  # a task has no key; its kind is fixed


def test_scheme_model_passes_the_qt_model_tester(qtmodeltester, small_project):
    from annotator.gui.scheme_model import SchemeModel

    model = SchemeModel()
    model.set_scheme(load_scheme(small_project))
    qtmodeltester.check(model)
