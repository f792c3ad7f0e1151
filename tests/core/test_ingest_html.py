"""Saved web pages: one article with its metadata; navigation, ads, scripts and comments left out."""

from __future__ import annotations

import pickle
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.ingest import ReadOptions, html, read_source
from annotator.core.ingest.options import MAX_WHOLE_FILE_BYTES
from annotator.core.ingest.source import Source, iter_sources
from annotator.core.records import Article, ImportProblem

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest"
DEV_PAGES = Path(__file__).parents[2].parent / "shared" / "corpus" / "dev" / "html"


def read_file(path: Path) -> list[Article | ImportProblem]:
    (source,) = list(iter_sources([path]))
    return list(html.read(source, ReadOptions()))


def test_basic_page_gives_one_article_with_its_metadata():
    (article,) = read_file(FIXTURES / "article_basic.html")
    assert article.title == "Library reopens after flood repairs"  # " | The Riverside Post" dropped
    assert article.outlet == "The Riverside Post"
    assert article.authors == ["Helen Marsh"]
    assert article.published == "2024-05-14"
    assert article.url == "https://riversidepost.example/news/2024/05/library-reopens"
    assert article.language == "en"
    assert article.source_index == 0 and article.source_path.endswith("article_basic.html")
    paragraphs = article.text.split("\n")
    assert len(paragraphs) == 5
    assert paragraphs[0].startswith("The central library on Mill Street")
    assert "“That tells you what this building means to the town.”" in paragraphs[1]
    assert "£1.3 million" in article.text


def test_navigation_ads_scripts_comments_and_footer_are_left_out():
    (article,) = read_file(FIXTURES / "article_with_nav_and_ads.html")
    assert article.title == "Port strike ends after overnight talks"
    assert article.outlet == "Coastline Daily"
    assert article.url == "https://coastline.example/business/port-strike-ends"
    assert article.published == "2023-09-02"
    assert article.text.startswith("Dock workers at the container port")
    assert article.text.endswith("clear the backlog.")
    for furniture in (
        "Home",
        "Sport",
        "ADVERTISEMENT",
        "SPONSORED",
        "Most read",
        "READER COMMENT",
        "Privacy",
        "Copyright",
        "SCRIPT TEXT",
        "window.ads",
        "color: red",
    ):
        assert furniture not in article.text


def test_declared_windows_1252_is_respected():
    (article,) = read_file(FIXTURES / "article_cp1252_meta.html")
    assert article.title == "Neue Fähre für die Insel"
    assert article.outlet == "Nordküsten-Bote" and article.authors == ["Jörg Weiß"]
    assert article.language == "de"
    assert "„Wir haben lange darauf gewartet“" in article.text and "9,5 Millionen €" in article.text


def test_utf16_page_with_bom(tmp_path):
    page = (FIXTURES / "article_basic.html").read_text(encoding="utf-8").replace('<meta charset="utf-8">', "")
    path = tmp_path / "utf16.html"
    path.write_bytes(page.encode("utf-16"))
    (article,) = read_file(path)
    assert article.title == "Library reopens after flood repairs" and "£1.3 million" in article.text


def test_page_without_article_text_is_a_problem_naming_the_file():
    (problem,) = read_file(FIXTURES / "no_article_text.html")
    assert isinstance(problem, ImportProblem)
    assert problem.path.endswith("no_article_text.html") and "no article text" in problem.message


def test_binary_bytes_named_html_are_a_problem(tmp_path):
    path = tmp_path / "photo.html"
    path.write_bytes(bytes(range(256)) * 20)
    (problem,) = read_file(path)
    assert isinstance(problem, ImportProblem) and problem.path == str(path)


def test_oversized_page_is_refused_before_reading():
    source = Source(path="huge.html", suffix=".html", size=MAX_WHOLE_FILE_BYTES + 1, fs_path="/nonexistent")
    (problem,) = list(html.read(source, ReadOptions()))
    assert isinstance(problem, ImportProblem) and "too large" in problem.message


def test_dispatcher_sends_html_here():
    (source,) = list(iter_sources([FIXTURES / "article_basic.html"]))
    (article,) = list(read_source(source))
    assert article.title == "Library reopens after flood repairs"


def test_parse_html_runs_in_a_process_pool():
    pickle.dumps(html.parse_html)
    paths = [FIXTURES / "article_basic.html", FIXTURES / "no_article_text.html"]
    with ProcessPoolExecutor(max_workers=2) as pool:
        got = list(pool.map(html.parse_html, [p.read_bytes() for p in paths], [str(p) for p in paths]))
    assert got[0][0].title == "Library reopens after flood repairs"
    assert isinstance(got[1], ImportProblem)


@pytest.mark.skipif(not DEV_PAGES.is_dir(), reason="shared dev corpus not present")
@pytest.mark.parametrize(
    "page", sorted(DEV_PAGES.glob("*.html")) if DEV_PAGES.is_dir() else [], ids=lambda p: p.name
)
def test_every_dev_page_gives_an_article(page):
    (article,) = read_file(page)
    assert isinstance(article, Article), str(article)
    assert article.title and len(article.text) >= 500
    assert article.outlet and article.url and article.published
    for furniture in ("Filed under", "Trending On", "Like us on Facebook", "Privacy Policy", "Terms of Use"):
        assert furniture not in article.text


def _check(got) -> None:
    if isinstance(got, ImportProblem):
        return
    assert isinstance(got, list)
    for article in got:
        assert isinstance(article, Article) and article.text.strip()


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=3000))
def test_random_bytes_never_raise(data):
    _check(html.parse_html(data, "random.html"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(max_size=800),
    st.sampled_from(["", "<html><body><p>", "<meta charset='utf-8'><article>", "<?xml "]),
)
def test_random_unicode_markup_never_raises(text, prefix):
    _check(html.parse_html((prefix + text).encode("utf-8", "surrogatepass"), "random.html"))
