"""Every model passes Qt's model tester; the article list pages rows instead of holding them all."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.core.articles import ArticleQuery, get_article
from annotator.core.scheme import load_scheme
from annotator.gui import article_list, quotes_model
from annotator.gui.article_list import ArticleListModel, SortRole
from annotator.gui.quotes_model import QuoteTableModel


def test_article_list_model_passes_modeltester(qtmodeltester, small_project):
    stance = load_scheme(small_project).stance_task()
    model = ArticleListModel(small_project, ArticleQuery(annotator="ana", stance_task_id=stance.id))
    qtmodeltester.check(model)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    assert model.data(model.index(0, article_list.COL_STATUS)) == "to do"
    assert model.data(model.index(0, article_list.COL_STATUS), SortRole) == "todo"


def test_quote_model_passes_modeltester(qtmodeltester, small_project):
    model = QuoteTableModel()
    view = get_article(small_project, 1, "ana")
    model.set_quotes(view.quotes, {1: "against"})
    qtmodeltester.check(model)
    assert model.data(model.index(0, quotes_model.COL_SNIPPET)) == "This bridge connects people,"
    assert model.data(model.index(0, quotes_model.COL_FORM)) == "direct"
    assert model.data(model.index(0, quotes_model.COL_SPEAKER)) == "Helena Okafor"
    assert model.data(model.index(0, quotes_model.COL_STANCE)) == "against"
    assert model.data(model.index(1, quotes_model.COL_STATUS)) == "auto"
    assert model.data(model.index(0, quotes_model.COL_CONFIDENCE)) == "0.93"


def test_article_list_reads_only_the_pages_it_shows(small_project, monkeypatch):
    db = small_project.db
    db["articles"].insert_all(
        ({"uid": f"bulk{i}", "title": f"Article {i}", "text": "words"} for i in range(1000)), batch_size=500)
    calls = []
    real = article_list.article_rows
    monkeypatch.setattr(article_list, "article_rows", lambda *a, **k: calls.append(len(a[1])) or real(*a, **k))
    model = ArticleListModel(small_project, ArticleQuery(annotator="ana"))
    assert model.rowCount() == 1003 and calls == []
    assert model.data(model.index(900, 0)) == "Article 897"
    assert calls == [article_list.PAGE_SIZE]
    model.data(model.index(901, 1))
    assert len(calls) == 1  # same page, from the cache
