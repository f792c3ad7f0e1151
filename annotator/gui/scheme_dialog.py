"""The label scheme dialog: tasks and their options, shortcut keys and the stance target.

Each change is written to the project at once through annotator.core.scheme; a refused change (a key
already taken, an option that has labels) is shown as a sentence and nothing is lost.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
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
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from annotator.core import scheme as core_scheme
from annotator.core.store import Project

COL_NAME, COL_KEY, COL_KIND, COL_TARGET = range(4)
KIND_WORDS = {"single": "single choice", "multi": "multiple choice"}
TASK, OPTION = "task", "option"


class SchemeDialog(QDialog):
    def __init__(self, project: Project, parent=None):
        super().__init__(parent)
        self.project = project
        self.setWindowTitle("Label scheme")
        self.resize(720, 560)
        layout = QVBoxLayout(self)
        intro = QLabel("Double-click a name, key or target to change it. Renaming an option keeps the labels "
                       "already given. Keys: 1-9 or a letter, unique per level (article / quote); "
                       "N, P, Q and S belong to the window.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(["Task / option", "Key", "Kind, level", "Target"])
        self.tree.header().setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        for column, width in ((COL_KEY, 50), (COL_KIND, 190), (COL_TARGET, 120)):
            self.tree.header().setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.tree.header().resizeSection(column, width)
        self.tree.itemChanged.connect(self._item_changed)
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
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        layout.addWidget(buttons)
        self.reload()

    def reload(self, select: tuple[str, int] | None = None) -> None:
        self.scheme = core_scheme.load_scheme(self.project)
        self.tree.blockSignals(True)
        self.tree.clear()
        for task in self.scheme.tasks:
            item = QTreeWidgetItem([task.name, "", f"{KIND_WORDS[task.kind]}, per {task.level}", task.target or ""])
            item.setData(0, Qt.ItemDataRole.UserRole, (TASK, task.id))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            font = item.font(0)
            font.setBold(True)
            item.setFont(0, font)
            self.tree.addTopLevelItem(item)
            for option in task.options:
                child = QTreeWidgetItem([option.name, option.shortcut or "", "", ""])
                child.setData(0, Qt.ItemDataRole.UserRole, (OPTION, option.id))
                child.setFlags(child.flags() | Qt.ItemFlag.ItemIsEditable)
                item.addChild(child)
                if select == (OPTION, option.id):
                    self.tree.setCurrentItem(child)
            if select == (TASK, task.id):
                self.tree.setCurrentItem(item)
        self.tree.expandAll()
        self.tree.blockSignals(False)

    def _say(self, problem: str | None) -> None:
        self.problem.setText(problem or "")

    def _item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        what, item_id = item.data(0, Qt.ItemDataRole.UserRole)
        value = item.text(column).strip()
        try:
            if what == TASK and column == COL_NAME:
                core_scheme.update_task(self.project, item_id, name=value)
            elif what == TASK and column == COL_TARGET:
                core_scheme.update_task(self.project, item_id, target=value)
            elif what == OPTION and column == COL_NAME:
                core_scheme.rename_option(self.project, item_id, value)
            elif what == OPTION and column == COL_KEY:
                core_scheme.set_option_shortcut(self.project, item_id, value or None)
            self._say(None)
        except ValueError as exc:
            self._say(str(exc))
        self.reload((what, item_id))

    def _current(self) -> tuple[str, int] | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

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
        try:
            task_id = core_scheme.add_task(self.project, name.text(), kind.currentData(), level.currentData(),
                                           target.text())
            self._say(None)
            self.reload((TASK, task_id))
        except ValueError as exc:
            self._say(str(exc))

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
        try:
            option_id = core_scheme.add_option(self.project, task_id, name)
            self._say(None)
            self.reload((OPTION, option_id))
        except ValueError as exc:
            self._say(str(exc))

    def remove(self) -> None:
        current = self._current()
        if current is None:
            return
        what, item_id = current
        remove = core_scheme.remove_task if what == TASK else core_scheme.remove_option
        refused = remove(self.project, item_id)
        if refused:
            answer = QMessageBox.question(self, f"Remove {what}", f"{refused}. Delete them?",
                                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                          QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
            remove(self.project, item_id, drop_labels=True)
        self._say(None)
        self.reload()
