"""Reported speech, frames of issue 15r: a passive 'asked' and its question, 'In a poll / In Lee's view, ...'
openers, evidence verbs closing a sentence ('..., records show.'), an object not cut at a title's full stop,
and a content ending where another source's report is joined on. Sentences written here."""

import pytest

from annotator.core.detect import detect


def reported(text):
    return [q for q in detect(text).quotes if q.form != "direct"]


def contents(text):
    return [text[q.content_start:q.content_end] for q in reported(text)]


def find(text, content):
    for q in reported(text):
        if text[q.content_start:q.content_end] == content:
            return q
    raise AssertionError(f"no attribution {content!r} in {contents(text)}")


# --- a passive 'asked': the question is the content

@pytest.mark.parametrize("text, content", [
    ("Asked whether the bridge would reopen, the mayor shrugged.", "whether the bridge would reopen"),
    ("When asked about the new tax plan, Ann Lee smiled.", "the new tax plan"),
    ("Tom Berg, asked why he left the council, did not answer.", "why he left the council"),
    ("She was asked how the deal would be paid for.", "how the deal would be paid for"),
])
def test_passive_asked_question_is_content(text, content):
    find(text, content)


def test_passive_asked_by_names_the_asker():
    text = "Asked by Ann Lee whether the mill would close, the owner left the room."
    q = find(text, "whether the mill would close")
    assert q.speaker == "Ann Lee"


@pytest.mark.parametrize("text", [
    "The waiter asked for the bill.",          # active, no question
    "Nobody had asked the right questions.",   # no wh-clause, 'about' or infinitive after it
])
def test_asked_without_a_question_frames_nothing_new(text):
    assert not any(c.startswith(("whether", "why", "how")) for c in contents(text))


# --- 'In a poll ..., CLAUSE' and "In Lee's view, CLAUSE"

def test_in_a_poll_frames_the_clause_after_its_comma():
    text = "In a Gazette poll released Monday, the mayor led her rival by ten points."
    q = find(text, "the mayor led her rival by ten points")
    assert q.speaker and "Gazette poll" in q.speaker


def test_in_someones_view_names_the_possessor():
    text = "In Ann Lee's view, the council wasted the money on the stadium."
    q = find(text, "the council wasted the money on the stadium")
    assert q.speaker == "Ann Lee"


def test_in_a_poll_aside_is_skipped():
    text = "In a new Gazette poll, conducted last week, the mayor led her rival by ten points."
    find(text, "the mayor led her rival by ten points")


@pytest.mark.parametrize("text", [
    "In the view from the hill, the lake shone below us.",   # nobody's view
    "The lake shone, in a view many painters loved.",        # not opening its sentence
    "In mind of the weather, we stayed home all day.",
])
def test_in_view_needs_an_opening_phrase_with_a_holder(text):
    assert not any(q.cue in ("view", "mind") for q in reported(text))


# --- evidence verbs closing their sentence

@pytest.mark.parametrize("text, content", [
    ("The company paid no tax in three of those years, court records show.",
     "The company paid no tax in three of those years"),
    ("Turnout fell sharply among young voters, the study found.", "Turnout fell sharply among young voters"),
])
def test_evidence_verb_after_its_content(text, content):
    find(text, content)


# --- an object is not cut at a title's or an initial's full stop

@pytest.mark.parametrize("text, content", [
    ("Tom Berg praised Mrs. Lee's work for the children of the town.", "Mrs. Lee's work for the children of the town"),
    ("The union endorsed Sen. Hale last week.", "Sen. Hale"),
    ("The union endorsed J. Hale for mayor.", "J. Hale for mayor"),
])
def test_object_keeps_titles_and_initials(text, content):
    find(text, content)


def test_object_stops_at_a_weekday():
    text = "The union endorsed Tom Berg Wednesday at its hall."
    find(text, "Tom Berg")


# --- another source's report joined on with ', and'

def test_joined_report_ends_the_first_content():
    text = "Ann Lee said the fund would run dry by June, and Tom Berg said the state would have to borrow."
    first = find(text, "the fund would run dry by June")
    assert first.speaker == "Ann Lee"


def test_and_without_a_second_report_keeps_the_content_whole():
    text = "Ann Lee said the fund would run dry by June, and the state would have to borrow."
    find(text, "the fund would run dry by June, and the state would have to borrow")
