"""Entity suggestions while a person types: an in-memory index over canonical names and aliases.

Scoring 400,000 names with rapidfuzz takes tens to hundreds of milliseconds a keystroke, so the
index first narrows the candidates (word prefixes in a sorted word list, initials, and for a
mistyped word the words sharing its first letters) and rapidfuzz only ranks those few hundred. Prefix and initial matches rank
above fuzzy ones. The index is updatable (`add_entity`, `remove_entity`) so an editor need not
rebuild it after every change.
"""

from __future__ import annotations

import bisect
import gc
import heapq
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from rapidfuzz import fuzz, process

from annotator.core.names import initials, normalise_name

CANDIDATE_CAP = 300      # strings rapidfuzz ranks per query, at most
FUZZY_TOKEN_CAP = 40     # words like a mistyped one that bring candidates
WIDE_PREFIX_WORDS = 1_500   # a prefix starting more words than this is served from the weight order
SIMILAR_WORD_SCAN = 40_000  # at most this many words are compared with a mistyped one
MIN_FUZZY_SCORE = 55.0   # a typo-only match below this is noise
MATCH_NAMES = {3: "prefix", 2: "words", 1: "fuzzy"}


@dataclass(frozen=True)
class Suggestion:
    """One ranked entity: `alias` is the name or alias that matched, `match` how it matched."""
    entity_id: int
    name: str
    kind: str
    score: float
    alias: str
    match: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class IndexRow:
    """What the index needs of an entity; `names` are (as written, normalised) pairs, canonical first."""
    entity_id: int
    name: str
    kind: str
    names: list[tuple[str, str]]
    weight: int = 0


