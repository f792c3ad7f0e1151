import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.records import normalise_for_uid, text_uid


def test_uid_ignores_case_spacing_and_unicode_forms():
    assert text_uid("Mayor  said:\n\n\"Yes.\"") == text_uid("mayor said: \"yes.\"")
    assert text_uid("caf\u00e9 \ufb01ne") == text_uid("cafe\u0301 fine")
    assert text_uid("no\u00a0break") == text_uid("no break")
    assert text_uid("one article") != text_uid("another article")


@given(st.text())
def test_uid_is_the_sha1_of_the_normalised_bytes(text):
    assert text_uid(text) == hashlib.sha1(normalise_for_uid(text)).hexdigest()
    if text.isascii():
        assert text_uid(text) == text_uid("  " + text.upper().replace(" ", "\n\t ") + "\n")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["a", "B", "x", " ", "  ", "\n", "\n\n", "\n\n\n", "\t", "\r", "\x0b", "\x0c",
                                  "\x1c", "\x1f", "\x85", "\xa0", "é", "ﬁ", "“", "\u2028", "\u3000"]),
                max_size=30).map("".join))
def test_the_quick_white_space_fold_of_the_uid_is_the_split_and_join(text):
    """normalise_for_uid's two-pass shortcut for single spaces and blank lines gives what folding every
    run of white space by bytes.split and join gives, on ASCII and other text."""
    import unicodedata

    want = b" ".join(unicodedata.normalize("NFKC", text).encode("utf-8").lower().split())
    assert normalise_for_uid(text) == want
