"""A quotation interrupted by its own attribution is one attribution: its pieces share a content.

Sentences written for these tests; each piece keeps its own quoted words, and stores, exports,
agreement and re-detection treat the pieces as before (each its own quoted words)."""

from __future__ import annotations

import pytest

from annotator.core import annotate, labels
from annotator.core.agreement import project_agreement
from annotator.core.detect import detect
from annotator.core.file_quotes import article_rows
from annotator.core.importer import import_paths
from annotator.core.quote_forms import content_span, own_span
from annotator.core.quotes import store_detection
from annotator.core.records import Article
from tests.paths import FIXTURES

INTERRUPTED = FIXTURES / "detect" / "interrupted.txt"


def _direct(text):
    return [q for q in detect(text).quotes if q.form == "direct"]


def _words(text, q):
    return text[q.start:q.end]


@pytest.mark.parametrize("text", [
    "\u201cThe wall is too low,\u201d Mayor Ann Lee said. \u201cWe will build it again next spring.\u201d",
    "\u201cThe wall is too low,\u201d Mayor Ann Lee said, \u201cand we will build it again next spring.\u201d",
    "\u201cThe wall is too low,\u201d said Ann Lee, the mayor. \u201cWe will build it again next spring.\u201d",
    "\"Is the wall too low?\" Ann Lee asked. \"We will build it again next spring.\"",
    # a title before the name is no sentence end
    "\u201cThe wall is too low,\u201d Gov. Ann Lee said. \u201cWe will build it again next spring.\u201d",
    # the first piece ends in a quotation of its own
    "\u201cThey told us, \u2018The wall is too low,\u2019\u201d Ann Lee said. \u201cWe will build it again next spring.\u201d",
    # the attribution ends its paragraph and the quotation goes on in the next
    "\u201cThe wall is too low,\u201d Ann Lee told the council on Monday.\n\n\u201cWe will build it again next spring.\u201d",
])
def test_the_pieces_of_one_quotation_share_one_content(text):
    first, second = _direct(text)
    assert _words(text, first).startswith(("The wall", "Is the wall", "They told")) and "spring" in _words(text, second)
    assert (first.content_start, first.content_end) == (second.content_start, second.content_end) \
        == (first.start, second.end)
    assert first.speaker == second.speaker == "Ann Lee" and first.cue_start == second.cue_start
    # the pieces keep their own quoted words
    assert first.end < first.cue_start < second.start


@pytest.mark.parametrize("text", [
    # two speakers, each with a cue of their own
    "\u201cThe wall is too low,\u201d Ann Lee said. \u201cWe will build it again,\u201d Tom Berg replied.",
    # a new sentence with a cue of its own before the second quote
    "\u201cThe wall is too low.\u201d Ann Lee added, \u201cWe will build it again next spring.\u201d",
    # the second quoted words are a title inside the attribution, not a piece of the quotation
    "\u201cThe wall is too low,\u201d Ann Lee said of the plan on the radio show \u201cHarbour Hour.\u201d",
    # a paragraph break cutting the attribution's sentence
    "\u201cThe wall is too low,\u201d Ann Lee said,\n\n\u201cWe will build it again next spring.\u201d",
    # more than the attribution between: another sentence
    "\u201cThe wall is too low,\u201d Ann Lee said. Then she left the hall. \u201cWe will build it again.\u201d",
])
def test_separate_quotations_keep_their_own_content(text):
    for q in _direct(text):
        assert (q.content_start, q.content_end) in ((None, None), (q.start, q.end))


def test_rows_of_the_pieces_carry_the_same_content_and_their_own_text():
    text = INTERRUPTED.read_text(encoding="utf-8")
    rows = article_rows("x.txt", Article(text=text, title="Harbour vote"), None, 0.0)
    pieces = [r for r in rows if r["form"] == "direct"]
    assert [r["text"] for r in pieces] == ["The wall is too low,", "We will build it again next spring.",
                                           "It will cost more,", "and the town must pay for it."]
    assert pieces[0]["content"] == pieces[1]["content"] == \
        "The wall is too low,\u201d Mayor Ann Lee said. \u201cWe will build it again next spring."
    assert pieces[2]["content"] == pieces[3]["content"] != pieces[0]["content"]
    assert pieces[2]["speaker"] == pieces[3]["speaker"] == "Tom Berg"


def test_content_and_own_span_of_a_piece():
    assert content_span(30, 50, "direct", 10, 80) == (10, 80)
    assert own_span(30, 50, "direct", 10, 80) == (30, 50)
    assert own_span(30, 50, "mixed", 10, 80) == (10, 80)
    assert own_span(30, 50, "direct", None, None) == content_span(30, 50, None, None, None) == (30, 50)


