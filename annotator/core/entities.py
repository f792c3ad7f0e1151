"""The entity registry: one row per source (person, organisation, place), its aliases, and the
links from speaker mentions and quotes to it.

Every change is one committed transaction. Changes a person may want to take back (rename, merge,
split, delete, a hand-made link) return a small record; the matching `undo_*` function takes that
record, so an undo stack calls one function to do and one to undo. Mistakes a user can make (an
empty name, deleting an entity still quoted) raise EntityError with a sentence to show.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from annotator.core.csvsafe import csv_cell, restore
from annotator.core.names import ENTITY_KINDS, entity_kind, normalise_name, split_title
from annotator.core.store import Project, utc_now
from annotator.core.tempfiles import remove_leftovers, temporary_beside
from annotator.core.validate import check_name

LINK_TABLES = ("mentions", "quotes")
CSV_COLUMNS = ("name", "kind", "aliases", "role")
ALIAS_SEPARATOR = "|"


class EntityError(Exception):
    """A change to the registry that cannot be made; the message says why, in a sentence."""


@dataclass
class Entity:
    id: int
    name: str
    kind: str
    role: str | None = None
    aliases: list[str] = field(default_factory=list)   # every other name, not the canonical one
    mentions: int = 0                                  # mentions linked to it
    quotes: int = 0                                    # quotes linked to it

    @property
    def links(self) -> int:
        return self.mentions + self.quotes

    def to_dict(self) -> dict:
        return {**asdict(self), "links": self.links}


# --- reading ------------------------------------------------------------------------------------


def _link_counts(project: Project, entity_id: int | None = None) -> dict[int, tuple[int, int]]:
    where, params = ("WHERE entity_id = ?", [entity_id]) if entity_id is not None else (
        "WHERE entity_id IS NOT NULL", [])
    counts: dict[int, list[int]] = {}
    for i, table in enumerate(LINK_TABLES):
        for eid, n in project.conn.execute(f"SELECT entity_id, count(*) FROM {table} {where} GROUP BY entity_id",
                                           params):
            counts.setdefault(eid, [0, 0])[i] = n
    return {eid: (m, q) for eid, (m, q) in counts.items()}


def list_entities(project: Project) -> list[Entity]:
    """Every entity with its aliases and link counts, most linked first."""
    counts = _link_counts(project)
    entities = {}
    for eid, name, norm, kind, role in project.conn.execute(
            "SELECT id, name, norm, kind, role FROM entities ORDER BY id"):
        m, q = counts.get(eid, (0, 0))
        entities[eid] = (Entity(eid, name, kind, role, [], m, q), norm)
    for eid, alias, norm in project.conn.execute("SELECT entity_id, alias, norm FROM aliases ORDER BY id"):
        entity, canonical = entities[eid]
        if norm != canonical:
            entity.aliases.append(alias)
    return sorted((e for e, _ in entities.values()), key=entity_order)


def entity_order(entity: Entity) -> tuple:
    """The order of `list_entities`: most linked first, then by name."""
    return (-entity.links, entity.name.casefold(), entity.id)


def get_entity(project: Project, entity_id: int) -> Entity | None:
    row = project.conn.execute("SELECT name, norm, kind, role FROM entities WHERE id = ?", [entity_id]).fetchone()
    if row is None:
        return None
    name, norm, kind, role = row
    aliases = [a for a, n in project.conn.execute(
        "SELECT alias, norm FROM aliases WHERE entity_id = ? ORDER BY id", [entity_id]) if n != norm]
    m, q = _link_counts(project, entity_id).get(entity_id, (0, 0))
    return Entity(entity_id, name, kind, role, aliases, m, q)


def _require(project: Project, entity_id: int) -> tuple[str, str, str, str | None]:
    row = project.conn.execute("SELECT name, norm, kind, role FROM entities WHERE id = ?", [entity_id]).fetchone()
    if row is None:
        raise EntityError(f"there is no entity {entity_id}")
    return row


def _clean_name(name: str, what: str = "entity") -> tuple[str, str]:
    name = " ".join((name or "").split())
    norm = normalise_name(name)
    if not norm:
        raise EntityError("an entity needs a name with at least one letter or digit")
    problem = check_name(name, what)
    if problem:
        raise EntityError(f"the {problem}")
    return name, norm


def _check_kind(kind: str | None) -> str:
    checked = entity_kind(kind, default="person")
    if checked is None:
        raise EntityError(f"unknown kind {kind!r}; use one of {', '.join(ENTITY_KINDS)}")
    return checked


# --- creating and editing -----------------------------------------------------------------------


def insert_entity(conn, name: str, norm: str, kind: str, role: str | None, aliases: Iterable[str] = (),
                  entity_id: int | None = None) -> int:
    """Insert an entity and its aliases (the canonical name is always one) inside an open transaction."""
    cur = conn.execute("INSERT INTO entities (id, name, norm, kind, role, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                       [entity_id, name, norm, kind, role, utc_now()])
    entity_id = cur.lastrowid
    add_alias_rows(conn, entity_id, [name, *aliases])
    return entity_id


def add_alias_rows(conn, entity_id: int, aliases: Iterable[str]) -> list[str]:
    """Add aliases an entity lacks (by normalised form) inside an open transaction; returns those added."""
    added = []
    for alias in aliases:
        alias = " ".join((alias or "").split())
        norm = normalise_name(alias)
        if not norm or check_name(alias, "alias"):  # rows read from files are checked before
            continue
        cur = conn.execute("INSERT OR IGNORE INTO aliases (entity_id, alias, norm) VALUES (?, ?, ?)",
                           [entity_id, alias, norm])
        if cur.rowcount:
            added.append(alias)
    return added


def create_entity(project: Project, name: str, kind: str = "person", role: str | None = None,
                  aliases: Iterable[str] = ()) -> int:
    """A new entity; returns its id."""
    name, norm = _clean_name(name)
    kind = _check_kind(kind)
    with project.write():
        return insert_entity(project.conn, name, norm, kind, role or None, aliases)


def entity_for_name(project: Project, name: str, kind: str = "person") -> int:
    """The entity a typed speaker name stands for: an entity or alias with the same normalised name
    (titles stripped: "Commerce Secretary Howard Lutnick" is Howard Lutnick), else a new entity
    with that name, the title kept as its role and the name as written as an alias."""
    written = " ".join((name or "").split())
    bare, role = split_title(written, kind)
    bare, norm = _clean_name(bare or written)
    kind = _check_kind(kind)
    written_norm = normalise_name(written)
    conn = project.conn
    with project.write():
        for sql, key in (("SELECT id FROM entities WHERE norm = ? ORDER BY id LIMIT 1", norm),
                         ("SELECT entity_id FROM aliases WHERE norm = ? ORDER BY id LIMIT 1", norm),
                         ("SELECT entity_id FROM aliases WHERE norm = ? ORDER BY id LIMIT 1", written_norm)):
            row = conn.execute(sql, [key]).fetchone()
            if row is not None:
                return row[0]
        return insert_entity(conn, bare, norm, kind, role, [written])


@dataclass
class RenameRecord:
    entity_id: int
    old_name: str
    new_name: str
    added_alias: bool   # whether the new name was not yet an alias


def rename_entity(project: Project, entity_id: int, name: str) -> RenameRecord:
    """Give an entity a new canonical name; the old name stays as an alias (articles wrote it)."""
    new_name, new_norm = _clean_name(name)
    with project.write():
        old_name, _, _, _ = _require(project, entity_id)
        project.conn.execute("UPDATE entities SET name = ?, norm = ? WHERE id = ?", [new_name, new_norm, entity_id])
        added = bool(add_alias_rows(project.conn, entity_id, [new_name]))
        if not added:  # same normalised form: show the new spelling as the alias too
            project.conn.execute("UPDATE aliases SET alias = ? WHERE entity_id = ? AND norm = ?",
                                 [new_name, entity_id, new_norm])
    return RenameRecord(entity_id, old_name, new_name, added)


def undo_rename(project: Project, record: RenameRecord) -> None:
    old_name, old_norm = _clean_name(record.old_name)
    with project.write():
        project.conn.execute("UPDATE entities SET name = ?, norm = ? WHERE id = ?",
                             [old_name, old_norm, record.entity_id])
        project.conn.execute("UPDATE aliases SET alias = ? WHERE entity_id = ? AND norm = ?",
                             [old_name, record.entity_id, old_norm])
        if record.added_alias:
            project.conn.execute("DELETE FROM aliases WHERE entity_id = ? AND norm = ?",
                                 [record.entity_id, normalise_name(record.new_name)])


def update_entity(project: Project, entity_id: int, *, kind: str | None = None, role: str | None = None
                  ) -> dict:
    """Change kind and/or role (role "" clears it); returns the previous values, to undo with the same call."""
    with project.write():
        _, _, old_kind, old_role = _require(project, entity_id)
        if kind is not None:
            project.conn.execute("UPDATE entities SET kind = ? WHERE id = ?", [_check_kind(kind), entity_id])
        if role is not None:
            project.conn.execute("UPDATE entities SET role = ? WHERE id = ?", [role or None, entity_id])
    return {"kind": old_kind, "role": old_role or ""}


def add_alias(project: Project, entity_id: int, alias: str) -> bool:
    """Add an alias; False when the entity already has it (compared normalised)."""
    _clean_name(alias, "alias")
    with project.write():
        _require(project, entity_id)
        return bool(add_alias_rows(project.conn, entity_id, [alias]))


def remove_alias(project: Project, entity_id: int, alias: str) -> bool:
    """Remove an alias; False when the entity has no such alias. The canonical name cannot be removed."""
    norm = normalise_name(alias)
    with project.write():
        _, canonical, _, _ = _require(project, entity_id)
        if norm == canonical:
            raise EntityError(f"{alias!r} is the entity's name; rename the entity before removing it")
        cur = project.conn.execute("DELETE FROM aliases WHERE entity_id = ? AND norm = ?", [entity_id, norm])
        return cur.rowcount > 0


def delete_entity(project: Project, entity_id: int) -> Entity:
    """Delete an entity nothing links to; returns it (for `restore_entity`). EntityError if linked."""
    with project.write():
        entity = get_entity(project, entity_id)
        if entity is None:
            raise EntityError(f"there is no entity {entity_id}")
        labels = project.conn.execute("SELECT count(*) FROM quote_labels WHERE entity_id = ?",
                                      [entity_id]).fetchone()[0]
        if entity.links or labels:
            parts = [f"{n} {what}" for n, what in ((entity.mentions, "mentions"), (entity.quotes, "quotes"),
                                                    (labels, "quote corrections")) if n]
            raise EntityError(f"{entity.name!r} is still linked from {', '.join(parts)}; merge it into "
                              "another entity or unlink those first")
        project.conn.execute("DELETE FROM aliases WHERE entity_id = ?", [entity_id])
        project.conn.execute("DELETE FROM entities WHERE id = ?", [entity_id])
    return entity


def restore_entity(project: Project, entity: Entity) -> None:
    """Put back an entity `delete_entity` removed, with the same id and aliases."""
    with project.write():
        insert_entity(project.conn, entity.name, normalise_name(entity.name), entity.kind, entity.role,
                      entity.aliases, entity_id=entity.id)


# --- links made by a person ---------------------------------------------------------------------


@dataclass
class LinkState:
    table: str
    row_id: int
    entity_id: int | None
    link_by: str | None
    link_score: float | None


def set_link(project: Project, table: str, row_id: int, entity_id: int | None, by: str,
             score: float | None = None) -> LinkState:
    """Link a mention or quote to an entity (None unlinks) as `by` (an annotator name, or "auto");
    returns the previous state, which `restore_link` puts back."""
    if table not in LINK_TABLES:
        raise ValueError(f"links live in {LINK_TABLES}, not {table!r}")
    with project.write():
        row = project.conn.execute(f"SELECT entity_id, link_by, link_score FROM {table} WHERE id = ?",
                                   [row_id]).fetchone()
        if row is None:
            raise EntityError(f"there is no {table[:-1]} {row_id}")
        if entity_id is not None:
            _require(project, entity_id)
        project.conn.execute(f"UPDATE {table} SET entity_id = ?, link_by = ?, link_score = ? WHERE id = ?",
                             [entity_id, by if entity_id is not None else None, score, row_id])
    return LinkState(table, row_id, *row)


def restore_link(project: Project, state: LinkState) -> None:
    if state.table not in LINK_TABLES:
        raise ValueError(f"links live in {LINK_TABLES}, not {state.table!r}")
    with project.write():
        project.conn.execute(f"UPDATE {state.table} SET entity_id = ?, link_by = ?, link_score = ? WHERE id = ?",
                             [state.entity_id, state.link_by, state.link_score, state.row_id])


def written_name(name: str | None, fallback: str | None, kind: str | None) -> tuple[str, str | None]:
    """The name a mention or quote gives its source, without title or role: (name, role)."""
    return split_title(name or fallback or "", kind)


# --- merge and split ----------------------------------------------------------------------------


def _ids_param(ids: Iterable[int]) -> str:
    return json.dumps(list(ids))


@dataclass
class MergeRecord:
    """What `merge_entities` changed, so that `undo_merge` can put every row back."""
    keep_id: int
    other: dict                      # the removed entity's row
    moved_alias_ids: list[int]
    dropped_aliases: list[dict]      # aliases the kept entity already had (same normalised form)
    mention_ids: list[int]
    quote_ids: list[int]
    quote_label_keys: list[list]     # [quote_id, annotator] of corrections naming the other entity
    keep_role_before: str | None
    role_filled: bool

    def to_dict(self) -> dict:
        return asdict(self)


def merge_entities(project: Project, keep_id: int, other_id: int) -> MergeRecord:
    """Fold `other_id` into `keep_id`: its aliases and every link move, then it is removed."""
    if keep_id == other_id:
        raise EntityError("an entity cannot be merged with itself")
    conn = project.conn
    with project.write():
        _, _, _, keep_role = _require(project, keep_id)
        _require(project, other_id)
        other = dict(zip(("id", "name", "norm", "kind", "role", "created_at"), conn.execute(
            "SELECT id, name, norm, kind, role, created_at FROM entities WHERE id = ?", [other_id]).fetchone(),
            strict=True))
        keep_norms = {n for (n,) in conn.execute("SELECT norm FROM aliases WHERE entity_id = ?", [keep_id])}
        moved, dropped = [], []
        for alias_id, alias, norm in conn.execute(
                "SELECT id, alias, norm FROM aliases WHERE entity_id = ? ORDER BY id", [other_id]).fetchall():
            if norm in keep_norms:
                dropped.append({"id": alias_id, "alias": alias, "norm": norm})
            else:
                moved.append(alias_id)
                keep_norms.add(norm)
        conn.execute("DELETE FROM aliases WHERE id IN (SELECT value FROM json_each(?))",
                     [_ids_param(a["id"] for a in dropped)])
        conn.execute("UPDATE aliases SET entity_id = ? WHERE entity_id = ?", [keep_id, other_id])
        moved_links = {}
        for table in LINK_TABLES:
            moved_links[table] = [i for (i,) in conn.execute(
                f"SELECT id FROM {table} WHERE entity_id = ? ORDER BY id", [other_id])]
            conn.execute(f"UPDATE {table} SET entity_id = ? WHERE entity_id = ?", [keep_id, other_id])
        label_keys = [list(k) for k in conn.execute(
            "SELECT quote_id, annotator FROM quote_labels WHERE entity_id = ?", [other_id])]
        conn.execute("UPDATE quote_labels SET entity_id = ? WHERE entity_id = ?", [keep_id, other_id])
        role_filled = not keep_role and bool(other["role"])
        if role_filled:
            conn.execute("UPDATE entities SET role = ? WHERE id = ?", [other["role"], keep_id])
        conn.execute("DELETE FROM entities WHERE id = ?", [other_id])
    return MergeRecord(keep_id, other, moved, dropped, moved_links["mentions"], moved_links["quotes"],
                       label_keys, keep_role, role_filled)


def undo_merge(project: Project, record: MergeRecord) -> None:
    """Bring the merged-away entity back with its id, aliases and links."""
    conn = project.conn
    other = record.other
    with project.write():
        conn.execute("INSERT INTO entities (id, name, norm, kind, role, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                     [other["id"], other["name"], other["norm"], other["kind"], other["role"], other["created_at"]])
        conn.execute("UPDATE aliases SET entity_id = ? WHERE id IN (SELECT value FROM json_each(?))",
                     [other["id"], _ids_param(record.moved_alias_ids)])
        conn.executemany("INSERT OR IGNORE INTO aliases (id, entity_id, alias, norm) VALUES (?, ?, ?, ?)",
                         [[a["id"], other["id"], a["alias"], a["norm"]] for a in record.dropped_aliases])
        for table, ids in (("mentions", record.mention_ids), ("quotes", record.quote_ids)):
            conn.execute(f"UPDATE {table} SET entity_id = ? WHERE entity_id = ? AND id IN "
                         "(SELECT value FROM json_each(?))", [other["id"], record.keep_id, _ids_param(ids)])
        conn.executemany("UPDATE quote_labels SET entity_id = ? WHERE quote_id = ? AND annotator = ?",
                         [[other["id"], q, a] for q, a in record.quote_label_keys])
        if record.role_filled:
            conn.execute("UPDATE entities SET role = ? WHERE id = ?", [record.keep_role_before, record.keep_id])


@dataclass
class SplitRecord:
    """What `split_alias` changed, for `undo_split`."""
    source_id: int
    new_entity_id: int
    alias: str
    alias_id: int
    mention_ids: list[int]
    quote_ids: list[int]

    def to_dict(self) -> dict:
        return asdict(self)


def split_alias(project: Project, entity_id: int, alias: str, kind: str | None = None) -> SplitRecord:
    """Make a wrongly merged alias its own entity; the mentions and quotes that wrote that name move to it."""
    norm = normalise_name(alias)
    conn = project.conn
    with project.write():
        _, canonical, source_kind, _ = _require(project, entity_id)
        if norm == canonical:
            raise EntityError(f"{alias!r} is the entity's own name; split off one of its other aliases")
        row = conn.execute("SELECT id, alias FROM aliases WHERE entity_id = ? AND norm = ?", [entity_id, norm]
                           ).fetchone()
        if row is None:
            raise EntityError(f"entity {entity_id} has no alias {alias!r}")
        alias_id, written = row
        new_kind = _check_kind(kind) if kind else source_kind
        new_id = conn.execute("INSERT INTO entities (name, norm, kind, created_at) VALUES (?, ?, ?, ?)",
                              [written, norm, new_kind, utc_now()]).lastrowid
        conn.execute("UPDATE aliases SET entity_id = ? WHERE id = ?", [new_id, alias_id])
        mention_ids = [mid for mid, name, text, mkind in conn.execute(
            "SELECT id, name, text, kind FROM mentions WHERE entity_id = ?", [entity_id]).fetchall()
            if normalise_name(written_name(name, text, mkind)[0]) == norm]
        moved_mentions = set(mention_ids)
        quote_ids = [qid for qid, speaker, skind, mention_id in conn.execute(
            "SELECT id, speaker, speaker_kind, mention_id FROM quotes WHERE entity_id = ?", [entity_id]).fetchall()
            if mention_id in moved_mentions or normalise_name(written_name(speaker, None, skind)[0]) == norm]
        for table, ids in (("mentions", mention_ids), ("quotes", quote_ids)):
            conn.execute(f"UPDATE {table} SET entity_id = ? WHERE id IN (SELECT value FROM json_each(?))",
                         [new_id, _ids_param(ids)])
    return SplitRecord(entity_id, new_id, written, alias_id, mention_ids, quote_ids)


def undo_split(project: Project, record: SplitRecord) -> None:
    conn = project.conn
    with project.write():
        for table, ids in (("mentions", record.mention_ids), ("quotes", record.quote_ids)):
            conn.execute(f"UPDATE {table} SET entity_id = ? WHERE entity_id = ? AND id IN "
                         "(SELECT value FROM json_each(?))", [record.source_id, record.new_entity_id, _ids_param(ids)])
        # Links made to the split-off entity since then follow it back rather than block the undo.
        for table in LINK_TABLES:
            conn.execute(f"UPDATE {table} SET entity_id = ? WHERE entity_id = ?",
                         [record.source_id, record.new_entity_id])
        conn.execute("UPDATE quote_labels SET entity_id = ? WHERE entity_id = ?",
                     [record.source_id, record.new_entity_id])
        conn.execute("UPDATE aliases SET entity_id = ? WHERE id = ?", [record.source_id, record.alias_id])
        conn.execute("DELETE FROM aliases WHERE entity_id = ?", [record.new_entity_id])
        conn.execute("DELETE FROM entities WHERE id = ?", [record.new_entity_id])


# --- CSV lists of entities ----------------------------------------------------------------------


@dataclass
class RowProblem:
    row: int        # spreadsheet row: the header is row 1
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.message}" if self.row else self.message


@dataclass
class EntityImportReport:
    path: str
    created: int = 0
    updated: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.problems:
            return (f"{self.path}: nothing imported, {len(self.problems)} "
                    f"row{'s' if len(self.problems) != 1 else ''} to fix")
        return f"{self.path}: {self.created} entities created, {self.updated} updated"

    def to_dict(self) -> dict:
        return {"path": self.path, "created": self.created, "updated": self.updated,
                "problems": [asdict(p) for p in self.problems]}


MAX_LIST_BYTES = 64 * 2**20


def _read_entity_rows(path: Path) -> tuple[list[tuple[int, str, str, list[str], str | None]], list[RowProblem]]:
    try:
        if path.stat().st_size > MAX_LIST_BYTES:
            return [], [RowProblem(0, f"{path}: more than {MAX_LIST_BYTES // 2**20} MB; not an entity list")]
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        return [], [RowProblem(0, f"{path}: cannot be read ({exc.strerror or exc})")]
    except UnicodeDecodeError as exc:
        return [], [RowProblem(0, f"{path}: not UTF-8 text (byte {exc.start}); save it as CSV UTF-8")]
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip().casefold() for h in next(reader, [])]
    if "name" not in header:
        return [], [RowProblem(1, "the header row needs a 'name' column (columns: name, kind, aliases, role)")]
    col = {name: header.index(name) for name in CSV_COLUMNS if name in header}
    rows, problems = [], []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            problems.append(RowProblem(number, f"{len(cells)} cells but the header has {len(header)} columns"))
            continue
        values = {key: restore(cells[i]).strip() if i < len(cells) else "" for key, i in col.items()}
        name = " ".join(values.get("name", "").split())
        if not normalise_name(name):
            problems.append(RowProblem(number, "the name is empty"))
            continue
        bad = check_name(name, "entity") or next(
            (check_name(a.strip(), "alias") for a in values.get("aliases", "").split(ALIAS_SEPARATOR)
             if a.strip() and check_name(a.strip(), "alias")), None)
        if bad:
            problems.append(RowProblem(number, f"the {bad}"))
            continue
        kind = entity_kind(values.get("kind"), default="person")
        if kind is None:
            problems.append(RowProblem(number, f"unknown kind {values['kind']!r} (use {', '.join(ENTITY_KINDS)})"))
            continue
        aliases = [a.strip() for a in values.get("aliases", "").split(ALIAS_SEPARATOR) if normalise_name(a)]
        rows.append((number, name, kind, aliases, values.get("role") or None))
    return rows, problems


def import_entities_csv(project: Project, path: str | Path) -> EntityImportReport:
    """Add entities from a CSV list (name, kind, aliases separated by |, optional role). A name that is
    already an entity's name gains the row's aliases. Any bad row: nothing is imported."""
    path = Path(path)
    report = EntityImportReport(str(path))
    rows, report.problems = _read_entity_rows(path)
    if report.problems:
        return report
    conn = project.conn
    with project.write():
        by_norm = {norm: eid for eid, norm in conn.execute("SELECT id, norm FROM entities ORDER BY id DESC")}
        for _, name, kind, aliases, role in rows:
            norm = normalise_name(name)
            eid = by_norm.get(norm)
            if eid is None:
                by_norm[norm] = insert_entity(conn, name, norm, kind, role, aliases)
                report.created += 1
            else:
                add_alias_rows(conn, eid, aliases)
                if role:
                    conn.execute("UPDATE entities SET role = coalesce(role, ?) WHERE id = ?", [role, eid])
                report.updated += 1
    return report


def export_entities_csv(project: Project, path: str | Path) -> int:
    """Write every entity as a CSV row in the shape `import_entities_csv` reads; returns the row count.
    Cells go through `csv_cell` (a name like '=HYPERLINK(...)' gets a leading quote, which
    `import_entities_csv` takes off again); the file is replaced only once complete."""
    entities = list_entities(project)
    path = Path(path)
    remove_leftovers(path)
    tmp = temporary_beside(path)
    try:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow([csv_cell(c) for c in CSV_COLUMNS])
            for e in sorted(entities, key=lambda e: e.id):
                writer.writerow([csv_cell(c) for c in (e.name, e.kind, ALIAS_SEPARATOR.join(e.aliases), e.role or "")])
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return len(entities)
