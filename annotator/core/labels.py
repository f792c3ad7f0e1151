"""A person's labels: choices per task, notes and workflow status, per article and per quote.

Every setter writes one committed transaction and returns the value it replaced, so an undo can put
it back by calling the same setter with that value. Labels point at option ids (see scheme.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.changes import Change
from annotator.core.store import Project, utc_now
from annotator.core.validate import ARTICLE_STATUSES, clean_name

STATUSES = ARTICLE_STATUSES
DONE_STATUSES = ("labelled", "reviewed")


# --- annotators -----------------------------------------------------------------------------------


def ensure_annotator(project: Project, name: str) -> str:
    """Register an annotator name (spaces folded); returns it. An empty name, or one that
    `validate.check_name` refuses (control characters, too long), is a ValueError."""
    name = " ".join(name.split())
    if not name:
        raise ValueError("an annotator needs a name")
    name = clean_name(name, "annotator")
    with project.write() as db:
        db.execute("INSERT OR IGNORE INTO annotators (name, created_at) VALUES (?, ?)", [name, utc_now()])
    return name


def list_annotators(project: Project) -> list[str]:
    return [r[0] for r in project.conn.execute("SELECT name FROM annotators ORDER BY name COLLATE NOCASE")]


# --- choices --------------------------------------------------------------------------------------


def _item_where(quote_id: int | None) -> str:
    # the form of the unique index idx_labels_unique (article_id, ifnull(quote_id, 0), annotator, task_id,
    # option_id), so that SQLite looks a label up by it rather than by all the labels of the annotator
    return "ifnull(quote_id, 0) = ?"


def _item_params(quote_id: int | None) -> list:
    return [quote_id or 0]  # quote ids are rowids, never 0


def chosen_options(project: Project, article_id: int, annotator: str, task_id: int,
                   quote_id: int | None = None) -> list[int]:
    """Option ids this annotator chose for a task on an article (or on one of its quotes)."""
    rows = project.conn.execute(
        f"SELECT option_id FROM labels WHERE article_id = ? AND annotator = ? AND task_id = ? "
        f"AND {_item_where(quote_id)} ORDER BY option_id",
        [article_id, annotator, task_id, *_item_params(quote_id)],
    )
    return [r[0] for r in rows]


def item_labels(project: Project, article_id: int, annotator: str, quote_id: int | None = None) -> dict[int, list[int]]:
    """{task_id: [option ids]} for one article (quote_id None) or one quote."""
    out: dict[int, list[int]] = {}
    rows = project.conn.execute(
        f"SELECT task_id, option_id FROM labels WHERE article_id = ? AND annotator = ? AND {_item_where(quote_id)} "
        "ORDER BY task_id, option_id",
        [article_id, annotator, *_item_params(quote_id)],
    )
    for task_id, option_id in rows:
        out.setdefault(task_id, []).append(option_id)
    return out


def quote_choices(project: Project, article_id: int, annotator: str, task_id: int) -> dict[int, int]:
    """{quote_id: option_id} of a single-choice quote task for all quotes of an article."""
    rows = project.conn.execute(
        "SELECT quote_id, option_id FROM labels WHERE article_id = ? AND annotator = ? AND task_id = ? "
        "AND quote_id IS NOT NULL",
        [article_id, annotator, task_id],
    )
    return dict(rows.fetchall())


def choose_options(project: Project, article_id: int, annotator: str, task_id: int, option_ids: list[int],
                   quote_id: int | None = None) -> Change:
    """Make exactly these options the chosen ones for a task; the Change carries them and, as `before`,
    the ones chosen before. Four statements: begin, delete (returning what it removed), insert, commit."""
    now = utc_now()
    wanted = list(dict.fromkeys(option_ids))
    with project.write() as db:
        before = sorted(r[0] for r in db.execute(
            f"DELETE FROM labels WHERE article_id = ? AND annotator = ? AND task_id = ? AND {_item_where(quote_id)} "
            "RETURNING option_id", [article_id, annotator, task_id, *_item_params(quote_id)]).fetchall())
        if wanted:
            db.conn.execute(
                "INSERT INTO labels (article_id, quote_id, annotator, task_id, option_id, updated_at) "
                f"VALUES {', '.join(['(?, ?, ?, ?, ?, ?)'] * len(wanted))}",
                [v for option_id in wanted for v in (article_id, quote_id, annotator, task_id, option_id, now)])
    return Change(article_id, labels={(quote_id, task_id): sorted(wanted)}, before=before)


def toggle_option(project: Project, article_id: int, annotator: str, task_id: int, option_id: int, on: bool,
                  quote_id: int | None = None) -> Change:
    """Multiple choice: tick or untick one option; `before` says whether it was ticked."""
    with project.write() as db:
        if on:
            was = db.conn.execute(
                "INSERT OR IGNORE INTO labels (article_id, quote_id, annotator, task_id, option_id, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)", [article_id, quote_id, annotator, task_id, option_id, utc_now()],
            ).rowcount == 0
        else:
            was = db.conn.execute(
                f"DELETE FROM labels WHERE article_id = ? AND annotator = ? AND task_id = ? AND option_id = ? "
                f"AND {_item_where(quote_id)}", [article_id, annotator, task_id, option_id, *_item_params(quote_id)],
            ).rowcount > 0
        now = chosen_options(project, article_id, annotator, task_id, quote_id)
    return Change(article_id, labels={(quote_id, task_id): now}, before=was)


def set_options(project: Project, article_id: int, annotator: str, task_id: int, option_ids: list[int],
                quote_id: int | None = None) -> list[int]:
    """Make exactly these options the chosen ones for a task; returns the ones chosen before."""
    return choose_options(project, article_id, annotator, task_id, option_ids, quote_id).before


def set_choice(project: Project, article_id: int, annotator: str, task_id: int, option_id: int | None,
               quote_id: int | None = None) -> int | None:
    """Single choice: choose one option (None clears); returns the option chosen before, or None."""
    before = set_options(project, article_id, annotator, task_id, [] if option_id is None else [option_id], quote_id)
    return before[0] if before else None


def set_option(project: Project, article_id: int, annotator: str, task_id: int, option_id: int, on: bool,
               quote_id: int | None = None) -> bool:
    """Multiple choice: tick or untick one option; returns whether it was ticked before."""
    return toggle_option(project, article_id, annotator, task_id, option_id, on, quote_id).before


def article_labels(project: Project, article_id: int, annotator: str) -> dict[tuple[int | None, int], list[int]]:
    """{(quote id or None, task id): [option ids]}: every label of an article and its quotes, one query."""
    out: dict[tuple[int | None, int], list[int]] = {}
    for quote_id, task_id, option_id in project.conn.execute(
            "SELECT quote_id, task_id, option_id FROM labels WHERE article_id = ? AND annotator = ? "
            "ORDER BY quote_id, task_id, option_id", [article_id, annotator]):
        out.setdefault((quote_id, task_id), []).append(option_id)
    return out


# --- status and note ------------------------------------------------------------------------------


def article_state(project: Project, article_id: int, annotator: str) -> tuple[str, str]:
    """(status, note) of an article for an annotator; ('todo', '') when never touched."""
    row = project.conn.execute(
        "SELECT status, note FROM article_status WHERE article_id = ? AND annotator = ?", [article_id, annotator]
    ).fetchone()
    return (row[0] or "todo", row[1] or "") if row else ("todo", "")


def change_state(project: Project, article_id: int, annotator: str, *, status: str | None = None,
                 note: str | None = None) -> Change:
    """Set the status (todo / labelled / reviewed) or the note of an article for an annotator; the
    Change's `before` is the status or note it replaced."""
    if status is not None and status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    with project.write() as db:
        old_status, old_note = article_state(project, article_id, annotator)
        db.execute(
            "INSERT INTO article_status (article_id, annotator, status, note, updated_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (article_id, annotator) DO UPDATE SET status = excluded.status, note = excluded.note, "
            "updated_at = excluded.updated_at",
            [article_id, annotator, status if status is not None else old_status,
             (note if note is not None else old_note) or None, utc_now()],
        )
    if status is not None:
        return Change(article_id, status=status, before=old_status)
    return Change(article_id, note=note, before=old_note)


def set_status(project: Project, article_id: int, annotator: str, status: str) -> str:
    """Set todo / labelled / reviewed; returns the status before."""
    return change_state(project, article_id, annotator, status=status).before


def set_note(project: Project, article_id: int, annotator: str, note: str) -> str:
    """Set the annotator's free-text note on an article; returns the note before ('' for none)."""
    return change_state(project, article_id, annotator, note=note).before


# --- progress -------------------------------------------------------------------------------------


@dataclass
class Progress:
    done: int
    total: int

    def text(self, who: str = "you") -> str:
        """'312 of 5,000 labelled by you'."""
        return f"{self.done:,} of {self.total:,} labelled by {who}"


def progress(project: Project, annotator: str) -> Progress:
    done = project.conn.execute(
        "SELECT count(*) FROM article_status WHERE annotator = ? AND status IN ('labelled', 'reviewed')",
        [annotator],
    ).fetchone()[0]
    total = project.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    return Progress(done, total)
