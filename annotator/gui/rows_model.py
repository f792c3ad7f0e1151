"""A read-only table of text rows for reports (import results, agreement figures), as a Qt model."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from annotator.gui.plain import plain_tip

_ROOT = QModelIndex()


class RowsModel(QAbstractTableModel):
    """Rows of strings under a header; `right` columns are right-aligned (figures); each cell's
    full text is also its tooltip, so a cut-off message can still be read."""

    def __init__(self, headers: list[str], rows: list[list[str]], right: set[int] | frozenset = frozenset(),
                 parent=None):
        super().__init__(parent)
        self.headers, self.rows, self.right = headers, rows, set(right)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section] if 0 <= section < len(self.headers) else None
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        text = self.rows[index.row()][index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return plain_tip(text) if role == Qt.ItemDataRole.ToolTipRole else text
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def text(self, row: int, column: int) -> str:
        return self.rows[row][column]


def rows_view(model: RowsModel, stretch: tuple[int, ...] = ()) -> QTableView:
    """A read-only view of a RowsModel: rows selectable, no row numbers; `stretch` columns take
    the spare width, the others fit their contents (so figures stay next to their labels)."""
    view = QTableView()
    view.setModel(model)
    model.setParent(view)
    view.verticalHeader().hide()
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(False)
    for column in stretch:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    return view
