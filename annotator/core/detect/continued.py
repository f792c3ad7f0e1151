"""A quotation interrupted by its own attribution is one attribution.

    "The plan is dead," Ann Lee said. "We will vote no."
    "The plan is dead," Ann Lee said, "and we will vote no."

Both pieces stay items of their own (each keeps its quoted words as start/end, its marks, its
confidence), but they carry one content span, from the first piece's first quoted word to the last
piece's last one, and one speaker and cue: readers of the content (the scorer, exports, agreement on
attributions) see one attribution. Pieces are joined only where the cue and its source stand between
them, in the same paragraph, the next piece is linked to that one cue or to none, and nothing but the attribution
('Ann Lee said', 'said Lee, the mayor') stands between: "A," Lee said. "B," Hale replied. stays two.

A quotation running over paragraphs (news style: a paragraph ends with no closing mark and the next one
opens with a mark) is one attribution too, with the cue of whichever piece has one:

    Ann Lee said: "The plan is dead.

    "We will vote no."

unless the next piece has a cue of its own besides the first one's ('"B," Hale replied.').
"""

from __future__ import annotations

import re
from dataclasses import replace

from annotator.core.detect.model import Quote

# the most the words between the pieces may run: an attribution with a short description of its source
_MOST_BETWEEN = 300
# a sentence end inside what stands between: something besides the attribution ('Lee said. Then ...'),
# unless the word before the stop is an initial or a short title ('Gov. Kasich', 'George W. Bush')
_SENTENCE_END_RE = re.compile(r"(\w*)[.!?]\s+\S")
_MARKS = "\"'\u2018\u2019\u201c\u201d\u00ab\u00bb"
# what a first piece may end with, inside or just outside its closing mark: it runs on past its cue
_RUNS_ON = ",;:\u2014\u2013-"


def join_interrupted(text: str, quotes: list[Quote]) -> list[Quote]:
    """quotes (sorted by start) with each direct quote split by its own cue given one content span."""
    out = list(quotes)
    k = 0
    while k < len(out) - 1:
        first = k
        while k < len(out) - 1 and _continues(text, out[k], out[k + 1]):
            k += 1
        if k > first:
            group = out[first:k + 1]
            a, b = group[0].start, group[-1].end
            lead = next((q for q in group if q.cue_start is not None), group[0])
            who = dict(speaker=lead.speaker, speaker_start=lead.speaker_start, speaker_end=lead.speaker_end,
                       role=lead.role, speaker_kind=lead.speaker_kind, cue=lead.cue, cue_start=lead.cue_start,
                       cue_end=lead.cue_end)
            out[first:k + 1] = [replace(q, content_start=a, content_end=b, **who) for q in group]
        k += 1
    return out


def _continues(text: str, q: Quote, nxt: Quote) -> bool:
    """Whether nxt goes on with q's quotation across q's cue, or across a paragraph break."""
    if _next_paragraph(text, q, nxt):
        return True
    if q.form != "direct" or nxt.form != "direct" or q.cue_start is None or q.cue_end is None:
        return False
    if nxt.cue_start not in (q.cue_start, None) or not q.close_mark:
        return False   # the next piece has a cue of its own
    gap_start, gap_end = q.end + len(q.close_mark), nxt.start - len(nxt.open_mark)
    if not (gap_start <= q.cue_start and q.cue_end <= gap_end):
        return False
    if q.speaker_start is not None and not (gap_start <= q.speaker_start and q.speaker_end <= gap_end):
        return False
    between = text[gap_start:gap_end]
    if len(between) > _MOST_BETWEEN:
        return False
    attribution = between.rstrip()
    if "\n" in attribution or "\r" in attribution:
        return False   # a paragraph break may stand only right before the next piece ('Lee said.\n\n"B."')
    if _sentence_ends(attribution.rstrip(".:,;")) or attribution[-1:] not in ".,:;\u2014":
        return False   # 'Lee said. Then ...'; 'he said of a call to ABC's "This Week"' (a title, no piece)
    if attribution != between.rstrip(" \t\u00a0") and attribution[-1:] != ".":
        return False   # a new paragraph after 'Lee said,': the sentence was cut, not a quotation going on
    # the first piece runs on: "A," she said / "A", she said; not "A." She said, "B." (a cue of its own)
    tail = text[q.start:q.end].rstrip().rstrip(_MARKS)[-1:] or ""
    lead = between.lstrip()[:1]
    return tail in _RUNS_ON or lead in _RUNS_ON or tail in "?!" and between[:1].isspace()


def _next_paragraph(text: str, q: Quote, nxt: Quote) -> bool:
    """News style: a paragraph of a quotation ends with no closing mark and the next paragraph opens
    with a mark and goes on with it; the next piece has no cue of its own unless the first has none."""
    if q.form != "direct" or nxt.form != "direct" or q.close_mark or not nxt.open_mark:
        return False
    between = text[q.end:nxt.start - len(nxt.open_mark)]
    if between.strip() or "\n" not in between:
        return False
    return nxt.cue_start is None or q.cue_start is None or nxt.cue_start == q.cue_start


def _sentence_ends(between: str) -> bool:
    for m in _SENTENCE_END_RE.finditer(between):
        word = m.group(1)
        if not (word[:1].isupper() and len(word) <= 4 and m.group(0)[len(word)] == "."):
            return True
    return False


__all__ = ["join_interrupted"]
