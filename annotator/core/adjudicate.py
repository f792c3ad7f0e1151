"""Reconciling annotators: the items where they differ, and the value an adjudicator settles on.

An adjudication replaces all rows of its key (article or quote, task) in `adjudications`: one row per
chosen option (a typed value that is no option is kept as text with no option id; an empty choice is
one row with value ''). A quote's speaker is adjudicated with task_id NULL and the speaker as value.
Setters return the rows they replaced, so an undo restores them with `restore_adjudication`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from annotator.core import shown
from annotator.core.agreement import quote_sets, task_units
from annotator.core.scheme import MULTI, load_scheme
from annotator.core.store import Project, utc_now
from annotator.core.validate import clean_name

SPEAKER = "speaker"  # the task name shown for quote speaker disagreements


@dataclass
class Disagreement:
    task: str
    level: str  # article | quote
    task_id: int | None  # None: the speaker of a quote
    article_id: int
    quote_id: int | None
    title: str
    values: dict[str, str]  # annotator -> value as text (options joined with '; ')
    options: list[str] = field(default_factory=list)  # the choices to offer
    multi: bool = False
    adjudicated: str | None = None
    adjudicator: str | None = None
    adjudicated_at: str | None = None


def _key_where(quote_id: int | None, task_id: int | None) -> tuple[str, list]:
    return ("article_id = ? AND quote_id IS ? AND task_id IS ?", [quote_id, task_id])


def get_adjudication(project: Project, article_id: int, task_id: int | None,
                     quote_id: int | None = None) -> list[dict]:
    """The adjudication rows of one item and task (empty when not adjudicated)."""
    where, params = _key_where(quote_id, task_id)
    return list(project.db.query(f"SELECT * FROM adjudications WHERE {where} ORDER BY id", [article_id, *params]))


def set_adjudication(project: Project, article_id: int, task_id: int | None, values: list[str] | str,
                     adjudicator: str, quote_id: int | None = None) -> list[dict]:
    """Store the adjudicated value(s) of a task on an article or quote (for task_id None: the quote's
    speaker); returns the rows replaced. A multiple-choice value may be 'a; b'. An empty adjudicator
    name is a ValueError."""
    adjudicator = " ".join(adjudicator.split())
    if not adjudicator:
        raise ValueError("an adjudication needs the adjudicator's name")
    adjudicator = clean_name(adjudicator, "adjudicator")
    if isinstance(values, str):
        values = [v.strip() for v in values.split(";")] if task_id is not None else [values.strip()]
    values = [v for v in dict.fromkeys(values) if v]
    options = {}
    if task_id is not None:
        values = adjudication_values(project, task_id, values)
        options = dict(project.conn.execute("SELECT name, id FROM options WHERE task_id = ?", [task_id]).fetchall())
    now = utc_now()
    rows = [{"article_id": article_id, "quote_id": quote_id, "task_id": task_id, "option_id": options.get(v),
             "value": v, "adjudicator": adjudicator, "updated_at": now} for v in values]
    if not rows:
        rows = [{"article_id": article_id, "quote_id": quote_id, "task_id": task_id, "option_id": None,
                 "value": "", "adjudicator": adjudicator, "updated_at": now}]
    return restore_adjudication(project, article_id, task_id, quote_id, rows)


def adjudication_values(project: Project, task_id: int, values: list[str] | str) -> list[str]:
    """The option names `values` mean for this task (a name in any case, or an option's key; 'a; b' for a
    multiple-choice task); a ValueError that names the task's options for a value that is none of them.
    The command line and the review window both check through here."""
    if isinstance(values, str):
        values = [v.strip() for v in values.split(";")]
    task = load_scheme(project, install_default=False).task(task_id)
    if task is None:
        raise ValueError(f"no task {task_id}")
    chosen, unknown = [], []
    for value in (v for v in values if v.strip()):
        option = task.find_option(value)
        if option is None:
            unknown.append(value)
        elif option.name not in chosen:
            chosen.append(option.name)
    if unknown:
        raise ValueError(f"task {task.name!r} has no option {', '.join(map(repr, unknown))} "
                         f"(options: {', '.join(o.name for o in task.options)})")
    if task.kind != MULTI and len(chosen) > 1:
        raise ValueError(f"task {task.name!r} takes one value, not {len(chosen)}")
    return chosen


def restore_adjudication(project: Project, article_id: int, task_id: int | None, quote_id: int | None,
                         rows: list[dict]) -> list[dict]:
    """Make `rows` the adjudication of this key (an empty list removes it); returns the rows before."""
    where, params = _key_where(quote_id, task_id)
    with project.write() as db:
        before = get_adjudication(project, article_id, task_id, quote_id)
        db.execute(f"DELETE FROM adjudications WHERE {where}", [article_id, *params])
        for row in rows:
            db["adjudications"].insert({k: v for k, v in row.items() if k != "id"} if "id" not in row else row)
    return before


def _adjudicated_text(project: Project, item: Disagreement | None = None) -> dict[tuple, tuple[str, str, str]]:
    """{(article_id, quote_id, task_id): (value text, adjudicator, time)}; only `item`'s, if given."""
    where, params = "", []
    if item is not None:
        key_where, key_params = _key_where(item.quote_id, item.task_id)
        where = "WHERE " + " AND ".join(f"a.{c.strip()}" for c in key_where.split(" AND "))
        params = [item.article_id, *key_params]
    out: dict[tuple, list] = {}
    for article_id, quote_id, task_id, value, who, when in project.conn.execute(
            "SELECT a.article_id, a.quote_id, a.task_id, coalesce(o.name, a.value), a.adjudicator, a.updated_at "
            f"FROM adjudications a LEFT JOIN options o ON o.id = a.option_id {where} "
            "ORDER BY a.article_id, a.quote_id, a.task_id, o.position, a.id", params):
        entry = out.setdefault((article_id, quote_id, task_id), [[], who, when])
        if value:
            entry[0].append(value)
    return {k: ("; ".join(v[0]), v[1], v[2]) for k, v in out.items()}


