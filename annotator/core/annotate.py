"""Corrections a person makes to quotes and speakers: confirm, reject, mark new spans, set a speaker.

A verdict on a detected quote is a `quote_labels` row per annotator (the detection itself is never
changed); quotes and mentions a person marks are rows with origin 'human' and their name. Every
function returns what an undo needs to put things back (a previous verdict, or the deleted row).
"""

from __future__ import annotations

from annotator.core import entities
from annotator.core.store import Project, utc_now

VERDICTS = ("confirmed", "corrected", "rejected")


# --- verdicts on quotes ---------------------------------------------------------------------------


def get_verdict(project: Project, quote_id: int, annotator: str) -> dict | None:
    """This annotator's verdict row on a quote (status, speaker, entity_id), or None."""
    rows = list(project.db.query(
        "SELECT quote_id, annotator, status, entity_id, speaker, updated_at FROM quote_labels "
        "WHERE quote_id = ? AND annotator = ?", [quote_id, annotator]))
    return rows[0] if rows else None


def set_verdict(project: Project, quote_id: int, annotator: str, verdict: dict | None) -> dict | None:
    """Replace the verdict with `verdict` (a row as get_verdict returns it; None removes it).
    Returns the verdict before: the undo of any change here is set_verdict(previous)."""
    with project.write() as db:
        before = get_verdict(project, quote_id, annotator)
        db.execute("DELETE FROM quote_labels WHERE quote_id = ? AND annotator = ?", [quote_id, annotator])
        if verdict is not None:
            if verdict["status"] not in VERDICTS:
                raise ValueError(f"verdict must be one of {', '.join(VERDICTS)}")
            db["quote_labels"].insert({
                "quote_id": quote_id, "annotator": annotator, "status": verdict["status"],
                "entity_id": verdict.get("entity_id"), "speaker": verdict.get("speaker"),
                "updated_at": verdict.get("updated_at") or utc_now(),
            })
    return before


def confirm_quote(project: Project, quote_id: int, annotator: str) -> dict | None:
    """Say an automatic quote is right as detected (keeps a speaker correction already made)."""
    before = get_verdict(project, quote_id, annotator)
    status = "corrected" if before and before["status"] == "corrected" else "confirmed"
    keep = before if before and before["status"] == "corrected" else {}
    return set_verdict(project, quote_id, annotator, {
        "status": status, "speaker": keep.get("speaker"), "entity_id": keep.get("entity_id")})


def reject_quote(project: Project, quote_id: int, annotator: str) -> dict | None:
    """Say an automatic quote is not a quote; returns the verdict before."""
    return set_verdict(project, quote_id, annotator, {"status": "rejected"})


# --- speakers -------------------------------------------------------------------------------------


def entity_for_name(project: Project, name: str) -> int:
    """The entity a typed speaker name stands for (see entities.entity_for_name): an existing one with
    that name or alias, else a new person entity."""
    return entities.entity_for_name(project, name)


def set_quote_speaker(project: Project, quote_id: int, annotator: str, *, mention_id: int | None = None,
                      name: str | None = None) -> dict | None:
    """Give a quote the speaker named by one of the article's mentions or by a typed name.
    Recorded as this annotator's 'corrected' verdict; returns the verdict before."""
    if mention_id is not None:
        mention = project.db["mentions"].get(mention_id)
        speaker = mention["name"] or mention["text"]
        entity_id = mention["entity_id"]
        if entity_id is None and speaker:
            entity_id = entity_for_name(project, speaker)
    elif name and name.strip():
        speaker = " ".join(name.split())
        entity_id = entity_for_name(project, speaker)
    else:
        raise ValueError("a speaker needs a mention or a name")
    return set_verdict(project, quote_id, annotator,
                       {"status": "corrected", "speaker": speaker, "entity_id": entity_id})


def speaker_names(project: Project, article_id: int | None = None, limit: int = 5000) -> list[str]:
    """Names to offer when typing a speaker: the article's mentions first, then known entities."""
    names: dict[str, None] = {}
    if article_id is not None:
        for (name,) in project.conn.execute(
                "SELECT coalesce(name, text) FROM mentions WHERE article_id = ? ORDER BY start", [article_id]):
            if name:
                names.setdefault(name, None)
    for (name,) in project.conn.execute("SELECT name FROM entities ORDER BY id LIMIT ?", [limit]):
        names.setdefault(name, None)
    return list(names)


# --- spans a person marks -------------------------------------------------------------------------


def _span_text(project: Project, article_id: int, start: int, end: int) -> str:
    text = project.conn.execute("SELECT text FROM articles WHERE id = ?", [article_id]).fetchone()
    if text is None:
        raise ValueError(f"no article {article_id}")
    if not (0 <= start < end <= len(text[0])):
        raise ValueError(f"span {start}-{end} is outside the article (length {len(text[0])})")
    return text[0][start:end]


