"""Cues and speakers: who said the quoted words, in every order news writing uses."""

import pytest

from annotator.core.detect import DETECTOR_VERSION, detect


def first(text):
    quotes = [q for q in detect(text).quotes if q.form != "indirect"]   # the quoted words, not reported speech
    assert quotes, "no quote found"
    return quotes[0]


def test_quote_then_name_then_verb():
    q = first('"Prices will fall," Bruce said.')
    assert q.speaker == "Bruce" and q.cue == "said" and q.confidence >= 0.5


def test_verb_then_name():
    q = first('"Prices will fall," said Dana Whitfield, an economist at the bank.')
    assert q.speaker == "Dana Whitfield"


def test_name_said_colon():
    text = 'Dana Whitfield said: "Prices will fall."'
    q = first(text)
    assert text[q.start:q.end] == "Prices will fall."
    assert q.speaker == "Dana Whitfield"


def test_name_said_that():
    assert first('Dana Whitfield said that "prices will fall soon."').speaker == "Dana Whitfield"


def test_according_to():
    text = '"The vote was close," according to the election commission.'
    q = first(text)
    assert q.cue.lower() == "according to"
    assert "election commission" in q.speaker


def test_title_before_name_is_kept_as_role():
    q = first('"Talks went well," US Trade Secretary Alan Brody said.')
    assert q.speaker == "Alan Brody"
    assert q.role == "US Trade Secretary"
    assert q.speaker_kind == "person"


def test_surname_resolves_to_full_name():
    text = ('Agency spokeswoman Carla Mendes spoke on Tuesday.\n\n'
            '"Nothing has changed," Mendes said.')
    q = first(text)
    assert q.speaker == "Carla Mendes"
    assert text[q.speaker_start:q.speaker_end] == "Mendes"


def test_pronoun_resolves_to_last_person():
    text = ('Peter Novak, the team coach, arrived late.\n\n'
            '"We trained hard all week," he said.')
    assert first(text).speaker == "Peter Novak"


def test_pronoun_respects_gender():
    text = ('Mr. Hugo Brandt met Sarah Lind on Monday. Mr. Brandt left early.\n\n'
            '"It was a long day," she said.')
    assert first(text).speaker == "Sarah Lind"


def test_organisation_as_source():
    q = first('In a statement on Friday, Norway\'s foreign ministry said the talks had been "constructive and open".')
    assert q.speaker == "Norway's foreign ministry"
    assert q.speaker_kind == "organisation"


def test_document_as_source():
    q = first('"The two sides will meet again," the statement said.')
    assert q.speaker == "the statement"
    assert q.speaker_kind == "document"


def test_next_paragraph_continues_the_speaker():
    text = ('"The harvest was poor," said farmer Jonas Aalto.\n\n'
            '"We lost half of the wheat to the rain and the rest to the mice."')
    det = detect(text)
    assert [q.speaker for q in det.quotes] == ["Jonas Aalto", "Jonas Aalto"]


def test_scare_quotes_get_low_confidence():
    text = 'The so-called "reform" plan was shelved, and the "cliff" talk faded over the summer.'
    assert all(q.confidence < 0.5 for q in detect(text).quotes)


def test_so_called_term_is_low_even_next_to_a_speech_verb():
    text = 'Critics said the so-called "reform" would fail.'
    assert all(q.confidence < 0.5 for q in detect(text).quotes if q.form != "indirect")


def test_title_of_a_work_gets_low_confidence():
    text = 'The film "A Long Way Home" opens in March.'
    assert all(q.confidence < 0.5 for q in detect(text).quotes)


def test_version_is_a_string():
    assert isinstance(DETECTOR_VERSION, str) and DETECTOR_VERSION
    assert detect("").quotes == []


def test_mentions_are_reported():
    text = '"Prices will fall," said Dana Whitfield.'
    names = [m.name for m in detect(text).mentions]
    assert "Dana Whitfield" in names


def test_participle_cue_points_at_the_sentence_subject():
    text = 'Governor Ellen Marsh vetoed the bill on Friday, saying it was "a gift to the landlords."'
    assert first(text).speaker == "Ellen Marsh"


