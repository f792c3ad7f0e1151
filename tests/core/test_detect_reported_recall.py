"""Reported speech, the recall rules: infinitive contents, object + infinitive, raising and passive frames.
Sentences written here."""

import pytest

from annotator.core.detect import detect


def reported(text):
    return [q for q in detect(text).quotes if q.form != "direct"]


def contents(text):
    return [text[q.content_start:q.content_end] for q in reported(text)]


def only(text):
    found = reported(text)
    assert len(found) == 1, f"expected one attribution, found {contents(text)}"
    return found[0], text[found[0].content_start:found[0].content_end]


@pytest.mark.parametrize("text, content", [
    ("Ann Lee vowed to block the pipeline bill.", "to block the pipeline bill"),
    ("The mayor wants to raise taxes on the rich.", "to raise taxes on the rich"),
    ("Tom Berg has pledged not to run again next year.", "not to run again next year"),
    ("The governor plans to sign the measure on Friday.", "to sign the measure on Friday"),
    ("Ann Lee is seeking to win delegates in three states.", "to win delegates in three states"),
    ("She wants to go home.", "to go home"),
])
def test_infinitive_content(text, content):
    q, got = only(text)
    assert got == content
    assert q.cue in text and text.index(q.cue) < q.content_start


def test_infinitive_content_keeps_its_source():
    text = "Senator Ann Lee refused to answer questions about the loan."
    q, got = only(text)
    assert got == "to answer questions about the loan"
    assert q.speaker == "Ann Lee"


@pytest.mark.parametrize("text, content", [
    ("Tom Berg urged voters to reject the measure.", "voters to reject the measure"),
    ("The council called on the state to pay for the repairs.", "the state to pay for the repairs"),
    ("Ann Lee asked her aides to find a new venue.", "her aides to find a new venue"),
])
def test_object_and_infinitive_content(text, content):
    _, got = only(text)
    assert got == content


@pytest.mark.parametrize("text", [
    "He went to the shop to buy some milk.",
    "The plan called on Monday for cuts.",
])
def test_no_infinitive_content_without_a_governing_cue(text):
    assert all("buy some milk" not in c and "Monday" not in c for c in contents(text))


@pytest.mark.parametrize("text, content", [
    ("Ann Lee is expected to win the primary easily.", "Ann Lee is expected to win the primary easily"),
    ("The bridge appears to have cracked in two places.", "The bridge appears to have cracked in two places"),
    ("The vote was widely seen as a test of the new leader.", "The vote was widely seen as a test of the new leader"),
    ("Tom Berg had been expected to visit the plant next week.",
     "Tom Berg had been expected to visit the plant next week"),
])
def test_raising_and_passive_frames(text, content):
    q, got = only(text)
    assert got == content
    assert q.speaker is None   # nobody named holds the expectation


@pytest.mark.parametrize("text", [
    "It appears to be over now.",        # no subject to report on
    "The trophy was seen in the hall.",  # a seen thing, not a view
])
def test_no_raising_frame(text):
    assert reported(text) == []


@pytest.mark.parametrize("text, content", [
    ("New polls released on Sunday showed the mayor taking a clear lead.", "the mayor taking a clear lead"),
    ("A batch of emails obtained by the paper reveals tension between the two offices.",
     "tension between the two offices"),
    ("Local farmers support the new water rules for the valley.", "the new water rules for the valley"),
])
def test_common_noun_subject(text, content):
    _, got = only(text)
    assert got == content


@pytest.mark.parametrize("text", [
    "The interest rates rise every spring in the valley.",     # 'rates' a noun, 'rise' no cue
    "Their strong support helped the mayor win the race.",      # 'support' a noun after a determiner
    "The long questions bored everybody in the hall.",
])
def test_no_common_noun_subject_for_nouns(text):
    assert reported(text) == []


def test_participle_after_a_quote_takes_the_speaker_verb_subject():
    text = '"We have waited long enough," Ann Lee said, mentioning the delays to the new hospital wing.'
    found = reported(text)
    assert [text[q.content_start:q.content_end] for q in found] == ["the delays to the new hospital wing"]


