"""Detection in the project: import stores auto quotes; re-running keeps what a person worked on."""

from annotator.core.detect import DETECTOR_VERSION, detect
from annotator.core.importer import import_paths
from annotator.core.quotes import run_detection
from tests.paths import FIXTURES

ARTICLE = FIXTURES / "ingest" / "plain_article.txt"


def _quotes(project):
    return list(project.db.query("SELECT * FROM quotes ORDER BY start"))


def test_import_detects_and_stores_auto_quotes_with_version(tmp_project):
    report = import_paths(tmp_project, [ARTICLE], workers=1)
    assert report.detection.quotes >= 1
    [quote] = _quotes(tmp_project)
    assert quote["text"] == "People who work late deserve a safe ride home,"
    text = tmp_project.db["articles"].get(quote["article_id"])["text"]
    [detected] = detect(text).quotes
    assert (quote["speaker"], quote["speaker_start"], quote["cue"]) == (
        detected.speaker, detected.speaker_start, detected.cue)
    assert quote["origin"] == "auto" and quote["annotator"] is None
    assert quote["detector_version"] == DETECTOR_VERSION
    text = tmp_project.db["articles"].get(quote["article_id"])["text"]
    assert text[quote["start"] : quote["end"]] == quote["text"]
    for mention in tmp_project.db["mentions"].rows:
        assert text[mention["start"] : mention["end"]] == mention["text"]


def test_no_detect_leaves_quotes_for_later(tmp_project):
    import_paths(tmp_project, [ARTICLE], workers=1, detect=False)
    assert _quotes(tmp_project) == []
    run_detection(tmp_project, workers=1)
    assert len(_quotes(tmp_project)) == 1


def test_rerun_keeps_confirmed_and_human_quotes(tmp_project):
    import_paths(tmp_project, [ARTICLE], workers=1)
    [auto] = _quotes(tmp_project)
    with tmp_project.write() as db:
        db["quote_labels"].insert(
            {"quote_id": auto["id"], "annotator": "ana", "status": "confirmed", "speaker": "Mira Hale",
             "updated_at": "2026-01-01T00:00:00Z"}
        )
        db["quotes"].insert(
            {"article_id": auto["article_id"], "start": 0, "end": 7, "text": "Council", "origin": "human",
             "annotator": "ana"}
        )
    report = run_detection(tmp_project, workers=1)
    quotes = _quotes(tmp_project)
    assert report.kept == 2
    assert [q["id"] for q in quotes if q["origin"] == "auto"] == [auto["id"]]  # same row, not re-created
    assert any(q["origin"] == "human" for q in quotes)
    assert tmp_project.db["quote_labels"].count == 1


def test_rerun_replaces_untouched_auto_quotes(tmp_project):
    import_paths(tmp_project, [ARTICLE], workers=1)
    before = _quotes(tmp_project)
    run_detection(tmp_project, workers=1)
    after = _quotes(tmp_project)
    assert [(q["start"], q["end"]) for q in after] == [(q["start"], q["end"]) for q in before]
    assert tmp_project.db["mentions"].count >= 1
