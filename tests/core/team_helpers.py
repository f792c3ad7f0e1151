"""Small projects and comparisons shared by the team-sync tests."""

from __future__ import annotations

import json

from annotator.core.importer import import_paths
from annotator.core.scheme import load_scheme
from annotator.core.store import open_project

ARTICLES = {
    "bridge.txt": "Council backs harbour bridge\n\n"
                  '"We will build it by 2027," said Mayor Ann Lee on Monday.\n\n'
                  'Tom Berg, the opposition leader, said: "This is a waste of money."\n',
    "trade.txt": "Trade talks stall again\n\n"
                 '"There is no deal yet," the minister, Sara Holm, told reporters.\n\n'
                 'Exporters are worried. "We need certainty," said Per Dahl of the chamber of commerce.\n',
    "storm.txt": "Storm closes schools\n\n"
                 'Schools stayed shut on Friday. "Safety comes first," said head teacher Mia Roth.\n',
}


def lead_project(tmp_path, name: str = "lead.db"):
    """A lead's project: three articles with detected quotes and the default scheme."""
    folder = tmp_path / "articles"
    folder.mkdir(exist_ok=True)
    for file, text in ARTICLES.items():
        (folder / file).write_text(text, encoding="utf-8")
    project = open_project(tmp_path / name)
    import_paths(project, [folder], workers=1)
    load_scheme(project)
    return project


def article_ids(project) -> dict[str, int]:
    """{title: id}"""
    return dict(project.conn.execute("SELECT title, id FROM articles"))


def work(project) -> dict[str, set]:
    """Everything people did in a project, by stable keys, for comparing two projects."""
    c = project.conn
    q = ("(SELECT a.uid || ':' || q.start || ':' || q.\"end\" || ':' || q.origin FROM quotes q "
         "JOIN articles a ON a.id = q.article_id WHERE q.id = {})")
    return {
        "labels": set(c.execute(
            f"SELECT a.uid, {q.format('l.quote_id')}, l.annotator, t.name, o.name FROM labels l "
            "JOIN articles a ON a.id = l.article_id JOIN tasks t ON t.id = l.task_id "
            "JOIN options o ON o.id = l.option_id")),
        "verdicts": set(c.execute(
            f"SELECT {q.format('v.quote_id')}, v.annotator, v.status, v.speaker FROM quote_labels v")),
        "statuses": set(c.execute(
            "SELECT a.uid, s.annotator, s.status, s.note FROM article_status s "
            "JOIN articles a ON a.id = s.article_id")),
        "human_quotes": set(c.execute(
            "SELECT a.uid, q.start, q.\"end\", q.annotator, q.text FROM quotes q "
            "JOIN articles a ON a.id = q.article_id WHERE q.origin = 'human'")),
        "human_mentions": set(c.execute(
            "SELECT a.uid, m.start, m.\"end\", m.annotator FROM mentions m JOIN articles a ON a.id = m.article_id "
            "WHERE m.origin = 'human'")),
        "adjudications": set(c.execute(
            "SELECT a.uid, j.task_id IS NULL, j.value, j.adjudicator FROM adjudications j "
            "JOIN articles a ON a.id = j.article_id")),
        "options": set(c.execute("SELECT t.name, o.name FROM options o JOIN tasks t ON t.id = o.task_id")),
    }


def server_labels(dsn: str, schema: str) -> set[tuple]:
    """(article uid, quote key, annotator, task, option) for every label option on the server."""
    import psycopg

    with psycopg.connect(dsn) as pg:
        out = set()
        for uid, qkey, annotator, task, options in pg.execute(
                f'SELECT article_uid, qkey, annotator, task_name, options FROM "{schema}".labels'):
            for option in (options if isinstance(options, list) else json.loads(options)):
                out.add((uid, qkey, annotator, task, option))
        return out
