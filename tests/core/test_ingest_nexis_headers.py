"""Nexis text export headers as the R readers (LexisNexisTools, newspapers) read them: wrapped field
values, edition lines under the date, headlines over several lines, labels in the export's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.ingest import nexis
from annotator.core.ingest.dates import to_iso
from tests.core.ingest_helpers import read_all

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest"


def test_edition_wrapped_under_the_date_and_headlines_over_several_lines():
    articles, problems = read_all(FIXTURES / "nexis_classic_wrapped_headers.txt")
    assert problems == [] and [a.reader for a in articles] == ["nexis-txt"] * 3
    first, second, third = articles
    assert first.title == "Ferry pier plan wins support from island councillors"  # not "Scotland"
    assert second.title == "Pier works begin in spring"
    assert third.title == "Islanders ask: who pays for the new pier?"  # three lines
    assert first.authors == ["Ann Lee"]  # "Political / Correspondent" wrapped, a job title
    assert first.text.startswith("Councillors on three islands") and "or sails between" not in first.text
    assert [a.published for a in articles] == ["2015-01-03", "2015-01-05", "2015-01-07"]


def test_an_edition_block_of_its_own_is_not_the_headline():
    lines = ["1 of 1 DOCUMENT", "", "The Herald", "", "March 2, 2015 Monday", "", "Edition 1;", "Scotland", "",
             "Bridge reopens", "", "BYLINE: Ann Lee", "", "LENGTH: 9 words", "", "", "The bridge reopened today.",
             "", "LOAD-DATE: March 3, 2015"]
    (article,) = nexis.parse_nexis_lines(lines, "x.txt")
    assert article.title == "Bridge reopens"


def test_an_indented_wrapped_value_longer_than_a_line_stays_in_its_field():
    lines = ["1 of 1 DOCUMENT", "", "The Herald", "", "March 2, 2015 Monday", "", "Bridge reopens", "",
             "SECTION: NEWS; " + "very long section words " * 5, "         " + "and its continuation " * 6, "",
             "LENGTH: 9 words", "", "", "The bridge reopened today.", "", "LOAD-DATE: March 3, 2015"]
    (article,) = nexis.parse_nexis_lines(lines, "x.txt")
    assert article.text == "The bridge reopened today."


def test_german_labels_and_a_french_export():
    german = ["1 von 1 DOKUMENTEN", "", "Die Rundschau", "", "12. November 2024 Dienstag", "", "Streik", "",
              "AUTOR: Max Müller", "RUBRIK: LOKALES", "LÄNGE: 58 Wörter", "", "Die Bahn steht still.", "",
              "UPDATE: 13. November 2024", "", "SPRACHE: GERMAN; DEUTSCH"]
    (article,) = nexis.parse_nexis_lines(german, "de.txt")
    assert (article.title, article.authors, article.language) == ("Streik", ["Max Müller"], "de")
    assert article.text == "Die Bahn steht still."
    french = ["1 of 1 DOCUMENTS", "", "Le Quotidien", "", "3 janvier 2015 samedi", "", "La grève continue", "",
              "AUTEUR: Marie Laurent", "RUBRIQUE: ACTUALITÉ", "LONGUEUR: 40 mots", "", "Les trains restent à quai.",
              "", "LANGUE: FRENCH; FRANÇAIS"]
    (article,) = nexis.parse_nexis_lines(french, "fr.txt")
    assert (article.title, article.published, article.authors) == ("La grève continue", "2015-01-03", ["Marie Laurent"])
    assert (article.text, article.language) == ("Les trains restent à quai.", "fr")


def test_update_in_an_english_export_is_text():
    lines = ["1 of 1 DOCUMENT", "", "The Example Times", "", "June 1, 2020 Monday", "", "Rates rise", "",
             "LENGTH: 9 words", "", "UPDATE: the central bank raised rates.", "", "LOAD-DATE: June 2, 2020"]
    (article,) = nexis.parse_nexis_lines(lines, "x.txt")
    assert article.text == "UPDATE: the central bank raised rates."


@pytest.mark.parametrize("written, iso", [
    ("3 January 1993", "1993-01-03"), ("3 Januar 1993", "1993-01-03"), ("3. Januar 1993", "1993-01-03"),
    ("3 janvier 1993", "1993-01-03"), ("1er janvier 1993", "1993-01-01"), ("3 de enero de 1993", "1993-01-03"),
    ("domingo, 3 de enero de 1993", "1993-01-03"), ("3 gennaio 1993", "1993-01-03"),
    ("3 de março de 1993", "1993-03-03"),
    ("1993年1月3日", "1993-01-03"), ("1993 年 1 月 3 日 星期日", "1993-01-03"), ("1993년 1월 3일", "1993-01-03"),
    ("29 décembre 2011", "2011-12-29"), ("3 févr. 2020", "2020-02-03"), ("1993年2月30日", None),
])
def test_dates_in_the_interface_languages(written, iso):
    assert to_iso(written) == iso


def test_an_accession_number_in_the_trailer_is_the_source_id():
    lines = ["1 of 1 DOCUMENT", "", "The Herald", "", "March 2, 2015 Monday", "", "Bridge reopens", "",
             "LENGTH: 9 words", "", "The bridge reopened today.", "", "LOAD-DATE: March 3, 2015", "",
             "ACC-NO: HER-20150302-0042"]
    (article,) = nexis.parse_nexis_lines(lines, "x.txt")
    assert article.source_id == "nexis:HER-20150302-0042" and article.text == "The bridge reopened today."
    (without,) = nexis.parse_nexis_lines(lines[:-2], "x.txt")
    assert without.source_id is None  # "1 of 1" is a position in the download, not an id
