"""Auto-linking: every speaker mention and quote of an article to one entity per source.

Within an article, a surname or short form joins the full name written there ("Bruce" after
"Tammy Bruce"). Across the corpus, a name joins an entity by exact alias, else by rapidfuzz
similarity (score kept in link_score), else it becomes a new entity. Only links made by the linker
(link_by = 'auto') are ever rewritten; a link a person made is kept and steers its article's cluster.
"""

from __future__ import annotations

import weakref
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass

from annotator.core.entities import add_alias_rows, insert_entity
from annotator.core.names import NOT_NAMES, initials, link_names, normalise_name  # noqa: F401 (NOT_NAMES)
from annotator.core.store import Project
from annotator.core.suggest import IndexRow, SuggestIndex

AUTO = "auto"
FUZZY_LINK_SCORE = 92.0   # fuzz.ratio on normalised names: "Howard Lutnik" ~ "Howard Lutnick" is 96,
# "Tammy Brice" ~ "Tammy Bruce" only 91 (short names differing by a letter are often two people)
EXACT_SCORE = 100.0
_JOINERS = frozenset({"of", "the", "and", "for", "de", "la", "du"})
# Kinds that may share an entity: "other" (the detector was unsure) goes with anything.
_COMPATIBLE = {"person": ("person", "other"), "organisation": ("organisation", "other"),
               "place": ("place", "other"), "other": ("person", "organisation", "place", "other")}


@dataclass
class LinkReport:
    articles: int = 0
    linked: int = 0      # mention and quote rows given (or confirmed in) an auto link
    exact: int = 0       # name groups matched by an exact alias
    fuzzy: int = 0       # ... by similarity
    created: int = 0     # ... that became new entities
    kept: int = 0        # rows linked by a person, left as they were

    def add(self, other: LinkReport) -> None:
        for key, value in asdict(other).items():
            setattr(self, key, getattr(self, key) + value)

    def to_dict(self) -> dict:
        return asdict(self)


class Linker:
    """Aliases of every entity in memory, for linking many articles without re-reading them.

    Hold one across calls of `link_article` (link_all does); it learns the entities it creates.
    """

    def __init__(self, project: Project):
        self.fingerprint = _fingerprint(project)
        self.by_alias: dict[str, list[int]] = {}
        self.canonical: dict[int, str] = {}
        self.kinds: dict[int, str] = {}
        self.norms_of: dict[int, list[str]] = {}
        for eid, norm, kind in project.conn.execute("SELECT id, norm, kind FROM entities"):
            self.canonical[eid] = norm
            self.kinds[eid] = kind
            self.norms_of[eid] = [norm]
        for eid, norm in project.conn.execute("SELECT entity_id, norm FROM aliases ORDER BY id"):
            self.by_alias.setdefault(norm, []).append(eid)
            if eid in self.norms_of:
                self.norms_of[eid].append(norm)
        self._index: SuggestIndex | None = None

    def index(self) -> SuggestIndex:
        """The fuzzy index, built on the first name no alias matches exactly."""
        if self._index is None:
            self._index = SuggestIndex.build(
                IndexRow(eid, self.canonical[eid], self.kinds[eid], [(n, n) for n in norms])
                for eid, norms in self.norms_of.items())
        return self._index

    def resolve(self, norms: list[str], kind: str) -> tuple[int | None, float, str, int]:
        """(entity id, score, how, words of role before the name) for a group of names, longest first;
        (None, 0, "new", 0) if none fits."""
        allowed = _COMPATIBLE[kind]
        for norm in norms:
            eids = [e for e in self.by_alias.get(norm, ()) if self.kinds.get(e) in allowed]
            if not eids:
                continue
            named = [e for e in eids if self.canonical.get(e) == norm]
            if named:
                return min(named), EXACT_SCORE, "exact", 0
            if len(set(eids)) == 1:
                return eids[0], EXACT_SCORE, "exact", 0
        # "harbour master marisol quennell": an unknown role before a known full name.
        for norm in norms:
            words = norm.split()
            for cut in range(1, len(words) - 1):
                eids = {e for e in self.by_alias.get(" ".join(words[cut:]), ()) if self.kinds.get(e) in allowed}
                if len(eids) == 1:
                    return eids.pop(), EXACT_SCORE, "suffix", cut
        best = norms[0]
        if len(best.split()) >= 2:
            found = self.index().best_match(best, FUZZY_LINK_SCORE, allowed)
            if found is not None:
                return found[0], round(found[1], 1), "fuzzy", 0
        return None, 0.0, "new", 0

    def learn(self, entity_id: int, kind: str, canonical: str | None, norms: list[str]) -> None:
        """Take in an entity just created (with its canonical name) or aliases just added to one."""
        if canonical is not None:
            self.canonical[entity_id] = canonical
            self.kinds[entity_id] = kind
            self.norms_of[entity_id] = [canonical]
        known = self.norms_of.setdefault(entity_id, [])
        for norm in norms:
            bucket = self.by_alias.setdefault(norm, [])
            if entity_id not in bucket:
                bucket.append(entity_id)
            if norm not in known:
                known.append(norm)
        if self._index is not None and entity_id in self.canonical:
            self._index.add_entity(entity_id, self.canonical[entity_id], self.kinds[entity_id], known)


