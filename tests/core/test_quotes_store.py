"""Detection in the project: import stores auto quotes; re-running keeps what a person worked on."""

from annotator.core.detect import DETECTOR_VERSION, detect
from annotator.core.importer import import_paths
from annotator.core.quotes import run_detection
from tests.paths import FIXTURES

ARTICLE = FIXTURES / "ingest" / "plain_article.txt"


def _quotes(project):
    return list(project.db.query("SELECT * FROM quotes ORDER BY start"))


def _direct(project):
    # the fixture's one direct quote; its other sentences may hold reported speech, tested below
    return [q for q in _quotes(project) if q["form"] in ("direct", None)]


def test_import_detects_and_stores_auto_quotes_with_version(tmp_project):
    report = import_paths(tmp_project, [ARTICLE], workers=1)
    assert report.detection.quotes >= 1
    [quote] = _direct(tmp_project)
    assert quote["text"] == "People who work late deserve a safe ride home,"
    text = tmp_project.db["articles"].get(quote["article_id"])["text"]
    [detected] = [q for q in detect(text).quotes if q.form == "direct"]
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
    assert len(_direct(tmp_project)) == 1


def test_rerun_keeps_confirmed_and_human_quotes(tmp_project):
    import_paths(tmp_project, [ARTICLE], workers=1)
    [auto] = _direct(tmp_project)
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
    assert [q["id"] for q in _direct(tmp_project) if q["origin"] == "auto"] == [auto["id"]]  # same row, not re-created
    assert any(q["origin"] == "human" for q in quotes)
    assert tmp_project.db["quote_labels"].count == 1


def test_rerun_replaces_untouched_auto_quotes(tmp_project):
    import_paths(tmp_project, [ARTICLE], workers=1)
    before = _quotes(tmp_project)
    run_detection(tmp_project, workers=1)
    after = _quotes(tmp_project)
    assert [(q["start"], q["end"]) for q in after] == [(q["start"], q["end"]) for q in before]
    assert tmp_project.db["mentions"].count >= 1


THREE_FORMS = FIXTURES / "detect" / "three_forms.txt"


def test_reported_speech_is_stored_with_its_form_and_content(tmp_project):
    import_paths(tmp_project, [THREE_FORMS], workers=1)
    rows = _quotes(tmp_project)
    text = tmp_project.db["articles"].get(rows[0]["article_id"])["text"]
    forms = {q["form"] for q in rows}
    assert forms == {"direct", "mixed", "indirect"}
    for q in rows:
        assert text[q["start"]:q["end"]] == q["text"]
        assert text[q["content_start"]:q["content_end"]] == q["content"]
        assert q["content_start"] <= q["start"] <= q["end"] <= q["content_end"]
    indirect = next(q for q in rows if q["form"] == "indirect")
    assert indirect["content"] == indirect["text"] and indirect["open_mark"] == ""
    mixed = next(q for q in rows if q["form"] == "mixed")
    assert mixed["text"] == "a fairy tale" and '"a fairy tale"' in mixed["content"]


def test_rerun_keeps_a_confirmed_indirect_quote_and_its_label(tmp_project):
    import_paths(tmp_project, [THREE_FORMS], workers=1)
    indirect = next(q for q in _quotes(tmp_project) if q["form"] == "indirect")
    with tmp_project.write() as db:
        db["quote_labels"].insert({"quote_id": indirect["id"], "annotator": "ana", "status": "corrected",
                                   "speaker": "Ann Lee", "updated_at": "2026-01-01T00:00:00Z"})
    report = run_detection(tmp_project, workers=1)
    after = _quotes(tmp_project)
    assert report.kept == 1
    assert [q["id"] for q in after if q["form"] == "indirect" and q["id"] == indirect["id"]] == [indirect["id"]]
    # nothing new was laid over the kept quote's content
    overlapping = [q for q in after if q["id"] != indirect["id"]
                   and q["content_start"] < indirect["content_end"] and indirect["content_start"] < q["content_end"]]
    assert overlapping == []


def test_detect_only_some_forms(tmp_project):
    import_paths(tmp_project, [THREE_FORMS], workers=1, forms=("direct",))
    assert {q["form"] for q in _quotes(tmp_project)} == {"direct"}
    assert "a fairy tale" in {q["text"] for q in _quotes(tmp_project)}   # the mixed one's quoted words, as direct
    run_detection(tmp_project, workers=1, forms=("indirect",))
    assert {q["form"] for q in _quotes(tmp_project)} == {"indirect"}
