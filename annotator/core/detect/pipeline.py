"""The rule detector's steps, from marks to finished Quote and Mention records."""

from __future__ import annotations

import bisect
import re

from annotator.core.detect import DETECTOR_VERSION
from annotator.core.detect.attribution import Attributor
from annotator.core.detect.confidence import confidence, quote_kind
from annotator.core.detect.continued import join_interrupted
from annotator.core.detect.cues import SPEECH_CUES, CueIndex
from annotator.core.detect.marks import LINE_RE, find_mark_spans
from annotator.core.detect.model import Detection, Mention, Quote
from annotator.core.detect.names import Cast
from annotator.core.detect.reported import combine_forms, find_reported
from annotator.core.detect.speakers import Resolver


def run_rules(text: str, forms=None) -> Detection:
    """forms: the attribution forms wanted (default all); direct alone skips the reported-speech step."""
    lines = [m.span() for m in LINE_RE.finditer(text)]   # shared by marks, cues and attribution
    spans = find_mark_spans(text, lines)
    inside = [(s.start, s.end) for s in spans]
    cast = Cast(text, inside, SPEECH_CUES)
    cues = CueIndex(text, inside, lines)
    resolver = Resolver(text, cast)
    attributor = Attributor(text, spans, resolver, cues, lines)
    links = attributor.link_all()
    reported = forms is None or "mixed" in forms or "indirect" in forms
    found = find_reported(text, attributor, links) if reported else None
    kinds = [quote_kind(text, link) for link in links]
    if found is None and any(confidence(text, link, kind) < 0.5 for link, kind in zip(links, kinds)):
        found = find_reported(text, attributor, links)   # direct alone: only to judge the doubtful spans
    within = _within_reported(text, links, found or [])

    quotes = []
    for link, kind, in_reported in zip(links, kinds, within):
        span, src, cue = link.span, link.source, link.cue
        direct = link.how in ("after", "before", "colon", "subject", "label")
        quotes.append(Quote(
            start=span.start, end=span.end, open_mark=span.open_mark, close_mark=span.close_mark, kind=kind,
            cue=cue.word if cue and direct else None,
            cue_start=cue.start if cue and direct else None,
            cue_end=cue.end if cue and direct else None,
            speaker=src.name if src else None,
            speaker_start=src.start if src and direct else None,
            speaker_end=src.end if src and direct else None,
            role=src.role if src else None,
            speaker_kind=src.kind if src and src.name else "unknown",
            confidence=confidence(text, link, kind, in_reported),
            content_start=span.start, content_end=span.end,   # a direct quote's content: its quoted words
        ))
    quotes = join_interrupted(text, combine_forms(text, quotes, found if reported else [], forms))
    return Detection(quotes=quotes, mentions=_mentions(text, cast, links), detector=DETECTOR_VERSION)


def _within_reported(text: str, links, found) -> list[bool]:
    """For each link: whether its span, marks included, lies inside the content of a reported attribution
    whose source is named ('Lee said the plan was "dead"', 'the report found ...'), not a topic ('Lee
    asked about her "uncoupling"')."""
    found = [r for r in found if r.source is not None and r.source.name and not _ABOUT_RE.match(text, r.cue_end)
             and not r.nested]   # (a nested content lies inside its outer one)
    starts = [r.content_start for r in found]   # sorted, not overlapping
    out = []
    for link in links:
        a, b = link.span.start - len(link.span.open_mark), link.span.end
        k = bisect.bisect_right(starts, a) - 1
        out.append(k >= 0 and b <= found[k].content_end)
    return out


_ABOUT_RE = re.compile(r"\s+(?:about|of|on)\b")


def _mentions(text: str, cast: Cast, links) -> list[Mention]:
    found: dict[int, Mention] = {}
    for run in cast.runs:
        if run.kind in ("person", "organisation"):
            name = cast.resolve_run(run) if run.kind == "person" else run.name
            found[run.start] = Mention(run.start, run.end, text[run.start:run.end], name, run.kind, run.role)
    for link in links:
        src = link.source
        if src is not None and link.how in ("after", "before", "colon") and src.start not in found:
            found[src.start] = Mention(src.start, src.end, text[src.start:src.end], src.name, src.kind, src.role)
    out: list[Mention] = []
    for m in sorted(found.values(), key=lambda m: (m.start, -m.end)):
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out
