"""Detected quotes and speaker mentions in the project: stored as `auto` rows, re-run without
touching what a person confirmed, corrected or marked.

Detection is CPU work done on several cores (`detect_texts` runs in worker processes, through
annotator.core.parallel); storing is one transaction per batch of articles in the writer. Import
detects in its reader processes and stores each new article's quotes with it (`store_new_detection`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotator.core.detect import DETECTOR_VERSION, Detection, detect
from annotator.core.detection_state import set_detection_pending
from annotator.core.parallel import batched, map_in_order, worker_pool
from annotator.core.quote_forms import own_span, own_span_sql
from annotator.core.store import Project, utc_now

if TYPE_CHECKING:
    from annotator.core.linking import Linker, LinkReport
    from annotator.core.prepared import PreparedDetection

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


_OWN_START, _OWN_END = own_span_sql("")


def store_detection(project: Project, article_id: int, detection: Detection, now: str | None = None,
                    text: str | None = None) -> tuple[int, int, int]:
    """Replace an article's untouched auto quotes and mentions by `detection`; returns (quotes, mentions, kept).

    Runs inside the caller's transaction when there is one. `text`: the article's text, when the
    caller has it (the quoted words are then taken from it, not read back from the database).
    """
    conn = project.conn
    now = now or utc_now()
    kept_spans = [
        (r[0], r[1], r[2])
        for r in conn.execute(
            # a reported quote stands over its whole content, a direct one over its quoted words
            f"SELECT {_OWN_START}, {_OWN_END}, cue_start FROM quotes "
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
        os_, oe = own_span(q.start, q.end, q.form, cs, ce)   # a direct quote by its quoted words
        if any(os_ < end and start < oe and not _nested_pair(os_, oe, q.cue_start, start, end, cue)
               for start, end, cue in kept_spans):
            continue  # a person's quote stands here
        mention_id = mention_ids.get((q.speaker_start, q.speaker_end)) if q.speaker_start is not None else None
        rows.append(
            (
                article_id, q.start, q.end, text[q.start:q.end] if text is not None else None, q.kind, q.open_mark,
                q.close_mark, q.cue, q.cue_start, q.cue_end, q.speaker, q.speaker_start, q.speaker_end, q.role,
                q.speaker_kind, mention_id, q.confidence, detection.detector or DETECTOR_VERSION, now, q.form, cs, ce,
                text[cs:ce] if text is not None else None,
            )
        )
    conn.executemany(
        "INSERT INTO quotes (article_id, start, end, text, kind, open_mark, close_mark, cue, cue_start, cue_end, "
        "speaker, speaker_start, speaker_end, speaker_role, speaker_kind, mention_id, confidence, origin, "
        "detector_version, created_at, form, content_start, content_end, content) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'auto',?,?,?,?,?,?)",
        rows,
    )
    if text is None:   # the quoted words and the content, copied from the article so exports need no second look-up
        conn.execute(
            "UPDATE quotes SET text = substr((SELECT text FROM articles WHERE id = ?), start + 1, end - start), "
            "content = substr((SELECT text FROM articles WHERE id = ?), content_start + 1, content_end - content_start) "
            "WHERE article_id = ? AND text IS NULL",
            (article_id, article_id, article_id),
        )
    _link_entities(project, article_id)
    return len(rows), new_mentions, len(kept_spans)


def _nested_pair(a: int, b: int, cue_ab: int | None, c: int, d: int, cue_cd: int | None) -> bool:
    """Whether two overlapping contents are two attributions, one nested in the other ('Lee said the plan
    would fail, according to aides'), not two readings of one: one content lies inside the other and the
    inner one's cue stands inside the outer content."""
    if (a, b) == (c, d):
        return False
    if c <= a and b <= d:
        return cue_ab is not None and c <= cue_ab < d
    if a <= c and d <= b:
        return cue_cd is not None and a <= cue_cd < b
    return False


_MENTION_COLUMNS = ("id, article_id, start, end, text, name, kind, role, entity_id, link_by, link_score, origin, "
                    "detector_version, created_at")
_MENTION_VALUES = "(?,?,?,?,?,?,?,?,?,?,?,'auto',?,?)"
_QUOTE_COLUMNS = ("article_id, start, end, text, kind, open_mark, close_mark, cue, cue_start, cue_end, speaker, "
                  "speaker_start, speaker_end, speaker_role, speaker_kind, mention_id, entity_id, link_by, link_score, "
                  "confidence, origin, detector_version, created_at, form, content_start, content_end, content")
_QUOTE_VALUES = "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'auto',?,?,?,?,?,?)"
ROWS_A_STATEMENT = 500   # 26 parameters a quote row: 13,000, under SQLite's limit of 32,766


class NewDetectionRows:
    """The quote and mention rows of just-detected articles, written by a few multi-row statements
    (one statement a batch runs with the GIL released; a statement a row takes it back each time).

    Mention ids are given here, from the largest id stored: the caller holds the write lock (its
    transaction) from the first row to `write()`, so they are the ids SQLite would give."""

    def __init__(self, conn):
        self.conn = conn
        self.next_mention_id = conn.execute("SELECT ifnull(max(id), 0) FROM mentions").fetchone()[0] + 1
        self.mentions: list[tuple] = []
        self.quotes: list[tuple] = []

    def write(self) -> None:
        for table, columns, values, rows in (("mentions", _MENTION_COLUMNS, _MENTION_VALUES, self.mentions),
                                              ("quotes", _QUOTE_COLUMNS, _QUOTE_VALUES, self.quotes)):
            for start in range(0, len(rows), ROWS_A_STATEMENT):
                part = rows[start:start + ROWS_A_STATEMENT]
                self.conn.execute(f"INSERT INTO {table} ({columns}) VALUES " + ",".join([values] * len(part)),
                                  [value for row in part for value in row])
        self.mentions, self.quotes = [], []


def store_new_detection(project: Project, article_id: int, text: str, prepared: PreparedDetection, now: str,
                        linker: Linker, report: LinkReport, rows: NewDetectionRows | None = None) -> tuple[int, int]:
    """Store the detection of an article that has no quotes or mentions yet (one just imported), each
    row with its entity link, in the caller's transaction; returns (quotes, mentions).

    The same rows and links as store_detection followed by link_article, in one pass: links are
    decided first (from the names the worker normalised), then every row is written once. With
    `rows`, the rows are only gathered there (the caller writes them, with other articles')."""
    from annotator.core.link_plan import detection_items
    from annotator.core.linking import AUTO, link_new_items

    gathered = rows if rows is not None else NewDetectionRows(project.conn)
    det = prepared.detection
    version = det.detector or DETECTOR_VERSION
    mentions, quotes, quote_mention, items = detection_items(det, prepared.mention_names, prepared.speaker_names)
    # the groups of names were worked out by the reader process (plans), beside the detection
    links = link_new_items(project, items, linker, report, prepared.plans) if items else []
    first_id = gathered.next_mention_id
    gathered.next_mention_id += len(mentions)
    for k, ((m, _), (eid, score)) in enumerate(zip(mentions, links[:len(mentions)], strict=True)):
        gathered.mentions.append((first_id + k, article_id, m.start, m.end, m.text, m.name, m.kind, m.role, eid,
                                  AUTO if eid is not None else None, score, version, now))
    for k, ((q, _), (eid, score)) in enumerate(zip(quotes, links[len(mentions):], strict=True)):
        mention = quote_mention[k]
        cs = q.content_start if q.content_start is not None else q.start
        ce = q.content_end if q.content_end is not None else q.end
        gathered.quotes.append((
            article_id, q.start, q.end, text[q.start:q.end], q.kind, q.open_mark, q.close_mark, q.cue, q.cue_start,
            q.cue_end, q.speaker, q.speaker_start, q.speaker_end, q.role, q.speaker_kind,
            first_id + mention if mention is not None else None, eid, AUTO if eid is not None else None, score,
            q.confidence, version, now, q.form, cs, ce, text[cs:ce]))
    if rows is None:
        gathered.write()
    return len(quotes), len(mentions)


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
    if ids:
        set_detection_pending(project, True)  # a kill from here on leaves a note for the next start
    pool = worker_pool(workers, worth_it=len(ids) >= 100)
    sent: deque[list[tuple[int, str]]] = deque()

    def tasks():
        # texts are read here lazily, a few chunks ahead of the workers, so memory stays flat
        for chunk in batched(ids, 25):
            items = _texts(project, chunk)
            sent.append(items)
            yield items

    done = 0
    stored: list[tuple[int, str, Detection]] = []
    try:
        for results in map_in_order(pool, detect_texts, tasks(), forms, cancelled=cancelled, ahead=4):
            texts = dict(sent.popleft())
            stored.extend((article_id, texts[article_id], det) for article_id, det in results)
            done += len(results)
            if len(stored) >= BATCH_ARTICLES or done >= total:
                _store_batch(project, stored, now, report)
                stored = []
                if progress:
                    progress(done, total, "detecting quotes")
        if stored:
            _store_batch(project, stored, now, report)
            if progress:
                progress(done, total, "detecting quotes")
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    report.cancelled = bool(cancelled and cancelled()) and report.articles < total
    if ids and not report.cancelled:
        set_detection_pending(project, False)
    return report


def _store_batch(project: Project, stored: list[tuple[int, str, Detection]], now: str, report: DetectReport) -> None:
    with project.write():
        for article_id, text, detection in stored:
            quotes, mentions, kept = store_detection(project, article_id, detection, now, text)
            report.articles += 1
            report.quotes += quotes
            report.mentions += mentions
            report.kept += kept


def _texts(project: Project, ids: list[int]) -> list[tuple[int, str]]:
    marks = ",".join("?" * len(ids))
    return [(r[0], r[1]) for r in project.conn.execute(f"SELECT id, text FROM articles WHERE id IN ({marks})", ids)]
