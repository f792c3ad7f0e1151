"""Factiva's XML delivery (a `PPSResponse`, namespace http://global.factiva.com/pps/2.0): one article
per `article` element, with the same fields as the HTML exports.

Parsed as it streams (lxml iterparse, each article cleared once read) with entity expansion, DTD
loading and network access off: an entity declared in the file is never expanded, so neither an
external entity (a local file, a URL) nor a "billion laughs" of nested ones can be smuggled in.
A file that breaks off (a cut download) keeps the articles read before the break; the break is
named by line and document number.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from annotator.core.ingest.dates import to_iso
from annotator.core.ingest.factiva import LANGUAGE_NAMES
from annotator.core.ingest.nexis import authors_from_byline
from annotator.core.ingest.options import MAX_ARTICLE_CHARS, ReadOptions
from annotator.core.ingest.source import Source
from annotator.core.records import Article, ImportProblem

READER = "factiva-xml"


def read(source: Source, options: ReadOptions) -> Iterator[Article | ImportProblem]:
    number = 0  # article elements seen
    index = 0
    with source.open_binary() as binary:
        events = etree.iterparse(
            binary, events=("end",), resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
            huge_tree=False, remove_comments=True, remove_pis=True,
        )
        try:
            for _event, element in events:
                if _local(element.tag) != "article":
                    continue
                number += 1
                got = _article(element, source.path, number, index)
                if isinstance(got, Article):
                    index += 1
                yield got
                element.clear(keep_tail=True)
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:
                    del parent[0]
        except etree.XMLSyntaxError as exc:
            line = exc.position[0] if exc.position else None
            if number == 0:
                yield ImportProblem(source.path, f"not readable as Factiva XML: {exc.msg}", line=line, reader=READER)
                return
            yield ImportProblem(
                source.path,
                f"the XML breaks off after document {number} ({exc.msg}; a cut download?): what follows is "
                "left out",
                line=line, note=True, reader=READER,
            )
    if number == 0:
        yield ImportProblem(source.path, "a Factiva XML file with no articles in it", reader=READER)


def _article(element, path: str, number: int, index: int) -> Article | ImportProblem:
    fields = {_local(child.tag): child for child in element if isinstance(child.tag, str)}
    title = _paragraphs(fields.get("headline"))
    title = " ".join(title) or None
    body = _paragraphs(fields.get("leadParagraph")) + _paragraphs(fields.get("tailParagraphs"))
    if not body:
        named = f" ({title!r})" if title else ""
        return ImportProblem(path, f"document {number}{named} left out: it has no body text", note=True,
                             reader=READER)
    text = "\n\n".join(body)
    if len(text) > MAX_ARTICLE_CHARS:
        return ImportProblem(path, f"document {number} left out: its text is longer than {MAX_ARTICLE_CHARS:,} "
                             "characters", note=True, reader=READER)
    accession = _text(fields.get("accessionNo"))
    return Article(
        text=text,
        title=title,
        outlet=_text(fields.get("sourceName")) or None,
        authors=authors_from_byline(_text(fields.get("byline")) or _text(fields.get("author"))),
        published=_published(fields.get("publicationDate")),
        language=_language(_text(fields.get("baseLanguage"))),
        source_path=path,
        source_index=index,
        source_id=f"factiva:{accession}" if accession else None,
        reader=READER,
    )


def _published(element) -> str | None:
    if element is None:
        return None
    for child in element.iter():
        if isinstance(child.tag, str) and _local(child.tag) in ("dateTime", "date"):
            got = to_iso(_text(child))
            if got:
                return got[:10] if got.endswith("T00:00:00") else got
    return to_iso(_text(element))


def _language(value: str) -> str | None:
    value = value.strip().lower()
    if not value:
        return None
    return LANGUAGE_NAMES.get(value) or (value if len(value) == 2 and value.isalpha() else None)


def _paragraphs(element) -> list[str]:
    if element is None:
        return []
    found = [_text(p) for p in element if isinstance(p.tag, str) and _local(p.tag) == "paragraph"]
    found = [p for p in found if p]
    if not found and _text(element):
        found = [_text(element)]
    return found


def _text(element) -> str:
    if element is None:
        return ""
    return " ".join("".join(t for t in element.itertext() if isinstance(t, str)).split())


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
