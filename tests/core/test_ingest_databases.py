"""Real exports as researchers download them (../shared/corpus/databases, test files of the R packages
newspapers and tm.plugin.factiva): the article counts their README states, each article whole."""

from __future__ import annotations

import re

import pytest

from tests.core.ingest_helpers import read_all
from tests.paths import REPO

DATABASES = REPO.parent / "shared" / "corpus" / "databases"
pytestmark = pytest.mark.skipif(not DATABASES.is_dir(), reason="../shared/corpus/databases is not there")

EXPORTS = {  # file: (articles, reader), as ../shared/corpus/databases/README.md states them
    "factiva_nyt_1993-01-03.html": (27, "factiva-html"),
    "nexis_uk_spiegel_2012-02-01.html": (49, "nexis-html"),
    "factiva_pps_test.xml": (3, "factiva-xml"),
    "factiva_classic_fr_test.html": (2, "factiva-html"),
}
FURNITURE = re.compile(
    r"Zusammenfassung der Suche|Download Request|\d+ of \d+ DOCUMENTS|Dokument NYTF|Full Text\)|Dow Jones|"
    r"W\u00f6rter$|^(?:AUTOR|RUBRIK|L\u00c4NGE|UPDATE|SPRACHE|PUBLICATION-TYPE|ZEITUNGS-CODE|HIGHLIGHT|GRAFIK):|"
    r"^(?:HD|WC|PD|SN|SC|LA|CY|LP|TD|NS|RE|AN)\b|Alle Rechte vorbehalten|All Rights Reserved|Hide XML",
    re.M,
)


def test_the_readme_lists_these_files():
    readme = (DATABASES / "README.md").read_text(encoding="utf-8")
    for name, (count, _) in EXPORTS.items():
        assert name in readme and f"{count} articles" in readme


@pytest.mark.parametrize("name", list(EXPORTS))
def test_each_export_gives_its_articles_whole(name):
    count, reader = EXPORTS[name]
    articles, problems = read_all(DATABASES / name)
    assert problems == []
    assert len(articles) == count
    for article in articles:
        assert article.reader == reader
        assert article.title and article.text.strip() and article.outlet and article.published, article.title
        assert re.match(r"^\d{4}-\d{2}-\d{2}", article.published)
        assert not FURNITURE.search(article.text), (article.title, FURNITURE.search(article.text))
    if reader.startswith("factiva"):
        assert all(a.source_id and a.source_id.startswith("factiva:") for a in articles)
        assert len({a.source_id for a in articles}) == count


def test_known_fields_of_the_factiva_html_export():
    articles, _ = read_all(DATABASES / "factiva_nyt_1993-01-03.html")
    assert {a.outlet for a in articles} == {"The New York Times"}
    assert {a.language for a in articles} == {"en"}  # "Englisch" in the German interface
    assert min(a.published for a in articles) >= "1993-01-03" and max(a.published for a in articles) <= "1993-01-09"
    assert sum(bool(a.authors) for a in articles) >= 20


def test_known_fields_of_the_nexis_uk_export():
    articles, _ = read_all(DATABASES / "nexis_uk_spiegel_2012-02-01.html")
    assert {a.outlet for a in articles} <= {"Spiegel Online", "Der Spiegel"}
    assert {a.language for a in articles} == {"de"}
    assert all(a.published.startswith("2012-") for a in articles)
    assert sum(bool(a.authors) for a in articles) >= 30
