"""Importers: one module per input format, each turning a Source into Article records.

Every reader is a generator `read(source, options) -> Iterator[Article | ImportProblem]`. A reader
yields an ImportProblem (naming the place) when the file cannot be imported whole and then stops;
it never raises for bad input. Every article leaves `read_source` through `validate.clean_article`
(NUL out of the text, control characters out of the short fields, fields bounded). The importer
(annotator.core.importer) stores a file only when its reader finished without a problem, so a
file is imported whole or not at all.
"""

from __future__ import annotations

import dataclasses
import zipfile
import zlib
from collections.abc import Iterator

from annotator.core.ingest.options import ReadOptions
from annotator.core.ingest.source import KNOWN_SUFFIXES, InputTooLarge, Source, iter_sources
from annotator.core.records import Article, ImportProblem
from annotator.core.validate import clean_article

__all__ = ["KNOWN_SUFFIXES", "ReadOptions", "Source", "iter_sources", "read_source", "read_paths"]


def read_source(source: Source, options: ReadOptions | None = None) -> Iterator[Article | ImportProblem]:
    """Articles of one file, by its suffix; a problem value for anything that goes wrong."""
    options = options or ReadOptions()
    if source.size == 0:
        yield ImportProblem(source.path, "the file is empty")
        return
    try:
        yield from _read_with_its_reader(source, options)
    except MemoryError:
        yield ImportProblem(source.path, "the file is too large to read")
    except OSError as exc:
        yield ImportProblem(source.path, f"cannot be read ({exc.strerror or exc})")
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, zlib.error) as exc:
        # a zip member that is encrypted, damaged or packed with an unsupported method
        yield ImportProblem(source.path, f"cannot be read from the archive ({exc or type(exc).__name__})")
    except Exception as exc:  # a reader bug must not stop a batch of thousands of files
        yield ImportProblem(source.path, f"unexpected error while reading: {type(exc).__name__}: {exc}")


def _read_with_its_reader(source: Source, options: ReadOptions) -> Iterator[Article | ImportProblem]:
    name, reader = _reader_for(source)
    if reader is None:
        if source.suffix == ".xml":  # only Factiva's XML delivery is read; other XML in a folder is passed over
            yield ImportProblem(source.path, "an XML file that is not a Factiva XML delivery (PPSResponse)",
                                skipped=not source.explicit)
            return
        yield ImportProblem(source.path, f"unsupported file type '{source.suffix or '(none)'}'")
        return
    try:
        for got in reader(source, options):
            if not got.reader:  # a reader that hands over to another (text -> nexis-txt) names itself
                if isinstance(got, ImportProblem):
                    got = dataclasses.replace(got, reader=name)
                else:
                    got.reader = name
            yield clean_article(got) if isinstance(got, Article) else got
    except InputTooLarge as exc:
        yield ImportProblem(source.path, f"not read: {exc}", reader=name)


def read_paths(paths, options: ReadOptions | None = None) -> Iterator[tuple[str, list[Article], ImportProblem | None]]:
    """Per file: its path, its articles, and the problem that stopped it (then no articles)."""
    for item in iter_sources(paths):
        if isinstance(item, ImportProblem):
            yield item.path, [], item
            continue
        articles: list[Article] = []
        problem = None
        for got in read_source(item, options):
            if isinstance(got, ImportProblem):
                if got.note:  # a part left out; the rest of the file is read
                    continue
                problem = got
                break
            articles.append(got)
        yield item.path, ([] if problem else articles), problem


def _reader_for(source: Source):
    """(name, reader) for a file: by its content for markup (a news-database export saved as .html
    goes to its own reader, any other page to the web-page extractor), else by its suffix."""
    suffix = source.suffix
    if suffix in {".txt", ".text"}:
        from annotator.core.ingest import text

        return "text", text.read
    if suffix in {".html", ".htm", ".xml", ".xhtml"}:
        from annotator.core.ingest.sniff import SNIFF_MARKUP_BYTES, markup_format

        with source.open_binary() as fh:
            found = markup_format(fh.read(SNIFF_MARKUP_BYTES))
        if found == "factiva-xml":
            from annotator.core.ingest import factiva_xml

            return found, factiva_xml.read
        if found == "factiva-html":
            from annotator.core.ingest import factiva

            return found, factiva.read
        if found == "nexis-html":
            from annotator.core.ingest import nexis_html

            return found, nexis_html.read
        if suffix == ".xml":
            return "xml", None
        from annotator.core.ingest import html

        return "html", html.read
    if suffix == ".json":
        from annotator.core.ingest import jsonfile

        return "json", jsonfile.read_json
    if suffix in {".jsonl", ".ndjson"}:
        from annotator.core.ingest import jsonfile

        return "jsonl", jsonfile.read_jsonl
    if suffix in {".csv", ".tsv"}:
        from annotator.core.ingest import table

        return suffix[1:], table.read
    if suffix == ".docx":
        from annotator.core.ingest import docx

        return "docx", docx.read
    return "", None
