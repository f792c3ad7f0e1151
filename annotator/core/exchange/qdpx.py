"""A project as a REFI-QDA project file (.qdpx: a zip of `project.qde`, QDA-XML 1.0, and `sources/`).

What maps to what (the README has the table): every article a TextSource (its text in
`sources/<guid>.txt`; title, outlet, date, url, authors, language, uid as source variables); every
annotator a User, and one User for the automatic detector; the code book holds one parent code per
label task with a child per option, "Quote" with a child per form, "Speaker mention", "Speakers"
with a child per entity, "Quote verdict" and "Article status". Article labels are codings of a
selection over the whole text (one per annotator), quotes and mentions are PlainTextSelections
(code points) coded with their form / entity, a quote's verdict and quote-level labels are codings
on it by the annotator, a quote's speaker mention is a Link, notes are Notes.

GUIDs are derived (uuid5) from what a thing is, so exporting twice gives the same file and an
import can tell our codes from codes added in another tool.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import uuid
import zipfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from lxml import etree

import annotator
from annotator.core.exchange import ExchangeCancelled, ExchangeResult
from annotator.core.exchange.spans import FORMS, has_form_column, quote_form
from annotator.core.scheme import MULTI, load_scheme
from annotator.core.store import Project, utc_now

NS = "urn:QDA-XML:project:1.0"
NAMESPACE = uuid.UUID("6f1c3c2e-8f5a-4d1e-9a57-1c0ffee0a019")  # ours: the GUIDs of a News Annotator file
ORIGIN = "News Annotator"
DETECTOR = "News Annotator detector"  # the User of automatic detections
VARIABLES = ("title", "outlet", "published", "url", "authors", "language", "uid")
VERDICTS = ("confirmed", "corrected", "rejected")
STATUSES = ("labelled", "reviewed")
BATCH = 500
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$")


def guid(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(str(p) for p in parts)))


def code_guid(*parts) -> str:
    return guid("code", *parts)


def user_guid(name: str | None) -> str:
    return guid("user", DETECTOR) if name is None else guid("user", name)


def xml_text(value) -> str:
    """Text XML 1.0 can hold (control characters other than tab and newlines dropped)."""
    return _NOT_XML.sub("", str(value))


def _when(value: str | None) -> dict:
    return {"creationDateTime": value} if value and _DATETIME.match(value) else {}


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _root(tag: str, **attrs) -> etree._Element:
    """An element written on its own into the document: it declares the default namespace itself."""
    return etree.Element(tag, attrs, nsmap={None: NS})


def export_qdpx(project: Project, out: str | Path, *, progress: Callable[[int, int, str], None] | None = None,
                cancelled: Callable[[], bool] | None = None) -> ExchangeResult:
    """Write the whole project (every annotator) as a .qdpx file; returns what it holds."""
    out = Path(out)
    conn = project.conn
    scheme = load_scheme(project, install_default=False)
    total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    fd, tmp_name = tempfile.mkstemp(prefix=".qdpx-", suffix=".tmp", dir=out.parent)
    os.close(fd)
    qde_fd, qde_name = tempfile.mkstemp(prefix=".qde-", suffix=".tmp", dir=out.parent)
    os.close(qde_fd)
    counts = [0, 0, 0]
    try:
        with zipfile.ZipFile(tmp_name, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            with open(qde_name, "wb") as qde:
                _write_qde(project, scheme, qde, zf, total, counts, progress, cancelled)
            zf.write(qde_name, "project.qde")
        os.replace(tmp_name, out)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    finally:
        with contextlib.suppress(OSError):
            os.unlink(qde_name)
    return ExchangeResult(out, *counts)


def _people(conn) -> list[str]:
    names = set()
    for sql in ("SELECT name FROM annotators", "SELECT DISTINCT annotator FROM labels",
                "SELECT DISTINCT annotator FROM quote_labels", "SELECT DISTINCT annotator FROM article_status",
                "SELECT DISTINCT annotator FROM quotes WHERE origin = 'human'",
                "SELECT DISTINCT annotator FROM mentions WHERE origin = 'human'"):
        names.update(r[0] for r in conn.execute(sql) if r[0])
    return sorted(names, key=str.casefold)


def _code(parent, key: tuple, name: str, codable: bool = True, description: str | None = None, color=None):
    el = etree.SubElement(parent, _q("Code"), guid=code_guid(*key), name=xml_text(name),
                          isCodable="true" if codable else "false")
    if color:
        el.set("color", color)
    if description:
        etree.SubElement(el, _q("Description")).text = xml_text(description)
    return el


def _codebook(conn, scheme) -> tuple[etree._Element, dict, dict]:
    """The CodeBook element, the GUIDs of entity codes by entity id and of speaker-name codes by name."""
    book = _root(_q("CodeBook"))
    codes = etree.SubElement(book, _q("Codes"))
    for task in scheme.tasks:
        kind = "multiple choice" if task.kind == MULTI else "single choice"
        about = f"News Annotator label task per {task.level} ({kind})"
        if task.target:
            about += f", stance towards {task.target}"
        parent = _code(codes, ("task", task.level, task.name), task.name if task.level == "article"
                       else f"{task.name} (quote)", False, about)
        for option in task.options:
            _code(parent, ("option", task.level, task.name, option.name), option.name, True,
                  f"shortcut {option.shortcut}" if option.shortcut else None)
    quote = _code(codes, ("quote",), "Quote", False, "Quoted or reported speech; a child per form", "#E0A020")
    for form in FORMS:
        _code(quote, ("form", form), form, True, f"{form} speech")
    _code(codes, ("mention",), "Speaker mention", True, "Where a source is named in the text", "#3080D0")
    speakers = _code(codes, ("speakers",), "Speakers", False, "Who said it: a child per entity")
    entity_codes = {}
    for entity_id, name, kind in conn.execute("SELECT id, name, kind FROM entities ORDER BY id"):
        entity_codes[entity_id] = code_guid("entity", entity_id)
        _code(speakers, ("entity", entity_id), name, True, kind)
    speaker_codes = {}
    loose = conn.execute(
        "SELECT speaker FROM quotes WHERE entity_id IS NULL AND speaker IS NOT NULL UNION "
        "SELECT speaker FROM quote_labels WHERE entity_id IS NULL AND speaker IS NOT NULL AND status = 'corrected' "
        "ORDER BY 1").fetchall()
    for (name,) in loose:
        speaker_codes[name] = code_guid("speaker-name", name)
        _code(speakers, ("speaker-name", name), name, True, "a speaker not linked to an entity")
    verdict = _code(codes, ("verdict",), "Quote verdict", False, "An annotator's verdict on a detected quote")
    for status in VERDICTS:
        _code(verdict, ("verdict", status), status)
    status_code = _code(codes, ("status",), "Article status", False, "An annotator's work on the article")
    for status in STATUSES:
        _code(status_code, ("status", status), status)
    return book, entity_codes, speaker_codes


def _write_qde(project: Project, scheme, qde, zf: zipfile.ZipFile, total: int, counts: list, progress, cancelled):
    conn = project.conn
    people = _people(conn)
    form = "form" if has_form_column(conn) else "NULL"
    option_codes = {o.id: code_guid("option", t.level, t.name, o.name) for t in scheme.tasks for o in t.options}
    now = utc_now()
    notes: list[etree._Element] = []
    links: list[tuple[str, str]] = []
    with etree.xmlfile(qde, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(_q("Project"), {"name": xml_text(project.path.stem), "origin": f"{ORIGIN} {annotator.__version__}",
                                        "creationDateTime": now}, nsmap={None: NS}):
            users = _root(_q("Users"))
            etree.SubElement(users, _q("User"), guid=user_guid(None), name=DETECTOR)
            for name in people:
                etree.SubElement(users, _q("User"), guid=user_guid(name), name=xml_text(name))
            xf.write(users)
            book, entity_codes, speaker_codes = _codebook(conn, scheme)
            xf.write(book)
            variables = _root(_q("Variables"))
            for name in VARIABLES:
                etree.SubElement(variables, _q("Variable"), guid=guid("variable", name), name=name,
                                 typeOfVariable="Text")
            xf.write(variables)

            def speaker_code(name, entity_id):
                if entity_id is not None and entity_id in entity_codes:
                    return entity_codes[entity_id]
                return speaker_codes.get(name) if name else None

            with xf.element(_q("Sources")):
                done, last = 0, 0
                while True:
                    if cancelled is not None and cancelled():
                        raise ExchangeCancelled("cancelled")
                    rows = conn.execute(
                        "SELECT id, uid, title, outlet, published, url, authors, language, text FROM articles "
                        "WHERE id > ? ORDER BY id LIMIT ?", [last, BATCH]).fetchall()
                    if not rows:
                        break
                    lo, last = rows[0][0], rows[-1][0]
                    batch = _batch(conn, lo, last, form)
                    for row in rows:
                        source = _source(row, batch, option_codes, speaker_code, notes, links, zf, counts)
                        xf.write(source)
                    done += len(rows)
                    counts[0] = done
                    if progress is not None:
                        progress(done, total, "articles")
            if notes:
                with xf.element(_q("Notes")):
                    for note in notes:
                        xf.write(note)
            if links:
                with xf.element(_q("Links")):
                    for quote_guid, mention_guid in links:
                        xf.write(_root(_q("Link"), guid=guid("link", quote_guid, mention_guid),
                                               name="said by", direction="OneWay", originGUID=quote_guid,
                                               targetGUID=mention_guid))


def _batch(conn, lo: int, hi: int, form: str) -> dict:
    """Everything a range of articles holds, grouped by article id."""
    span = [lo, hi]
    out = {k: defaultdict(list) for k in ("labels", "quotes", "mentions", "verdicts", "status")}
    for row in conn.execute(
            "SELECT article_id, quote_id, annotator, option_id, updated_at FROM labels "
            "WHERE article_id BETWEEN ? AND ? ORDER BY article_id, annotator, task_id, option_id", span):
        out["labels"][row[0]].append(row[1:])
    for row in conn.execute(
            f'SELECT article_id, id, start, "end", text, {form}, speaker, entity_id, mention_id, origin, annotator, '
            'created_at FROM quotes WHERE article_id BETWEEN ? AND ? ORDER BY article_id, start, id', span):
        out["quotes"][row[0]].append(row[1:])
    for row in conn.execute(
            'SELECT article_id, id, start, "end", text, name, entity_id, origin, annotator, created_at FROM mentions '
            "WHERE article_id BETWEEN ? AND ? ORDER BY article_id, start, id", span):
        out["mentions"][row[0]].append(row[1:])
    for row in conn.execute(
            "SELECT q.article_id, ql.quote_id, ql.annotator, ql.status, ql.speaker, ql.entity_id, ql.updated_at "
            "FROM quote_labels ql JOIN quotes q ON q.id = ql.quote_id WHERE q.article_id BETWEEN ? AND ? "
            "ORDER BY ql.quote_id, ql.annotator", span):
        out["verdicts"][row[0]].append(row[1:])
    for row in conn.execute(
            "SELECT article_id, annotator, status, note, updated_at FROM article_status "
            "WHERE article_id BETWEEN ? AND ? ORDER BY article_id, annotator", span):
        out["status"][row[0]].append(row[1:])
    return out


def _coding(parent, code: str, user: str | None, when: str | None = None, key=()) -> None:
    c = etree.SubElement(parent, _q("Coding"), guid=guid("coding", parent.get("guid"), code, user or "", *key),
                         creatingUser=user_guid(user), **_when(when))
    etree.SubElement(c, _q("CodeRef"), targetGUID=code)


def _selection(parent, key: str, start: int, end: int, name: str, user: str | None, when: str | None = None):
    return etree.SubElement(parent, _q("PlainTextSelection"), guid=key, name=xml_text(name)[:200],
                            startPosition=str(start), endPosition=str(end), creatingUser=user_guid(user),
                            **_when(when))


def _source(row, batch: dict, option_codes: dict, speaker_code, notes: list, links: list, zf, counts) -> etree._Element:
    article_id, uid, title, outlet, published, url, authors, language, text = row
    source_guid = guid("article", uid)
    zf.writestr(f"sources/{source_guid}.txt", text.encode("utf-8"))
    source = _root(_q("TextSource"), guid=source_guid, name=xml_text(title or f"article {article_id}"),
                           plainTextPath=f"internal://{source_guid}.txt")
    labels = batch["labels"].get(article_id, [])
    statuses = batch["status"].get(article_id, [])
    # article labels and status, one selection over the whole text per annotator
    whole: dict[str, list] = defaultdict(list)
    for quote_id, who, option_id, when in labels:
        if quote_id is None and option_id in option_codes:
            whole[who].append((option_codes[option_id], when))
    for who, status, _note, when in statuses:
        if status in STATUSES:
            whole[who].append((code_guid("status", status), when))
    for who in sorted(whole, key=str.casefold):
        sel = _selection(source, guid("labels", uid, who), 0, len(text), f"labels by {who}", who)
        for code, when in whole[who]:
            _coding(sel, code, who, when)
    quote_labels: dict[int, list] = defaultdict(list)
    for quote_id, who, option_id, when in labels:
        if quote_id is not None and option_id in option_codes:
            quote_labels[quote_id].append((who, option_codes[option_id], when))
    verdicts: dict[int, list] = defaultdict(list)
    for quote_id, who, status, speaker, entity_id, when in batch["verdicts"].get(article_id, []):
        verdicts[quote_id].append((who, status, speaker, entity_id, when))
    mention_guids = {}
    seen: set[str] = set()
    for mid, start, end, mtext, name, entity_id, origin, who, when in batch["mentions"].get(article_id, []):
        who = who if origin == "human" else None
        key = guid("mention", uid, start, end, who or "")
        while key in seen:
            key = guid("mention", key)
        seen.add(key)
        mention_guids[mid] = key
        sel = _selection(source, key, start, end, mtext or text[start:end], who, when)
        if name and name != (mtext or text[start:end]):
            etree.SubElement(sel, _q("Description")).text = xml_text(f"Name: {name}")
        _coding(sel, code_guid("mention"), who, when)
        code = speaker_code(name, entity_id)
        if code and entity_id is not None:
            _coding(sel, code, who, when)
        counts[2] += 1
    for qid, start, end, qtext, qform, speaker, entity_id, mention_id, origin, who, when in \
            batch["quotes"].get(article_id, []):
        who = who if origin == "human" else None
        key = guid("quote", uid, start, end, who or "")
        while key in seen:
            key = guid("quote", key)
        seen.add(key)
        sel = _selection(source, key, start, end, qtext or text[start:end], who, when)
        code = speaker_code(speaker, entity_id)
        if speaker:
            etree.SubElement(sel, _q("Description")).text = xml_text(f"Speaker: {speaker}")
        _coding(sel, code_guid("form", quote_form(qform)), who, when)
        if code:
            _coding(sel, code, who, when)
        for v_who, status, v_speaker, v_entity, v_when in verdicts.get(qid, []):
            _coding(sel, code_guid("verdict", status), v_who, v_when)
            v_code = speaker_code(v_speaker, v_entity) if status == "corrected" else None
            if v_code:
                _coding(sel, v_code, v_who, v_when, key=("verdict",))
        for l_who, option_code, l_when in quote_labels.get(qid, []):
            _coding(sel, option_code, l_who, l_when)
        if mention_id in mention_guids:
            links.append((key, mention_guids[mention_id]))
        counts[1] += 1
    for who, _status, note, when in statuses:
        if note:
            note_guid = guid("note", uid, who)
            el = _root(_q("Note"), guid=note_guid, name=xml_text(f"{who} on {title or 'article'}")[:200],
                               creatingUser=user_guid(who), **_when(when))
            etree.SubElement(el, _q("PlainTextContent")).text = xml_text(note)
            notes.append(el)
            etree.SubElement(source, _q("NoteRef"), targetGUID=note_guid)
    for name, value in zip(VARIABLES, (title, outlet, published, url, _authors(authors), language, uid), strict=True):
        if value:
            vv = etree.SubElement(source, _q("VariableValue"))
            etree.SubElement(vv, _q("VariableRef"), targetGUID=guid("variable", name))
            etree.SubElement(vv, _q("TextValue")).text = xml_text(value)
    return source


def _authors(value: str | None) -> str | None:
    if not value:
        return None
    try:
        names = json.loads(value)
    except ValueError:
        return value
    return "; ".join(str(n) for n in names) if isinstance(names, list) else value
