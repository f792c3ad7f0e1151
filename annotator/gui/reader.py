"""The reader: an article's title, outlet and date above its text, shown as plain text with highlights.

Markup inside an article is never rendered (QPlainTextEdit); positions a person selects come back as
offsets into the stored text, whatever characters it holds.
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QTextCursor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QTextEdit,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from annotator.core.articles import ArticleView
from annotator.core.quote_forms import REPORTED as REPORTED_FORMS
from annotator.core.quote_forms import quoted_parts
from annotator.gui import palette
from annotator.gui.highlight import CUE, NESTED, QUOTE, REPORTED, SPEAKER, OffsetMap, SpanHighlighter, Spans
from annotator.gui.plain import plain_label

FLASH_MS = 900
MAX_SEARCH_HITS = 2000
SEARCH_WORD = re.compile(r"\w+")

STATE_WORDS = {"auto": "automatic, not checked", "confirmed": "confirmed", "corrected": "corrected",
               "rejected": "rejected", "added": "marked by you"}


class ArticleText(QPlainTextEdit):
    """Read-only, selectable text; tells which quote is under the mouse or the caret."""

    quote_clicked = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setFrameShape(QFrame.Shape.NoFrame)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 10.5) + 1)
        self.setFont(font)
        self.document().setDocumentMargin(14)
        self.highlighter = SpanHighlighter(self.document())
        self.offsets = OffsetMap("")
        self.quotes_by_id: dict[int, dict] = {}
        # A few passing marks over the span highlighter: the flash of a quote chosen in the list, and
        # the hits of the search box (found in the text as shown, case ignored; the current one stronger).
        self.flash_selection: list = []
        self.search_hits: list[tuple[int, int]] = []  # Qt positions
        self.current_hit: int | None = None
        self.flash_timer = QTimer(self)
        self.flash_timer.setSingleShot(True)
        self.flash_timer.setInterval(FLASH_MS)
        self.flash_timer.timeout.connect(self._end_flash)

    def viewportEvent(self, event):  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.ToolTip:
            span = self.highlighter.quote_at(self.cursorForPosition(event.pos()).position())
            if span is not None and span[2] in self.quotes_by_id:
                # as escaped rich text: a speaker name is data (typed, or from a colleague's file), never markup
                tip = "<qt>" + html.escape(quote_tip(self.quotes_by_id[span[2]])).replace("\n", "<br>") + "</qt>"
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def mouseReleaseEvent(self, event):  # noqa: N802 (Qt override)
        super().mouseReleaseEvent(event)
        if not self.textCursor().hasSelection():
            span = self.highlighter.quote_at(self.textCursor().position())
            if span is not None:
                self.quote_clicked.emit(span[2])

    def selected_span(self) -> tuple[int, int] | None:
        """The selection as (start, end) offsets into the article text, trimmed of spaces; None if empty."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start, end = self.offsets.from_qt(cursor.selectionStart()), self.offsets.from_qt(cursor.selectionEnd())
        text = self.toPlainText()  # a Python str: indexed by the same offsets as the stored text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return (start, end) if end > start else None

    def select_offsets(self, start: int, end: int) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_qt(start))
        cursor.setPosition(self.offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def show_offset(self, start: int) -> None:
        """Scroll so that a position is visible, without selecting anything."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_qt(start))
        self.setTextCursor(cursor)
        self.centerCursor()

    # --- passing marks: flash and search hits -----------------------------------------------------

    def _selection(self, start: int, end: int, colour: QColor):
        extra = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        extra.cursor = cursor
        extra.format.setBackground(colour)
        return extra

    def _show_marks(self) -> None:
        hit = palette.translucent(palette.SEARCH_HIT, 120, 150)
        current = palette.translucent(palette.SEARCH_CURRENT, 200, 220)
        hits = [self._selection(a, b, current if i == self.current_hit else hit)
                for i, (a, b) in enumerate(self.search_hits)]
        self.setExtraSelections(hits + self.flash_selection)

    def flash(self, start: int, end: int) -> None:
        """Mark a span (offsets into the article) for a moment, so the eye finds it."""
        self.flash_selection = [self._selection(self.offsets.to_qt(start), self.offsets.to_qt(end),
                                                palette.translucent(palette.FLASH, 200, 220))]
        self._show_marks()
        self.flash_timer.start()

    def flashing(self) -> bool:
        return bool(self.flash_selection)

    def _end_flash(self) -> None:
        self.flash_selection = []
        self._show_marks()

    def mark_search(self, query: str) -> int:
        """Mark every place the words of a search stand in the text (quotes and search operators
        dropped, words of one letter ignored); returns how many."""
        words = [w for w in SEARCH_WORD.findall(query) if len(w) > 1 and w.upper() not in ("AND", "OR", "NOT", "NEAR")]
        hits: set[tuple[int, int]] = set()
        document = self.document()
        for word in dict.fromkeys(w.casefold() for w in words):
            cursor = QTextCursor(document)
            while len(hits) < MAX_SEARCH_HITS:
                cursor = document.find(word, cursor)
                if cursor.isNull():
                    break
                hits.add((cursor.selectionStart(), cursor.selectionEnd()))
        self.search_hits = sorted(hits)
        self.current_hit = None
        self._show_marks()
        return len(self.search_hits)

    def step_hit(self, delta: int) -> bool:
        """Go to the next (1) or previous (-1) search hit, wrapping round; False when there is none."""
        if not self.search_hits:
            return False
        if self.current_hit is None:
            position = self.textCursor().position()
            after = [i for i, (a, _b) in enumerate(self.search_hits) if a >= position]
            self.current_hit = (after[0] if after else 0) if delta > 0 else ((after[0] if after else 0) - 1)
        else:
            self.current_hit += delta
        self.current_hit %= len(self.search_hits)
        start, _end = self.search_hits[self.current_hit]
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        self.setTextCursor(cursor)
        self.centerCursor()
        self._show_marks()
        return True


def spans_for(article: ArticleView, offsets: OffsetMap) -> tuple[Spans, list[tuple[int, int, int, str]], dict]:
    """The highlight spans of an article, grouped by (kind, state): quotes, reported speech (its whole
    clause, with a mixed one's quoted words as quotes inside), their cues and speakers, and speaker
    mentions; plus the quotes as (start, end, id, state) for lookups under the mouse, and the reported
    ones as {id: quoted parts}."""
    spans: Spans = {}
    quotes = []
    reported: dict[int, list[tuple[int, int]]] = {}
    q = offsets.to_qt
    inner = nested_reported(article.quotes)
    for quote in article.quotes:
        state = quote["status"]
        form = quote.get("form") or "direct"
        if form in REPORTED_FORMS:
            start, end = q(quote["content_start"]), q(quote["content_end"])
            spans.setdefault((NESTED if quote["id"] in inner else REPORTED, state), []).append((start, end))
            parts = [(q(a), q(b)) for a, b in quoted_parts(article.text, quote["start"], quote["end"], form,
                                                             quote.get("open_mark"), quote.get("close_mark"))]
            reported[quote["id"]] = parts
            spans.setdefault((QUOTE, state), []).extend(parts)
        else:
            start, end = q(quote["start"]), q(quote["end"])
            spans.setdefault((QUOTE, state), []).append((start, end))
        quotes.append((start, end, quote["id"], state))
        if state == "rejected":
            continue
        if quote["cue_start"] is not None and quote["cue_end"] is not None:
            spans.setdefault((CUE, state), []).append((q(quote["cue_start"]), q(quote["cue_end"])))
        if quote["speaker_start"] is not None and quote["speaker_end"] is not None:
            spans.setdefault((SPEAKER, state), []).append((q(quote["speaker_start"]), q(quote["speaker_end"])))
    for mention in article.mentions:
        state = "added" if mention["origin"] == "human" else "auto"
        spans.setdefault((SPEAKER, state), []).append((q(mention["start"]), q(mention["end"])))
    return spans, quotes, reported


def nested_reported(quotes) -> set[int]:
    """Ids of the reported-speech quotes whose content lies inside another reported quote's content
    ('Lee said the plan would fail, according to aides': Lee's attribution inside the aides' one)."""
    rows = sorted((r["content_start"], -r["content_end"], r["id"]) for r in quotes
                  if (r.get("form") or "direct") in REPORTED_FORMS and r.get("content_start") is not None
                  and r["status"] != "rejected")
    out, open_ends = set(), []
    for start, neg_end, quote_id in rows:
        while open_ends and open_ends[-1] <= start:
            open_ends.pop()
        if open_ends and -neg_end <= open_ends[-1]:
            out.add(quote_id)
        open_ends.append(-neg_end)
    return out


def quote_tip(quote: dict) -> str:
    """What hovering a quote shows: its speaker and whether a person checked it."""
    state = quote["status"]
    tip = f"Speaker: {quote['shown_speaker'] or 'unknown speaker'}\n{STATE_WORDS.get(state, state)}"
    form = quote.get("form") or "direct"
    if form != "direct":
        tip = f"Reported speech ({form})\n" + tip
    if quote.get("confidence") is not None and state == "auto":
        tip += f" (confidence {quote['confidence']:.2f})"
    return tip


def _swatch(text: str, hue: str, dashed: bool, background: bool = True) -> QLabel:
    label = QLabel(text)
    style = "dashed" if dashed else "solid"
    color = palette.line(hue).name()
    bg = palette.translucent(hue, 70, 110)
    bg_css = f"background: rgba({bg.red()},{bg.green()},{bg.blue()},{bg.alpha()});" if background else ""
    label.setStyleSheet(f"{bg_css} border-bottom: 2px {style} {color}; padding: 1px 4px;")
    return label


class Legend(QWidget):
    """What the colours and lines in the text mean."""

    def __init__(self, parent=None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(_swatch("quote (automatic)", palette.QUOTE_HUE, True))
        row.addWidget(_swatch("quote (checked)", palette.QUOTE_HUE, False))
        reported = _swatch("reported speech", palette.REPORTED_HUE, True)
        reported.setStyleSheet(reported.styleSheet().replace("2px dashed", "2px dotted"))
        reported.setToolTip("said without quotation marks (indirect), or with some of its words quoted (mixed): "
                            "the whole clause has a light green wash, its quoted words are blue; an attribution "
                            "inside another's clause ('X said ..., according to Y') has a deeper green wash")
        row.addWidget(reported)
        row.addWidget(_swatch("speaker", palette.SPEAKER_HUE, False))
        cue = QLabel("cue (said, told…)")
        cue.setStyleSheet(f"color: {palette.line(palette.CUE_HUE).darker(115).name()}; padding: 1px 4px;")
        row.addWidget(cue)
        rejected = QLabel("rejected")
        rejected.setStyleSheet(f"color: {palette.REJECTED_HUE}; border-bottom: 2px dotted {palette.REJECTED_HUE};")
        row.addWidget(rejected)
        row.addStretch(1)


class ReaderView(QWidget):
    """Header (title, outlet, date), legend and the article text."""

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.setSpacing(4)
        self.banner = plain_label()
        self.banner.setWordWrap(True)
        self.banner.setObjectName("banner")
        self.banner.setStyleSheet(
            "QLabel#banner { background: rgba(0,158,115,40); border: 1px solid #009E73; border-radius: 4px;"
            " padding: 8px; }")
        self.banner.hide()
        layout.addWidget(self.banner)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        title_font = QFont(self.title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.45)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta = QLabel()
        self.meta.setTextFormat(Qt.TextFormat.PlainText)
        self.meta.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.title)
        layout.addWidget(self.meta)
        self.legend = Legend()
        # the legend does not set the reader's least width (six swatches would squeeze the list and the
        # panel): in a narrow reader its last words are cut
        self.legend.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.legend)
        self.text = ArticleText()
        layout.addWidget(self.text, 1)
        self.article: ArticleView | None = None

    def show_article(self, article: ArticleView | None, current_quote_id: int | None = None,
                     keep_scroll: bool = False) -> None:
        """Show an article (None: an empty reader); keep_scroll redraws the same one in place."""
        self.article = article
        if article is None:
            self.title.setText("No article")
            self.meta.setText("")
            self.text.setPlainText("")
            self.text.quotes_by_id = {}
            self.text.highlighter.set_spans({}, [])
            return
        bar = self.text.verticalScrollBar()
        scroll = bar.value()
        self.title.setText(article.title)
        self.meta.setText("  ·  ".join(x for x in (article.outlet, article.published[:10], article.authors.strip("[]")
                                                    .replace('"', ""), f"#{article.id}") if x))
        highlighter = self.text.highlighter
        self.text.quotes_by_id = {q["id"]: q for q in article.quotes}
        if not keep_scroll:
            self.text.search_hits, self.text.current_hit, self.text.flash_selection = [], None, []
            self.text.setExtraSelections([])
            self.text.offsets = OffsetMap(article.text)
            highlighter.clear()  # the pass made while the text is replaced finds nothing to do
            self.text.setPlainText(article.text)
        spans, quotes, reported = spans_for(article, self.text.offsets)
        highlighter.set_spans(spans, quotes, current_quote_id, reported)
        if keep_scroll:
            bar.setValue(scroll)

    def zoom(self, steps: int) -> None:
        if steps > 0:
            self.text.zoomIn(steps)
        elif steps < 0:
            self.text.zoomOut(-steps)
