"""What the article list and the reader ask of a project: ordered ids, rows for a page, one article whole.

The list keeps only ids (an `array` of ints: 100,000 articles cost under 1 MB) and asks for the few
rows on screen; sorting, status filter and full-text search are done by SQLite.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field

from annotator.core import shown
from annotator.core.store import Project

# Column name -> SQL expression the list may sort by.
SORT_KEYS = {
    "id": "a.id",
    "title": "a.title COLLATE NOCASE",
    "outlet": "a.outlet COLLATE NOCASE",
    "published": "a.published",
    "status": "coalesce(s.status, 'todo')",
    "stance": "stance_name",
}
STATUS_FILTERS = ("todo", "labelled", "reviewed")


@dataclass
class ArticleQuery:
    """What the list shows: search text, one status (or None for all), sort column and order."""

    annotator: str
    search: str = ""
    status: str | None = None
    sort: str = "id"
    descending: bool = False
    stance_task_id: int | None = None


@dataclass
class ArticleRow:
    id: int
    title: str
    outlet: str
    published: str
    status: str
    stance: str


@dataclass
class ArticleView:
    """One article with what the reader draws: its quotes (each with your verdict) and mentions."""

    id: int
    title: str
    outlet: str
    published: str
    text: str
    authors: str = ""
    url: str = ""
    quotes: list[dict] = field(default_factory=list)
    mentions: list[dict] = field(default_factory=list)


_FTS_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str) -> str:
    """Turn what a person typed into a safe FTS5 query: every word must occur, the last one as a
    prefix ('harb' finds 'harbour'); a phrase in double quotes stays a phrase. '' when nothing to find."""
    parts: list[str] = []
    for i, chunk in enumerate(text.split('"')):
        words = _FTS_WORD.findall(chunk)
        if not words:
            continue
        if i % 2 == 1:  # inside double quotes
            parts.append('"' + " ".join(words) + '"')
        else:
            parts.extend(f'"{w}"' for w in words)
    if parts and text.rstrip()[-1:] != '"' and parts[-1].count(" ") == 0:
        parts[-1] = parts[-1] + "*"
    return " ".join(parts)


def _where(query: ArticleQuery) -> tuple[str, list]:
    clauses, params = [], []
    match = fts_query(query.search)
    if match:
        clauses.append("a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        params.append(match)
    if query.status == "todo":
        clauses.append("(s.status IS NULL OR s.status = 'todo')")
    elif query.status:
        clauses.append("s.status = ?")
        params.append(query.status)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _stance_join(query: ArticleQuery) -> tuple[str, list]:
    if query.sort != "stance" or query.stance_task_id is None:
        return ", NULL AS stance_name", []
    return (
        ", (SELECT min(o.name) FROM labels l JOIN options o ON o.id = l.option_id WHERE l.article_id = a.id "
        "AND l.quote_id IS NULL AND l.annotator = ? AND l.task_id = ?) AS stance_name",
        [query.annotator, query.stance_task_id],
    )


def list_article_ids(project: Project, query: ArticleQuery) -> array:
    """Ids of the articles the query selects, in its order (ties broken by id)."""
    order = SORT_KEYS.get(query.sort, "a.id")
    direction = "DESC" if query.descending else "ASC"
    stance_sql, stance_params = _stance_join(query)
    where, params = _where(query)
    sql = (
        f"SELECT a.id{stance_sql} FROM articles a "
        "LEFT JOIN article_status s ON s.article_id = a.id AND s.annotator = ?"
        f"{where} ORDER BY {order} {direction} NULLS LAST, a.id {direction}"
    )
    if order == "a.id":
        sql = sql.replace(f"ORDER BY a.id {direction} NULLS LAST, a.id {direction}", f"ORDER BY a.id {direction}")
    ids = array("q")
    cursor = project.conn.execute(sql, [*stance_params, query.annotator, *params])
    while True:
        chunk = cursor.fetchmany(20_000)
        if not chunk:
            break
        ids.extend(r[0] for r in chunk)
    return ids


def count_articles(project: Project, query: ArticleQuery) -> int:
    where, params = _where(query)
    return project.conn.execute(
        "SELECT count(*) FROM articles a LEFT JOIN article_status s ON s.article_id = a.id AND s.annotator = ?"
        + where,
        [query.annotator, *params],
    ).fetchone()[0]


def article_rows(project: Project, ids: Sequence[int], annotator: str,
                 stance_task_id: int | None = None) -> dict[int, ArticleRow]:
    """List rows (title, outlet, date, your status, your stance) for some ids, keyed by id."""
    ids = list(ids)
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = project.conn.execute(
        "SELECT a.id, a.title, a.outlet, a.published, coalesce(s.status, 'todo'), "
        "(SELECT group_concat(o.name, ', ') FROM labels l JOIN options o ON o.id = l.option_id "
        " WHERE l.article_id = a.id AND l.quote_id IS NULL AND l.annotator = ? AND l.task_id = ?) "
        "FROM articles a LEFT JOIN article_status s ON s.article_id = a.id AND s.annotator = ? "
        f"WHERE a.id IN ({marks})",
        [annotator, stance_task_id, annotator, *ids],
    )
    return {
        r[0]: ArticleRow(r[0], r[1] or "(untitled)", r[2] or "", (r[3] or "")[:10], r[4], r[5] or "")
        for r in rows
    }


def get_article(project: Project, article_id: int, annotator: str | None = None) -> ArticleView | None:
    """The article with its quotes and mentions in text order. Each quote carries `status`
    (auto / confirmed / corrected / rejected / added), its speaker and entity as this annotator sees
    them by the one rule of annotator.core.shown (`shown_speaker_text`, `shown_entity_id`,
    `shown_entity_name`) and `shown_speaker`, the name on screen; one query for all of them."""
    row = project.conn.execute(
        "SELECT id, title, outlet, published, text, authors, url FROM articles WHERE id = ?", [article_id]
    ).fetchone()
    if row is None:
        return None
    view = ArticleView(row[0], row[1] or "(untitled)", row[2] or "", row[3] or "", row[4] or "",
                       row[5] or "", row[6] or "")
    view.quotes = _dicts(project, (
        "SELECT q.id, q.start, q.end, q.text, q.kind, q.cue, q.cue_start, q.cue_end, q.speaker, q.speaker_start, "
        "q.speaker_end, q.mention_id, q.entity_id, q.confidence, q.origin, q.annotator, q.open_mark, q.close_mark, "
        "q.form, ifnull(q.content_start, q.start) AS content_start, ifnull(q.content_end, q.end) AS content_end, "
        "ifnull(q.content, q.text) AS content, "
        "ql.status AS verdict, ql.speaker AS verdict_speaker, ql.entity_id AS verdict_entity_id, "
        f"{shown.speaker_sql()} AS shown_speaker_text, {shown.entity_sql()} AS shown_entity_id, "
        "e.name AS shown_entity_name "
        "FROM quotes q LEFT JOIN quote_labels ql ON ql.quote_id = q.id AND ql.annotator = ? "
        f"LEFT JOIN entities e ON e.id = {shown.entity_sql()} "
        "WHERE q.article_id = ? AND (q.origin != 'human' OR q.annotator = ?) ORDER BY q.start, q.id"),
        [annotator, article_id, annotator],
    )
    for quote in view.quotes:
        quote["status"] = quote_status(quote)
        # on screen a linked speaker goes by its entity's name; the export has both (speaker, entity_name)
        quote["shown_speaker"] = quote["shown_entity_name"] or quote["shown_speaker_text"] or ""
    view.mentions = _dicts(project, (
        "SELECT id, start, end, text, name, kind, entity_id, origin, annotator FROM mentions "
        "WHERE article_id = ? AND (origin != 'human' OR annotator = ?) ORDER BY start, id"),
        [article_id, annotator],
    )
    return view


def _dicts(project: Project, sql: str, params: list) -> list[dict]:
    cursor = project.conn.execute(sql, params)
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row)) for row in cursor]


def same_speaker_quotes(quotes: list[dict], quote: dict) -> list[dict]:
    """The other quotes of an article (dicts of `get_article`) attributed to the same speaker mention as
    `quote`: the same mention row, or the same detected speaker span (one 'the director said' cue
    often carries three quotes). Quotes the annotator rejected are left out."""
    def key(q: dict):
        if q.get("mention_id") is not None:
            return ("mention", q["mention_id"])
        if q.get("speaker_start") is not None and q.get("speaker_end") is not None:
            return ("span", q["speaker_start"], q["speaker_end"])
        return None

    wanted = key(quote)
    if wanted is None:
        return []
    return [q for q in quotes if q["id"] != quote["id"] and q["status"] != "rejected" and key(q) == wanted]


def quote_status(quote: dict) -> str:
    """auto (nobody looked), confirmed, corrected, rejected (this annotator's verdict), or added (marked by hand)."""
    if quote.get("verdict"):
        return quote["verdict"]
    return "added" if quote.get("origin") == "human" else "auto"


def done_article_ids(project: Project, annotator: str) -> set[int]:
    return {r[0] for r in project.conn.execute(
        "SELECT article_id FROM article_status WHERE annotator = ? AND status IN ('labelled', 'reviewed')",
        [annotator],
    )}


def next_unlabelled(project: Project, annotator: str, ids: Sequence[int], current_id: int | None) -> int | None:
    """The first article after `current_id` in the list order that this annotator has not labelled;
    wraps round to the top; None when every article in the list is labelled."""
    done = done_article_ids(project, annotator)
    start = 0
    if current_id is not None:
        try:
            start = ids.index(current_id) + 1
        except ValueError:
            start = 0
    n = len(ids)
    for k in range(n):
        candidate = ids[(start + k) % n]
        if candidate not in done and candidate != current_id:
            return candidate
    return None


def remember_position(project: Project, annotator: str, article_id: int) -> None:
    """Store where this annotator is, so the next start opens the same article."""
    with project.write() as db:
        db["settings"].upsert({"key": f"position:{annotator}", "value": str(article_id)}, pk="key")


def last_position(project: Project, annotator: str) -> int | None:
    row = project.conn.execute("SELECT value FROM settings WHERE key = ?", [f"position:{annotator}"]).fetchone()
    if not row:
        return None
    try:
        article_id = int(row[0])
    except ValueError:
        return None
    exists = project.conn.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone()
    return article_id if exists else None
