"""How far annotators agree: per task observed agreement, Cohen's kappa per pair, Fleiss' kappa and
Krippendorff's alpha (nominal) over all; per option of a multiple-choice task alpha as yes/no; for
quotes, F1 on which spans are quotes and agreement on the speaker of the quotes both kept.

The statistics are plain functions over {item: {annotator: value}} so they can be checked against
reference implementations; `project_agreement` loads the values with one query per task.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from itertools import combinations

import numpy as np

from annotator.core import shown
from annotator.core.quote_forms import own_span_sql
from annotator.core.scheme import MULTI, Task, load_scheme
from annotator.core.store import Project

Units = Mapping[Hashable, Mapping[str, Hashable]]  # item -> {annotator: value}


# --- statistics over integer arrays ----------------------------------------------------------------
#
# Values are coded as small integers: `item` (0..items-1), `code` (0..categories-1), one entry per
# item and coder. Everything below works on whole arrays, so 300,000 labels take milliseconds.


@dataclass
class CategoryCounts:
    """Per (item, category) of the items with two or more coders: how many coders chose it (`count`)
    and how many coded the item (`coders`)."""

    item: np.ndarray
    category: np.ndarray
    count: np.ndarray
    coders: np.ndarray

    @classmethod
    def from_codes(cls, item: np.ndarray, code: np.ndarray) -> CategoryCounts:
        item, code = np.asarray(item, dtype=np.int64), np.asarray(code, dtype=np.int64)
        if not len(item):
            return cls(*(np.zeros(0, dtype=np.int64),) * 4)
        per_item = np.bincount(item)
        keep = per_item[item] >= 2
        item, code = item[keep], code[keep]
        width = int(code.max()) + 1 if len(code) else 1
        keys, count = np.unique(item * width + code, return_counts=True)
        items = keys // width
        return cls(items, keys % width, count, per_item[items])

    @property
    def items(self) -> int:
        """How many items (with two or more coders) there are."""
        return int(np.count_nonzero(np.diff(self.item)) + 1) if len(self.item) else 0


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (numpy's own `unique` hashes, which is several times slower here)."""
    out = np.sort(values)
    if len(out):
        out = out[np.concatenate([[True], out[1:] != out[:-1]])]
    return out


def _codes(values: Iterable[Hashable], table: dict) -> list[int]:
    return [table.setdefault(v, len(table)) for v in values]


def _units_arrays(units: Units) -> tuple[np.ndarray, np.ndarray]:
    """{item: {coder: value}} as (item, code) arrays."""
    table: dict = {}
    item, code = [], []
    for i, values in enumerate(units.values()):
        item += [i] * len(values)
        code += _codes(values.values(), table)
    return np.array(item, dtype=np.int64), np.array(code, dtype=np.int64)


def _observed(t: CategoryCounts) -> float | None:
    if not len(t.item):
        return None
    share = t.count * (t.count - 1) / (t.coders * (t.coders - 1))
    return float(np.bincount(t.item, weights=share).sum() / t.items)


def _fleiss(t: CategoryCounts) -> float | None:
    if not len(t.item):
        return None
    assigned = np.bincount(t.category, weights=t.count)
    total = assigned.sum()
    pe = float(((assigned / total) ** 2).sum())
    if pe == 1:
        return None
    p_bar = _observed(t)
    return (p_bar - pe) / (1 - pe)


def _alpha(t: CategoryCounts) -> float | None:
    n = int(t.count.sum())
    if n < 2:
        return None
    agree = float((t.count * (t.count - 1) / (t.coders - 1)).sum())  # sum over units of o_cc
    totals = np.bincount(t.category, weights=t.count).astype(np.int64)
    expected = int((totals * (totals - 1)).sum()) / (n * (n - 1))
    if expected == 1:
        return None
    return 1 - (n - agree) / n / (1 - expected)