def with_adjudication(project: Project, item: Disagreement) -> Disagreement:
    """`item` with its adjudication as the project has it now (after one was made or undone): the
    annotators' values stay, so one lookup instead of finding every disagreement again."""
    found = _adjudicated_text(project, item).get((item.article_id, item.quote_id, item.task_id))
    adjudicated, adjudicator, at = found if found else (None, None, None)
    return replace(item, values=dict(item.values), options=list(item.options), adjudicated=adjudicated,
                   adjudicator=adjudicator, adjudicated_at=at)


def disagreements(project: Project, task_name: str | None = None) -> list[Disagreement]:
    """Items (articles or quotes) where two or more annotators gave different values, per task, and
    quotes whose speaker they named differently; with any adjudication already made."""
    scheme = load_scheme(project)
    titles = {}
    adjudicated = _adjudicated_text(project)
    out: list[Disagreement] = []
    quote_article = {}
    for task in scheme.tasks:
        if task_name is not None and task.name != task_name:
            continue
        names = {o.id: o.name for o in task.options}
        position = {o.id: o.position for o in task.options}

        def text(value, names=names, position=position) -> str:
            if isinstance(value, frozenset):
                return "; ".join(names.get(i, "?") for i in sorted(value, key=lambda i: (position.get(i, 0), i)))
            return names.get(value, "?")

        for item_id, values in task_units(project, task).items():
            if len(values) < 2 or len(set(values.values())) < 2:
                continue
            if task.level == "quote":
                if item_id not in quote_article:
                    row = project.conn.execute("SELECT article_id FROM quotes WHERE id = ?", [item_id]).fetchone()
                    quote_article[item_id] = row[0] if row else None
                article_id, quote_id = quote_article[item_id], item_id
            else:
                article_id, quote_id = item_id, None
            out.append(Disagreement(
                task=task.name, level=task.level, task_id=task.id, article_id=article_id, quote_id=quote_id,
                title="", values={a: text(v) for a, v in sorted(values.items())},
                options=[o.name for o in task.options], multi=task.kind == MULTI,
            ))
    if task_name is None or task_name == SPEAKER:
        out.extend(_speaker_disagreements(project))
    for d in out:
        if d.article_id not in titles:
            row = project.conn.execute("SELECT title FROM articles WHERE id = ?", [d.article_id]).fetchone()
            titles[d.article_id] = (row[0] if row else None) or f"article {d.article_id}"
        d.title = titles[d.article_id]
        found = adjudicated.get((d.article_id, d.quote_id, d.task_id))
        if found:
            d.adjudicated, d.adjudicator, d.adjudicated_at = found
    out.sort(key=lambda d: (d.task, d.level, d.article_id, d.quote_id or 0))
    return out


