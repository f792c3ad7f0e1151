"""Quote spans: which marks open and close a quote, and which are apostrophes."""

from annotator.core.detect import detect


def quoted(text):
    return [text[q.start:q.end] for q in detect(text).quotes if q.form != "indirect"]


def test_straight_double_quotes():
    assert quoted('"The bridge will reopen in May," the mayor said.') == ["The bridge will reopen in May,"]


def test_curly_double_quotes():
    assert quoted("\u201cWe are ready,\u201d said Anna Petrova.") == ["We are ready,"]


def test_guillemets():
    assert quoted("\u00abNous sommes pr\u00eats\u00bb, a dit le ministre.") == ["Nous sommes pr\u00eats"]


def test_single_quotes_as_quote_marks():
    text = "'The talks were useful,' Lee said on Monday."
    assert quoted(text) == ["The talks were useful,"]


def test_apostrophes_are_not_quote_marks():
    text = "Don't ask about Xi's plans or the '90s, the Joneses' neighbour said."
    assert quoted(text) == []


def test_plural_possessive_inside_single_quoted_quote():
    text = "'The farmers' union will not sign,' Ortega said."
    assert quoted(text) == ["The farmers' union will not sign,"]


def test_nested_quote_stays_inside_outer():
    text = "He said: \u201cShe told me \u2018never again\u2019 and walked out.\u201d"
    assert quoted(text) == ["She told me \u2018never again\u2019 and walked out."]


def test_interrupted_quote_gives_two_quotes_with_one_speaker():
    text = 'Maria Costa had a plan. "We will win," she said, "whatever it takes."'
    det = detect(text)
    assert [text[q.start:q.end] for q in det.quotes] == ["We will win,", "whatever it takes."]
    assert {q.speaker for q in det.quotes} == {"Maria Costa"}


def test_multi_paragraph_quote_is_one_quote_per_paragraph():
    text = ('Tom Berger, the club chairman, said:\n\n"The season was long and hard.\n\n'
            '"Next year we will do better."')
    det = detect(text)
    assert [text[q.start:q.end] for q in det.quotes] == ["The season was long and hard.", "Next year we will do better."]
    assert det.quotes[0].kind == "paragraph" and det.quotes[0].close_mark == ""
    assert all(q.speaker == "Tom Berger" for q in det.quotes)


def test_two_apostrophes_as_quote_mark():
    text = "''We finally have a deal,'' said Ruth Okafor."
    det = detect(text)
    assert quoted(text) == ["We finally have a deal,"]
    assert det.quotes[0].open_mark == "''"


def test_quote_never_spans_a_line_break():
    text = 'Kim said "the first part\nand the second part," and left.'
    spans = quoted(text)
    assert "the first part" in spans
    assert all("\n" not in s for s in spans)


def test_mixed_curly_open_and_straight_close():
    text = "Officials discussed \u2018issues of shared concern' on Friday, the ministry said."
    assert "issues of shared concern" in quoted(text)
