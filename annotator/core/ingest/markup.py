"""Markup exports (HTML, XML) as text pieces, decoded on the fly for the streaming readers.

News-database pages often declare UTF-8 and are not (Factiva's saved pages hold Windows-1252 bytes
under a UTF-8 declaration), and a batch of thousands of articles should not fail on one stray byte:
the encoding is told from the first bytes: a BOM; else UTF-8 when they are valid UTF-8; else the
page's own `<meta charset>` unless it claims UTF-8; else Windows-1252 (the WHATWG default for
Western pages). If UTF-8 breaks further on, the rest is read as Windows-1252; bytes that fit no
encoding become U+FFFD. UTF-16 pages and binary files are told as the text readers tell them.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import BinaryIO

from annotator.core.ingest.decode import SNIFF_BYTES, guess_encoding

READ_BYTES = 1 << 18
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]{2,40})""", re.I)


class EncodingBreaks(ValueError):
    """A part of a file (read with the file's encoding given) holds bytes that do not decode in it."""


def text_pieces(binary: BinaryIO, encoding: str | None = None) -> Iterator[str]:
    """The decoded text of a binary stream, in pieces; raises DecodeError (binary data) at the start.

    With `encoding` (a part of a file whose encoding was told from the file's start), the bytes are
    decoded in it and nothing is guessed: UTF-8 that breaks raises EncodingBreaks (the whole file's
    reading goes on in Windows-1252 from there, which a part alone cannot know)."""
    head = binary.read(SNIFF_BYTES)
    given = encoding is not None
    encoding = encoding or markup_encoding(head)
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict" if encoding == "utf-8" else "replace")
    data, final = head, False
    while True:
        try:
            yield decoder.decode(data, final=final)
        except UnicodeDecodeError:  # UTF-8 at the start, not further on
            if given:
                raise EncodingBreaks(encoding) from None
            decoder = codecs.getincrementaldecoder("cp1252")(errors="replace")
            yield decoder.decode(data, final=final)
        if final:
            return
        data = binary.read(READ_BYTES)
        final = not data


def markup_encoding(head: bytes) -> str:
    """The encoding of a markup file from its first bytes (see the module's docstring)."""
    if head.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
        return guess_encoding(head)
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 4:  # a character cut by the end of the sniffed bytes
            return "utf-8"
    declared = _META_CHARSET.search(head)
    if declared:
        try:
            name = codecs.lookup(declared.group(1).decode("ascii")).name
        except (LookupError, UnicodeDecodeError):
            name = ""
        if name and name != "utf-8" and not name.startswith(("utf-16", "utf-32")):
            return name
    return "cp1252"
