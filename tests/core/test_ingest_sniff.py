"""Markup files go to their reader by content, not by name: a news-database export saved as .html
(or .htm, .xml) to its own reader, any other page to the web-page extractor."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annotator.core.ingest.sniff import markup_format
from tests.core.ingest_helpers import read_all

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest"


@pytest.mark.parametrize("fixture, reader", [
    ("factiva_en_two_articles.html", "factiva-html"),
    ("factiva_coded_en.html", "factiva-html"),
    ("factiva_zh_article.html", "factiva-html"),
    ("factiva_search_results.html", "factiva-html"),
    ("nexis_uk_en_three_docs.html", "nexis-html"),
    ("nexis_uk_de_two_docs.html", "nexis-html"),
    ("factiva_pps_two.xml", "factiva-xml"),
    ("article_basic.html", None),
    ("article_with_nav_and_ads.html", None),
])
def test_formats_told_by_content(fixture, reader):
    assert markup_format((FIXTURES / fixture).read_bytes()) == reader


@pytest.mark.parametrize("fixture, renamed, reader", [
    ("factiva_pps_two.xml", "delivery.html", "factiva-xml"),
    ("nexis_uk_en_three_docs.html", "export.htm", "nexis-html"),
    ("factiva_en_two_articles.html", "export.xhtml", "factiva-html"),
    ("article_basic.html", "page.htm", "html"),
])
def test_the_file_name_does_not_decide(tmp_path, fixture, renamed, reader):
    path = tmp_path / renamed
    shutil.copy(FIXTURES / fixture, path)
    articles, _ = read_all(path)
    assert articles and {a.reader for a in articles} == {reader}


def test_a_page_that_only_mentions_factiva_stays_a_web_page():
    page = (FIXTURES / "article_basic.html").read_bytes().replace(b"</p>", b" Figures from Factiva.</p>", 1)
    assert markup_format(page) is None
