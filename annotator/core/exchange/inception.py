"""INCEpTION: one UIMA CAS XMI file per article and the type system, written with dkpro-cassis.

Types are named as INCEpTION names custom layers (`webanno.custom.*`) so that a project with layers
Quote (span; features form, stance, speaker, entity), Speaker (span; name, entity) and SaidBy
(relation on Quote -> Speaker: Governor, Dependent) shows them. Offsets are code points in cassis;
it writes the UTF-16 offsets UIMA (Java) counts in the XMI.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from pathlib import Path

from cassis import Cas, TypeSystem
from cassis.cas import Utf16CodepointOffsetConverter

from annotator.core.exchange import ExchangeResult
from annotator.core.exchange.bundle import open_bundle
from annotator.core.exchange.spans import article_spans, count_articles, stance_task_name
from annotator.core.store import Project

QUOTE = "webanno.custom.Quote"
SPEAKER = "webanno.custom.Speaker"
SAID_BY = "webanno.custom.SaidBy"
STRING = "uima.cas.String"
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")  # two UTF-16 units each


class _Utf16Offsets(Utf16CodepointOffsetConverter):
    """cassis's code point -> UTF-16 offset conversion without its two dicts over every character of
    the text (built by a Python loop per code point: most of an export's time). A UTF-16 offset is
    the code point offset plus the characters outside the BMP before it, found by bisection; for a
    text with none (nearly every article) the offsets are the same."""

    def create_offset_mapping(self, sofa_string: str | None) -> None:
        self._text = sofa_string
        self._astral = [m.start() for m in _ASTRAL.finditer(sofa_string)] if sofa_string else []
        self._external_to_python = self._python_to_external = None

    def python_to_external(self, idx: int | None) -> int | None:
        return idx if idx is None or not self._astral else idx + bisect_left(self._astral, idx)

    def external_to_python(self, idx: int | None) -> int | None:
        if self._astral and self._external_to_python is None:  # reading back: cassis's own mapping
            super().create_offset_mapping(self._text)
        return super().external_to_python(idx)


def type_system() -> TypeSystem:
    ts = TypeSystem()
    quote = ts.create_type(QUOTE, "uima.tcas.Annotation", "A quote: direct, mixed or indirect speech")
    for name in ("form", "stance", "speaker", "entity"):
        ts.create_feature(quote, name, STRING)
    speaker = ts.create_type(SPEAKER, "uima.tcas.Annotation", "Where a source is named")
    for name in ("name", "entity"):
        ts.create_feature(speaker, name, STRING)
    said = ts.create_type(SAID_BY, "uima.tcas.Annotation", "The quote (Governor) is said by the speaker (Dependent)")
    ts.create_feature(said, "Governor", QUOTE)
    ts.create_feature(said, "Dependent", SPEAKER)
    return ts


def article_cas(ts: TypeSystem, article, stance: str | None) -> Cas:
    cas = Cas(typesystem=ts)
    cas.get_sofa()._offset_converter = _Utf16Offsets()  # replaced before the text is set (see the class)
    cas.sofa_string = article.text
    cas.sofa_mime = "text/plain"
    Quote, Speaker, SaidBy = ts.get_type(QUOTE), ts.get_type(SPEAKER), ts.get_type(SAID_BY)
    speakers = {}
    for mention in article.mentions:
        fs = Speaker(begin=mention.start, end=mention.end, name=mention.name, entity=mention.entity)
        cas.add(fs)
        speakers[mention.id] = fs
    for quote in article.quotes:
        chosen = quote.labels.get(stance) if stance else None
        fs = Quote(begin=quote.start, end=quote.end, form=quote.form, stance=chosen[0] if chosen else None,
                   speaker=quote.speaker, entity=quote.entity)
        cas.add(fs)
        target = speakers.get(quote.mention_id)
        if target is not None:  # INCEpTION puts a relation where its target (Dependent) is
            cas.add(SaidBy(begin=target.begin, end=target.end, Governor=fs, Dependent=target))
    return cas


def export_inception(project: Project, out: str | Path, *, annotator: str | None = None,
                     progress: Callable | None = None, cancelled: Callable | None = None) -> ExchangeResult:
    out = Path(out)
    ts = type_system()
    stance = stance_task_name(project)
    total, done, quotes, mentions = count_articles(project), 0, 0, 0
    with open_bundle(out) as bundle:
        bundle.write("TypeSystem.xml", ts.to_xml())
        for article in article_spans(project, annotator, cancelled):
            bundle.write(f"{article.name}.xmi", article_cas(ts, article, stance).to_xmi())
            done += 1
            quotes += len(article.quotes)
            mentions += len(article.mentions)
            if progress is not None and done % 100 == 0:
                progress(done, total, "articles")
    return ExchangeResult(out, done, quotes, mentions)
