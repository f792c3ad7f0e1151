"""Import detects in its reader processes and stores each article with its quotes, mentions and
links at once: the project it makes is the one that importing first and detecting afterwards
(`annotator detect`: store_detection, then link_article) makes."""

from __future__ import annotations

import pytest

from annotator.core.demo import demo_corpus_dir
from annotator.core.importer import import_paths
from annotator.core.quotes import run_detection
from annotator.core.store import open_project
from tests.paths import DEV_CORPUS

QUOTE_COLUMNS = ("article_id, start, end, text, form, content_start, content_end, content, kind, open_mark, "
                 "close_mark, cue, cue_start, cue_end, speaker, "
                 "speaker_start, speaker_end, speaker_role, speaker_kind, confidence, origin, detector_version, "
                 "link_by, link_score")


def _state(project) -> dict:
    """Quotes, mentions and entities as a person would compare them: entities by name, not by id."""
    conn = project.conn
    name = dict(conn.execute("SELECT id, name FROM entities"))
    mention = {r[0]: r[1:] for r in conn.execute("SELECT id, article_id, start, end FROM mentions")}
    return {
        "quotes": sorted(tuple(r[:-2]) + (name.get(r[-2]), mention.get(r[-1])) for r in conn.execute(
            f"SELECT {QUOTE_COLUMNS}, entity_id, mention_id FROM quotes")),
        "mentions": sorted(tuple(r[:-1]) + (name.get(r[-1]),) for r in conn.execute(
            "SELECT article_id, start, end, text, name, kind, role, origin, detector_version, link_by, link_score, "
            "entity_id FROM mentions")),
        "entities": sorted(conn.execute("SELECT name, norm, kind, role FROM entities")),
        "aliases": sorted((name[r[0]], r[1]) for r in conn.execute("SELECT entity_id, norm FROM aliases")),
    }


def _both_ways(tmp_path, folder, workers: int) -> tuple[dict, dict]:
    at_once = open_project(tmp_path / "at_once.db")
    later = open_project(tmp_path / "later.db")
    try:
        report = import_paths(at_once, [folder], workers=workers)
        assert report.detection is not None and report.detection.articles == report.imported_articles
        import_paths(later, [folder], workers=1, detect=False)
        run_detection(later, workers=1)
        return _state(at_once), _state(later)
    finally:
        at_once.close()
        later.close()


def test_import_stores_what_detecting_afterwards_stores(tmp_path):
    at_once, later = _both_ways(tmp_path, demo_corpus_dir(), workers=1)
    assert at_once["quotes"] and at_once["mentions"] and at_once["entities"]
    assert at_once == later


def test_quote_text_is_the_articles_words(tmp_path):
    project = open_project(tmp_path / "p.db")
    try:
        import_paths(project, [demo_corpus_dir()], workers=1)
        rows = project.conn.execute(
            "SELECT q.text, substr(a.text, q.start + 1, q.end - q.start) FROM quotes q JOIN articles a "
            "ON a.id = q.article_id").fetchall()
        assert rows and all(stored == expected for stored, expected in rows)
    finally:
        project.close()


@pytest.mark.skipif(not (DEV_CORPUS / "text").is_dir(), reason="../shared/corpus/dev is absent")
def test_reader_processes_store_what_detecting_afterwards_stores(tmp_path, monkeypatch):
    import annotator.core.importer as importer

    monkeypatch.setattr(importer, "POOL_MIN_BYTES", 0)   # reader processes even for these few files
    at_once, later = _both_ways(tmp_path, DEV_CORPUS / "text", workers=2)
    assert at_once["quotes"]
    assert at_once == later
