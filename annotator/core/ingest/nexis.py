"""LexisNexis / Nexis Uni text exports: many articles in one file, read one document at a time.

Two layouts are understood, also mixed:
- classic LexisNexis: "1 of 25 DOCUMENTS", outlet, date, edition, title, upper-case header fields
  (BYLINE:, SECTION:, LENGTH:), body, trailer fields (LOAD-DATE:, LANGUAGE:, URL:), copyright line;
- Nexis Uni: optional "Document 1 of 25", title, outlet, date, copyright, Title-case fields (Byline:),
  a "Body" line, body, "Classification", trailer fields, "End of Document".
Field labels are read in the export's language (BYLINE/AUTOR/AUTEUR, SECTION/RUBRIK/RUBRIQUE,
LENGTH/LÄNGE/LONGUEUR, LANGUAGE/SPRACHE/LANGUE, ...). Header rules as the R readers (LexisNexisTools,
newspapers) apply them: a field value wrapped onto indented lines belongs to the field; the headline
is the block of lines between the date/edition block and the first field label, however many lines.
Only the current document is held in memory, so export files of any size stream through.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from annotator.core.ingest.dates import to_iso
from annotator.core.ingest.decode import DecodeError, open_text_stream
from annotator.core.ingest.options import MAX_ARTICLE_CHARS, ReadOptions
from annotator.core.ingest.source import Source
from annotator.core.records import Article, ImportProblem

_CLASSIC_SEPARATOR = re.compile(
    r"^\s*(\d+)\s+(?:of|von|de|sur|di|van)\s+(\d+)\s+(?:DOCUMENTS?|DOKUMENTE?N?|DOCUMENTOS?|DOCUMENTI?)\s*$", re.I
)
_UNI_SEPARATOR = re.compile(r"^\s*Document\s+(\d+)\s+of\s+\d+\s*$", re.I)
_END = re.compile(r"^\s*End of Document\s*$", re.I)
_FIELD = re.compile(r"^([^\W\d_][^\W\d_-]*(?:-[^\W\d_]+)*):(?:\s+(.*)|\s*)$")
_COPYRIGHT = re.compile(r"^\s*(?:copyright\b|\u00a9|\(c\)\s*\d{4}|all rights reserved)", re.I)
_EDITION = re.compile(r"\b(?:edition|final|late|early|ausgabe|edici\u00f3n|\u00e9dition|ausg)\b", re.I)
_JOB_TITLE = re.compile(r"\b(?:correspondent|editor|reporter|writer|staff|columnist|bureau|chief)\b", re.I)
# Lines of the search summary a Nexis Uni export starts with
_COVER = re.compile(
    r"^(?:Documents \(\d+\)|(?:Client/Matter|Search Terms|Search Type|Narrowed by|Content Type|Job Number"
    r"|Download Request|Sent On|Results? list)\b.*)$",
    re.I,
)
_DECODE_LINE = re.compile(r"^line (\d+): (.*)$", re.S)

# Fields before the body. A non-field line after a blank line ends the header and starts the body.
HEADER_FIELDS = {
    "byline", "author", "section", "length", "dateline", "headline", "highlight", "body", "edition",
    "column", "series", "type", "source", "version",
}
# Fields after the body. Upper-case ones end the body; Title-case ones only when unlikely as prose.
TRAILER_FIELDS = {
    "load-date", "language", "publication-type", "url", "graphic", "correction-date", "correction",
    "notes", "document-type", "subject", "organization", "geographic", "person", "city", "state",
    "country", "ticker", "industry", "journal-code", "distribution", "acc-no", "company", "terms", "document-id",
}
# Labels of the export's interface language, as our (English) field names. German exports write
# their load date as UPDATE, which in an English export is an ordinary word of the text: it counts as
# a field only in a document whose other labels are German.
LABELS = {
    "autor": "byline", "autoren": "byline", "auteur": "byline", "auteurs": "byline", "autore": "byline",
    "rubrik": "section", "ressort": "section", "rubrique": "section", "secci\u00f3n": "section",
    "seccion": "section", "sezione": "section",
    "l\u00e4nge": "length", "laenge": "length", "longueur": "length", "longitud": "length", "lunghezza": "length",
    "untertitel": "highlight", "sprache": "language", "langue": "language", "idioma": "language",
    "lingua": "language", "grafik": "graphic", "graphique": "graphic", "zeitungs-code": "journal-code",
    "publikationstyp": "publication-type", "type-publication": "publication-type",
    "date-chargement": "load-date", "fecha-carga": "load-date", "bibliographie": "notes",
}
_GERMAN_ONLY = {"update": "load-date"}
_GERMAN_HEADER = {"autor", "rubrik", "l\u00e4nge", "laenge", "ressort", "untertitel"}
_TITLE_CASE_TRAILER = {
    "load-date", "language", "publication-type", "url", "graphic", "correction-date", "document-type",
    "journal-code", "acc-no", "document-id",
}
LANGUAGE_CODES = {
    "english": "en", "german": "de", "deutsch": "de", "french": "fr", "spanish": "es", "italian": "it",
    "dutch": "nl", "portuguese": "pt", "russian": "ru", "chinese": "zh", "japanese": "ja", "arabic": "ar",
    "polish": "pl", "swedish": "sv", "danish": "da", "norwegian": "no", "finnish": "fi", "turkish": "tr",
    "greek": "el", "czech": "cs", "hungarian": "hu", "korean": "ko", "hebrew": "he", "romanian": "ro",
    "ukrainian": "uk", "catalan": "ca", "croatian": "hr", "slovak": "sk", "slovenian": "sl",
    "bulgarian": "bg", "indonesian": "id", "malay": "ms", "vietnamese": "vi", "thai": "th", "hindi": "hi",
    "persian": "fa", "farsi": "fa", "urdu": "ur",
}


def looks_like_nexis(head: str) -> bool:
    """Whether the start of a text (about 64 KB) is a Nexis batch export rather than one article."""
    head = head[: 1 << 16]
    separators = re.search(r"^\s*\d+\s+of\s+\d+\s+DOCUMENTS?\s*$", head, re.I | re.M) or re.search(
        r"^\s*Document\s+\d+\s+of\s+\d+\s*$", head, re.I | re.M
    )
    fields = re.search(r"^(?:LENGTH|Length):\s*\d+\s+words\b|^(?:LOAD-DATE|Load-Date):", head, re.M)
    ends = re.search(r"^\s*End of Document\s*$", head, re.I | re.M)
    return bool((separators or ends) and (fields or (separators and ends)))


def read(source: Source, options: ReadOptions) -> Iterator[Article | ImportProblem]:
    """Articles of a Nexis .txt export, decoded and parsed line by line (no file size limit)."""
    with source.open_binary() as binary:
        try:
            yield from parse_nexis_lines(open_text_stream(binary), source.path)
        except DecodeError as exc:
            found = _DECODE_LINE.match(str(exc))
            if found:
                yield ImportProblem(source.path, found.group(2), line=int(found.group(1)))
            else:
                yield ImportProblem(source.path, str(exc))


def parse_nexis_lines(
    lines: Iterable[str],
    path: str,
    reader: str = "nexis-txt",
    line_of: Callable[[int], int] | None = None,
    complete: Callable[[], bool] | None = None,
) -> Iterator[Article | ImportProblem]:
    """One Article per document, in order; stops after the first ImportProblem it yields, except
    for notes on documents left out (no body text).

    Text before the first "N of M" separator that no "End of Document" closes is the export's
    cover page and is dropped. `line_of` turns a line number of `lines` into one of the file (for
    lines made from markup); `complete()`, asked at the end, says whether the file ended where a
    document ends: if not, the last document is cut off and left out.
    """
    for got in _parse_lines(lines, path, line_of or (lambda n: n), complete):
        if isinstance(got, ImportProblem):
            yield dataclasses.replace(got, reader=reader)
        else:
            got.reader = reader
            yield got


def _parse_lines(lines, path, line_of, complete) -> Iterator[Article | ImportProblem]:
    document: _Document | None = None
    index = 0  # of the next article
    finished = 0  # documents read, left-out ones too
    started = False  # a separator or an "End of Document" has been seen
    body = None  # the document's body lines while it is in its body (only _Document.add puts it there)
    for line_no, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        # (the patterns only for lines that can be separators: most lines are text; a separator or
        # "End of Document" line starts with a space, a digit, D or E)
        first = line[:1]
        maybe = (first in "DdEe" or first.isspace() or first.isdecimal()) and (
            "OCUMENT" in line or "ocument" in line or "OKUMENT" in line or "okument" in line
        )
        if body is not None and not maybe and ":" not in line and "Classification" not in line:
            # a line of body text, as _Document.add would take it (most lines: no call for them)
            document.chars += len(line) + 1
            body.append(line.rstrip())
            if document.chars > MAX_ARTICLE_CHARS:
                yield _too_long(path, document)
                return
            continue
        separator = maybe and (_CLASSIC_SEPARATOR.match(line) or _UNI_SEPARATOR.match(line))
        if separator or (maybe and _END.match(line)):
            if document is not None and document.has_content() and (started or not separator):
                got = document.finish(path, index)
                finished += 1
                if got is None:  # the cover page of a second export pasted after the first
                    finished -= 1
                else:
                    yield got
                if isinstance(got, ImportProblem):
                    if not got.note:
                        return
                else:
                    index += 1
            started = True
            document = _Document(int(separator.group(1)), line_of(line_no)) if separator else None
            body = None
            continue
        if document is None:
            if not line.strip():
                continue
            document = _Document(finished + 1, line_of(line_no))
        document.add(line)
        body = document.body if document.state == "body" else None
        if document.chars > MAX_ARTICLE_CHARS:
            yield _too_long(path, document)
            return
    if document is not None and document.has_content():
        if complete is not None and not complete():
            yield ImportProblem(
                path,
                f"document {document.number} left out: the file ends inside it (cut off: was the download "
                "interrupted?)",
                line=document.line,
                note=True,
            )
            return
        got = document.finish(path, index)
        if got is not None:
            yield got


def _too_long(path: str, document: _Document) -> ImportProblem:
    return ImportProblem(
        path,
        f"document {document.number} is longer than {MAX_ARTICLE_CHARS:,} characters; "
        "the export may be damaged (a missing document separator?)",
        line=document.line,
    )


@dataclass
class _Document:
    """The lines of one document, sorted into preamble blocks, header fields, body and trailer."""

    number: int
    line: int
    state: str = "preamble"
    blocks: list[list[str]] = field(default_factory=lambda: [[]])
    fields: dict[str, str] = field(default_factory=dict)
    body: list[str] = field(default_factory=list)
    last_field: str | None = None
    header_seen: bool = False
    german: bool = False  # its labels are German (AUTOR, RUBRIK, LÄNGE): UPDATE is then a field
    chars: int = 0

    def has_content(self) -> bool:
        return any(self.blocks) or bool(self.fields) or any(s.strip() for s in self.body)

    def add(self, line: str) -> None:
        self.chars += len(line) + 1
        if self.state == "body" and ":" not in line and "Classification" not in line:  # a line of text
            self.body.append(line.rstrip())
            return
        stripped = line.strip()
        name, value = _field_of(line) if ":" in line else (None, "")
        if name is not None:
            if name in _GERMAN_HEADER:
                self.german = True
            translated = LABELS.get(name) or (_GERMAN_ONLY.get(name) if self.german else None)
            if translated:  # a label in another language counts only as the exports write it: upper-case
                name = translated if line.split(":", 1)[0].strip().isupper() else None
        if self.state == "preamble":
            if not stripped:
                if self.blocks[-1]:
                    self.blocks.append([])
            elif _COPYRIGHT.match(line):
                pass
            elif stripped.lower() == "body" or name in HEADER_FIELDS:
                self.state, self.header_seen = "header", True
                self._header_line(line, stripped, name, value)
            elif self._ends_body(name, stripped):
                self.state = "trailer"
                self._trailer_line(stripped, name, value)
            else:
                self.blocks[-1].append(stripped)
        elif self.state == "header":
            self._header_line(line, stripped, name, value)
        elif self.state == "body":
            if self._ends_body(name, stripped):
                self.state = "trailer"
                self._trailer_line(stripped, name, value)
            else:
                self.body.append(line.rstrip())
        else:
            self._trailer_line(stripped, name, value)

    def _header_line(self, line: str, stripped: str, name: str | None, value: str) -> None:
        if not stripped:
            self.last_field = None
        elif stripped.lower() == "body" or name == "body":
            self.state, self.last_field = "body", None
        elif name in HEADER_FIELDS:
            if name == "byline" and self.fields.get(name):  # AUTOR: dpa, then BYLINE: a name
                self.fields[name] = f"{self.fields[name]}; {value}"
            else:
                self.fields.setdefault(name, value)
            self.last_field = name
        elif self._ends_body(name, stripped):
            self.state = "trailer"
            self._trailer_line(stripped, name, value)
        elif self.last_field not in (None, "length") and (line[:1] in " \t" or len(stripped) <= 100):
            # a field value wrapped onto the next (indented) line
            self.fields[self.last_field] = f"{self.fields[self.last_field]} {stripped}".strip()
        elif not _COPYRIGHT.match(line):
            self.state = "body"
            self.body.append(line.rstrip())

    def _trailer_line(self, stripped: str, name: str | None, value: str) -> None:
        if not stripped:
            self.last_field = None
        elif name in TRAILER_FIELDS or name in HEADER_FIELDS:
            self.fields.setdefault(name, value)
            self.last_field = name
        elif self.last_field is not None and not _COPYRIGHT.match(stripped):
            self.fields[self.last_field] = f"{self.fields[self.last_field]} {stripped}".strip()

    @staticmethod
    def _ends_body(name: str | None, stripped: str) -> bool:
        if stripped == "Classification":
            return True
        if name not in TRAILER_FIELDS:
            return False
        written = stripped.split(":", 1)[0]
        return written.isupper() or (name in _TITLE_CASE_TRAILER and written[:1].isupper())

    def finish(self, path: str, index: int) -> Article | ImportProblem | None:
        """The Article, or a note naming the document when it has no body text (a graphic, an item
        whose text the database does not give): it is left out, the others are read. None for a
        search summary with no body (the cover page of another export, pasted after this one)."""
        outlet, published, title, rest = _read_preamble([b for b in self.blocks if b], self.header_seen)
        if not self.header_seen:  # no header fields: the blocks after the title are the body
            body = _trim_body([line for block in rest for line in (*block, "")])
        else:
            body = _trim_body(self.body)
        if not body and any(_COVER.match(line) for block in self.blocks for line in block):
            return None
        if not body:
            return ImportProblem(
                path,
                f"document {self.number} left out: it has no body text (only its header"
                f"{': ' + repr(title) if title else ''})",
                line=self.line,
                note=True,
            )
        if self.fields.get("headline"):
            title = self.fields["headline"]
        return Article(
            text="\n".join(body),
            title=title,
            outlet=outlet,
            authors=authors_from_byline(self.fields.get("byline") or self.fields.get("author") or ""),
            published=published,
            url=_url(self.fields),
            language=_language(self.fields.get("language")),
            source_path=path,
            source_index=index,
            source_id=_source_id(self.fields) or _derived_id(outlet, published, title, body),
        )


def _field_of(line: str) -> tuple[str | None, str]:
    found = _FIELD.match(line)
    if not found:
        return None, ""
    return found.group(1).lower(), (found.group(2) or "").strip()


def _read_preamble(
    blocks: list[list[str]], header_seen: bool = True
) -> tuple[str | None, str | None, str | None, list[list[str]]]:
    """(outlet, ISO date, title, blocks after the title) from the lines before the header fields.

    Classic order is outlet, date (+ edition), title; Nexis Uni puts the title before the outlet.
    """
    date_at = None
    for b, block in enumerate(blocks):
        for i, line in enumerate(block):
            # (a date has a digit: most lines before it, the outlet's, need no reading)
            if len(line) <= 80 and _DIGIT.search(line) and (published := to_iso(_date_text(line))):
                date_at = (b, i)
                break
        if date_at:
            break
    if date_at is None:
        outlet = blocks[0][0] if blocks else None
        title = " ".join(blocks[1]) if len(blocks) > 1 else None
        return outlet, None, title, blocks[2:]
    b, i = date_at
    before = blocks[b][:i] or (blocks[b - 1] if b > 0 else [])  # the outlet line is right above the date
    outlet = before[-1] if before else None
    title_lines = before[:-1]
    if not title_lines and blocks[b][:i] and b > 0:  # Nexis Uni: title, blank line, outlet, date
        title_lines = blocks[b - 1]
    title = " ".join(line for line in title_lines if not _COVER.match(line)) or None
    after = _without_edition(blocks[b][i + 1 :])
    rest = blocks[b + 1 :]
    if title is None:
        while len(rest) > 1 and _is_edition(rest[0][0]) and len(rest[0]) <= 3:  # "Edition 1;" / "Scotland"
            rest = rest[1:]
        if header_seen and rest:
            # the headline: every line between the date/edition block and the first field label
            title, rest = " ".join(line for block in rest for line in block), []
        elif after:
            title = " ".join(after)
        elif rest:
            title, rest = " ".join(rest[0]), rest[1:]
    return outlet, published, title, rest


def _without_edition(lines: list[str]) -> list[str]:
    """The lines after the date without its edition lines ('Late Edition - Final'; 'Edition 1;' wrapped
    onto 'Scotland')."""
    while lines and _is_edition(lines[0]):
        wraps = lines[0].rstrip().endswith((";", ",", "-"))
        lines = lines[2:] if wraps else lines[1:]
    return lines


def _is_edition(line: str) -> bool:
    """'Late Edition - Final', 'Edition 1;', 'Ausgabe 12': short, or ending in ';' (a headline such as
    'Final whistle for the old pier' is neither)."""
    return bool(_EDITION.search(line)) and (len(line.split()) <= 4 or line.rstrip().endswith(";"))


def _date_text(line: str) -> str:
    """'12. November 2024' (German exports) read as '12 November 2024'."""
    return _DAY_DOT.sub(r"\1 ", line.strip())


_DIGIT = re.compile(r"\d")
_DAY_DOT = re.compile(r"^(\d{1,2})\.\s")


def _trim_body(body: list[str]) -> list[str]:
    """Body lines without blank lines or copyright notices at either end."""
    start, end = 0, len(body)
    while start < end and not body[start].strip():
        start += 1
    while end > start and (not body[end - 1].strip() or _COPYRIGHT.match(body[end - 1])):
        end -= 1
    return body[start:end]


def _source_id(fields: dict[str, str]) -> str | None:
    """The database's own document id, when the export gives one (ACC-NO:, DOCUMENT-ID:). The
    "N of M" number is only the position in one download, not an id."""
    value = (fields.get("acc-no") or fields.get("document-id") or "").split()
    return f"nexis:{value[0]}" if value else None


DERIVED_ID_LETTERS = 300  # of the body's start, in the id made when the export gives none


_NOT_ASCII_LETTERS = bytes(c for c in range(128) if not chr(c).isalnum())


def _letters(text: str) -> str:
    """A text in NFKC form and lower case without white space and ASCII punctuation (as bytes: many
    times faster than a test a character)."""
    data = unicodedata.normalize("NFKC", text).lower().encode("utf-8").translate(None, _NOT_ASCII_LETTERS)
    return data.decode("utf-8")


def _derived_id(outlet: str | None, published: str | None, title: str | None, body: list[str]) -> str | None:
    """An id made from the document itself when the export has no ACC-NO / DOCUMENT-ID (Nexis UK
    exports have none): outlet, date, headline and the first DERIVED_ID_LETTERS characters of the
    body but white space and ASCII punctuation (`_letters`: case and line breaks left out too). The
    same document downloaded again, in an overlapping batch or another format (text, Word, HTML),
    gets the same id even where its text differs further on (a caption, a correction added); two
    documents are taken for one only when all of these are the same. None when one of them is
    missing, or the body is too short to tell documents apart."""
    if not (outlet and published and title):
        return None
    lines, text, window = iter(body), "", DERIVED_ID_LETTERS * 3 // 2
    while True:  # (the body's start only: a window of it, made bigger while it holds too few letters)
        while len(text) < window and (line := next(lines, None)) is not None:
            text += line + "\n"
        head = _letters(text[:window])
        if len(head) > DERIVED_ID_LETTERS + 8 or len(text) < window:  # (+8: clear of where it was cut)
            break
        window *= 2
    if len(head) < DERIVED_ID_LETTERS // 3:
        return None
    key = "\x1f".join((_letters(outlet), published, _letters(title), head[:DERIVED_ID_LETTERS]))
    return "nexis-text:" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:24]


def _url(fields: dict[str, str]) -> str | None:
    """The URL field, or the link some outlets' exports end their HIGHLIGHT with ('...; http://...')."""
    if fields.get("url"):
        return fields["url"].split()[0]
    found = _TRAILING_URL.search(fields.get("highlight") or "")
    return found.group(1) if found else None


