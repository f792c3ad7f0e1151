"""The quotes of the article on screen, as a table: snippet, form, speaker, quote stance, status, the
detector's confidence. Two filters, both kept here: by form (all, only the direct quotes, or only
reported speech: mixed and indirect), and by confidence (detections nobody checked below a threshold,
the command line's by default, are hidden)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor

from annotator.core.detect.confidence import MIN_CONFIDENCE, shown_at
from annotator.gui import palette
from annotator.gui.plain import plain_tip

COL_SNIPPET, COL_FORM, COL_SPEAKER, COL_STANCE, COL_STATUS, COL_CONFIDENCE = range(6)
HEADERS = {COL_SNIPPET: "Quote", COL_FORM: "Form", COL_SPEAKER: "Speaker", COL_STANCE: "Stance", COL_STATUS: "Status",
           COL_CONFIDENCE: "Conf."}
# the form filter's choices: (key, words shown, forms shown)
FILTERS = (("all", "All quotes", ("direct", "mixed", "indirect")), ("direct", "Direct quotes", ("direct",)),
           ("reported", "Reported speech", ("mixed", "indirect")))
FORM_WORDS = {"direct": "direct", "mixed": "mixed", "indirect": "indirect"}
FORM_TIPS = {"direct": "all its words are in quotation marks", "mixed": "reported speech holding quoted words",
             "indirect": "reported speech, no quotation marks"}
SortRole = Qt.ItemDataRole.UserRole + 1
QuoteIdRole = Qt.ItemDataRole.UserRole + 2
SNIPPET_CHARS = 70


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _form(quote: dict) -> str:
    return quote.get("form") or "direct"


class QuoteTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.quotes: list[dict] = []   # the rows shown: the quotes both filters let through
        self.all_quotes: list[dict] = []
        self.stances: dict[int, str] = {}
        self.filter = "all"
        self.min_confidence = MIN_CONFIDENCE
        self.hidden_by_confidence = 0

    def set_quotes(self, quotes: list[dict], stances: dict[int, str]) -> None:
        """Show these quotes (dicts from get_article) with their stance names by quote id."""
        self.beginResetModel()
        self.all_quotes = list(quotes)
        self.stances = dict(stances)
        self._apply_filters()
        self.endResetModel()

    def set_stance_names(self, stances: dict[int, str]) -> None:
        """New stance names (a quote's stance was set or undone): only that column is redrawn."""
        self.stances = dict(stances)
        if self.quotes:
            self.dataChanged.emit(self.index(0, COL_STANCE), self.index(len(self.quotes) - 1, COL_STANCE))

    def set_filter(self, key: str) -> None:
        """Show all quotes, only direct ones or only reported speech (a key of FILTERS)."""
        if key not in {k for k, _, _ in FILTERS}:
            raise ValueError(f"unknown quote filter {key!r}")
        if key == self.filter:
            return
        self.beginResetModel()
        self.filter = key
        self._apply_filters()
        self.endResetModel()

    def set_min_confidence(self, threshold: float) -> None:
        """Hide the detections nobody checked that are less sure than `threshold` (0: show all)."""
        self.beginResetModel()
        self.min_confidence = threshold
        self._apply_filters()
        self.endResetModel()

    def _apply_filters(self) -> None:
        forms = next(f for k, _, f in FILTERS if k == self.filter)
        sure = [q for q in self.all_quotes
                if shown_at(q.get("confidence"), self.min_confidence, q["status"] != "auto")]
        self.hidden_by_confidence = len(self.all_quotes) - len(sure)
        self.quotes = [q for q in sure if _form(q) in forms]

    def hidden(self) -> int:
        """How many quotes of the article the form filter hides (of those sure enough to show)."""
        return len(self.all_quotes) - self.hidden_by_confidence - len(self.quotes)

    def hidden_count(self) -> int:
        """How many unchecked detections the confidence threshold hides."""
        return self.hidden_by_confidence

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
            return {COL_SNIPPET: quote["start"], COL_FORM: _form(quote), COL_SPEAKER: quote["shown_speaker"],
                    COL_STANCE: self.stances.get(quote["id"], ""), COL_STATUS: quote["status"],
                    COL_CONFIDENCE: quote.get("confidence") if quote.get("confidence") is not None else -1.0,
                    }.get(column)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_SNIPPET:
                return snippet(_shown_text(quote))
            if column == COL_FORM:
                return FORM_WORDS.get(_form(quote), quote.get("form"))
            if column == COL_SPEAKER:
                return quote["shown_speaker"] or "?"
            if column == COL_STANCE:
                return self.stances.get(quote["id"], "")
            if column == COL_STATUS:
                return quote["status"]
            if column == COL_CONFIDENCE:
                confidence = quote.get("confidence")
                return "" if confidence is None else f"{confidence:.2f}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_CONFIDENCE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_SNIPPET:
            return plain_tip(" ".join(_shown_text(quote).split()))
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_FORM:
            return FORM_TIPS.get(_form(quote))
        if role == Qt.ItemDataRole.ForegroundRole and quote["status"] == "rejected":
            return QColor(palette.REJECTED_HUE)
        return None


def _shown_text(quote: dict) -> str:
    """What the list shows of a quote: a direct one's quoted words, a reported one's whole content."""
    if _form(quote) != "direct":
        return quote.get("content") or quote["text"] or ""
    return quote["text"] or ""
