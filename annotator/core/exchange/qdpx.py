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
import functools
import hashlib
import io
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


_NAMESPACE_BYTES = NAMESPACE.bytes


def guid(*parts) -> str:
    """uuid5(NAMESPACE, parts joined by \\x1f) as text, without building a UUID object (an export
    makes one per coding: hundreds of thousands)."""
    return _guid_of("\x1f".join(map(str, parts)))


def _guid_of(key: str) -> str:
    """guid() of parts already joined by \\x1f (the export's hot path: codings and selections)."""
    h = _sha1(_NAMESPACE_BYTES + key.encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


_sha1 = hashlib.sha1


_VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}


_VARIABLE_GUIDS = {name: guid("variable", name) for name in VARIABLES}


@functools.lru_cache(maxsize=65536)
def code_guid(*parts) -> str:
    return guid("code", *parts)


@functools.lru_cache(maxsize=65536)
def user_guid(name: str | None) -> str:
    return guid("user", DETECTOR) if name is None else guid("user", name)


def xml_text(value) -> str:
    """Text XML 1.0 can hold (control characters other than tab and newlines dropped)."""
    value = str(value)
    return _NOT_XML.sub("", value) if _NOT_XML.search(value) else value


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
    counts = [0, 0, 0]
    try:
        # project.qde is written (and compressed) straight into the archive, then the source texts in a
        # second pass over the articles: no temporary copy of the document to write and read back
        with zipfile.ZipFile(tmp_name, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            with zf.open("project.qde", "w", force_zip64=_may_be_big(conn)) as qde:
                _write_qde(project, scheme, qde, total, counts, progress, cancelled)
            _write_sources(conn, zf, total, progress, cancelled)
        os.replace(tmp_name, out)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    return ExchangeResult(out, *counts)


def _may_be_big(conn) -> bool:
    """Whether project.qde could pass the zip's 2 GB limit for a member without the ZIP64 extension (a
    generous bound: twice the text, a kilobyte per selection or coding); only then is ZIP64 used."""
    chars = conn.execute("SELECT ifnull(sum(length(text)), 0) FROM articles").fetchone()[0]
    rows = sum(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
               for table in ("labels", "quotes", "mentions", "quote_labels", "article_status"))
    return 2 * chars + 1024 * rows > zipfile.ZIP64_LIMIT * 3 // 4


def _write_sources(conn, zf: zipfile.ZipFile, total: int, progress, cancelled) -> None:
    """Every article's text as `sources/<guid>.txt`."""
    done, last = 0, 0
    while True:
        if cancelled is not None and cancelled():
            raise ExchangeCancelled("cancelled")
        rows = conn.execute("SELECT id, uid, text FROM articles WHERE id > ? ORDER BY id LIMIT ?",
                            [last, BATCH]).fetchall()
        if not rows:
            break
        last = rows[-1][0]
        for _id, uid, text in rows:
            zf.writestr(f"sources/{guid('article', uid)}.txt", text.encode("utf-8"))
        done += len(rows)
        if progress is not None:
            progress(done, total, "texts")


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


def _write_qde(project: Project, scheme, qde, total: int, counts: list, progress, cancelled):
    """The document as text, element by element: the sources are written as strings (an lxml element
    per coding costs several times more, and an export has hundreds of thousands); the small head
    (users, code book, variables) goes through lxml."""
    conn = project.conn
    people = _people(conn)
    form = "form" if has_form_column(conn) else "NULL"
    option_codes = {o.id: code_guid("option", t.level, t.name, o.name) for t in scheme.tasks for o in t.options}
    notes: list[str] = []
    links: list[tuple[str, str]] = []
    out = io.TextIOWrapper(qde, encoding="utf-8", newline="\n", write_through=False)
    out._CHUNK_SIZE = 1 << 18  # fewer, bigger pieces for the compressor
    out.write("<?xml version='1.0' encoding='UTF-8'?>\n")
    out.write(f'<Project xmlns="{NS}" name={_attr(project.path.stem)} '
              f'origin={_attr(f"{ORIGIN} {annotator.__version__}")} creationDateTime="{utc_now()}">')
    users = _root(_q("Users"))
    etree.SubElement(users, _q("User"), guid=user_guid(None), name=DETECTOR)
    for name in people:
        etree.SubElement(users, _q("User"), guid=user_guid(name), name=xml_text(name))
    book, entity_codes, speaker_codes = _codebook(conn, scheme)
    variables = _root(_q("Variables"))
    for name in VARIABLES:
        etree.SubElement(variables, _q("Variable"), guid=guid("variable", name), name=name, typeOfVariable="Text")
    for element in (users, book, variables):
        out.write(etree.tostring(element, encoding="unicode"))

    def speaker_code(name, entity_id):
        if entity_id is not None and entity_id in entity_codes:
            return entity_codes[entity_id]
        return speaker_codes.get(name) if name else None

    out.write("<Sources>")
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
            out.write(_source(row, batch, option_codes, speaker_code, notes, links, counts))
        done += len(rows)
        counts[0] = done
        if progress is not None:
            progress(done, total, "articles")
    out.write("</Sources>")
    if notes:
        out.write("<Notes>")
        out.writelines(notes)
        out.write("</Notes>")
    if links:
        out.write("<Links>")
        for quote_guid, mention_guid in links:
            out.write(f'<Link guid="{guid("link", quote_guid, mention_guid)}" name="said by" direction="OneWay" '
                      f'originGUID="{quote_guid}" targetGUID="{mention_guid}"/>')
        out.write("</Links>")
    out.write("</Project>\n")
    out.flush()
    out.detach()


_ATTR = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;",
                       "\t": "&#9;"})
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