@pytest.mark.parametrize("text, content, speaker", [
    ("Ann Lee on Thursday stepped up her attacks on Tom Berg.", "Tom Berg", None),
    ("Tom Berg's sharply worded criticism of the court drew a rebuke.", "the court", "Tom Berg"),
    ("The council voted in support of the new stadium, 7 to 2.", "the new stadium", None),
    ("Berg's support for the tax plan is no surprise.", "the tax plan", "Berg"),
])
def test_noun_and_preposition(text, content, speaker):
    found = [q for q in reported(text) if text[q.content_start:q.content_end] == content]
    assert found, contents(text)
    if speaker:
        assert found[0].speaker and speaker in found[0].speaker


def test_noun_and_preposition_needs_a_noun_reading():
    text = "Tom Berg attacks on the wing every game."   # a verb after its subject, no noun
    assert "the wing every game" not in contents(text)


@pytest.mark.parametrize("text, content", [
    ("Ann Lee spoke about the need for new schools.", "the need for new schools"),
    ("The union pushed hard for a higher minimum wage.", "a higher minimum wage"),
    ("Most delegates voted for Tom Berg on Tuesday.", "Tom Berg on Tuesday"),
    ("Tom Berg portrayed the mayor as a tool of developers.", "the mayor as a tool of developers"),
    ("Ann Lee lashed out at the press over its coverage.", "the press over its coverage"),
])
def test_new_cue_verbs(text, content):
    assert content in contents(text)


def test_preposition_verb_without_its_preposition_is_no_cue():
    assert reported("He pressed the button twice.") == []


@pytest.mark.parametrize("text, content, source", [
    ("The city has spent $40 million on the project, according to a count by the Daily Ledger.",
     "The city has spent $40 million on the project", "Daily Ledger"),
    ("Tom Berg will join the lawsuit, according to one of his senior aides.",
     "Tom Berg will join the lawsuit", "aides"),
])
def test_according_to_a_phrase_no_name_rule_reads(text, content, source):
    q, got = only(text)
    assert got == content
    assert source in text[q.speaker_start:q.speaker_end]


@pytest.mark.parametrize("text, content", [
    ("Ann Lee echoed the same liberal themes and took the stage with Tom Berg.", "the same liberal themes"),
    ("Tom Berg has proposed closing the old harbour and has gone so far as to hire a surveyor.",
     "closing the old harbour"),
    ("Ann Lee said the vote was fair but added that she would appeal.", "the vote was fair"),
])
def test_content_ends_before_a_second_verb_phrase(text, content):
    assert contents(text)[0] == content


def test_coordinated_clauses_inside_the_content_stay():
    text = "Ann Lee said the tax rose and spending climbed."
    assert contents(text) == ["the tax rose and spending climbed"]


@pytest.mark.parametrize("text, content, source", [
    ("The council will vote again in May, a source close to the mayor said.",
     "The council will vote again in May", "source close to the mayor"),
    ("The harbour fees will rise next year, Tom Berg said, adding that the port needed repairs.",
     "The harbour fees will rise next year", "Tom Berg"),
    ("Federal rules are a burden on small farms in the valley, said Ann Lee, a farmer.",
     "Federal rules are a burden on small farms in the valley", "Ann Lee"),
])
def test_content_before_a_closing_say_verb(text, content, source):
    found = reported(text)
    q = found[0]
    assert text[q.content_start:q.content_end] == content
    assert source in text[q.speaker_start:q.speaker_end]


def test_closing_say_verb_needs_a_noun_phrase_between():
    text = "Ann Lee, who has pledged to cut taxes, is a member of the board."
    assert all(text[q.content_start:q.content_end] != "Ann Lee" for q in reported(text))
    assert all(q.cue != "pledged" or "cut taxes" in text[q.content_start:q.content_end] for q in reported(text))
