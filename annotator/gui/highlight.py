"""Quote, speaker and cue highlights drawn by a QSyntaxHighlighter from a per-block span table.

Spans are mapped to blocks once when an article is shown; `highlightBlock` only looks up the spans of
the block being drawn, so a 20,000-word article with 2,000 quotes shows in milliseconds (thousands of
ExtraSelections would take half a second). Selecting another quote redraws only its blocks.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from annotator.gui import palette

QUOTE, SPEAKER, CUE, REPORTED, NESTED = "quote", "speaker", "cue", "reported", "nested"
# later kinds are drawn over earlier ones where spans overlap: a mixed quote's quoted words over its clause,
# a nested attribution's content (inside another's content) over the content holding it
KIND_ORDER = (REPORTED, NESTED, QUOTE, CUE, SPEAKER)
CONFIRMED_STATES = ("confirmed", "corrected", "added")

Spans = dict[tuple[str, str], list[tuple[int, int]]]  # (kind, state) -> [(start, end)] in document positions


class OffsetMap:
    """Python string offsets <-> QTextDocument positions (UTF-16 units: they differ after an emoji)."""

    def __init__(self, text: str):
        self.identity = text.isascii() or all(ord(c) < 0x10000 for c in text)
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


def span_format(kind: str, state: str, current: bool = False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    if state == "rejected":
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        fmt.setUnderlineColor(palette.line(palette.REJECTED_HUE))
        fmt.setForeground(QColor(palette.REJECTED_HUE))
        if current:
            fmt.setBackground(palette.translucent(palette.REJECTED_HUE, 60, 90))
        return fmt
    hue = {QUOTE: palette.QUOTE_HUE, SPEAKER: palette.SPEAKER_HUE, CUE: palette.CUE_HUE,
           REPORTED: palette.REPORTED_HUE, NESTED: palette.REPORTED_HUE}[kind]
    solid = state in CONFIRMED_STATES
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline if solid
                          else QTextCharFormat.UnderlineStyle.DashUnderline)
    fmt.setUnderlineColor(palette.line(hue))
    if kind == CUE:  # lightly: coloured words, no background
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        fmt.setForeground(palette.line(palette.CUE_HUE).darker(115) if not palette.is_dark()
                          else palette.line(palette.CUE_HUE))
        return fmt
    if kind == REPORTED:
        # reported speech: a lighter wash and a wavy line, so a clause with no marks reads apart from a quote
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline if not solid
                              else QTextCharFormat.UnderlineStyle.SingleUnderline)
        fmt.setBackground(palette.translucent(hue, *((70, 110) if current else (28, 55))))
        return fmt
    if kind == NESTED:
        # an attribution inside another's content: the same green, a deeper wash and a dotted line, so where
        # the inner content starts and ends reads inside the outer one's lighter wash
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine if not solid
                              else QTextCharFormat.UnderlineStyle.SingleUnderline)
        fmt.setBackground(palette.translucent(hue, *((70, 110) if current else (60, 95))))
        return fmt
    alpha = (110, 150) if current else (45, 80)
    fmt.setBackground(palette.translucent(hue, *alpha))
    return fmt


class SpanHighlighter(QSyntaxHighlighter):
    """Formats each block from the spans that fall inside it."""

    def __init__(self, document: QTextDocument):
        super().__init__(document)
        self._by_block: dict[int, list[tuple[int, int, QTextCharFormat]]] = {}
        self._current_by_block: dict[int, list[tuple[int, int, QTextCharFormat]]] = {}
        self._block_starts: list[int] = []
        self._quotes: list[tuple[int, int, int, str]] = []  # (start, end, quote id, state), by start
        self._quote_starts: list[int] = []
        self.span_count = 0
        self.current_quote_id: int | None = None
        self._reported: dict[int, list] = {}   # reported-speech quotes: id -> quoted parts inside the clause

    def clear(self) -> None:
        """Forget all spans without redrawing (the text is about to be replaced)."""
        self._by_block, self._current_by_block, self._quotes, self._quote_starts = {}, {}, [], []
        self.span_count = 0

    def set_spans(self, spans: Spans, quotes: list[tuple[int, int, int, str]],
                  current_quote_id: int | None = None, reported=()) -> None:
        """Replace all spans and redraw every block now. `quotes` are (start, end, id, state) for lookups
        (a reported quote's span is its whole content); `reported` {id: quoted parts} of reported-speech
        quotes (a mixed one's quoted words, drawn as quotes over its clause even when it is selected)."""
        self._reported = dict(reported) if isinstance(reported, dict) else {i: [] for i in reported}
        doc = self.document()
        starts, block = [], doc.begin()
        while block.isValid():
            starts.append(block.position())
            block = block.next()
        self._block_starts = starts
        self._quotes = sorted(quotes)
        self._quote_starts = [q[0] for q in self._quotes]
        table: dict[int, list] = {}
        count = 0
        for kind in KIND_ORDER:
            for (k, state), ranges in spans.items():
                if k == kind:
                    self._add(table, ranges, span_format(kind, state))
                    count += len(ranges)
        self._by_block = table
        self.span_count = count
        self.current_quote_id = None
        self._current_by_block = {}
        self._set_current(current_quote_id)
        self.rehighlight()

    def _add(self, table: dict, ranges: list[tuple[int, int]], fmt: QTextCharFormat) -> set[int]:
        """Cut ranges at block boundaries into the table; returns the blocks touched."""
        starts = self._block_starts
        last = len(starts) - 1
        touched = set()
        for start, end in ranges:
            b = bisect_right(starts, start) - 1
            if b < 0:
                b = 0
            while b <= last and starts[b] < end:
                block_start = starts[b]
                block_end = starts[b + 1] - 1 if b < last else end
                lo = start if start > block_start else block_start
                hi = end if end < block_end else block_end
                if hi > lo:
                    entry = (lo - block_start, hi - lo, fmt)
                    found = table.get(b)
                    if found is None:
                        table[b] = [entry]
                    else:
                        found.append(entry)
                    touched.add(b)
                b += 1
        return touched

    def _set_current(self, quote_id: int | None) -> set[int]:
        before = set(self._current_by_block)
        self.current_quote_id = quote_id
        self._current_by_block = {}
        quote = self.quote_span(quote_id) if quote_id is not None else None
        if quote is None:
            return before
        start, end, _id, state = quote
        if quote_id not in self._reported:
            return before | self._add(self._current_by_block, [(start, end)], span_format(QUOTE, state, current=True))
        touched = self._add(self._current_by_block, [(start, end)], span_format(REPORTED, state, current=True))
        self._add(self._current_by_block, self._reported[quote_id], span_format(QUOTE, state, current=True))
        return before | touched

    def set_current_quote(self, quote_id: int | None) -> None:
        """Show one quote as selected; only the blocks it (and the one before) covers are redrawn."""
        if quote_id == self.current_quote_id:
            return
        doc = self.document()
        for b in sorted(self._set_current(quote_id)):
            self.rehighlightBlock(doc.findBlockByNumber(b))

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt override)
        number = self.currentBlock().blockNumber()
        for start, length, fmt in self._by_block.get(number, ()):
            self.setFormat(start, length, fmt)
        for start, length, fmt in self._current_by_block.get(number, ()):
            self.setFormat(start, length, fmt)

    def quote_at(self, position: int) -> tuple[int, int, int, str] | None:
        """The quote (start, end, id, state) covering a document position; the innermost when they nest."""
        i = bisect_right(self._quote_starts, position)
        best = None
        for quote in reversed(self._quotes[max(0, i - 50):i]):
            if quote[0] <= position < quote[1] and (best is None or quote[0] > best[0]):
                best = quote
        return best

    def quote_span(self, quote_id: int) -> tuple[int, int, int, str] | None:
        return next((q for q in self._quotes if q[2] == quote_id), None)
