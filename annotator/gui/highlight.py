"""Quote, speaker and cue highlights drawn by a QSyntaxHighlighter from a per-block span table.

Spans are mapped to blocks once when an article is shown; `highlightBlock` only looks up the spans of
the block being drawn, so a 20,000-word article with 2,000 quotes shows in milliseconds (thousands of
ExtraSelections would take half a second).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from annotator.gui import palette

QUOTE, SPEAKER, CUE = "quote", "speaker", "cue"
CONFIRMED_STATES = ("confirmed", "corrected", "added")


class OffsetMap:
    """Python string offsets <-> QTextDocument positions (UTF-16 units: they differ after an emoji)."""

    def __init__(self, text: str):
        self.identity = all(ord(c) < 0x10000 for c in text) if not text.isascii() else True
        if not self.identity:
            self._to_qt = [0] * (len(text) + 1)
            pos = 0
            for i, c in enumerate(text):
                self._to_qt[i] = pos
                pos += 2 if ord(c) >= 0x10000 else 1
            self._to_qt[len(text)] = pos

    def to_qt(self, offset: int) -> int:
        return offset if self.identity else self._to_qt[max(0, min(offset, len(self._to_qt) - 1))]

    def from_qt(self, position: int) -> int:
        return position if self.identity else bisect_left(self._to_qt, position)


@dataclass
class Span:
    start: int  # document positions
    end: int
    kind: str  # quote | speaker | cue
    state: str  # auto | confirmed | corrected | rejected | added
    quote_id: int | None = None
    tip: str = ""


def span_format(kind: str, state: str, current: bool = False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    if state == "rejected":
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        fmt.setUnderlineColor(palette.line(palette.REJECTED_HUE))
        fmt.setForeground(QColor(palette.REJECTED_HUE))
        if current:
            fmt.setBackground(palette.translucent(palette.REJECTED_HUE, 60, 90))
        return fmt
    hue = {QUOTE: palette.QUOTE_HUE, SPEAKER: palette.SPEAKER_HUE, CUE: palette.CUE_HUE}[kind]
    solid = state in CONFIRMED_STATES
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline if solid
                          else QTextCharFormat.UnderlineStyle.DashUnderline)
    fmt.setUnderlineColor(palette.line(hue))
    if kind == CUE:  # lightly: coloured words, no background
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        fmt.setForeground(palette.line(palette.CUE_HUE).darker(115) if not palette.is_dark()
                          else palette.line(palette.CUE_HUE))
        return fmt
    alpha = (110, 150) if current else (45, 80)
    fmt.setBackground(palette.translucent(hue, *alpha))
    return fmt


class SpanHighlighter(QSyntaxHighlighter):
    """Formats each block from the spans that fall inside it."""

    def __init__(self, document: QTextDocument):
        super().__init__(document)
        self._by_block: dict[int, list[tuple[int, int, QTextCharFormat]]] = {}
        self._block_starts: list[int] = []
        self.spans: list[Span] = []
        self._quote_starts: list[int] = []
        self._quotes: list[Span] = []
        self.current_quote_id: int | None = None

    def clear(self) -> None:
        """Forget all spans without redrawing (the text is about to be replaced)."""
        self.spans, self._by_block, self._quotes, self._quote_starts = [], {}, [], []

    def set_spans(self, spans: list[Span], current_quote_id: int | None = None) -> None:
        """Replace all spans and redraw every block now."""
        self.spans = spans
        self.current_quote_id = current_quote_id
        doc = self.document()
        starts, block = [], doc.begin()
        while block.isValid():
            starts.append(block.position())
            block = block.next()
        self._block_starts = starts
        self._quotes = sorted((s for s in spans if s.kind == QUOTE), key=lambda s: s.start)
        self._quote_starts = [s.start for s in self._quotes]
        self._build_table()
        self.rehighlight()

    def _build_table(self) -> None:
        order = {QUOTE: 0, CUE: 1, SPEAKER: 2}  # later formats win where spans overlap
        table: dict[int, list] = {}
        starts = self._block_starts
        formats: dict[tuple, QTextCharFormat] = {}
        for span in sorted(self.spans, key=lambda s: (order[s.kind], s.start)):
            key = (span.kind, span.state, span.quote_id is not None and span.quote_id == self.current_quote_id
                   and span.kind == QUOTE)
            fmt = formats.get(key) or formats.setdefault(key, span_format(*key))
            b = max(0, bisect_right(starts, span.start) - 1)
            while b < len(starts) and starts[b] < span.end:
                block_start = starts[b]
                block_end = starts[b + 1] - 1 if b + 1 < len(starts) else span.end
                lo, hi = max(span.start, block_start), min(span.end, block_end)
                if hi > lo:
                    table.setdefault(b, []).append((lo - block_start, hi - lo, fmt))
                b += 1
        self._by_block = table

    def set_current_quote(self, quote_id: int | None) -> None:
        if quote_id == self.current_quote_id:
            return
        self.current_quote_id = quote_id
        self._build_table()
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt override)
        for start, length, fmt in self._by_block.get(self.currentBlock().blockNumber(), ()):
            self.setFormat(start, length, fmt)

    def quote_at(self, position: int) -> Span | None:
        """The quote span covering a document position (the innermost when they nest)."""
        i = bisect_right(self._quote_starts, position)
        best = None
        for span in reversed(self._quotes[max(0, i - 50):i]):
            if span.start <= position < span.end and (best is None or span.start > best.start):
                best = span
        return best

    def quote_span(self, quote_id: int) -> Span | None:
        return next((s for s in self._quotes if s.quote_id == quote_id), None)
