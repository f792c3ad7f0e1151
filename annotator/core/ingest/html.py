"""Saved news web pages: the article's main text and metadata, extracted offline with trafilatura.

Navigation, ads, comments and tables are left out; paragraphs are separated by "\\n". The text is the
body only: a first line repeating the title is dropped (the title is in `Article.title`).
Nothing is ever fetched: links in the page (canonical URL, images) are only read.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

import trafilatura
from trafilatura.utils import load_html

from annotator.core.ingest.dates import to_iso
from annotator.core.ingest.decode import decode_source, normalise_newlines
from annotator.core.ingest.options import MAX_ARTICLE_CHARS, ReadOptions, too_large
from annotator.core.ingest.source import Source
from annotator.core.records import Article, ImportProblem

MIN_ARTICLE_WORDS = 15
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]{2,40})""", re.I)
# Lines that start a page's furniture after the article (shares, tags, trending lists): the text ends there.
_FURNITURE = re.compile(
    r"^(?:trending(?: now| on .{1,40})?|related(?:\b.{0,60})?|like us on facebook|(?:- )?filed under:?"
    r"|follow (?:us|.{1,40}) on (?:twitter|facebook|instagram|x)\b.*|loading .{0,40}\.\.\."
    r"|more (?:on|from) .{1,40}"
    r"|full (?:article|coverage)|(?:share|comments?)(?: this)?(?: article| story)?|advertisement)$",
    re.I,
)
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_SINGLE_BYTE_WESTERN = {"latin-1", "iso8859-1", "ascii", "iso8859-15", "cp1252"}
_MONTH_OR_NUMBER = re.compile(
    r"^(?:january|february|march|april|june|july|august|september|october|november|december)$|\d", re.I
)


def read(source: Source, options: ReadOptions) -> Iterator[Article | ImportProblem]:
    """The one article of a saved page, or a problem saying why there is none."""
    problem = too_large(source, "for a web page")
    if problem:
        yield problem
        return
    got = parse_html(source.read_bytes(), source.path)
    if isinstance(got, ImportProblem):
        yield got
    else:
        yield from got


def parse_html(data: bytes, path: str) -> list[Article] | ImportProblem:
    """Articles of one page's bytes (one, or a problem). A plain function: safe to run in a process pool."""
    text = _decode_page(data, path)
    if isinstance(text, ImportProblem):
        return text
    try:
        tree = load_html(text)
        if tree is None:
            return ImportProblem(path, "not an HTML page (no HTML structure found)")
        language = _page_language(tree)
        doc = trafilatura.bare_extraction(
            tree, with_metadata=True, include_comments=False, include_tables=False, include_images=False,
            favor_precision=True,
        )
    except Exception as exc:  # lxml/trafilatura on malformed markup: the page is the problem, not the batch
        return ImportProblem(path, f"the page could not be parsed as HTML ({type(exc).__name__}: {exc})")
    body = (doc.text or "").strip() if doc is not None else ""
    if len(body.split()) < MIN_ARTICLE_WORDS:  # a menu or a "page not found" line, not an article
        return ImportProblem(path, "no article text found in this page (is it an index page or a stub?)")
    title = _clean_title(doc.title, doc.sitename)
    body = _cut_trailing_furniture(_drop_title_line(body, title))
    if len(body) > MAX_ARTICLE_CHARS:
        return ImportProblem(path, f"article text longer than {MAX_ARTICLE_CHARS:,} characters")
    return [
        Article(
            text=body,
            title=title,
            outlet=_clean(doc.sitename),
            authors=_authors(doc.author, doc.sitename),
            published=to_iso(doc.date),
            url=_clean(doc.url),
            language=language or _language_code(doc.language),
            source_path=path,
            source_index=0,
        )
    ]


def _decode_page(data: bytes, path: str) -> str | ImportProblem:
    """Text of the page: a BOM first, then a <meta charset> the bytes agree with, then a guess."""
    if data.startswith(_BOMS):
        return decode_source(data, path)
    declared = _declared_encoding(data[:8192])
    if declared:
        # pages re-saved as UTF-8 often keep their old single-byte declaration: valid UTF-8 wins
        if declared in _SINGLE_BYTE_WESTERN or declared == "utf-8":
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = None if declared == "utf-8" else data.decode("cp1252", errors="replace")
            if text is not None and "\x00" not in text:
                return normalise_newlines(text)
        else:
            try:
                text = data.decode(declared)
            except UnicodeDecodeError:
                text = None
            if text is not None and "\x00" not in text:
                return normalise_newlines(text)
    got = decode_source(data, path)
    if isinstance(got, ImportProblem):
        return ImportProblem(path, f"not a web page: {got.message}")
    return got


def _declared_encoding(head: bytes) -> str | None:
    found = _META_CHARSET.search(head)
    if not found:
        return None
    try:
        name = codecs.lookup(found.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    if name.startswith(("utf-16", "utf-32")):  # a declaration readable as ASCII is not UTF-16 (WHATWG)
        return "utf-8"
    return "latin-1" if name == "iso8859-1" else name


def _page_language(tree) -> str | None:
    """Primary language subtag from <html lang>, Content-Language or og:locale ('en-US' -> 'en')."""
    candidates = [tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang")]
    candidates += tree.xpath('//meta[translate(@http-equiv, "CL", "cl")="content-language"]/@content')
    candidates += tree.xpath('//meta[@property="og:locale"]/@content')
    for value in candidates:
        code = _language_code(value)
        if code:
            return code
    return None


def _language_code(value) -> str | None:
    if not value:
        return None
    code = re.split(r"[-_,;\s]", str(value).strip().lower())[0]
    return code if re.fullmatch(r"[a-z]{2,3}", code) else None


def _clean_title(title: str | None, sitename: str | None) -> str | None:
    """'Headline | Site Name' -> 'Headline' when the tail names the site."""
    title = _clean(title)
    if title and sitename:
        for separator in (" | ", " - ", " \u2013 ", " \u2014 ", " :: "):
            head, _, tail = title.rpartition(separator)
            if head and tail.strip().casefold() in sitename.casefold():
                return head.strip()
    return title


def _drop_title_line(body: str, title: str | None) -> str:
    first, _, rest = body.partition("\n")
    if title and rest.strip() and " ".join(first.split()).casefold() == title.casefold():
        return rest.strip()
    return body


def _cut_trailing_furniture(body: str) -> str:
    """The body up to the first furniture line in its second half ('Trending On ...', 'Filed under:')."""
    lines = body.split("\n")
    seen = 0
    for i, line in enumerate(lines):
        if seen > len(body) / 2 and len(line) < 80 and _FURNITURE.match(line.strip()):
            return "\n".join(lines[:i]).strip()
        seen += len(line) + 1
    return body


def _authors(author: str | None, sitename: str | None) -> list[str]:
    """trafilatura's 'A; B; CNN' -> ['A', 'B']: the site's own name and stray dates are not authors."""
    names = []
    for part in (author or "").split(";"):
        name = _clean(part)
        if not name or _MONTH_OR_NUMBER.search(name) or (sitename and name.casefold() == sitename.casefold()):
            continue
        if name not in names:
            names.append(name)
    return names


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(str(value).split())
    return value or None
