"""A speaker must look like a name: words capitalised only because they open a sentence
("Hours", "Reached", "Hastily") and bare place names are not people."""

from annotator.core.detect import detect


def speakers(text):
    return [q.speaker for q in detect(text).quotes if q.form != "indirect"]


def test_participle_opening_the_sentence_is_not_the_speaker():
    text = ('Reached by phone, Dana Whitfield denied the story, explaining that she had been '
            '"on leave for the whole week."')
    assert speakers(text) == ["Dana Whitfield"]


def test_time_phrase_opening_the_sentence_is_not_the_speaker():
    text = ('The hearing ran late into the night.\n\n'
            'Hours later, Omar Lindqvist answered his critics, telling the press that the report was '
            '"full of holes and half-truths."')
    assert speakers(text) == ["Omar Lindqvist"]


def test_adverb_opening_the_sentence_is_not_the_speaker():
    text = ('Quickly changing the subject, Mara Ostrowski praised her rivals and described the vote as '
            '"a fair fight from the very first day."')
    assert speakers(text) == ["Mara Ostrowski"]


def test_a_surname_after_an_honorific_is_a_name_even_if_it_is_also_a_word():
    text = ('Walter King, a retired judge, spoke first.\n\n'
            '"The rules were clear to everyone in the room," Mr. King said. He paused. '
            '"Nobody can say they were surprised," he said.')
    assert all(s and s.endswith("King") for s in speakers(text)) and len(speakers(text)) == 2


def test_the_issuer_of_a_statement_is_the_speaker_not_the_statement():
    text = ('On Friday, Ingrid Solberg issued a statement saying the ruling was "a step backwards for every tenant."')
    assert speakers(text) == ["Ingrid Solberg"]
    text = ('The union released a short statement calling the offer "an insult to our members."')
    assert detect(text).quotes[0].speaker_kind == "organisation"


def test_a_participle_belongs_to_the_clause_just_before_it():
    text = ('It was a tense evening for the whole committee, as Nadia Ferreira rejected the budget, saying it '
            '"asks the poorest to pay for everything."')
    assert speakers(text) == ["Nadia Ferreira"]


def test_a_participle_does_not_belong_to_a_name_inside_a_that_clause():
    text = ('Omar Lindqvist repeated his claim that Nadia Ferreira hides the figures, calling her '
            '"the least open minister we have had."')
    assert speakers(text) == ["Omar Lindqvist"]


def test_a_quote_no_rule_ties_to_anyone_goes_to_the_person_its_sentence_names():
    text = ('The hearing was long.\n\n'
            'Then came Bill Ostrander\'s aside that the night-shift workers were "well fed and cheerful" all year.')
    qs = [q for q in detect(text).quotes if q.confidence >= 0.5]
    assert [q.speaker for q in qs] == ["Bill Ostrander"]


def test_a_common_noun_opening_a_sentence_is_not_a_speaker():
    text = ('Visitors were surprised by the town.\n\n'
            'Municipalities have "calm rooms" where neighbours settle their quarrels.')
    assert all(q.speaker != "Municipalities" for q in detect(text).quotes)


def test_a_connective_opening_the_sentence_is_not_part_of_a_name():
    text = ('Wendy Okafor runs the night shift.\n\n'
            'Outside Ridgeway Mills, she was blunt. "Nobody here earns enough," she said.')
    assert speakers(text) == ["Wendy Okafor"]


def test_a_description_after_the_cue_gives_way_to_the_name_that_follows_it():
    text = '"We tried everything," said his oldest friend at Dunmore, Peter Vollan, who knew him well.'
    assert speakers(text) == ["Peter Vollan"]


def test_a_description_followed_by_a_clause_keeps_the_description():
    text = '"It will pass," said a senior aide who praised Inga Solheim, the minister.'
    assert speakers(text) != ["Inga Solheim"]


def test_a_word_opening_the_text_after_a_line_break_is_checked_without_error():
    from annotator.core.detect.names import Cast
    from annotator.core.detect.pipeline import run_rules
    from annotator.core.detect.speakers import Resolver
    text = '\nOkonjo waved at the crowd, "Thank you all, and good night."'
    assert Resolver(text, Cast(text, [])).looks_like_name(1, 7)
    assert run_rules(text).quotes


def test_a_phrase_cut_before_its_organisation_does_not_end_in_of():
    from annotator.core.detect.names import Cast
    from annotator.core.detect.speakers import Resolver
    text = 'Peter Vollan of the law firm Brandt and Keller spoke.'
    src = Resolver(text, Cast(text, [])).resolve((0, text.index(" the")))
    assert src.name == "Peter Vollan"
