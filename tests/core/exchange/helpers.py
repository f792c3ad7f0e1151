"""A project for the exchange tests (the review sample plus speaker mentions and a non-BMP character)
and a snapshot of everything a round trip must keep."""

from annotator.core import annotate
from tests.fixtures.review.sample import build_sample


def build_exchange_sample(project) -> dict:
    ids = build_sample(project)
    conn = project.conn
    with project.write():
        # "Li Wei" in article 1 names the speaker of the detected quote 1 (its mention, linked)
        text = conn.execute("SELECT text FROM articles WHERE id = 1").fetchone()[0]
        start = text.index("Li Wei")
        mention = conn.execute(
            'INSERT INTO mentions (article_id, start, "end", text, name, kind, entity_id, origin) '
            "VALUES (1, ?, ?, 'Li Wei', 'Li Wei', 'person', 1, 'auto')", [start, start + 6]).lastrowid
        conn.execute("UPDATE quotes SET mention_id = ?, speaker_start = ?, speaker_end = ? WHERE id = 1",
                     [mention, start, start + 6])
        # an article whose text holds a character outside the BMP before its quote (offsets in code points)
        from annotator.core.records import text_uid
        from annotator.core.store import utc_now

        emoji = 'Fans \U0001F600 cheered. "We won at last," said Ana Ruiz, the coach.'
        conn.execute("INSERT INTO articles (id, uid, title, text, imported_at) VALUES (5, ?, 'Emoji', ?, ?)",
                     [text_uid(emoji), emoji, utc_now()])
        q0 = emoji.index("We won")
        conn.execute('INSERT INTO quotes (id, article_id, start, "end", text, speaker, origin, confidence) '
                     "VALUES (10, 5, ?, ?, ?, 'Ana Ruiz', 'auto', 0.8)", [q0, q0 + 15, emoji[q0:q0 + 15]])
    if any(r[1] == "form" for r in conn.execute("PRAGMA table_info(quotes)")):
        with project.write():  # "he added" is reported as indirect speech here, to see forms travel
            conn.execute("UPDATE quotes SET form = 'indirect' WHERE id = 2")
    mention2 = annotate.mark_mention(project, 5, emoji.index("Ana Ruiz"), emoji.index("Ana Ruiz") + 8, "ben")
    ids.update(mention=mention, emoji_article=5, human_mention=mention2)
    return ids


def snapshot(project) -> dict:
    """Everything of a project that is kept across an export and an import, keyed by content, not ids."""
    conn = project.conn
    form = "q.form" if any(r[1] == "form" for r in conn.execute("PRAGMA table_info(quotes)")) else "'direct'"
    uid = dict(conn.execute("SELECT id, uid FROM articles"))

    def rows(sql):
        return sorted(conn.execute(sql).fetchall(), key=repr)

    quote_key = ("(SELECT a.uid || ':' || q.start || '-' || q.\"end\" FROM quotes q "
                 "JOIN articles a ON a.id = q.article_id WHERE q.id = {})")
    return {
        "articles": rows("SELECT uid, title, outlet, published, url, text FROM articles"),
        "annotators": sorted(r[0] for r in conn.execute("SELECT name FROM annotators")),
        "labels": rows(f"""SELECT a.uid, {quote_key.format('l.quote_id')}, l.annotator, t.level, t.name, o.name
                           FROM labels l JOIN articles a ON a.id = l.article_id JOIN tasks t ON t.id = l.task_id
                           JOIN options o ON o.id = l.option_id"""),
        "quotes": rows(f"""SELECT a.uid, q.start, q."end", q.text, q.origin, q.annotator, q.speaker, {form},
                                 (SELECT name FROM entities WHERE id = q.entity_id),
                                 (SELECT m.start || '-' || m."end" FROM mentions m WHERE m.id = q.mention_id)
                          FROM quotes q JOIN articles a ON a.id = q.article_id"""),
        "verdicts": rows(f"""SELECT {quote_key.format('ql.quote_id')}, ql.annotator, ql.status, ql.speaker,
                                    (SELECT name FROM entities WHERE id = ql.entity_id) FROM quote_labels ql"""),
        "mentions": rows("""SELECT a.uid, m.start, m."end", m.text, m.name, m.origin, m.annotator,
                                   (SELECT name FROM entities WHERE id = m.entity_id)
                            FROM mentions m JOIN articles a ON a.id = m.article_id"""),
        "status": rows("""SELECT a.uid, s.annotator, s.status, s.note FROM article_status s
                          JOIN articles a ON a.id = s.article_id"""),
        "scheme": rows("SELECT t.level, t.name, t.kind, t.target, o.name, o.shortcut FROM tasks t "
                       "JOIN options o ON o.task_id = t.id"),
        "_uids": len(uid),
    }
