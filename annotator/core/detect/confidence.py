"""How a quote is shaped (sentence, fragment, paragraph) and how sure we are it is a quote.

Scare quotes, titles and nicknames are short, often title-cased and have no cue; real
quotes are sentences or fragments tied to a speech verb.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:   # only for the hints: the window imports this module for MIN_CONFIDENCE, and
    from annotator.core.detect.attribution import Link  # should not compile the detector's patterns

_WORD_RE = re.compile(r"[\w\u2019']+")
_STRONG = ("after", "before", "colon")
_SO_CALLED_RE = re.compile(r"(?:so-called|so called|dubbed the|known as|titled|entitled)\s*$", re.I)
_DET_BEFORE_RE = re.compile(r"\b(?:the|a|an|this|that|its|his|her|their|our)\s*$", re.I)
_NOUN_AFTER_RE = re.compile(r"\s*([a-z]+)")
_FUNCTION_WORDS = frozenset("and or but to of in on for that which is was are were as with by at from than "
                            "he she they it we who has have had will would can could".split())


def _is_term(text: str, link: Link, n: int, has_cue: bool) -> bool:
    """A word or two in marks used as a name or label: 'the so-called "reform"', 'the "cliff" talk'."""
    span = link.span
    open_at = span.start - len(span.open_mark)
    lead = text[max(0, open_at - 20):open_at]
    if _SO_CALLED_RE.search(lead):
        return True
    if n > 2 or has_cue or not _DET_BEFORE_RE.search(lead):
        return False
    m = _NOUN_AFTER_RE.match(text, span.end + len(span.close_mark))
    return bool(m) and m.group(1) not in _FUNCTION_WORDS


def quote_kind(text: str, link: Link) -> str:
    span = link.span
    if span.continued:
        return "paragraph"
    inner = text[span.start:span.end].strip()
    first = inner[:1]
    if first.isupper() or first.isdigit() or inner.endswith(("." , "!", "?", ".,")) and len(_WORD_RE.findall(inner)) > 3:
        return "sentence"
    return "fragment"


_TITLE_SMALL = frozenset("a an the and but or nor for of in on at to by with as from vs via per into up off out "
                         "over is it its".split())


def _title_case(words: list[str]) -> bool:
    """Every word but the small ones capitalised, as in titles and names ("Meet the Press")."""
    content = [w for w in words if w.lower() not in _TITLE_SMALL or w[:1].isupper()]
    return bool(content) and all(w[:1].isupper() or w[:1].isdigit() for w in content)


def confidence(text: str, link: Link, kind: str, reported: bool = False) -> float:
    """reported: the span lies inside the content of an attribution found by the reported-speech rules."""
    score = _base_confidence(text, link, kind)
    if score < 0.5 and kind != "paragraph" and not _titled_work(text, link) and not _so_called(text, link) \
            and (link.content is not None or reported and score >= REPORTED_FLOOR and not (_title_case(
                _WORD_RE.findall(text, link.span.start, link.span.end)) and _VENUE_LEAD_RE.search(
                text, max(0, link.span.start - len(link.span.open_mark) - 80), link.span.start - len(link.span.open_mark)))):
        # a partial quote inside what a speech verb reports: 'Lee called the plan "a disaster"', 'Lee said
        # the deal left the town "a bit poorer"' (in a named source's reported speech even a word or two is
        # more often the source's words than a scare quote; a title-cased phrase is still a name or title)
        return 0.55
    return score


# a title-cased span after these is where or to whom the words were said, or a reference: 'told "Good
# Morning America" that', 'said on "Meet the Press"', '(see "Gene Tools")'
_VENUE_LEAD_RE = re.compile(r"(?:\b(?:told|tells|telling|on|to|with|in|at|from|of|see|during|for)|['\u2019]s)\s*$"
                            r"|\((?:see|cf\.?)\s[^()]*$", re.I)


# Below this a span is markup, a link or a dated poster: not a quote even inside reported speech.
REPORTED_FLOOR = 0.1


_WORK_LEAD_RE = re.compile(r"(?:['\u2019]s|\b(?:on|in|of|to|with|program|programme|show|podcast|book|memoir|film|movie|"
                           r"series|album|song|novel|play|known as|titled|entitled))\s*$", re.I)


_INTRO_GAP_RE = re.compile(r"[\s,:\u2014\u2013-]*$")
_COLON_BEFORE_RE = re.compile(r":\s*$")   # 'Lee: 'Of Course' She Is Ready'': words given after a colon
_SHOW_LEAD_RE = re.compile(r"(?:['\u2019]s|\bon)\s*$")


# '"Stop the tax" (2014)' / '"Museum to close," by the Daily Post's Ann Lee'
_DATED_OR_BYLINED_RE = re.compile(r"\s*(?:\((?:1[89]|20)\d\d\)|,?\s*by\s+(?:the\s+)?(?:[A-Z][\w.&-]*\s+){0,3}"
                                  r"[A-Z][\w.&-]*(?:['\u2019]s|s['\u2019])\s+[A-Z])")


def _introduced(text: str, link: Link) -> bool:
    """'Lee said, "Probably."' / 'he tweeted: "Thank You Ohio!"': a cue and its source stand right
    before or right after the marks, so title-cased words are still someone's words."""
    span, cue, src = link.span, link.cue, link.source
    if cue is None or src is None or link.how not in _STRONG:
        return False
    open_at = span.start - len(span.open_mark)
    close_at = span.end + len(span.close_mark)
    last = max(cue.end, src.end)
    if last <= open_at and _INTRO_GAP_RE.match(text, last, open_at) is not None and text[last:open_at].strip():
        return True
    first = min(cue.start, src.start)
    return first >= close_at and not text[close_at:first].strip(" ,")


