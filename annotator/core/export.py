"""Labelled data out of the project: one row per article and annotator, or per quote and annotator.

Rows are streamed from SQL queries (labels pivoted with GROUP BY in SQLite, in index order), so a
300,000-row export never sits in memory; `write_export` writes them as CSV (RFC 4180, UTF-8,
optionally with a BOM for Excel, formula-like cells neutralised) or as JSON lines.

`export_rows` gives tuples (JSON lines, adjudicated values, callers in Python). A CSV file is
written from finished lines that SQLite puts together (`_Cells`, `_MaskTable`): byte for byte
what `csv.writer` makes of the tuples, without a Python object per cell; a big one in parts, each
built by its own process (`export_part`).
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import queue
import re
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

from annotator.core import export_part, shown
from annotator.core.csvsafe import csv_cell, sql_neutralise
from annotator.core.csvsafe import neutralise as neutralise_cell
from annotator.core.export_part import ExportCancelled, stream  # noqa: F401 - ExportCancelled: what write_export raises
from annotator.core.scheme import MULTI, Scheme, Task, load_scheme
from annotator.core.store import Project
from annotator.core.tempfiles import remove_leftovers, temporary_beside

LEVELS = ("article", "quote")
FORMATS = ("csv", "jsonl")
ADJUDICATED = "adjudicated"  # the annotator column of an --adjudicated export

ARTICLE_HEAD = ["article_id", "uid", "title", "outlet", "published", "url", "annotator"]
ARTICLE_TAIL = ["note", "status", "labelled_at"]
# form: direct / mixed / indirect; content: what the source is reported to have said (a direct quote's
# quoted words; a reported one's whole clause)
QUOTE_HEAD = ["article_id", "quote_id", "quote", "start", "end", "speaker", "entity_id", "entity_name", "form",
              "content"]
QUOTE_TAIL = ["annotator", "origin"]
TEXT_COLUMNS = {"uid", "title", "outlet", "published", "url", "annotator", "note", "status", "labelled_at",
                "quote", "speaker", "entity_name", "origin", "form", "content"}


# --- columns of the label scheme ----------------------------------------------------------------


def _slug(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", name.casefold()).strip("_") or "option"


@dataclass
class TaskColumns:
    """How one task appears in a file: a value column and, for multiple choice, one 0/1 column per option."""

    task: Task
    column: str
    option_columns: dict[int, str] = field(default_factory=dict)  # option id -> column name


def task_columns(scheme: Scheme, level: str) -> list[TaskColumns]:
    """The label columns of a level. Single choice: the task's name ('stance'); multiple choice: the
    plural ('topics', options joined with '; ') and `<task>_<option>` 0/1 columns ('topic_economy')."""
    fixed = set(ARTICLE_HEAD + ARTICLE_TAIL if level == "article" else QUOTE_HEAD + QUOTE_TAIL)
    taken = set(fixed)
    out = []

    def unique(name: str) -> str:
        base, n = name, 2
        while name in taken:
            name = f"{base}_{n}"
            n += 1
        taken.add(name)
        return name

    for task in scheme.at_level(level):
        if task.kind == MULTI:
            plural = task.name if task.name.endswith("s") else task.name + "s"
            tc = TaskColumns(task, unique(plural if plural not in fixed else f"{plural}_label"))
            for option in task.options:
                tc.option_columns[option.id] = unique(f"{_slug(task.name)}_{_slug(option.name)}")
        else:
            tc = TaskColumns(task, unique(task.name if task.name not in fixed else f"{task.name}_label"))
        out.append(tc)
    return out


def column_names(scheme: Scheme, level: str, adjudicated: bool = False) -> list[str]:
    """The header of an export; an adjudicated one has a `<task>_source` column after each task's."""
    cols = task_columns(scheme, level)
    labels = [c for tc in cols for c in [tc.column, *tc.option_columns.values(),
                                         *([f"{tc.column}_source"] if adjudicated else [])]]
    if level == "article":
        return ARTICLE_HEAD + labels + ARTICLE_TAIL
    return QUOTE_HEAD + labels + QUOTE_TAIL


# --- rows ---------------------------------------------------------------------------------------


@dataclass
class Rows:
    """A header and the rows under it (a one-pass iterator of tuples)."""

    columns: list[str]
    rows: Iterator[tuple]


def _option_bits(tc: TaskColumns) -> dict[int, int] | None:
    """{option id: bit} when a multiple-choice task's option ids lie within 62 of each other (so one
    sum per label group holds them all as a bitmask), else None."""
    ids = list(tc.option_columns)
    if not ids or max(ids) - min(ids) > 62:
        return None
    return {option_id: option_id - min(ids) for option_id in ids}


def _pivot_sql(cols: list[TaskColumns], alias: str = "lab", name: str = "lab.oname") -> str:
    """Aggregates of a GROUP BY over labels: per task its option names joined with '; ' (t<j>), and for
    a multiple-choice task the options chosen as a bitmask (m<j>) or, if their ids are far apart, one
    0/1 per option (o<j>_<option id>)."""
    parts = []
    for j, tc in enumerate(cols):
        task = int(tc.task.id)
        parts.append(f"group_concat(CASE WHEN {alias}.task_id = {task} THEN {name} END, '; ') AS t{j}")
        bits = _option_bits(tc)
        if bits is not None:
            base = min(bits)
            parts.append(f"sum(CASE WHEN {alias}.task_id = {task} THEN 1 << ({alias}.option_id - {base}) END) AS m{j}")
        else:
            parts += [f"max({alias}.option_id = {int(o)}) AS o{j}_{int(o)}" for o in tc.option_columns]
    return "".join(f", {p}" for p in parts)


