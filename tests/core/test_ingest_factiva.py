"""Factiva exports saved as HTML: one article per article block, in the current and the coded layout,
in any interface language; the page around the articles is dropped."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.ingest import ReadOptions, factiva
from annotator.core.ingest.source import iter_sources
from annotator.core.records import Article, ImportProblem
from tests.core.ingest_helpers import read_all

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest"
FURNITURE = ("Factiva", "Search Summary", "Document HBRG", "Full Text", "Copyright", "words", "Dow Jones")


def test_english_interface_gives_each_article_with_its_fields():
    articles, problems = read_all(FIXTURES / "factiva_en_two_articles.html")
    assert problems == []
    first, second = articles
    assert first.reader == second.reader == "factiva-html"
    assert first.title == "Ferry pier to be rebuilt after council vote"
    assert first.outlet == "The Harbour Gazette"
    assert first.published == "2024-03-12"
    assert first.authors == ["Mira Olsen", "Tom Vik"]
    assert first.language == "en"
    assert first.source_id == "factiva:HBRG000020240312ek3c0001a"
    assert first.text.startswith("The town council voted 6 to 3") and first.text.endswith("in the spring.")
    assert "ending months of debate." in first.text  # a highlighted search word stays a word
    assert first.text.count("\n\n") == 2  # a paragraph each
    assert (second.title, second.published, second.authors) == ("A pier worth the wait", "2024-03-13", [])
    assert second.source_id == "factiva:HBRG000020240313ek3d0002b"
    assert [a.source_index for a in articles] == [0, 1]
    for article in articles:
        for word in FURNITURE:
            assert word not in article.text, word


def test_german_interface_windows_1252_under_a_utf8_declaration():
    (article,), problems = read_all(FIXTURES / "factiva_de_cp1252.html")
    assert problems == []
    assert article.title == "Streik bei der Stadtbahn: Pendler müssen umplanen"
    assert article.authors == ["Max Müller"]  # "Von" is the German "By"
    assert (article.published, article.language) == ("2024-11-12", "de")
    assert article.outlet == "Neue Rheinische Rundschau"
    assert article.source_id == "factiva:RUND000020241112ekbc0003c"  # from "Dokument ..."
    assert "Beschäftigten" in article.text and "Dokument" not in article.text


def test_chinese_interface_dates_word_counts_and_languages():
    articles, problems = read_all(FIXTURES / "factiva_zh_article.html")
    assert problems == []
    english, chinese = articles
    assert (english.published, english.language, english.outlet) == ("2018-05-28", "en", "The Valley Post")
    assert english.authors == ["Tomas Ek"]
    assert (chinese.title, chinese.published, chinese.language) == ("港口渡轮票价维持不变", "2018-05-29", "zh")
    assert chinese.outlet == "海港日报"  # after the date and the time line
    assert chinese.text == "市议会星期二投票决定维持渡轮票价。\n\n市长说：“票价将保持不变。”"
    assert chinese.source_id == "factiva:ZHRB000020180529ee5t0005e"


def test_the_older_layout_with_field_codes():
    articles, problems = read_all(FIXTURES / "factiva_coded_en.html")
    assert problems == []
    first, second = articles
    assert (first.title, first.outlet, first.published) == ("Ferry operator posts record summer", "Coastal Times",
                                                            "2019-09-05")
    assert (first.authors, first.language) == (["Ann Lee"], "en")
    assert first.source_id == "factiva:COASTT0020190905ef950001x"
    assert first.text.startswith("The island ferry carried")  # LP, then TD
    assert first.text.endswith("Fares will not change next year.")
    for code in ("NS", "RE", "c151", "Earnings", "Norway", "Document", "(c) 2019"):
        assert code not in first.text
    assert second.text == "The repaired crane lifted its first container on Friday."  # LP only, no TD


def test_a_search_results_page_is_refused_with_a_reason(tmp_path):
    articles, problems = read_all(FIXTURES / "factiva_search_results.html")
    assert articles == []
    (problem,) = problems
    assert problem.path.endswith("factiva_search_results.html") and not problem.note
    assert "no articles" in problem.message and "search results" in problem.message
    assert problem.reader == "factiva-html"


def test_a_cut_off_export_keeps_the_whole_articles_and_names_the_cut_one(tmp_path):
    page = (FIXTURES / "factiva_en_two_articles.html").read_bytes()
    cut = page[: page.index(b"needs a pier")]
    path = tmp_path / "cut.html"
    path.write_bytes(cut)
    articles, problems = read_all(path)
    assert [a.title for a in articles] == ["Ferry pier to be rebuilt after council vote"]
    (note,) = problems
    assert note.note and "document 2" in note.message and "cut off" in note.message
    assert "A pier worth the wait" in note.message


def test_a_file_mixing_a_factiva_and_a_nexis_export(tmp_path):
    """Read by the reader of the export that comes first; the other's documents named as left out."""
    path = tmp_path / "mixed.html"
    path.write_bytes((FIXTURES / "factiva_en_two_articles.html").read_bytes()
                     + (FIXTURES / "nexis_uk_en_three_docs.html").read_bytes())
    articles, problems = read_all(path)
    assert [a.reader for a in articles] == ["factiva-html"] * 2
    (note,) = problems
    assert note.note and note.path == str(path)
    assert "3 Nexis documents" in note.message and "after Factiva article 2" in note.message
    assert "mixes two exports" in note.message
    assert note.line is not None and note.line > 30
    assert not any("lives by the water" in a.text and a.title != "A pier worth the wait" for a in articles)