def test_relative_clause_speaker():
    text = 'The plan was backed by Omar Haddad, who says it is "long overdue."'
    assert first(text).speaker == "Omar Haddad"


def test_party_tag_in_parentheses_is_skipped():
    text = '"We need the votes," Sen. Lena Fischer (D-Ore.) said.'
    assert first(text).speaker == "Lena Fischer"


def test_quote_followed_by_any_verb_of_the_speaker():
    text = '"Get out of my office," Victor Lund snapped.'
    q = first(text)
    assert q.speaker == "Victor Lund" and q.confidence >= 0.5


def test_fragment_in_a_sentence_goes_to_its_subject():
    text = 'Mayor Ruth Okafor blamed the "endless paperwork of the state agencies" for the delay.'
    assert first(text).speaker == "Ruth Okafor"


def test_description_keeps_the_organisation_it_speaks_for():
    text = '"We are reviewing the claim," said a spokesman for Harbor Freight Lines.'
    assert first(text).speaker == "spokesman for Harbor Freight Lines"


def test_lowercase_role_between_quote_and_name_goes_to_role():
    q = first('"People who walk to work deserve a safe crossing," councillor Mira Hale said.')
    assert q.speaker == "Mira Hale" and q.role == "councillor" and q.speaker_kind == "person"


def test_capitalised_title_is_stripped_into_role():
    q = first('Councillor Marcus Wren, who voted against the plan, said it was "a waste of good money."')
    assert q.speaker == "Marcus Wren" and q.role == "Councillor"


def test_role_after_quote_wins_over_an_organisation_named_earlier():
    text = ("Vesta, the shipping firm, opened a new dock.\n\n"
            "'We have the cranes, we only need the permits,' port director Ilse Moreau told reporters.")
    q = first(text)
    assert q.speaker == "Ilse Moreau" and q.role == "port director"


def test_said_then_lowercase_role_then_name():
    q = first('"The bill will pass," said Republican political consultant Chris Russell.')
    assert q.speaker == "Chris Russell"


def test_middle_initial_keeps_the_name_whole():
    q = first('"The audit is finished," Chief Counsel Nora B. Feld wrote in a letter.')
    assert q.speaker == "Nora B. Feld"


def test_name_before_a_description_in_commas_is_the_speaker():
    text = '"We raised more than we hoped," Lena Ortiz, the mayor\'s campaign manager, said.'
    assert first(text).speaker == "Lena Ortiz"


def test_party_tag_followed_by_comma():
    q = first('Gov. Paul Rendle (R-Utah), said, "We will rebuild the road."')
    assert q.speaker == "Paul Rendle"


def test_weak_cue_with_an_object_is_not_speech():
    text = "Rival unions agree on 'truce' before the strike vote"
    assert all(q.confidence < 0.5 for q in detect(text).quotes)


def test_cue_between_two_quotes_serves_the_second():
    text = ('"The roof leaks," said Ada Reyes, the school\'s caretaker. "We patch it every spring."\n\n'
            'Ben Torvik, the head teacher, was not at the meeting.')
    det = detect(text)
    assert [q.speaker for q in det.quotes] == ["Ada Reyes", "Ada Reyes"]


def test_description_then_name_in_commas_after_the_quote():
    text = '"The fund is empty," the harbour spokesman, Ivo Marek, told the local radio.'
    assert first(text).speaker == "Ivo Marek"


def test_quote_paragraph_after_a_colon_goes_to_the_person_named_before_it():
    text = "The review quotes the former harbour master Olga Brenner:\n\n\u201cNobody checked the moorings for years.\u201d"
    assert first(text).speaker == "Olga Brenner"


def test_quote_paragraph_followed_by_a_dash_attribution_line():
    text = '"We will not close the library while I am here."\n\n- Mayor Petra Lindqvist, at the town meeting.'
    assert first(text).speaker == "Petra Lindqvist"


def test_quote_paragraph_after_a_sentence_about_a_person():
    text = ("Tomas Weller kept up his attack on the budget.\n\n"
            "\u201cThis plan takes from the schools and gives to the consultants.\u201d")
    [q] = [q for q in detect(text).quotes if q.form == "direct"]   # 'his attack on the budget' is reported speech
    assert q.speaker == "Tomas Weller" and q.speaker_start is None


