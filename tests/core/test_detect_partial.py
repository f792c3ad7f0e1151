"""Partial quotes: fragments inside what a speech verb reports count as quotes of its subject;
the same marks used for names, titles and terms do not."""

from annotator.core.detect import detect


def only(text):
    det = detect(text)
    assert len(det.quotes) == 1, det.quotes
    return det.quotes[0]


def test_fragment_after_called_goes_to_the_subject():
    q = only('Councillor Lena Park called the parking plan "a slow disaster" on Tuesday.')
    assert q.confidence >= 0.5 and q.speaker == "Lena Park"


def test_fragment_after_vowed_to():
    q = only('Governor Ivo Marsh has vowed to "clean up the harbour" before the summer.')
    assert q.confidence >= 0.5 and q.speaker == "Ivo Marsh"


def test_fragment_later_in_a_said_sentence():
    q = only('Rosa Klee said the new tram line would be "ready by spring" if the money arrives.')
    assert q.confidence >= 0.5 and q.speaker == "Rosa Klee"


def test_naming_with_called_is_not_a_quote():
    q = only('A theatre group staged a comedy called "Dinner at Noon" in the old hall.')
    assert q.confidence < 0.5


def test_cue_word_used_as_a_noun_does_not_count():
    q = only('Her remarks about the "green corridor" drew applause from the crowd.')
    assert q.confidence < 0.5


def test_show_title_after_a_cue_is_not_a_quote():
    text = '"We will fight on," Mara Venn said on Channel Nine\'s "Morning Round" this week.'
    quotes = detect(text).quotes
    assert [q.confidence >= 0.5 for q in quotes] == [True, False]


def test_cue_of_an_earlier_quote_does_not_reach_a_later_title():
    text = '"Costs will rise," said Tomas Brand, the author of "Bridges and Budgets," a history of the port.'
    quotes = detect(text).quotes
    assert quotes[0].confidence >= 0.5 and quotes[1].confidence < 0.5


def test_scare_quotes_without_a_speech_verb_stay_low():
    q = only('The town hall hosted a "family day" with games and music.')
    assert q.confidence < 0.5


def test_fragment_before_a_later_cue_in_the_sentence():
    q = only('A "small handful" of the old sponsors will stay away this year, organiser Petra Voss said.')
    assert q.confidence >= 0.5 and q.speaker == "Petra Voss"


def test_later_cue_of_another_quote_does_not_reach_back():
    text = 'Ships paid the "harbour tax" and then "It hurts," said Ida Renn.'
    quotes = detect(text).quotes
    assert quotes[0].cue is None and quotes[1].cue == "said" and quotes[1].speaker == "Ida Renn"


def test_poster_slogan_dated_in_brackets_is_not_a_quote():
    text = 'The party printed bold posters: "Keep our valley green" (2014) and "No new roads!" (2018).'
    assert all(q.confidence < 0.5 for q in detect(text).quotes)


def test_headline_with_byline_is_not_a_quote():
    text = 'READING LIST: "Harbour ferry to stop running in March," by the Coast Ledger\'s Mara Quist.'
    assert all(q.confidence < 0.5 for q in detect(text).quotes)


def test_show_title_after_a_channel_is_not_a_quote():
    text = 'Speaking on Channel Nine\'s "Morning Coffee Hour," Mayor Ruth Okafor said the bridge would reopen.'
    assert all(q.confidence < 0.5 for q in detect(text).quotes if q.form != "indirect")


def test_title_cased_words_right_after_a_named_colon_are_a_quote():
    q = only("Mayor Okafor: 'No Bridge Tolls' While I Am In Office.")
    assert q.confidence >= 0.5 and q.speaker == "Okafor"


def test_a_phrase_of_several_words_lifted_without_a_cue_is_shown_when_someone_is_about():
    text = ('Councillor Mira Holt met the builders on Monday.\n\n'
            'In the eyes of its opponents the plan is "badly rushed" and far too costly.')
    assert only(text).confidence >= 0.5


def test_a_phrase_in_marks_with_nobody_about_stays_hidden():
    text = ('The council met on Monday.\n\n'
            'In the eyes of its opponents the plan is "badly rushed" and far too costly.')
    assert only(text).confidence < 0.5


def test_a_single_word_in_marks_without_a_cue_stays_hidden():
    text = ('The council met on Monday.\n\n'
            'In the eyes of its opponents the plan is "rushed" and far too costly.')
    assert only(text).confidence < 0.5


def test_markup_attribute_values_and_bare_links_are_not_quotes():
    text = ('<post author="@city_news_desk" link="https://example.org/a/b">The bridge closes today.</post>\n\n'
            'Read more at "https://example.org/bridge" later.')
    assert all(q.confidence < 0.5 for q in detect(text).quotes)


def test_a_short_sentence_in_marks_after_the_subject_and_a_verb_is_shown():
    q = only('The vote was close.\n\nLena Ortiz answered with a short "Not today, friends."')
    assert q.confidence >= 0.5 and q.speaker == "Lena Ortiz"
