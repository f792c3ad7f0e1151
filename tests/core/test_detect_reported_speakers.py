"""Who reported speech is from: source rules for indirect attributions, on sentences written here."""

from annotator.core.detect import detect


def indirect(text):
    return [q for q in detect(text).quotes if q.form == "indirect"]


def by_cue(text, cue):
    found = [q for q in indirect(text) if q.cue == cue]
    assert len(found) == 1, f"expected one attribution cued by {cue!r}, found {[(q.cue, q.speaker) for q in indirect(text)]}"
    return found[0]


def test_second_verb_after_and_takes_the_sentence_subject():
    text = "In April, the mayor Ann Lee visited the dam, and said the repairs would take a year."
    assert by_cue(text, "said").speaker == "Ann Lee"


def test_second_verb_after_but_takes_the_sentence_subject():
    text = "Tom Berg became a delegate last spring but said he is leaning toward the governor."
    assert by_cue(text, "said").speaker == "Tom Berg"


def test_organisation_subject_of_two_verbs():
    text = "Acme Mining reported flat sales in April, and said it was still hopeful about the year."
    assert by_cue(text, "said").speaker == "Acme Mining"


def test_two_subjects_joined_are_not_a_second_verb():
    text = "The mayor spoke first, and Tom Berg said the repairs would take a year."
    assert by_cue(text, "said").speaker == "Tom Berg"


def test_description_keeps_whom_it_speaks_for():
    text = "A spokeswoman for Acme Mining said the video broke the company rules."
    assert by_cue(text, "said").speaker == "spokeswoman for Acme Mining"


def test_name_with_the_organisation_after_it_is_the_name():
    text = "James Hall with the Dayton Police Department said the road was closed."
    assert by_cue(text, "said").speaker == "James Hall"


def test_name_not_read_on_into_the_verb():
    text = "Tom Berg isn\u2019t convinced that the new plan will work in the end."
    assert by_cue(text, "convinced").speaker == "Tom Berg"


def test_possessive_pronoun_owns_the_remarks():
    text = "Mayor Ann Lee spoke on Monday. Her remarks indicated that the bridge would stay closed until May."
    assert by_cue(text, "indicated").speaker == "Ann Lee"


def test_named_owner_of_a_statement():
    text = "Tom Berg\u2019s remarks suggested that the council would vote against the plan."
    assert by_cue(text, "suggested").speaker == "Tom Berg"


def test_owner_of_a_spokesman_is_not_the_speaker():
    text = "Tom Berg\u2019s spokesman said the senator would vote against the bill."
    assert by_cue(text, "said").speaker != "Tom Berg"


def test_capitalised_description_keeps_whom_it_speaks_for():
    text = "Attorneys for Ann Lee said the email account was private."
    assert by_cue(text, "said").speaker == "Attorneys for Ann Lee"


def test_description_keeps_where_it_is_from():
    text = "Legislative leaders in Ohio said the budget would pass by June."
    assert by_cue(text, "said").speaker == "Legislative leaders in Ohio"


def test_name_with_a_place_after_it_is_the_name():
    text = "Ann Lee in Ohio said the road had been closed since Friday."
    assert by_cue(text, "said").speaker == "Ann Lee"


def test_dateline_is_not_the_subject_of_a_participle():
    text = "SALEM, July 25 (UPI) \u2014 The Ohio Farm Bureau released a statement on Monday, offering an apology to the growers."
    assert by_cue(text, "offering").speaker == "Ohio Farm Bureau"


def test_wire_dateline_before_a_named_subject():
    text = "PARIS, Aug 31 (Reuters) - Ann Lee voiced support for the plan on Wednesday, saying it would bring jobs to the region."
    assert by_cue(text, "saying").speaker == "Ann Lee"


def test_time_between_name_and_verb():
    text = "Sen. Tom Berg (R-Ohio) last week said the bill would fail in the House."
    assert by_cue(text, "said").speaker == "Tom Berg"


def test_day_between_name_and_verb():
    text = "Senator Ann Lee on Tuesday said the bill would fail in the House."
    assert by_cue(text, "said").speaker == "Ann Lee"


def test_time_of_day_between_name_and_verb():
    text = "Ann Lee earlier in the day said the bill would fail in the House."
    assert by_cue(text, "said").speaker == "Ann Lee"


def test_participle_subject_not_read_on_into_its_verb():
    text = "Tom Berg goes big, not always worrying about whether what he\u2019s proposing is politically realistic."
    assert by_cue(text, "worrying").speaker == "Tom Berg"


def test_data_named_for_its_maker_stays_the_data():
    text = "Acme County land records show that the house was sold to the company in May."
    found = indirect(text)
    assert found and all(q.speaker != "Acme County" for q in found)


def test_reads_on_tells_a_verb_from_a_noun():
    from annotator.core.detect.speakers import reads_on
    text = "Tom Berg made no secret of it. Tom Berg data show it. Tom Berg isn\u2019t sure. Tom Berg of Ohio."
    ends = [i + len("Tom Berg") for i in range(len(text)) if text.startswith("Tom Berg", i)]
    assert [reads_on(text, e, len(text)) for e in ends] == [True, False, True, False]


def test_possessor_ending_in_s_keeps_its_apostrophe():
    text = "The rally was loud. Jones\u2019 aides say their campaign has no desire to fight on."
    assert by_cue(text, "say").speaker == "Jones\u2019 aides"


def test_people_a_name_has_are_not_the_name():
    text = "Ann Lee spoke first. Lee's closest allies believe she will win the primary."
    assert by_cue(text, "believe").speaker == "Lee's closest allies"


def test_subject_of_a_light_verb_owns_the_cue_noun():
    text = "Ann Lee voiced support for the plan on Wednesday."
    assert by_cue(text, "support").speaker == "Ann Lee"


def test_made_a_call_for():
    text = "During the debate, Ann Lee made an unprompted call for an end to the farm subsidies."
    assert by_cue(text, "call").speaker == "Ann Lee"


def test_described_group_keeps_its_description_with_a_determiner():
    # the same subject with and without 'The' names the same speakers
    with_the = by_cue("The harbour engineers warned that the repairs had cost twice the budget.", "warned")
    without = by_cue("Harbour engineers warned that the repairs had cost twice the budget.", "warned")
    assert with_the.speaker is not None and with_the.speaker.lower() == "harbour engineers"
    assert without.speaker is not None and without.speaker.lower() == "harbour engineers"


def test_described_plural_nouns_that_can_speak_are_speakers():
    q = by_cue("Local residents warned that the new bridge would bring more lorries.", "warned")
    assert q.speaker is not None and q.speaker.lower() == "local residents"
    q = by_cue("The county inspectors warned that the old school roof could fall in.", "warned")
    assert q.speaker is not None and q.speaker.lower() == "county inspectors"


def test_share_or_count_is_no_described_source():
    from annotator.core.detect.reported import _described_source
    for written in ("Six in 10", "Most", "Some", "More people", "Half of them", "Thursday's memo from the panel",
                    "The new figures", "30 engineers"):
        assert not _described_source(written), written
    for written in ("The city engineers", "Local residents", "An economist", "people", "the crowd"):
        assert _described_source(written), written
