"""Word .docx files: a Nexis export (one article a document) or one article for the whole file.

For a single article, as for plain .txt, the text is every paragraph joined by "\\n" with the title
line kept in it (the title is also its first non-empty paragraph), so the text reads as the file does.
Table cells are read in document order; soft line breaks become "\\n".
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator

import docx as python_docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from lxml import etree

from annotator.core.ingest.nexis import looks_like_nexis, parse_nexis_lines
from annotator.core.ingest.options import MAX_ARTICLE_CHARS, ReadOptions, too_large
from annotator.core.ingest.source import MAX_RATIO, RATIO_SLACK, Source
from annotator.core.records import Article, ImportProblem

# What python-docx writes into every file made from its default template: no person, no real date.
_TEMPLATE_AUTHORS = {"python-docx", ""}
_TEMPLATE_CREATED = "2013-12-23T23:15:00"
_BROKEN_DOCX = (
    zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError, zlib.error, PackageNotFoundError,
    EOFError, NotImplementedError,
)


def read(source: Source, options: ReadOptions) -> Iterator[Article | ImportProblem]:
    """Articles of one .docx, or one problem saying why it cannot be read."""
    problem = too_large(source, "for a Word file", "Split it, or save it as plain text.")
    if problem:
        yield problem
        return
    yield from parse_docx(source.read_bytes(), source.path)


MAX_PACKAGE_BYTES = 512 * 2**20  # all parts of a Word file, unpacked


def package_problem(data: bytes) -> str | None:
    """Why a .docx package is not read, before python-docx unpacks it: parts that expand like a zip
    bomb or past MAX_PACKAGE_BYTES, or an XML part declaring a DTD or entities (Word never writes
    one; an entity would cut its paragraph short, or point at a file of this computer)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        infos = package.infolist()
        if sum(i.file_size for i in infos) > MAX_PACKAGE_BYTES:
            return f"the Word file unpacks to more than {MAX_PACKAGE_BYTES // 2**20} MB"
        for info in infos:
            if info.file_size > info.compress_size * MAX_RATIO + RATIO_SLACK:
                return f"a part of the Word file ({info.filename}) expands more than {MAX_RATIO} times (a zip bomb?)"
            if info.filename.endswith((".xml", ".rels")):
                with package.open(info) as part:
                    head = part.read(1 << 16)  # the prolog, where a DOCTYPE must be
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    return (f"a part of the Word file ({info.filename}) declares XML entities (a DOCTYPE), which "
                            "Word never writes; the file is refused")
    return None


def parse_docx(data: bytes, path: str) -> Iterator[Article | ImportProblem]:
    """Articles of a .docx's bytes; stops after the first ImportProblem it yields."""
    if not data.startswith(b"PK"):
        yield ImportProblem(
            path, "not a Word .docx file (it is not a zip package); an old .doc must be saved as .docx first"
        )
        return
    try:
        problem = package_problem(data)
        if problem:
            yield ImportProblem(path, problem)
            return
        document = python_docx.Document(io.BytesIO(data))
        lines = _lines(document)
    except _BROKEN_DOCX as exc:
        yield ImportProblem(path, f"a damaged .docx file that Word parts cannot be read from ({exc})")
        return
    if looks_like_nexis("\n".join(lines[:5000])):
        yield from parse_nexis_lines(lines, path, reader="nexis-docx")
        return
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        yield ImportProblem(path, "no text in this document")
        return
    text = "\n".join(lines)
    if len(text) > MAX_ARTICLE_CHARS:
        yield ImportProblem(path, f"article text longer than {MAX_ARTICLE_CHARS:,} characters")
        return
    properties = document.core_properties
    author = (properties.author or "").strip()
    yield Article(
        text=text,
        title=lines[0].strip(),
        authors=[] if author in _TEMPLATE_AUTHORS else [a.strip() for a in author.split(";") if a.strip()],
        published=_created_date(properties.created),
        language=_language(properties.language),
        source_path=path,
        source_index=0,
    )


def _lines(document) -> list[str]:
    """Paragraph texts in document order (table cells included), split at soft line breaks."""
    lines: list[str] = []
    for block in document.iter_inner_content():
        paragraphs = _table_paragraphs(block) if isinstance(block, Table) else [block]
        for paragraph in paragraphs:
            lines.extend(paragraph.text.replace("\r", "\n").split("\n"))
    return lines


def _table_paragraphs(table: Table):
    seen = set()
    for row in table.rows:
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is returned once per grid column it spans
                continue
            seen.add(id(cell._tc))
            yield from cell.paragraphs


def _created_date(created) -> str | None:
    if created is None or created.strftime("%Y-%m-%dT%H:%M:%S") == _TEMPLATE_CREATED:
        return None
    return created.date().isoformat()


def _language(value: str | None) -> str | None:
    """'en-GB' -> 'en'."""
    if not value:
        return None
    return value.strip().split("-")[0].lower() or None