def mark_quote(project: Project, article_id: int, start: int, end: int, annotator: str, form: str = "direct",
               replaces_id: int | None = None) -> int:
    """A quote the detector missed (or, with `replaces_id`, a person's correction of a detected one),
    marked by hand from a selection; returns the new quote id. For reported speech (form mixed or
    indirect) the selection is the content; a mixed one's quoted words are found inside it."""
    from annotator.core.detect.marks import find_mark_spans
    from annotator.core.quote_forms import FORMS

    if form not in FORMS:
        raise ValueError(f"form must be one of {', '.join(FORMS)}, not {form!r}")
    content = _span_text(project, article_id, start, end)
    q_start, q_end, open_mark, close_mark = start, end, None, None
    if form == "mixed":
        parts = find_mark_spans(content)
        if parts:
            q_start, q_end = start + parts[0].start, start + parts[-1].end
            open_mark, close_mark = parts[0].open_mark, parts[-1].close_mark
    elif form == "indirect":
        open_mark = close_mark = ""
    text = content[q_start - start:q_end - start]
    with project.write() as db:
        return db["quotes"].insert({
            "article_id": article_id, "start": q_start, "end": q_end, "text": text,
            "kind": "direct" if form == "direct" else "clause", "open_mark": open_mark, "close_mark": close_mark,
            "origin": "human", "annotator": annotator, "replaces_id": replaces_id, "created_at": utc_now(),
            "form": form, "content_start": start, "content_end": end, "content": content,
        }).last_pk


def correct_span(project: Project, quote_id: int, annotator: str, start: int, end: int,
                 form: str) -> tuple[int, dict | None]:
    """A person's correction of a detected quote's span or form (reported speech read too short, a
    direct quote that is really mixed): their own quote over the selection replaces it, and the
    detected one is rejected for them. Returns (new quote id, their verdict on the old one before)."""
    quote = project.db["quotes"].get(quote_id)
    before = get_verdict(project, quote_id, annotator)
    new_id = mark_quote(project, quote["article_id"], start, end, annotator, form=form, replaces_id=quote_id)
    reject_quote(project, quote_id, annotator)
    return new_id, before


def undo_correct_span(project: Project, new_id: int, quote_id: int, annotator: str, before: dict | None) -> None:
    delete_human_quote(project, new_id)
    set_verdict(project, quote_id, annotator, before)


def mark_mention(project: Project, article_id: int, start: int, end: int, annotator: str) -> int:
    """A speaker mention marked by hand from a selection; returns the new mention id."""
    text = _span_text(project, article_id, start, end)
    with project.write() as db:
        return db["mentions"].insert({
            "article_id": article_id, "start": start, "end": end, "text": text, "name": " ".join(text.split()),
            "kind": "person", "origin": "human", "annotator": annotator, "created_at": utc_now(),
        }).last_pk


def delete_human_quote(project: Project, quote_id: int) -> dict:
    """Delete a hand-marked quote with its labels and verdicts; returns everything restore_quote needs.
    Detected quotes are never deleted (reject them instead): that is a ValueError."""
    quote = project.db["quotes"].get(quote_id)
    if quote["origin"] != "human":
        raise ValueError("a detected quote is rejected, not deleted")
    with project.write() as db:
        saved = {
            "quote": quote,
            "labels": list(db.query("SELECT * FROM labels WHERE quote_id = ?", [quote_id])),
            "verdicts": list(db.query("SELECT * FROM quote_labels WHERE quote_id = ?", [quote_id])),
        }
        db.execute("DELETE FROM labels WHERE quote_id = ?", [quote_id])
        db.execute("DELETE FROM quote_labels WHERE quote_id = ?", [quote_id])
        db.execute("DELETE FROM quotes WHERE id = ?", [quote_id])
    return saved


def restore_quote(project: Project, saved: dict) -> int:
    """Put back a quote deleted by delete_human_quote, with the same id, labels and verdicts."""
    with project.write() as db:
        db["quotes"].insert(saved["quote"])
        if saved["labels"]:
            db["labels"].insert_all(saved["labels"])
        if saved["verdicts"]:
            db["quote_labels"].insert_all(saved["verdicts"])
    return saved["quote"]["id"]


def delete_human_mention(project: Project, mention_id: int) -> dict:
    """Delete a hand-marked mention; returns the row for restore_mention. Quotes keep their speaker text."""
    mention = project.db["mentions"].get(mention_id)
    if mention["origin"] != "human":
        raise ValueError("a detected mention is not deleted")
    with project.write() as db:
        db.execute("UPDATE quotes SET mention_id = NULL WHERE mention_id = ?", [mention_id])
        db.execute("DELETE FROM mentions WHERE id = ?", [mention_id])
    return mention


def restore_mention(project: Project, mention: dict) -> int:
    with project.write() as db:
        db["mentions"].insert(mention)
    return mention["id"]
