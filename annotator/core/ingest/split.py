"""One big news-database export (Factiva HTML, Nexis UK HTML) as parts of whole documents, so that
the reader processes can parse it on every core.

    parts = plan_parts(source)          # None: this file is read whole, by its reader, as before
    for part in parts:                  # in file order
        got = read_part(part, options)  # (articles, reader name), or None

The plan scans the file's bytes for where its documents begin (Factiva: the article blocks;
Nexis: the end of each `</DOC>` marker) and cuts it there into parts of about PART_BYTES; each
part is parsed by the same reader as the whole file, told its first document's number, and its
articles come out cleaned and with their uid, as `read_source` gives them. A part is only taken
as it is when it reads cleanly: every document in it an article, as many documents as the plan
found, its markup balanced where it ends (no comment, and for Factiva no block, left open). Anything
else (a document left out, a cut-off end, another export inside, UTF-8 that breaks, text between
documents) gives None: the importer then reads the whole file with its reader, which says what it
says about it (naming the file and the document), so what is stored and reported is the same
whichever way the file was read.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from annotator.core.ingest.options import ReadOptions
from annotator.core.ingest.source import Source
from annotator.core.records import Article
from annotator.core.validate import clean_article

PART_BYTES = 1 << 19  # about 70 articles a part: small enough to spread, big enough to pay for sending
MAX_PART_BYTES = 1 << 24  # a longer stretch without a document's start: the file is read whole
_SCAN_BYTES = 1 << 22
_OVERLAP = 1024  # longer than any start mark the patterns find
_ENCODINGS = {"utf-8", "utf-8-sig", "cp1252", "iso8859-1", "iso8859-15"}  # ASCII marks stay bytes
# Factiva: an article block's start tag (the wrapper `id="article-..."`, else `class="article xxArticle"`)
_FACTIVA_START = re.compile(rb'<div\b[^>]{0,400}?\b(?:id="article-|class="(?:last)?article[" ])')
_NEXIS_END = re.compile(rb"</DOC>[ \t\r\n]{0,40}-->")
_COMMENTS = ((b"<!--", b"-->"),)
_DIVS = ((b"<div", b"</div"),)  # (Factiva writes its markup in lower case)


@dataclass(frozen=True)
class Part:
    path: str  # as the report names the file
    fs_path: str
    reader: str  # factiva-html | nexis-html
    encoding: str
    start: int  # byte range
    end: int
    first_number: int  # of its first document in the file (1-based)
    documents: int  # the plan's count of the documents in it
    first: bool
    last: bool
    body_from: int = 0  # where its documents begin (after the page head, in the first part)
    too_long: bool = False  # no place to cut for MAX_PART_BYTES: not read in parts


def plan_parts(source: Source, reader: str) -> Iterator[Part] | None:
    """The parts of a big export, or None when the file is to be read whole (another kind of file,
    a zip member, an encoding whose bytes are not ASCII for the marks, fewer than two parts)."""
    if source.fs_path is None or reader not in ("factiva-html", "nexis-html"):
        return None
    from annotator.core.ingest.decode import SNIFF_BYTES, DecodeError
    from annotator.core.ingest.markup import markup_encoding

    try:
        with open(source.fs_path, "rb") as fh:
            encoding = markup_encoding(fh.read(SNIFF_BYTES))
    except (OSError, DecodeError):
        return None
    if encoding not in _ENCODINGS:
        return None
    marks = _marks(source.fs_path, reader)
    first = next(marks, None)
    if first is None:
        return None
    return _parts(source, reader, encoding, first, marks)


def _parts(source: Source, reader: str, encoding: str, first_mark: tuple[int, bool], marks) -> Iterator[Part]:
    """Factiva: a part runs from an article block's start to the next part's (the first from the
    file's start: the page head with it); Nexis: a part ends after a document's end marker."""
    factiva = reader == "factiva-html"
    start, count, number, held = 0, 0, 1, None
    for at, kind in _chain(first_mark, marks):
        if factiva and kind != first_mark[1]:  # (the wrapper's kind only: never between it and its block)
            continue
        if not factiva:
            count += 1
        if at - start >= PART_BYTES and count:
            if held is not None:
                yield held
            held = _part(source, reader, encoding, start, at, number, count, first_mark[0] if factiva else 0)
            if held.too_long:
                yield held
                return
            number, start, count = number + count, at, 0
        if factiva:
            count += 1
    last = _part(source, reader, encoding, start, source.size, number, count, first_mark[0] if factiva else 0)
    if held is not None and count == 0:  # nothing but the page's end after the last cut: it goes with the part before
        last = _part(source, reader, encoding, held.start, source.size, held.first_number, held.documents,
                     first_mark[0] if factiva else 0)
    elif held is not None:
        yield held
    yield Part(**{**last.__dict__, "last": True})


def _part(source, reader, encoding, start, end, number, count, head_end) -> Part:
    return Part(source.path, source.fs_path, reader, encoding, start, end, number, count, first=start == 0,
                last=False, body_from=head_end if start == 0 else start, too_long=end - start > MAX_PART_BYTES)


def _chain(first, rest):
    yield first
    yield from rest


def _marks(fs_path: str, reader: str) -> Iterator[tuple[int, bool]]:
    """(offset, kind) of each document mark in the file, scanned in chunks: Factiva blocks' starts
    (kind: the `id="article-` wrapper), Nexis documents' ends."""
    pattern = _FACTIVA_START if reader == "factiva-html" else _NEXIS_END
    factiva = reader == "factiva-html"
    with open(fs_path, "rb") as fh:
        base, buffer = 0, b""
        while True:
            data = fh.read(_SCAN_BYTES)
            buffer += data
            limit = len(buffer) - _OVERLAP if data else len(buffer)
            for found in pattern.finditer(buffer):
                if found.start() >= limit:
                    break
                if factiva:
                    yield base + found.start(), b'id="article-' in found.group()
                else:
                    yield base + found.end(), False
            if not data:
                return
            base, buffer = base + limit, buffer[limit:]


def read_part(part: Part, options: ReadOptions | None = None) -> tuple[list[Article], str] | None:
    """The articles of a part (cleaned, with their uid, `source_index` counting from 0 in the part),
    and the reader's name; None when the part cannot be taken alone (see the module's docstring)."""
    if part.too_long:
        return None
    try:
        with open(part.fs_path, "rb") as fh:
            fh.seek(part.start)
            data = fh.read(part.end - part.start)
        if len(data) != part.end - part.start:  # the file changed under us
            return None
        if not part.last and not _balanced(memoryview(data)[part.body_from - part.start :].tobytes(),
                                           part.reader == "factiva-html"):
            return None
        binary = io.BytesIO(data)
        if part.reader == "factiva-html":
            from annotator.core.ingest import factiva

            got = factiva.read_part(part.path, binary, part.encoding, part.first_number, part.last)
        else:
            from annotator.core.ingest import nexis_html

            got = nexis_html.read_part(part.path, binary, part.encoding, part.first, part.last)
        if got is None:
            return None
        articles, documents = got
        if documents != part.documents and not (part.last and documents >= part.documents):
            return None
        for article in articles:
            clean_article(article)
            article.uid  # noqa: B018 (hash here, on the reader's core)
        return articles, part.reader
    except Exception:  # noqa: BLE001 (whatever it is, the whole file's reading says it, naming the place)
        return None


def _balanced(data: bytes, divs: bool) -> bool:
    """No comment (and, for Factiva, no block) left open at the end of the bytes."""
    pairs = _COMMENTS + (_DIVS if divs else ())
    return all(data.count(opening) == data.count(closing) for opening, closing in pairs)