def _text_slots(cols: list[TaskColumns]) -> set[int]:
    """Positions of the value (text) columns among the label columns; the rest are 0/1."""
    out, i = set(), 0
    for tc in cols:
        out.add(i)
        i += 1 + len(tc.option_columns)
    return out


@dataclass(frozen=True)
class _Cells:
    """How a query's select list is written: as columns (tuples for Python), or, for CSV, as one
    finished line per row built by SQLite, so no Python object is made per cell.

    A line's cells are what `csv.writer` (QUOTE_MINIMAL) writes for the same values: NULL empty,
    numbers as SQLite prints integers, text quoted only if it holds a comma, quote, CR or LF."""

    neutralise: bool
    lines: bool = False

    def text(self, expr: str, safe: bool = False) -> str:
        """A text cell; `safe`: the value needs no formula check (fixed words, names made safe before)."""
        value = expr if safe or not self.neutralise else sql_neutralise(expr)
        if not self.lines:
            return value
        # the check reads the raw value: a neutralising quote never makes a cell need quoting
        return (f"""CASE WHEN {expr} GLOB '*[",'||char(13, 10)||']*' """
                f"""THEN '"' || replace({value}, '"', '""') || '"' ELSE ifnull({value}, '') END""")

    def number(self, expr: str) -> str:
        return f"ifnull({expr}, '')" if self.lines else expr

    def select(self, cells: list[str]) -> str:
        # each cell in brackets: || binds tighter than the bit operators of the 0/1 columns
        return " || ',' || ".join(f"({c})" for c in cells) if self.lines else ", ".join(cells)


_SPECIAL = re.compile(r'[",\r\n]')


def _csv_cell(value) -> str:
    """One cell as `csv.writer` (QUOTE_MINIMAL) writes it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"' if _SPECIAL.search(value) else value
    return str(value)


def _plain(values, neutral: bool) -> bool:
    """Whether these texts all go into a CSV line as they are: no quotes needed, no formula guard."""
    return all(v is None or (not _SPECIAL.search(v) and not (neutral and neutralise_cell(v) != v)) for v in values)


@dataclass
class _MaskTable:
    """The finished cells of one task (its value, then its 0/1 columns) for every set of options a
    label group can hold, rendered once in Python. A group sums its options as a bitmask and takes
    its cells out of one blob by position: no names joined, checked or quoted per row.

    Entries are padded with spaces to one width; a task whose entry would end in a space, whose
    option ids lie more than 12 apart or that has no options is left to the general cells."""

    task_id: int
    low: int
    high: int
    width: int
    blob: bytes

    @classmethod
    def build(cls, tc: TaskColumns, names_in_order: list[tuple[int, str]], neutral: bool) -> _MaskTable | None:
        ids = [o.id for o in tc.task.options]
        if not ids or max(ids) - min(ids) >= 12:
            return None
        low, high = min(ids), max(ids)
        entries = []
        for mask in range(1 << (high - low + 1)):
            chosen = {i for i in ids if mask >> (i - low) & 1}
            text = "; ".join(name for i, name in names_in_order if i in chosen) or None
            cells = [_csv_cell(csv_cell(text, neutral))]
            cells += ["1" if option_id in chosen else "0" for option_id in tc.option_columns]
            entry = ",".join(cells).encode("utf-8")
            if entry.endswith(b" "):
                return None
            entries.append(entry)
        width = max(1, *map(len, entries))
        return cls(int(tc.task.id), low, high, width, b"".join(e.ljust(width, b" ") for e in entries))

    def bit(self, alias: str = "l") -> str:
        """One label's bit (NULL for labels of other tasks or of options not in the scheme)."""
        return (f"CASE WHEN {alias}.task_id = {self.task_id} AND {alias}.option_id BETWEEN {self.low} AND {self.high} "
                f"THEN 1 << ({alias}.option_id - {self.low}) END")

    def cells(self, mask: str, param: str) -> str:
        """The task's cells for the bitmask `mask` from the blob bound as `param` (bytes, so the
        lookup is by byte position)."""
        return f"rtrim(substr(:{param}, ifnull({mask}, 0) * {self.width} + 1, {self.width}))"


def _label_cells(cols: list[TaskColumns], cells: _Cells, alias: str = "agg", first: int = 0) -> list[str]:
    """The select-list entries for the label columns from a subquery grouped with `_pivot_sql` (whose
    j-th task is `cols[j - first]`)."""
    out = []
    for j, tc in enumerate(cols, start=first):
        out.append(cells.text(f"{alias}.t{j}"))
        bits = _option_bits(tc)
        for option_id in tc.option_columns:
            out.append(f"(ifnull({alias}.m{j}, 0) >> {bits[option_id]}) & 1" if bits is not None
                       else f"ifnull({alias}.o{j}_{int(option_id)}, 0)")
    return out


def article_rows(project: Project, *, annotator: str | None = None, adjudicated: bool = False,
                 neutralise: bool = True) -> Rows:
    """One row per article and annotator who labelled it or gave it a status or note (all annotators
    when `annotator` is None); `adjudicated`: one row per labelled article with the adjudicated or
    agreed value of each task."""
    scheme = load_scheme(project)
    cols = task_columns(scheme, "article")
    columns = column_names(scheme, "article", adjudicated)
    if adjudicated:
        return Rows(columns, _adjudicated_article_rows(project, cols, neutralise))
    return Rows(columns, _article_stream(project, cols, annotator, _Cells(neutralise)))


