import shutil
from pathlib import Path
import zipfile

import pytest

from annotator.core.demo import demo_corpus_dir, open_default_project
from annotator.core.importer import import_paths
from annotator.core.ingest import ReadOptions
from tests.paths import DEV_CORPUS, FIXTURES

INGEST = FIXTURES / "ingest"


def _titles(project):
    return [r["title"] for r in project.db.query("SELECT title FROM articles ORDER BY id")]


def test_import_folder_reports_every_file_and_skips_duplicates_the_second_time(tmp_project, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("plain_article.txt", "news_please_records.json", "broken_row.csv", "empty.txt"):
        shutil.copy(INGEST / name, folder / name)
    report = import_paths(tmp_project, [folder], workers=1)
    by_name = {f.path.rsplit("/", 1)[-1]: f for f in report.files}
    assert by_name["plain_article.txt"].status == "imported"
    assert by_name["news_please_records.json"].article_count == 2
    assert by_name["broken_row.csv"].status == "failed" and by_name["broken_row.csv"].row == 2
    assert by_name["empty.txt"].status == "failed"
    assert tmp_project.db["articles"].count == 3
    # a file is imported whole or not at all: the good first row of broken_row.csv is not stored
    assert "Good row" not in _titles(tmp_project)
    rows = list(tmp_project.db["imports"].rows)
    assert {r["status"] for r in rows} == {"imported", "failed"}

    again = import_paths(tmp_project, [folder], workers=1)
    assert tmp_project.db["articles"].count == 3
    statuses = {f.path.rsplit("/", 1)[-1]: f.status for f in again.files}
    assert statuses["plain_article.txt"] == "duplicate"
    assert statuses["news_please_records.json"] == "duplicate"
    assert again.imported_articles == 0 and again.duplicate_articles == 3


def test_zip_archive_members_are_imported(tmp_project, tmp_path):
    archive = tmp_path / "batch.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(INGEST / "plain_article.txt", "inner/plain_article.txt")
        zf.write(INGEST / "headline_body.jsonl", "headline_body.jsonl")
        zf.writestr("inner/readme.md", "not an article")
    report = import_paths(tmp_project, [archive], workers=1)
    assert report.imported_articles == 3
    assert all("batch.zip!" in f.path for f in report.files)
    paths = {r["source_path"] for r in tmp_project.db["articles"].rows}
    assert any(p.endswith("batch.zip!inner/plain_article.txt") for p in paths)


def test_corrupt_zip_and_missing_path_are_reported(tmp_project, tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    report = import_paths(tmp_project, [bad, tmp_path / "missing.txt"], workers=1)
    messages = [f.message for f in report.failed]
    assert any("zip" in m for m in messages)
    assert any("no such file" in m for m in messages)


def test_field_map_is_used(tmp_project):
    options = ReadOptions(field_map={"text": "Volltext", "title": "Ueberschrift"})
    report = import_paths(tmp_project, [INGEST / "custom_columns.csv"], options, workers=1)
    assert report.imported_articles == 2 and _titles(tmp_project) == ["Bridge closed", "Market moves"]


def test_parallel_readers_give_the_same_result(tmp_project, tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(80):
        (folder / f"a{i:03d}.txt").write_text(f"Title {i}\n\nBody of article number {i}.", encoding="utf-8")
    report = import_paths(tmp_project, [folder], workers=2)
    assert report.imported_articles == 80 and not report.failed
    assert tmp_project.db["articles"].count == 80


def test_cancel_keeps_what_was_committed(tmp_project, tmp_path):
    folder = tmp_path / "some"
    folder.mkdir()
    for i in range(10):
        (folder / f"a{i}.txt").write_text(f"Title {i}\n\nBody {i}.", encoding="utf-8")
    seen = []
    report = import_paths(tmp_project, [folder], workers=1, progress=lambda d, t, p: seen.append(d),
                          cancelled=lambda: len(seen) >= 3)
    assert report.cancelled
    assert tmp_project.db["articles"].count == len(report.files) == 3


def test_large_jsonl_streams_and_fails_whole_on_a_late_bad_line(tmp_project, tmp_path, monkeypatch):
    import annotator.core.importer as importer

    monkeypatch.setattr(importer, "POOL_MAX_BYTES", 1000)  # force the streaming path
    path = tmp_path / "big.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(3000):
            fh.write('{"title": "T%d", "text": "Body %d of a streamed file."}\n' % (i, i))
        fh.write("{not json}\n")
    report = import_paths(tmp_project, [path], workers=1)
    [row] = report.files
    assert row.status == "failed" and row.line == 3001
    assert tmp_project.db["articles"].count == 0


def test_default_project_is_filled_with_the_demo_corpus():
    project = open_default_project()
    try:
        count = project.db["articles"].count
        outlets = {r["outlet"] for r in project.db["articles"].rows}
        failed = project.db["imports"].count_where("status = 'failed'")
    finally:
        project.close()
    assert failed == 0
    assert count >= 10
    assert {"Harbour Times", "Coastal Gazette", "The Lakeside Chronicle"} <= outlets
    assert len(list(demo_corpus_dir().iterdir())) >= 5


@pytest.mark.skipif(not DEV_CORPUS.exists(), reason="shared dev corpus absent")
def test_whole_shared_dev_corpus_imports_without_failure(tmp_project):
    report = import_paths(tmp_project, [DEV_CORPUS], workers=1)
    assert report.failed == [], [str(f) for f in report.failed]
    titles = _titles(tmp_project)
    assert sum(t.startswith("China, US top negotiators") for t in titles) == 2


def test_huge_single_article_file_is_refused_by_name_and_others_go_on(tmp_project, tmp_path):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as fh:  # 100 MB of text that is not one article
        line = b"This line repeats in a broken export. " * 26 + b"\n"
        for _ in range(100 * 1024 * 1024 // len(line) + 1):
            fh.write(line)
    report = import_paths(tmp_project, [huge, INGEST / "plain_article.txt"], workers=1, detect=False)
    failed = {f.path: f.message for f in report.failed}
    assert "too large for one article" in failed[str(huge)]
    assert report.imported_articles == 1


@pytest.mark.parametrize("streamed", [False, True])
def test_a_nexis_document_without_body_is_left_out_and_the_rest_imported(tmp_project, tmp_path, monkeypatch, streamed):
    """The file counts as imported; its report says which document was left out and where."""
    from annotator.core import importer

    if streamed:  # the path of big files, read here and stored in batches
        monkeypatch.setattr(importer, "POOL_MAX_BYTES", 0)
    source = Path(__file__).parent.parent / "fixtures" / "ingest" / "nexis_empty_body.txt"
    report = import_paths(tmp_project, [source], workers=1, detect=False)
    (row,) = report.files
    assert (row.status, row.article_count) == ("imported", 1)
    assert "line 19: document 2 left out" in row.message and "Photo of the day" in row.message
    assert tmp_project.db["articles"].count == 1
    stored = tmp_project.conn.execute("SELECT status, message FROM imports").fetchone()
    assert stored == ("imported", row.message)


@pytest.mark.parametrize("streamed", [False, True])
def test_a_nexis_file_of_documents_without_body_fails_saying_why(tmp_project, tmp_path, monkeypatch, streamed):
    from annotator.core import importer

    if streamed:
        monkeypatch.setattr(importer, "POOL_MAX_BYTES", 0)
    text = (Path(__file__).parent.parent / "fixtures" / "ingest" / "nexis_empty_body.txt").read_text(encoding="utf-8")
    empty_only = tmp_path / "graphics.txt"
    empty_only.write_text(text[text.index("                               2 of 2"):], encoding="utf-8")
    report = import_paths(tmp_project, [empty_only], workers=1, detect=False)
    (row,) = report.files
    assert row.status == "failed" and row.message.startswith("no article could be read: ")
    assert "document 2 left out" in row.message and row.line == 1
    assert tmp_project.db["articles"].count == 0