# "By", and its words in the interfaces' other languages (capitalised: "von der Leyen" is a name)
_BY = re.compile(r"^\s*(?:by|BY|By|Von|VON|Par|PAR|Por|POR|Door|DOOR)\s+")
_TRAILING_URL = re.compile(r"(?:^|[;\s])(https?://\S+)\s*$")
_SURNAME_FIRST = re.compile(r"^([^\W\d_][\w'-]+),\s+([^\W\d_][\w.'-]*(?:\s+[^\W\d_][\w.'-]*)?)$")


def authors_from_byline(byline: str) -> list[str]:
    """'By JANE ROE and John Doe in Berlin' -> ['JANE ROE', 'John Doe']; job titles are dropped;
    'Albrecht, Bernhard' (surname first, as German exports write it) -> ['Bernhard Albrecht']."""
    byline = _BY.sub("", byline)
    names = []
    for part in byline.split(";"):
        inverted = _SURNAME_FIRST.match(part.strip())
        if inverted and not _JOB_TITLE.search(part) and not inverted.group(2).islower():
            names.append(f"{inverted.group(2)} {inverted.group(1)}")
        else:
            names.extend(_named(part))
    return names


_NAME_SEPARATORS = re.compile(r";|,|\s+and\s+|\s+&\s+|\s+und\s+")
_IN_PLACE = re.compile(r"\s+in\s+[A-Z][\w .'-]*$")
_LEADING_BY = re.compile(r"^\s*by\s+", re.I)


def _named(byline: str) -> list[str]:
    names = []
    for part in _NAME_SEPARATORS.split(byline):
        part = _IN_PLACE.sub("", part.strip())
        part = _LEADING_BY.sub("", part).strip()
        if not part or part.islower() or _JOB_TITLE.search(part):
            continue
        names.append(part)
    return names


def _language(value: str | None) -> str | None:
    if not value:
        return None
    word = re.split(r"[;,\s]+", value.strip())[0]
    return LANGUAGE_CODES.get(word.lower(), value.strip())