class _StaleLinker(Exception):
    """The Linker named an entity that is gone (merged or deleted since it read the registry)."""


def _fingerprint(project: Project) -> tuple:
    """Cheap signs that the registry changed: other connections' commits, and new rows here.
    Merges and deletes on this connection are caught when a linked id turns out to be gone."""
    conn = project.conn
    return (conn.execute("PRAGMA data_version").fetchone()[0],
            conn.execute("SELECT max(id) FROM entities").fetchone()[0],
            conn.execute("SELECT max(id) FROM aliases").fetchone()[0])


_linkers: weakref.WeakKeyDictionary[Project, Linker] = weakref.WeakKeyDictionary()


def linker_for(project: Project) -> Linker:
    """The project's cached Linker, re-read when entities changed since it was made."""
    linker = _linkers.get(project)
    if linker is None or linker.fingerprint != _fingerprint(project):
        linker = _linkers[project] = Linker(project)
    return linker


@dataclass
class _Item:
    table: str
    row_id: int
    name: str
    norm: str
    kind: str
    role: str | None
    pos: int
    entity_id: int | None
    link_by: str | None
    mention_id: int | None = None
    upper: bool = False   # written in capitals ("WHO"), a candidate acronym

    @property
    def by_person(self) -> bool:
        return self.entity_id is not None and self.link_by not in (None, AUTO)


def _article_items(project: Project, article_id: int) -> list[_Item]:
    items = []
    conn = project.conn
    for rid, start, text, name, kind, role, eid, by in conn.execute(
            "SELECT id, start, text, name, kind, role, entity_id, link_by FROM mentions WHERE article_id = ? "
            "ORDER BY start", [article_id]):
        items.append(_make_item("mentions", rid, name, text, kind, role, start, eid, by))
    for rid, start, sstart, speaker, kind, role, mention_id, eid, by in conn.execute(
            "SELECT id, start, speaker_start, speaker, speaker_kind, speaker_role, mention_id, entity_id, link_by "
            "FROM quotes WHERE article_id = ? ORDER BY start", [article_id]):
        item = _make_item("quotes", rid, speaker, None, kind, role, sstart if sstart is not None else start, eid, by)
        item.mention_id = mention_id
        items.append(item)
    return items


def _make_item(table, rid, name, fallback, kind, role, pos, eid, by) -> _Item:
    return new_item(table, rid, link_names(name, fallback, kind, role), pos, eid, by)


def new_item(table: str, rid: int, names: tuple, pos: int | None, eid: int | None = None,
             by: str | None = None, mention_id: int | None = None) -> _Item:
    """An item to link from `link_names(...)` of its name (worked out where the detection ran)."""
    display, norm, kind, role, upper = names
    return _Item(table, rid, display, norm, kind, role, pos or 0, eid, by, mention_id, upper)


def _is_short_form(short: list[str], full: list[str]) -> bool:
    """"bruce" of "tammy bruce", "tammy" of "tammy bruce", "lutnick" of "howard w lutnick"."""
    if len(short) >= len(full):
        return False
    it = iter(full)
    return all(word in it for word in short)


