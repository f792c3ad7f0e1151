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


# -- quoted words inside reported speech (the reported-speech rules find the clause) ------------------

def _quoted(text, forms=None):
    return [(text[q.start:q.end], q) for q in detect(text, forms).quotes if q.open_mark]


def test_word_in_a_named_sources_that_clause_is_a_quote():
    text = 'Ada Brook\'s claim that "hundreds" of voters were turned away drew a swift denial.'
    (words, q), = _quoted(text)
    assert words == "hundreds" and q.confidence >= 0.5 and q.form == "mixed" and q.speaker == "Ada Brook"


def test_word_in_reported_speech_counts_with_direct_quotes_only_too():
    text = 'The campaign of Ada Brook protested that the mayor\'s aides were being "evasive" about the date.'
    (words, q), = _quoted(text, ("direct",))
    assert words == "evasive" and q.confidence >= 0.5 and q.form == "direct"


def test_title_after_in_inside_reported_speech_stays_a_title():
    text = 'Ada Brook\'s claim that the old port appeared in "Harbour Lights" was soon forgotten.'
    quotes = detect(text, ("direct",)).quotes
    assert len(quotes) == 1 and quotes[0].confidence < 0.5


def test_title_cased_words_as_the_reported_content_count():
    text = 'Ada Brook\'s claim that the old port was "Harbour Lights" was soon forgotten.'
    (words, q), = _quoted(text, ("direct",))
    assert words == "Harbour Lights" and q.confidence >= 0.5


def test_a_topic_asked_about_is_not_quoted_words():
    text = 'Ada Brook asked about her "reset" with the board at the meeting.'
    quotes = detect(text, ("direct",)).quotes
    assert len(quotes) == 1 and quotes[0].confidence < 0.5


def test_reported_speech_without_a_named_source_does_not_lift_a_scare_quote():
    text = 'That would suggest that, in legal terms, the move was "routine" for the council.'
    quotes = detect(text).quotes
    assert [q.confidence < 0.5 for q in quotes if q.open_mark] == [True]
