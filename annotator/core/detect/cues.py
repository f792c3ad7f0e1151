"""Speech cues: the verbs (and "according to") that tie quoted words to a source.

The word list lives in resources/cues/speech_verbs.txt and is read once at import.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from annotator.core.detect.model import quick_init
from annotator.core.resources import read_word_list

SPEECH_CUES: frozenset[str] = frozenset(w.lower() for w in read_word_list("cues", "speech_verbs.txt"))

# Cues that are also common nouns or adjectives ("the states", "a report"): they count
# only right next to a quote or a subject, never as the far end of a window.
WEAK_CUES = frozenset({"state", "states", "post", "posts", "report", "reports", "call", "calls", "called",
                       "charge", "charges", "read", "reads", "cry", "worry", "worries", "worried",
                       "counter", "counters", "answer", "answers", "speak", "continue", "continues",
                       "continued", "remarks", "promise", "promises", "claims", "note", "notes", "order",
                       "described", "describe", "describes", "answered", "tease", "muse", "snap",
                       "thunder", "beg", "caution", "advise", "inform", "assure", "mock", "stress", "stresses", "repeat", "agree", "agrees", "agreed", "disagree", "disagreed",
                       "demand", "demands", "pledge", "vow", "predict", "reveal", "deny", "claim",
                       "goes on", "went on", "go on", "pressed", "reacted", "laughed"})

def _trie_pattern(words: list[str]) -> str:
    """One regex for many words, branching letter by letter (a plain alternation is slow)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        alts = [(r"\s+" if ch == " " else re.escape(ch)) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return "(?:" + body + ")?" if ends else body

    return build(trie)


# "Said Smith: ...", "Stated Stone, ...": a capitalised verb opening a sentence, a name right after it
_INVERTED = r"(?:Said|Says|Stated|States|Added|Adds|Wrote|Writes|Noted|Explained|Declared|Continued|Tweeted|Warned|Insisted)" \
            r"(?=\s+(?:Mr\.|Mrs\.|Ms\.|Dr\.|[A-Z][a-z]))"

_LINE_RE = re.compile(r"[^\r\n]+")
_RUN_ON = 64   # how far past its line a multi-word cue is looked for ("according\nto")
CUE_RE = re.compile(r"(?<![\w'\u2019-])(?=[a-zA-Z])(?:" + _trie_pattern(sorted(SPEECH_CUES))
                    + r"|According\s+to|" + _INVERTED + r")(?![\w-])")


@quick_init
@dataclass(frozen=True)
class Cue:
    start: int
    end: int
    word: str

    @property
    def according(self) -> bool:
        return self.word.lower().startswith("according")

    @property
    def weak(self) -> bool:
        return self.word in WEAK_CUES


class CueIndex:
    """The cues of a text outside the skipped (quoted) spans, for quick lookups of the cues inside a range.

    The text is scanned a line at a time, on the first lookup that reaches the line: detection asks
    about the lines around quotes, and most lines hold none. (A cue starts inside one line; a
    multi-word cue may run on over a line break, and is found from the line it starts in.)
    """

    def __init__(self, text: str, skip: list[tuple[int, int]] = (), lines: list[tuple[int, int]] | None = None):
        self.text = text
        self._skip = list(skip)
        self._skip_starts = [s for s, _ in self._skip]
        self._lines = lines if lines is not None else [(m.start(), m.end()) for m in _LINE_RE.finditer(text)]
        self._line_starts = [a for a, _ in self._lines]
        self._line_cues: list[list[Cue] | None] = [None] * len(self._lines)

    def _cues_of_line(self, k: int) -> list[Cue]:
        found = self._line_cues[k]
        if found is None:
            text, skip, starts = self.text, self._skip, self._skip_starts
            ls, le = self._lines[k]
            found = []
            for m in CUE_RE.finditer(text, ls, le + _RUN_ON):
                start = m.start()
                if start >= le:
                    break
                if skip:
                    i = bisect.bisect_right(starts, start) - 1
                    if i >= 0 and skip[i][0] <= start < skip[i][1]:
                        continue
                found.append(Cue(start, m.end(), m.group()))
            self._line_cues[k] = found
        return found

    @property
    def cues(self) -> list[Cue]:
        """Every cue of the text, in order."""
        return [c for k in range(len(self._lines)) for c in self._cues_of_line(k)]

    def between(self, start: int, end: int) -> list[Cue]:
        """The cues lying inside [start, end), in order."""
        first = max(0, bisect.bisect_right(self._line_starts, start) - 1)
        last = bisect.bisect_left(self._line_starts, end)
        return [c for k in range(first, last) for c in self._cues_of_line(k) if start <= c.start and c.end <= end]