@pytest.fixture
def harbour(tmp_project):
    import_paths(tmp_project, [INTERRUPTED], workers=1)
    rows = list(tmp_project.db.query("SELECT * FROM quotes WHERE form = 'direct' ORDER BY start"))
    return tmp_project, rows


def test_stored_pieces_share_a_content(harbour):
    project, rows = harbour
    assert len(rows) == 4
    assert rows[0]["content"] == rows[1]["content"] and rows[0]["content_start"] == rows[0]["start"]
    assert rows[1]["content_end"] == rows[1]["end"] and rows[0]["text"] != rows[1]["text"]


def test_redetection_keeps_the_other_piece_when_one_is_confirmed(harbour):
    project, rows = harbour
    labels.ensure_annotator(project, "ana")
    annotate.confirm_quote(project, rows[0]["id"], "ana")
    article_id = rows[0]["article_id"]
    text = project.db["articles"].get(article_id)["text"]
    with project.write():
        store_detection(project, article_id, detect(text), text=text)
    again = list(project.db.query("SELECT * FROM quotes WHERE form = 'direct' ORDER BY start"))
    assert [q["text"] for q in again] == [q["text"] for q in rows]   # the second piece is not taken for covered
    assert again[0]["id"] == rows[0]["id"]


def test_agreement_counts_each_piece_once(harbour):
    project, rows = harbour
    for name in ("ana", "ben"):
        labels.ensure_annotator(project, name)
        for q in rows:
            annotate.confirm_quote(project, q["id"], name)
    annotate.set_verdict(project, rows[1]["id"], "ben", {"status": "rejected"})
    pair = project_agreement(project).quotes.forms["direct"].pairs[0]
    # four pieces, two of them one quotation: compared by their own words, as separate quotes always were
    assert (pair.a_quotes, pair.b_quotes, pair.shared) == (4, 3, 3)
    assert pair.speaker_observed == 1.0


@pytest.mark.parametrize("text", [
    "Ann Lee was supported by most of the voters in the harbour town.",
    "Ann Lee concluded by warning the council about the cost of the wall.",
    "Ann Lee responded by leaving the hall before the vote on the harbour wall.",
    "The figures were reported by the council and the harbour board last week.",
])
def test_the_agent_or_the_means_after_a_cue_is_no_content(text):
    # ('warning ... about the cost' may stay: a cue of its own)
    assert not [q for q in detect(text).quotes if text[q.content_start:q.content_end].startswith("by ")]


def test_a_that_clause_after_a_cue_is_still_content():
    text = "Ann Lee responded that the harbour wall would be built again next spring."
    [q] = detect(text).quotes
    assert q.form == "indirect" and text[q.content_start:q.content_end].startswith("the harbour wall")


@pytest.mark.parametrize("text", [
    # the cue before the first paragraph
    "Ann Lee said: \u201cThe wall is too low for the storms we see now.\n\n\u201cWe will build it again next spring.\u201d",
    # the cue after the last paragraph
    "\u201cThe wall is too low for the storms we see now.\n\n\u201cWe will build it again next spring,\u201d Ann Lee said.",
    # three paragraphs
    "Ann Lee said: \u201cThe wall is too low for the storms we see now.\n\n\u201cThe sea is rising every year.\n\n"
    "\u201cWe will build it again next spring.\u201d",
])
def test_a_quotation_running_over_paragraphs_is_one_content(text):
    pieces = _direct(text)
    assert len(pieces) >= 2 and "spring" in _words(text, pieces[-1])
    assert not pieces[0].close_mark    # the first paragraph ends with no closing mark
    assert {(q.content_start, q.content_end) for q in pieces} == {(pieces[0].start, pieces[-1].end)}
    assert {q.speaker for q in pieces} == {"Ann Lee"} and len({q.cue_start for q in pieces}) == 1


@pytest.mark.parametrize("text", [
    # the next paragraph's quotation has a cue and a speaker of its own
    "Ann Lee said: \u201cThe wall is too low for the storms we see now.\n\n"
    "\u201cWe will build it again next spring,\u201d Tom Berg replied.",
    # the first paragraph's quotation is closed: the next one starts anew
    "Ann Lee said: \u201cThe wall is too low for the storms we see now.\u201d\n\n"
    "\u201cWe will build it again next spring,\u201d Tom Berg replied.",
])
def test_a_new_paragraph_with_a_cue_of_its_own_is_a_new_quotation(text):
    first, second = _direct(text)
    assert (first.content_start, first.content_end) != (second.content_start, second.content_end)
    assert first.speaker == "Ann Lee" and second.speaker == "Tom Berg"
