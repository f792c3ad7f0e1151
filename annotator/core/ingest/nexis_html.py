"""Nexis UK / LexisNexis Academic exports saved as HTML: one article per document.

The page is a download-request cover, then documents one after another, each between `<DOC>` /
`<DOCFULL>` markers (inside HTML comments), with "1 of 49 DOCUMENTS", outlet, date line, headline,
labelled fields in the export's language (AUTOR:, RUBRIK:, LÄNGE:, ...), body paragraphs and trailer
fields: the layout of the Nexis text export, in markup. So the markup is turned into the lines the
text export would have (a paragraph a line, a blank line between blocks) and read by `nexis.py`'s
parser: the same fields, the same rules, the same field names.

Streamed: the file is converted in pieces of about 64 KB cut between tags, and only the current
document is held, so exports of any size read in flat memory.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterable, Iterator

from annotator.core.ingest.decode import DecodeError
from annotator.core.ingest.markup import EncodingBreaks, text_pieces
from annotator.core.ingest.nexis import _CLASSIC_SEPARATOR, parse_nexis_lines
from annotator.core.ingest.options import ReadOptions
from annotator.core.ingest.source import Source
from annotator.core.records import Article, ImportProblem

READER = "nexis-html"
PIECE_CHARS = 1 << 16
MAX_PIECE_CHARS = 1 << 22  # no safe place to cut in 4 MB: not an export's markup, cut where it is
_DROP = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>", re.S | re.I)
# (upper or lower case spelled out: several times faster than re.I over megabytes)
_BREAK = re.compile(r"<(?:BR|br|Br)\s*/?>")
_BLOCKS = r"(?:P|p|DIV|div|Div|H[1-6]|h[1-6]|TR|tr|TABLE|table|LI|li|UL|ul|OL|ol|BLOCKQUOTE|blockquote|CENTER|center)\b"
_BLOCK_END = re.compile(r"</" + _BLOCKS + r"[^>]*>")  # ends a block: a blank line
_BLOCK_START = re.compile(r"<" + _BLOCKS + r"[^>]*>")  # starts one on a line of its own
_TAG = re.compile(r"<[^>]*>")
_COMMON_TAGS = tuple(
    (tag, becomes, tag.lower() == tag)
    for tag, becomes in (("<BR>", "\n"), ("<br>", "\n"), ("</SPAN>", ""), ("</span>", ""), ("</P>", "\n\n"),
                         ("</p>", "\n\n"), ("</DIV>", "\n\n"), ("</div>", "\n\n"))
)
_LOWER_TAG = re.compile(r"</?[a-z]")  # the lower-case common tags can occur only where this does
_SPACES = re.compile(r"  +")
_ODD_SPACES = ("\xa0", "\t", "\u202f", "\u2007", "\f", "\v")
_BLANK_RUN = re.compile(r"\n\n\n+")  # (not \n{3,}: that tries every line break, 5x slower)
_SEPARATOR = re.compile(
    r">\s*\d+\s+(?:of|von|de|sur|di|van)\s+\d+\s+(?:DOCUMENTS?|DOKUMENTE?N?|DOCUMENTOS?|DOCUMENTI?)\s*<", re.I
)
_SEPARATOR_LINE = re.compile(
    r"\d+\s+(?:of|von|de|sur|di|van)\s+\d+\s+(?:DOCUMENTS?|DOKUMENTE?N?|DOCUMENTOS?|DOCUMENTI?)$", re.I
)
_DIGIT_LINE = re.compile(r"\n(?=\d)")
_DOC_MARK = re.compile(r"<(?:(DOCFULL)\b|/DOCFULL\s*>)", re.I)  # a document's start (group 1) or end
_PAGE_END = re.compile(r"</html\s*>", re.I)
# Another database's articles pasted into the file: Factiva's article markup
_FOREIGN_START = re.compile(
    r"<div\b[^>]*\b(?:id=[\"']?article-|class=[\"']?(?:article|lastarticle)\b)[^>]*>", re.I
)
_FOREIGN_ARTICLE = re.compile(r"class=[\"']?[a-z]{2}Headline\b|class=[\"']?[a-z]{2}Article\b")
_NEXIS_RESUME = re.compile(r"<A\s+NAME=\"?DOC_ID_|<!--\s*Hide XML|<DOC\s+NUMBER=", re.I)


def read(source: Source, options: ReadOptions) -> Iterator[Article | ImportProblem]:
    with source.open_binary() as binary:
        lines = MarkupLines(text_pieces(binary))
        count = 0
        try:
            for got in parse_nexis_lines(
                lines, source.path, READER, line_of=lines.source_line, complete=lines.complete
            ):
                count += not isinstance(got, ImportProblem)
                yield got
                if isinstance(got, ImportProblem) and not got.note:
                    return
        except DecodeError as exc:
            yield ImportProblem(source.path, str(exc), reader=READER)
            return
    if lines.foreign:
        line, after, articles = lines.foreign[0]
        where = f"after document {after}" if after else "before the first document"
        more = f" (and {len(lines.foreign) - 1} more places)" if len(lines.foreign) > 1 else ""
        yield ImportProblem(
            source.path,
            f"{articles} article{'s' if articles != 1 else ''} of another export (Factiva) {where}{more} left "
            "out: this file mixes two exports; import each as its own file",
            line=line, note=True, reader=READER,
        )
    if not count and not lines.documents:
        yield ImportProblem(
            source.path,
            "a Nexis page with no documents in it (no '1 of N DOCUMENTS'): is it the list of search results? "
            "Download the documents themselves as HTML",
            reader=READER,
        )


def read_part(path: str, binary, encoding: str, first: bool, last: bool) -> tuple[list[Article], int] | None:
    """The articles of a part of an export that begins and (unless `last`) ends between documents,
    and how many documents it held; None when the part says anything else (a document left out,
    another export inside it, text between documents, UTF-8 that breaks): what it says is said
    right only by reading the whole file (`read`). Their `source_index` counts from 0."""
    lines = MarkupLines(text_pieces(binary, encoding))
    got = []
    try:
        for item in parse_nexis_lines(_documents_first(lines) if not first else lines, path, READER,
                                      line_of=lines.source_line, complete=lines.complete):
            if not isinstance(item, Article):
                return None
            got.append(item)
    except (DecodeError, EncodingBreaks, _NotAlone):
        return None
    if lines.foreign or not got:
        return None
    return got, lines.documents


class _NotAlone(Exception):
    pass


def _documents_first(lines: Iterable[str]) -> Iterator[str]:
    """The lines of a part after the first, which must begin with a document: text before its
    separator would belong to the document before it, in the part before."""
    lines = iter(lines)
    for line in lines:
        if _CLASSIC_SEPARATOR.match(line):
            yield line
            break
        if line.strip():
            raise _NotAlone
    yield from lines


class MarkupLines:
    """Iterates over the text lines of the markup; remembers where documents start in the file,
    whether the last one was closed, and where another export's articles were cut out."""

    def __init__(self, pieces: Iterator[str]):
        self._pieces = pieces
        self._line = 1  # of the file, at the start of the piece being converted
        self._out_line = 0  # lines handed out
        self._marks_out: list[int] = []  # handed-out line numbers of separators
        self._marks_file: list[int] = []  # and their lines in the file
        self._pending_file: list[int] = []
        self._open = False  # inside a <DOCFULL> not yet closed
        self._page_ended = False
        self._seen_doc = False
        self._in_foreign = False
        self.foreign: list[tuple[int, int, int]] = []  # (line, documents before it, articles)
        self.documents = 0

    def __iter__(self) -> Iterator[str]:
        # Whole lines only: a piece's last, unfinished line (and the white space after it) waits for the
        # next piece, and the white space where two pieces meet is folded as one run (as if the file
        # were one piece), so the lines do not depend on where the pieces were cut.
        carry = ""
        for piece in self._whole_pieces():
            text = self._convert(piece)
            if carry:
                text = _joined(carry, text)
            cut = text.rfind("\n", 0, len(text.rstrip(" \n"))) + 1  # (the white space at its end waits too)
            carry = text[cut:]
            if cut:
                yield from self._lines(text[:cut])
        yield from self._lines(carry + "\n")  # (the text after the last line break, maybe none: as str.split)

    def _lines(self, text: str) -> list[str]:
        """The lines of a text of whole lines (it ends with a line break), separators noted."""
        out_line, counted = self._out_line + 1, 0
        for start in _digit_lines(text):  # (a separator line starts with a digit: few lines do)
            end = text.find("\n", start)
            if _SEPARATOR_LINE.match(text, start, end if end != -1 else len(text)):
                out_line += text.count("\n", counted, start)
                counted = start
                self.documents += 1
                self._marks_out.append(out_line)
                self._marks_file.append(self._pending_file.pop(0) if self._pending_file else self._line)
        lines = text.split("\n")
        lines.pop()  # (after the last line break: nothing)
        self._out_line += len(lines)
        return lines

    def source_line(self, out_line: int) -> int:
        """The file line of the document that handed-out line `out_line` belongs to."""
        at = bisect.bisect_right(self._marks_out, out_line) - 1
        return self._marks_file[at] if at >= 0 else 1

    def complete(self) -> bool:
        return self._page_ended or (self._seen_doc and not self._open)

    def _whole_pieces(self) -> Iterator[str]:
        """Pieces of about PIECE_CHARS that end outside any tag, comment, style or script."""
        buffer = ""
        for text in self._pieces:
            buffer += text
            while len(buffer) >= PIECE_CHARS:
                cut = _safe_cut(buffer, PIECE_CHARS)
                if cut is None:
                    if len(buffer) < MAX_PIECE_CHARS:
                        break
                    cut = len(buffer)  # a comment or tag that never closes: cut anyway, memory stays bounded
                yield buffer[:cut]
                buffer = buffer[cut:]
        if buffer:
            yield buffer

    def _convert(self, raw: str) -> str:
        start_line = self._line
        self._track_documents(raw)
        if self._in_foreign or _may_hold_foreign(raw):
            raw = self._drop_foreign(raw, start_line)
        if "OCUMENT" in raw or "OKUMENT" in raw or "ocument" in raw:
            line, counted = start_line, 0
            for found in _SEPARATOR.finditer(raw):
                line += raw.count("\n", counted, found.start())
                counted = found.start()
                self._pending_file.append(line)
        self._line = start_line + raw.count("\n")  # (lines dropped with foreign parts are added back there)
        return markup_text(raw)

    def _track_documents(self, raw: str) -> None:
        if "DOCFULL" in raw or "docfull" in raw or "DocFull" in raw:
            last_open = last_close = -1
            for found in _DOC_MARK.finditer(raw):  # (one pass for both)
                if found.group(1):
                    last_open = found.start()
                else:
                    last_close = found.start()
            if last_open != -1 or last_close != -1:
                self._seen_doc = True
                self._open = last_open > last_close
        if not self._page_ended and ("</H" in raw or "</h" in raw) and _PAGE_END.search(raw):
            self._page_ended = True

    def _drop_foreign(self, raw: str, start_line: int) -> str:
        kept: list[str] = []
        pos = 0
        while pos < len(raw):
            if self._in_foreign:
                resume = _NEXIS_RESUME.search(raw, pos)
                end = resume.start() if resume else len(raw)
                dropped = raw[pos:end]
                if self.foreign:
                    line, after, articles = self.foreign[-1]
                    self.foreign[-1] = (line, after, articles + len(_FOREIGN_ARTICLE.findall(dropped)))
                kept.append("\n" * dropped.count("\n"))  # keep the file's line count
                if resume is None:
                    break
                self._in_foreign, pos = False, end
                continue
            found = _FOREIGN_START.search(raw, pos)
            if found is None:
                kept.append(raw[pos:])
                break
            kept.append(raw[pos : found.start()])
            line = start_line + raw.count("\n", 0, found.start())
            before = self.documents + len(self._pending_file) + len(_SEPARATOR.findall(raw, 0, found.start()))
            self.foreign.append((line, before, 0))
            self._in_foreign, pos = True, found.start()
        return "".join(kept)


