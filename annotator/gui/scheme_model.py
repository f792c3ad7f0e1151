"""The label scheme as a two-level Qt model: tasks, each with its options, in four columns (name,
key, kind and level, target). Editing a cell changes nothing by itself: the model says what was
typed (`edited`) and the dialog turns that into an undoable command, after which it hands the
model the scheme as the project now has it (`set_scheme`)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QFont

from annotator.core.scheme import Option, Scheme, Task
from annotator.gui.scheme_commands import OPTION, TASK

COL_NAME, COL_KEY, COL_KIND, COL_TARGET = range(4)
HEADERS = ("Task / option", "Key", "Kind, level", "Target")
KIND_WORDS = {"single": "single choice", "multi": "multiple choice"}
ItemRole = Qt.ItemDataRole.UserRole  # (TASK or OPTION, its id)
_ROOT = QModelIndex()
_EDITABLE = {TASK: {COL_NAME, COL_TARGET}, OPTION: {COL_NAME, COL_KEY}}


class SchemeModel(QAbstractItemModel):
    """Top-level rows are tasks (internal id 0); an option row's internal id is its task's row + 1."""

    edited = Signal(str, int, int, str)  # what (task / option), its id, column, the text typed

    def __init__(self, parent=None):
        super().__init__(parent)
        self.scheme = Scheme([])

    def set_scheme(self, scheme: Scheme) -> None:
        self.beginResetModel()
        self.scheme = scheme
        self.endResetModel()

    # --- where things are -------------------------------------------------------------------------

    def item(self, index: QModelIndex) -> Task | Option | None:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self.scheme.tasks[index.row()]
        return self.scheme.tasks[index.internalId() - 1].options[index.row()]

    def index_of(self, what: str, item_id: int, column: int = COL_NAME) -> QModelIndex:
        for t, task in enumerate(self.scheme.tasks):
            if what == TASK and task.id == item_id:
                return self.index(t, column)
            for o, option in enumerate(task.options):
                if what == OPTION and option.id == item_id:
                    return self.index(o, column, self.index(t, 0))
        return QModelIndex()

    # --- the Qt model ------------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index=_ROOT):  # noqa: D102 (Qt API; also QObject.parent() with no index)
        if not isinstance(index, (QModelIndex, QPersistentModelIndex)):
            return super().parent()
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:  # noqa: N802 (Qt API)
        if not parent.isValid():
            return len(self.scheme.tasks)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self.scheme.tasks[parent.row()].options)
        return 0

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:  # noqa: N802
        return len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        item = self.item(index)
        if item is None:
            return None
        is_task = isinstance(item, Task)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            column = index.column()
            if column == COL_NAME:
                return item.name
            if is_task:
                return {COL_KEY: "", COL_KIND: f"{KIND_WORDS[item.kind]}, per {item.level}",
                        COL_TARGET: item.target or ""}[column]
            return item.shortcut or "" if column == COL_KEY else ""
        if role == Qt.ItemDataRole.FontRole and is_task and index.column() == COL_NAME:
            font = QFont()
            font.setBold(True)
            return font
        if role == ItemRole:
            return (TASK if is_task else OPTION, item.id)
        return None

    def flags(self, index):
        flags = super().flags(index)
        item = self.item(index)
        if item is not None and index.column() in _EDITABLE[TASK if isinstance(item, Task) else OPTION]:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):  # noqa: N802
        """Say what was typed; the dialog decides. Said on the next turn of the event loop, so the
        model is not reset under the editor that is still handing the text over."""
        item = self.item(index)
        if item is None or role != Qt.ItemDataRole.EditRole or not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        what = TASK if isinstance(item, Task) else OPTION
        column, text = index.column(), str(value).strip()
        QTimer.singleShot(0, self, lambda: self.edited.emit(what, item.id, column, text))
        return True
