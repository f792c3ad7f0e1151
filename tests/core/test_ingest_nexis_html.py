"""Nexis UK / LexisNexis Academic exports saved as HTML: one article per document, the fields of the
Nexis text export, labels in the export's language, streamed."""

from __future__ import annotations

import re
import tracemalloc
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.ingest import ReadOptions, nexis_html
from annotator.core.ingest.source import iter_sources
from annotator.core.records import Article, ImportProblem
from tests.core.ingest_helpers import read_all

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest"
FURNITURE = ("DOCUMENTS", "Download Request", "BYLINE", "SECTION", "LENGTH", "LOAD-DATE", "LANGUAGE", "Copyright",
             "All Rights Reserved", "AUTOR", "RUBRIK", "LÄNGE", "SPRACHE", "ZEITUNGS-CODE", "Hide XML", "c2", "logo")


def _documents_of(path: Path) -> tuple[str, list[str], str]:
    """(page head, document blocks, page end) of a fixture, to build other exports from it."""
    page = path.read_text(encoding="utf-8")
    marker = '<A NAME="DOC_ID_'
    first = page.index(marker)
    end = page.index("</BODY>")
    blocks, at = [], first
    while True:
        nxt = page.find(marker, at + 1)
        blocks.append(page[at : nxt if nxt != -1 else end])
        if nxt == -1:
            break
        at = nxt
    return page[:first], blocks, page[end:]


def test_english_export_fields_and_a_document_without_text():
    articles, problems = read_all(FIXTURES / "nexis_uk_en_three_docs.html")
    first, third = articles
    assert first.reader == "nexis-html"
    assert first.title == "Ferry pier to be rebuilt after council vote"  # two lines of the headline joined
    assert (first.outlet, first.published, first.language) == ("The Harbour Gazette", "2024-03-12", "en")
    assert first.authors == ["Mira Olsen"]
    assert first.text == ("The town council voted 6 to 3 on Tuesday to rebuild the old ferry pier.\n\n"
                          '"We have waited long enough," said the mayor, Lena Berg.')
    assert third.authors == ["Jane Roe"]  # "Roe, Jane"
    assert third.url == "http://www.coastaltimes.example/opinion/pier"  # the link at the end of HIGHLIGHT
    assert "Why the vote matters" not in third.text
    (note,) = problems
    assert note.note and "document 2 left out" in note.message and "Photo of the day" in note.message
    page_lines = (FIXTURES / "nexis_uk_en_three_docs.html").read_text(encoding="utf-8").splitlines()
    assert "2 of 3 DOCUMENTS" in page_lines[note.line - 1]  # the line of the file, not of the converted text
    for article in articles:
        for word in FURNITURE:
            assert word not in article.text, word


def test_german_labels_are_read_and_a_german_update_word_in_the_text_stays():
    first, second = read_all(FIXTURES / "nexis_uk_de_two_docs.html")[0]
    assert first.title == "Streik bei der Stadtbahn: Pendler müssen umplanen"
    assert (first.published, first.language, first.authors) == ("2024-11-12", "de", ["Max Müller"])
    assert "Update: Die Gewerkschaft hat den Streik bestätigt." in first.text  # prose, not the UPDATE: field
    assert first.text.endswith("auf Busse und Fahrräder auszuweichen.")
    assert second.text.endswith('sagte die Sprecherin.') and "Haltestelle" not in second.text
    for article in (first, second):
        for word in FURNITURE:
            assert word not in article.text, word


def test_a_262_document_export_streams_in_flat_memory(tmp_path):
    head, blocks, end = _documents_of(FIXTURES / "nexis_uk_de_two_docs.html")

    def peak(n):
        path = tmp_path / f"big{n}.html"
        docs = (blocks[i % 2].replace("Mitternacht", f"Mitternacht ({i})") for i in range(n))
        path.write_text(head + "".join(docs) + end, encoding="utf-8")
        (source,) = iter_sources([path])
        tracemalloc.start()
        count = sum(isinstance(got, Article) for got in nexis_html.read(source, ReadOptions()))
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert count == n
        return top

    assert peak(2620) < 2 * peak(262) + 300_000


def test_a_cut_off_export_keeps_the_documents_before_the_cut(tmp_path):
    page = (FIXTURES / "nexis_uk_en_three_docs.html").read_bytes()
    path = tmp_path / "cut.html"
    path.write_bytes(page[: page.index(b"needs a pier")])
    articles, problems = read_all(path)
    assert [a.title for a in articles] == ["Ferry pier to be rebuilt after council vote"]
    cut = [p for p in problems if "cut off" in p.message]
    assert len(cut) == 1 and cut[0].note and "document 3" in cut[0].message


def test_a_page_without_documents_is_refused(tmp_path):
    head, _, end = _documents_of(FIXTURES / "nexis_uk_en_three_docs.html")
    path = tmp_path / "results.html"
    path.write_text(head + end, encoding="utf-8")
    articles, (problem,) = read_all(path)
    assert articles == [] and not problem.note
    assert "no documents" in problem.message and "search results" in problem.message


