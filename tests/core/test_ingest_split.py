"""A big Factiva or Nexis HTML export read in parts by the reader processes stores and reports exactly
what reading it whole stores and reports: clean exports, and the bad ones (cut off, mixed with another
export, a search-results page, a document without body), whose messages name the file and document."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core import importer
from annotator.core.ingest import split
from annotator.core.ingest.source import iter_sources
from annotator.core.store import open_project
from tests.paths import SHARED

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest"
_ARTICLES = ("SELECT uid, title, outlet, authors, published, url, language, text, source_path, source_index, "
             "source_id FROM articles ORDER BY id")
_REPORT = "SELECT path, status, message, line, row, article_count, duplicate_count, reader FROM imports ORDER BY id"


def _words(i: int, n: int = 12) -> str:
    vocabulary = ["harbour", "council", "ferry", "budget", "pier", "vote", "tide", "market", "school", "bridge"]
    return " ".join(vocabulary[(i * 7 + k * 3) % len(vocabulary)] for k in range(n)).capitalize()


def factiva_page(n: int) -> str:
    blocks = []
    for i in range(n):
        accession = f"HBRG000020240313ek{i:07d}"
        paras = "".join(f'<p class="articleParagraph enarticleParagraph">{_words(i + k)} {i}.  </p>\n'
                        for k in range(4))
        blocks.append(
            f'<div id="article-{accession}" class="article"><div class="article enArticle"><p>\n</p>'
            f'<div>News; 3</div>\n<div id="hd"><span class="enHeadline">Story {i}: {_words(i, 5)}  </span>\n</div>'
            f'<div class="author">By Ann Lee  </div><div>{40 + i} words</div><div>13 March 2024</div>'
            f"<div>The Harbour Gazette</div><div>HBRG</div><div>English</div>"
            f"<div>Copyright 2024 Gazette Ltd.</div>\n<p></p>\n{paras}"
            f"<p>The Harbour Gazette (Full Text)</p><p>Document {accession}</p></div></div><br><span></span>\n"
        )
    return ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><title>Factiva</title>'
            '</head><body><div id="navcontainer"><h1>Factiva</h1></div><form name="PageBaseForm" method="post">'
            '<div id="contentWrapper"><div id="contentLeft"><span></span>\n' + "".join(blocks)
            + "</div></div></form></body></html>\n")


def nexis_page(n: int) -> str:
    docs = []
    for i in range(1, n + 1):
        paras = "".join(f'<P CLASS="c9"><SPAN CLASS="c2">{_words(i + k)} {i}.</SPAN></P>\n' for k in range(4))

        def field(label, value):
            return (f'<BR><DIV CLASS="c5"><P CLASS="c6"><SPAN CLASS="c8">{label}: </SPAN>'
                    f'<SPAN CLASS="c2">{value}</SPAN></P>\n</DIV>\n')

        docs.append(
            f'<A NAME="DOC_ID_{i}_0"></A><!-- Hide XML section from browser\n<DOC NUMBER=1>\n<DOCFULL> -->\n'
            f'<BR><DIV CLASS="c0"><P CLASS="c1"><SPAN CLASS="c2">{i} of {n} DOCUMENTS</SPAN></P>\n</DIV>\n'
            f'<BR><DIV CLASS="c0"><BR><P CLASS="c1"><SPAN CLASS="c2">The Harbour Gazette</SPAN></P>\n</DIV>\n'
            f'<BR><DIV CLASS="c3"><P CLASS="c1"><SPAN CLASS="c2">March 13, 2024 Wednesday</SPAN></P>\n</DIV>\n'
            f'<BR><DIV CLASS="c5"><P CLASS="c6"><SPAN CLASS="c7">Story {i}: {_words(i, 5)}</SPAN></P>\n</DIV>\n'
            + field("BYLINE", "Ann Lee") + field("SECTION", "NEWS; Pg. 3") + field("LENGTH", f"{40 + i} words")
            + f'<BR><DIV CLASS="c5">{paras}</DIV>\n' + field("LOAD-DATE", "March 14, 2024")
            + field("LANGUAGE", "ENGLISH")
            + '<!-- Hide XML section from browser\n</DOCFULL>\n</DOC> -->\n'
        )
    return ("<HTML>\n<HEAD>\n<TITLE>&nbsp;</TITLE>\n</HEAD>\n<BODY>\n"
            '<DIV CLASS="c5"><P CLASS="c6"><SPAN CLASS="c12">Download Request: Selected Items: 1-'
            f"{n}<BR>Terms: harbour<BR></SPAN></P>\n</DIV>\n" + "".join(docs) + "</BODY></HTML>\n")


@pytest.fixture
def small_parts(monkeypatch):
    """Every file is 'big' (read by the importer's big-file path) and cut in parts of a few documents."""
    monkeypatch.setattr(importer, "POOL_MAX_BYTES", 1000)
    monkeypatch.setattr(split, "PART_BYTES", 6000)


def _imported(tmp_path: Path, path: Path, workers: int, name: str):
    project = open_project(tmp_path / f"{name}-{workers}.db")
    try:
        report = importer.import_paths(project, [path], detect=False, workers=workers)
        return (report.summary(), project.conn.execute(_ARTICLES).fetchall(),
                project.conn.execute(_REPORT).fetchall())
    finally:
        project.close()


def _same_both_ways(tmp_path: Path, path: Path):
    """Imported whole (one process) and in parts (two): the same articles, the same report rows."""
    whole = _imported(tmp_path, path, 1, path.stem + "-whole")
    parts = _imported(tmp_path, path, 2, path.stem + "-parts")
    assert parts == whole
    return whole


def _parts_of(path: Path, reader: str) -> list[split.Part]:
    (source,) = list(iter_sources([path]))
    return list(split.plan_parts(source, reader))


@pytest.mark.parametrize("kind", ["factiva", "nexis"])
def test_a_clean_export_read_in_parts_is_stored_as_read_whole(tmp_path, small_parts, kind):
    path = tmp_path / f"{kind}.html"
    path.write_text(factiva_page(60) if kind == "factiva" else nexis_page(60), encoding="utf-8")
    reader = "factiva-html" if kind == "factiva" else "nexis-html"
    parts = _parts_of(path, reader)
    assert len(parts) > 5 and parts[0].first and parts[-1].last and parts[-1].end == path.stat().st_size
    assert sum(p.documents for p in parts) == 60
    got = [split.read_part(p) for p in parts]
    assert all(g is not None for g in got)  # each part taken alone: the fast way is the one used
    assert [a.title for g in got for a in g[0]] == [f"Story {i}: {_words(i, 5)}" for i in
                                                    (range(60) if kind == "factiva" else range(1, 61))]
    summary, articles, report = _same_both_ways(tmp_path, path)
    assert len(articles) == 60 and [a[9] for a in articles] == list(range(60))
    assert report[0][-1] == reader and report[0][1] == "imported"


@pytest.mark.parametrize("kind", ["factiva", "nexis"])
def test_a_cut_off_export_is_named_the_same_way_in_parts(tmp_path, small_parts, kind):
    page = factiva_page(40) if kind == "factiva" else nexis_page(40)
    path = tmp_path / f"{kind}-cut.html"
    path.write_text(page[: page.index("Story 33:") + 200], encoding="utf-8")
    assert split.read_part(_parts_of(path, f"{kind}-html")[-1]) is None  # said by reading the whole file
    summary, articles, report = _same_both_ways(tmp_path, path)
    cut = 34 if kind == "factiva" else 33  # (Factiva's stories count from 0, Nexis's from 1)
    assert f"document {cut} " in report[0][2] and "cut off" in report[0][2] and report[0][0] == str(path)
    assert len(articles) == cut - 1


def test_a_file_mixing_two_exports_is_named_the_same_way_in_parts(tmp_path, small_parts):
    path = tmp_path / "mixed.html"
    path.write_text(factiva_page(30) + nexis_page(5), encoding="utf-8")
    summary, articles, report = _same_both_ways(tmp_path, path)
    assert len(articles) == 30
    assert "5 Nexis documents" in report[0][2] and "after Factiva article 30" in report[0][2]
    path = tmp_path / "mixed-nexis.html"
    path.write_text(nexis_page(30) + factiva_page(3), encoding="utf-8")
    summary, articles, report = _same_both_ways(tmp_path, path)
    assert len(articles) == 30 and "another export (Factiva) after document 30" in report[0][2]


def test_a_document_without_body_and_a_search_results_page_in_parts(tmp_path, small_parts):
    page = factiva_page(30)
    start = page.index('<p class="articleParagraph', page.index("Story 12:"))
    end = page.index("<p>The Harbour Gazette (Full Text)</p>", start)
    path = tmp_path / "nobody.html"
    path.write_text(page[:start] + page[end:], encoding="utf-8")
    summary, articles, report = _same_both_ways(tmp_path, path)
    assert len(articles) == 29 and "document 13 ('Story 12:" in report[0][2] and "no body text" in report[0][2]
    results = tmp_path / "results.html"
    results.write_bytes((FIXTURES / "factiva_search_results.html").read_bytes() * 20)
    summary, articles, report = _same_both_ways(tmp_path, results)
    assert articles == [] and report[0][1] == "failed" and "search results" in report[0][2]


def test_markup_left_open_where_a_part_ends_sends_the_file_to_its_reader_whole(tmp_path, small_parts):
    """A block or a comment not closed inside a document: the part is not taken alone."""
    page = factiva_page(30)
    at = page.index("Story 7:")
    path = tmp_path / "open.html"
    path.write_text(page[:at] + "<div><!-- " + page[at:at + 20] + " --> " + page[at + 20:], encoding="utf-8")
    parts = _parts_of(path, "factiva-html")
    assert any(split.read_part(p) is None for p in parts)
    _same_both_ways(tmp_path, path)


def test_utf8_that_breaks_late_is_read_whole(tmp_path, small_parts):
    """The whole file's reading goes on in Windows-1252 from a broken byte on; a part cannot know that."""
    page = factiva_page(30).encode("utf-8")
    at = page.index(b"Story 20:")
    path = tmp_path / "broken.html"
    path.write_bytes(page[:at] + b"caf\xe9 " + page[at:])
    _same_both_ways(tmp_path, path)


@pytest.mark.parametrize("name", ["factiva_nyt_1993-01-03.html", "nexis_uk_spiegel_2012-02-01.html",
                                  "factiva_classic_fr_test.html"])
def test_the_real_exports_in_parts_as_whole(tmp_path, monkeypatch, name):
    path = SHARED / "corpus" / "databases" / name
    if not path.is_file():
        pytest.skip("../shared is not there")
    monkeypatch.setattr(importer, "POOL_MAX_BYTES", 1000)
    monkeypatch.setattr(split, "PART_BYTES", 20_000)
    summary, articles, report = _same_both_ways(tmp_path, path)
    assert articles and report[0][1] == "imported"


@pytest.mark.parametrize("name", ["factiva_en_two_articles.html", "factiva_de_cp1252.html", "factiva_zh_article.html",
                                  "factiva_coded_en.html", "nexis_uk_de_two_docs.html", "nexis_uk_en_three_docs.html"])
def test_our_fixtures_in_parts_as_whole(tmp_path, monkeypatch, name):
    monkeypatch.setattr(importer, "POOL_MAX_BYTES", 100)
    monkeypatch.setattr(split, "PART_BYTES", 200)
    summary, articles, report = _same_both_ways(tmp_path, FIXTURES / name)
    assert articles
