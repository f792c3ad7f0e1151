"""Detected quotes and speaker mentions in the project: stored as `auto` rows, re-run without
touching what a person confirmed, corrected or marked.

Detection is CPU work done on several cores (`detect_texts` runs in worker processes); storing is
one transaction per batch of articles in the writer.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from annotator.core.detect import DETECTOR_VERSION, Detection, detect
from annotator.core.store import Project, utc_now

BATCH_ARTICLES = 200
# Auto quotes a person has given a verdict, a label or a correction to are theirs now: kept on re-runs.
_TOUCHED = """
    EXISTS (SELECT 1 FROM quote_labels ql WHERE ql.quote_id = quotes.id)
    OR EXISTS (SELECT 1 FROM labels l WHERE l.quote_id = quotes.id)
    OR EXISTS (SELECT 1 FROM quotes q2 WHERE q2.replaces_id = quotes.id)
    OR EXISTS (SELECT 1 FROM adjudications a WHERE a.quote_id = quotes.id)
"""


@dataclass
class DetectReport:
    articles: int = 0
    quotes: int = 0
    mentions: int = 0
    kept: int = 0  # auto quotes kept because a person worked on them
    cancelled: bool = False

    def summary(self) -> str:
        text = (
            f"{self.quotes} quotes and {self.mentions} speaker mentions detected in {self.articles} articles"
            f" ({DETECTOR_VERSION})"
        )
        if self.kept:
            text += f"; {self.kept} quotes a person worked on were kept as they are"
        return text + (" (cancelled)" if self.cancelled else "")


def detect_texts(items: list[tuple[int, str]], forms=None) -> list[tuple[int, Detection]]:
    """Worker side: detection for (article id, text) pairs (only `forms`, default all). Module-level so a
    pool can pickle it."""
    return [(article_id, detect(text, forms)) for article_id, text in items]


def store_detection(project: Project, article_id: int, detection: Detection, now: str | None = None) -> tuple[int, int, int]:
    """Replace an article's untouched auto quotes and mentions by `detection`; returns (quotes, mentions, kept).

    Runs inside the caller's transaction when there is one.
    """
    conn = project.conn
    now = now or utc_now()
    kept_spans = [
        (r[0], r[1])
        for r in conn.execute(
            # a reported quote stands over its whole content
            f"SELECT coalesce(content_start, start), coalesce(content_end, end) FROM quotes "
            f"WHERE article_id = ? AND (origin != 'auto' OR {_TOUCHED})",
            (article_id,),
        )
    ]
    conn.execute(
        f"DELETE FROM quotes WHERE article_id = ? AND origin = 'auto' AND NOT ({_TOUCHED})", (article_id,)
    )
    conn.execute(
        "DELETE FROM mentions WHERE article_id = ? AND origin = 'auto' "
        "AND id NOT IN (SELECT mention_id FROM quotes WHERE mention_id IS NOT NULL AND article_id = ?)",
        (article_id, article_id),
    )
    mention_ids: dict[tuple[int, int], int] = {
        (r[0], r[1]): r[2]
        for r in conn.execute("SELECT start, end, id FROM mentions WHERE article_id = ?", (article_id,))
    }
    new_mentions = 0
    for m in detection.mentions:
        if (m.start, m.end) in mention_ids:
            continue
        cur = conn.execute(
            "INSERT INTO mentions (article_id, start, end, text, name, kind, role, origin, detector_version, "
            "created_at) VALUES (?,?,?,?,?,?,?,'auto',?,?)",
            (article_id, m.start, m.end, m.text, m.name, m.kind, m.role, detection.detector or DETECTOR_VERSION, now),
        )
        mention_ids[(m.start, m.end)] = cur.lastrowid
        new_mentions += 1
    rows = []
    for q in detection.quotes:
        cs = q.content_start if q.content_start is not None else q.start
        ce = q.content_end if q.content_end is not None else q.end
        if any(cs < end and start < ce for start, end in kept_spans):
            continue  # a person's quote stands here
        mention_id = mention_ids.get((q.speaker_start, q.speaker_end)) if q.speaker_start is not None else None
        rows.append(
            (
                article_id, q.start, q.end, None, q.kind, q.open_mark, q.close_mark, q.cue, q.cue_start,
                q.cue_end, q.speaker, q.speaker_start, q.speaker_end, q.role, q.speaker_kind, mention_id,
                q.confidence, detection.detector or DETECTOR_VERSION, now, q.form, cs, ce,
            )
        )
    conn.executemany(
        "INSERT INTO quotes (article_id, start, end, text, kind, open_mark, close_mark, cue, cue_start, cue_end, "
        "speaker, speaker_start, speaker_end, speaker_role, speaker_kind, mention_id, confidence, origin, "
        "detector_version, created_at, form, content_start, content_end) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'auto',?,?,?,?,?)",
        rows,
    )
    # the quoted words and the content, copied from the article so exports need no second look-up
    conn.execute(
        "UPDATE quotes SET text = substr((SELECT text FROM articles WHERE id = ?), start + 1, end - start), "
        "content = substr((SELECT text FROM articles WHERE id = ?), content_start + 1, content_end - content_start) "
        "WHERE article_id = ? AND text IS NULL",
        (article_id, article_id, article_id),
    )
    _link_entities(project, article_id)
    return len(rows), new_mentions, len(kept_spans)


def _link_entities(project: Project, article_id: int) -> None:
    from annotator.core.linking import link_article

    link_article(project, article_id)


def run_detection(
    project: Project,
    article_ids: Iterable[int] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    workers: int | None = None,
    forms=None,
) -> DetectReport:
    """Detect quotes in the given articles (all when None), on several cores, storing as it goes;
    `forms` (default all) names the attribution forms to detect."""
    ids = list(article_ids) if article_ids is not None else [
        r[0] for r in project.conn.execute("SELECT id FROM articles ORDER BY id")
    ]
    report = DetectReport()
    total = len(ids)
    now = utc_now()
    for done, results in _detect_batches(project, ids, workers, cancelled, forms):
        with project.write():
            for article_id, detection in results:
                quotes, mentions, kept = store_detection(project, article_id, detection, now)
                report.articles += 1
                report.quotes += quotes
                report.mentions += mentions
                report.kept += kept
        if progress:
            progress(done, total, "detecting quotes")
    report.cancelled = bool(cancelled and cancelled()) and report.articles < total
    return report


def _texts(project: Project, ids: list[int]) -> list[tuple[int, str]]:
    marks = ",".join("?" * len(ids))
    return [(r[0], r[1]) for r in project.conn.execute(f"SELECT id, text FROM articles WHERE id IN ({marks})", ids)]


def _detect_batches(project, ids, workers, cancelled, forms=None) -> Iterator[tuple[int, list[tuple[int, Detection]]]]:
    batches = [ids[i : i + BATCH_ARTICLES] for i in range(0, len(ids), BATCH_ARTICLES)]
    small = [ids[i : i + 25] for i in range(0, len(ids), 25)]
    if workers is None:
        workers = min(os.cpu_count() or 1, 8)
    done = 0
    if workers <= 1 or len(ids) < 100:
        for batch in batches:
            if cancelled and cancelled():
                return
            results = detect_texts(_texts(project, batch), forms)
            done += len(batch)
            yield done, results
        return
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        # texts are read here lazily, a few batches ahead of the workers, so memory stays flat
        pending = []
        chunks = iter(small)
        for chunk in chunks:
            pending.append(pool.submit(detect_texts, _texts(project, chunk), forms))
            if len(pending) >= workers * 4:
                break
        collected: list = []
        while pending:
            results = pending.pop(0).result()
            if not (cancelled and cancelled()):
                nxt = next(chunks, None)
                if nxt is not None:
                    pending.append(pool.submit(detect_texts, _texts(project, nxt), forms))
            collected.extend(results)
            done += len(results)
            if len(collected) >= BATCH_ARTICLES or not pending:
                yield done, collected
                collected = []
            if cancelled and cancelled():
                for f in pending:
                    f.cancel()
                return
