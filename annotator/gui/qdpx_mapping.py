"""Before a REFI-QDA import from another tool: what each of its codes becomes (a label option, quotes
of a form, speaker mentions, or nothing), chosen per code in a table; gives the mapping that
`annotator.core.exchange.qdpx_import.import_qdpx` takes (the command line's `--map`)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
)

COL_CODE, COL_USED, COL_TARGET = range(3)
TARGETS = [("label", "a label (option of the file's task)"), ("quote", "quotes (direct)"),
           ("quote:mixed", "quotes (mixed)"), ("quote:indirect", "quotes (indirect)"),
           ("speaker", "speaker mentions"), ("skip", "nothing (skip)")]
TARGET_TEXT = dict(TARGETS)
_ROOT = QModelIndex()


class CodeMappingModel(QAbstractTableModel):
    """One row per code of the file: its path, how often it is used, what it becomes (editable)."""

    HEADERS = ("Code", "Codings", "Becomes")

    def __init__(self, codes: list[tuple[str, int]], parent=None):
        super().__init__(parent)
        self.codes = list(codes)
        self.targets = ["label"] * len(self.codes)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self.codes)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def flags(self, index):
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == COL_TARGET else base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        path, used = self.codes[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (path, f"{used:,}", TARGET_TEXT[self.targets[index.row()]])[index.column()]
        if role == Qt.ItemDataRole.EditRole and index.column() == COL_TARGET:
            return self.targets[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == COL_USED:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or index.column() != COL_TARGET or value not in TARGET_TEXT:
            return False
        self.targets[index.row()] = value
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        return True

    def mapping(self) -> dict[str, str]:
        """{code path: target} for the codes that are not left as labels."""
        return {path: target for (path, _), target in zip(self.codes, self.targets, strict=True) if target != "label"}


class TargetDelegate(QStyledItemDelegate):
    """A combo box of the targets for the Becomes column."""

    def createEditor(self, parent, option, index):  # noqa: N802 (Qt API)
        combo = QComboBox(parent)
        for value, text in TARGETS:
            combo.addItem(text, value)
        return combo

    def setEditorData(self, editor, index):  # noqa: N802
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor, model, index):  # noqa: N802
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class QdpxMappingDialog(QDialog):
    """Choose what another tool's codes become; `mapping()` after it is accepted."""

    def __init__(self, file_name: str, codes: list[tuple[str, int]], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Import a REFI-QDA project")
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        intro = QLabel(f"{file_name} comes from another tool. Each of its codes becomes an option of one label "
                       "task named after its project, unless you choose otherwise (double-click Becomes).")
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(intro)
        self.model = CodeMappingModel(codes, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setItemDelegateForColumn(COL_TARGET, TargetDelegate(self.view))
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.SelectedClicked)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(COL_CODE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_USED, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_TARGET, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def mapping(self) -> dict[str, str]:
        return self.model.mapping()