def test_unattributed_quote_falls_back_to_the_speaker_just_before():
    text = ('"The ferry will run all winter," said harbour chief Lotte Brand.\n\n'
            'The crossing takes forty minutes.\n\n'
            'In the past, "the ice stopped us for weeks at a time."')
    det = detect(text)
    assert [q.speaker for q in det.quotes] == ["Lotte Brand", "Lotte Brand"]


def test_inner_quote_closing_with_the_outer_one():
    text = "''He told us, 'Keep the gates shut,''' said Rosa Lindgren, who ran the depot."
    assert first(text).speaker == "Rosa Lindgren"


def test_remembered_is_a_speech_cue():
    q = first('"Nobody wanted the night shift," remembered Edvin Holm, a former driver.')
    assert q.speaker == "Edvin Holm" and q.cue == "remembered"


def test_participle_after_said_goes_to_the_one_who_said():
    text = ('Mayor Dora Vance will open the market, Jonas Feld said, adding that she would be '
            '"delighted to cut the ribbon."')
    assert first(text).speaker == "Jonas Feld"


def test_pronoun_after_a_quote_means_the_subject_of_the_sentence_before():
    text = ('"We expect a hard winter," Mayor Tom Berger said on Monday.\n\n'
            'Carl Novak, a baker who has run the shop on the square since 1990, says costs have doubled '
            'since Mr. Berger took office.\n\n'
            '"I cannot raise my prices again," he said.')
    assert detect(text).quotes[-1].speaker == "Carl Novak"


def test_pronoun_skips_a_possessive_and_an_object_in_the_sentence_before():
    text = ('Greta Olsen, who runs the charity, compared the plan with Mr. Hale\'s proposal from last year. '
            '"Neither of them will help families," she said.')
    assert detect(text).quotes[-1].speaker == "Greta Olsen"


def test_pronoun_in_an_opening_clause_looks_ahead_to_the_subject():
    text = ('Ivan Roth spoke first. Although she said the deal was "a good start", Marta Lind voted against it.')
    q = detect(text).quotes[0]
    assert q.speaker == "Marta Lind"


def test_pronoun_follows_the_speaker_named_in_the_sentence_before():
    text = ('"Trade is slow," said Anton Brix, the port director. "Nobody ships in this weather," he added.')
    assert [q.speaker for q in detect(text).quotes] == ["Anton Brix", "Anton Brix"]


def test_initials_before_a_surname_make_a_person():
    text = ('The film is directed by R.J. Moreno. Moreno said the shoot was "exhausting but worth it."')
    assert detect(text).quotes[0].speaker == "R.J. Moreno"


def test_object_of_a_naming_verb_is_not_the_speaker():
    text = 'Mayor Ruth Okafor answered the letter by calling Victor Lund "a tireless complainer".'
    assert first(text).speaker == "Ruth Okafor"


def test_capitalised_verb_opening_a_sentence_is_a_cue():
    text = 'The hall went quiet. Said Dana Whitfield: "We will rebuild the bridge."'
    q = first(text)
    assert q.speaker == "Dana Whitfield" and q.cue == "Said"


def test_party_tag_after_a_name_is_not_the_speaker():
    text = 'Senate leader Tom Halvorsen, R-Ky., said: "We will not move the vote."'
    assert first(text).speaker == "Tom Halvorsen"


def test_age_and_home_town_after_a_name_are_skipped():
    text = '"The buses never come on time," Nina Dross, 24, of Dayton, Ohio, said.'
    assert first(text).speaker == "Nina Dross"


def test_relative_clause_naming_a_place_is_skipped():
    text = ('Ivo Brandt, who lives just outside the state capital, Salem, said he still hopes the mayor '
            '"comes to her senses."')
    assert first(text).speaker == "Ivo Brandt"


def test_description_then_name_in_commas_keeps_the_name():
    text = 'The mayor\'s spokesman, Ivo Brandt, said the plan was "under review."'
    assert first(text).speaker == "Ivo Brandt"


def test_state_after_a_home_town_is_not_the_speaker():
    text = 'Voters were upbeat. Lena Kray of Dayton, Ohio says the senator can "win it all."'
    assert first(text).speaker == "Lena Kray"


