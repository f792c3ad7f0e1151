"""JSON lines for training, one article a line.

spaCy style: `{"text", "spans": [{"start", "end", "label", "text", ...}], "relations": [{"head", "child",
"label", "head_span", "child_span"}], "meta"}` with `head`/`child` indices into `spans` (no tokens are
assumed); quote spans carry `form` and `stance`. Prodigy: its span format, `{"text", "spans": [{"start",
"end", "label"}], "meta", "answer": "accept"}`. Offsets are characters (code points), as Python and
spaCy count them.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from annotator.core.exchange import ExchangeResult
from annotator.core.exchange.spans import article_spans, count_articles, stance_task_name
from annotator.core.store import Project

QUOTE, SPEAKER, SAID_BY = "QUOTE", "SPEAKER", "SAID_BY"


def spacy_record(article, stance: str | None) -> dict:
    spans, index = [], {}
    for mention in article.mentions:
        index[mention.id] = len(spans)
        spans.append({"start": mention.start, "end": mention.end, "label": SPEAKER, "text": mention.text,
                      "name": mention.name, "entity": mention.entity})
    relations = []
    for quote in article.quotes:
        chosen = quote.labels.get(stance) if stance else None
        spans.append({"start": quote.start, "end": quote.end, "label": QUOTE, "text": quote.text, "form": quote.form,
                      "stance": chosen[0] if chosen else None, "speaker": quote.speaker, "entity": quote.entity})
        if quote.mention_id in index:
            head, child = len(spans) - 1, index[quote.mention_id]
            relations.append({"head": head, "child": child, "label": SAID_BY,
                              "head_span": {k: spans[head][k] for k in ("start", "end", "label")},
                              "child_span": {k: spans[child][k] for k in ("start", "end", "label")}})
    return {"text": article.text, "spans": spans, "relations": relations, "meta": _meta(article)}


def prodigy_record(article) -> dict:
    spans = [{"start": m.start, "end": m.end, "label": SPEAKER} for m in article.mentions]
    spans += [{"start": q.start, "end": q.end, "label": QUOTE} for q in article.quotes]
    spans.sort(key=lambda s: (s["start"], s["end"]))
    return {"text": article.text, "spans": spans, "meta": _meta(article), "answer": "accept"}


def _meta(article) -> dict:
    return {"article_id": article.id, "uid": article.uid, "title": article.title, "outlet": article.outlet,
            "published": article.published, "url": article.url}


def export_training(project: Project, out: str | Path, *, style: str = "spacy", annotator: str | None = None,
                    progress: Callable | None = None, cancelled: Callable | None = None) -> ExchangeResult:
    out = Path(out)
    stance = stance_task_name(project)
    total, done, quotes, mentions = count_articles(project), 0, 0, 0
    fd, tmp = tempfile.mkstemp(prefix=".jsonl-", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            for article in article_spans(project, annotator, cancelled):
                record = spacy_record(article, stance) if style == "spacy" else prodigy_record(article)
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
                done += 1
                quotes += len(article.quotes)
                mentions += len(article.mentions)
                if progress is not None and done % 100 == 0:
                    progress(done, total, "articles")
        os.replace(tmp, out)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return ExchangeResult(out, done, quotes, mentions)
