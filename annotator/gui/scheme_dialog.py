"""The label scheme dialog: tasks and their options, shortcut keys and the stance target.

Each change is an undoable command (annotator.gui.scheme_commands) written to the project at once; on
the main window it goes on the window's undo stack, so Ctrl+Z undoes it like a label. A refused change
(a key already taken, an option that has labels) is shown as a sentence and nothing is lost.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeView,
    QVBoxLayout,
)

from annotator.core import scheme as core_scheme
from annotator.core.store import Project
from annotator.gui import scheme_commands as commands
from annotator.gui.scheme_commands import OPTION, TASK
from annotator.gui.scheme_model import COL_KEY, COL_KIND, COL_NAME, COL_TARGET, ItemRole, SchemeModel

__all__ = ["COL_KEY", "COL_KIND", "COL_NAME", "COL_TARGET", "SchemeDialog"]


class SchemeDialog(QDialog):
    def __init__(self, project: Project, parent=None, undo_stack: QUndoStack | None = None,
                 changed: commands.Changed | None = None):
        """`undo_stack` and `changed(problem, select)` are the main window's; alone, the dialog keeps its
        own stack and only redraws itself."""
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        self.changed = changed or self.show_edit
        self.setWindowTitle("Label scheme")
        self.resize(720, 560)
        layout = QVBoxLayout(self)
        intro = QLabel("Double-click a name, key or target to change it. Renaming an option keeps the labels "
                       "already given. Keys: 1-9 or a letter, unique per level (article / quote); "
                       "N, P, Q and S belong to the window.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.model = SchemeModel(self)
        self.model.edited.connect(self._edited)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        for column, width in ((COL_KEY, 50), (COL_KIND, 190), (COL_TARGET, 120)):
            self.tree.header().setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.tree.header().resizeSection(column, width)
        layout.addWidget(self.tree, 1)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #D55E00;")
        layout.addWidget(self.problem)
        row = QHBoxLayout()
        for text, slot in (("Add task…", self.add_task), ("Add option…", self.add_option), ("Remove", self.remove)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        undo = self.undo_stack.createUndoAction(self, "Undo")
        undo.setShortcut(QKeySequence("Ctrl+Z"))
        redo = self.undo_stack.createRedoAction(self, "Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.addActions([undo, redo])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        layout.addWidget(buttons)
        self.reload()

    def reload(self, select: tuple[str, int] | None = None) -> None:
        """Show the scheme as the project has it; `select`: the task or option to make current."""
        self.scheme = core_scheme.load_scheme(self.project)
        self.model.set_scheme(self.scheme)
        self.tree.expandAll()
        if select is not None:
            self.select(*select)

    def select(self, what: str, item_id: int) -> None:
        index = self.model.index_of(what, item_id)
        if index.isValid():
            self.tree.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)

    def _say(self, problem: str | None) -> None:
        self.problem.setText(problem or "")

    def show_edit(self, problem: str | None, select: tuple[str, int] | None) -> None:
        """After a command's redo or undo: redraw, keep its task or option selected, say any refusal."""
        self._say(problem)
        self.reload(select)

    def _push(self, command) -> None:
        self.undo_stack.push(command)

    def _edited(self, what: str, item_id: int, column: int, value: str) -> None:
        """A cell was edited: the matching command, if the text changes anything."""
        task = self.scheme.task(item_id) if what == TASK else None
        option = next((o for t in self.scheme.tasks for o in t.options if o.id == item_id), None) \
            if what == OPTION else None
        command = None
        if task and column == COL_NAME and value != task.name:
            command = commands.UpdateTask(self.project, item_id, {"name": value}, {"name": task.name},
                                          self.changed)
        elif task and column == COL_TARGET and value != (task.target or ""):
            command = commands.UpdateTask(self.project, item_id, {"target": value}, {"target": task.target or ""},
                                          self.changed)
        elif option and column == COL_NAME and value != option.name:
            command = commands.RenameOption(self.project, item_id, value, self.changed)
        elif option and column == COL_KEY and value.upper() != (option.shortcut or "").upper():
            command = commands.SetShortcut(self.project, item_id, value or None, self.changed)
        if command is None:
            self.reload((what, item_id))
        else:
            self._push(command)

    def _current(self) -> tuple[str, int] | None:
        index = self.tree.currentIndex()
        return self.model.data(index.siblingAtColumn(COL_NAME), ItemRole) if index.isValid() else None

    def add_task(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle("Add task")
        form = QFormLayout(dialog)
        name = QLineEdit()
        kind = QComboBox()
        kind.addItem("single choice (like stance)", "single")
        kind.addItem("multiple choice (like topics)", "multi")
        level = QComboBox()
        level.addItem("per article", "article")
        level.addItem("per quote", "quote")
        target = QLineEdit()
        target.setPlaceholderText("optional, e.g. China")
        form.addRow("Name", name)
        form.addRow("Kind", kind)
        form.addRow("Level", level)
        form.addRow("Target", target)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form.addRow(buttons)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self._push(commands.AddTask(self.project, name.text(), kind.currentData(), level.currentData(),
                                    target.text(), self.changed))

    def add_option(self) -> None:
        current = self._current()
        if current is None:
            self._say("Select the task the option belongs to.")
            return
        task_id = current[1] if current[0] == TASK else next(
            t.id for t in self.scheme.tasks if any(o.id == current[1] for o in t.options))
        name, ok = QInputDialog.getText(self, "Add option", "Option name (then double-click its key to set one):")
        if not ok:
            return
        self._push(commands.AddOption(self.project, task_id, name, self.changed))

    def remove(self) -> None:
        current = self._current()
        if current is None:
            return
        what, item_id = current
        used = core_scheme.label_count(self.project, **{f"{what}_id": item_id})
        if used:
            answer = QMessageBox.question(self, f"Remove {what}",
                                          f"{used} labels use this {what}. Delete them with it? (Ctrl+Z brings "
                                          "both back)",
                                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                          QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._push(commands.RemoveItem(self.project, what, item_id, self.changed, drop_labels=bool(used)))