def markup_text(raw: str) -> str:
    """The text lines of a piece of markup: a paragraph a line, a blank line between blocks.

    Each run of tags (with the spaces around it) is looked up in a table of what it becomes (a
    paragraph's end and the next one's start: a blank line), so the markup is gone in one pass; what
    is left to fold is the white space of the text itself, usually none. The same text as
    `markup_text_plain` (a pass a step): a piece with a run of tags the table cannot take (a `<`
    inside a tag: `a < b <P>`) is converted by that.
    """
    text = _DROP.sub("", raw)
    if "\r" in text:
        text = text.replace("\r", " ")
    text = text.replace("\n", " ")
    parts = _TAG_RUN.split(text)
    try:
        parts[1::2] = map(_TAG_RUNS.__getitem__, parts[1::2])
    except _IrregularTags:
        return _plain_text(text)
    text = "".join(parts)
    if "&" in text:
        text = html.unescape(text)
    for space in _ODD_SPACES:
        if space in text:
            text = text.replace(space, " ")
    # the text's own white space, usually none but at the piece's ends (it was cut after a line break)
    start = len(text) - len(text.lstrip(" \n"))
    end = len(text.rstrip(" \n"))
    middle = text[start:end] if start or end < len(text) else text
    if start >= end or "  " in middle or " \n" in middle or "\n " in middle or "\n\n\n" in middle:
        return _fold_spaces(text)
    return _folded_run(text[:start]) + middle + _folded_run(text[end:]) if middle is not text else text