def test_a_factiva_export_pasted_into_a_nexis_file_is_named_and_left_out(tmp_path):
    head, blocks, end = _documents_of(FIXTURES / "nexis_uk_en_three_docs.html")
    factiva = (FIXTURES / "factiva_en_two_articles.html").read_text(encoding="utf-8")
    factiva_body = factiva[factiva.index('<div id="contentWrapper">') : factiva.index("</form>")]
    path = tmp_path / "mixed.html"
    path.write_text(head + blocks[0] + factiva_body + "".join(blocks[1:]) + end, encoding="utf-8")
    articles, problems = read_all(path)
    assert [a.title for a in articles] == ["Ferry pier to be rebuilt after council vote", "A pier worth the wait"]
    assert all("ferry pier, ending months" not in a.text for a in articles)
    mixed = [p for p in problems if "mixes two exports" in p.message]
    assert len(mixed) == 1 and mixed[0].note
    assert "2 articles of another export (Factiva) after document 1" in mixed[0].message
    assert mixed[0].line is not None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([
    "<DIV>", "</DIV>", "<P>", "</P>", "<BR>", "1 of 2 DOCUMENTS",
    "<!-- Hide XML section\n<DOC NUMBER=1>\n<DOCFULL> -->",
    "<!-- </DOCFULL></DOC> -->", "BYLINE: A", "LENGTH: 5 words", "LOAD-DATE: x", "June 1, 2020", "Body text here.",
    "<", ">", "<!--", "&amp;", "&#xD800;", "\x00", "<style>", "\n", "<div class=\"article enArticle\">",
]), max_size=50), st.binary(max_size=200))
def test_random_pages_give_articles_or_problems(tmp_path_factory, parts, tail):
    path = tmp_path_factory.mktemp("nexis") / "page.html"
    path.write_bytes(b"<HTML><!-- LXNComment --><BODY>" + "".join(parts).encode() + tail)
    (source,) = iter_sources([path])
    for got in nexis_html.read(source, ReadOptions()):
        assert isinstance(got, (Article, ImportProblem))
        if isinstance(got, Article):
            assert got.text.strip()
        else:
            assert got.path == str(path)


def test_a_comment_that_never_closes_does_not_hold_the_whole_file(tmp_path):
    path = tmp_path / "open_comment.html"
    head = (FIXTURES / "nexis_uk_en_three_docs.html").read_bytes()
    path.write_bytes(head + b"<!-- never closed\n" + b"filler line of text\n" * 400_000)
    (source,) = iter_sources([path])
    tracemalloc.start()
    got = list(nexis_html.read(source, ReadOptions()))
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [g.title for g in got if isinstance(g, Article)] == ["Ferry pier to be rebuilt after council vote"]
    assert "longer than" in got[-1].message  # the garbage ran into the last document
    assert top < 40_000_000  # the file is 8 MB; pieces of at most 4 MB are held


