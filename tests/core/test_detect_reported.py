"""Reported speech: indirect and mixed attributions, their cue, source and content, on sentences written here."""

import pytest

from annotator.core.detect import detect
from annotator.core.detect.reported import CUE_RE, VERB_LEMMAS
from annotator.core.quote_forms import parse_forms, quoted_parts


def reported(text, form=None):
    """The attributions of text that are not direct quotes (or of one form)."""
    return [q for q in detect(text).quotes if q.form != "direct" and (form is None or q.form == form)]


def content(text, q):
    return text[q.content_start:q.content_end]


def only(text, form="indirect"):
    found = reported(text, form)
    assert len(found) == 1, f"expected one {form} attribution, found {[content(text, q) for q in found]}"
    return found[0]


def test_subject_said_that_clause():
    text = "Mayor Ann Lee said that the bridge would reopen in May."
    q = only(text)
    assert content(text, q) == "the bridge would reopen in May"
    assert q.speaker == "Ann Lee" and q.cue == "said"
    assert text[q.start:q.end] == content(text, q)   # an indirect item's span is its content
    assert q.open_mark == q.close_mark == ""


def test_zero_that_clause():
    text = "The senator said the bill would fail without more votes."
    q = only(text)
    assert content(text, q) == "the bill would fail without more votes"
    assert q.speaker and "senator" in q.speaker


def test_content_then_subject_and_verb():
    text = "The tunnel will cost twice as much as planned, Ann Lee said on Monday."
    q = only(text)
    assert content(text, q) == "The tunnel will cost twice as much as planned"
    assert q.speaker == "Ann Lee"


def test_content_then_verb_then_name():
    text = "The tunnel will cost twice as much as planned, said Tom Berg, the city engineer."
    q = only(text)
    assert content(text, q).startswith("The tunnel will cost")
    assert q.speaker == "Tom Berg"


def test_according_to_first():
    text = "According to aides, the governor will veto the budget next week."
    q = only(text)
    assert content(text, q) == "the governor will veto the budget next week"
    assert q.cue.lower() == "according to"


def test_according_to_last():
    text = "The governor will veto the budget, according to Ann Lee, her chief of staff."
    q = only(text)
    assert content(text, q) == "The governor will veto the budget"
    assert q.speaker == "Ann Lee"


def test_told_reporters_skips_the_object():
    text = "Tom Berg told reporters the strike would end by Friday."
    q = only(text)
    assert content(text, q) == "the strike would end by Friday"
    assert q.speaker == "Tom Berg" and q.cue == "told"


def test_told_a_name_that():
    text = "Ann Lee told The Courier that the council had ignored the warnings."
    q = only(text)
    assert content(text, q) == "the council had ignored the warnings"


def test_accused_of():
    text = "Ann Lee accused the council of hiding the costs from voters."
    q = only(text)
    assert content(text, q) == "the council of hiding the costs from voters"
    assert q.speaker == "Ann Lee" and q.cue == "accused"


def test_denied_that_negation_is_content():
    text = "Tom Berg denied that he had known about the missing funds."
    q = only(text)
    assert content(text, q) == "he had known about the missing funds"
    assert q.cue == "denied"


def test_possessor_claim_that():
    text = "Ann Lee's claim that the harbour was safe turned out to be wrong."
    q = only(text)
    assert content(text, q).startswith("the harbour was safe")
    assert q.speaker == "Ann Lee" and q.cue == "claim"


def test_belief_verbs_count():
    text = "Police believe the driver fled across the border."
    q = only(text)
    assert content(text, q) == "the driver fled across the border"


def test_pronoun_source_resolves_to_the_person():
    text = "Ann Lee spoke at the harbour on Tuesday. She said the ferry service would resume soon."
    q = only(text)
    assert q.speaker == "Ann Lee"


def test_participle_takes_the_clause_subject():
    text = "Tom Berg left the meeting early, saying the vote had been rigged."
    q = only(text)
    assert content(text, q) == "the vote had been rigged"
    assert q.speaker == "Tom Berg"


def test_mixed_is_one_item_holding_its_quoted_words():
    text = 'Ann Lee said the plan was "dead on arrival" and would be replaced.'
    found = detect(text).quotes
    assert [q.form for q in found] == ["mixed"]
    q = found[0]
    assert content(text, q) == 'the plan was "dead on arrival" and would be replaced'
    assert text[q.start:q.end] == "dead on arrival"   # its quoted words stay quotation
    assert q.speaker == "Ann Lee"