def _so_called(text: str, link: Link) -> bool:
    open_at = link.span.start - len(link.span.open_mark)
    return bool(_SO_CALLED_RE.search(text, max(0, open_at - 20), open_at))


def _titled_work(text: str, link: Link) -> bool:
    """A title-cased span after "on NBC's", "his book", "known as": the name of a work or show."""
    span = link.span
    words = _WORD_RE.findall(text, span.start, span.end)
    if not _title_case(words):
        return False
    open_at = span.start - len(span.open_mark)
    return bool(_WORK_LEAD_RE.search(text, max(0, open_at - 30), open_at))


def _base_confidence(text: str, link: Link, kind: str) -> float:
    span = link.span
    inner = text[span.start:span.end]
    words = _WORD_RE.findall(inner)
    n = len(words)
    if n == 0:
        return 0.0
    stripped = inner.rstrip()
    titled = _title_case(words) and (n <= 14 and not stripped.endswith((",", ".", "?", "!"))
                                     or n <= 5 and stripped.endswith("."))
    open_at = span.start - len(span.open_mark)
    if text[open_at - 1:open_at] == "=" or inner.startswith(("http://", "https://", "pic.twitter.com")):
        return 0.05   # a value in markup (author="...", href="...") or a bare link, never anyone's words
    if _DATED_OR_BYLINED_RE.match(text, span.end + len(span.close_mark)):
        return 0.15   # a poster dated in brackets or a headline with its byline, not someone's words
    if 0 < n <= 8 and inner.rstrip().endswith(",") and _title_case(words) \
            and _SHOW_LEAD_RE.search(text, max(0, span.start - len(span.open_mark) - 20), span.start - len(span.open_mark)):
        return 0.15   # 'on CBS's "Face the Nation," Lee said': the show, not Lee's words
    if link.how == "label":   # 'Lee: Plan Is 'Dead'': a headline or transcript line gives the words to Lee
        return 0.6
    if kind == "fragment" and _is_term(text, link, n, link.how in _STRONG):
        return 0.15
    colon_led = link.how in _STRONG and _COLON_BEFORE_RE.search(text, max(0, span.start - len(span.open_mark) - 3),
                                                               span.start - len(span.open_mark)) is not None
    if titled and kind != "paragraph" and not colon_led \
            and not (_introduced(text, link) and not _titled_work(text, link)):
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
    someone_near = link.how == "context"
    if link.how == "context":  # a guessed speaker says nothing about whether these are quoted words
        link = type(link)(link.span, link.para)
    if link.how == "subject":  # the sentence's subject, no speech verb
        if kind == "fragment":
            return 0.6 if n >= 2 else 0.45
        return 0.7 if n >= 4 else 0.5 if n >= 2 else 0.45
    if link.how:  # continuation of a known speaker
        if kind == "fragment":
            return 0.55 if n >= 4 else 0.5
        if n < 4:
            return 0.45
        return 0.85
    if kind == "paragraph":
        return 0.7 if n >= 8 else 0.3
    if kind == "sentence" and n >= 5:
        return 0.6
    if n >= 4 or kind == "fragment" and n >= 2 and someone_near and not _DET_BEFORE_RE.search(
            text, max(0, span.start - len(span.open_mark) - 8), span.start - len(span.open_mark)):
        return 0.5   # a phrase of two or more words, with a person about, is quoted more often than not
    return 0.25


# Detections below this confidence are left out by `annotator quotes` and hidden in the window's quote
# list unless a person checked them (both can be asked for a different threshold; 0 shows all).
MIN_CONFIDENCE = 0.5


def shown_at(confidence: float | None, threshold: float, checked: bool = False) -> bool:
    """Whether a quote passes a confidence threshold: a checked or hand-marked one (no confidence)
    always does."""
    return checked or confidence is None or confidence >= threshold
