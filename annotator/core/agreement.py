"""How far annotators agree: per task observed agreement, Cohen's kappa per pair, Fleiss' kappa and
Krippendorff's alpha (nominal) over all; per option of a multiple-choice task alpha as yes/no; for
quotes, F1 on which spans are quotes and agreement on the speaker of the quotes both kept.

The statistics are plain functions over {item: {annotator: value}} so they can be checked against
reference implementations; `project_agreement` loads the values with one query per task.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from itertools import combinations

from annotator.core.scheme import MULTI, Task, load_scheme
from annotator.core.store import Project

Units = Mapping[Hashable, Mapping[str, Hashable]]  # item -> {annotator: value}


# --- statistics -----------------------------------------------------------------------------------


def cohen_kappa(pairs: Iterable[tuple[Hashable, Hashable]]) -> float | None:
    """Cohen's kappa of two coders over (value of coder 1, value of coder 2) pairs; None when
    undefined (no items, or both coders always gave the same single value)."""
    n = 0
    agree = 0
    left: Counter = Counter()
    right: Counter = Counter()
    for a, b in pairs:
        n += 1
        agree += a == b
        left[a] += 1
        right[b] += 1
    if n == 0:
        return None
    po = agree / n
    pe = sum(left[c] * right[c] for c in left) / (n * n)
    if pe == 1:
        return None
    return (po - pe) / (1 - pe)


def _category_counts(units: Units) -> list[Counter]:
    return [Counter(values.values()) for values in units.values() if len(values) >= 2]


def observed_agreement(units: Units) -> float | None:
    """Mean over items with two or more coders of the share of coder pairs that agree."""
    total, n = 0.0, 0
    for values in units.values():
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values.values()).values()
        total += sum(c * (c - 1) for c in counts) / (m * (m - 1))
        n += 1
    return total / n if n else None


def fleiss_kappa(counts: Iterable[Mapping[Hashable, int]]) -> float | None:
    """Fleiss' kappa from per-item category counts ({category: number of coders}); items may have
    different numbers of coders (two or more). None when undefined."""
    p_sum, items, assigned = 0.0, 0, Counter()
    total = 0
    for row in counts:
        m = sum(row.values())
        if m < 2:
            continue
        p_sum += sum(c * (c - 1) for c in row.values()) / (m * (m - 1))
        items += 1
        assigned.update(row)
        total += m
    if not items:
        return None
    p_bar = p_sum / items
    pe = sum((c / total) ** 2 for c in assigned.values())
    if pe == 1:
        return None
    return (p_bar - pe) / (1 - pe)


def krippendorff_alpha_nominal(units: Units) -> float | None:
    """Krippendorff's alpha for nominal data (missing values allowed); None when undefined."""
    n = 0
    agree = 0.0  # sum over units of o_cc, the coincidences of equal values
    totals: Counter = Counter()
    for values in units.values():
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values.values())
        agree += sum(c * (c - 1) for c in counts.values()) / (m - 1)
        totals.update(counts)
        n += m
    if n < 2:
        return None
    expected = sum(c * (c - 1) for c in totals.values()) / (n * (n - 1))
    if expected == 1:
        return None
    return 1 - (n - agree) / n / (1 - expected)


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


@dataclass
class AgreementReport:
    tasks: list[TaskAgreement] = field(default_factory=list)
    quotes: QuoteAgreement = field(default_factory=QuoteAgreement)

    def to_dict(self) -> dict:
        return asdict(self)

    def lines(self) -> list[str]:
        """The report as text lines for a terminal."""
        out = []
        for t in self.tasks:
            out.append(f"{t.level} task {t.task!r} ({t.kind}): {t.items} items with 2+ annotators")
            out.append(f"  observed {_f(t.observed)}  Fleiss' kappa {_f(t.fleiss_kappa)}  "
                       f"Krippendorff's alpha {_f(t.alpha)}")
            for p in t.pairs:
                out.append(f"  {p.a} / {p.b}: {p.items} items, observed {_f(p.observed)}, Cohen's kappa {_f(p.kappa)}")
            for name, value in t.option_alpha.items():
                out.append(f"  option {name!r} (yes/no): alpha {_f(value)}")
        q = self.quotes
        if q.pairs:
            out.append(f"quotes: {q.shared_quotes} spans kept by 2+ annotators; speaker alpha {_f(q.speaker_alpha)}")
            for p in q.pairs:
                out.append(
                    f"  {p.a} / {p.b}: {p.articles} articles, quotes {p.a_quotes}/{p.b_quotes}, "
                    f"F1 exact {_f(p.exact_f1)} overlap {_f(p.overlap_f1)}; speaker on {p.shared} shared: "
                    f"agreement {_f(p.speaker_observed)}, kappa {_f(p.speaker_kappa)}")
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


def task_agreement(task: Task, units: Mapping[Hashable, Mapping[str, Hashable]]) -> TaskAgreement:
    annotators = sorted({a for values in units.values() for a in values})
    shared = {k: v for k, v in units.items() if len(v) >= 2}
    pairs = []
    for a, b in combinations(annotators, 2):
        both = [(v[a], v[b]) for v in shared.values() if a in v and b in v]
        if not both:
            continue
        pairs.append(PairAgreement(a, b, len(both), sum(x == y for x, y in both) / len(both), cohen_kappa(both)))
    result = TaskAgreement(
        task=task.name, level=task.level, kind=task.kind, annotators=annotators, items=len(shared),
        observed=observed_agreement(shared), fleiss_kappa=fleiss_kappa(_category_counts(shared)),
        alpha=krippendorff_alpha_nominal(shared), pairs=pairs,
    )
    if task.kind == MULTI:
        for option in task.options:
            yes_no = {k: {a: option.id in s for a, s in v.items()} for k, v in shared.items()}
            result.option_alpha[option.name] = krippendorff_alpha_nominal(yes_no)
    return result