def test_mixed_with_two_fragments_is_still_one_item():
    text = 'Tom Berg said the report was "a whitewash" written by "people who never came here" last year.'
    found = detect(text).quotes
    assert [q.form for q in found] == ["mixed"]
    parts = quoted_parts(text, found[0].start, found[0].end, "mixed", found[0].open_mark, found[0].close_mark)
    assert [text[a:b] for a, b in parts] == ["a whitewash", "people who never came here"]


def test_a_whole_quote_after_said_that_stays_direct():
    text = 'Dana Whitfield said that "prices will fall soon."'
    found = detect(text).quotes
    assert [q.form for q in found] == ["direct"]
    assert found[0].content_start == found[0].start and found[0].content_end == found[0].end


def test_direct_quote_with_cue_after_stays_direct():
    text = '"Prices will fall," Bruce said. He added that rents would follow.'
    forms = [(q.form, q.speaker) for q in detect(text).quotes]
    assert forms == [("direct", "Bruce"), ("indirect", "Bruce")]


@pytest.mark.parametrize("text", [
    "The report on the bridge runs to forty pages.",      # a cue word used as a noun
    "The state of the roads is poor this winter.",
    "He went to the shop to buy some milk.",               # an infinitive no cue governs
    "He told me.",
])
def test_no_attribution_without_a_frame(text):
    assert reported(text) == []


def test_items_do_not_overlap_and_lie_inside_the_text():
    text = ("Ann Lee said the tunnel would open in May, adding that the cost had doubled. "
            "According to Tom Berg, the council knew. The council denied that it had been warned.")
    found = detect(text).quotes
    prev = 0
    for q in found:
        assert 0 <= q.content_start <= q.start <= q.end <= q.content_end <= len(text)
        assert q.content_start >= prev
        prev = q.content_end
    assert len(found) >= 3


def test_cue_words_come_from_the_word_list():
    assert VERB_LEMMAS["said"] == "say" and VERB_LEMMAS["denied"] == "deny"
    assert "state" not in VERB_LEMMAS and "stated" in VERB_LEMMAS   # a bracketed lemma is no cue itself
    assert CUE_RE.search("as aides told him") is not None


def test_parse_forms():
    assert parse_forms(None) == ("direct", "mixed", "indirect")
    assert parse_forms("indirect, direct") == ("direct", "indirect")
    assert parse_forms("reported") == ("mixed", "indirect")
    with pytest.raises(ValueError, match="unknown form 'quotes'"):
        parse_forms("direct,quotes")


def test_preposition_verbs_take_the_object_of_their_preposition():
    text = "Tom Berg talked about the harbour fees at the meeting."
    q = only(text)
    assert content(text, q).startswith("the harbour fees") and q.speaker == "Tom Berg"
    assert reported("They talked for hours after the meeting.") == []


def test_a_that_clause_counts_when_the_subject_cannot_be_read():
    text = "A third of the residents, 33 percent, say the ferry should run at night."
    q = only(text)
    assert content(text, q) == "the ferry should run at night"


def test_the_sentence_opening_name_is_the_source_when_the_subject_is_far():
    text = ("Sen. Ann Lee (R-Ore.), one of the few authors of the harbour act still in the Senate, "
            "said she remembers the night it passed.")
    q = only(text)
    assert q.speaker == "Ann Lee"


def test_a_noun_cue_with_no_that_clause_is_no_attribution():
    assert reported('Her remarks about the "green corridor" drew applause from the crowd.') == []


def test_a_line_opened_by_a_name_and_a_colon_reports_that_source():
    text = "Harbour board: the tunnel will cost twice as much\n\nThe board met on Monday."
    q = only(text)
    assert content(text, q) == "the tunnel will cost twice as much" and q.cue == ":"
    assert reported("5:05 p.m.: The polls close soon in Ohio and Florida.") == []   # a time, no source
    assert reported("Update: the ferry runs again from the north quay.") == []


def test_a_long_appositive_subject_is_read_whole_and_is_not_content():
    text = ("Ann Lee, a professor of maritime law at the harbour college in the old town, "
            "said the tunnel contract had been signed too early.")
    q = only(text)
    assert q.speaker == "Ann Lee" and content(text, q) == "the tunnel contract had been signed too early"


# -- the whole source phrase: groups, several people, polls (issue 15, source side) ---------------------

def test_group_subject_named_whole():
    text = "U.S. intelligence officials said the agency had no record of the call."
    q = only(text)
    assert q.speaker == "U.S. intelligence officials"


def test_coordinated_subject_names_both():
    text = "Ann Lee and Tom Berg said the harbour plan would fail without federal money."
    q = only(text)
    assert q.speaker == "Ann Lee and Tom Berg"
    assert text[q.speaker_start:q.speaker_end] == "Ann Lee and Tom Berg"


def test_description_keeps_its_organisation():
    text = "A spokeswoman for the Harbor Authority said the pier would close for the winter."
    q = only(text)
    assert "spokeswoman for the Harbor Authority" in q.speaker


