"""Auto-linking: every speaker mention and quote of an article to one entity per source.

Within an article, a surname or short form joins the full name written there ("Bruce" after
"Tammy Bruce"). Across the corpus, a name joins an entity by exact alias, else by rapidfuzz
similarity (score kept in link_score), else it becomes a new entity. Only links made by the linker
(link_by = 'auto') are ever rewritten; a link a person made is kept and steers its article's cluster.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import asdict, dataclass

from annotator.core.entities import add_alias_rows, insert_entity
from annotator.core.link_plan import (  # noqa: F401 (re-exported: the pure part of linking lives there)
    AUTO, GroupPlan, _acronym, _drop_role_forms, _group_kind, _is_short_form, _Item, cluster_items, new_item,
    plan_links,
)
from annotator.core.names import NOT_NAMES, link_names, normalise_name  # noqa: F401 (NOT_NAMES)
from annotator.core.store import Project
from annotator.core.suggest import IndexRow, SuggestIndex

FUZZY_LINK_SCORE = 92.0   # fuzz.ratio on normalised names: "Howard Lutnik" ~ "Howard Lutnick" is 96,
# "Tammy Brice" ~ "Tammy Bruce" only 91 (short names differing by a letter are often two people)
EXACT_SCORE = 100.0
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
    plans, decided = _decide_links(conn, items, linker, report)
    updates = [(it.table, eid, AUTO, score, it.row_id) for it, (eid, score) in zip(items, decided, strict=True)
               if eid is not None]
    grouped = {i for plan in plans for i in plan.members}
    for i, it in enumerate(items):  # auto links on rows that no longer name anyone are cleared
        if i not in grouped and it.link_by == AUTO:
            updates.append((it.table, None, None, None, it.row_id))
    for table in ("mentions", "quotes"):
        rows = [u[1:] for u in updates if u[0] == table]
        conn.executemany(f"UPDATE {table} SET entity_id = ?, link_by = ?, link_score = ? WHERE id = ? "
                         "AND (link_by IS NULL OR link_by = 'auto')", rows)


def _decide_links(conn, items: list[_Item], linker: Linker, report: LinkReport,
                  plans: list[GroupPlan] | None = None) -> tuple[list[GroupPlan], list[tuple[int | None, float | None]]]:
    """Group an article's items by source and find (or make) each group's entity; returns the groups
    and, per item, the (entity id, score) of the auto link it gets ((None, None): none, or a person's).
    `plans`: plan_links(items), when it was worked out already (by the import's reader processes)."""
    plans = plan_links(items) if plans is None else plans
    decided: list[tuple[int | None, float | None]] = [(None, None)] * len(items)
    for plan in plans:
        names, norms, kind, role = plan.names, plan.norms, plan.kind, plan.role
        if plan.person is not None:
            eid, score, how, role_words = plan.person, EXACT_SCORE, "person", 0
        elif norms:
            eid, score, how, role_words = linker.resolve(list(norms), kind)
        else:
            continue
        if how == "new":
            eid = insert_entity(conn, names[0], norms[0], kind, role, list(names[1:]))
            linker.learn(eid, kind, norms[0], list(norms))
            score = EXACT_SCORE
            report.created += 1
        else:
            if how != "person" and conn.execute("SELECT 1 FROM entities WHERE id = ?", [eid]).fetchone() is None:
                raise _StaleLinker(eid)
            if how == "exact":
                report.exact += 1
            elif how == "fuzzy":
                report.fuzzy += 1
            if how == "suffix":  # the role-and-name form is no alias; the shorter forms are
                role = role or " ".join(names[0].split()[:role_words]) or None
                names = names[1:]
            if role:
                conn.execute("UPDATE entities SET role = ? WHERE id = ? AND role IS NULL", [role, eid])
            added = add_alias_rows(conn, eid, list(names))
            if added:
                linker.learn(eid, linker.kinds.get(eid, kind), None, [normalise_name(a) for a in added])
        for i in plan.members:
            if items[i].by_person:
                report.kept += 1
            else:
                decided[i] = (eid, score)
                report.linked += 1
    return plans, decided


def link_new_items(project: Project, items: list[_Item], linker: Linker, report: LinkReport,
                   plans: list[GroupPlan] | None = None) -> list[tuple]:
    """The (entity id, score) each item of a just-detected article links to ((None, None): none), the
    entities and aliases made as link_article makes them, in one savepoint of the caller's transaction;
    the caller stores the rows with their links (no second pass over them). `plans`: plan_links(items)
    when the reader process worked it out."""
    for attempt in (1, 2):
        counted = LinkReport(articles=1)
        try:
            with project.write():
                _, decided = _decide_links(project.conn, items, linker, counted, plans)
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