def _cohen(x: np.ndarray, y: np.ndarray) -> float | None:
    n = len(x)
    if n == 0:
        return None
    width = int(max(x.max(), y.max())) + 1
    chance = int((np.bincount(x, minlength=width) * np.bincount(y, minlength=width)).sum())
    if chance == n * n:
        return None
    po = int((x == y).sum()) / n
    pe = chance / (n * n)
    return (po - pe) / (1 - pe)


def cohen_kappa(pairs: Iterable[tuple[Hashable, Hashable]]) -> float | None:
    """Cohen's kappa of two coders over (value of coder 1, value of coder 2) pairs; None when
    undefined (no items, or both coders always gave the same single value)."""
    table: dict = {}
    pairs = list(pairs)
    x = np.array(_codes((a for a, _ in pairs), table), dtype=np.int64)
    y = np.array(_codes((b for _, b in pairs), table), dtype=np.int64)
    return _cohen(x, y)


def observed_agreement(units: Units) -> float | None:
    """Mean over items with two or more coders of the share of coder pairs that agree."""
    return _observed(CategoryCounts.from_codes(*_units_arrays(units)))


def fleiss_kappa(counts: Iterable[Mapping[Hashable, int]]) -> float | None:
    """Fleiss' kappa from per-item category counts ({category: number of coders}); items may have
    different numbers of coders (two or more). None when undefined."""
    table: dict = {}
    item, category, count = [], [], []
    for i, row in enumerate(counts):
        item += [i] * len(row)
        category += _codes(row.keys(), table)
        count += list(row.values())
    item_a, count_a = np.array(item, dtype=np.int64), np.array(count, dtype=np.int64)
    coders = np.bincount(item_a, weights=count_a).astype(np.int64) if len(item) else np.zeros(0, dtype=np.int64)
    keep = coders[item_a] >= 2 if len(item) else np.zeros(0, dtype=bool)
    return _fleiss(CategoryCounts(item_a[keep], np.array(category, dtype=np.int64)[keep], count_a[keep],
                                  coders[item_a][keep] if len(item) else item_a))


def krippendorff_alpha_nominal(units: Units) -> float | None:
    """Krippendorff's alpha for nominal data (missing values allowed); None when undefined."""
    return _alpha(CategoryCounts.from_codes(*_units_arrays(units)))


# --- results --------------------------------------------------------------------------------------


@dataclass
class PairAgreement:
    a: str
    b: str
    items: int
    observed: float | None
    kappa: float | None


@dataclass
class TaskAgreement:
    task: str
    level: str
    kind: str
    annotators: list[str]
    items: int  # items with two or more annotators
    observed: float | None
    fleiss_kappa: float | None
    alpha: float | None
    pairs: list[PairAgreement] = field(default_factory=list)
    option_alpha: dict[str, float | None] = field(default_factory=dict)  # multiple choice: yes/no per option


@dataclass
class QuotePairAgreement:
    a: str
    b: str
    articles: int  # articles both worked on
    a_quotes: int
    b_quotes: int
    exact_f1: float | None
    overlap_f1: float | None
    shared: int  # quotes (same span) both kept
    speaker_observed: float | None
    speaker_kappa: float | None


@dataclass
class QuoteAgreement:
    pairs: list[QuotePairAgreement] = field(default_factory=list)
    speaker_alpha: float | None = None
    shared_quotes: int = 0  # spans kept by two or more annotators
    # the same for each form of attribution (direct, mixed, indirect) that someone kept
    forms: dict[str, QuoteAgreement] = field(default_factory=dict)