def quote_sets(project: Project) -> dict[str, dict[tuple[int, int, int], Hashable]]:
    """{annotator: {(article id, start, end): speaker}}: the quotes each person kept (confirmed,
    corrected or marked, not rejected); speaker = entity id, else the speaker text folded, else None."""
    out: dict[str, dict] = defaultdict(dict)
    rows = project.conn.execute(
        """
        SELECT ql.annotator, q.article_id, q.start, q."end",
               CASE WHEN ql.status = 'corrected' THEN ql.entity_id ELSE q.entity_id END,
               CASE WHEN ql.status = 'corrected' THEN ql.speaker ELSE q.speaker END
        FROM quote_labels ql JOIN quotes q ON q.id = ql.quote_id
        WHERE ql.status IN ('confirmed', 'corrected') AND q.origin = 'auto'
        UNION ALL
        SELECT q.annotator, q.article_id, q.start, q."end",
               CASE WHEN ql.status = 'corrected' THEN ql.entity_id ELSE q.entity_id END,
               CASE WHEN ql.status = 'corrected' THEN ql.speaker ELSE q.speaker END
        FROM quotes q LEFT JOIN quote_labels ql ON ql.quote_id = q.id AND ql.annotator = q.annotator
        WHERE q.origin = 'human' AND ifnull(ql.status, '') != 'rejected'
        """
    )
    for annotator, article_id, start, end, entity_id, speaker in rows:
        value = entity_id if entity_id is not None else (" ".join(speaker.casefold().split()) if speaker else None)
        out[annotator][(article_id, start, end)] = value
    return dict(out)


def worked_articles(project: Project) -> dict[str, set[int]]:
    """{annotator: article ids they labelled, gave a status, judged a quote in or marked a quote in}."""
    out: dict[str, set[int]] = defaultdict(set)
    for annotator, article_id in project.conn.execute(
        """
        SELECT annotator, article_id FROM article_status
        UNION SELECT annotator, article_id FROM labels
        UNION SELECT ql.annotator, q.article_id FROM quote_labels ql JOIN quotes q ON q.id = ql.quote_id
        UNION SELECT annotator, article_id FROM quotes WHERE origin = 'human'
        """
    ):
        out[annotator].add(article_id)
    return dict(out)


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


def quote_agreement(sets: Mapping[str, Mapping[tuple, Hashable]], worked: Mapping[str, set[int]]) -> QuoteAgreement:
    result = QuoteAgreement()
    people = sorted(a for a in sets if sets[a])
    for a, b in combinations(people, 2):
        common = worked.get(a, set()) & worked.get(b, set())
        if not common:
            continue
        qa = {k: v for k, v in sets[a].items() if k[0] in common}
        qb = {k: v for k, v in sets[b].items() if k[0] in common}
        total = len(qa) + len(qb)
        shared = qa.keys() & qb.keys()
        by_article_a: dict[int, list] = defaultdict(list)
        by_article_b: dict[int, list] = defaultdict(list)
        for art, s, e in qa:
            by_article_a[art].append((s, e))
        for art, s, e in qb:
            by_article_b[art].append((s, e))
        overlap = sum(overlap_matches(spans, by_article_b.get(art, [])) for art, spans in by_article_a.items())
        speakers = [(qa[k], qb[k]) for k in shared]
        result.pairs.append(QuotePairAgreement(
            a, b, len(common), len(qa), len(qb),
            exact_f1=2 * len(shared) / total if total else None,
            overlap_f1=2 * overlap / total if total else None,
            shared=len(shared),
            speaker_observed=sum(x == y for x, y in speakers) / len(speakers) if speakers else None,
            speaker_kappa=cohen_kappa(speakers),
        ))
    units: dict[tuple, dict] = defaultdict(dict)
    for person in people:
        for key, value in sets[person].items():
            units[key][person] = value
    shared_units = {k: v for k, v in units.items() if len(v) >= 2}
    result.shared_quotes = len(shared_units)
    result.speaker_alpha = krippendorff_alpha_nominal(shared_units)
    return result


def project_agreement(project: Project, task_name: str | None = None) -> AgreementReport:
    """Agreement on every task of the project (or the tasks called `task_name`), and on quotes."""
    report = AgreementReport()
    for task in load_scheme(project).tasks:
        if task_name is not None and task.name != task_name:
            continue
        report.tasks.append(task_agreement(task, task_units(project, task)))
    if task_name is None or task_name in ("quote", "quotes", "speaker"):
        report.quotes = quote_agreement(quote_sets(project), worked_articles(project))
    return report


@dataclass
class AnnotatorProgress:
    annotator: str
    done: int  # articles marked labelled or reviewed
    labelled: int  # articles with at least one label
    total: int


def annotator_progress(project: Project) -> list[AnnotatorProgress]:
    """Per annotator: articles done and labelled, out of all articles."""
    total = project.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    done = dict(project.conn.execute(
        "SELECT annotator, count(*) FROM article_status WHERE status IN ('labelled', 'reviewed') GROUP BY annotator"))
    labelled = dict(project.conn.execute(
        "SELECT annotator, count(DISTINCT article_id) FROM labels GROUP BY annotator"))
    names = sorted(set(done) | set(labelled) | {r[0] for r in project.conn.execute("SELECT name FROM annotators")})
    return [AnnotatorProgress(n, done.get(n, 0), labelled.get(n, 0), total) for n in names]