def _article_stream(project: Project, cols: list[TaskColumns], annotator: str | None, cells: _Cells) -> Iterator:
    """The rows of `article_rows` as tuples."""
    who = "AND +l.annotator = :who" if annotator is not None else ""  # +: keep the unique index order
    t, num = cells.text, cells.number
    n_labels = len(_label_cells(cols, cells))
    text_slots = _text_slots(cols)
    empty = ["NULL" if i in text_slots else "0" for i in range(n_labels)]

    def select(ann: str, labels: list[str], labelled_at: str) -> str:
        return cells.select([num("a.id"), t("a.uid"), t("a.title"), t("a.outlet"), t("a.published"), t("a.url"),
                             t(ann), *labels, t("s.note"), t("s.status", safe=True), t(labelled_at, safe=True)])

    # The labels are grouped in the order of their unique index (article, item, annotator, task,
    # option): no sort, and a task's options come out in the order they were added to the scheme.
    labelled = f"""
    SELECT a.id, g.annotator, {select("g.annotator", _label_cells(cols, cells, "g"),
                                      "CASE WHEN s.updated_at > g.lat THEN s.updated_at ELSE g.lat END")}
    FROM ({_grouped_labels(cols, who)}) g
    JOIN articles a ON a.id = g.article_id
    LEFT JOIN article_status s ON s.article_id = g.article_id AND s.annotator = g.annotator
    """
    params = {"who": annotator} if annotator is not None else {}
    first = _prefetched(project.conn.execute(labelled, params))
    second = stream(project.conn.execute(_unlabelled_sql(select("s.annotator", empty, "s.updated_at"), who), params))
    return (row[2:] for row in export_part.merged_by_article(first, second))


def _grouped_labels(cols: list[TaskColumns], who: str, tables: dict[int, _MaskTable] | None = None) -> str:
    """Article labels grouped per article and annotator in the order of their unique index (article,
    item, annotator, task, option): no sort, and a task's options come out in the order they were
    added to the scheme. Tasks with a mask table need only their bitmask (k<j>), the rest their
    option names and 0/1 columns (`_pivot_sql`, numbered among themselves)."""
    tables = tables or {}  # their bitmasks are k<j>, numbered as in `cols`; the rest as in `_pivot_sql`
    masks = "".join(f", sum({table.bit()}) AS k{j}" for j, table in tables.items())
    rest = [tc for j, tc in enumerate(cols) if j not in tables]
    pivot = _pivot_sql(rest, "l", "o.name") if rest else ""
    names = "CROSS JOIN options o ON o.id = l.option_id" if rest else ""
    return f"""
        SELECT l.article_id, l.annotator, max(l.updated_at) AS lat {pivot} {masks}
        FROM labels l {names}
        WHERE ifnull(l.quote_id, 0) = 0 {who}
        GROUP BY l.article_id, ifnull(l.quote_id, 0), l.annotator
    """


def _unlabelled_sql(select: str, who: str) -> str:
    """Statuses and notes on articles with no labels of that annotator, in the order of their key."""
    return f"""
    SELECT a.id, s.annotator, {select}
    FROM article_status s JOIN articles a ON a.id = s.article_id
    WHERE NOT EXISTS (SELECT 1 FROM labels l WHERE l.article_id = s.article_id AND ifnull(l.quote_id, 0) = 0
                      AND l.annotator = s.annotator) {who.replace("l.", "s.").replace("+s.", "s.")}
    ORDER BY s.article_id, s.annotator
    """


def _in_span(column: str, span: tuple[int | None, int | None]) -> str:
    """The condition keeping `column` within the article ids of `span` (bound as :lo and :hi)."""
    low = f" AND {column} >= :lo" if span[0] is not None else ""
    return low + (f" AND {column} < :hi" if span[1] is not None else "")


def _article_recipe(cols: list[TaskColumns], annotator: str | None, neutral: bool,
                    span: tuple[int | None, int | None], names: list[str]) -> dict:
    """How to make the rows of `article_rows` as CSV lines (of the articles with ids in `span`, the
    lowest included; `names`: everyone with work in the project). Per row SQLite builds only what
    follows the article's own cells (annotator, labels, note, status, time); each article's own
    cells are built once and put in front (`export_part.lines`), both coming in article order."""
    cells = _Cells(neutral, lines=True)
    t = cells.text
    params: dict = {"who": annotator} if annotator is not None else {}
    params.update(lo=span[0], hi=span[1])
    who = ("AND +l.annotator = :who" if annotator is not None else "") + _in_span("l.article_id", span)
    tables = {}
    for j, tc in enumerate(cols):
        table = _MaskTable.build(tc, sorted((o.id, o.name) for o in tc.task.options), neutral)
        if table is not None:
            tables[j] = table
            params[f"mt{j}"] = table.blob
    # the label cells: from a mask table, else joined names and 0/1 columns as in the tuple rows
    labels, k = [], 0
    for j, tc in enumerate(cols):
        if j in tables:
            labels.append(tables[j].cells(f"g.k{j}", f"mt{j}"))
        else:
            labels += _label_cells([tc], cells, "g", first=k)
            k += 1
    plain_names = _plain(names, neutral)
    # a status with no labels: every task's value empty, its 0/1 columns 0
    empty = ",".join(cell for tc in cols for cell in ["", *["0"] * len(tc.option_columns)])
    params["empty"] = empty

    def rest(ann: str, label_cells: list[str], labelled_at: str) -> str:
        return cells.select([ann if plain_names else t(ann), *label_cells, t("s.note"), t("s.status", safe=True),
                             t(labelled_at, safe=True)])

    labelled = f"""
    SELECT g.article_id, g.annotator,
        {rest("g.annotator", labels, "CASE WHEN s.updated_at > g.lat THEN s.updated_at ELSE g.lat END")}
    FROM ({_grouped_labels(cols, who, tables)}) g
    LEFT JOIN article_status s ON s.article_id = g.article_id AND s.annotator = g.annotator
    """
    unlabelled = _unlabelled_sql(rest("s.annotator", [":empty"] if empty else [], "s.updated_at"), who)
    mine = "WHERE 1" + _in_span("a.id", span) + ("" if annotator is None else (
        " AND (a.id IN (SELECT article_id FROM labels WHERE annotator = :who) "
        "OR a.id IN (SELECT article_id FROM article_status WHERE annotator = :who))"))
    articles = f"""
    SELECT a.id, {cells.select([cells.number("a.id"), t("a.uid"), t("a.title"), t("a.outlet"), t("a.published"),
                                t("a.url")])} || ','
    FROM articles a {mine} ORDER BY a.id
    """
    return {"level": "article", "labelled": labelled, "unlabelled": unlabelled, "heads": articles, "params": params,
            "neutral": neutral}


