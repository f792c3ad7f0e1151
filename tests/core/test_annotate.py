"""Corrections to quotes and speakers: verdicts per annotator, hand-marked spans, and their undo values."""

import pytest

from annotator.core import annotate
from annotator.core.articles import get_article

TEXT = '"We will build the bridge," said Mayor Helena Okafor. Critics disagreed.'


@pytest.fixture
def article(tmp_project):
    article_id = tmp_project.db["articles"].insert({"uid": "a", "title": "Bridge", "text": TEXT}).last_pk
    mention_id = tmp_project.db["mentions"].insert(
        {"article_id": article_id, "start": 39, "end": 52, "text": "Helena Okafor", "name": "Helena Okafor",
         "origin": "auto"}).last_pk
    quote_id = tmp_project.db["quotes"].insert(
        {"article_id": article_id, "start": 1, "end": 25, "text": TEXT[1:25], "origin": "auto",
         "speaker": "Helena Okafor", "cue_start": 28, "cue_end": 32, "confidence": 0.9}).last_pk
    return tmp_project, article_id, quote_id, mention_id


def test_confirm_and_reject_are_per_annotator_and_undoable(article):
    project, article_id, quote_id, _m = article
    assert annotate.confirm_quote(project, quote_id, "ana") is None
    before = annotate.reject_quote(project, quote_id, "ana")
    assert before["status"] == "confirmed"
    assert annotate.get_verdict(project, quote_id, "ben") is None
    annotate.set_verdict(project, quote_id, "ana", before)  # undo the rejection
    assert get_article(project, article_id, "ana").quotes[0]["status"] == "confirmed"
    assert get_article(project, article_id, "ben").quotes[0]["status"] == "auto"


def test_speaker_from_a_mention_or_a_typed_name(article):
    project, article_id, quote_id, mention_id = article
    annotate.set_quote_speaker(project, quote_id, "ana", mention_id=mention_id)
    quote = get_article(project, article_id, "ana").quotes[0]
    assert quote["status"] == "corrected" and quote["shown_speaker"] == "Helena Okafor"
    assert quote["verdict_entity_id"] is not None
    before = annotate.set_quote_speaker(project, quote_id, "ana", name="  Ruth   Ellison ")
    assert before["speaker"] == "Helena Okafor"
    assert get_article(project, article_id, "ana").quotes[0]["shown_speaker"] == "Ruth Ellison"
    # The same typed name again finds the same entity instead of making a second one.
    first = annotate.entity_for_name(project, "Ruth Ellison")
    assert annotate.entity_for_name(project, "ruth ellison") == first
    # Confirming after a correction keeps the corrected speaker.
    annotate.confirm_quote(project, quote_id, "ana")
    assert get_article(project, article_id, "ana").quotes[0]["shown_speaker"] == "Ruth Ellison"


def test_mark_quote_and_delete_restore_same_row(article):
    project, article_id, _q, _m = article
    start = TEXT.index("Critics")
    quote_id = annotate.mark_quote(project, article_id, start, len(TEXT) - 1, "ana")
    view = get_article(project, article_id, "ana")
    marked = next(q for q in view.quotes if q["id"] == quote_id)
    assert marked["text"] == "Critics disagreed" and marked["status"] == "added"
    assert all(q["id"] != quote_id for q in get_article(project, article_id, "ben").quotes)
    saved = annotate.delete_human_quote(project, quote_id)
    assert all(q["id"] != quote_id for q in get_article(project, article_id, "ana").quotes)
    assert annotate.restore_quote(project, saved) == quote_id


def test_detected_quotes_are_rejected_not_deleted(article):
    project, _a, quote_id, _m = article
    with pytest.raises(ValueError):
        annotate.delete_human_quote(project, quote_id)


def test_mark_speaker_mention(article):
    project, article_id, _q, _m = article
    mention_id = annotate.mark_mention(project, article_id, 33, 38, "ana")
    mentions = get_article(project, article_id, "ana").mentions
    assert any(m["id"] == mention_id and m["text"] == "Mayor" and m["origin"] == "human" for m in mentions)
    saved = annotate.delete_human_mention(project, mention_id)
    assert annotate.restore_mention(project, saved) == mention_id


def test_span_outside_the_text_is_refused(article):
    project, article_id, _q, _m = article
    with pytest.raises(ValueError, match="outside"):
        annotate.mark_quote(project, article_id, 10, 10_000, "ana")


def test_speaker_names_offer_the_article_mentions_first(article):
    project, article_id, _q, _m = article
    annotate.entity_for_name(project, "Someone Else")
    names = annotate.speaker_names(project, article_id)
    assert names[0] == "Helena Okafor" and "Someone Else" in names
