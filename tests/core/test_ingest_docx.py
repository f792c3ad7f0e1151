"""Word .docx: Nexis exports give one article a document, other files one article; broken files a problem."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx as python_docx
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.ingest import ReadOptions, read_source
from annotator.core.ingest import docx as docx_reader
from annotator.core.ingest.options import MAX_WHOLE_FILE_BYTES
from annotator.core.ingest.source import Source, iter_sources
from annotator.core.records import Article, ImportProblem

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest"


def read_file(path: Path) -> list[Article | ImportProblem]:
    (source,) = list(iter_sources([path]))
    return list(docx_reader.read(source, ReadOptions()))


def test_nexis_export_in_word_gives_one_article_per_document():
    first, second = read_file(FIXTURES / "nexis_export.docx")
    assert first.title == "Harbour wall repairs to start next month"  # the search summary above is dropped
    assert (first.outlet, first.published, first.authors) == (
        "The Bay Chronicle",
        "2024-04-02",
        ["Aisha Rahman"],
    )
    assert first.language == "en"
    assert first.text.split("\n") == [
        "Contractors will begin repairing the eastern harbour wall in May, the harbour board said on Monday.",
        "\u201cThe winter storms took out whole stretches of stone,\u201d said harbour master Colm Byrne.",
        "The work is expected to last until autumn.",
    ]
    assert (second.title, second.published, second.authors) == (
        "Fishing fleet gets new cold store",
        "2024-04-09",
        ["Tom Haig"],
    )
    assert (
        second.text
        == "A new cold store on the north quay opened on Saturday, letting boats land their catch at night."
    )
    assert [a.source_index for a in (first, second)] == [0, 1]
    for article in (first, second):
        for word in (
            "Body",
            "Length:",
            "Byline:",
            "Load-Date",
            "Classification",
            "End of Document",
            "Copyright",
        ):
            assert word not in article.text


def test_single_article_keeps_title_in_text_and_reads_core_properties():
    (article,) = read_file(FIXTURES / "article_single.docx")
    assert article.title == "School meals to be free for all primary pupils"
    lines = article.text.split("\n")
    assert lines[0] == article.title  # as for .txt: the text reads as the file does
    assert lines[2] == "\u201cNo child should learn on an empty stomach,\u201d said councillor Mei Chen."
    assert lines[3] == "Parents\u2019 groups welcomed the decision."  # soft line break -> new line
    assert lines[4:6] == ["Cost per year", "\u00a34.1 million"]  # table cells in document order
    assert lines[-1] == "The plan will be reviewed after two years."
    assert article.authors == ["Ines Carvalho"] and article.published == "2024-06-03"
    assert article.language == "en"


def test_dispatcher_sends_docx_here():
    (source,) = list(iter_sources([FIXTURES / "nexis_export.docx"]))
    assert len(list(read_source(source))) == 2


def test_python_docx_template_author_and_date_are_not_taken(tmp_path):
    document = python_docx.Document()
    document.add_paragraph("Headline")
    document.add_paragraph("Body text of a short story.")
    path = tmp_path / "plain.docx"
    document.save(path)
    (article,) = read_file(path)
    assert article.authors == [] and article.published is None
    assert article.text == "Headline\nBody text of a short story."


def _problem(path: Path) -> ImportProblem:
    got = read_file(path)
    assert len(got) == 1 and isinstance(got[0], ImportProblem)
    assert got[0].path == str(path)
    return got[0]


def test_not_a_zip_is_a_problem(tmp_path):
    path = tmp_path / "old_word_97.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500)  # OLE2: a .doc renamed
    assert "not a Word .docx file" in _problem(path).message


def test_truncated_docx_is_a_problem(tmp_path):
    path = tmp_path / "truncated.docx"
    path.write_bytes((FIXTURES / "article_single.docx").read_bytes()[:5000])
    assert "damaged" in _problem(path).message


def test_zip_without_word_parts_is_a_problem(tmp_path):
    path = tmp_path / "photos.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("photo.jpg", b"\xff\xd8\xff")
    assert "damaged" in _problem(path).message


def test_docx_with_broken_document_xml_is_a_problem(tmp_path):
    original = zipfile.ZipFile(FIXTURES / "article_single.docx")
    path = tmp_path / "broken_xml.docx"
    with zipfile.ZipFile(path, "w") as archive:
        for info in original.infolist():
            data = b"<w:document broken" if info.filename == "word/document.xml" else original.read(info)
            archive.writestr(info, data)
    assert "damaged" in _problem(path).message


def test_empty_document_is_a_problem(tmp_path):
    path = tmp_path / "blank.docx"
    python_docx.Document().save(path)
    assert "no text" in _problem(path).message


def test_nexis_document_without_body_is_a_problem(tmp_path):
    document = python_docx.Document()
    for text in (
        "Headline only",
        "The Bay Chronicle",
        "April 2, 2024",
        "Length: 0 words",
        "Load-Date: April 3, 2024",
        "End of Document",
    ):
        document.add_paragraph(text)
    path = tmp_path / "no_body.docx"
    document.save(path)
    problem = _problem(path)
    assert "document 1" in problem.message and "no body" in problem.message and problem.line == 1


def test_oversized_docx_is_refused_before_reading():
    source = Source(path="huge.docx", suffix=".docx", size=MAX_WHOLE_FILE_BYTES + 1, fs_path="/nonexistent")
    (problem,) = list(docx_reader.read(source, ReadOptions()))
    assert "too large" in problem.message


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise(data):
    for got in docx_reader.parse_docx(data, "random.docx"):
        assert isinstance(got, (Article, ImportProblem))
    for got in docx_reader.parse_docx(b"PK\x03\x04" + data, "random.docx"):
        assert isinstance(got, (Article, ImportProblem))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=80), max_size=12))
def test_random_paragraphs_never_raise(paragraphs):
    document = python_docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    for got in docx_reader.parse_docx(buffer.getvalue(), "random.docx"):
        assert isinstance(got, (Article, ImportProblem))
        if isinstance(got, Article):
            assert got.text.strip() and got.title