def _prefetched(cursor, depth: int = 8) -> Iterator[tuple]:
    """Rows of `cursor` fetched by a helper thread: SQLite works (without the GIL) on the next rows
    while this thread writes the last ones. At most `depth` chunks wait in memory."""
    chunks: queue.Queue = queue.Queue(depth)
    stop = threading.Event()

    def fetch() -> None:
        try:
            while not stop.is_set():
                chunk = cursor.fetchmany(5000)
                chunks.put(chunk)
                if not chunk:
                    return
        except BaseException as exc:  # handed to the reading thread
            chunks.put(exc)

    worker = threading.Thread(target=fetch, name="export-fetch", daemon=True)
    worker.start()
    try:
        while True:
            chunk = chunks.get()
            if isinstance(chunk, BaseException):
                raise chunk
            if not chunk:
                return
            yield from chunk
    finally:
        stop.set()
        while worker.is_alive():  # let a blocked put() finish
            with contextlib.suppress(queue.Empty):
                chunks.get(timeout=0.05)
        worker.join()


def quote_rows(project: Project, *, annotator: str | None = None, adjudicated: bool = False,
               neutralise: bool = True, include_unchecked: bool = False) -> Rows:
    """One row per quote and annotator: the detected quotes the annotator checked (confirmed,
    corrected, or labelled) and the quotes they marked; `origin` says which (confirmed / corrected /
    human, or auto: a detection they labelled without a verdict). `include_unchecked` adds the
    detections they never looked at in articles they worked on (origin auto). Rejected quotes are
    left out of the rejecter's rows."""
    scheme = load_scheme(project)
    cols = task_columns(scheme, "quote")
    columns = column_names(scheme, "quote", adjudicated)
    if adjudicated:
        return Rows(columns, _adjudicated_quote_rows(project, cols, neutralise, include_unchecked))
    found = _quote_sql(project, cols, annotator, _Cells(neutralise), unchecked=include_unchecked)
    return Rows(columns, _prefetched(project.conn.execute(*found)) if found else iter(()))


def _quote_people(project: Project, annotator: str | None) -> list[str | None]:
    """Whose rows a quote export has: one annotator, or everyone with work in the project."""
    people: list[str | None] = [annotator] if annotator is not None else list(_annotators(project))
    if annotator is None and project.conn.execute(
            "SELECT 1 FROM quotes WHERE origin = 'human' AND annotator IS NULL LIMIT 1").fetchone():
        people.insert(0, None)  # hand-marked quotes of no one come out with an empty annotator
    return people