def test_an_article_without_paragraphs_is_left_out_and_named(tmp_path):
    page = (FIXTURES / "factiva_en_two_articles.html").read_text(encoding="utf-8")
    start = page.index('<p class="articleParagraph enarticleParagraph">The council made')
    end = page.index("<p>The Harbour Gazette (Full Text)</p><p>Document HBRG000020240313")
    path = tmp_path / "nobody.html"
    path.write_text(page[:start] + page[end:], encoding="utf-8")
    articles, problems = read_all(path)
    assert len(articles) == 1
    (note,) = problems
    assert note.note and "document 2 ('A pier worth the wait') left out" in note.message


def test_memory_stays_flat_however_many_articles(tmp_path):
    page = (FIXTURES / "factiva_en_two_articles.html").read_text(encoding="utf-8")
    start = page.index('<div id="article-HBRG000020240312ek3c0001a"')
    end = page.index('<div id="article-HBRG000020240313ek3d0002b"')
    block = page[start:end]

    def peak(n):
        path = tmp_path / f"big{n}.html"
        blocks = (block.replace("0001a", f"{i:05d}").replace("6 to 3", f"6 to {i}") for i in range(n))
        path.write_text(page[:start] + "".join(blocks) + page[end:], encoding="utf-8")
        (source,) = iter_sources([path])
        tracemalloc.start()
        count = sum(isinstance(got, Article) for got in factiva.read(source, ReadOptions()))
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert count == n + 1
        return top

    assert peak(4000) < 2 * peak(200) + 500_000


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([
    '<div class="article enArticle">', "</div>", '<div id="hd"><span class="enHeadline">H</span></div>',
    "<div>12 words</div>", "<div>3 January 2020</div>", "<div>Outlet</div>", "<div>",
    '<p class="articleParagraph enarticleParagraph">Some text.</p>', "<p>Document ABCD000020200103eg1300001</p>",
    "<table><tr><td class='index'><b>HD</b></td><td>x</td></tr>", "<!--", "-->", "\x00", "\ufffd", "&amp;", "<",
]), max_size=40), st.binary(max_size=200))
def test_random_pages_give_articles_or_problems(tmp_path_factory, parts, tail):
    path = tmp_path_factory.mktemp("factiva") / "page.html"
    path.write_bytes(b"<html><head><title>Factiva</title></head><body>" + "".join(parts).encode() + tail)
    articles, problems = read_all(path)
    assert all(a.text.strip() and a.reader == "factiva-html" for a in articles)
    assert all(isinstance(p, ImportProblem) and p.path == str(path) for p in problems)


def test_the_text_shortcut_for_childless_elements_gives_the_serialised_text():
    """_text reads a childless element's .text directly: the same as serialising it (every element of the fixtures)."""
    from lxml import etree

    checked = 0
    for path in sorted(FIXTURES.glob("factiva_*.html")):
        tree = etree.parse(str(path), etree.HTMLParser(remove_comments=True))
        for element in tree.iter("p", "div", "td", "span", "b"):
            serialised = etree.tostring(element, method="text", encoding="unicode", with_tail=False).strip()
            assert factiva._text(element) == " ".join(serialised.split())
            checked += 1
    assert checked > 50