@dataclass
class AgreementReport:
    tasks: list[TaskAgreement] = field(default_factory=list)
    quotes: QuoteAgreement = field(default_factory=QuoteAgreement)

    def to_dict(self) -> dict:
        return asdict(self)

    def lines(self) -> list[str]:
        """The report as text lines for a terminal; names in it without control characters."""
        from annotator.core.validate import terminal_text as shown

        out = []
        for t in self.tasks:
            out.append(f"{t.level} task {shown(t.task)!r} ({t.kind}): {t.items} items with 2+ annotators")
            out.append(f"  observed {_f(t.observed)}  Fleiss' kappa {_f(t.fleiss_kappa)}  "
                       f"Krippendorff's alpha {_f(t.alpha)}")
            for p in t.pairs:
                out.append(f"  {shown(p.a)} / {shown(p.b)}: {p.items} items, observed {_f(p.observed)}, "
                           f"Cohen's kappa {_f(p.kappa)}")
            for name, value in t.option_alpha.items():
                out.append(f"  option {shown(name)!r} (yes/no): alpha {_f(value)}")
        q = self.quotes
        if q.pairs:
            out.append(f"quotes: {q.shared_quotes} spans kept by 2+ annotators; speaker alpha {_f(q.speaker_alpha)}")
            for p in q.pairs:
                out.append(
                    f"  {shown(p.a)} / {shown(p.b)}: {p.articles} articles, quotes {p.a_quotes}/{p.b_quotes}, "
                    f"F1 exact {_f(p.exact_f1)} overlap {_f(p.overlap_f1)}; speaker on {p.shared} shared: "
                    f"agreement {_f(p.speaker_observed)}, kappa {_f(p.speaker_kappa)}")
            for form, fq in q.forms.items():
                out.append(f"  {form}: {fq.shared_quotes} spans kept by 2+ annotators; speaker alpha "
                           f"{_f(fq.speaker_alpha)}")
                for p in fq.pairs:
                    out.append(f"    {p.a} / {p.b}: quotes {p.a_quotes}/{p.b_quotes}, F1 exact {_f(p.exact_f1)} "
                               f"overlap {_f(p.overlap_f1)}; speaker agreement {_f(p.speaker_observed)}")
        return out or ["no labels yet"]


