"""Hostile input into every importer and the detector: huge lines, deep JSON, broken CSV, random zip
archives, Word and HTML files. Problems come back as values naming the file (and the line or row
where there is one); nothing raises, in the readers or in a whole import into a project."""

import io
import json
import warnings
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.detect import detect
from annotator.core.importer import import_paths
from annotator.core.ingest.options import MAX_ARTICLE_CHARS
from annotator.core.records import Article, ImportProblem
from annotator.core.store import open_project
from tests.core.ingest_helpers import read_all

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                         HealthCheck.too_slow,
                                                                         HealthCheck.data_too_large])
FEW = settings(FUZZ, max_examples=12)
MANY = settings(FUZZ, max_examples=150)
SUFFIXES = [".txt", ".json", ".jsonl", ".csv", ".tsv", ".html", ".docx"]


def _check(path, articles, problems):
    assert all(isinstance(a, Article) and a.text.strip() for a in articles)
    assert all(isinstance(p, ImportProblem) for p in problems)
    assert all(path.name in p.path for p in problems), [p.path for p in problems]
    assert all(len(a.text) <= MAX_ARTICLE_CHARS for a in articles)


def _read(path):
    articles, problems = read_all(path)
    _check(path, articles, problems)
    return articles, problems


# --- huge lines ---------------------------------------------------------------------------------------


@FEW
@given(size=st.sampled_from([1, 1_000, 100_000, 3_000_000, 11_000_000]), char=st.sampled_from(["a", " ", "\u00e9", "\"", ",", "\t", "\0", "{"]),
       suffix=st.sampled_from(SUFFIXES[:6]))
def test_one_huge_line(tmp_path, size, char, suffix):
    path = tmp_path / f"huge line{suffix}"
    head = {".csv": "title,text\nx,", ".tsv": "title\ttext\nx\t", ".jsonl": '{"text": "'}.get(suffix, "")
    path.write_text(head + char * size, encoding="utf-8")
    articles, problems = _read(path)
    assert articles or problems


def test_jsonl_line_longer_than_any_article_names_its_line(tmp_path):
    path = tmp_path / "dump.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(json.dumps({"title": "ok", "text": "A fine article."}) + "\n")
        fh.write(json.dumps({"title": "big", "text": "x" * (MAX_ARTICLE_CHARS * 2 + 10)}) + "\n")
    articles, problems = _read(path)
    assert problems and problems[-1].line == 2


# --- deep JSON ------------------------------------------------------------------------------------------


@FEW
@given(depth=st.sampled_from([50, 1_000, 5_000, 50_000, 200_000]), opener=st.sampled_from(['[', '{"a":', '{"text":', '[{"text":']),
       closed=st.booleans(), suffix=st.sampled_from([".json", ".jsonl"]))
def test_deeply_nested_json(tmp_path, depth, opener, closed, suffix):
    closer = {"[": "]", '{"a":': "}", '{"text":': "}", '[{"text":': "}]"}[opener]
    body = opener * depth + "1" + (closer * depth if closed else "")
    path = tmp_path / f"deep{suffix}"
    path.write_text(body if suffix == ".json" else '{"text": "first line is fine"}\n' + body + "\n")
    articles, problems = _read(path)
    assert articles or problems
    if suffix == ".jsonl" and problems:
        assert problems[0].line == 2


# --- CSV quoting --------------------------------------------------------------------------------------


CELL = st.lists(st.sampled_from(list('ab é,;"\n\r\t\'\\') + ["\0", '""', "\u2028"]), max_size=20).map("".join)


@MANY
@given(rows=st.lists(st.lists(CELL, min_size=1, max_size=5), max_size=8),
       delimiter=st.sampled_from([",", ";", "\t"]), suffix=st.sampled_from([".csv", ".tsv"]),
       bom=st.booleans())
def test_csv_with_any_quoting(tmp_path, rows, delimiter, suffix, bom):
    path = tmp_path / f"table{suffix}"
    header = delimiter.join(["title", "text"])
    body = "\n".join(delimiter.join(cells) for cells in rows)
    path.write_bytes(("\ufeff" if bom else "").encode() + (header + "\n" + body).encode("utf-8"))
    articles, problems = _read(path)
    assert articles or problems
    for p in problems:
        if "field" in p.message or "malformed" in p.message:
            assert p.line is not None or p.row is not None, p


# --- zip archives ---------------------------------------------------------------------------------------

GOOD = {
    ".txt": b"Harbour news\n\nThe council met on Tuesday. \"We agree,\" said the mayor.\n",
    ".json": json.dumps({"title": "A", "text": "Some article text."}).encode(),
    ".jsonl": (json.dumps({"title": "B", "text": "Line article."}) + "\n").encode(),
    ".csv": b"title,text\nC,Row article text.\n",
    ".html": b"<html><head><title>D</title></head><body><article><p>Body of the page.</p></article></body></html>",
}
MEMBER_NAME = st.tuples(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\0/\\"), min_size=1,
            max_size=12),
    st.sampled_from(SUFFIXES + [".zip", ".bin", ""]),
    st.sampled_from(["", "sub/", "../", "/abs/", "__MACOSX/", ".hidden/", "a/b/c/"]),
).map(lambda t: t[2] + t[0] + t[1])
MEMBER_DATA = st.one_of(st.binary(max_size=2000), st.sampled_from(list(GOOD.values())),
                        st.text(max_size=500).map(lambda s: s.encode("utf-8")))


