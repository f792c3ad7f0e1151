"""A REFI-QDA project (.qdpx) into a project: ours back whole, another tool's as articles and labels.

Checked: the zip (no member outside it, none bigger than the limits or than a zip bomb would be),
`project.qde` (no DOCTYPE, so no entities, internal or external; parsed by lxml without network,
entity resolution or huge-tree mode; valid against the REFI schema), every GUID a coding, note or
link points at, every selection inside its text, names and texts by the validation layer. The file
is read in one streaming pass and written as it is read, inside one transaction: any problem
refuses the whole file with a sentence naming the file, the element and its line, and rolls back,
so the project is untouched.

Codes we wrote (recognised by their GUIDs, see qdpx.py) come back as what they were. Other codes
become options of one multiple-choice article task named after the file's project, unless a mapping
says otherwise (`CODE=quote`, `CODE=quote:indirect`, `CODE=speaker`, `CODE=label:TASK`,
`CODE=label:TASK/OPTION`, `CODE=skip`; CODE is a code's name or its path `parent/child`).
"""

from __future__ import annotations

import io
import json
import re
import sys
import zipfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lxml import etree

from annotator.core.exchange.qdpx import DETECTOR, NS, ORIGIN, VARIABLES, code_guid, guid
from annotator.core.exchange.spans import FORMS, has_form_column
from annotator.core.names import ENTITY_KINDS
from annotator.core.resources import resource_path
from annotator.core.store import Project, utc_now
from annotator.core.validate import (
    MAX_NOTE_CHARS,
    article_uid,
    check_article_text,
    check_field,
    check_name,
    check_span,
    clean_text,
    terminal_text,
)

MAX_QDE_BYTES = 2 * 1024**3  # project.qde, uncompressed
MAX_SOURCE_BYTES = 64 * 1024**2  # one source text
MAX_ARCHIVE_BYTES = 8 * 1024**3  # everything, uncompressed
MAX_RATIO = 400  # uncompressed / compressed for a member over 1 MB: a zip bomb, not text
TARGETS = ("quote", "speaker", "label", "skip")
BATCH = 500  # sources whose quotes, mentions and statuses are written in one executemany each
_CODE_REF = f"{{{NS}}}CodeRef"
_CODING = f"{{{NS}}}Coding"
_SELECTION = f"{{{NS}}}PlainTextSelection"
_DESCRIPTION = f"{{{NS}}}Description"
_VARIABLE_VALUE = f"{{{NS}}}VariableValue"
_VARIABLE_REF = f"{{{NS}}}VariableRef"
_NOTE_REF = f"{{{NS}}}NoteRef"
_MAPPING_LINE = re.compile(r"^\s*(.+?)\s*=\s*(.+?)\s*$")


class QdpxError(Exception):
    """A file that cannot be imported; the message names the file, the element and the problem."""


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _norm_guid(value: str | None) -> str | None:
    return value.strip("{}").lower() if value else None


# --- what the file holds --------------------------------------------------------------------------


@dataclass
class Code:
    guid: str
    name: str
    path: str
    role: tuple  # ('task', level, name, kind, target) / ('option', level, task, name, shortcut) / ('form', f) /
    #              ('mention',) / ('entity', name, kind) / ('speaker-name', name) / ('verdict', s) / ('status', s) /
    #              ('group',) / ('foreign',)
    line: int | None = None


@dataclass
class Selection:
    guid: str
    start: int
    end: int
    creator: str | None  # user GUID
    codings: list[tuple[str, str | None, str | None]]  # (code GUID, user GUID, when)
    description: str
    line: int


@dataclass
class SourceArticle:
    guid: str
    name: str
    text: str
    variables: dict[str, str]
    selections: list[Selection]
    note_refs: list[tuple[str, int]]
    line: int
    position: int = 0


@dataclass
class QdpxReport:
    path: str
    articles_added: int = 0
    articles_matched: int = 0
    labels: int = 0
    quotes: int = 0
    mentions: int = 0
    verdicts: int = 0
    notes: int = 0
    tasks_added: list[str] = field(default_factory=list)
    annotators: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (f"{self.path}: {self.articles_added} articles added, {self.articles_matched} already here; "
                f"{self.labels} labels, {self.quotes} quotes, {self.mentions} speaker mentions, "
                f"{self.verdicts} quote verdicts, {self.notes} notes")
        if self.tasks_added:
            text += f"; new label tasks: {', '.join(self.tasks_added)}"
        if self.left_out:
            text += f"; {len(self.left_out)} left out"
        return text

    def lines(self) -> list[str]:
        return [self.summary(), *(f"  left out: {item}" for item in self.left_out)]


# --- reading the archive --------------------------------------------------------------------------


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError as exc:
        raise QdpxError(f"{path}: no such file") from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise QdpxError(f"{path}: not a .qdpx file (a .qdpx is a zip archive; this one cannot be opened: "
                        f"{exc})") from exc
    total = 0
    for info in zf.infolist():
        name = info.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or ".." in parts or (parts and re.match(r"^[A-Za-z]:", parts[0])):
            zf.close()
            raise QdpxError(f"{path}: the archive holds a path outside it ({name!r}); nothing was imported")
        total += info.file_size
        if info.file_size > 1024**2 and info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
            zf.close()
            raise QdpxError(f"{path}: the archive member {name!r} unpacks to {info.file_size:,} bytes from "
                            f"{info.compress_size:,} (a zip bomb, not a project); nothing was imported")
    if total > MAX_ARCHIVE_BYTES:
        zf.close()
        raise QdpxError(f"{path}: the archive unpacks to {total:,} bytes, more than {MAX_ARCHIVE_BYTES:,}")
    return zf