_ATTR_SPECIAL = re.compile('[&<>"\n\r\t]')
_TEXT_SPECIAL = re.compile("[&<>\r]")


def _attr(value) -> str:
    """An attribute value, quoted and escaped (line breaks and tabs as character references)."""
    value = xml_text(value)
    return '"' + (value.translate(_ATTR) if _ATTR_SPECIAL.search(value) else value) + '"'


def _text(value) -> str:
    value = xml_text(value)
    return value.translate(_TEXT) if _TEXT_SPECIAL.search(value) else value


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


def _coding(parts: list, sel_guid: str, code: str, user: str | None, when: str | None = None, key=()) -> None:
    stamp = _stamp(when)
    # guid("coding", sel_guid, code, user or "", *key), the parts (all text) joined here
    g = _guid_of(f"coding\x1f{sel_guid}\x1f{code}\x1f{user or ''}" + "".join("\x1f" + k for k in key))
    parts.append(f'<Coding guid="{g}" creatingUser="{user_guid(user)}"{stamp}><CodeRef targetGUID="{code}"/></Coding>')


@functools.lru_cache(maxsize=4096)
def _stamp(when: str | None) -> str:
    """The creationDateTime attribute for a time (a few distinct ones in a project: each checked once)."""
    return f' creationDateTime="{when}"' if when and _DATETIME.match(when) else ""


def _selection(parts: list, key: str, start: int, end: int, name: str, user: str | None, when: str | None = None,
               description: str | None = None) -> None:
    """Opens a PlainTextSelection (the caller adds its codings and closes it)."""
    stamp = _stamp(when)
    parts.append(f'<PlainTextSelection guid="{key}" name={_attr(xml_text(name)[:200])} startPosition="{start}" '
                 f'endPosition="{end}" creatingUser="{user_guid(user)}"{stamp}>')
    if description:
        parts.append(f"<Description>{_text(description)}</Description>")