@st.composite
def zip_archives(draw):
    warnings.filterwarnings("ignore", "Duplicate name", UserWarning)  # duplicate member names are wanted here
    buf = io.BytesIO()
    method = draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
    with zipfile.ZipFile(buf, "w", method) as archive:
        for name, data in draw(st.lists(st.tuples(MEMBER_NAME, MEMBER_DATA), max_size=8)):
            archive.writestr(name, data)
    data = buf.getvalue()
    damage = draw(st.sampled_from(["none", "truncate", "flip"]))
    if damage == "truncate" and data:
        data = data[: draw(st.integers(0, len(data)))]
    elif damage == "flip" and data:
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1:]
    return data


@MANY
@given(data=zip_archives())
def test_random_zip_archives(tmp_path, data):
    path = tmp_path / "archive.zip"
    path.write_bytes(data)
    _read(path)


@settings(FUZZ, max_examples=25)
@given(data=zip_archives())
def test_random_zip_archive_imported_into_a_project(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("zipimport")
    path = folder / "archive.zip"
    path.write_bytes(data)
    project = open_project(folder / "p.db")
    try:
        report = import_paths(project, [path], workers=1, detect=True)
        for f in report.files:
            assert "archive.zip" in f.path
            assert f.status in ("imported", "duplicate", "failed", "skipped")
            if f.status == "failed":
                assert f.message
        stored = project.db["articles"].count
        assert stored == report.imported_articles
        assert project.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        project.close()


# --- Word and HTML ---------------------------------------------------------------------------------


XMLISH = st.lists(st.one_of(st.sampled_from(["<w:p>", "</w:p>", "<w:r>", "</w:r>", "<w:t>", "</w:t>", "<w:br/>",
                                             "&amp;", "&bogus;", "<!DOCTYPE x [<!ENTITY a 'aaaa'>]>", "&a;",
                                             "<![CDATA[", "]]>", "<?xml version='1.0'?>"]),
                            st.text(max_size=10)), max_size=40).map("".join)


@MANY
@given(document=XMLISH, wrap=st.booleans(), content_types=st.booleans())
def test_random_docx_packages(tmp_path, document, wrap, content_types):
    if wrap:
        document = ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                    f"<w:body>{document}</w:body></w:document>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        if content_types:
            archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.'
                             'openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType='
                             '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                             '</Types>')
        archive.writestr("word/document.xml", document)
    path = tmp_path / "report.docx"
    path.write_bytes(buf.getvalue())
    _read(path)


HTMLISH = st.lists(st.one_of(st.sampled_from(["<html>", "<head>", "<title>", "</title>", "<meta charset='x-bogus'>",
                                              "<meta charset=\"utf-16\">", "<body>", "<article>", "<p>", "</p>",
                                              "<script>alert(1)</script>", "<!--", "-->", "<b>", "<a href='x'>",
                                              "<img src=x onerror=alert(1)>", "&nbsp;", "&#0;", "&#xD800;",
                                              "<div" * 3, "</div>" * 3, "<![CDATA[", "\0"]),
                             st.text(max_size=15)), max_size=60).map("".join)


@MANY
@given(page=HTMLISH, encoding=st.sampled_from(["utf-8", "utf-16", "latin-1"]))
def test_random_html(tmp_path, page, encoding):
    path = tmp_path / "page.html"
    path.write_bytes(page.encode(encoding, errors="replace"))
    _read(path)


@FEW
@given(depth=st.integers(100, 20_000))
def test_deeply_nested_html(tmp_path, depth):
    path = tmp_path / "nested.html"
    path.write_text("<html><body>" + "<div>" * depth + "Text deep inside. " * 20 + "</div>" * depth + "</body></html>")
    _read(path)


# --- the detector --------------------------------------------------------------------------------------


MARKS = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e\u201a\u2039\u203a`\u300c\u300d"
WORDISH = st.one_of(st.sampled_from(list(MARKS)), st.sampled_from([" ", "\n", "\n\n", "\r\n", "\t", ", ", ". ",
                                                                   " said ", " told reporters", "Anna Berg",
                                                                   "don't", "rock 'n' roll", "the '90s", "Ms.",
                                                                   "\u00a0", "\u200b", "\ufeff"]),
                    st.text(max_size=6))


def _spans_ok(text):
    det = detect(text)
    for q in det.quotes:
        assert 0 <= q.start <= q.end <= len(text)
        if q.speaker_start is not None:
            assert 0 <= q.speaker_start <= q.speaker_end <= len(text)
    for m in det.mentions:
        assert text[m.start:m.end] == m.text
    return det


@settings(FUZZ, max_examples=300)
@given(st.lists(WORDISH, max_size=200).map("".join))
def test_detector_on_quote_marks_apostrophes_and_newlines(text):
    _spans_ok(text)


@FEW
@given(sentence=st.lists(WORDISH, min_size=1, max_size=30).map("".join), repeat=st.integers(100, 1_000))
def test_detector_on_very_long_paragraphs(sentence, repeat):
    _spans_ok((sentence + " ") * repeat)
