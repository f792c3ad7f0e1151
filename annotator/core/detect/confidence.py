"""How a quote is shaped (sentence, fragment, paragraph) and how sure we are it is a quote.

Scare quotes, titles and nicknames are short, often title-cased and have no cue; real
quotes are sentences or fragments tied to a speech verb.
"""

from __future__ import annotations

import re

from annotator.core.detect.attribution import Link

_WORD_RE = re.compile(r"[\w\u2019']+")
_STRONG = ("after", "before", "colon")


def quote_kind(text: str, link: Link) -> str:
    span = link.span
    if span.continued:
        return "paragraph"
    inner = text[span.start:span.end].strip()
    first = inner[:1]
    if first.isupper() or first.isdigit() or inner.endswith(("." , "!", "?", ".,")) and len(_WORD_RE.findall(inner)) > 3:
        return "sentence"
    return "fragment"


def _title_case(words: list[str]) -> bool:
    content = [w for w in words if len(w) > 3]
    return bool(content) and all(w[:1].isupper() for w in content)


def confidence(text: str, link: Link, kind: str) -> float:
    span = link.span
    inner = text[span.start:span.end]
    words = _WORD_RE.findall(inner)
    n = len(words)
    if n == 0:
        return 0.0
    titled = _title_case(words) and n <= 8 and not inner.rstrip().endswith((",", ".", "?", "!"))
    if titled and kind != "paragraph":
        return 0.2 if link.how else 0.1
    if link.how in _STRONG:
        if kind == "fragment":
            score = 0.8 if n >= 2 else 0.6
        elif kind == "paragraph" and n < 8:
            score = 0.6
        else:
            score = 0.95 if n >= 4 else 0.75
        if link.cue is None:
            score -= 0.1
        return round(score, 2)
    if link.how:  # continuation of a known speaker
        if kind == "fragment":
            return 0.55 if n >= 4 else 0.45
        if n < 4:
            return 0.45
        return 0.85
    if kind == "paragraph":
        return 0.7 if n >= 8 else 0.3
    if kind == "sentence" and n >= 5:
        return 0.6
    if n >= 4:
        return 0.5
    return 0.25
