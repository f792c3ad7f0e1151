"""Plain records passed between the importers, the store and the shells."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property


@dataclass
class Article:
    """One article as an importer read it; `text` is stored as it is (offsets point into it)."""

    text: str
    title: str | None = None
    outlet: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None  # ISO date (YYYY-MM-DD) or date-time, or None
    url: str | None = None
    language: str | None = None
    source_path: str = ""
    source_index: int = 0  # position inside a multi-article file
    source_id: str | None = None  # the database's own id ("factiva:NYTF0000...") so re-exports are duplicates
    reader: str = ""  # which reader read it ("factiva-html", "nexis-txt", ...); filled in by read_source

    @cached_property
    def uid(self) -> str:
        return text_uid(self.text)


@dataclass(frozen=True)
class ImportProblem:
    """Why a file (or one place in it) could not be imported, said so a person can act on it."""

    path: str
    message: str
    line: int | None = None  # 1-based line in the file
    row: int | None = None  # 1-based data row (CSV) or record (JSON array / JSONL line)
    skipped: bool = False  # not an error: a file in a folder that holds no article data (e.g. a manifest)
    note: bool = False  # not fatal: one thing in the file was left out, the rest of it is read
    reader: str = ""  # the reader that found the problem ("factiva-html"), when one was chosen

    def __str__(self) -> str:
        where = self.path
        if self.row is not None:
            where += f", row {self.row}"
        elif self.line is not None:
            where += f", line {self.line}"
        return f"{where}: {self.message}"


def normalise_for_uid(text: str) -> bytes:
    """What the uid hashes: the text in Unicode NFKC form as UTF-8, with ASCII letters lower-cased and
    runs of white space folded to one space, so the same article re-scraped or re-exported gets the
    same uid. (Bytes, not str: this runs for every imported article, and bytes operations are about
    three times faster; NFKC already turns no-break and other wide spaces into plain ones.)"""
    data = text.encode("ascii") if text.isascii() else unicodedata.normalize("NFKC", text).encode("utf-8")
    data = data.lower()
    # Most texts' white space is single spaces and blank lines between paragraphs: made spaces in two
    # passes, that is the fold (no run of two spaces left, none at the ends); any other text is folded
    # by split and join, which gives the same for these.
    quick = data.replace(b"\n\n", b" ").translate(_WHITE_AS_SPACE)
    if b"  " in quick or quick[:1] == b" " or quick[-1:] == b" ":
        return b" ".join(data.split())
    return quick


# bytes.split()'s white space (ASCII: space, tab, line feed, vertical tab, form feed, carriage return)
_WHITE_AS_SPACE = bytes.maketrans(b"\t\n\x0b\x0c\r", b"     ")


def text_uid(text: str) -> str:
    """SHA-1 (hex) of the normalised text."""
    return hashlib.sha1(normalise_for_uid(text)).hexdigest()
