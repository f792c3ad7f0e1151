"""The records a detector returns, and the protocol every detector follows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Protocol


@dataclass(frozen=True)
class Mention:
    """A place where the article names or points at a source."""
    start: int
    end: int
    text: str                 # as written ("he", "Bruce", "the statement")
    name: Optional[str]       # resolved: the most complete name the article gives
    kind: str                 # "person" | "organisation" | "document" | "unknown"
    role: Optional[str] = None


@dataclass(frozen=True)
class Quote:
    """Quoted words: text[start:end] is what stands between the marks."""
    start: int
    end: int
    open_mark: str
    close_mark: str           # "" when a paragraph of a long quote ends without closing
    kind: str                 # "sentence" | "fragment" | "paragraph"
    cue: Optional[str] = None
    cue_start: Optional[int] = None
    cue_end: Optional[int] = None
    speaker: Optional[str] = None
    speaker_start: Optional[int] = None
    speaker_end: Optional[int] = None
    role: Optional[str] = None
    speaker_kind: str = "unknown"
    confidence: float = 0.0


@dataclass(frozen=True)
class Detection:
    quotes: list[Quote] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    detector: str = ""


class Detector(Protocol):
    """Anything that turns an article's text into quotes and mentions (rules now, a model later)."""
    version: str

    def detect(self, text: str) -> Detection: ...
