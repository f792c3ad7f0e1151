"""Bytes to text: UTF-8 (with or without BOM), UTF-16, Windows-1252/Latin-1 and others via charset-normalizer.

Newlines are normalised to \\n; nothing else in the text is changed, since offsets into it are stored.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from typing import BinaryIO

from annotator.core.records import ImportProblem
from annotator.core.validate import MAX_ARTICLE_CHARS

# No line of an article file is longer: a line is read up to this and no further, so a file of
# gigabytes with no line break fails at once in constant memory.
MAX_LINE_CHARS = 2 * MAX_ARTICLE_CHARS

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
SNIFF_BYTES = 1 << 16


class DecodeError(ValueError):
    """The bytes are not text in any encoding we can tell."""


class LineTooLong(DecodeError):
    """A line longer than any article could be (a whole dump on one line, or not text at all)."""


def normalise_newlines(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def guess_encoding(head: bytes) -> str:
    """The encoding of a file from its first bytes; raises DecodeError for binary data."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    if not head:
        return "utf-8"
    if b"\x00" in head:
        even_nuls = head[0::2].count(0)
        odd_nuls = head[1::2].count(0)
        half = len(head) // 2
        # BOM-less UTF-16: every other byte NUL in mostly-ASCII text
        if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
            return "utf-16-le"
        if even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
            return "utf-16-be"
        raise DecodeError("binary data, not text (it holds NUL bytes)")
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 4:  # a multi-byte character cut by the sniff window
            return "utf-8"
    return _best_single_byte(head)


# Short texts fit several single-byte code pages equally well; news in Western languages is far
# more often Windows-1252 than, say, Baltic cp1257, so prefer it when it reads as cleanly.
_WESTERN = {"cp1252", "latin_1", "iso8859_1", "iso8859_15"}


def _best_single_byte(data: bytes) -> str:
    from charset_normalizer import from_bytes  # here: most files are UTF-8, and it takes a while to load

    matches = list(from_bytes(data))
    if not matches:
        raise DecodeError("not text in any known encoding")
    best = matches[0]
    for match in matches:
        if match.encoding in _WESTERN and match.chaos <= best.chaos + 0.05:
            return "cp1252"
    return best.encoding


def decode_bytes(data: bytes) -> str:
    """Whole-file decode; raises DecodeError with a sentence a person can read."""
    encoding = guess_encoding(data[:SNIFF_BYTES])
    try:
        return normalise_newlines(data.decode(encoding))
    except UnicodeDecodeError:
        if encoding == "utf-8":  # valid head, broken later: let charset-normalizer look at all of it
            try:
                fallback = _best_single_byte(data)
                return normalise_newlines(data.decode(fallback))
            except (DecodeError, UnicodeDecodeError, LookupError):
                pass
        raise DecodeError(f"bytes that are not valid {encoding} text") from None
    except LookupError:
        raise DecodeError(f"unknown encoding {encoding}") from None


def sniff_text(head: bytes) -> str:
    """Lossy decode of a file's first bytes, to recognise its layout; raises DecodeError for binary."""
    return normalise_newlines(head.decode(guess_encoding(head), errors="replace"))


def decode_problem(path: str, exc: DecodeError) -> ImportProblem:
    """The problem for a DecodeError, its "line N: " (if any) as the problem's line."""
    found = re.match(r"line (\d+): (.*)", str(exc), re.DOTALL)
    if found:
        return ImportProblem(path, found[2], line=int(found[1]))
    return ImportProblem(path, str(exc))


def decode_source(data: bytes, path: str) -> str | ImportProblem:
    try:
        return decode_bytes(data)
    except DecodeError as exc:
        return ImportProblem(path, str(exc))


def open_text_stream(binary: BinaryIO, max_line: int = MAX_LINE_CHARS) -> Iterator[str]:
    """Lines of a large file, decoded incrementally: memory stays flat whatever the file size.

    Raises DecodeError (with the 1-based line number in its message) on bytes that do not decode,
    LineTooLong for a line of more than `max_line` characters (read no further than that).
    """
    head = binary.peek(SNIFF_BYTES)[:SNIFF_BYTES] if hasattr(binary, "peek") else b""
    if not head:
        head = binary.read(SNIFF_BYTES)
        binary = io.BufferedReader(_Prefixed(head, binary))
    encoding = guess_encoding(head)
    reader = io.TextIOWrapper(binary, encoding=encoding, errors="strict", newline=None)
    line_no = 0
    try:
        while line := reader.readline(max_line + 1):
            line_no += 1
            if len(line) > max_line and not line.endswith("\n"):
                raise LineTooLong(f"line {line_no}: longer than {max_line:,} characters, more than any article "
                                  "(is the whole file one line?)")
            yield line
    except UnicodeDecodeError:
        raise DecodeError(f"line {line_no + 1}: bytes that are not valid {encoding} text") from None


class _Prefixed(io.RawIOBase):
    """Puts back bytes already read from a stream that cannot peek."""

    def __init__(self, prefix: bytes, rest):
        self._prefix = prefix
        self._rest = rest

    def readable(self):
        return True

    def readinto(self, buffer):
        if self._prefix:
            n = min(len(buffer), len(self._prefix))
            buffer[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
