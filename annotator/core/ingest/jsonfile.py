"""JSON and JSON Lines dumps of news records (news-please style or common field names).

A `.json` file holds one object, a list of objects, or an object with the list under a key such as
"articles"; it is read whole (with a size limit). `.jsonl`/`.ndjson` stream one object a line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from annotator.core.ingest.decode import DecodeError, decode_problem, decode_source, open_text_stream
from annotator.core.ingest.fields import article_from_record, resolve_columns
from annotator.core.ingest.options import MAX_ARTICLE_CHARS, ReadOptions, too_large
from annotator.core.ingest.source import Source
from annotator.core.records import Article, ImportProblem

_LIST_KEYS = ("articles", "data", "items", "results", "records", "documents", "docs", "stories", "news")


def read_json(source: Source, options: ReadOptions) -> Iterator[Article | ImportProblem]:
    problem = too_large(source, "to read as one JSON document",
                        "Save it as JSON Lines (.jsonl) to import it in a stream.")
    if problem:
        yield problem
        return
    text = decode_source(source.read_bytes(), source.path)
    if isinstance(text, ImportProblem):
        yield text
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield ImportProblem(source.path, f"malformed JSON: {exc.msg} (column {exc.colno})", line=exc.lineno)
        return
    except RecursionError:
        yield ImportProblem(source.path, "malformed JSON: nested too deeply")
        return
    records = _records_in(data)
    if records is None:
        yield ImportProblem(source.path, "no news records found (expected an object or a list of objects)")
        return
    if not records:
        yield ImportProblem(source.path, "the JSON list is empty")
        return
    if not source.explicit and "text" not in options.field_map and not _has_text_field(records[0], options):
        keys = ", ".join(map(str, records[0])) if isinstance(records[0], dict) else type(records[0]).__name__
        yield ImportProblem(source.path, f"not article data, skipped (no text field; keys: {keys})", skipped=True)
        return
    yield from _articles(records, source.path, options, start_row=1)


def read_jsonl(source: Source, options: ReadOptions) -> Iterator[Article | ImportProblem]:
    columns = None
    index = 0
    line_no = 0
    with source.open_binary() as fh:
        try:
            for line_no, line in enumerate(open_text_stream(fh), start=1):  # noqa: B007
                if not line.strip():
                    continue
                if len(line) > MAX_ARTICLE_CHARS * 2:
                    yield ImportProblem(source.path, "a line longer than any article could be", line=line_no)
                    return
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield ImportProblem(source.path, f"malformed JSON: {exc.msg} (column {exc.colno})", line=line_no)
                    return
                except RecursionError:
                    yield ImportProblem(source.path, "malformed JSON: nested too deeply", line=line_no)
                    return
                if not isinstance(record, dict):
                    yield ImportProblem(source.path, "expected a JSON object on each line", line=line_no)
                    return
                if columns is None or "text" not in columns:
                    columns = resolve_columns(list(record), options.field_map)
                article = article_from_record(record, columns, source.path, index)
                if isinstance(article, str):
                    yield ImportProblem(source.path, _explain(article, record, options), line=line_no)
                    return
                if len(article.text) > MAX_ARTICLE_CHARS:
                    yield ImportProblem(source.path, "article text too long", line=line_no)
                    return
                index += 1
                yield article
        except DecodeError as exc:
            yield decode_problem(source.path, exc)
            return
    if index == 0:
        yield ImportProblem(source.path, "no records (only blank lines)")


def _has_text_field(record, options: ReadOptions) -> bool:
    return isinstance(record, dict) and "text" in resolve_columns(list(record), options.field_map)


def _records_in(data) -> list | None:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in _LIST_KEYS:
            if isinstance(data.get(key), list):
                return data[key]
        return [data]
    return None


def _articles(records: list, path: str, options: ReadOptions, start_row: int) -> Iterator[Article | ImportProblem]:
    columns = None
    for n, record in enumerate(records):
        row = start_row + n
        if not isinstance(record, dict):
            yield ImportProblem(path, "expected a JSON object", row=row)
            return
        if columns is None or "text" not in columns:
            columns = resolve_columns(list(record), options.field_map)
        article = article_from_record(record, columns, path, n)
        if isinstance(article, str):
            yield ImportProblem(path, _explain(article, record, options), row=row)
            return
        if len(article.text) > MAX_ARTICLE_CHARS:
            yield ImportProblem(path, "article text too long", row=row)
            return
        yield article


def _explain(reason: str, record: dict, options: ReadOptions) -> str:
    keys = ", ".join(list(map(str, record))[:12])
    hint = "" if "text" in options.field_map else " (name the text field with --map text=KEY)"
    return f"{reason}; keys are: {keys}{hint}"