def _speaker_disagreements(project: Project) -> list[Disagreement]:
    sets = quote_sets(project)
    spans: dict[tuple, dict[str, object]] = {}
    for person, quotes in sets.items():
        for key, value in quotes.items():
            spans.setdefault(key, {})[person] = value
    entity_names = dict(project.conn.execute("SELECT id, name FROM entities").fetchall())
    out = []
    for (article_id, start, end), values in spans.items():
        if len(values) < 2 or len(set(values.values())) < 2:
            continue
        row = project.conn.execute(
            'SELECT id FROM quotes WHERE article_id = ? AND start = ? AND "end" = ? ORDER BY origin != \'auto\', id '
            "LIMIT 1", [article_id, start, end]).fetchone()
        shown = {a: (entity_names.get(v, str(v)) if isinstance(v, int) else (v or "(no speaker)"))
                 for a, v in sorted(values.items())}
        out.append(Disagreement(
            task=SPEAKER, level="quote", task_id=None, article_id=article_id, quote_id=row[0], title="",
            values=shown, options=sorted(set(shown.values()) - {"(no speaker)"}),
        ))
    return out


def item_side_by_side(project: Project, article_id: int) -> dict:
    """An article with each annotator's labels and quote speakers, for showing them next to each other:
    {'title', 'text', 'labels': {annotator: {task title: value}}, 'quotes': [{'id', 'text', 'form', 'content',
    'speakers': {...}}]}."""
    scheme = load_scheme(project)
    article = project.conn.execute("SELECT title, text FROM articles WHERE id = ?", [article_id]).fetchone()
    if article is None:
        raise ValueError(f"no article {article_id}")
    names = {o.id: (t, o) for t in scheme.tasks for o in t.options}
    labels: dict[str, dict[str, list[str]]] = {}
    quote_labels: dict[int, dict[str, dict[str, list[str]]]] = {}
    for quote_id, annotator, option_id in project.conn.execute(
            "SELECT quote_id, annotator, option_id FROM labels WHERE article_id = ? ORDER BY annotator", [article_id]):
        task, option = names.get(option_id, (None, None))
        if task is None:
            continue
        target = labels if quote_id is None else quote_labels.setdefault(quote_id, {})
        target.setdefault(annotator, {}).setdefault(task.title, []).append(option.name)
    quotes = []
    for qid, text, start, speaker, origin, owner, form, content in project.conn.execute(
            "SELECT id, text, start, speaker, origin, annotator, form, ifnull(content, text) FROM quotes "
            "WHERE article_id = ? ORDER BY start", [article_id]):
        speakers = {}
        for annotator, status, sp, entity in project.conn.execute(
                f"SELECT ql.annotator, ql.status, {shown.speaker_sql()}, e.name FROM quote_labels ql "
                f"JOIN quotes q ON q.id = ql.quote_id LEFT JOIN entities e ON e.id = {shown.entity_sql()} "
                "WHERE ql.quote_id = ?", [qid]):
            speakers[annotator] = "(not a quote)" if status == "rejected" else (entity or sp or "?")
        if origin == "human" and owner not in speakers:
            speakers[owner] = speaker or "(no speaker)"
        quotes.append({"id": qid, "text": text, "form": form, "content": content, "start": start,
                       "detected_speaker": speaker, "origin": origin,
                       "marked_by": owner, "speakers": speakers, "labels": {
                           a: {t: "; ".join(v) for t, v in per.items()} for a, per in quote_labels.get(qid, {}).items()}})
    return {
        "article_id": article_id, "title": article[0] or f"article {article_id}", "text": article[1],
        "labels": {a: {t: "; ".join(v) for t, v in per.items()} for a, per in labels.items()},
        "quotes": quotes,
    }
