import hashlib

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.records import normalise_for_uid, text_uid


def test_uid_ignores_case_spacing_and_unicode_forms():
    assert text_uid("Mayor  said:\n\n\"Yes.\"") == text_uid("mayor said: \"yes.\"")
    assert text_uid("caf\u00e9 \ufb01ne") == text_uid("Cafe\u0301 fine")
    assert text_uid("one article") != text_uid("another article")


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_fast_path_gives_the_same_digest(text):
    assert text_uid(text) == hashlib.sha1(normalise_for_uid(text).encode("utf-8")).hexdigest()
