"""CSV and TSV dumps with a header row; columns found like JSON keys (or named with `--map`).

Streams row by row; a malformed row (unbalanced quotes, wrong field count, no text) fails the file
with its row and line number, so nothing of a half-read file is stored.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from annotator.core.ingest.decode import MAX_LINE_CHARS, DecodeError, decode_problem, open_text_stream
from annotator.core.ingest.fields import article_from_record, resolve_columns
from annotator.core.ingest.options import MAX_ARTICLE_CHARS, ReadOptions
from annotator.core.ingest.source import Source
from annotator.core.records import Article, ImportProblem

csv.field_size_limit(MAX_LINE_CHARS)  # a cell is bounded as a line is (also set, the same, by import_labels)


class _Lines:
    """Counts physical lines as the csv module pulls them, for messages."""

    def __init__(self, lines):
        self._lines = iter(lines)
        self.line_no = 0

    def __iter__(self):
        return self

    def __next__(self):
        line = next(self._lines)
        self.line_no += 1
        return line


def read(source: Source, options: ReadOptions) -> Iterator[Article | ImportProblem]:
    with source.open_binary() as fh:
        lines = _Lines(open_text_stream(fh))
        try:
            yield from _read_rows(lines, source, options)
        except DecodeError as exc:
            yield decode_problem(source.path, exc)
        except csv.Error as exc:
            yield ImportProblem(source.path, f"malformed CSV: {exc}", line=lines.line_no)


def _read_rows(lines: _Lines, source: Source, options: ReadOptions) -> Iterator[Article | ImportProblem]:
    first = next(lines, None)
    if first is None or not first.strip():
        yield ImportProblem(source.path, "no header row", line=1)
        return
    first = first.lstrip("\ufeff")
    delimiter = "\t" if source.suffix == ".tsv" else _sniff_delimiter(first)
    header = next(csv.reader([first], delimiter=delimiter))
    header = [h.strip() for h in header]
    columns = resolve_columns(header, options.field_map)
    if "text" not in columns:
        hint = "" if "text" in options.field_map else "; name it with --map text=COLUMN"
        wanted = f"'{options.field_map['text']}'" if "text" in options.field_map else "an article text column"
        yield ImportProblem(
            source.path, f"no {wanted} in the header ({', '.join(header[:12])}){hint}", line=1
        )
        return
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    index = 0
    for row_no, values in enumerate(reader, start=1):
        if not values or (len(values) == 1 and not values[0].strip()):
            continue
        if len(values) != len(header):
            yield ImportProblem(
                source.path,
                f"has {len(values)} fields where the header has {len(header)}",
                row=row_no,
                line=lines.line_no,
            )
            return
        record = dict(zip(header, values, strict=True))  # field counts checked above
        article = article_from_record(record, columns, source.path, index)
        if isinstance(article, str):
            yield ImportProblem(source.path, article, row=row_no, line=lines.line_no)
            return
        if len(article.text) > MAX_ARTICLE_CHARS:
            yield ImportProblem(source.path, "article text too long", row=row_no, line=lines.line_no)
            return
        index += 1
        yield article
    if index == 0:
        yield ImportProblem(source.path, "a header row but no data rows")


def _sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","