def test_abbreviated_military_title_does_not_end_the_sentence():
    text = '"We are ready," said Army Capt. Lena Kray.'
    assert first(text).speaker == "Lena Kray"


def test_organisation_after_of_is_where_the_speaker_works():
    text = '"The figures are grim," said Ruth Amadi of Open Ledger Watch.'
    assert first(text).speaker == "Ruth Amadi"


def test_title_word_after_a_first_name_is_a_surname():
    text = '"We will hold the line," said Representative Colin T. King of Vermont.'
    assert first(text).speaker == "Colin T. King"


def test_headline_name_and_colon_gives_the_quote_to_that_person():
    text = ('Mayor Ruth Okafor spoke on Friday.\n\n'
            "Okafor: New Bridge Plan Is 'A Waste Of Money'\n\nThe council meets again next week.")
    q = first(text)
    assert q.speaker == "Ruth Okafor" and q.confidence >= 0.5


def test_label_before_a_colon_that_is_not_a_person_gives_nothing():
    text = "Weather Report: Town Braces For 'Storm Of The Decade'"
    assert all(q.confidence < 0.5 for q in detect(text).quotes)


def test_party_word_before_a_first_name_is_a_role():
    text = ('Republican Brenda Lind, a former mayor, told the paper she would rather vote for Helen Voss.\n\n'
            '"I am tired of the shouting," she said.')
    assert first(text).speaker == "Brenda Lind"


def test_pronoun_after_an_opening_clause_with_a_relative_clause_follows_the_last_speaker():
    text = ('"We need more buses," Marta Lind said.\n\n'
            'Asked about the vote in May, when Helen Voss won the seat, she replied: "I am not worried."')
    # (the asked question, 'the vote in May', is an indirect attribution of its own: the direct quotes here)
    assert [q.speaker for q in detect(text).quotes if q.form == "direct"] == ["Marta Lind", "Marta Lind"]


def test_headline_run_does_not_replace_the_full_name():
    text = ('Veteran Folk-Singer Brandt Backs The Mayor.\n\n'
            'Singer Ivo Brandt, 70, endorsed the mayor on Sunday.\n\n'
            '"She listens to people," Brandt said.')
    assert detect(text).quotes[0].speaker == "Ivo Brandt"


def test_digest_item_names_its_source_after_the_dash():
    text = 'FERRY USE DOUBLES IN A YEAR - Ruth C. Okafor: "Ridership rose in every month we counted."'
    assert first(text).speaker == "Ruth C. Okafor"


def test_a_pronoun_chain_reaches_back_past_a_paragraph_the_same_pronoun_opens():
    """'she said' after a paragraph that 'she' opens (here after 'On Monday,') means whom that 'she'
    meant, named a paragraph further back; not the woman named inside the paragraph between."""
    text = ('Mara Quint, who said Hillary Voss had cheated her in 1990, spoke on a radio show on Sunday. '
            'She has said that the deal fell apart that spring.\n\n'
            'On Monday, she said for the first time that Voss had called her again.\n\n'
            '"She called my office and asked when I was coming back to town," she said.')
    assert first(text).speaker == "Mara Quint"


def test_a_quoted_speakers_own_sentences_do_not_use_up_the_look_back_for_a_pronoun():
    """'he said' after a paragraph 'He' opens: looking back for whom 'He' meant passes over the
    sentences inside an earlier quote (four of them here) to the man named outside it."""
    text = ('Tom Ashe says he is not ready to support Ned Pryor.\n\n'
            'House Speaker Tom Ashe on Thursday declared that he cannot currently support Ned Pryor, throwing a '
            "wrench in the nominee's efforts to unify the party.\n\n"
            'Ashe was diplomatic, but firm: Pryor must prove that he deserves the nomination.\n\n'
            '"Well, to be candid with you, I am just not ready to do that at this point," Ashe told a radio host '
            'about backing Pryor. "I am not there right now. And I hope to, though, and I want to."\n\n'
            'It was a reversal for the Ohio Republican, who had pledged to back the nominee. '
            'He said on Thursday that Pryor needs to do more work to show that he is a true conservative.\n\n'
            '"I think what a lot of Republicans want to see is a standard-bearer," he said.')
    assert [q.speaker for q in detect(text).quotes if q.form == "direct"] == ["Tom Ashe"] * 3


