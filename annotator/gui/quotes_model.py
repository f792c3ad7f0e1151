"""The quotes of the article on screen, as a table: snippet, speaker, quote stance, status."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor

from annotator.gui import palette
from annotator.gui.plain import plain_tip

COL_SNIPPET, COL_SPEAKER, COL_STANCE, COL_STATUS = range(4)
HEADERS = {COL_SNIPPET: "Quote", COL_SPEAKER: "Speaker", COL_STANCE: "Stance", COL_STATUS: "Status"}
SortRole = Qt.ItemDataRole.UserRole + 1
QuoteIdRole = Qt.ItemDataRole.UserRole + 2
SNIPPET_CHARS = 70


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class QuoteTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.quotes: list[dict] = []
        self.stances: dict[int, str] = {}

    def set_quotes(self, quotes: list[dict], stances: dict[int, str]) -> None:
        """Show these quotes (dicts from get_article) with their stance names by quote id."""
        self.beginResetModel()
        self.quotes = list(quotes)
        self.stances = dict(stances)
        self.endResetModel()

    def row_of(self, quote_id: int) -> int | None:
        return next((i for i, q in enumerate(self.quotes) if q["id"] == quote_id), None)

    def quote(self, row: int) -> dict | None:
        return self.quotes[row] if 0 <= row < len(self.quotes) else None

    def rowCount(self, parent=QModelIndex()):  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.quotes)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802, B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS.get(section)
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self.quotes)):
            return None
        quote = self.quotes[index.row()]
        column = index.column()
        if role == QuoteIdRole:
            return quote["id"]
        if role == SortRole:
            return {COL_SNIPPET: quote["start"], COL_SPEAKER: quote["shown_speaker"],
                    COL_STANCE: self.stances.get(quote["id"], ""), COL_STATUS: quote["status"]}.get(column)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_SNIPPET:
                return snippet(quote["text"])
            if column == COL_SPEAKER:
                return quote["shown_speaker"] or "?"
            if column == COL_STANCE:
                return self.stances.get(quote["id"], "")
            if column == COL_STATUS:
                return quote["status"]
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_SNIPPET:
            return plain_tip(" ".join((quote["text"] or "").split()))
        if role == Qt.ItemDataRole.ForegroundRole and quote["status"] == "rejected":
            return QColor(palette.REJECTED_HUE)
        return None
