"""The three forms of an attribution and what each shows: one place for the CLI, exports and the window.

direct: the content is all between quotation marks; mixed: reported speech holding quoted words
(one item; its quoted words stay quotation inside it); indirect: reported speech, no marks.
"""

from __future__ import annotations

from annotator.core.detect.marks import find_mark_spans

FORMS = ("direct", "mixed", "indirect")
REPORTED = ("mixed", "indirect")


def parse_forms(value: str | None) -> tuple[str, ...]:
    """'direct,mixed' -> ('direct', 'mixed'); None or '' or 'all' -> every form. ValueError names a bad one."""
    if not value or value.strip().lower() == "all":
        return FORMS
    picked = []
    for part in value.split(","):
        name = part.strip().lower()
        if name == "reported":
            picked.extend(REPORTED)
            continue
        if name not in FORMS:
            raise ValueError(f"unknown form {part.strip()!r} (choose from {', '.join(FORMS)}, reported or all)")
        picked.append(name)
    return tuple(f for f in FORMS if f in picked)


def content_span(start: int, end: int, form: str | None, content_start: int | None,
                 content_end: int | None) -> tuple[int, int]:
    """The attribution's content: the stored content span, else (direct quotes of old rows) the quote's.

    A direct quote interrupted by its own attribution ('"A," she said. "B."') is one attribution in
    pieces: each piece's start/end are its own quoted words, and all carry one content, from the first
    piece's first word to the last one's last."""
    return (content_start, content_end) if content_start is not None and content_end is not None else (start, end)


def own_span(start: int, end: int, form: str | None, content_start: int | None,
             content_end: int | None) -> tuple[int, int]:
    """The stretch an item stands over by itself: a reported one's whole content, a direct quote's
    quoted words (the pieces of one interrupted quotation share a content but not their words).
    What highlighting, agreement on spans and re-detection compare."""
    if form in REPORTED and content_start is not None and content_end is not None:
        return content_start, content_end
    return start, end


# own_span in SQL, for a table aliased q (or none: alias "")
def own_span_sql(alias: str = "q.") -> tuple[str, str]:
    reported = f"{alias}form IN ('mixed', 'indirect')"
    return (f"CASE WHEN {reported} THEN ifnull({alias}content_start, {alias}start) ELSE {alias}start END",
            f'CASE WHEN {reported} THEN ifnull({alias}content_end, {alias}"end") ELSE {alias}"end" END')


def quoted_parts(text: str, start: int, end: int, form: str | None, open_mark: str = "",
                 close_mark: str = "") -> list[tuple[int, int]]:
    """The stretches between quotation marks of an item: a direct quote's own span, a mixed one's
    quoted fragments (found again in its text), none for an indirect one."""
    if form == "indirect":
        return []
    if form != "mixed":
        return [(start, end)]
    lo = max(0, start - len(open_mark or ""))
    hi = min(len(text), end + len(close_mark or ""))
    parts = [(lo + s.start, lo + s.end) for s in find_mark_spans(text[lo:hi])]
    return parts or [(start, end)]


def form_of_selection(text: str) -> str:
    """The form of reported speech a person selected: mixed when it holds quoted words, else indirect."""
    return "mixed" if find_mark_spans(text) else "indirect"
