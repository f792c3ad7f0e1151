"""Labels back in from a CSV file of the shape `export` writes (made in a spreadsheet or another tool).

Every row is checked before anything is written; a file with any bad row changes nothing and each
problem names its row (the header is row 1, as in a spreadsheet). Unchanged labels keep their time,
so importing an export of the same project changes nothing.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.csvsafe import restore, strip_controls
from annotator.core.export import TaskColumns, task_columns
from annotator.core.ingest.decode import MAX_LINE_CHARS
from annotator.core.labels import STATUSES
from annotator.core.scheme import MULTI, load_scheme
from annotator.core.store import Project, utc_now
from annotator.core.validate import check_name

csv.field_size_limit(MAX_LINE_CHARS)  # the same bound as the article readers


@dataclass
class ImportLabelsReport:
    path: str
    level: str = "article"
    rows: int = 0
    changed: int = 0  # (item, annotator, task) choices, notes and statuses that changed
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.problems:
            return f"{self.path}: nothing imported, {len(self.problems)} problem(s) in {self.rows} rows"
        return f"{self.path}: {self.rows} {self.level} rows read, {self.changed} labels, notes or statuses changed"


@dataclass
class _Change:
    article_id: int
    quote_id: int | None
    annotator: str
    choices: dict[int, list[int]]  # task id -> option ids
    note: str | None  # None: leave as is
    status: str | None
    when: str


def import_labels(project: Project, path: str | Path, annotator: str | None = None) -> ImportLabelsReport:
    """Read an article- or quote-level label file (level told by a quote_id column) into the project.
    `annotator` names the coder for every row (else the file's annotator column must)."""
    path = Path(path)
    report = ImportLabelsReport(str(path))
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(_bounded_lines(fh))
            # header cells are neutralised like the others ("'=x" for a task named "=x")
            reader.fieldnames = header = [restore(h) for h in reader.fieldnames or []]
            rows = list(reader)
    except UnicodeDecodeError as exc:
        report.problems.append(f"not UTF-8 text ({exc.reason} at byte {exc.start}); save the file as UTF-8 CSV")
        return report
    except (OSError, csv.Error) as exc:
        report.problems.append(f"cannot be read: {exc}")
        return report
    report.level = "quote" if "quote_id" in header else "article"
    report.rows = len(rows)
    if "uid" not in header and "article_id" not in header:
        report.problems.append("row 1: the header has neither an article_id nor a uid column")
        return report
    if annotator is None and "annotator" not in header:
        report.problems.append("row 1: no annotator column; name the coder with --annotator")
        return report
    cols = [tc for tc in task_columns(load_scheme(project), report.level)
            if tc.column in header or any(c in header for c in tc.option_columns.values())]
    changes = _validate(project, rows, header, cols, annotator, report)
    if report.problems:
        return report
    report.changed = _apply(project, changes, cols)
    return report


def _validate(project, rows, header, cols, annotator, report) -> list[_Change]:
    conn = project.conn
    by_uid = {}
    uids = {restore(r.get("uid") or "").strip() for r in rows} - {""}
    for chunk in _chunked(sorted(uids), 500):
        by_uid.update(conn.execute(
            f"SELECT uid, id FROM articles WHERE uid IN ({','.join('?' * len(chunk))})", chunk).fetchall())
    seen: dict[tuple, int] = {}
    changes = []
    known = _known_annotators(conn)
    stored = set(known.values())
    for number, row in enumerate(rows, start=2):
        problems = []
        article_id = _article(conn, row, by_uid, problems)
        who = annotator or " ".join(restore(row.get("annotator") or "").split())
        who = known.get(who, who)
        if not who:
            problems.append("no annotator")
        elif who not in stored and check_name(who, "annotator"):
            problems.append(check_name(who, "annotator"))
        quote_id = None
        if report.level == "quote" and article_id is not None:
            quote_id = _quote(conn, row, article_id, who, problems)
        choices = {}
        for tc in cols:
            names = _chosen_names(tc, row, header, problems)
            if names is None:
                continue
            by_name = {o.name: o.id for o in tc.task.options}
            unknown = [n for n in names if n not in by_name]
            if unknown:
                problems.append(f"{tc.column}: no option {', '.join(map(repr, unknown))} "
                                f"(options: {', '.join(by_name)})")
                continue
            if tc.task.kind != MULTI and len(names) > 1:
                problems.append(f"{tc.column}: one choice only, got {'; '.join(names)}")
                continue
            choices[tc.task.id] = [by_name[n] for n in names]
        status = restore(row.get("status") or "").strip() or None if "status" in header else None
        if status is not None and status not in STATUSES:
            problems.append(f"status: {status!r} is not one of {', '.join(STATUSES)}")
        note = restore(row.get("note") or "") if "note" in header and report.level == "article" else None
        key = (article_id, quote_id, who)
        if not problems and key in seen:
            problems.append(f"the same {report.level} and annotator as row {seen[key]}")
        seen.setdefault(key, number)
        if problems:
            report.problems.extend(f"row {number}: {p}" for p in problems)
            continue
        when = (row.get("labelled_at") or "").strip() or utc_now()
        changes.append(_Change(article_id, quote_id, who, choices, note, status, when))
    return changes


def _known_annotators(conn) -> dict[str, str]:
    """{name as an export writes it: name}: a name stored before names were checked (with a control
    character, a tab or runs of spaces) comes back under its own name, so export then import
    changes nothing; a name of today is itself."""
    names = {r[0] for r in conn.execute(
        "SELECT name FROM annotators UNION SELECT annotator FROM article_status UNION "
        "SELECT annotator FROM quote_labels UNION SELECT DISTINCT annotator FROM labels") if r[0]}
    out = {" ".join(strip_controls(n).split()): n for n in sorted(names)}
    out.update({n: n for n in names})
    return out


def _article(conn, row: dict, by_uid: dict, problems: list) -> int | None:
    uid = restore(row.get("uid") or "").strip()
    raw_id = (row.get("article_id") or "").strip()
    if uid:
        if uid in by_uid:
            return by_uid[uid]
        problems.append(f"no article with uid {uid} in this project")
        return None
    if not raw_id.isdigit():
        problems.append(f"article_id {raw_id!r} is not a number" if raw_id else "no article_id or uid")
        return None
    if conn.execute("SELECT 1 FROM articles WHERE id = ?", [int(raw_id)]).fetchone() is None:
        problems.append(f"no article {raw_id} in this project")
        return None
    return int(raw_id)


def _quote(conn, row: dict, article_id: int, who: str, problems: list) -> int | None:
    """The quote a row means: its id when that quote is in the row's article at the same place,
    else the quote of that article with the row's start and end."""
    raw = (row.get("quote_id") or "").strip()
    start, end = (row.get("start") or "").strip(), (row.get("end") or "").strip()
    if raw.isdigit():
        found = conn.execute('SELECT article_id, start, "end" FROM quotes WHERE id = ?', [int(raw)]).fetchone()
        if found and found[0] == article_id and (not start or (str(found[1]), str(found[2])) == (start, end)):
            return int(raw)
    if start.isdigit() and end.isdigit():
        found = conn.execute(
            'SELECT id FROM quotes WHERE article_id = ? AND start = ? AND "end" = ? '
            "AND (origin = 'auto' OR annotator = ?) ORDER BY origin = 'auto' LIMIT 1",
            [article_id, int(start), int(end), who]).fetchone()
        if found:
            return found[0]
    problems.append(f"no quote {raw or '?'} at {start or '?'}-{end or '?'} in article {article_id}")
    return None


def _chosen_names(tc: TaskColumns, row: dict, header: list, problems: list) -> list[str] | None:
    """Option names a row chooses for a task (None: the file has no column for it)."""
    if tc.column in header:
        cell = restore(row.get(tc.column) or "").strip()
        if not cell:
            return []
        return [p.strip() for p in cell.split(";") if p.strip()] if tc.task.kind == MULTI else [cell]
    names = []
    for option in tc.task.options:
        column = tc.option_columns.get(option.id)
        if column not in header:
            continue
        cell = (row.get(column) or "").strip()
        if cell not in ("", "0", "1"):
            problems.append(f"{column}: {cell!r} is not 0 or 1")
        elif cell == "1":
            names.append(option.name)
    return names


def _apply(project: Project, changes: list[_Change], cols: list[TaskColumns]) -> int:
    changed = 0
    with project.write() as db:
        current: dict[tuple, list[int]] = {}
        annotators = {c.annotator for c in changes}
        for name in annotators:
            db.execute("INSERT OR IGNORE INTO annotators (name, created_at) VALUES (?, ?)", [name, utc_now()])
        for ch in changes:
            for task_id, option_ids in ch.choices.items():
                key = (ch.article_id, ch.quote_id, ch.annotator, task_id)
                # ifnull(quote_id, 0) = ?: the form the unique index is built on, so one index seek
                # (`quote_id IS ?` scanned every label of the annotator)
                where = [ch.article_id, ch.quote_id or 0, ch.annotator, task_id]
                if key not in current:
                    current[key] = [r[0] for r in db.execute(
                        "SELECT option_id FROM labels WHERE article_id = ? AND ifnull(quote_id, 0) = ? "
                        "AND annotator = ? AND task_id = ? ORDER BY option_id", where)]
                if sorted(set(option_ids)) == current[key]:
                    continue
                db.execute("DELETE FROM labels WHERE article_id = ? AND ifnull(quote_id, 0) = ? AND annotator = ? "
                           "AND task_id = ?", where)
                db.conn.executemany(
                    "INSERT INTO labels (article_id, quote_id, annotator, task_id, option_id, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [(*key, option_id, ch.when) for option_id in dict.fromkeys(option_ids)])
                current[key] = sorted(set(option_ids))
                changed += 1
            if ch.quote_id is None and (ch.note is not None or ch.status is not None):
                changed += _apply_state(db, ch)
    return changed


def _apply_state(db, ch: _Change) -> int:
    row = db.execute("SELECT status, note FROM article_status WHERE article_id = ? AND annotator = ?",
                     [ch.article_id, ch.annotator]).fetchone()
    status, note = (row[0], row[1] or "") if row else (None, "")
    new_status = ch.status if ch.status is not None else status
    new_note = ch.note if ch.note is not None else note
    if (new_status, new_note) == (status, note):
        return 0
    db.execute(
        "INSERT INTO article_status (article_id, annotator, status, note, updated_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (article_id, annotator) DO UPDATE SET status = excluded.status, note = excluded.note, "
        "updated_at = excluded.updated_at",
        [ch.article_id, ch.annotator, new_status or "todo", new_note or None, ch.when])
    return 1


def _bounded_lines(fh):
    """The file's lines, none read past MAX_LINE_CHARS: a file of gigabytes on one line fails at once."""
    number = 0
    while line := fh.readline(MAX_LINE_CHARS + 1):
        number += 1
        if len(line) > MAX_LINE_CHARS and not line.endswith("\n"):
            raise csv.Error(f"line {number} is longer than {MAX_LINE_CHARS:,} characters")
        yield line


def _chunked(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]