def _reference_convert(raw: str) -> str:
    """The markup-to-lines conversion as first written: one pattern a step, nothing skipped."""
    import html
    import re

    blocks = (r"(?:P|p|DIV|div|Div|H[1-6]|h[1-6]|TR|tr|TABLE|table|LI|li|UL|ul|OL|ol|BLOCKQUOTE|blockquote"
              r"|CENTER|center)\b")
    text = re.sub(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>", "", raw, flags=re.S | re.I)
    text = text.replace("\r", " ").replace("\n", " ")
    text = re.sub(r"<(?:BR|br|Br)\s*/?>", "\n", text)
    text = re.sub(r"<" + blocks + r"[^>]*>", "\n", re.sub(r"</" + blocks + r"[^>]*>", "\n\n", text))
    text = html.unescape(re.sub(r"<[^>]*>", "", text))
    for space in ("\xa0", "\t", "\u202f", "\u2007", "\f", "\v"):
        text = text.replace(space, " ")
    text = re.sub(r"  +", " ", text)
    text = re.sub(r" \n ?|\n ", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text)


def test_the_fast_conversion_gives_the_lines_of_the_plain_one():
    """The conversion's shortcuts (str.replace for the commonest tags, blank runs and line edges) change nothing."""
    samples = [path.read_text(encoding="utf-8", errors="replace") for path in sorted(FIXTURES.glob("nexis_uk_*.html"))]
    samples.append(
        "<P>a  <br/>b<Br>c</p >\r\n<DIV CLASS=x> &amp; d&nbsp;\t e </DIV>\n\n\n<BR><BR><BR><span>f</SPAN></P>"
        "<!-- <P>hidden</P> --><script>x<y</script><H2>g</H2>   <li>h</LI><br />i<BR CLASS=k>j &#8217;</BLOCKQUOTE>"
    )
    for raw in samples:
        assert nexis_html.MarkupLines(iter([]))._convert(raw) == _reference_convert(raw)


def _lines_of(path: Path) -> list[str]:
    from annotator.core.ingest.markup import text_pieces

    with open(path, "rb") as binary:
        return list(nexis_html.MarkupLines(text_pieces(binary)))


def test_the_table_of_tag_runs_gives_the_text_of_the_pass_a_step_conversion():
    """markup_text (runs of tags looked up, white space folded only where there is any) gives the
    text of markup_text_plain and of the conversion as first written, on our exports, on the real
    export when it is there, and on markup the table cannot take (a '<' before a tag's end)."""
    from tests.paths import SHARED

    paths = sorted(FIXTURES.glob("nexis_uk_*.html"))
    real = SHARED / "corpus" / "databases" / "nexis_uk_spiegel_2012-02-01.html"
    if real.is_file():
        paths.append(real)
    samples = [path.read_text(encoding="utf-8", errors="replace") for path in paths]
    samples += [
        "a < b <P>c > d</P>",  # the '<' of the text: not a tag's start, the plain passes take the piece
        "  <P> lead</P>  \n  <DIV>&nbsp;x&#10; y</DIV>\n\n",  # entities that become spaces and line breaks
        "<BR>" * 5 + "text" + "</P>" * 4 + "   ",
        "no markup at all,  two  spaces",
        "",
    ]
    for raw in samples:
        want = _reference_convert(raw)
        assert nexis_html.markup_text_plain(raw) == want
        assert nexis_html.markup_text(raw) == want
    if real.is_file():  # and the pieces the reader cuts the file in, as it cuts them
        lines = _lines_of(real)
        assert "\n".join(lines) == "\n".join(_reference_lines(real))


def _reference_lines(path: Path) -> list[str]:
    """The lines of the pass-a-step conversion (the conversion as it was before the table of tag runs)
    of the whole file in one piece: the lines do not depend on where the reader cuts its pieces."""
    from annotator.core.ingest.markup import text_pieces

    with open(path, "rb") as binary:
        text = "".join(text_pieces(binary))
    return nexis_html.markup_text_plain(text).split("\n")


_MARKUP_PARTS = st.sampled_from([
    "<P>", "</P>", "<p class=x>", "</p >", "<DIV CLASS=\"c5\">", "</DIV>", "<div>", "<BR>", "<br/>", "<Br >",
    "<SPAN CLASS=\"c2\">", "</SPAN>", "</span>", "<H2>", "</LI>", "<TABLE>", "<TR>", "<A NAME=\"DOC_ID_1\">", "</A>",
    "<!-- c -->", "<!--", "-->", "<script>x<y</script>", "<STYLE>.c{}</STYLE>", "<", ">", "<>", "< b", "a>",
    " ", "  ", "\n", "\r\n", "\t", "\xa0", "&nbsp;", "&amp;", "&#10;", "&#32;", "&lt;P&gt;", "&uuml;", "&",
    "1 of 2 DOCUMENTS", "Text", "BYLINE: A", "\u2007", "\f",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_MARKUP_PARTS, max_size=40))
def test_random_markup_converts_as_the_plain_conversion(parts):
    """(Not as _reference_convert: the plain conversion's str.replace shortcuts already read "<</SPAN>"
    otherwise; the table must change nothing of what the reader gave before it.)"""
    raw = "".join(parts)
    assert nexis_html.markup_text(raw) == nexis_html.markup_text_plain(raw)


@settings(max_examples=40, deadline=None)
@given(st.lists(_MARKUP_PARTS, max_size=60), st.integers(min_value=1, max_value=5))
def test_lines_and_separator_marks_of_random_pages_are_those_of_the_plain_conversion(tmp_path_factory, parts, docs):
    """Handed-out lines and the file lines of the documents (the old line-by-line count) are unchanged."""
    body = "".join(parts)
    page = "<HTML><BODY>" + "".join(
        f"<!-- Hide XML section\n<DOC NUMBER={i}>\n<DOCFULL> -->\n<DIV><P>{i} of {docs} DOCUMENTS</P></DIV>\n{body}\n"
        "<!-- </DOCFULL></DOC> -->\n" for i in range(1, docs + 1)
    ) + "</BODY></HTML>\n"
    path = tmp_path_factory.mktemp("nexis") / "page.html"
    path.write_text(page, encoding="utf-8")
    from annotator.core.ingest.markup import text_pieces

    with open(path, "rb") as binary:
        lines = nexis_html.MarkupLines(text_pieces(binary))
        got = list(lines)
    want = _reference_lines(path)
    assert got == want
    separators = [n for n, line in enumerate(want, 1) if nexis_html._SEPARATOR_LINE.fullmatch(line)]
    assert lines.documents == len(separators)
    page_lines = page.split("\n")
    # the file line given for each document (for messages) lies in the file and does not go back; where a
    # separator stands in a body rather than at a document mark, it is the line of a mark before it
    given = [lines.source_line(n) for n in separators]
    assert given == sorted(given) and all(1 <= line <= len(page_lines) for line in given)
    marks = [n for n, line in enumerate(page_lines, 1) if "<DOC NUMBER=" in line]
    assert all(line >= marks[0] for line in given[:1])