def _qde_member(path: Path, zf: zipfile.ZipFile) -> zipfile.ZipInfo:
    found = [i for i in zf.infolist() if i.filename.lower().endswith(".qde") and "/" not in i.filename.strip("/")]
    if not found:
        raise QdpxError(f"{path}: no project.qde in the archive (not a REFI-QDA project)")
    info = found[0]
    if info.file_size > MAX_QDE_BYTES:
        raise QdpxError(f"{path}: {info.filename} is {info.file_size:,} bytes, more than {MAX_QDE_BYTES:,}")
    return info


def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(resource_path("schemas", "Project-mrt2019.xsd"))))


class _Limited(io.RawIOBase):
    """A member read with a hard cap on the bytes it may yield (sizes in a zip header can lie)."""

    def __init__(self, fh, limit: int, what: str):
        self.fh, self.left, self.what = fh, limit, what

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.fh.read(min(len(buffer), self.left + 1))
        if len(data) > self.left:
            raise QdpxError(f"{self.what} is bigger than it says, or than the limit")
        self.left -= len(data)
        buffer[: len(data)] = data
        return len(data)


def _check_prolog(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse a DOCTYPE (the only way to declare entities, internal or external) before parsing."""
    with zf.open(info) as fh:
        head = fh.read(65536)
    root = re.search(rb"<(?![?!])", head)
    prolog = head[: root.start()] if root else head
    if b"<!DOCTYPE" in prolog.upper() or b"<!ENTITY" in head.upper():
        raise QdpxError(f"{path}: {info.filename} declares a DOCTYPE or entities, which a REFI-QDA project never "
                        "needs (entity expansion and external entities are refused); nothing was imported")


# --- parsing --------------------------------------------------------------------------------------


def _codebook(book, report_path: str) -> dict[str, Code]:
    codes: dict[str, Code] = {}

    def description(el) -> str:
        d = el.find(_q("Description"))
        return (d.text or "") if d is not None else ""

    def walk(el, parent: Code | None, path: str) -> None:
        for child in el.findall(_q("Code")):
            g = _norm_guid(child.get("guid"))
            name = child.get("name") or ""
            problem = check_name(name, "code")
            if problem:
                raise QdpxError(f"{report_path}: Code {terminal_text(name)!r} (line {child.sourceline}): the "
                                f"{problem}; nothing was imported")
            name = " ".join(name.split())
            full = f"{path}/{name}" if path else name
            role = _role(g, name, parent, description(child))
            code = Code(g, name, full, role, child.sourceline)
            if g in codes:
                raise QdpxError(f"{report_path}: Code {terminal_text(name)!r} (line {child.sourceline}) repeats "
                                f"the GUID {g}; nothing was imported")
            codes[g] = code
            walk(child, code, full)

    container = book.find(_q("Codes"))
    if container is not None:
        walk(container, None, "")
    return codes


def _role(g: str, name: str, parent: Code | None, about: str) -> tuple:
    if parent is None:
        for key in ("quote", "speakers", "verdict", "status"):
            if g == code_guid(key):
                return ("group", key)
        if g == code_guid("mention"):
            return ("mention",)
        quote_task = name[: -len(" (quote)")] if name.endswith(" (quote)") else None
        for level, shown in (("article", name), ("quote", quote_task)):
            if shown and g == code_guid("task", level, shown):
                kind = "multi" if "multiple choice" in about else "single"
                target = re.search(r"stance towards (.+)$", about)
                return ("task", level, shown, kind, target[1].strip() if target else None)
        return ("foreign",)
    p = parent.role
    if p[0] == "task" and g == code_guid("option", p[1], p[2], name):
        key = re.search(r"shortcut (\w)\b", about)
        return ("option", p[1], p[2], name, key[1] if key else None, p[3], p[4])
    if p == ("group", "quote") and name in FORMS and g == code_guid("form", name):
        return ("form", name)
    if p == ("group", "verdict") and g == code_guid("verdict", name):
        return ("verdict", name)
    if p == ("group", "status") and g == code_guid("status", name):
        return ("status", name)
    if p == ("group", "speakers"):
        if g == code_guid("speaker-name", name):
            return ("speaker-name", name)
        kind = about.strip() if about.strip() in ENTITY_KINDS else "person"
        return ("entity", name, kind)
    return ("foreign",)


class _Reader:
    """Reads project.qde in one streaming pass (elements are dropped once read)."""

    def __init__(self, path: Path, zf: zipfile.ZipFile, progress):
        self.path, self.zf, self.progress = path, zf, progress
        self.where = f"{path}"
        self.users: dict[str, str] = {}
        self.known_users: dict[str, str] = {}  # creatingUser as written -> its checked GUID
        self.known_codes: dict[str, str] = {}  # CodeRef target as written -> its checked GUID
        self.known_codings: dict[tuple, tuple] = {}  # (target, user, time) as written -> what _coding gives
        self.variables: dict[str, str] = {}
        self.codes: dict[str, Code] = {}
        self.on_codebook: Callable[[dict[str, Code]], None] | None = None  # called when the code book is read
        self.on_source: Callable[[SourceArticle], None] | None = None  # called per source with text, as read
        self.count = 0
        self.source_guids: set[str] = set()
        self.selection_guids: set[str] = set()
        self.note_refs: list[tuple[str, str, int]] = []  # (source name, note GUID, line)
        self.notes: dict[str, tuple[str | None, str]] = {}  # guid -> (user guid, text)
        self.links: list[tuple[str, str, int]] = []
        self.project_name = path.stem
        self.origin = ""
        self.left_out: list[str] = []
        self.members = {i.filename.lower(): i for i in zf.infolist()}
        self.expected = max(1, sum(1 for n in self.members if n.startswith("sources/") and n.endswith(".txt")))

    def fail(self, el, message: str) -> QdpxError:
        name = el.get("name")
        what = _local(el.tag) + (f" {terminal_text(name)!r}" if name else "") + \
            (f" {terminal_text(el.get('guid'))}" if el.get("guid") else "")
        return QdpxError(f"{self.where}: {what} (line {el.sourceline}): {message}; nothing was imported")

    def read(self, info: zipfile.ZipInfo) -> None:
        """One pass, checked against the schema as it goes. lxml's iterparse with a schema stops quietly
        at malformed XML instead of raising, so a document whose root never closes is parsed again
        without the schema to say where it breaks."""
        self.where = f"{self.path}!{info.filename}"
        # only the elements read here make events (the parser still reads, and checks, everything)
        wanted = [_q(t) for t in ("Project", "User", "Variable", "CodeBook", "TextSource", "PictureSource",
                                  "PDFSource", "AudioSource", "VideoSource", "Note", "Link")]
        closed = False
        for event, el in self._events(info, _schema(), ("start", "end"), wanted):
            if _local(el.tag) == "Project" and el.getparent() is None:
                if event == "start":
                    self.project_name = el.get("name") or self.project_name
                    self.origin = el.get("origin") or ""
                else:
                    closed = True
                continue
            if event == "end":
                self._element(el)
        if not closed:
            for _ in self._events(info, None, ("end",), [_q("Project")]):
                pass
            raise QdpxError(f"{self.where}: the XML ends before its Project element is closed; nothing was imported")

    def _events(self, info: zipfile.ZipInfo, schema, kinds: tuple, tags: list):
        with self.zf.open(info) as raw:
            stream = io.BufferedReader(_Limited(raw, MAX_QDE_BYTES, f"{self.where}"))
            events = etree.iterparse(stream, events=kinds, tag=tags, schema=schema, resolve_entities=False,
                                     no_network=True, load_dtd=False, huge_tree=False, remove_comments=True,
                                     remove_pis=True)
            try:
                yield from events
            except etree.XMLSyntaxError as exc:
                raise QdpxError(f"{self.where}: {self._syntax(exc, schema is not None)}; nothing was imported") from exc

    def _syntax(self, exc: etree.XMLSyntaxError, validating: bool) -> str:
        # the exception's own fields: its error_log can hold entries of earlier parses
        message = re.sub(r",? ?\(<string>, line \d+\)$", "", exc.msg or str(exc)).replace("{" + NS + "}", "")
        if validating:  # with a schema, malformed XML stops the parse quietly: this is the schema speaking
            return f"{f'line {exc.lineno}: ' if exc.lineno else ''}not valid REFI-QDA: {message}"
        message = re.sub(r", line \d+, column \d+$", "", message)
        return f"line {exc.lineno}, column {exc.offset}: malformed XML: {message}"

    def _element(self, el) -> None:
        tag = _local(el.tag)
        parent = el.getparent()
        parent_tag = _local(parent.tag) if parent is not None else ""
        if tag == "User" and parent_tag == "Users":
            g = _norm_guid(el.get("guid"))
            name = el.get("name") or el.get("id") or f"user {g[:8]}"
            problem = check_name(name, "annotator")
            if problem:
                raise self.fail(el, f"the {problem}")
            self.users[g] = " ".join(name.split())
        elif tag == "Variable" and parent_tag == "Variables":
            self.variables[_norm_guid(el.get("guid"))] = el.get("name") or ""
        elif tag == "CodeBook":
            self.codes = _codebook(el, self.where)
            if self.on_codebook is not None:
                self.on_codebook(self.codes)
            el.clear()
        elif tag == "TextSource" and parent_tag == "Sources":
            self._source(el)
            self._drop(el)
        elif tag in ("PictureSource", "PDFSource", "AudioSource", "VideoSource") and parent_tag == "Sources":
            self.left_out.append(f"{tag} {el.get('name') or el.get('guid')}: only text sources are imported")
            self._drop(el)
        elif tag == "Note" and parent_tag == "Notes":
            content = el.find(_q("PlainTextContent"))
            text = content.text if content is not None and content.text else self._text(el)
            text = clean_text(text or "").strip()
            if len(text) > MAX_NOTE_CHARS:
                raise self.fail(el, f"the note is {len(text):,} characters long (at most {MAX_NOTE_CHARS:,})")
            self.notes[_norm_guid(el.get("guid"))] = (_norm_guid(el.get("creatingUser")), text)
            self._drop(el)
        elif tag == "Link" and parent_tag == "Links":
            origin, target = _norm_guid(el.get("originGUID")), _norm_guid(el.get("targetGUID"))
            if origin and target:
                self.links.append((origin, target, el.sourceline))

    def _drop(self, el) -> None:
        el.clear()
        parent = el.getparent()
        if parent is not None:
            while el.getprevious() is not None:
                del parent[0]

    def _user(self, el, attribute: str = "creatingUser") -> str | None:
        raw = el.get(attribute)
        if raw is None:
            return None
        g = self.known_users.get(raw)  # the same few users on every coding: checked once each
        if g is None:
            g = sys.intern(_norm_guid(raw))
            if g not in self.users:
                raise self.fail(el, f"{attribute} {g} is not one of the file's Users (unknown GUID)")
            self.known_users[raw] = g
        return g

    def _text(self, el) -> str | None:
        """The element's plain text ('' when it has none); None, said in `left_out`, when it lies outside."""
        target = el.get("plainTextPath")
        if not target:
            content = el.find(_q("PlainTextContent"))
            return (content.text or "") if content is not None else ""
        if not target.startswith("internal://"):
            self.left_out.append(f"{_local(el.tag)} {terminal_text(el.get('name') or el.get('guid'))}: its text is "
                                 f"outside the archive ({terminal_text(target)}) and is not read")
            return None
        member = target[len("internal://"):]
        parts = PurePosixPath(member.replace("\\", "/")).parts
        if not member or member.startswith(("/", "\\")) or ".." in parts:
            raise self.fail(el, f"plainTextPath {target!r} points outside the archive")
        info = self.members.get(f"sources/{member}".lower()) or self.members.get(member.lower())
        if info is None:
            raise self.fail(el, f"plainTextPath {target!r}: no such file in the archive")
        if info.file_size > MAX_SOURCE_BYTES:
            raise self.fail(el, f"its text is {info.file_size:,} bytes, more than {MAX_SOURCE_BYTES:,}")
        with self.zf.open(info) as fh:
            data = _Limited(fh, MAX_SOURCE_BYTES, f"{self.where}: {info.filename}").read()
            data = data if isinstance(data, bytes) else b""
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise self.fail(el, f"its text {info.filename} is not UTF-8 ({exc.reason} at byte {exc.start})") from exc

    def _source(self, el) -> None:
        """One TextSource: its children read in one pass (no find/findall per kind of child)."""
        text = self._text(el)
        name = el.get("name") or ""
        variables = {}
        selections = []
        length = len(text) if text is not None else None
        creator = self._user(el)
        whole_codings = []
        note_refs = []
        for child in el:
            tag = child.tag
            if tag == _SELECTION:
                try:
                    start, end = int(child.get("startPosition")), int(child.get("endPosition"))
                except (TypeError, ValueError) as exc:
                    raise self.fail(child, "startPosition and endPosition must be whole numbers") from exc
                problem = check_span(start, end, length) if length is not None else None
                if problem:
                    raise self.fail(child, f"the selection {start}-{end} does not fit the text of source "
                                           f"{terminal_text(name)!r} ({length} characters): {problem}")
                codings, description = [], ""
                for part in child:
                    if part.tag == _CODING:
                        codings.append(self._coding(part))
                    elif part.tag == _DESCRIPTION and not description:
                        description = part.text or ""
                selections.append(Selection(_norm_guid(child.get("guid")), start, end, self._user(child),
                                            codings, description, child.sourceline))
            elif tag == _CODING:
                whole_codings.append(self._coding(child))
            elif tag == _VARIABLE_VALUE:
                ref = value = None
                for c in child:
                    if c.tag == _VARIABLE_REF:
                        ref = ref if ref is not None else c
                    elif value is None and c.text and _local(c.tag).endswith("Value"):
                        value = c.text
                if ref is not None and value:
                    variables[_norm_guid(ref.get("targetGUID"))] = value
            elif tag == _NOTE_REF:
                note_refs.append((_norm_guid(child.get("targetGUID")), child.sourceline))
        if whole_codings and length is not None:
            selections.insert(0, Selection(_norm_guid(el.get("guid")) + ":source", 0, length, creator,
                                           whole_codings, "", el.sourceline))
        self.source_guids.add(_norm_guid(el.get("guid")))
        self.selection_guids.update(sel.guid for sel in selections)
        self.note_refs += [(name, g, line) for g, line in note_refs]
        problem = check_article_text(text) if text is not None else None
        if text is None or problem:
            if problem and text.strip():
                raise self.fail(el, problem)
            if text is not None:
                self.left_out.append(f"TextSource {terminal_text(name or el.get('guid'))} (line {el.sourceline}): "
                                     "it has no text")
            return
        for value_name, value in variables.items():
            problem = check_field(value, f"the variable {self.variables.get(value_name) or value_name}")
            if problem:
                raise self.fail(el, problem)
        source = SourceArticle(_norm_guid(el.get("guid")), name, text, variables, selections, note_refs,
                               el.sourceline, self.count)
        self.count += 1
        if self.on_source is not None:
            self.on_source(source)
        if self.progress is not None:
            self.progress(self.count, self.expected, name)

    def _coding(self, coding) -> tuple[str, str | None, str | None]:
        raw = None
        for ref in coding:
            if ref.tag == _CODE_REF:
                raw = ref.get("targetGUID")
                break
        key = (raw, coding.get("creatingUser"), coding.get("creationDateTime"))
        # one tuple per distinct code, user and time, not one per coding (hundreds of thousands in a project)
        found = self.known_codings.get(key)
        if found is not None:
            return found
        g = self.known_codes.get(raw)
        if g is None:
            g = _norm_guid(raw)
            if g not in self.codes:
                raise self.fail(coding, f"its CodeRef {g} is not a code of the CodeBook (unknown GUID)")
            g = self.known_codes[raw] = sys.intern(g)
        when = key[2]
        found = self.known_codings[key] = (g, self._user(coding), sys.intern(when) if when else None)
        return found


# --- mapping --------------------------------------------------------------------------------------


def parse_mapping(items: list[str] | None = None, mapping_file: str | Path | None = None) -> dict[str, str]:
    """`CODE=TARGET` items (from --map) and lines of a mapping file (`CODE = TARGET`, # comments)."""
    out: dict[str, str] = {}
    lines = []
    if mapping_file is not None:
        mapping_file = Path(mapping_file)
        try:
            text = mapping_file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise QdpxError(f"{mapping_file}: cannot be read ({exc})") from exc
        lines += [(f"{mapping_file}, line {n}", line) for n, line in enumerate(text.splitlines(), 1)
                  if line.strip() and not line.lstrip().startswith("#")]
    lines += [(f"--map {item!r}", item) for item in items or []]
    for where, line in lines:
        match = _MAPPING_LINE.match(line)
        if not match:
            raise QdpxError(f"{where}: a mapping reads CODE=TARGET (TARGET: quote, quote:FORM, speaker, "
                            "label:TASK, label:TASK/OPTION or skip)")
        target = match[2]
        kind, _, rest = target.partition(":")
        if kind not in TARGETS or (kind == "quote" and rest and rest not in FORMS) or \
                (kind == "label" and target != "label" and not rest.strip("/ ")) or \
                (kind in ("speaker", "skip") and rest):
            raise QdpxError(f"{where}: unknown target {target!r} (quote, quote:FORM, speaker, label:TASK, "
                            "label:TASK/OPTION or skip)")
        out[match[1]] = target
    return out


def _resolve_mapping(codes: dict[str, Code], mapping: dict[str, str], where: str,
                     default_task: str) -> dict[str, tuple]:
    """{code GUID: ('quote', form) | ('speaker',) | ('label', task, option) | ('skip',)} for foreign codes."""
    foreign = [c for c in codes.values() if c.role == ("foreign",)]
    by_key: dict[str, list[Code]] = defaultdict(list)
    for code in foreign:
        by_key[code.path].append(code)
        if code.name != code.path:
            by_key[code.name].append(code)
    chosen: dict[str, str] = {}
    for key, target in mapping.items():
        found = by_key.get(key) or by_key.get(key.strip("/"))
        if not found:
            names = ", ".join(sorted(c.path for c in foreign)[:8]) or "none"
            raise QdpxError(f"{where}: the mapping names the code {key!r}, which the file does not have "
                            f"(its codes: {names})")
        for code in found:
            chosen.setdefault(code.guid, target) if key == code.name and key != code.path else \
                chosen.__setitem__(code.guid, target)
    out = {}
    for code in foreign:
        target = chosen.get(code.guid, "label")
        kind, _, rest = target.partition(":")
        if kind == "quote":
            out[code.guid] = ("quote", rest or "direct")
        elif kind in ("speaker", "skip"):
            out[code.guid] = (kind,)
        else:
            task, _, option = rest.partition("/")
            out[code.guid] = ("label", task.strip() or default_task, option.strip() or (code.path if not task.strip()
                                                                                        else code.name))
    return out


def list_codes(path: str | Path) -> list[tuple[str, str, int]]:
    """(path, what it is, codings) of every code in a .qdpx: what a mapping can name."""
    path = Path(path)
    used: dict[str, int] = defaultdict(int)

    def count(source: SourceArticle) -> None:
        for sel in source.selections:
            for g, _, _ in sel.codings:
                used[g] += 1

    reader = _read(path, None, on_source=count)
    return [(c.path, c.role[0], used[c.guid]) for c in reader.codes.values()]


def _read(path: Path, progress, writer: _Writer | None = None, on_source=None) -> _Reader:
    """Read (and check) a .qdpx; a writer gets the code book and each source as they are read."""
    zf = _open_zip(path)
    with zf:
        info = _qde_member(path, zf)
        _check_prolog(path, zf, info)
        reader = _Reader(path, zf, progress)
        reader.on_source = on_source
        if writer is not None:
            writer.reader = reader
            reader.on_codebook, reader.on_source = writer.codebook, writer.source
        reader.read(info)
        _check_references(reader)
    return reader


# --- import ---------------------------------------------------------------------------------------


def import_qdpx(project: Project, path: str | Path, *, annotator: str | None = None,
                mapping: dict[str, str] | None = None, progress: Callable[[int, int, str], None] | None = None,
                cancelled: Callable[[], bool] | None = None) -> QdpxReport:
    """Import a .qdpx (see the module doc); raises QdpxError, with nothing changed, for a bad file.

    Sources are written as they are read, inside one transaction: a problem found anywhere in the
    file (or Cancel) rolls all of it back, and memory stays flat however big the file is."""
    path = Path(path)
    override = " ".join(annotator.split()) if annotator else None
    report = QdpxReport(str(path))
    with project.write():
        writer = _Writer(project, report, override, mapping or {}, cancelled)
        reader = _read(path, progress, writer)
        writer.finish(reader)
    return report


def _check_references(reader: _Reader) -> None:
    for name, g, line in reader.note_refs:
        if g not in reader.notes:
            raise QdpxError(f"{reader.where}: NoteRef {g} in TextSource {terminal_text(name)!r} (line {line}) points "
                            "at no Note of the file (unknown GUID); nothing was imported")
    known = (reader.selection_guids, reader.codes, reader.notes, reader.source_guids)
    for origin, target, line in reader.links:
        for g in (origin, target):
            if not any(g in group for group in known):
                raise QdpxError(f"{reader.where}: Link (line {line}) points at {g}, which is nothing in the file "
                                "(unknown GUID); nothing was imported")
    for g, (user, _) in reader.notes.items():
        if user is not None and user not in reader.users:
            raise QdpxError(f"{reader.where}: Note {g}: creatingUser {user} is not one of the file's Users "
                            "(unknown GUID); nothing was imported")


class _Writer:
    """Everything the reader found, written inside the caller's transaction."""

    def __init__(self, project: Project, report: QdpxReport, override: str | None, mapping: dict, cancelled):
        self.project, self.conn, self.report, self.override, self.mapping, self.cancelled = \
            project, project.conn, report, override, mapping, cancelled
        self.reader: _Reader | None = None
        self.targets: dict = {}
        self.var_names: dict[str, str] = {}
        self.quote_guids: dict[str, int] = {}
        self.mention_guids: dict[str, tuple] = {}
        self.pending_notes: list[tuple[int, SourceArticle]] = []
        self.form_column = has_form_column(self.conn)
        columns = ["id", "article_id", "start", "end", "text", "kind", "speaker", "entity_id", "origin", "annotator",
                   "link_by", "created_at"] + (["form", "content_start", "content_end", "content"]
                                                if self.form_column else [])
        self.insert_quote = (f"INSERT INTO quotes ({', '.join(chr(34) + c + chr(34) for c in columns)}) "
                             f"VALUES ({', '.join('?' * len(columns))})")
        self.tasks: dict[tuple[str, str], tuple[int, str]] = {
            (r[1], r[2]): (r[0], r[3]) for r in self.conn.execute("SELECT id, level, name, kind FROM tasks")}
        self.options: dict[tuple[int, str], int] = {
            (r[1], r[2]): r[0] for r in self.conn.execute("SELECT id, task_id, name FROM options")}
        self.entities: dict[tuple[str, str], int] = {}
        self.code_options: dict[str, tuple[int, str, int] | None] = {}
        self.times: dict[tuple[str, str | None], str | None] = {}
        self.single: dict[tuple, int] = {}
        self.new_articles: set[int] = set()  # added by this import: nothing of theirs to find or replace
        self.made: dict[tuple, int] = {}
        self.label_rows: list[tuple] = []  # written together at the end (one executemany each)
        self.verdict_rows: list[tuple] = []  # quotes and mentions this import made, by table and span
        self.annotators: set[str] = set()
        self.people: dict[str | None, str | None] = {}  # user GUID -> who(), once the Users are read
        self.now = utc_now()
        # quotes, mentions and statuses are written a batch of sources at a time (executemany), with the ids
        # SQLite would give them (max + 1: the tables have no AUTOINCREMENT), so links and labels can name them
        self.next_quote = (self.conn.execute("SELECT max(id) FROM quotes").fetchone()[0] or 0) + 1
        self.next_mention = (self.conn.execute("SELECT max(id) FROM mentions").fetchone()[0] or 0) + 1
        self.quote_rows: list[list] = []
        self.mention_rows: list[list] = []
        self.status_rows: list[list] = []
        self.sources_read = 0

    def flush(self) -> None:
        """Write the quotes, mentions and statuses gathered so far."""
        if self.mention_rows:
            self.conn.executemany(
                'INSERT INTO mentions (id, article_id, start, "end", text, name, kind, entity_id, link_by, origin, '
                "annotator, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", self.mention_rows)
            self.mention_rows = []
        if self.quote_rows:
            self.conn.executemany(self.insert_quote, self.quote_rows)
            self.quote_rows = []
        if self.status_rows:
            self.conn.executemany(
                "INSERT INTO article_status (article_id, annotator, status, note, updated_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (article_id, annotator) DO UPDATE SET status = coalesce(excluded.status, status), "
                "note = coalesce(excluded.note, note), updated_at = excluded.updated_at", self.status_rows)
            self.status_rows = []

    # scheme and entities, made on first use
    def task(self, level: str, name: str, kind: str = "multi", target: str | None = None) -> tuple[int, str]:
        from annotator.core.scheme import add_task

        key = (level, name)
        if key not in self.tasks:
            self.tasks[key] = (add_task(self.project, name, kind, level, target), kind)
            self.report.tasks_added.append(name if level == "article" else f"{name} (quote)")
        return self.tasks[key]

    def option(self, task_id: int, name: str, shortcut: str | None = None) -> int:
        from annotator.core.scheme import add_option, check_shortcut

        key = (task_id, name)
        if key not in self.options:
            if shortcut and check_shortcut(self.project, task_id, shortcut):
                shortcut = None
            self.options[key] = add_option(self.project, task_id, name, shortcut)
        return self.options[key]

    def code_option(self, code: Code) -> tuple[int, str, int] | None:
        """(task id, task kind, option id) an option code or a code mapped to a label stands for."""
        if code.guid in self.code_options:
            return self.code_options[code.guid]
        role = code.role
        found = None
        if role[0] == "option":
            task_id, kind = self.task(role[1], role[2], role[5], role[6])
            found = task_id, kind, self.option(task_id, role[3], role[4])
        target = self.targets.get(code.guid)
        if target and target[0] == "label":
            task_id, kind = self.task("article", target[1])
            found = task_id, kind, self.option(task_id, target[2])
        self.code_options[code.guid] = found
        return found

    def entity(self, name: str, kind: str) -> int:
        from annotator.core.entities import entity_for_name

        key = (name, kind)
        if key not in self.entities:
            self.entities[key] = entity_for_name(self.project, name, kind)
        return self.entities[key]

    def annotator(self, user: str | None) -> str | None:
        name = self.who(user)
        if name is not None and name not in self.annotators:
            self.annotators.add(name)
            self.conn.execute("INSERT OR IGNORE INTO annotators (name, created_at) VALUES (?, ?)", [name, self.now])
        return name

    def who(self, user: str | None) -> str | None:
        """The annotator a user GUID stands for; None for our detector (automatic detections)."""
        try:
            return self.people[user]  # the same few users on every coding
        except KeyError:
            name = self.people[user] = self._who(user)
            return name

    def _who(self, user: str | None) -> str | None:
        users = self.reader.users
        if user is not None and users.get(user) == DETECTOR:  # also when another tool gave it a new GUID
            return None
        if self.override:
            return self.override
        return (users.get(user) if user else None) or "imported"

    def codebook(self, codes: dict[str, Code]) -> None:
        """The code book is read: settle what each code becomes and make the scheme it needs."""
        reader = self.reader
        default_task = f"codes ({' '.join(reader.project_name.split()) or reader.path.stem})"
        self.targets = _resolve_mapping(codes, self.mapping, str(reader.path), default_task)
        for code in codes.values():  # the scheme as the file has it, even where nothing is coded yet
            if code.role[0] == "option" or self.targets.get(code.guid, ("",))[0] == "label":
                self.code_option(code)
        self.var_names = {guid("variable", name): name for name in VARIABLES}

    def source(self, source: SourceArticle) -> None:
        if self.cancelled is not None and self.cancelled():
            from annotator.core.exchange import ExchangeCancelled

            raise ExchangeCancelled("cancelled")
        if not self.var_names:
            self.var_names = {guid("variable", name): name for name in VARIABLES}
        # another tool's source variables with our names (title, outlet, published, url, ...) count too
        for g, n in self.reader.variables.items():
            if n.casefold() in VARIABLES:
                self.var_names.setdefault(g, n.casefold())
        article_id = self._article(source, self.var_names)
        for sel in source.selections:
            self._selection(article_id, source, sel, self.quote_guids, self.mention_guids)
        if source.note_refs:
            self.pending_notes.append((article_id, source))
        self.sources_read += 1
        if self.sources_read % BATCH == 0:
            self.flush()

    def finish(self, reader: _Reader) -> None:
        """After the whole file: notes, links, annotators, then labels and verdicts in two statements."""
        for article_id, source in self.pending_notes:
            self._notes(article_id, source)
        self.flush()
        links = []
        for origin, target, _line in reader.links:
            if origin in self.quote_guids and target in self.mention_guids:
                mid, start, end, _text, _name, _entity_id = self.mention_guids[target]
                links.append((mid, start, end, self.quote_guids[origin]))
        self.conn.executemany('UPDATE quotes SET mention_id = ?, speaker_start = ?, speaker_end = ? WHERE id = ?',
                              links)
        if reader.origin.startswith(ORIGIN) and not self.override:
            for user in reader.users:  # our file: every annotator, also those with no work yet
                self.annotator(user)
        self.report.labels += self.conn.executemany(
            "INSERT OR IGNORE INTO labels (article_id, quote_id, annotator, task_id, option_id, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?)", self.label_rows).rowcount
        self.conn.executemany(
            "INSERT INTO quote_labels (quote_id, annotator, status, entity_id, speaker, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (quote_id, annotator) DO UPDATE SET status = excluded.status, "
            "entity_id = excluded.entity_id, speaker = excluded.speaker, updated_at = excluded.updated_at",
            self.verdict_rows)
        self.report.verdicts += len(self.verdict_rows)
        self.report.left_out[:0] = reader.left_out
        self.report.annotators = sorted(self.annotators, key=str.casefold)

    def _article(self, source: SourceArticle, var_names: dict) -> int:
        values = {}
        for g, value in source.variables.items():
            name = var_names.get(g)
            if name:
                values[name] = value
        uid = article_uid(source.text)
        row = self.conn.execute("SELECT id FROM articles WHERE uid = ?", [uid]).fetchone()
        if row:
            self.report.articles_matched += 1
            return row[0]
        authors = values.get("authors")
        cur = self.conn.execute(
            "INSERT INTO articles (uid, title, outlet, authors, published, url, language, text, source_path, "
            "source_index, imported_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [uid, values.get("title") or source.name or None, values.get("outlet"),
             json.dumps([a.strip() for a in authors.split(";") if a.strip()], ensure_ascii=False) if authors else None,
             values.get("published"), values.get("url"), values.get("language"), source.text,
             f"{self.reader.path.name}!{source.guid}", source.position,
             self.now])
        self.report.articles_added += 1
        self.new_articles.add(cur.lastrowid)
        return cur.lastrowid

    def _selection(self, article_id: int, source: SourceArticle, sel: Selection, quote_guids, mention_guids) -> None:
        codes, targets = self.reader.codes, self.targets
        roles, foreign, mapped_quote = [], [], []
        self.times = times = {}
        form, quote, mention = None, False, False
        for g, user, when in sel.codings:  # one pass: what the selection is, and what is another tool's
            code = codes[g]
            kind = code.role[0]
            roles.append((code, user))
            times[(g, user)] = when
            if kind == "form":
                form, quote = form or code.role[1], True
            elif kind == "verdict":
                quote = True
            elif kind == "mention":
                mention = True
            elif kind == "foreign":
                foreign.append((code, user))
                target = targets.get(g)
                if target is not None and target[0] == "quote":
                    mapped_quote.append((target[1], user))
        text = source.text[sel.start:sel.end]
        if quote:
            self._quote(article_id, sel, text, form or "direct", self.who(sel.creator), roles, quote_guids,
                        origin_user=sel.creator)
            roles = foreign  # ours are the quote's; another tool's go on
        elif mention:
            mid = self._mention(article_id, sel, text, self.who(sel.creator), roles)
            if mid is not None:
                mention_guids[sel.guid] = mid
            roles = foreign
        for form, user in mapped_quote:
            self._quote(article_id, sel, text, form, self.who(user), [], quote_guids, origin_user=user)
        for code, user in roles:
            role = code.role
            target = self.targets.get(code.guid)
            if role[0] == "status":
                self._status(article_id, self.annotator(user), role[1])
            elif role[0] == "option" and role[1] == "quote":
                self.report.left_out.append(f"a coding with {code.path} on a selection that is not a quote "
                                            f"(line {sel.line})")
            elif role[0] == "option" or (target and target[0] == "label"):
                self._label(article_id, None, self.annotator(user), code, self.times.get((code.guid, user)))
            elif target and target[0] == "speaker":
                made = self._mention(article_id, sel, text, self.who(user), [])
                if made is not None:
                    mention_guids[sel.guid] = made

    def _label(self, article_id: int, quote_id: int | None, who: str | None, code: Code,
               when: str | None = None) -> None:
        if who is None:
            who = "imported"
            self.annotator(None)
        found = self.code_option(code)
        if found is None:
            return
        task_id, kind, option_id = found
        if kind == "single":
            key = (article_id, quote_id, who, task_id)
            if self.single.setdefault(key, option_id) != option_id:  # check_single_choice: one option
                self.report.left_out.append(
                    f"a second option ({terminal_text(code.path)}) of a single-choice task for {terminal_text(who)}"
                    f" on one {'quote' if quote_id else 'article'}: the first one coded is kept")
                return
            if article_id not in self.new_articles:  # the file's choice replaces the project's
                self.conn.execute(
                    "DELETE FROM labels WHERE article_id = ? AND ifnull(quote_id, 0) = ? AND annotator = ? "
                    "AND task_id = ? AND option_id != ?", [article_id, quote_id or 0, who, task_id, option_id])
        self.label_rows.append((article_id, quote_id, who, task_id, option_id, when or self.now))

    def _speaker(self, code: Code) -> tuple[str, int | None] | None:
        if code.role[0] == "entity":
            return code.name, self.entity(code.role[1], code.role[2])
        if code.role[0] == "speaker-name":
            return code.name, None
        return None

    def _quote(self, article_id: int, sel: Selection, text: str, form: str, owner: str | None, roles, quote_guids,
               origin_user) -> None:
        if sel.start >= sel.end:
            self.report.left_out.append(f"an empty quote selection (line {sel.line})")
            return
        origin = "auto" if owner is None else "human"
        if owner is not None:
            self.annotator(origin_user)
        verdicts: dict[str, str] = {}
        verdict_times: dict[str, str | None] = {}
        for code, user in roles:
            if code.role[0] == "verdict":
                person = self.annotator(user) or "imported"
                verdicts[person] = code.role[1]
                verdict_times[person] = self.times.get((code.guid, user))
        speaker = entity_id = None
        corrections: dict[str, tuple[str, int | None]] = {}
        labels = []
        for code, user in roles:
            person = self.who(user)
            found = self._speaker(code)
            if found is not None:
                if person is not None and verdicts.get(person) == "corrected":
                    corrections[person] = found
                elif speaker is None:
                    speaker, entity_id = found
            elif code.role[0] == "option" or self.targets.get(code.guid, ("",))[0] == "label":
                labels.append((person, code, self.times.get((code.guid, user))))
        written = re.search(r"^Speaker: (.+)$", sel.description, re.M)
        if written and speaker is not None:
            speaker = written[1].strip()
        existing = self._existing("quotes", article_id, sel, origin, owner)
        if existing:
            quote_id = existing
        else:
            quote_id = self.next_quote
            self.next_quote += 1
            values = [quote_id, article_id, sel.start, sel.end, text, "sentence" if origin == "auto" else "direct", speaker,
                      entity_id, origin, owner, "import" if entity_id else None, self.now]
            if self.form_column:  # with forms came the content span: the whole selection here
                values += [form, sel.start, sel.end, text]
            self.quote_rows.append(values)
            self.made[("quotes", article_id, sel.start, sel.end, origin, owner)] = quote_id
            self.report.quotes += 1
        quote_guids[sel.guid] = quote_id
        for person, status in verdicts.items():
            name, eid = corrections.get(person, (None, None))
            self.verdict_rows.append((quote_id, person, status, eid, name, verdict_times.get(person) or self.now))
        for person, code, when in labels:
            self._label(article_id, quote_id, self.annotator_name(person), code, when)

    def _existing(self, table: str, article_id: int, sel: Selection, origin: str, owner: str | None) -> int | None:
        """The quote or mention already there with this span, origin and owner (this import's, or the project's)."""
        key = (table, article_id, sel.start, sel.end, origin, owner)
        if key in self.made or article_id in self.new_articles:
            return self.made.get(key)
        row = self.conn.execute(
            f'SELECT id FROM {table} WHERE article_id = ? AND start = ? AND "end" = ? AND origin = ? '
            "AND annotator IS ?",
            [article_id, sel.start, sel.end, origin, owner]).fetchone()
        return row[0] if row else None

    def annotator_name(self, person: str | None) -> str:
        if person is None:
            person = "imported"
        if person not in self.annotators:
            self.annotators.add(person)
            self.conn.execute("INSERT OR IGNORE INTO annotators (name, created_at) VALUES (?, ?)", [person, self.now])
        return person

    def _mention(self, article_id: int, sel: Selection, text: str, owner: str | None, roles):
        if sel.start >= sel.end:
            self.report.left_out.append(f"an empty speaker selection (line {sel.line})")
            return None
        origin = "auto" if owner is None else "human"
        if owner is not None:
            self.annotator_name(owner)
        entity_id = None
        name = " ".join(text.split())
        for code, _user in roles:
            found = self._speaker(code)
            if found is not None:
                entity_id = found[1]
                name = found[0]
        described = re.search(r"^Name: (.+)$", sel.description, re.M)
        if described:
            name = described[1].strip()
        existing = self._existing("mentions", article_id, sel, origin, owner)
        if existing:
            mid = existing
        else:
            mid = self.next_mention
            self.next_mention += 1
            self.mention_rows.append([mid, article_id, sel.start, sel.end, text, name, "person", entity_id,
                                      "import" if entity_id else None, origin, owner, self.now])
            self.made[("mentions", article_id, sel.start, sel.end, origin, owner)] = mid
            self.report.mentions += 1
        return mid, sel.start, sel.end, text, name, entity_id

    def _status(self, article_id: int, who: str | None, status: str, note: str | None = None) -> None:
        self.status_rows.append([article_id, who or "imported", status, note, self.now])

    def _notes(self, article_id: int, source: SourceArticle) -> None:
        by_person: dict[str, list[str]] = defaultdict(list)
        for g, _line in source.note_refs:
            user, text = self.reader.notes[g]
            if text:
                by_person[self.annotator_name(self.who(user))].append(text)
        for person, texts in by_person.items():
            if self.status_rows:  # the status as written so far (a file may hold one text twice)
                self.flush()
            row = self.conn.execute("SELECT status FROM article_status WHERE article_id = ? AND annotator = ?",
                                    [article_id, person]).fetchone()
            self._status(article_id, person, row[0] if row else "todo", "\n\n".join(texts))
            self.report.notes += 1
