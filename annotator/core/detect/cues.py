"""Speech cues: the verbs (and "according to") that tie quoted words to a source.

The word list lives in resources/cues/speech_verbs.txt and is read once at import.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

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

CUE_RE = re.compile(r"(?<![\w'\u2019-])(?=[a-zA-Z])(?:" + _trie_pattern(sorted(SPEECH_CUES))
                    + r"|According\s+to|" + _INVERTED + r")(?![\w-])")


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
    """Every cue in a text, for quick lookups of the cues inside a range."""

    def __init__(self, text: str, skip: list[tuple[int, int]] = ()):
        cues = [Cue(m.start(), m.end(), m.group()) for m in CUE_RE.finditer(text)]
        if skip:
            starts = [s for s, _ in skip]
            kept = []
            for c in cues:
                i = bisect.bisect_right(starts, c.start) - 1
                if i < 0 or not (skip[i][0] <= c.start < skip[i][1]):
                    kept.append(c)
            cues = kept
        self.cues = cues
        self._starts = [c.start for c in self.cues]

    def between(self, start: int, end: int) -> list[Cue]:
        i = bisect.bisect_left(self._starts, start)
        j = bisect.bisect_left(self._starts, end)
        return [c for c in self.cues[i:j] if c.end <= end]
