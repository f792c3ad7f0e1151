"""What auto-linking decides of one article without the entity registry: its names grouped by source.

Pure (no database): the import's reader processes run it beside detection, so the process that
stores only looks each group up in the registry (annotator.core.linking).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from annotator.core.names import initials

AUTO = "auto"
_JOINERS = frozenset({"of", "the", "and", "for", "de", "la", "du"})


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


class GroupPlan(NamedTuple):   # a tuple: sent from the reader processes, it unpickles fast
    """One group of an article's names (one source), as linking reads it before the registry."""
    members: tuple[int, ...]     # indexes of the group's items in the article's list
    norms: tuple[str, ...]       # its names, longest first, role-and-name forms dropped
    names: tuple[str, ...]       # ... as written
    kind: str
    role: str | None             # the first role a member gives, else the role words dropped
    person: int | None           # the entity a person linked most of its members to


def plan_links(items: list[_Item]) -> list[GroupPlan]:
    """The groups of an article's items (cluster_items), each with what linking needs of it."""
    index = {id(it): i for i, it in enumerate(items)}
    plans = []
    for group in cluster_items(items):
        named = sorted({it.norm: it for it in group if it.norm}.values(),
                       key=lambda it: (-len(it.norm.split()), -len(it.norm)))
        named, unknown_roles = _drop_role_forms(named)
        people = Counter(it.entity_id for it in group if it.by_person)
        plans.append(GroupPlan(
            tuple(index[id(it)] for it in group), tuple(it.norm for it in named), tuple(it.name for it in named),
            _group_kind(group), next((it.role for it in group if it.role), None) or unknown_roles,
            people.most_common(1)[0][0] if people else None))
    return plans


def detection_items(detection, mention_names: list[tuple], speaker_names: list[tuple]):
    """The rows a just-detected article stores, in the order link_article reads them, as items to link:
    (mentions: [(mention, names)] one a span, quotes: [(quote, names)] by start, quote_mention: the
    index in mentions of each quote's speaker mention or None, items)."""
    mentions, where = [], {}
    for m, names in zip(detection.mentions, mention_names, strict=True):
        if (m.start, m.end) not in where:   # one mention a span, as store_detection keeps them
            where[(m.start, m.end)] = len(mentions)
            mentions.append((m, names))
    quotes = sorted(zip(detection.quotes, speaker_names, strict=True), key=lambda pair: pair[0].start)
    quote_mention = [where.get((q.speaker_start, q.speaker_end)) if q.speaker_start is not None else None
                     for q, _ in quotes]
    items = [new_item("mentions", k, names, m.start) for k, (m, names) in enumerate(mentions)]
    items += [new_item("quotes", k, names, q.speaker_start if q.speaker_start is not None else q.start,
                       mention_id=quote_mention[k]) for k, (q, names) in enumerate(quotes)]
    return mentions, quotes, quote_mention, items
