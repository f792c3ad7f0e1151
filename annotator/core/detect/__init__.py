"""Rule-based detection of direct quotes and their speakers in news text.

    det = detect(text)      # never raises; det.quotes sorted, non-overlapping, inside text

Modules: marks (quote spans), cues (speech verbs), names (name runs, roles, the cast),
speakers (the phrase a cue points at and its resolution), attribution (linking quotes
to cues and sources), confidence (kind and score). A statistical detector can sit
beside RuleDetector by following the Detector protocol in model.
"""

from __future__ import annotations

from annotator.core.detect.model import Detection, Detector, Mention, Quote

DETECTOR_VERSION = "rules-5"

__all__ = ["detect", "Detection", "Detector", "Mention", "Quote", "RuleDetector", "DETECTOR_VERSION"]


class RuleDetector:
    """The word-list and pattern detector."""

    version = DETECTOR_VERSION

    def detect(self, text: str) -> Detection:
        from annotator.core.detect.pipeline import run_rules
        return run_rules(text)


_DEFAULT = RuleDetector()


def detect(text: str) -> Detection:
    """Quotes and speaker mentions in text; an empty Detection for anything it cannot read."""
    if not isinstance(text, str) or not text:
        return Detection(detector=DETECTOR_VERSION)
    try:
        return _DEFAULT.detect(text)
    except Exception:  # a bug in a rule must not take the caller down; the text simply gets no quotes
        return Detection(detector=DETECTOR_VERSION)
