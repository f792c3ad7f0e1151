"""Nexis batch exports: one Article per document, fields read, header and trailer kept out of the text."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.ingest import ReadOptions, nexis
from annotator.core.ingest.source import iter_sources
from annotator.core.records import Article, ImportProblem

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest"
TRAILER_WORDS = (
    "LOAD-DATE",
    "Load-Date",
    "LANGUAGE",
    "Language:",
    "LENGTH",
    "Length:",
    "SECTION",
    "Section:",
    "BYLINE",
    "Byline:",
    "Copyright",
    "All Rights Reserved",
    "End of Document",
    "Classification",
    "DOCUMENTS",
    "Document 1",
    "PUBLICATION-TYPE",
    "GRAPHIC",
    "URL:",
)


def read_file(path: Path) -> list[Article | ImportProblem]:
    (source,) = list(iter_sources([path]))
    return list(nexis.read(source, ReadOptions()))


def assert_clean_text(article: Article) -> None:
    for word in TRAILER_WORDS:
        assert word not in article.text, f"{word!r} left in the text of {article.title!r}"
    assert article.text == article.text.strip()


def test_classic_cp1252_export_gives_two_documents_with_their_fields():
    first, second = read_file(FIXTURES / "nexis_two_docs_cp1252.txt")
    assert first.title == "Council Votes to Rebuild the Old Ferry Pier After Months of Debate"
    assert first.outlet == "The Harbour Gazette"
    assert first.published == "2024-11-12"
    assert first.authors[0] == "JANE ROE" and first.authors[1].startswith("Tomás Ib")
    assert first.language == "en"
    assert first.url == "http://www.harbourgazette.example/2024/11/12/ferry-pier-vote"
    assert first.text.startswith("The town council voted 6 to 3")
    assert first.text.endswith("Work is due to begin in March.")
    assert "“This pier is how half of the island gets to work,” said the mayor" in first.text
    assert "€4.2 million plan — paid" in first.text and "Dubé" in first.text
    assert (first.source_index, second.source_index) == (0, 1)
    # German export: copyright above the outlet, "12. November 2024" date, fields without blank lines
    assert second.outlet == "Neue Rheinische Rundschau"
    assert second.title == "Streik bei der Stadtbahn: Pendler müssen umplanen"
    assert second.published == "2024-11-12"
    assert second.authors == ["Max Müller"]
    assert second.language == "de"
    assert (
        second.text.startswith("Die Beschäftigten der Stadtbahn")
        and "„Wir haben keine andere Wahl“" in second.text
    )
    for article in (first, second):
        assert_clean_text(article)
        assert article.source_path.endswith("nexis_two_docs_cp1252.txt")


def test_cp1252_letters_outside_cp1250_survive():
    first, _ = read_file(FIXTURES / "nexis_two_docs_cp1252.txt")
    assert first.authors == ["JANE ROE", "Tomás Ibáñez"]


def test_nexis_uni_export_gives_three_documents_and_drops_the_cover_page():
    articles = read_file(FIXTURES / "nexis_uni_three_docs.txt")
    assert [a.title for a in articles] == [
        "Ferry operator adds winter crossings as demand grows",
        "Bus lanes on Shore Road to open in spring",
        "Les navettes fluviales reprennent leur service",
    ]
    assert [a.outlet for a in articles] == ["The Coastal Herald", "Valley Courier", "Le Journal du Port"]
    assert [a.published for a in articles] == ["2025-01-08", "2025-02-03", "2025-03-01"]
    assert [a.authors for a in articles] == [["Sam Okafor"], ["Priya Nair"], []]
    assert [a.language for a in articles] == ["en", "en", "fr"]
    assert articles[2].url == "https://journaldupport.example/navettes"
    assert [a.source_index for a in articles] == [0, 1, 2]
    assert articles[0].text.startswith("The island ferry operator")
    assert articles[0].text.endswith("fares would not change this season.")
    for article in articles:
        assert_clean_text(article)
        assert "Client/Matter" not in article.text and "Search Terms" not in article.title


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "cp1252"])
def test_encodings_decode_to_the_same_articles(tmp_path, encoding):
    text = (FIXTURES / "nexis_uni_three_docs.txt").read_text(encoding="utf-8")
    path = tmp_path / f"export_{encoding}.txt"
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    assert read_file(path) == [
        Article(**{**a.__dict__, "source_path": str(path)})
        for a in read_file(FIXTURES / "nexis_uni_three_docs.txt")
    ]


def test_document_without_body_is_left_out_with_a_note_naming_document_and_line():
    got = read_file(FIXTURES / "nexis_empty_body.txt")
    assert isinstance(got[0], Article) and got[0].title == "Tide tables for the week"
    note = got[-1]
    assert isinstance(note, ImportProblem) and note.note and len(got) == 2
    assert note.path.endswith("nexis_empty_body.txt")
    assert "document 2 left out" in note.message and "no body" in note.message and "Photo of the day" in note.message
    assert note.line == 19


def test_documents_after_one_without_body_are_still_read(tmp_path):
    text = (FIXTURES / "nexis_empty_body.txt").read_text(encoding="utf-8")
    third = text[text.index("                               1 of 2"):text.index("                               2 of 2")]
    path = tmp_path / "three.txt"
    path.write_text(text.replace("of 2 DOCUMENTS", "of 3 DOCUMENTS") + "\n" + third.replace("1 of 2", "3 of 3")
                    .replace("Tide tables for the week", "Ferry times"), encoding="utf-8")
    got = read_file(path)
    assert [type(g).__name__ for g in got] == ["Article", "ImportProblem", "Article"]
    assert got[2].title == "Ferry times" and got[2].source_index == 1  # the second article of the file
    assert "document 2" in got[1].message


def test_only_end_of_document_markers_separate_documents():
    lines = [
        "First headline",
        "",
        "Daily Planet",
        "May 2, 2023 Tuesday",
        "",
        "Length: 10 words",
        "Byline: Lois Lane",
        "",
        "Body",
        "",
        "First body.",
        "",
        "Load-Date: May 3, 2023",
        "",
        "End of Document",
        "",
        "",
        "Second headline",
        "",
        "Daily Planet",
        "May 4, 2023 Thursday",
        "",
        "Body",
        "",
        "Second body.",
        "",
        "End of Document",
    ]
    first, second = nexis.parse_nexis_lines(lines, "x.txt")
    assert (first.title, first.text, first.authors) == ("First headline", "First body.", ["Lois Lane"])
    assert (second.title, second.text, second.published) == ("Second headline", "Second body.", "2023-05-04")


def test_classic_headline_field_and_wrapped_field_values():
    lines = [
        "1 of 1 DOCUMENT",
        "",
        "The Example Times",
        "",
        "June 1, 2020 Monday",
        "",
        "HEADLINE: Rates rise",
        "",
        "BYLINE: By Ann Lee, Staff Writer",
        "",
        "SECTION: BUSINESS; Markets and Money; A very long section",
        "name wrapped on a second line",
        "",
        "LENGTH: 9 words",
        "",
        "UPDATE: the central bank raised rates.",
        "",
        "SUBJECT: INTEREST RATES (90%)",
        "continued subject line",
    ]
    (article,) = nexis.parse_nexis_lines(lines, "x.txt")
    assert article.title == "Rates rise" and article.authors == ["Ann Lee"]
    assert article.text == "UPDATE: the central bank raised rates."


def test_body_right_after_the_header_without_a_blank_line():
    """Word exports often have no empty paragraphs: the body follows LENGTH: directly."""
    lines = [
        "1 of 1 DOCUMENT",
        "The Example Times",
        "June 1, 2020 Monday",
        "Late Edition",
        "Rates rise again",
        "BYLINE: Ann Lee",
        "LENGTH: 30 words",
        "The central bank raised its main rate for the third time this year.",
        "Economists had expected the move, which the bank said would curb prices rising faster than wages.",
        "LOAD-DATE: June 2, 2020",
    ]
    (article,) = nexis.parse_nexis_lines(lines, "x.txt")
    assert (article.title, article.outlet, article.authors) == (
        "Rates rise again",
        "The Example Times",
        ["Ann Lee"],
    )
    assert article.text.startswith("The central bank raised") and article.text.endswith("faster than wages.")


def test_looks_like_nexis():
    assert nexis.looks_like_nexis((FIXTURES / "nexis_uni_three_docs.txt").read_text(encoding="utf-8"))
    assert nexis.looks_like_nexis((FIXTURES / "nexis_two_docs_cp1252.txt").read_text(encoding="cp1252"))
    assert not nexis.looks_like_nexis(
        "Mayor opens pier\n\nThe mayor said 1 of 3 piers is open.\nLength: 3 words"
    )
    assert not nexis.looks_like_nexis("")


def test_streaming_memory_does_not_grow_with_the_number_of_documents():
    def export(n):
        for i in range(n):
            yield f"{i + 1} of {n} DOCUMENTS\n"
            yield from [
                "\n",
                "The Example Times\n",
                "June 1, 2020 Monday\n",
                "\n",
                f"Story {i}\n",
                "\n",
                "LENGTH: 300 words\n",
                "\n",
                "A paragraph of body text. " * 40 + "\n",
                "\n",
                "LANGUAGE: ENGLISH\n",
                "\n",
            ]

    def peak(n):
        tracemalloc.start()
        count = sum(1 for _ in nexis.parse_nexis_lines(export(n), "big.txt"))
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert count == n
        return top

    assert peak(20_000) < 2 * peak(1_000) + 100_000


def test_undecodable_bytes_are_a_problem_with_a_line(tmp_path):
    path = tmp_path / "broken.txt"
    good = (FIXTURES / "nexis_uni_three_docs.txt").read_bytes()
    path.write_bytes(good * 40 + b"\nbad \xff\xfe\x00 bytes\n")
    got = read_file(path)
    assert isinstance(got[-1], ImportProblem) and all(isinstance(a, Article) for a in got[:-1])
    assert got[-1].path == str(path)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=60),
            st.sampled_from(
                [
                    "",
                    "1 of 2 DOCUMENTS",
                    "Document 1 of 2",
                    "End of Document",
                    "Body",
                    "LENGTH: 5 words",
                    "Byline: A",
                    "LOAD-DATE: x",
                    "Classification",
                    "June 1, 2020",
                    "Copyright 2020",
                ]
            ),
        ),
        max_size=60,
    )
)
def test_random_lines_give_articles_or_problems(lines):
    for got in nexis.parse_nexis_lines(lines, "r.txt"):
        assert isinstance(got, (Article, ImportProblem))
        if isinstance(got, Article):
            assert got.text.strip()


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("nexis") / "random.txt"
    path.write_bytes(b"1 of 1 DOCUMENTS\n" + data)
    for got in read_file(path):
        assert isinstance(got, (Article, ImportProblem))