def _quote_sql(project: Project, cols: list[TaskColumns], annotator: str | None, cells: _Cells,
               span: tuple[int | None, int | None] = (None, None), people: list | None = None,
               unchecked: bool = False) -> tuple | None:
    """The query (and its parameters) of the rows of `quote_rows`, or with `cells.lines` of their
    CSV lines, of the articles with ids in `span`; None when there is no one to give rows to.
    `people`: `_quote_people`, if known."""
    people = _quote_people(project, annotator) if people is None else people
    if not people:
        return None
    t, num = cells.text, cells.number
    # Each quote (in the order of the article index) crossed with each person: one pass over the
    # quotes, one primary-key lookup per pair for the verdict and for each label cell.
    entity = shown.entity_sql()
    # a quote someone replaced by their own is left out of their rows (a lookup per row only if any is)
    replaced = project.conn.execute("SELECT 1 FROM quotes WHERE replaces_id IS NOT NULL LIMIT 1").fetchone()
    not_replaced = "AND NOT EXISTS (SELECT 1 FROM replaced r WHERE r.rid = q.id AND r.ann = p.ann)" if replaced else ""
    params: dict = {f"p{i}": name for i, name in enumerate(people)}
    params.update(lo=span[0], hi=span[1])
    safe_name = neutralise_cell if cells.neutralise else (lambda v: v)  # each name made safe once, not per row
    params.update({f"s{i}": _csv_cell(csv_cell(name, cells.neutralise)) if cells.lines else safe_name(name)
                   for i, name in enumerate(people)})
    labels = []
    for j, tc in enumerate(cols):
        # names in scheme order (the options come from load_scheme in that order), as in the tuple rows
        names = [(o.id, o.name) for o in tc.task.options]
        table = _MaskTable.build(tc, names, cells.neutralise) if cells.lines else None
        if table is None:
            labels += _quote_label_cells([tc], cells)
            continue
        params[f"mt{j}"] = table.blob
        labels.append(table.cells(f"(SELECT sum({table.bit()}) FROM {_LABELS} WHERE {_QUOTE_LABEL} "
                                  f"AND l.task_id = {table.task_id})", f"mt{j}"))
    origin = "CASE WHEN q.origin = 'human' THEN 'human' ELSE ifnull(ql.status, 'auto') END"
    if cells.lines:
        # A quote's own cells (ids, text, place; speaker and entity as detected) are built once per
        # quote in a co-routine (LIMIT keeps it from being flattened into the join, and its ORDER BY);
        # CROSS JOIN keeps it the outer loop, so rows come out in its order, each person in turn.
        quote_cells = cells.select([num("q.article_id"), num("q.id"), t("q.text"), num("q.start"), num('q."end"')])
        detected = cells.select([t("q.speaker"), num("q.entity_id"), t("e.name")])
        shape = cells.select([t("q.form", safe=True), t("ifnull(q.content, q.text)")])
        corrected = cells.select([t("ql.speaker"), num("ql.entity_id"),
                                  t("(SELECT name FROM entities WHERE id = ql.entity_id)")])
        select = cells.select([
            "q.own", f"CASE WHEN {shown.corrected_sql()} THEN {corrected} ELSE q.detected END", "q.shape", *labels,
            "p.shown",
            origin])
        source = f"""(
        SELECT q.id, q.article_id, q.origin, q.annotator, {quote_cells} AS own, {detected} AS detected,
               {shape} AS shape
        FROM quotes q LEFT JOIN entities e ON e.id = q.entity_id
        WHERE 1 {_in_span("q.article_id", span)}
        ORDER BY q.article_id, q.start, q.id LIMIT -1) q"""
        order = ""
    else:
        select = cells.select([
            num("q.article_id"), num("q.id"), t("q.text"), num("q.start"), num('q."end"'),
            t(shown.speaker_sql()), num(entity), t("e.name"),
            t("q.form", safe=True), t("ifnull(q.content, q.text)"), *labels, t("p.shown", safe=True), origin,
        ])
        source = "quotes q"
        order = "ORDER BY q.article_id, q.start, q.id, p.ann"
    join_entity = "" if cells.lines else f"LEFT JOIN entities e ON e.id = {entity}"
    # a detection this annotator checked: a verdict, or a label given to it
    checked = f"""(ql.status IS NOT NULL
            OR EXISTS (SELECT 1 FROM {_LABELS} WHERE {_QUOTE_LABEL}))"""
    # ... or any detection of an article they worked on (include_unchecked)
    worked_on = f"""(
            EXISTS (SELECT 1 FROM article_status s WHERE s.article_id = q.article_id AND s.annotator = p.ann)
            OR EXISTS (SELECT 1 FROM {_LABELS} WHERE l.article_id = q.article_id AND l.annotator = p.ann)
            OR EXISTS (SELECT 1 FROM quotes q2 JOIN quote_labels ql2 ON ql2.quote_id = q2.id AND ql2.annotator = p.ann
                       WHERE q2.article_id = q.article_id)
            OR EXISTS (SELECT 1 FROM quotes h WHERE h.article_id = q.article_id AND h.origin = 'human'
                       AND h.annotator = p.ann))"""
    sql = f"""
    WITH people(ann, shown) AS (VALUES {", ".join(f"(:p{i}, :s{i})" for i in range(len(people)))}),
    replaced AS MATERIALIZED (
        SELECT DISTINCT replaces_id AS rid, annotator AS ann FROM quotes WHERE replaces_id IS NOT NULL
    )
    SELECT {select}
    FROM {source} CROSS JOIN people p
    LEFT JOIN quote_labels ql ON ql.quote_id = q.id AND ql.annotator = p.ann
    {join_entity}
    WHERE ((q.origin = 'auto' AND {checked if not unchecked else worked_on})
        OR (q.origin = 'human' AND q.annotator IS p.ann))
      AND ifnull(ql.status, '') != 'rejected'
      {not_replaced} {_in_span("q.article_id", span)}
    {order}
    """
    return sql, params



def _option_names_sql(task: Task, alias: str = "l") -> str:
    """An option's name from its id as an SQL expression: literals for the task's options (no lookup
    per label), the options table for any other id."""
    cases = "".join(f" WHEN {int(o.id)} THEN '{o.name.replace(chr(39), chr(39) * 2)}'" for o in task.options)
    fallback = f"(SELECT name FROM options WHERE id = {alias}.option_id)"
    return f"CASE {alias}.option_id{cases} ELSE {fallback} END" if cases else fallback


def _quote_label_cells(cols: list[TaskColumns], cells: _Cells) -> list[str]:
    """The label cells of a quote row (aliases q, p): per task the chosen options joined with '; ' (in
    scheme order) and per option of a multiple-choice task 0/1; each one lookup in the labels' unique
    index (`+q.id`: no affinity, so the index on ifnull(quote_id, 0) applies)."""
    where = _QUOTE_LABEL
    out = []
    for tc in cols:
        task = int(tc.task.id)
        if _ids_in_scheme_order(tc.task):
            # the index gives the options in id order, which is scheme order here
            out.append(f"(SELECT {cells.text('v')} FROM (SELECT group_concat({_option_names_sql(tc.task)}, '; ') "
                       f"AS v FROM {_LABELS} WHERE {where} AND l.task_id = {task}))")
        else:
            out.append(f"(SELECT {cells.text('v')} FROM (SELECT group_concat(name, '; ') AS v FROM (SELECT o.name "
                       f"FROM {_LABELS} JOIN options o ON o.id = l.option_id WHERE {where} AND l.task_id = {task} "
                       f"ORDER BY o.position, o.id)))")
        for option_id in tc.option_columns:
            out.append(f"EXISTS (SELECT 1 FROM {_LABELS} WHERE {where} AND l.task_id = {task} "
                       f"AND l.option_id = {int(option_id)})")
    return out


