import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.ingest.decode import DecodeError, decode_bytes
from tests.core.ingest_helpers import read_all
from tests.paths import FIXTURES

TEXT = 'Caf\u00e9 owners say \u201cprices\u201d rose \u2013 na\u00efve \u20ac5 coffee.\nSecond line.'


@pytest.mark.parametrize(
    "encoded",
    [
        TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),
        TEXT.encode("utf-16-le"),
        TEXT.encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16le-no-bom", "cp1252"],
)
def test_encodings_decode_to_the_same_text(encoded):
    assert decode_bytes(encoded) == TEXT


def test_latin1_file_decodes():
    text = "Le ministre a d\u00e9clar\u00e9 que la r\u00e9forme \u00e9tait pr\u00eate. " * 5
    assert decode_bytes(text.encode("latin-1")) == text


def test_windows_newlines_are_normalised():
    assert decode_bytes(b"a\r\nb\rc\n") == "a\nb\nc\n"


def test_binary_is_refused():
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(b"\x00\x01\x02\x03\xff\xfe\x00\x00" * 50)


def test_binary_file_named_txt_and_empty_file_are_reported(tmp_path):
    _, [problem] = read_all(FIXTURES / "ingest" / "binary_named.txt")
    assert "binary" in problem.message and problem.path.endswith("binary_named.txt")
    _, [problem] = read_all(FIXTURES / "ingest" / "empty.txt")
    assert problem.message == "the file is empty"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_decode_random_bytes_never_crashes(data):
    try:
        assert isinstance(decode_bytes(data), str)
    except DecodeError:
        pass