def _f(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


# --- from the project -----------------------------------------------------------------------------


def task_units(project: Project, task: Task) -> dict[int, dict[str, Hashable]]:
    """{item id: {annotator: value}} of a task: the option id chosen (single choice) or the frozenset of
    option ids (multiple choice, where an article the annotator marked done with none ticked counts
    as the empty set). Items are article ids, or quote ids for quote tasks."""
    item = "article_id" if task.level == "article" else "quote_id"
    units: dict[int, dict] = defaultdict(dict)
    which = "quote_id IS NOT NULL" if task.level == "quote" else "quote_id IS NULL"
    rows = project.conn.execute(f"SELECT {item}, annotator, option_id FROM labels WHERE task_id = ? AND {which}",
                                [task.id])
    if task.kind == MULTI:
        sets: dict[int, dict[str, set]] = defaultdict(lambda: defaultdict(set))
        for item_id, annotator, option_id in rows:
            sets[item_id][annotator].add(option_id)
        if task.level == "article":
            for item_id, annotator in project.conn.execute(
                    "SELECT article_id, annotator FROM article_status WHERE status IN ('labelled', 'reviewed')"):
                sets[item_id][annotator]  # noqa: B018 (touch: done with nothing ticked = empty set)
        for item_id, per in sets.items():
            units[item_id] = {a: frozenset(v) for a, v in per.items()}
        return dict(units)
    for item_id, annotator, option_id in rows:
        values = units[item_id]
        if annotator in values:  # two options on a single-choice task: keep them as one value
            old = values[annotator]
            values[annotator] = frozenset((old if isinstance(old, frozenset) else {old}) | {option_id})
        else:
            values[annotator] = option_id
    return dict(units)


def _int_rows(conn: sqlite3.Connection, sql: str, params: Sequence, width: int) -> np.ndarray:
    """The rows of a query whose `width` columns (c0, c1, ...) are integers, never NULL, as an (n, width)
    array. SQLite joins each column into one string (one pass, so the columns stay aligned) that numpy
    parses: several times faster than building a million Python tuples."""
    columns = ", ".join(f"group_concat(c{i})" for i in range(width))
    texts = conn.execute(f"SELECT {columns} FROM ({sql})", params).fetchone()
    if texts[0] is None:
        return np.zeros((0, width), dtype=np.int64)
    return np.stack([np.fromstring(t, sep=",", dtype=np.int64) for t in texts], 1)


class _Coders:
    """Annotator names as integer codes (index into `names`), turned into codes inside SQL."""

    EVERYONE = ("SELECT annotator FROM labels UNION SELECT annotator FROM article_status "
                "UNION SELECT annotator FROM quote_labels UNION SELECT annotator FROM quotes")

    def __init__(self, project: Project):
        self.project = project
        self.names = [r[0] for r in project.conn.execute("SELECT name FROM annotators ORDER BY name")]

    def rows(self, sql: str, width: int) -> np.ndarray:
        """The rows of `sql`, where `{ann}` is the code of its `annotator` column and c1 the coder. Names
        missing from the annotators table are added (codes only grow) and the query runs again."""
        def run() -> np.ndarray:
            whens = " ".join(f"WHEN ? THEN {i}" for i in range(len(self.names)))
            case = f"(CASE annotator {whens} ELSE -1 END)" if self.names else "-1"
            return _int_rows(self.project.conn, sql.format(ann=case), self.names, width)

        out = run()
        if len(out) and (out[:, 1] < 0).any():
            known = set(self.names)
            self.names += sorted(r[0] for r in self.project.conn.execute(self.EVERYONE)
                                 if r[0] is not None and r[0] not in known)
            out = run()
        return out


@dataclass
class _Labels:
    """Every label of the project as arrays: task, article, quote (0 for article labels), coder, option;
    and each article status (article, coder, done: labelled or reviewed)."""

    labels: np.ndarray
    status: np.ndarray


LABELS_SQL = ("SELECT task_id AS c0, {ann} AS c1, article_id AS c2, ifnull(quote_id, 0) AS c3, option_id AS c4 "
              "FROM labels", 5)
STATUS_SQL = "SELECT article_id AS c0, {ann} AS c1, status IN ('labelled', 'reviewed') AS c2 FROM article_status", 3


@dataclass
class CodedTask:
    """One task's values as arrays, one entry per item and coder: `item` (0..), `coder` (index into
    `names`), `code` (equal values, equal codes) and `mask`, the chosen options as bits (option i of
    `option_ids` is bit i % 64 of word i // 64)."""

    names: list[str]
    item: np.ndarray
    coder: np.ndarray
    code: np.ndarray
    mask: np.ndarray
    option_ids: np.ndarray


def coded_task(task: Task, data: _Labels, names: list[str]) -> CodedTask:
    """A task's labels coded for the statistics: single choice, the option chosen (two options count as
    one value of their own); multiple choice, the set of options, where an article its annotator
    marked done with none ticked is the empty set."""
    rows = data.labels[data.labels[:, 0] == task.id]
    item_col = 2 if task.level == "quote" else 1
    rows = rows[(rows[:, 2] != 0) if task.level == "quote" else (rows[:, 2] == 0)]
    width = max(len(names), 1)
    keys = rows[:, item_col] * width + rows[:, 3]
    if task.kind == MULTI and task.level == "article":
        done = data.status[data.status[:, 2] == 1]
        keys_all = np.concatenate([keys, done[:, 0] * width + done[:, 1]])
    else:
        keys_all = keys
    entries, inverse = np.unique(keys_all, return_inverse=True)
    option_ids, bit = np.unique(rows[:, 4], return_inverse=True)
    words = max(1, -(-len(option_ids) // 64))
    mask = np.zeros((len(entries), words), dtype=np.uint64)
    np.bitwise_or.at(mask, (inverse[:len(keys)], bit // 64), np.left_shift(np.uint64(1), (bit % 64).astype(np.uint64)))
    if words == 1:
        _, code = np.unique(mask[:, 0], return_inverse=True)
    else:
        _, code = np.unique(mask, axis=0, return_inverse=True)
    _, item = np.unique(entries // width, return_inverse=True)
    return CodedTask(names, item.reshape(-1), (entries % width).astype(np.int64), code.reshape(-1), mask, option_ids)


def task_agreement(task: Task, coded: CodedTask) -> TaskAgreement:
    present = sorted(_distinct(coded.coder).tolist(), key=lambda i: coded.names[i])
    counts = CategoryCounts.from_codes(coded.item, coded.code)
    n_items = int(coded.item.max()) + 1 if len(coded.item) else 0
    table = np.full((n_items, len(coded.names) or 1), -1, dtype=np.int64)
    table[coded.item, coded.coder] = coded.code
    pairs = []
    for a, b in combinations(present, 2):
        both = (table[:, a] >= 0) & (table[:, b] >= 0)
        x, y = table[both, a], table[both, b]
        if not len(x):
            continue
        pairs.append(PairAgreement(coded.names[a], coded.names[b], len(x), float((x == y).mean()), _cohen(x, y)))
    result = TaskAgreement(
        task=task.name, level=task.level, kind=task.kind, annotators=[coded.names[i] for i in present],
        items=counts.items, observed=_observed(counts), fleiss_kappa=_fleiss(counts), alpha=_alpha(counts),
        pairs=pairs,
    )
    if task.kind == MULTI:
        shared = np.bincount(coded.item)[coded.item] >= 2 if len(coded.item) else np.zeros(0, dtype=bool)
        for option in task.options:
            found = np.flatnonzero(coded.option_ids == option.id)
            if len(found):
                i = int(found[0])
                yes = (coded.mask[shared, i // 64] >> np.uint64(i % 64)) & np.uint64(1)
            else:
                yes = np.zeros(int(shared.sum()), dtype=np.uint64)
            result.option_alpha[option.name] = _alpha(
                CategoryCounts.from_codes(coded.item[shared], yes.astype(np.int64)))
    return result


def quote_sets(project: Project) -> dict[str, dict[tuple[int, int, int], Hashable]]:
    """{annotator: {(article id, start, end): speaker}}: the quotes each person kept (confirmed,
    corrected or marked, not rejected); speaker = entity id, else the speaker text folded, else None.
    Two kept quotes of one person on the same span: the hand-marked one, else the later detected one."""
    out: dict[str, dict] = defaultdict(dict)
    rows = project.conn.execute(
        f"""
        SELECT ql.annotator, q.article_id, q.start, q."end", 0 AS part, q.id AS qid,
               {shown.entity_sql()}, {shown.speaker_sql()}
        FROM quote_labels ql JOIN quotes q ON q.id = ql.quote_id
        WHERE ql.status IN ('confirmed', 'corrected') AND q.origin = 'auto'
        UNION ALL
        SELECT q.annotator, q.article_id, q.start, q."end", 1, q.id,
               {shown.entity_sql()}, {shown.speaker_sql()}
        FROM quotes q LEFT JOIN quote_labels ql ON ql.quote_id = q.id AND ql.annotator = q.annotator
        WHERE q.origin = 'human' AND ifnull(ql.status, '') != 'rejected'
        ORDER BY part, qid
        """
    )
    for annotator, article_id, start, end, _part, _qid, entity_id, speaker in rows:
        value = entity_id if entity_id is not None else (" ".join(speaker.casefold().split()) if speaker else None)
        out[annotator][(article_id, start, end)] = value
    return dict(out)


_ENTITY = shown.entity_sql()
# where the speaker text of a quote with no entity lives: the quote (its id) or a correction (minus its rowid)
_SOURCE = (f"CASE WHEN {_ENTITY} IS NOT NULL THEN 0 WHEN {shown.corrected_sql()} THEN "
           "CASE WHEN ql.speaker != '' THEN -ql.rowid ELSE 0 END WHEN q.speaker != '' THEN q.id ELSE 0 END")
# Every quote verdict and hand-marked quote as integers: where the speaker text lives (0: no text), who,
# where (a reported quote is compared by its whole clause, a direct one by its quoted words), kept (as in `quote_sets`),
# entity (-1: none), order of precedence (hand-marked after detected), form (index into FORMS)
# where: a reported quote's whole content, a direct quote's quoted words (pieces of one interrupted
# quotation share a content, not their words: each is a unit of its own, as before)
_OWN_START, _OWN_END = own_span_sql("q.")
_FORM_CODE = "CASE q.form WHEN 'mixed' THEN 1 WHEN 'indirect' THEN 2 ELSE 0 END"
QUOTES_SQL = f"""
    SELECT source AS c0, {{ann}} AS c1, article AS c2, start AS c3, "end" AS c4, kept AS c5, entity AS c6,
           ordinal AS c7, form AS c8 FROM (
        SELECT {_SOURCE} AS source, ql.annotator AS annotator, q.article_id AS article,
               {_OWN_START} AS start, {_OWN_END} AS "end",
               ql.status IN ('confirmed', 'corrected') AND q.origin = 'auto' AS kept,
               ifnull({_ENTITY}, -1) AS entity, q.id AS ordinal, {_FORM_CODE} AS form
        FROM quote_labels ql JOIN quotes q ON q.id = ql.quote_id
        UNION ALL
        SELECT {_SOURCE}, q.annotator, q.article_id, {_OWN_START},
               {_OWN_END}, ifnull(ql.status, '') != 'rejected',
               ifnull({_ENTITY}, -1), q.id + (1 << 40), {_FORM_CODE}
        FROM quotes q LEFT JOIN quote_labels ql ON ql.quote_id = q.id AND ql.annotator = q.annotator
        WHERE q.origin = 'human' AND q.annotator IS NOT NULL
    )
""", 9
SPEAKER_TEXTS_SQL = """
    SELECT id, speaker FROM quotes WHERE entity_id IS NULL AND speaker != ''
    UNION ALL
    SELECT -rowid, speaker FROM quote_labels WHERE status = 'corrected' AND entity_id IS NULL AND speaker != ''
"""


@dataclass
class _KeptQuotes:
    """The quotes each coder kept, one entry per coder and span: coder, article, span (equal spans, equal
    numbers), start, end, speaker (entity id, else a negative code of the folded speaker text, -1 none);
    and (coder, article) of every article each coder worked on."""

    coder: np.ndarray
    article: np.ndarray
    span: np.ndarray
    start: np.ndarray
    end: np.ndarray
    speaker: np.ndarray
    worked: np.ndarray
    form: np.ndarray | None = None   # index into FORMS

    def of_form(self, code: int) -> _KeptQuotes:
        sel = self.form == code
        return _KeptQuotes(self.coder[sel], self.article[sel], self.span[sel], self.start[sel], self.end[sel],
                           self.speaker[sel], self.worked, self.form[sel])


def _load_quotes(project: Project, coders: _Coders, data: _Labels, rows: np.ndarray) -> _KeptQuotes:
    """The kept quotes from the rows of QUOTES_SQL, with the speaker texts of quotes with no entity."""
    source, coder, article, start, end, kept, entity_id, ordinal, form = rows.T
    # a speaker with no entity: its text folded, coded -2, -3, ... (equal folded texts, equal codes); none: -1
    texts = project.conn.execute(SPEAKER_TEXTS_SQL).fetchall()
    folded: dict[str, int] = {}
    raw_code = {raw: -2 - folded.setdefault(" ".join(raw.casefold().split()), len(folded))
                for raw in {t for _, t in texts}}
    sources = np.array([r for r, _ in texts], dtype=np.int64)
    codes = np.array([raw_code[t] for _, t in texts], dtype=np.int64)
    order = np.argsort(sources)
    sources, codes = sources[order], codes[order]
    at = np.searchsorted(sources, source).clip(0, max(len(sources) - 1, 0))
    found = (source != 0) & (sources[at] == source) if len(sources) else np.zeros(len(source), dtype=bool)
    speaker = np.where(entity_id >= 0, entity_id, np.where(found, codes[at] if len(codes) else -1, -1))
    width = max(len(coders.names), 1)
    worked_keys = _distinct(np.concatenate([
        article * width + coder, data.labels[:, 1] * width + data.labels[:, 3],
        data.status[:, 0] * width + data.status[:, 1]]))
    worked = np.stack([worked_keys % width, worked_keys // width], 1)  # (coder, article)
    kept = kept.astype(bool)
    kept = np.flatnonzero(kept)[np.argsort(ordinal[kept], kind="stable")]
    coder, article, start, end, speaker, form = (coder[kept], article[kept], start[kept], end[kept], speaker[kept],
                                                 form[kept])
    order = np.lexsort((end, start, article))
    new_span = np.ones(len(order), dtype=bool)
    new_span[1:] = (np.diff(article[order]) != 0) | (np.diff(start[order]) != 0) | (np.diff(end[order]) != 0)
    span = np.empty(len(order), dtype=np.int64)
    span[order] = np.cumsum(new_span) - 1
    # one entry per coder and span, the last in order of precedence winning (as in `quote_sets`)
    _, last = np.unique((span * width + coder)[::-1], return_index=True)
    keep = len(span) - 1 - last
    return _KeptQuotes(coder[keep], article[keep], span[keep], start[keep], end[keep], speaker[keep], worked,
                       form[keep])


def overlap_matches(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    """How many spans of `a` can be paired one-to-one with an overlapping span of `b` (greedy, by start)."""
    b_sorted = sorted(b)
    used = [False] * len(b_sorted)
    matched = 0
    for start, end in sorted(a):
        for i, (s, e) in enumerate(b_sorted):
            if not used[i] and s < end and start < e:
                used[i] = True
                matched += 1
                break
    return matched


def _overlaps(q: _KeptQuotes, in_a: np.ndarray, in_b: np.ndarray) -> int:
    """`overlap_matches` summed over articles; articles where both kept exactly the same (non-empty)
    spans, or one kept none, are counted without pairing spans one by one."""
    art_a, art_b = q.article[in_a], q.article[in_b]
    shared_spans = np.intersect1d(q.span[in_a], q.span[in_b], assume_unique=True)
    per = _distinct(np.concatenate([art_a, art_b]))
    count_a = np.bincount(np.searchsorted(per, art_a), minlength=len(per))
    count_b = np.bincount(np.searchsorted(per, art_b), minlength=len(per))
    exact = np.isin(q.span, shared_spans) & in_a
    count_shared = np.bincount(np.searchsorted(per, q.article[exact]), minlength=len(per))
    empty = _distinct(q.article[(in_a | in_b) & (q.start >= q.end)])
    same = (count_a == count_b) & (count_a == count_shared) & ~np.isin(per, empty)
    total = int(count_a[same].sum())
    hard = per[~same & (count_a > 0) & (count_b > 0)]
    if len(hard):
        sel_a, sel_b = in_a & np.isin(q.article, hard), in_b & np.isin(q.article, hard)
        spans_b: dict[int, list] = defaultdict(list)
        for art, s, e in zip(q.article[sel_b].tolist(), q.start[sel_b].tolist(), q.end[sel_b].tolist(), strict=True):
            spans_b[art].append((s, e))
        spans_a: dict[int, list] = defaultdict(list)
        for art, s, e in zip(q.article[sel_a].tolist(), q.start[sel_a].tolist(), q.end[sel_a].tolist(), strict=True):
            spans_a[art].append((s, e))
        total += sum(overlap_matches(spans, spans_b[art]) for art, spans in spans_a.items())
    return total


def quote_agreement(q: _KeptQuotes, names: list[str], by_form: bool = True) -> QuoteAgreement:
    result = QuoteAgreement()
    if by_form and q.form is not None:
        from annotator.core.quote_forms import FORMS

        for code in sorted(_distinct(q.form).tolist()):
            result.forms[FORMS[code]] = quote_agreement(q.of_form(code), names, by_form=False)
    people = sorted(_distinct(q.coder).tolist(), key=lambda i: names[i])
    for a, b in combinations(people, 2):
        common = np.intersect1d(q.worked[q.worked[:, 0] == a, 1], q.worked[q.worked[:, 0] == b, 1], assume_unique=True)
        if not len(common):
            continue
        in_common = np.isin(q.article, common)
        in_a, in_b = in_common & (q.coder == a), in_common & (q.coder == b)
        n_a, n_b = int(in_a.sum()), int(in_b.sum())
        order_a, order_b = np.argsort(q.span[in_a]), np.argsort(q.span[in_b])
        span_a, span_b = q.span[in_a][order_a], q.span[in_b][order_b]
        shared, ia, ib = np.intersect1d(span_a, span_b, assume_unique=True, return_indices=True)
        x, y = q.speaker[in_a][order_a][ia], q.speaker[in_b][order_b][ib]
        total = n_a + n_b
        overlap = _overlaps(q, in_a, in_b)
        result.pairs.append(QuotePairAgreement(
            names[a], names[b], len(common), n_a, n_b,
            exact_f1=2 * len(shared) / total if total else None,
            overlap_f1=2 * overlap / total if total else None,
            shared=len(shared),
            speaker_observed=float((x == y).mean()) if len(x) else None,
            speaker_kappa=_cohen(*_dense(x, y)) if len(x) else None,
        ))
    counts = CategoryCounts.from_codes(q.span, _dense(q.speaker)[0])
    result.shared_quotes = counts.items
    result.speaker_alpha = _alpha(counts)
    return result


def _dense(*arrays: np.ndarray) -> list[np.ndarray]:
    """Arrays of any integers recoded as 0, 1, 2, ... (equal values, equal codes across the arrays)."""
    _, inverse = np.unique(np.concatenate(arrays), return_inverse=True)
    out, at = [], 0
    for a in arrays:
        out.append(inverse[at:at + len(a)].reshape(-1))
        at += len(a)
    return out


def project_agreement(project: Project, task_name: str | None = None) -> AgreementReport:
    """Agreement on every task of the project (or the tasks called `task_name`), and on quotes. All
    labels are read with one query into arrays, the statuses and the quotes with one each."""
    report = AgreementReport()
    coders = _Coders(project)
    quotes = task_name is None or task_name in ("quote", "quotes", "speaker")
    data = _Labels(coders.rows(*LABELS_SQL)[:, [0, 2, 3, 1, 4]], coders.rows(*STATUS_SQL))
    for task in load_scheme(project).tasks:
        if task_name is not None and task.name != task_name:
            continue
        report.tasks.append(task_agreement(task, coded_task(task, data, coders.names)))
    if quotes:
        report.quotes = quote_agreement(_load_quotes(project, coders, data, coders.rows(*QUOTES_SQL)), coders.names)
    return report


@dataclass
class AnnotatorProgress:
    annotator: str
    done: int  # articles marked labelled or reviewed
    labelled: int  # articles with at least one label
    total: int


def annotator_progress(project: Project) -> list[AnnotatorProgress]:
    """Per annotator who did any work (a label, a status or note, a quote verdict, a marked quote):
    articles done and labelled, out of all articles. A name only registered (the one a window
    opened with before the person switched to theirs) is no coder and is not listed."""
    total = project.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    done = dict(project.conn.execute(
        "SELECT annotator, count(*) FROM article_status WHERE status IN ('labelled', 'reviewed') GROUP BY annotator"))
    labelled = dict(project.conn.execute(
        "SELECT annotator, count(DISTINCT article_id) FROM labels GROUP BY annotator"))
    worked = {r[0] for r in project.conn.execute(
        "SELECT annotator FROM article_status UNION SELECT annotator FROM quote_labels "
        "UNION SELECT annotator FROM quotes WHERE origin = 'human'") if r[0]}
    names = sorted(set(done) | set(labelled) | worked)
    return [AnnotatorProgress(n, done.get(n, 0), labelled.get(n, 0), total) for n in names]