def markup_text_plain(raw: str) -> str:
    """`markup_text` a pass a step: comments, scripts and styles out, then tags, entities, spaces."""
    text = _DROP.sub("", raw)
    if "\r" in text:
        text = text.replace("\r", " ")
    return _plain_text(text.replace("\n", " "))


def _plain_text(text: str) -> str:
    text = _plain_tags(text)
    if "&" in text:
        text = html.unescape(text)
    for space in _ODD_SPACES:
        if space in text:
            text = text.replace(space, " ")
    return _fold_spaces(text)


def _plain_tags(text: str) -> str:
    """Tags out of a text with its line breaks made spaces: breaks, blocks' ends and starts become lines."""
    # the commonest tags first, as the patterns below would turn them (str.replace is many times
    # faster, and leaves the patterns fewer places to try)
    lower = _LOWER_TAG.search(text) is not None  # (a scan saves the four lower-case ones below)
    for tag, becomes, is_lower in _COMMON_TAGS:
        if lower or not is_lower:
            text = text.replace(tag, becomes)
    text = _BREAK.sub("\n", text)
    text = _BLOCK_START.sub("\n", _BLOCK_END.sub("\n\n", text))
    return _TAG.sub("", text)


def _fold_spaces(text: str) -> str:
    """Runs of spaces made one, none beside a line break, at most one blank line in a row."""
    text = _SPACES.sub(" ", text)
    text = text.replace(" \n", "\n").replace("\n ", "\n")  # (runs of spaces are single by then)
    return _BLANK_RUN.sub("\n\n", text)


