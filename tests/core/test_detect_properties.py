"""Property tests: the detector never raises and always returns valid, ordered spans."""

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.detect import detect

MARKS = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e`"
PIECES = st.sampled_from(list(MARKS) + [" ", "\n", "\n\n", ",", ".", ":", " said ", " he said", " according to ",
                                         "Anna Berg", "Mr. Lee", "don't", "Xi's", "'90s", "the Joneses'",
                                         "''", "We will win", "the statement", "She"])
NEWSY = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=60).map("".join)


def check(text):
    det = detect(text)
    prev_start = -1
    for q in det.quotes:
        assert 0 <= q.start <= q.end <= len(text)
        assert q.start >= prev_start, "quotes unsorted"
        prev_start = q.start
    for i, q in enumerate(det.quotes):   # contents apart or one inside the other (a nested attribution)
        for r in det.quotes[i + 1:]:
            a, b, c, d = q.content_start, q.content_end, r.content_start, r.content_end
            assert b <= c or d <= a or (a <= c and d <= b) or (c <= a and b <= d), "quotes cross"
        assert 0.0 <= q.confidence <= 1.0
        assert q.kind in ("sentence", "fragment", "paragraph") if q.form != "indirect" else q.kind == "clause"
        assert q.form in ("direct", "mixed", "indirect")
        assert q.content_start is not None and q.content_start <= q.start <= q.end <= q.content_end
        assert q.speaker_kind in ("person", "organisation", "document", "unknown")
        if q.speaker_start is not None:
            assert 0 <= q.speaker_start <= q.speaker_end <= len(text)
        if q.cue_start is not None:
            assert 0 <= q.cue_start <= q.cue_end <= len(text)
    prev_end = -1
    for m in det.mentions:
        assert 0 <= m.start <= m.end <= len(text)
        assert m.start >= prev_end
        prev_end = m.end
        assert text[m.start:m.end] == m.text


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text(text):
    check(text)


@settings(max_examples=400, deadline=None)
@given(NEWSY)
def test_quote_marks_apostrophes_and_newlines(text):
    check(text)


def test_quotes_do_not_contain_line_breaks_and_spans_are_inside():
    text = 'A "b\nc" d \u201ce\n\u201cf\u201d g \'h\' i\'s \u00abj\u00bb'
    check(text)
    assert all("\n" not in text[q.start:q.end] for q in detect(text).quotes)


RULE_PIECES = st.sampled_from([" ", "\n", ". ", ", ", "\"", "\u201c", "\u201d", "''", "Mr. ", "Mrs. ", " said", " he said",
                               "Hours later, ", "Outside ", "Don't ", "issued a statement saying ", "Keller aide Ivo Brandt ",
                               "Senate Intelligence Republican Priya Raman ", "Okonjo also addressed ", "backed her up ",
                               "said his best friend at Dunmore, Peter Vollan, ", "And Ohio's Wendy Okafor, ", "=",
                               "http://a.b ", "Municipalities ", "(R-Kans.) ", "saying "])


@settings(max_examples=400, deadline=None)
@given(st.lists(RULE_PIECES, max_size=40).map("".join))
def test_the_rules_themselves_do_not_raise(text):
    # detect() turns a rule's exception into an empty result, which would hide a bug; call the rules directly
    from annotator.core.detect.pipeline import run_rules
    run_rules(text)