def _acronym(full: list[str]) -> str:
    return initials(" ".join(w for w in full if w not in _JOINERS))


def cluster_items(items: list[_Item]) -> list[list[_Item]]:
    """Group an article's names into one group per source."""
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    first_of_norm: dict[str, int] = {}
    for i, item in enumerate(items):
        if item.norm:
            if item.norm in first_of_norm:
                union(i, first_of_norm[item.norm])
            else:
                first_of_norm[item.norm] = i
    mention_index = {it.row_id: i for i, it in enumerate(items) if it.table == "mentions"}
    for i, item in enumerate(items):
        j = mention_index.get(item.mention_id) if item.mention_id is not None else None
        if j is None:
            continue
        a, b = item.norm.split(), items[j].norm.split()
        if not a or not b or a == b or _is_short_form(a, b) or _is_short_form(b, a):
            union(i, j)
    # Short forms join the longer name they are part of; when two fit, the one written nearest before.
    norms = sorted(first_of_norm, key=lambda n: -len(n.split()))
    for k, short in enumerate(norms):
        s_words, s_item = short.split(), items[first_of_norm[short]]
        fits = []
        for full in norms[:k]:
            f_words, f_item = full.split(), items[first_of_norm[full]]
            if s_item.kind != "other" and f_item.kind != "other" and s_item.kind != f_item.kind:
                continue
            if _is_short_form(s_words, f_words) or (
                    s_item.upper and len(short) >= 2 and len(f_words) >= 2 and _acronym(f_words) == short):
                fits.append(first_of_norm[full])
        roots = {find(j) for j in fits}
        if len(roots) == 1:
            union(first_of_norm[short], fits[0])
        elif roots:
            before = [j for j in fits if items[j].pos <= s_item.pos]
            nearest = max(before, key=lambda j: items[j].pos) if before else min(fits, key=lambda j: items[j].pos)
            union(first_of_norm[short], nearest)
    groups: dict[int, list[_Item]] = {}
    for i, item in enumerate(items):
        groups.setdefault(find(i), []).append(item)
    return [g for g in groups.values() if any(it.norm for it in g) or any(it.by_person for it in g)]


def _drop_role_forms(named: list[_Item]) -> tuple[list[_Item], str | None]:
    """Names longest first, without those that are a role plus another name of the group
    ("Harbour Master Marisol Quennell" beside "Marisol Quennell"), and the role words so dropped."""
    kept, role = [], None
    for it in named:
        words = it.norm.split()
        shorter = next((o for o in named if 2 <= len(o.norm.split()) < len(words)
                        and words[-len(o.norm.split()):] == o.norm.split()), None)
        if shorter is None:
            kept.append(it)
        elif role is None:
            role = " ".join(it.name.split()[:len(words) - len(shorter.norm.split())]) or None
    return kept or named, role


def _group_kind(group: list[_Item]) -> str:
    kinds = Counter(it.kind for it in group if it.norm and it.kind != "other")
    return kinds.most_common(1)[0][0] if kinds else "other"


def link_article(project: Project, article_id: int, linker: Linker | None = None) -> LinkReport:
    """Link one article's mentions and quotes to entities, in one transaction. Pass a Linker when
    linking many articles; without one, the project's cached Linker is used (re-read if stale)."""
    linker = linker or linker_for(project)
    report = LinkReport(articles=1)
    for attempt in (1, 2):
        try:
            with project.write():
                _link_in_transaction(project, article_id, linker, report)
            break
        except _StaleLinker:
            if attempt == 2:
                raise
            linker.__init__(project)
            report = LinkReport(articles=1)
        except BaseException:
            _linkers.pop(project, None)  # it may have learnt entities that were rolled back
            raise
    linker.fingerprint = _fingerprint(project)
    return report