class SuggestIndex:
    """Names and aliases of every entity, searchable by prefix, initials and approximate words."""

    def __init__(self) -> None:
        self._sid_entity = array("i")         # string id -> entity id
        self._sid_text: list[str] = []        # string id -> name as written
        self._sid_norm: list[str] = []        # string id -> normalised name
        self._dead: set[int] = set()          # string ids of removed entities
        # entity id -> (name, kind, weight, first string id, end string id)
        self._entities: dict[int, tuple[str, str, int, int, int]] = {}
        # Arrays, not lists: 400,000 ids in lists would be objects the garbage collector keeps walking.
        self._postings: dict[str, array] = {}   # word -> string ids
        self._sorted_words: list[str] = []
        self._initials: dict[str, array] = {}   # "hl" -> string ids of names of two or more words
        self._sid_weight = array("i")         # string id -> its entity's weight (-1 once removed)
        self._by_weight: array | None = None
        self._top_cache: dict[str, list[int]] = {}  # short prefix -> heaviest string ids
        self._counts: dict[str, int] = {}           # prefix -> string ids having a word with it

    # --- building and updating -------------------------------------------------------------------

    @classmethod
    def build(cls, rows: Iterable[IndexRow]) -> SuggestIndex:
        index = cls()
        new_words: list[str] = []
        collecting = gc.isenabled()
        gc.disable()  # building creates many containers and none are garbage yet
        try:
            for row in rows:
                index._add(row, new_words)
        finally:
            if collecting:
                gc.enable()
        index._sorted_words = sorted(index._postings)
        return index

    @classmethod
    def from_project(cls, project) -> SuggestIndex:
        """An index of every entity in the project, weighted by how often each is linked."""
        conn = project.conn
        weights: Counter[int] = Counter()
        for table in ("mentions", "quotes"):
            for eid, count in conn.execute(
                f"SELECT entity_id, count(*) FROM {table} WHERE entity_id IS NOT NULL GROUP BY entity_id"
            ):
                weights[eid] += count
        rows: dict[int, IndexRow] = {}
        for eid, name, norm, kind in conn.execute("SELECT id, name, norm, kind FROM entities ORDER BY id"):
            rows[eid] = IndexRow(eid, name, kind, [(name, norm)], weights.get(eid, 0))
        for eid, alias, norm in conn.execute("SELECT entity_id, alias, norm FROM aliases ORDER BY id"):
            row = rows.get(eid)
            if row is not None:
                row.names.append((alias, norm))
        return cls.build(rows.values())

    def add_entity(self, entity_id: int, name: str, kind: str = "person", aliases: Iterable[str] = (),
                   weight: int = 0) -> None:
        """Add an entity, or replace what the index holds for it (after a rename or alias change)."""
        if entity_id in self._entities:
            self.remove_entity(entity_id)
        names = [(name, normalise_name(name))] + [(a, normalise_name(a)) for a in aliases]
        new_words: list[str] = []
        self._add(IndexRow(entity_id, name, kind, names, weight), new_words)
        for word in new_words:
            bisect.insort(self._sorted_words, word)
        self._top_cache.clear()
        self._counts.clear()

    def refresh_entities(self, project, entity_ids: Iterable[int]) -> None:
        """Re-read some entities from the project after an edit (a merge: both ids); gone ones are dropped."""
        conn = project.conn
        for eid in entity_ids:
            row = conn.execute("SELECT name, kind FROM entities WHERE id = ?", [eid]).fetchone()
            if row is None:
                self.remove_entity(eid)
                continue
            aliases = [a for (a,) in conn.execute("SELECT alias FROM aliases WHERE entity_id = ? ORDER BY id", [eid])]
            weight = sum(conn.execute(f"SELECT count(*) FROM {t} WHERE entity_id = ?", [eid]).fetchone()[0]
                         for t in ("mentions", "quotes"))
            self.add_entity(eid, row[0], row[1], aliases, weight)

    def remove_entity(self, entity_id: int) -> bool:
        found = self._entities.pop(entity_id, None)
        if found is None:
            return False
        for sid in range(found[3], found[4]):
            self._dead.add(sid)
            self._sid_weight[sid] = -1
        self._top_cache.clear()
        self._counts.clear()
        return True

    def __contains__(self, entity_id: int) -> bool:
        return entity_id in self._entities

    def __len__(self) -> int:
        return len(self._entities)

    def _add(self, row: IndexRow, new_words: list[str]) -> None:
        postings, initials_map = self._postings, self._initials
        sid_norm = self._sid_norm
        first = len(sid_norm)
        seen: set[str] = set()
        for text, norm in row.names:
            if not norm or norm in seen:
                continue
            seen.add(norm)
            sid = len(sid_norm)
            self._sid_text.append(text)
            sid_norm.append(norm)
            words = norm.split()
            for word in words:
                bucket = postings.get(word)
                if bucket is None:
                    postings[word] = array("i", (sid,))
                    new_words.append(word)
                elif bucket[-1] != sid:
                    bucket.append(sid)
            if len(words) > 1:
                key = "".join([w[0] for w in words])
                bucket = initials_map.get(key)
                if bucket is None:
                    initials_map[key] = array("i", (sid,))
                else:
                    bucket.append(sid)
        count = len(sid_norm) - first
        self._sid_entity.extend([row.entity_id] * count)
        self._sid_weight.extend([row.weight] * count)
        # String ids of one entity are consecutive, so (first, end) names them all.
        self._entities[row.entity_id] = (row.name, row.kind, row.weight, first, first + count)

    # --- candidates ------------------------------------------------------------------------------

    def _weight_order(self) -> array:
        """String ids, heaviest entity first (made on first need; later additions are appended)."""
        if self._by_weight is None or len(self._by_weight) < len(self._sid_weight):
            known = self._by_weight or array("i")
            fresh = range(len(known), len(self._sid_weight))
            known.extend(sorted(fresh, key=self._sid_weight.__getitem__, reverse=True))
            self._by_weight = known
        return self._by_weight

    def _heaviest(self, sids: Iterable[int], cap: int) -> list[int]:
        return heapq.nlargest(cap, sids, key=self._sid_weight.__getitem__)

    def _prefix_range(self, prefix: str) -> tuple[int, int]:
        words = self._sorted_words
        lo = bisect.bisect_left(words, prefix)
        return lo, bisect.bisect_left(words, prefix + "\U0010ffff", lo)

    def _prefix_sids(self, prefix: str, cap: int = CANDIDATE_CAP) -> list[int]:
        """String ids having a word that starts with `prefix`; the heaviest `cap` when there are more."""
        words, postings = self._sorted_words, self._postings
        lo, hi = self._prefix_range(prefix)
        if hi - lo <= 64:
            found = [sid for i in range(lo, hi) for sid in postings[words[i]]]
            if len(found) <= cap:
                return found
        cached = self._top_cache.get(prefix)
        if cached is not None:
            return cached[:cap]
        if hi - lo <= WIDE_PREFIX_WORDS:
            everything: list[int] = []
            for i in range(lo, hi):
                everything.extend(postings[words[i]])
            if len(everything) <= cap:
                return everything
            cached = self._heaviest(everything, CANDIDATE_CAP)
        else:
            # A short prefix shared by many names: walk names from the heaviest until enough match.
            cached = []
            spaced = " " + prefix
            norms, dead = self._sid_norm, self._dead
            for sid in self._weight_order():
                norm = norms[sid]
                if (norm.startswith(prefix) or spaced in norm) and sid not in dead:
                    cached.append(sid)
                    if len(cached) >= CANDIDATE_CAP:
                        break
        self._top_cache[prefix] = cached
        return cached[:cap]

    def _similar_words(self, word: str, complete: bool) -> list[str]:
        """Words like a mistyped one ("lutnik" -> "lutnick"), best first: rapidfuzz ranks the words
        sharing its first two letters (its first letter when none do)."""
        words = self._sorted_words
        lo, hi = self._prefix_range(word[:2])
        if hi - lo < 8:
            lo, hi = self._prefix_range(word[:1])
        if hi == lo:
            return []
        if hi - lo > SIMILAR_WORD_SCAN:
            return []
        scorer = fuzz.ratio if complete else fuzz.partial_ratio
        ranked = process.extract(word, words[lo:hi], scorer=scorer, processor=None, limit=FUZZY_TOKEN_CAP,
                                 score_cutoff=70)
        return [w for w, _, _ in ranked]

    def _prefix_count(self, prefix: str, enough: int = 50_000) -> int:
        lo, hi = self._prefix_range(prefix)
        total = 0
        for i in range(lo, hi):
            total += len(self._postings[self._sorted_words[i]])
            if total > enough:
                break
        return total

    def _word_candidates(self, word: str, complete: bool, want: int, count_all: bool = False
                         ) -> tuple[list[int], int, list[int]]:
        """(string ids for the word as typed, how many there are in all, string ids of words like it
        when the word as typed finds fewer than `want` entities, as a typo would)."""
        if complete:
            posting = self._postings.get(word, ())
            found, total = list(posting[:CANDIDATE_CAP]), len(posting)
        else:
            found = self._prefix_sids(word)
            total = len(found)
            if count_all and total >= CANDIDATE_CAP:
                total = self._counts.get(word) or self._counts.setdefault(word, self._prefix_count(word))
        similar: list[int] = []
        if len(word) >= 3 and len({self._sid_entity[s] for s in found[:want * 4]}) < want:
            for near in self._similar_words(word, complete):
                similar.extend(self._postings[near][:20])
        return found, total, similar

    def _candidates(self, qnorm: str, words: list[str], want: int) -> set[int]:
        per_word = []
        for i, word in enumerate(words):
            complete = i < len(words) - 1 and len(word) > 1
            per_word.append(self._word_candidates(word, complete, want, count_all=len(words) > 1))
        chosen: set[int] = set()
        # The most selective word as typed brings the candidates; the others are checked when scoring.
        typed = sorted(((total, found) for found, total, _ in per_word if total), key=lambda tf: tf[0])
        for _, found in typed:
            chosen.update(found)
            if len(chosen) >= want:
                break
        for _, _, similar in per_word:
            chosen.update(similar[:CANDIDATE_CAP])
        if len(words) == 1 and 2 <= len(qnorm) <= 5 and qnorm.isalpha():
            by_initials = self._initials.get(qnorm, ())
            if len(by_initials) > CANDIDATE_CAP:
                key = "#" + qnorm
                top = self._top_cache.get(key)
                if top is None:
                    top = self._top_cache[key] = self._heaviest(by_initials, CANDIDATE_CAP)
                by_initials = top
            chosen.update(by_initials)
        return chosen

    # --- ranking ---------------------------------------------------------------------------------

    def search(self, query: str, limit: int = 10) -> list[Suggestion]:
        """Entities for what a person has typed so far, best first; [] for an empty query."""
        qnorm = normalise_name(query or "")
        if not qnorm or limit <= 0:
            return []
        words = qnorm.split()
        sids = self._candidates(qnorm, words, limit)
        choices = {sid: self._sid_norm[sid] for sid in sids if sid not in self._dead}
        if not choices:
            return []
        scored = process.extract(qnorm, choices, scorer=fuzz.WRatio, processor=None, limit=None)
        best: dict[int, tuple] = {}
        for norm, score, sid in scored:
            tier = _tier(qnorm, words, norm)
            if tier == 1 and score < MIN_FUZZY_SCORE:
                continue
            eid = self._sid_entity[sid]
            weight = self._entities[eid][2]
            key = (tier, score, weight, -len(norm))
            if eid not in best or key > best[eid][0]:
                best[eid] = (key, sid)
        ranked = sorted(best.items(), key=lambda item: item[1][0], reverse=True)[:limit]
        out = []
        for eid, ((tier, score, _, _), sid) in ranked:
            name, kind = self._entities[eid][:2]
            out.append(Suggestion(eid, name, kind, round(float(score), 1), self._sid_text[sid], MATCH_NAMES[tier]))
        return out

    def best_match(self, norm: str, min_score: float, kinds: Iterable[str] | None = None
                   ) -> tuple[int, float, str] | None:
        """The entity whose name is most like a whole normalised name (fuzz.ratio >= min_score), for
        auto-linking: (entity id, score, matched normalised name), or None."""
        words = norm.split()
        if not words:
            return None
        sids: set[int] = set()
        for word in words:
            found, _, similar = self._word_candidates(word, True, 1)
            sids.update(found)
            sids.update(similar)
        allowed = set(kinds) if kinds else None
        choices = {}
        for sid in sids:
            if sid in self._dead:
                continue
            if allowed is not None and self._entities[self._sid_entity[sid]][1] not in allowed:
                continue
            choices[sid] = self._sid_norm[sid]
        found = process.extractOne(norm, choices, scorer=fuzz.ratio, processor=None, score_cutoff=min_score)
        if found is None:
            return None
        matched, score, sid = found
        return self._sid_entity[sid], float(score), matched


def _tier(qnorm: str, words: list[str], norm: str) -> int:
    """3: the name starts with the query; 2: every typed word starts a word of the name, or the
    query is the name's initials; 1: only similar."""
    if norm.startswith(qnorm):
        return 3
    name_words = norm.split()
    if len(words) <= len(name_words):
        free = list(name_words)
        for word in words:
            for i, candidate in enumerate(free):
                if candidate.startswith(word):
                    del free[i]
                    break
            else:
                break
        else:
            return 2
    if len(words) == 1 and len(name_words) > 1 and len(qnorm) >= 2 and initials(norm).startswith(qnorm):
        return 2
    return 1


def suggest(project_or_index, query: str, limit: int = 10) -> list[Suggestion]:
    """Ranked entities for a typed query; give a SuggestIndex to reuse it, or a Project to build one."""
    index = project_or_index if isinstance(project_or_index, SuggestIndex) else SuggestIndex.from_project(
        project_or_index)
    return index.search(query, limit)