def _source(row, batch: dict, option_codes: dict, speaker_code, notes: list, links: list, counts) -> str:
    article_id, uid, title, outlet, published, url, authors, language, text = row
    source_guid = guid("article", uid)
    parts = [f'<TextSource guid="{source_guid}" name={_attr(title or f"article {article_id}")} '
             f'plainTextPath="internal://{source_guid}.txt">']
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
        key = guid("labels", uid, who)
        _selection(parts, key, 0, len(text), f"labels by {who}", who)
        for code, when in whole[who]:
            _coding(parts, key, code, who, when)
        parts.append("</PlainTextSelection>")
    quote_labels: dict[int, list] = defaultdict(list)
    for quote_id, who, option_id, when in labels:
        if quote_id is not None and option_id in option_codes:
            quote_labels[quote_id].append((who, option_codes[option_id], when))
    verdicts: dict[int, list] = defaultdict(list)
    for quote_id, who, status, speaker, entity_id, when in batch["verdicts"].get(article_id, []):
        verdicts[quote_id].append((who, status, speaker, entity_id, when))
    mention_guids = {}
    seen: set[str] = set()
    mention_code = code_guid("mention")
    for mid, start, end, mtext, name, entity_id, origin, who, when in batch["mentions"].get(article_id, []):
        who = who if origin == "human" else None
        key = guid("mention", uid, start, end, who or "")
        while key in seen:
            key = guid("mention", key)
        seen.add(key)
        mention_guids[mid] = key
        written = mtext or text[start:end]
        _selection(parts, key, start, end, written, who, when,
                   f"Name: {name}" if name and name != written else None)
        _coding(parts, key, mention_code, who, when)
        code = speaker_code(name, entity_id)
        if code and entity_id is not None:
            _coding(parts, key, code, who, when)
        parts.append("</PlainTextSelection>")
        counts[2] += 1
    for qid, start, end, qtext, qform, speaker, entity_id, mention_id, origin, who, when in \
            batch["quotes"].get(article_id, []):
        who = who if origin == "human" else None
        key = guid("quote", uid, start, end, who or "")
        while key in seen:
            key = guid("quote", key)
        seen.add(key)
        code = speaker_code(speaker, entity_id)
        _selection(parts, key, start, end, qtext or text[start:end], who, when,
                   f"Speaker: {speaker}" if speaker else None)
        _coding(parts, key, code_guid("form", quote_form(qform)), who, when)
        if code:
            _coding(parts, key, code, who, when)
        for v_who, status, v_speaker, v_entity, v_when in verdicts.get(qid, []):
            _coding(parts, key, code_guid("verdict", status), v_who, v_when)
            v_code = speaker_code(v_speaker, v_entity) if status == "corrected" else None
            if v_code:
                _coding(parts, key, v_code, v_who, v_when, key=("verdict",))
        for l_who, option_code, l_when in quote_labels.get(qid, []):
            _coding(parts, key, option_code, l_who, l_when)
        parts.append("</PlainTextSelection>")
        if mention_id in mention_guids:
            links.append((key, mention_guids[mention_id]))
        counts[1] += 1
    for who, _status, note, when in statuses:
        if note:
            note_guid = guid("note", uid, who)
            stamp = f' creationDateTime="{when}"' if when and _DATETIME.match(when) else ""
            note_name = xml_text(f"{who} on {title or 'article'}")[:200]
            notes.append(f'<Note guid="{note_guid}" name={_attr(note_name)} creatingUser="{user_guid(who)}"{stamp}>'
                         f"<PlainTextContent>{_text(note)}</PlainTextContent></Note>")
            parts.append(f'<NoteRef targetGUID="{note_guid}"/>')
    for name, value in zip(VARIABLES, (title, outlet, published, url, _authors(authors), language, uid), strict=True):
        if value:
            parts.append(f'<VariableValue><VariableRef targetGUID="{_VARIABLE_GUIDS[name]}"/>'
                         f"<TextValue>{_text(value)}</TextValue></VariableValue>")
    parts.append("</TextSource>")
    return "".join(parts)


def _authors(value: str | None) -> str | None:
    if not value:
        return None
    try:
        names = json.loads(value)
    except ValueError:
        return value
    return "; ".join(str(n) for n in names) if isinstance(names, list) else value
