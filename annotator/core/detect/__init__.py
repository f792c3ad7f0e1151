"""Rule-based detection of direct quotes and their speakers in news text.

    det = detect(text)      # never raises; det.quotes sorted by start, inside text; contents apart or nested

Modules: marks (quote spans), cues (speech verbs), names (name runs, roles, the cast),
speakers (the phrase a cue points at and its resolution), attribution (linking quotes
to cues and sources), confidence (kind and score), reported (indirect and mixed
attributions: reported speech with no or some quotation marks). A statistical detector can sit
beside RuleDetector by following the Detector protocol in model.
"""

from __future__ import annotations

from dataclasses import replace

from annotator.core.detect.model import Detection, Detector, Mention, Quote

DETECTOR_VERSION = "rules-11"  # stored with every detected quote: a change in what is found means a new one

__all__ = ["detect", "Detection", "Detector", "Mention", "Quote", "RuleDetector", "DETECTOR_VERSION"]


class RuleDetector:
    """The word-list and pattern detector."""

    version = DETECTOR_VERSION

    def detect(self, text: str, forms=None) -> Detection:
        from annotator.core.detect.pipeline import run_rules
        return run_rules(text, forms)


_DEFAULT = RuleDetector()


# Longer texts (a whole book-length export in one "article") are read in pieces cut at paragraph
# breaks, so detection time stays linear in the length whatever the text looks like.
PIECE_CHARS = 50_000


def detect(text: str, forms=None) -> Detection:
    """Quotes (direct, mixed and indirect attributions, or only the `forms` named) and speaker mentions
    in text; an empty Detection for anything it cannot read."""
    if not isinstance(text, str) or not text:
        return Detection(detector=DETECTOR_VERSION)
    if len(text) <= PIECE_CHARS:
        return _detect_safely(text, forms)
    quotes, mentions = [], []
    for start, end in _pieces(text):
        part = _detect_safely(text[start:end], forms)
        quotes.extend(_shifted(q, start) for q in part.quotes)
        mentions.extend(_shifted(m, start) for m in part.mentions)
    return Detection(quotes=quotes, mentions=mentions, detector=DETECTOR_VERSION)


def _detect_safely(text: str, forms=None) -> Detection:
    try:
        return _DEFAULT.detect(text, forms)
    except Exception:  # a bug in a rule must not take the caller down; the text simply gets no quotes
        return Detection(detector=DETECTOR_VERSION)


def _pieces(text: str):
    """(start, end) of pieces of at most PIECE_CHARS, cut at a line break, else a sentence end, else a space."""
    start, size = 0, len(text)
    while start < size:
        end = min(start + PIECE_CHARS, size)
        if end < size:
            floor = start + PIECE_CHARS // 2
            cut = text.rfind("\n", floor, end)
            if cut == -1:
                cut = text.rfind(". ", floor, end)
                cut = cut + 1 if cut != -1 else text.rfind(" ", floor, end)
            if cut > start:
                end = cut
        yield start, end
        start = end


def _shifted(span, offset: int):
    moved = {
        name: getattr(span, name) + offset
        for name in ("start", "end", "cue_start", "cue_end", "speaker_start", "speaker_end", "content_start",
                     "content_end")
        if getattr(span, name, None) is not None
    }
    return replace(span, **moved)