_QUOTE_LABEL = "l.article_id = q.article_id AND ifnull(l.quote_id, 0) = +q.id AND l.annotator = p.ann"


def _ids_in_scheme_order(task: Task) -> bool:
    """Whether the task's option ids run in the order of the scheme (as the index gives them)."""
    return [o.id for o in task.options] == sorted(o.id for o in task.options)


# Without statistics SQLite may pick the index on annotator alone (every label of one person) for a
# lookup of one item's labels; the unique index finds them directly.
_LABELS = "labels l INDEXED BY idx_labels_unique"


def _annotators(project: Project) -> list[str]:
    """Everyone with any work in the project (registered or not), by name."""
    return sorted({r[0] for r in project.conn.execute(
        "SELECT name FROM annotators UNION SELECT annotator FROM article_status UNION "
        "SELECT annotator FROM quote_labels UNION SELECT annotator FROM quotes WHERE origin = 'human' UNION "
        # the names in labels, one index seek each
        "SELECT * FROM (WITH RECURSIVE a(n) AS (SELECT min(annotator) FROM labels UNION ALL "
        "SELECT (SELECT min(annotator) FROM labels WHERE annotator > n) FROM a WHERE n IS NOT NULL) SELECT n FROM a)"
    ) if r[0] is not None})


# --- adjudicated rows ---------------------------------------------------------------------------


# Where an adjudicated export's value of a task comes from (its `<task>_source` column).
ADJUDICATED_SOURCE, AGREED, SINGLE_CODER, DISPUTED = "adjudicated", "agreed", "single", "disputed"


def _resolved_values(label_rows, adjudications: dict, key_prefix, cols: list[TaskColumns],
                     finished: frozenset = frozenset()) -> tuple[dict[int, tuple[list[str] | None, str]], str | None]:
    """{task_id: (option names or None, source)} for one item, and the latest edit time.

    An adjudication settles a task (source 'adjudicated'); else two or more coders who chose the same
    give it ('agreed'), one coder gives theirs ('single'); coders who differ leave it unsettled (None,
    'disputed'). A coder of a multiple-choice task is whoever chose one of its options, or finished the
    item (`finished`: status labelled or reviewed) choosing none. A task nobody coded is left out."""
    by_task: dict[int, dict[str, tuple]] = {}
    latest = None
    for _item, ann, task_id, oname, position, updated in label_rows:
        by_task.setdefault(task_id, {}).setdefault(ann, ())
        by_task[task_id][ann] += ((position, oname),)
        latest = max(latest or "", updated or "") or None
    for tc in cols:
        if tc.task.kind == MULTI and (tc.task.id in by_task or finished):
            per_ann = by_task.setdefault(tc.task.id, {})
            for ann in finished:
                per_ann.setdefault(ann, ())
    values: dict[int, tuple[list[str] | None, str]] = {}
    for task_id, per_ann in by_task.items():
        sets = {tuple(sorted(v)) for v in per_ann.values()}
        if len(sets) > 1:
            values[task_id] = (None, DISPUTED)
        else:
            values[task_id] = ([name for _, name in next(iter(sets))], AGREED if len(per_ann) > 1 else SINGLE_CODER)
    for (prefix, task_id), (names, updated) in adjudications.items():
        if prefix == key_prefix:
            values[task_id] = (names, ADJUDICATED_SOURCE)
            latest = max(latest or "", updated or "") or None
    return values, latest


def _adjudications(project: Project, level: str) -> dict:
    """{(item id, task_id): ([names], latest time)} of adjudicated labels; item = article or quote id."""
    item = "a.article_id" if level == "article" else "a.quote_id"
    where = "a.quote_id IS NULL" if level == "article" else "a.quote_id IS NOT NULL"
    out: dict = {}
    for item_id, task_id, name, updated in project.conn.execute(
        f"SELECT {item}, a.task_id, coalesce(o.name, a.value), a.updated_at FROM adjudications a "
        f"LEFT JOIN options o ON o.id = a.option_id WHERE {where} AND a.task_id IS NOT NULL "
        f"ORDER BY {item}, a.task_id, o.position, a.id"
    ):
        names, latest = out.setdefault((item_id, task_id), ([], None))
        if name:
            names.append(name)
        out[(item_id, task_id)] = (names, max(latest or "", updated or "") or None)
    return out


def _cells(cols: list[TaskColumns], values: dict[int, tuple[list[str] | None, str]], neutral: bool) -> list:
    """Per task: the value, its 0/1 option columns and its source. An unsettled task leaves them all
    empty: a 0 would read as 'coded, not this option'."""
    from annotator.core.csvsafe import neutralise as neut

    out: list = []
    for tc in cols:
        names, source = values.get(tc.task.id, (None, None))
        text = "; ".join(names) if names else None
        out.append(neut(text) if neutral else text)
        if tc.option_columns:
            chosen = set(names or ())
            out.extend(None if names is None else int(o.name in chosen)
                       for o in tc.task.options if o.id in tc.option_columns)
        out.append(source)
    return out


