"""What may enter a project, whichever door it comes through: one set of rules for import, merge,
import-labels, the command line, the window and every exchange format still to come.

Each check returns None when the value is fine, else a short sentence saying what is wrong (for a
report row: "annotator name holds control characters"); nothing here raises for bad input but
`clean_name`, whose caller shows the message. Use them so:

    check_name(value, "annotator")      -> problem | None   names: annotator, task, option, entity, alias
    clean_name(value, "task")           -> the name, spaces folded; ValueError(message) if refused
    check_article_text(text)            -> problem | None   text present, at most MAX_ARTICLE_CHARS
    clean_text(value, limit)            -> text without control characters (tab and newline kept), cut
    check_span(start, end, length)      -> problem | None   0 <= start <= end <= length, integers
    check_choice(value, allowed, what)  -> problem | None   statuses, verdicts, kinds, levels, origins
    check_single_choice(kind, options)  -> problem | None   a single-choice task holds one option
    article_uid(text)                   -> the uid, recomputed from the text (never taken from a file)
    clean_article_text(text)            -> an article's text as stored (NUL as U+FFFD, nothing else moved)
    clean_article(article)              -> an imported Article: fields without control characters, bounded
    csv_cell(value, neutral=True)       -> a value as a CSV cell: controls out, formula neutralised
    terminal_text(value)                -> data text to print: controls out, one line, bounded

Names are single-line text without control characters (C0, DEL, C1, line and paragraph separators,
bidirectional overrides), at most MAX_NAME_CHARS long after folding spaces, and not empty. A name
that starts like a spreadsheet formula (= + - @) is allowed ("-1" and "+2" are stance options) and
neutralised wherever it is written: every CSV cell, header cells included, goes through `csv_cell`.
"""

from __future__ import annotations

import re

from annotator.core.csvsafe import CONTROLS, csv_cell, restore  # noqa: F401 - csv_cell, restore: part of this API
from annotator.core.records import Article, text_uid

MAX_NAME_CHARS = 200  # annotator, task, option, entity and alias names
MAX_ARTICLE_CHARS = 5_000_000  # a 100 MB "article" is a broken export, not news
MAX_FIELD_CHARS = 10_000  # title, outlet, url, language, authors, dates, speaker, cue, quote kind
MAX_NOTE_CHARS = 100_000  # an annotator's note on an article
MAX_PRINTED_CHARS = 200  # data text in a terminal line (names in reports)

ARTICLE_STATUSES = ("todo", "labelled", "reviewed")
VERDICTS = ("confirmed", "corrected", "rejected")
TASK_KINDS = ("single", "multi")
LEVELS = ("article", "quote")
ORIGINS = ("auto", "human")

# Anything that breaks a name out of its line or its direction: C0/C1 controls (tab, CR and LF
# too), DEL, line/paragraph separators, bidirectional embeddings, overrides and isolates.
_NAME_BREAKERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_TERMINAL_BREAKERS = _NAME_BREAKERS
# what a terminal may act on in printed output: C0 but tab and newline, DEL, C1, bidi controls
TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def check_name(value, what: str = "name") -> str | None:
    """Why `value` cannot be a name of this kind (`what`: annotator, task, option, entity...), or None."""
    if not isinstance(value, str):
        return f"{what} name is not text"
    if _NAME_BREAKERS.search(value):
        return f"{what} name holds control characters (tab, newline, escape and the like)"
    folded = " ".join(value.split())
    if not folded:
        return f"{what} name is empty"
    if len(folded) > MAX_NAME_CHARS:
        return f"{what} name is {len(folded):,} characters long (at most {MAX_NAME_CHARS})"
    return None


def clean_name(value, what: str = "name") -> str:
    """The name as stored (runs of spaces folded, ends trimmed); ValueError with the reason if refused."""
    problem = check_name(value, what)
    if problem:
        raise ValueError(f"the {problem}")
    return " ".join(value.split())


