"""News-database exports through the importer: the reader named on each report row and in the
`imports` table, and the database's own id making a re-exported article a duplicate."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys

from annotator.core import importer
from annotator.core.importer import import_paths
from annotator.core.store import SCHEMA_VERSION, open_project
from tests.paths import FIXTURES, REPO

INGEST = FIXTURES / "ingest"


def test_rows_name_the_reader_and_say_how_many_articles(tmp_project):
    report = import_paths(tmp_project, [INGEST / "factiva_coded_en.html", INGEST / "nexis_uk_en_three_docs.html",
                                        INGEST / "plain_article.txt"], workers=1, detect=False)
    rows = {f.path.rsplit("/", 1)[-1]: f for f in report.files}
    assert rows["factiva_coded_en.html"].describe() == "factiva-html: 2 articles"
    assert rows["nexis_uk_en_three_docs.html"].describe() == "nexis-html: 2 articles, 1 left out"
    assert rows["plain_article.txt"].describe() == "text: 1 article"
    assert report.by_reader() == ["factiva-html: 2 articles from 1 file", "nexis-html: 2 articles from 1 file",
                                  "text: 1 article from 1 file"]
    stored = dict(tmp_project.conn.execute("SELECT path, reader FROM imports"))
    assert stored[str(INGEST / "factiva_coded_en.html")] == "factiva-html"
    assert stored[str(INGEST / "plain_article.txt")] == "text"
    ids = [r[0] for r in tmp_project.conn.execute("SELECT source_id FROM articles ORDER BY id")]
    assert ids[:2] == ["factiva:COASTT0020190905ef950001x", "factiva:COASTT0020190906ef960002y"]
    assert ids[2:] == [None, None, None]


def test_the_same_text_from_another_database_is_a_duplicate_too(tmp_project):
    import_paths(tmp_project, [INGEST / "factiva_en_two_articles.html"], workers=1, detect=False)
    again = import_paths(tmp_project, [INGEST / "nexis_uk_en_three_docs.html"], workers=1, detect=False)
    assert again.files[0].describe() == "nexis-html: 2 articles (1 already in the project), 1 left out"


def test_the_same_article_in_another_export_format_is_a_duplicate(tmp_project):
    """The HTML page and the XML delivery of one Factiva article differ in their text (one more
    paragraph here, a highlighted word there): the accession number says they are the same."""
    first = import_paths(tmp_project, [INGEST / "factiva_en_two_articles.html"], workers=1, detect=False)
    assert first.imported_articles == 2
    again = import_paths(tmp_project, [INGEST / "factiva_pps_two.xml"], workers=1, detect=False)
    (row,) = again.files
    assert (row.status, row.article_count, row.duplicate_count, row.left_out) == ("imported", 1, 1, 1)
    assert tmp_project.db["articles"].count == 3


def test_duplicates_by_source_id_when_streamed_too(tmp_project, monkeypatch):
    monkeypatch.setattr(importer, "POOL_MAX_BYTES", 0)  # every file streamed through the writer's savepoints
    import_paths(tmp_project, [INGEST / "factiva_en_two_articles.html"], workers=1, detect=False)
    again = import_paths(tmp_project, [INGEST / "factiva_pps_two.xml"], workers=1, detect=False)
    (row,) = again.files
    assert (row.status, row.article_count, row.duplicate_count, row.reader) == ("imported", 1, 1, "factiva-xml")


def test_an_older_project_gains_the_columns_and_keeps_its_rows(tmp_path):
    older = sorted((FIXTURES / "schemas").glob("schema_v*.db"))[0]
    path = tmp_path / "old.db"
    shutil.copy(older, path)
    before = sqlite3.connect(path).execute("SELECT count(*) FROM articles").fetchone()[0]
    with open_project(path) as project:
        assert project.schema_version == SCHEMA_VERSION
        columns = {r[1] for r in project.conn.execute("PRAGMA table_info(articles)")}
        assert "source_id" in columns
        assert "reader" in {r[1] for r in project.conn.execute("PRAGMA table_info(imports)")}
        assert project.db["articles"].count == before
        assert project.conn.execute("SELECT count(*) FROM articles WHERE source_id IS NOT NULL").fetchone()[0] == 0


def test_the_command_line_prints_a_row_per_file(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "import", str(tmp_path / "p.db"), str(INGEST / "factiva_coded_en.html"),
         str(INGEST / "factiva_search_results.html"), "--no-detect"],
        capture_output=True, text=True, cwd=REPO,
    )
    assert result.returncode == 1, result.stderr
    assert "factiva_coded_en.html: factiva-html: 2 articles" in result.stdout
    assert "failed: " in result.stdout and "factiva-html: a Factiva page with no articles" in result.stdout