def _adjudicated_article_rows(project: Project, cols: list[TaskColumns], neutral: bool) -> Iterator[tuple]:
    from annotator.core.csvsafe import neutralise as neut

    n = neut if neutral else (lambda v: v)
    adjudicated = _adjudications(project, "article")
    by_article: dict = {}
    for (item_id, task_id), value in adjudicated.items():
        by_article.setdefault(item_id, {})[(item_id, task_id)] = value
    labels = project.conn.execute(
        "SELECT l.article_id, l.annotator, l.task_id, o.name, o.position, l.updated_at FROM labels l "
        "JOIN options o ON o.id = l.option_id WHERE l.quote_id IS NULL ORDER BY l.article_id"
    )
    grouped = {k: list(g) for k, g in groupby(stream(labels), key=lambda r: r[0])}
    finished: dict[int, set] = {}
    for article_id, who in project.conn.execute(
            "SELECT article_id, annotator FROM article_status WHERE status IN ('labelled', 'reviewed')"):
        finished.setdefault(article_id, set()).add(who)
    article_ids = sorted(set(grouped) | set(by_article))
    for article_id in article_ids:
        values, latest = _resolved_values(grouped.get(article_id, []), by_article.get(article_id, {}), article_id,
                                          cols, frozenset(finished.get(article_id, ())))
        a = project.conn.execute(
            "SELECT id, uid, title, outlet, published, url FROM articles WHERE id = ?", [article_id]).fetchone()
        yield (a[0], a[1], *(n(v) for v in a[2:]), ADJUDICATED, *_cells(cols, values, neutral), None, None, latest)


def _adjudicated_quote_rows(project: Project, cols: list[TaskColumns], neutral: bool,
                            include_unchecked: bool = False) -> Iterator[tuple]:
    """Quotes at least one annotator kept, with adjudicated (else agreed) labels and speaker."""
    from annotator.core.csvsafe import neutralise as neut

    n = neut if neutral else (lambda v: v)
    adjudicated = _adjudications(project, "quote")
    speakers = {
        quote_id: value for quote_id, value in project.conn.execute(
            "SELECT quote_id, value FROM adjudications WHERE task_id IS NULL AND quote_id IS NOT NULL ORDER BY id")
    }
    by_quote: dict = {}
    for (item_id, task_id), value in adjudicated.items():
        by_quote.setdefault(item_id, {})[(item_id, task_id)] = value
    labels = {k: list(g) for k, g in groupby(stream(project.conn.execute(
        "SELECT l.quote_id, l.annotator, l.task_id, o.name, o.position, l.updated_at FROM labels l "
        "JOIN options o ON o.id = l.option_id WHERE l.quote_id IS NOT NULL ORDER BY l.quote_id")), key=lambda r: r[0])}
    rows = Rows(column_names(load_scheme(project), "quote"),
                quote_rows(project, neutralise=False, include_unchecked=include_unchecked).rows)
    for quote_id, group in groupby(rows.rows, key=lambda r: r[1]):
        group = list(group)
        first = group[0]
        values, _ = _resolved_values(labels.get(quote_id, []), by_quote.get(quote_id, {}), quote_id, cols)
        entities = {(r[5], r[6], r[7]) for r in group}
        speaker, entity_id, entity_name = next(iter(entities)) if len(entities) == 1 else (None, None, None)
        if quote_id in speakers:
            speaker = speakers[quote_id]
            found = project.conn.execute("SELECT id, name FROM entities WHERE name = ? LIMIT 1", [speaker]).fetchone()
            entity_id, entity_name = found if found else (None, None)
        origins = {r[-1] for r in group}
        origin = "human" if origins == {"human"} else ("auto" if origins == {"auto"} else "confirmed")
        yield (first[0], quote_id, n(first[2]), first[3], first[4], n(speaker), entity_id, n(entity_name),
               first[8], n(first[9]), *_cells(cols, values, neutral), ADJUDICATED, origin)


# --- writing ------------------------------------------------------------------------------------


@dataclass
class ExportResult:
    path: Path
    rows: int
    columns: list[str]


def export_rows(project: Project, *, level: str = "article", annotator: str | None = None,
                adjudicated: bool = False, neutralise: bool = True, include_unchecked: bool = False) -> Rows:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    if level == "article":
        return article_rows(project, annotator=annotator, adjudicated=adjudicated, neutralise=neutralise)
    return quote_rows(project, annotator=annotator, adjudicated=adjudicated, neutralise=neutralise,
                      include_unchecked=include_unchecked)


def csv_lines(project: Project, *, level: str = "article", annotator: str | None = None,
              neutralise: bool = True, include_unchecked: bool = False) -> Rows:
    """The rows of `export_rows` as finished CSV lines (no line ending), each built by SQLite: what
    `csv.writer` would write for the same rows, without a Python object per cell."""
    plan = _LinePlan.make(project, level, annotator, neutralise, include_unchecked)
    return Rows(plan.columns, plan.lines(project))