def test_a_role_with_of_in_it_does_not_hide_the_name_after_it():
    """'Secretary of State Tom Ashe said ...': the "of" belongs to the role, so Ashe is the man the
    sentence is about when a later 'he told' looks back for him."""
    text = ('"We will not pay," Ned Pryor said. "Never. Not once. Not ever. No."\n\n'
            'Secretary of State Tom Ashe said the deal was fair to both sides. "We gave up very little," he told '
            'reporters.')
    assert [q.speaker for q in detect(text).quotes if q.form == "direct"] == ["Ned Pryor", "Ned Pryor", "Tom Ashe"]


@pytest.mark.parametrize("text, speaker", [
    ('"Sales will rise next year," McDonald\u2019s Corporation said in a statement.', "McDonald\u2019s Corporation"),
    ('"Ratings may fall," said Moody\u2019s Investors Service.', "Moody\u2019s Investors Service"),
    ('"We object," China\u2019s Foreign Ministry said on Monday.', "China\u2019s Foreign Ministry"),
    ('"Output will slow," according to a Baxter\u2019s Analytics forecast.', "Baxter\u2019s Analytics"),
    ('"The vote is final," said Tom Berg, the mayor\u2019s spokesman.', "Tom Berg"),   # a person's possessive
])
def test_a_possessive_inside_an_organisations_name_stays_in_it(text, speaker):
    assert first(text).speaker == speaker


def test_a_headline_verb_ends_a_name_and_the_headlines_subject_speaks():
    """'Ann Lee Endorses Tom Berg: I Am 'Thrilled'': the capitalised verb is no part of a name, and the
    words after the colon are the subject's, not the object's."""
    text = ("Ann Lee Endorses Tom Berg: I Am \u2018Thrilled\u2019 To Back Him.\n\n"
            "Ann Lee threw her support behind Tom Berg on Wednesday.")
    det = detect(text)
    assert [q.speaker for q in det.quotes] == ["Ann Lee"]
    assert "Ann Lee Endorses Tom Berg" not in {m.name for m in det.mentions}


def test_participle_after_a_quote_takes_the_subject_before_it_not_its_object():
    from annotator.core.detect import detect
    text = 'Mayor Ivo Lake hailed the harbour vote as "a fine day for us," telling reporters the town would celebrate.'
    quotes = [q for q in detect(text, ("direct",)).quotes]
    assert len(quotes) == 1 and quotes[0].speaker == "Ivo Lake"
    text = 'Ada Brook said the report was a "plain distortion," describing the audit team as careless.'
    quotes = [q for q in detect(text, ("direct",)).quotes]
    assert len(quotes) == 1 and quotes[0].speaker == "Ada Brook"


def test_pull_quote_signed_on_the_next_line():
    text = ('The harbour board met on Monday.\n\n'
            '"Budgets are moral documents, and this one fails the town.\n'
            'Former harbour master Olga Brenner, Coastal Policy Institute."\n\n'
            'The vote is next week.')
    quotes = detect(text, ("direct",)).quotes
    shown = [q for q in quotes if q.confidence >= 0.5]
    assert len(quotes) == 2 and len(shown) == 1
    assert shown[0].speaker == "Olga Brenner" and text[shown[0].start:].startswith("Budgets")


def test_a_quote_paragraph_continued_on_the_next_line_is_no_signature():
    text = ('"Budgets are moral documents, and this one fails\n'
            'the town and everyone who lives in it."\n\nOlga Brenner said so on Monday.')
    quotes = detect(text, ("direct",)).quotes
    assert [q.confidence >= 0.5 for q in quotes] == [True, True]


def test_text_after_a_tags_closing_mark_is_no_quote():
    text = ('Olga Brenner, the harbour master, was taking it in stride.\n\n<tweet author="@obrenner" date="May 2, 2016\n">'
            'Come and see the new pier, it opens at noon today with all of us there.<tweet/>.')
    tagged = [q for q in detect(text, ("direct",)).quotes if text[q.start:q.end].startswith(">")]
    assert len(tagged) == 1 and tagged[0].confidence < 0.5
