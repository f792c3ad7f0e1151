"""Gender from first names: he/she picks the person the first name fits."""

from annotator.core.detect import detect
from annotator.core.detect.names import FIRST_NAMES


def speakers(text):
    return [q.speaker for q in detect(text).quotes if q.form != "indirect"]


def test_a_wide_range_of_first_names_is_known():
    assert len(FIRST_NAMES) >= 1500
    assert FIRST_NAMES["priya"] == "f" and FIRST_NAMES["tobias"] == "m" and FIRST_NAMES["gunnar"] == "m"


def test_she_skips_a_nearer_man_named_only_by_first_and_last_name():
    text = ('Priya Raman spoke to Tobias Keller after the vote. Keller left before the count ended.\n\n'
            '"We had the numbers all along," she said.')
    assert speakers(text) == ["Priya Raman"]


def test_a_name_used_for_either_sex_is_still_a_person_but_gives_no_gender():
    assert FIRST_NAMES["casey"] is None
    text = 'Casey Brandt arrived at noon. "The road was closed for hours," Brandt said.'
    assert speakers(text) == ["Casey Brandt"]


def test_a_surname_that_is_also_a_first_name_does_not_change_the_gender():
    # "Warren" alone stands for the woman named in full; the name's look as a male first name must not win
    text = ('Ingrid Warren, the council leader, met Tobias Keller. Warren talked for an hour.\n\n'
            'Keller said little. "The plan is sound," she said.')
    assert speakers(text) == ["Ingrid Warren"]


def test_a_surname_followed_by_an_adverb_and_a_speech_verb_is_the_antecedent():
    text = ('Tobias Keller spoke first and praised the plan.\n\n'
            'Dunmore openly admitted that the plan had stalled for months. "We lost a whole year," he said.')
    assert speakers(text) == ["Dunmore"]


def test_an_honorific_picks_the_family_member_of_the_right_sex():
    text = ('Grace Halloran and her husband, Peter Halloran, run the bakery.\n\n'
            '"We never close on Sundays," Mr. Halloran said.\n\n'
            'Mrs. Halloran did not hesitate. "Except in December," she said.')
    assert speakers(text) == ["Peter Halloran", "Grace Halloran"]


def test_a_lone_surname_that_acts_as_a_subject_is_a_possible_antecedent():
    text = ('Tobias Keller wrote a sharp reply on Monday.\n\n'
            'Okonjo also addressed the budget on Tuesday, stating that the cuts were temporary.\n\n'
            '"We will restore every post next year," he added.')
    assert speakers(text) == ["Okonjo"]


def test_a_plural_noun_that_acts_as_a_subject_is_not_a_person():
    text = ('Tobias Keller spoke at the gala.\n\n'
            'Audiences loved the evening. "It came straight from the heart," he said.')
    assert speakers(text) == ["Tobias Keller"]


def test_a_name_inside_another_persons_role_is_not_the_antecedent():
    text = ('The vote was delayed again.\n\n'
            'Keller spokesman Don Abernathy would not say when it would be held. "We have nothing new to announce," he said.')
    assert speakers(text) == ["Don Abernathy"]


def test_a_role_does_not_reach_back_over_a_sentence_end():
    text = ('That could be the last nomination for Okafor. Keller aide Ivo Brandt declined to comment.\n\n'
            '"Nothing is settled," he said.')
    assert speakers(text) == ["Ivo Brandt"]


def test_she_finds_a_woman_named_in_a_sentence_opening_with_and():
    text = ('Tobias Keller backed the plan. "It will pass," he said.\n'
            'And Ohio\'s Wendy Okafor, one of few delegates from the south, said the plan would fail. '
            '"I think it will fall apart by June," she said.')
    assert speakers(text) == ["Tobias Keller", "Wendy Okafor"]


def test_an_object_pronoun_after_a_name_does_not_set_its_gender():
    text = ('Mrs. Lindqvist has always said the plan was sound. Okonjo backed her up in an interview. '
            '"The plan was never in danger," he said.')
    assert speakers(text) == ["Okonjo"]


def test_a_name_starting_at_a_first_name_inside_a_capitalised_title_run():
    text = ('Senate Intelligence Republican Priya Raman, who has read the files, agreed with the finding.\n\n'
            '"Some of this material puts our staff at risk," she said.')
    assert speakers(text) == ["Priya Raman"]


def test_initials_before_a_first_name_stay_part_of_the_name():
    text = 'Officials were divided. "We moved the needle," said C. Stewart Verdane Jr., a former adviser.'
    assert speakers(text) == ["C. Stewart Verdane Jr."]
