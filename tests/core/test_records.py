import hashlib

from hypothesis import given
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
