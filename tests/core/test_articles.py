"""The article list's queries: ordering, status filter, search, rows for a page, next unlabelled."""

import pytest

from annotator.core import articles, labels, scheme
from annotator.core.articles import ArticleQuery


@pytest.fixture
def project(tmp_project):
    rows = [
        ("Harbour bridge vote", "Coastal Gazette", "2024-03-02", "The council voted on the harbour bridge."),
        ("Trade talks resume", "Wire", "2024-01-15", "Negotiators met again over tariffs."),
        ("Flood repairs finished", "Eastmoor News", "2024-02-20", "The library reopens after the flood."),
        ("Wind farm plan", "Coastal Gazette", None, "Turbines off the coast divide the village <b>bold</b>."),
    ]
    for i, (title, outlet, published, text) in enumerate(rows):
        tmp_project.db["articles"].insert(
            {"uid": f"u{i}", "title": title, "outlet": outlet, "published": published, "text": text})
    return tmp_project


def ids(project, **kw):
    return list(articles.list_article_ids(project, ArticleQuery(annotator="ana", **kw)))


def test_sorting_by_columns(project):
    assert ids(project) == [1, 2, 3, 4]
    assert ids(project, sort="title") == [3, 1, 2, 4]
    assert ids(project, sort="published") == [2, 3, 1, 4]  # undated last
    assert ids(project, sort="published", descending=True)[:3] == [1, 3, 2]


def test_search_is_full_text_with_prefix_and_safe_for_any_input(project):
    assert ids(project, search="harbour") == [1]
    assert ids(project, search="harb") == [1]
    assert ids(project, search="coast village") == [4]
    assert ids(project, search='"harbour bridge"') == [1]
    for nasty in ['AND', '"', "NEAR(", "title:x", "*", "a OR", "(((", "-", "'; DROP TABLE articles"]:
        ids(project, search=nasty)  # never an FTS syntax error
    assert ids(project, search="   ") == [1, 2, 3, 4]
    assert articles.count_articles(project, ArticleQuery(annotator="ana", search="flood")) == 1


def test_status_filter_is_per_annotator(project):
    labels.set_status(project, 2, "ana", "labelled")
    labels.set_status(project, 3, "ana", "reviewed")
    labels.set_status(project, 1, "ben", "labelled")
    assert ids(project, status="todo") == [1, 4]
    assert ids(project, status="labelled") == [2]
    assert ids(project, status="reviewed") == [3]


def test_rows_carry_status_and_stance(project):
    stance = scheme.load_scheme(project).stance_task()
    labels.set_choice(project, 2, "ana", stance.id, stance.options[2].id)
    labels.set_status(project, 2, "ana", "labelled")
    rows = articles.article_rows(project, [2, 4], "ana", stance.id)
    assert rows[2].stance == "in favour" and rows[2].status == "labelled"
    assert rows[4].status == "todo" and rows[4].published == "" and rows[4].stance == ""
    assert ids(project, sort="stance", stance_task_id=stance.id)[0] == 2


def test_get_article_keeps_markup_as_text(project):
    view = articles.get_article(project, 4, "ana")
    assert "<b>bold</b>" in view.text and view.quotes == [] and view.mentions == []
    assert articles.get_article(project, 99, "ana") is None


def test_next_unlabelled_skips_done_and_wraps(project):
    labels.set_status(project, 2, "ana", "labelled")
    order = [1, 2, 3, 4]
    assert articles.next_unlabelled(project, "ana", order, 1) == 3
    assert articles.next_unlabelled(project, "ana", order, 4) == 1
    for article_id in (1, 3, 4):
        labels.set_status(project, article_id, "ana", "labelled")
    assert articles.next_unlabelled(project, "ana", order, 1) is None


def test_position_is_remembered_per_annotator(project):
    assert articles.last_position(project, "ana") is None
    articles.remember_position(project, "ana", 3)
    articles.remember_position(project, "ben", 2)
    assert articles.last_position(project, "ana") == 3


def test_fts_query_quotes_every_word():
    assert articles.fts_query("harb") == '"harb"*'
    assert articles.fts_query('"trade talks" tariff') == '"trade talks" "tariff"*'
    assert articles.fts_query("!!!") == ""
