"""Find the spans of text that stand between quotation marks.

Works line by line (a quote never spans a line break) and knows double marks
(straight, curly, low-9, guillemets, two apostrophes '' as one mark) and single
marks ('like this', as some outlets write quotes) without taking apostrophes
(don't, Xi's, '90s, the Joneses') for quote marks. Inner quotes stay part of the
outer quote; a paragraph that re-opens a quote without closing the previous one
gives one span per paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.core.detect.model import quick_init

DOUBLE_OPEN = "\u201c\u201e\u00ab"      # “ „ «
DOUBLE_CLOSE = "\u201d\u00bb"           # ” »
SINGLE_OPEN = "\u2018\u201a"            # ‘ ‚
SINGLE_CLOSE = "\u2019"                 # ’ (also the curly apostrophe)
ALL_MARKS = "\"'`" + DOUBLE_OPEN + DOUBLE_CLOSE + SINGLE_OPEN + SINGLE_CLOSE + "\u2039\u203a"

_DOUBLE_RE = re.compile("''|``|[\"\u201c\u201d\u201e\u00ab\u00bb]")
_SINGLE_RE = re.compile("(?<!')['\u2018\u2019\u201a](?!')")
LINE_RE = re.compile(r"[^\r\n]+")
_ANY_MARK_RE = re.compile("['\u2018\u2019\u201a`\"\u201c\u201d\u201e\u00ab\u00bb]")   # what the two above look for

# Characters that may stand right before an opening mark / right after a closing one.
_BEFORE_OPEN = set(" \t([{\u2014\u2013-/:;,\u00a0" + DOUBLE_OPEN + SINGLE_OPEN + "\"'")
_AFTER_CLOSE = set(" \t)]}\u2014\u2013-.,;:!?\u2026/\u00a0" + DOUBLE_CLOSE + SINGLE_CLOSE + "\"'")
# Words that start with an apostrophe of elision ('em, 'til, 'cause) rather than a quote.
_ELISION_RE = re.compile(r"(?:em|til|tis|twas|cause|n|round|bout|nuff|s|d|ll|re|ve|m|t)\b|\d\ds?\b", re.I)


@quick_init
@dataclass(frozen=True)
class MarkSpan:
    """Text between an opening and a closing mark; `end` excludes the closing mark."""
    start: int
    end: int
    open_mark: str
    close_mark: str  # "" when the paragraph ends before the quote closes
    continued: bool  # part of a quote that runs over several paragraphs


def _flank(text: str, pos: int, length: int, line_start: int, line_end: int) -> tuple[bool, bool]:
    """(can_open, can_close) for the mark at pos, from the characters around it."""
    before = text[pos - 1] if pos > line_start else " "
    after = text[pos + length] if pos + length < line_end else " "
    can_open = (before in _BEFORE_OPEN or not before.isalnum()) and not after.isspace()
    can_close = (after in _AFTER_CLOSE or not after.isalnum()) and not before.isspace()
    return can_open, can_close


def _double_spans(text: str, ls: int, le: int, carried: bool) -> tuple[list[MarkSpan], bool]:
    """Pair double marks on one line; returns spans and whether a quote is left open."""
    spans: list[MarkSpan] = []
    open_at: tuple[int, str, bool] | None = None
    first = True
    for m in _DOUBLE_RE.finditer(text, ls, le):
        mark, pos = m.group(), m.start()
        can_open, can_close = _flank(text, pos, len(mark), ls, le)
        if mark in DOUBLE_OPEN:
            if not (can_close and not can_open):
                can_open, can_close = True, False
        elif mark in DOUBLE_CLOSE:
            if not (can_open and not can_close):
                can_open, can_close = False, True
        elif not can_open and not can_close:
            can_open = can_close = True
        if open_at is None:
            starts_line = _only_space(text, ls, pos)
            if first and carried and can_close and not (can_open and starts_line):
                # the rest of a quote whose beginning stood on the line before
                s, e = _strip(text, ls, pos)
                if e > s:
                    spans.append(MarkSpan(s, e, "", mark, True))
            elif can_open:
                open_at = (pos + len(mark), mark, first and carried and starts_line)
        elif can_close:
            if pos > open_at[0]:
                spans.append(MarkSpan(open_at[0], pos, open_at[1], mark, open_at[2]))
            open_at = None
        else:
            open_at = (pos + len(mark), mark, False)
        first = False
    if open_at is not None:
        s, e = _strip(text, open_at[0], le)
        if e > s:
            spans.append(MarkSpan(s, e, open_at[1], "", True))
            return spans, True
    return spans, False


def _only_space(text: str, a: int, b: int) -> bool:
    return not text[a:b].strip()


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _single_spans(text: str, ls: int, le: int, blocked: list[MarkSpan]) -> list[MarkSpan]:
    """Pair single marks on one line, outside double-quoted spans."""
    opens: list[int] = []
    closes: list[tuple[int, bool]] = []  # (pos, strong)
    for m in _SINGLE_RE.finditer(text, ls, le):
        pos = m.start()
        if any(b.start <= pos < b.end for b in blocked):
            continue
        mark = m.group()
        before = text[pos - 1] if pos > ls else " "
        after = text[pos + 1] if pos + 1 < le else " "
        if before.isalnum() and after.isalnum():
            continue  # don't, Xi's
        if (before in _BEFORE_OPEN or before in "\u201c\u2014") and not after.isspace() and mark != SINGLE_CLOSE:
            if not _ELISION_RE.match(text, pos + 1):
                opens.append(pos)
                continue
        if not before.isspace() and (after in _AFTER_CLOSE or not after.isalnum()) and mark != "\u2018":
            strong = before in ".,!?;:\u2026" or after in ".,;:!?)" or pos + 1 >= le or not before.isalpha() \
                or (before not in "sz")
            closes.append((pos, strong))
    spans: list[MarkSpan] = []
    last_end = ls
    for k, op in enumerate(opens):
        if op < last_end:
            continue
        cands = [(p, s) for p, s in closes if p > op + 1]
        if not cands:
            continue
        # a closing mark before the next opening mark wins: quotes in quotes of the same kind are rare
        nxt = next((o for o in opens[k + 1:] if o > op), None)
        before_next = [(p, s) for p, s in cands if nxt is None or p < nxt]
        pool = before_next or cands
        strong = [p for p, s in pool if s]
        close = strong[0] if strong else pool[0][0]
        spans.append(MarkSpan(op + 1, close, text[op], text[close], False))
        last_end = close + 1
    return spans


def find_mark_spans(text: str, lines: list[tuple[int, int]] | None = None) -> list[MarkSpan]:
    """All quoted spans in text, sorted, non-overlapping, never crossing a line break.

    `lines`: the (start, end) of every line (LINE_RE's matches), when the caller has them already."""
    out: list[MarkSpan] = []
    carried = False
    if lines is None:
        lines = [(m.start(), m.end()) for m in LINE_RE.finditer(text)]
    for ls, le in lines:
        if _ANY_MARK_RE.search(text, ls, le) is None:   # most lines: no mark, so no quote and none open
            if not text[ls:le].isspace():
                carried = False
            continue
        if not text[ls:le].strip():
            continue
        doubles, carried_next = _double_spans(text, ls, le, carried)
        singles = _single_spans(text, ls, le, doubles)
        if singles:
            doubles = [d for d in doubles if not any(s.start <= d.start and d.end <= s.end for s in singles)]
            singles = [s for s in singles if not any(d.start < s.end and s.start < d.end for d in doubles)]
        spans = sorted(doubles + singles, key=lambda s: s.start)
        out.extend(s for s in spans if s.end > s.start)
        carried = carried_next
    return out