def check_article_text(text) -> str | None:
    """Why `text` cannot be an article's text, or None."""
    if not isinstance(text, str):
        return "the article text is not text"
    if not text.strip():
        return "the article text is empty"
    if len(text) > MAX_ARTICLE_CHARS:
        return f"the article text is {len(text):,} characters long (at most {MAX_ARTICLE_CHARS:,})"
    return None


def check_field(value, what: str, limit: int = MAX_FIELD_CHARS) -> str | None:
    """Why a short text field (title, url, speaker, note...) is refused: not text, or too long; None if fine."""
    if value is None:
        return None
    if not isinstance(value, str):
        return f"{what} is not text"
    if len(value) > limit:
        return f"{what} is {len(value):,} characters long (at most {limit:,})"
    return None


def clean_text(value, limit: int | None = None):
    """Text without control characters (tab and newline kept; CR becomes a newline), cut to `limit`."""
    if not isinstance(value, str):
        return value
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if CONTROLS.search(value):
        value = CONTROLS.sub("", value)
    return value if limit is None else value[:limit]


def check_span(start, end, length: int) -> str | None:
    """Why (start, end) is no span of a text of `length` characters, or None."""
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
        return f"span {start!r}-{end!r} is not two whole numbers"
    if not 0 <= start <= end <= length:
        return f"span {start}-{end} is outside the article (0-{length})"
    return None


def check_choice(value, allowed: tuple[str, ...], what: str) -> str | None:
    """Why `value` is not one of `allowed` (a status, verdict, kind, level or origin), or None."""
    if value in allowed:
        return None
    shown = terminal_text(value) if isinstance(value, str) else repr(value)
    return f"{what} {shown!r} is not one of {', '.join(allowed)}"


def check_single_choice(kind: str, option_ids) -> str | None:
    """Why a set of chosen options is wrong for a task of this kind (single: one option), or None."""
    if kind == "single" and len(set(option_ids)) > 1:
        return f"{len(set(option_ids))} options chosen on a single-choice task"
    return None


def article_uid(text: str) -> str:
    """The uid of an article, from its text (SHA-1 of the normalised text): what a file says is ignored."""
    return text_uid(text)


def terminal_text(value, limit: int = MAX_PRINTED_CHARS) -> str:
    """Data text as it may be printed: no control characters (no escape can set a title, clear the
    screen or forge a line), one line, at most `limit` characters (then an ellipsis)."""
    text = "" if value is None else str(value)
    if _TERMINAL_BREAKERS.search(text):
        text = _TERMINAL_BREAKERS.sub(" ", text)
    if len(text) > limit:
        text = text[:limit] + "…"
    return text


def clean_article_text(text: str) -> str:
    """An article's text as stored: as it is (offsets into it, a gold standard's too, must hold)
    but for NUL, which SQLite's text functions take for the end of the text: it becomes U+FFFD,
    one character for one, so no offset moves. Other control characters are taken out where the
    text leaves the project (CSV cells, printed lines)."""
    return text.replace("\x00", "\ufffd") if "\x00" in text else text


def clean_article(article: Article) -> Article:
    """An article as a reader made it, fit to store: its text by `clean_article_text`, control
    characters out of its short fields (title, outlet, ...), each cut to MAX_FIELD_CHARS."""
    text = clean_article_text(article.text)
    if text != article.text:
        article.text = text
        article.__dict__.pop("uid", None)  # computed again from the stored text
    for name in ("title", "outlet", "url", "language", "published"):
        value = getattr(article, name)
        if isinstance(value, str):
            value = " ".join(clean_text(value, MAX_FIELD_CHARS).split()) if name != "published" else \
                clean_text(value, MAX_FIELD_CHARS)
            setattr(article, name, value or None)
    article.authors = [a for a in (" ".join(clean_text(str(n), MAX_FIELD_CHARS).split())
                                   for n in article.authors[:100]) if a]
    return article
