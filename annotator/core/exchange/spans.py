"""Articles with their quotes, speaker mentions and quote -> speaker relations as one view, the
shape INCEpTION, brat and the training files all take.

Which quotes: detected ones nobody (or, for one annotator's view, that person) rejected or replaced,
and the quotes people marked (that person's, for one view). A quote's speaker is the latest
correction among those people, else the detected one; its labels are the latest given. Offsets are
code points into the article text, as stored.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from annotator.core.scheme import load_scheme
from annotator.core.store import Project

FORMS = ("direct", "mixed", "indirect")
BATCH = 500


def has_form_column(conn: sqlite3.Connection) -> bool:
    """Whether quotes carry a form (direct / mixed / indirect); projects before that schema step do not."""
    return any(row[1] == "form" for row in conn.execute("PRAGMA table_info(quotes)"))


def quote_form(value: str | None) -> str:
    """A quote's form, 'direct' where the project does not record one."""
    return value if value in FORMS else "direct"


@dataclass
class MentionSpan:
    id: int
    start: int
    end: int
    text: str
    name: str
    entity: str | None  # the linked entity's name


@dataclass
class QuoteSpan:
    id: int
    start: int
    end: int
    text: str
    form: str
    speaker: str | None
    entity: str | None
    mention_id: int | None  # the speaker mention this quote is said by, if any
    labels: dict[str, list[str]] = field(default_factory=dict)  # quote-level task name -> option names


@dataclass
class ArticleSpans:
    id: int
    uid: str
    title: str | None
    outlet: str | None
    published: str | None
    url: str | None
    text: str
    quotes: list[QuoteSpan] = field(default_factory=list)
    mentions: list[MentionSpan] = field(default_factory=list)

    @property
    def name(self) -> str:
        """A file name for the article: its id, stable and safe on every file system."""
        return f"article_{self.id:06d}"


def stance_task_name(project: Project) -> str | None:
    task = load_scheme(project).stance_task("quote")
    return task.name if task else None


def count_articles(project: Project) -> int:
    return project.conn.execute("SELECT count(*) FROM articles").fetchone()[0]


def article_spans(project: Project, annotator: str | None = None,
                  cancelled: Callable[[], bool] | None = None) -> Iterator[ArticleSpans]:
    """Every article, in id order, with the quotes and mentions of the view (see the module doc)."""
    conn = project.conn
    form = "q.form" if has_form_column(conn) else "NULL"
    last = 0
    while True:
        if cancelled is not None and cancelled():
            from annotator.core.exchange import ExchangeCancelled

            raise ExchangeCancelled("cancelled")
        rows = conn.execute(
            "SELECT id, uid, title, outlet, published, url, text FROM articles WHERE id > ? ORDER BY id LIMIT ?",
            [last, BATCH]).fetchall()
        if not rows:
            return
        last = rows[-1][0]
        articles = {r[0]: ArticleSpans(*r) for r in rows}
        lo, hi = rows[0][0], last
        _fill(conn, articles, lo, hi, annotator, form)
        yield from articles.values()


def _fill(conn, articles: dict[int, ArticleSpans], lo: int, hi: int, annotator: str | None, form: str) -> None:
    who = "" if annotator is None else "AND ql.annotator = :ann"
    mine = "" if annotator is None else "AND q.annotator IS :ann"
    params = {"lo": lo, "hi": hi, "ann": annotator}
    entity_names = {}
    quotes = conn.execute(f"""
        SELECT q.id, q.article_id, q.start, q."end", q.text, {form}, q.speaker, q.entity_id, q.mention_id,
               (SELECT ql.speaker || char(31) || ifnull(ql.entity_id, '') FROM quote_labels ql
                 WHERE ql.quote_id = q.id AND ql.status = 'corrected' {who} ORDER BY ql.updated_at DESC LIMIT 1)
        FROM quotes q
        WHERE q.article_id BETWEEN :lo AND :hi
          AND ((q.origin = 'auto'
                AND NOT EXISTS (SELECT 1 FROM quote_labels ql WHERE ql.quote_id = q.id AND ql.status = 'rejected' {who})
)
               OR (q.origin = 'human' {mine}))
        ORDER BY q.article_id, q.start, q.id""", params).fetchall()
    # quotes a person replaced by their own (rare, and replaces_id has no index: read them once)
    replaced = {r[0] for r in conn.execute(
        f"SELECT replaces_id FROM quotes WHERE replaces_id IS NOT NULL AND article_id BETWEEN :lo AND :hi "
        f"{'' if annotator is None else 'AND annotator IS :ann'}", params)}
    by_id: dict[int, QuoteSpan] = {}
    for qid, aid, start, end, text, qform, speaker, entity_id, mention_id, corrected in quotes:
        if qid in replaced:
            continue
        if corrected is not None:
            speaker, _, entity = corrected.partition(chr(31))
            entity_id = int(entity) if entity else None
            mention_id = None  # the corrected speaker is someone else than the detected mention
        article = articles[aid]
        span = QuoteSpan(qid, start, end, text if text is not None else article.text[start:end], quote_form(qform),
                         speaker or None, None, mention_id)
        span.entity = entity_id  # resolved to a name below
        article.quotes.append(span)
        by_id[qid] = span
    mentions = conn.execute(f"""
        SELECT id, article_id, start, "end", text, name, entity_id FROM mentions
        WHERE article_id BETWEEN :lo AND :hi
              {'' if annotator is None else "AND (origin != 'human' OR annotator IS :ann)"}
        ORDER BY article_id, start, id""", params).fetchall()
    for mid, aid, start, end, text, name, entity_id in mentions:
        article = articles[aid]
        text = text if text is not None else article.text[start:end]
        article.mentions.append(MentionSpan(mid, start, end, text, name or text, entity_id))
    ids = {x.entity for a in articles.values() for x in (*a.quotes, *a.mentions) if x.entity is not None}
    if ids:
        marks = ",".join("?" * len(ids))
        entity_names = dict(conn.execute(f"SELECT id, name FROM entities WHERE id IN ({marks})", list(ids)))
    for article in articles.values():
        known = {m.id for m in article.mentions}
        for x in (*article.quotes, *article.mentions):
            x.entity = entity_names.get(x.entity) if x.entity is not None else None
        for quote in article.quotes:
            if quote.mention_id not in known:
                quote.mention_id = None
            if quote.mention_id is None and quote.entity is not None:
                quote.mention_id = _nearest_mention(article.mentions, quote)
    label_rows = conn.execute(f"""
        SELECT l.quote_id, t.name, t.kind, o.name FROM labels l JOIN tasks t ON t.id = l.task_id
        JOIN options o ON o.id = l.option_id
        WHERE l.article_id BETWEEN :lo AND :hi AND l.quote_id IS NOT NULL
              {'' if annotator is None else 'AND l.annotator = :ann'}
        ORDER BY l.quote_id, t.position, t.id, l.updated_at DESC, o.position""", params).fetchall()
    for quote_id, task, kind, option in label_rows:
        span = by_id.get(quote_id)
        if span is None:
            continue
        chosen = span.labels.setdefault(task, [])
        if option not in chosen and (kind != "single" or not chosen):  # single choice: the latest given
            chosen.append(option)


def _nearest_mention(mentions: list[MentionSpan], quote: QuoteSpan) -> int | None:
    """The mention of the quote's entity closest to the quote (a corrected speaker named in the text)."""
    same = [m for m in mentions if m.entity == quote.entity]
    if not same:
        return None
    return min(same, key=lambda m: min(abs(m.start - quote.end), abs(quote.start - m.end))).id