def _folded_run(run: str) -> str:
    """A run of spaces and line breaks as `_fold_spaces` leaves it, whatever text is around it."""
    breaks = run.count("\n")
    return "\n" * min(breaks, 2) if breaks else (" " if run else "")


class _IrregularTags(Exception):
    pass


class _TagRuns(dict):
    """What a run of tags (and the spaces around it) becomes: the spaces and line breaks `_plain_tags`
    leaves of it, folded as `_fold_spaces` would fold them (a run of white space folds the same
    whatever text is around it: to a space, a line break or a blank line). Learnt as they come."""

    def __missing__(self, run: str) -> str:
        if run.count("<") != run.count(">"):  # a '<' inside a tag: its end is not where the table thinks
            raise _IrregularTags
        becomes = _folded_run(_plain_tags(run))
        if len(self) >= 4096:  # (ids in tags make runs seen once: begin again, the common ones come back)
            self.clear()
        self[run] = becomes
        return becomes


_TAG_RUN = re.compile(r"(<[^>]*>(?: *<[^>]*>)*)")
_TAG_RUNS = _TagRuns()


def _joined(before: str, after: str) -> str:
    """Two converted pieces as one: the run of spaces and line breaks where they meet folded as
    `_fold_spaces` folds it (each side's run is folded already; the fold of the two is the fold of
    the whole)."""
    left = len(before.rstrip(" \n"))
    right = len(after) - len(after.lstrip(" \n"))
    if left == len(before) and not right:
        return before + after
    return before[:left] + _folded_run(before[left:] + after[:right]) + after[right:]


def _digit_lines(text: str) -> Iterator[int]:
    """Where the lines of a text that start with a digit start."""
    if text[:1].isdecimal():
        yield 0
    for found in _DIGIT_LINE.finditer(text):
        yield found.end()


def _may_hold_foreign(raw: str) -> bool:
    """Cheap test before the pattern: Factiva writes its markup in lower case."""
    return "articleParagraph" in raw or 'id="article-' in raw or "Headline" in raw


def _safe_cut(buffer: str, at: int) -> int | None:
    """An index at or after `at` where no tag, comment, style or script is open, or None."""
    cut = buffer.find("\n", at)
    tries = 0
    while cut != -1 and tries < 1000:
        if (
            buffer.rfind("<", 0, cut) <= buffer.rfind(">", 0, cut)
            and buffer.rfind("<!--", 0, cut) <= buffer.rfind("-->", 0, cut)
            and _closed(buffer, cut, "style")
            and _closed(buffer, cut, "script")
        ):
            return cut + 1
        cut = buffer.find("\n", cut + 1)
        tries += 1
    return None


def _closed(buffer: str, end: int, tag: str) -> bool:
    """True when no <tag> element is left open before `end` (either case, as exports write them)."""
    opened = max(buffer.rfind(f"<{tag}", 0, end), buffer.rfind(f"<{tag.upper()}", 0, end))
    if opened == -1:
        return True
    return max(buffer.rfind(f"</{tag}", 0, end), buffer.rfind(f"</{tag.upper()}", 0, end)) > opened