def _link_in_transaction(project: Project, article_id: int, linker: Linker, report: LinkReport) -> None:
    conn = project.conn
    items = _article_items(project, article_id)
    groups, decided = _decide_links(conn, items, linker, report)
    updates = [(it.table, eid, AUTO, score, it.row_id) for it, (eid, score) in zip(items, decided, strict=True)
               if eid is not None]
    grouped = {id(it) for g in groups for it in g}
    for it in items:  # auto links on rows that no longer name anyone are cleared
        if id(it) not in grouped and it.link_by == AUTO:
            updates.append((it.table, None, None, None, it.row_id))
    for table in ("mentions", "quotes"):
        rows = [u[1:] for u in updates if u[0] == table]
        conn.executemany(f"UPDATE {table} SET entity_id = ?, link_by = ?, link_score = ? WHERE id = ? "
                         "AND (link_by IS NULL OR link_by = 'auto')", rows)


def _decide_links(conn, items: list[_Item], linker: Linker,
                  report: LinkReport) -> tuple[list[list[_Item]], list[tuple[int | None, float | None]]]:
    """Group an article's items by source and find (or make) each group's entity; returns the groups
    and, per item, the (entity id, score) of the auto link it gets ((None, None): none, or a person's)."""
    groups = cluster_items(items)
    decided: dict[int, tuple[int, float]] = {}
    for group in groups:
        named = sorted({it.norm: it for it in group if it.norm}.values(),
                       key=lambda it: (-len(it.norm.split()), -len(it.norm)))
        named, unknown_roles = _drop_role_forms(named)
        kind = _group_kind(group)
        people = Counter(it.entity_id for it in group if it.by_person)
        if people:
            eid, score, how, role_words = people.most_common(1)[0][0], EXACT_SCORE, "person", 0
        elif named:
            eid, score, how, role_words = linker.resolve([it.norm for it in named], kind)
        else:
            continue
        if how == "new":
            head = named[0]
            role = next((it.role for it in group if it.role), None) or unknown_roles
            eid = insert_entity(conn, head.name, head.norm, kind, role, [it.name for it in named[1:]])
            linker.learn(eid, kind, head.norm, [it.norm for it in named])
            score = EXACT_SCORE
            report.created += 1
        else:
            if how != "person" and conn.execute("SELECT 1 FROM entities WHERE id = ?", [eid]).fetchone() is None:
                raise _StaleLinker(eid)
            if how == "exact":
                report.exact += 1
            elif how == "fuzzy":
                report.fuzzy += 1
            role = next((it.role for it in group if it.role), None) or unknown_roles
            if how == "suffix":  # the role-and-name form is no alias; the shorter forms are
                head = named[0]
                role = role or " ".join(head.name.split()[:role_words]) or None
                named = named[1:]
            if role:
                conn.execute("UPDATE entities SET role = ? WHERE id = ? AND role IS NULL", [role, eid])
            added = add_alias_rows(conn, eid, [it.name for it in named])
            if added:
                linker.learn(eid, linker.kinds.get(eid, kind), None, [normalise_name(a) for a in added])
        for it in group:
            if it.by_person:
                report.kept += 1
            else:
                decided[id(it)] = (eid, score)
                report.linked += 1
    return groups, [decided.get(id(it), (None, None)) for it in items]


def link_new_items(project: Project, items: list[_Item], linker: Linker, report: LinkReport) -> list[tuple]:
    """The (entity id, score) each item of a just-detected article links to ((None, None): none), the
    entities and aliases made as link_article makes them, in one savepoint of the caller's transaction;
    the caller stores the rows with their links (no second pass over them)."""
    for attempt in (1, 2):
        counted = LinkReport(articles=1)
        try:
            with project.write():
                _, decided = _decide_links(project.conn, items, linker, counted)
            report.add(counted)
            return decided
        except _StaleLinker:
            if attempt == 2:
                raise
            linker.__init__(project)
        except BaseException:
            _linkers.pop(project, None)  # it may have learnt entities that were rolled back
            raise
    return []


def link_all(project: Project, progress: Callable[[int, int], None] | None = None) -> LinkReport:
    """Auto-link every article; `progress(done, total)` after each. One transaction per article."""
    linker = linker_for(project)
    article_ids = [r[0] for r in project.conn.execute(
        "SELECT DISTINCT article_id FROM mentions UNION SELECT DISTINCT article_id FROM quotes ORDER BY 1")]
    report = LinkReport()
    for done, article_id in enumerate(article_ids, start=1):
        report.add(link_article(project, article_id, linker))
        if progress:
            progress(done, len(article_ids))
    return report