def test_according_to_a_joint_poll():
    text = "The mayor leads by nine points, according to a Gazette/WKRN News poll released on Friday."
    q = only(text)
    assert "Gazette/WKRN News poll" in q.speaker


def test_person_with_description_before_stays_the_person():
    text = "Republican front-runner Ann Lee said the plan would fail in the Senate."
    q = only(text)
    assert q.speaker == "Ann Lee"


def test_pronoun_subject_not_widened():
    text = "Ann Lee spoke first. But she said the plan would fail in the Senate."
    q = only(text)
    assert q.speaker == "Ann Lee"


def test_according_to_a_count_by_an_agency_names_the_count():
    text = "The senator has won 412 delegates, according to a count by The Harbor Gazette."
    q = only(text)
    assert q.speaker == "count by The Harbor Gazette"


def test_country_as_subject_is_its_government():
    text = "The talks stalled in May. France regards the new border rules as a breach of the treaty."
    q = only(text)
    assert q.speaker == "France" and q.speaker_kind == "organisation"


# -- where an object content ends (issue 15, boundaries) ------------------------------------------------

def test_object_content_keeps_its_prepositional_phrases():
    text = "Ann Lee decried an increase in burglaries in some suburbs."
    q = only(text)
    assert content(text, q) == "an increase in burglaries in some suburbs"


def test_object_content_ends_before_a_second_verb():
    text = "Ann Lee praised the new budget and criticized the tax plan."
    q = reported(text)[0]
    assert content(text, q) == "the new budget"


def test_object_content_runs_over_coordinated_nouns():
    text = "Ann Lee praised the mayor and the council for the quick repairs."
    q = only(text)
    assert content(text, q) == "the mayor and the council for the quick repairs"


def test_content_in_an_opening_subordinate_clause_ends_at_its_comma():
    text = "While Ann Lee said the harbour plan was sound, the council voted it down on Tuesday."
    q = only(text)
    assert content(text, q) == "the harbour plan was sound"


def test_content_without_an_opening_subordinate_clause_runs_on():
    text = "Ann Lee said the harbour plan was sound, cheap and quick to build."
    q = only(text)
    assert content(text, q) == "the harbour plan was sound, cheap and quick to build"


def test_share_of_a_group_is_the_source():
    text = "But 58 percent of the harbour workers polled said they would strike in May."
    q = only(text)
    assert q.speaker == "58 percent of the harbour workers"


def test_share_before_auxiliaries_is_the_source():
    text = "Most of the vulnerable Senate Republicans have already said they would back the bill."
    q = only(text)
    assert q.speaker == "Most of the vulnerable Senate Republicans"


def test_thanks_to_is_no_cue():
    text = "Ann Lee won the county thanks in part to strong turnout in the suburbs."
    assert reported(text) == []


def test_thanks_as_a_verb_stays_a_cue():
    text = "Ann Lee thanks the volunteers who knocked on doors all summer."
    q = only(text)
    assert q.speaker == "Ann Lee"


# -- a quote whose own cue stands inside an outer source's reported speech ------------------------

def _mixed(text):
    return [q for q in detect(text).quotes if q.form == "mixed"]


def test_quote_nested_in_a_named_sources_reported_speech_goes_to_the_outer_source():
    text = 'Senator Ada Brook said Mayor Ivo Lake had told donors that the town would allow "no more delays" on the bridge.'
    (q,) = _mixed(text)
    assert q.speaker == "Ada Brook"
    (q,) = _mixed('Senator Ada Brook said that Mayor Ivo Lake expects voters will say "no thanks" to the levy.')
    assert q.speaker == "Ada Brook"


def test_described_outer_source_leaves_the_quote_to_its_own_cue():
    (q,) = _mixed("The council's top lawyer said the mayor had told donors the town would allow \"no more delays\" on the bridge.")
    assert q.speaker == "the mayor"


def test_a_source_opening_its_own_clause_after_a_comma_keeps_the_quote():
    text = 'Ada Brook spoke first. When Ivo Lake asked whether Brook had called the mayor, Brook replied, "Of course I did, twice."'
    quotes = [q for q in detect(text).quotes if q.open_mark]
    assert [q.speaker for q in quotes] == ["Ada Brook"]


def test_a_naming_participle_after_a_common_noun_is_not_reported_speech():
    from annotator.core.detect import detect
    for text in ('A theatre group staged a comedy called "Dinner at Noon" in the old hall.',
                 "The farmers formed a cooperative dubbed the Valley Twelve last spring."):
        assert not [q for q in detect(text).quotes if q.form != "direct" and q.confidence >= 0.5], text