@dataclass
class _LinePlan:
    """What every part of a CSV export shares: level, columns, whose rows, formula safety."""

    level: str
    columns: list[str]
    cols: list[TaskColumns]
    annotator: str | None
    neutral: bool
    names: list  # annotators (article level) or the people of `_quote_people` (quote level)
    unchecked: bool = False  # quote level: also the detections nobody checked

    @classmethod
    def make(cls, project: Project, level: str, annotator: str | None, neutral: bool,
             unchecked: bool = False) -> _LinePlan:
        if level not in LEVELS:
            raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
        scheme = load_scheme(project)
        names = _annotators(project) if level == "article" else _quote_people(project, annotator)
        return cls(level, column_names(scheme, level), task_columns(scheme, level), annotator, neutral, names,
                   unchecked)

    def recipe(self, project: Project, span: tuple[int | None, int | None] = (None, None)) -> dict | None:
        """The queries making the lines of the articles in `span` (None: no rows at all)."""
        if self.level == "article":
            return _article_recipe(self.cols, self.annotator, self.neutral, span, self.names)
        found = _quote_sql(project, self.cols, self.annotator, _Cells(self.neutral, lines=True), span, self.names,
                           self.unchecked)
        return None if found is None else {"level": "quote", "sql": found[0], "params": found[1],
                                           "neutral": self.neutral}

    def lines(self, project: Project) -> Iterator[str]:
        recipe = self.recipe(project)
        return iter(()) if recipe is None else export_part.clean_lines(project.conn, recipe)

    def spans(self, project: Project, parts: int, forced: bool = False) -> list[tuple[int | None, int | None]]:
        """Article-id ranges holding about equal shares of the rows (cut by labels, or by quotes),
        in order; one range when the export is small (unless `forced`)."""
        table = "labels INDEXED BY idx_labels_unique" if self.level == "article" \
            else "quotes INDEXED BY idx_quotes_article_id"
        total = project.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        rows = total if self.level == "article" else total * len(self.names)
        if parts < 2 or (rows < PARALLEL_MIN_ROWS and not forced):
            return [(None, None)]
        cuts: list[int] = []
        for k in range(1, parts):
            found = project.conn.execute(f"SELECT article_id FROM {table} ORDER BY article_id LIMIT 1 OFFSET ?",
                                         [total * k // parts]).fetchone()
            if found and (not cuts or found[0] > cuts[-1]):
                cuts.append(found[0])
        bounds = [None, *cuts, None]
        return list(zip(bounds[:-1], bounds[1:], strict=True))


PARALLEL_MIN_ROWS = 50_000  # labels or quote rows; below this starting processes would not pay


def _export_parts() -> tuple[int, bool]:
    """How many processes build a big CSV export at once: one a processor, at most four; and
    whether that was asked for (ANNOTATOR_EXPORT_PROCESSES: that many, for an export of any size)."""
    wanted = os.environ.get("ANNOTATOR_EXPORT_PROCESSES", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted), True
    return max(1, min(os.cpu_count() or 1, 4)), False


def _write_lines(project: Project, plan: _LinePlan, fh, tmp: Path, cancelled) -> int:
    """Write a CSV export's rows to `fh`; returns how many.

    A big export is cut into article-id ranges (`export_part`): this process writes the first
    straight to `fh`, child processes the others to files beside it, appended in order at the end.
    Every part reads from one snapshot: each begins reading while this process holds the write
    lock. If the parts cannot be started (a read-only file, no way to start a process), this
    process writes everything."""
    spans = plan.spans(project, *_export_parts()) if not project.copied else [(None, None)]
    recipes = [plan.recipe(project, span) for span in spans]
    if recipes[0] is None:
        return 0
    neutral = plan.neutral
    if len(spans) == 1:
        return export_part.write_lines(export_part.lines(project.conn, recipes[0]), fh, cancelled, neutral)
    sides = [tmp.with_name(f"{tmp.name}.{k}") for k in range(1, len(spans))]
    parts: list[export_part.Part] = []
    reader = export_part.open_reader(project.path)
    try:
        try:
            with project.write_lock():  # nothing commits until every part has its snapshot
                export_part.begin_snapshot(reader)
                for recipe, side in zip(recipes[1:], sides, strict=True):
                    parts.append(export_part.Part(project.path, recipe, side))
                for part in parts:
                    part.wait_ready()
        except (sqlite3.OperationalError, RuntimeError, OSError):
            for part in parts:
                part.close()
            parts = []
            if reader.in_transaction:
                reader.rollback()
            return export_part.write_lines(export_part.lines(project.conn, plan.recipe(project)), fh, cancelled,
                                           neutral)
        count = export_part.write_lines(export_part.lines(reader, recipes[0]), fh, cancelled, neutral)
        for part, side in zip(parts, sides, strict=True):
            count += part.result(cancelled)
            with open(side, encoding="utf-8", newline="") as piece:
                shutil.copyfileobj(piece, fh, 1 << 20)
        return count
    finally:
        for part in parts:
            part.close()
        reader.close()
        for side in sides:
            side.unlink(missing_ok=True)


def write_export(project: Project, out: str | Path, *, level: str = "article", annotator: str | None = None,
                 adjudicated: bool = False, fmt: str = "csv", excel: bool = False, neutralise: bool = True,
                 cancelled=None, include_unchecked: bool = False) -> ExportResult:
    """Write an export file (replacing it only once complete); returns how many rows it holds.
    Every CSV cell, header included, goes through `csv_cell` (control characters out, formulas
    neutralised unless `neutralise` is false); JSON lines are never neutralised (no spreadsheet
    opens them). `cancelled()` may stop it early. The file is written to a temporary beside it and
    renamed; temporaries a killed export left of the same file are removed first."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    out = Path(out)
    remove_leftovers(out)
    tmp = temporary_beside(out)
    lines = fmt == "csv" and not adjudicated
    if lines:
        plan = _LinePlan.make(project, level, annotator, neutralise, include_unchecked)
        columns = plan.columns
    else:
        # raw values: each CSV cell is made safe once, by csv_cell, as it is written
        rows = export_rows(project, level=level, annotator=annotator, adjudicated=adjudicated, neutralise=False,
                           include_unchecked=include_unchecked)
        columns = rows.columns
    count = 0
    try:
        with open(tmp, "w", encoding="utf-8-sig" if excel else "utf-8", newline="") as fh:
            if fmt == "csv":
                writer = csv.writer(fh, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
                writer.writerow([csv_cell(c, neutralise) for c in columns])
                if lines:
                    count = _write_lines(project, plan, fh, tmp, cancelled)
                else:
                    for chunk in export_part.chunks(rows.rows, cancelled):
                        writer.writerows([csv_cell(v, neutralise) for v in row] for row in chunk)
                        count += len(chunk)
            else:
                dumps = json.dumps
                for chunk in export_part.chunks(rows.rows, cancelled):
                    fh.write("".join(dumps(dict(zip(columns, r, strict=True)), ensure_ascii=False) + "\n"
                                     for r in chunk))
                    count += len(chunk)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return ExportResult(out, count, columns)
