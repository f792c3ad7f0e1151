"""Quotes in article files, without a project (`annotator quotes`): one row a quoted stretch.

Files are read and detected on every core (annotator.core.parallel), a few at a time, and the rows
come back in the order of the files.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from annotator.core.ingest import ReadOptions, read_source
from annotator.core.ingest.source import Source, iter_sources
from annotator.core.parallel import batched, map_in_order, worker_pool
from annotator.core.records import Article, ImportProblem

FILES_A_TASK = 16
BYTES_A_TASK = 256 * 1024
POOL_FROM_BYTES = 512 * 1024   # less than this is read and detected here (starting workers costs more)


def article_rows(path: str, article: Article, forms: Iterable[str], min_confidence: float) -> list[dict]:
    """The rows of one article: a direct quote gives one, a mixed attribution one for each of its quoted
    fragments (all with the same content), an indirect one a row whose text is its content."""
    from annotator.core.detect import detect
    from annotator.core.detect.confidence import shown_at
    from annotator.core.quote_forms import content_span, quoted_parts

    text = article.text
    rows = []
    for q in detect(text, forms).quotes:
        if not shown_at(q.confidence, min_confidence):
            continue
        cs, ce = content_span(q.start, q.end, q.form, q.content_start, q.content_end)
        for start, end in quoted_parts(text, q.start, q.end, q.form, q.open_mark, q.close_mark) or [(cs, ce)]:
            rows.append({
                "file": path, "article": article.source_index, "title": article.title,
                "start": start, "end": end, "text": text[start:end], "form": q.form,
                "content": text[cs:ce], "content_start": cs, "content_end": ce,
                "speaker": q.speaker, "speaker_start": q.speaker_start, "speaker_end": q.speaker_end,
                "cue": q.cue, "confidence": round(q.confidence, 3),
            })
    return rows


def _file_rows(source: Source, options: ReadOptions, forms,
               min_confidence) -> tuple[str, list[dict], ImportProblem | None]:
    articles = []
    for got in read_source(source, options):
        if isinstance(got, ImportProblem):
            if got.note:   # a part left out; the rest of the file is read
                continue
            return source.path, [], got
        articles.append(got)
    return source.path, [row for a in articles for row in article_rows(source.path, a, forms, min_confidence)], None


def quotes_in_files(paths, options: ReadOptions | None, forms: Iterable[str], min_confidence: float = 0.0,
                    workers: int | None = None) -> Iterator[tuple[str, list[dict], ImportProblem | None]]:
    """Per file (files, folders and archives as the importer reads them): its path, its rows, and the
    problem that stopped it (then no rows). On several cores when there is enough to read."""
    options = options or ReadOptions()
    forms = tuple(forms)
    items = list(iter_sources(list(paths)))
    sources = [s for s in items if not isinstance(s, ImportProblem)]
    pool = worker_pool(workers, worth_it=sum(s.size for s in sources) >= POOL_FROM_BYTES)
    try:
        tasks = batched(items, FILES_A_TASK, weight=lambda s: getattr(s, "size", 0), most=BYTES_A_TASK)
        for results in map_in_order(pool, _rows_or_problems, tasks, options, forms, min_confidence):
            yield from results
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _rows_or_problems(items: list, options: ReadOptions, forms, min_confidence) -> list[tuple]:
    """Worker side: (path, rows, problem) of each file. Module-level so a pool can pickle it."""
    return [(item.path, [], item) if isinstance(item, ImportProblem)
            else _file_rows(item, options, forms, min_confidence) for item in items]
