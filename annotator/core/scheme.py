"""The label scheme of a project: tasks (single or multiple choice, per article or per quote) and options.

The scheme lives in the project's `tasks` and `options` tables; labels point at option ids, so renaming
an option or changing its shortcut keeps every label already given. A project with no tasks gets the
default scheme from `resources/schemes/default.json` the first time it is loaded.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from annotator.core.resources import read_resource_text
from annotator.core.store import Project
from annotator.core.validate import clean_name

SINGLE, MULTI = "single", "multi"
KINDS = (SINGLE, MULTI)
LEVELS = ("article", "quote")
# Keys the window uses for navigation and correcting; an option cannot take them.
RESERVED_KEYS = frozenset("NPQS")


def fold_name(text: str) -> str:
    """How a typed task or option name is compared: case and runs of white space do not count."""
    return " ".join((text or "").split()).casefold()


@dataclass
class Option:
    id: int
    task_id: int
    name: str
    shortcut: str | None = None
    position: int = 0


@dataclass
class Task:
    id: int
    name: str
    kind: str  # single | multi
    level: str  # article | quote
    target: str | None = None
    position: int = 0
    options: list[Option] = field(default_factory=list)

    @property
    def title(self) -> str:
        """How the task is named on screen: 'stance towards China', 'topic'."""
        return f"{self.name} towards {self.target}" if self.target else self.name

    def option(self, option_id: int) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    def find_option(self, typed: str) -> Option | None:
        """The option a person means by `typed`: its name in any case and spacing, else its key."""
        wanted = fold_name(typed)
        return next((o for o in self.options if fold_name(o.name) == wanted), None) or \
            next((o for o in self.options if o.shortcut and o.shortcut.casefold() == wanted), None)


@dataclass
class Scheme:
    tasks: list[Task] = field(default_factory=list)

    def at_level(self, level: str) -> list[Task]:
        return [t for t in self.tasks if t.level == level]

    def task(self, task_id: int) -> Task | None:
        return next((t for t in self.tasks if t.id == task_id), None)

    def find_task(self, typed: str, level: str | None = None) -> Task | None:
        """The task a person means by `typed` (its name in any case and spacing), at `level` if given."""
        wanted = fold_name(typed)
        return next((t for t in self.tasks if fold_name(t.name) == wanted and level in (None, t.level)), None)

    def stance_task(self, level: str = "article") -> Task | None:
        """The first single-choice task of a level: the one shown as 'your stance' in the article list."""
        return next((t for t in self.at_level(level) if t.kind == SINGLE), None)

    def option_for_key(self, key: str, level: str = "article") -> tuple[Task, Option] | None:
        key = key.upper()
        for task in self.at_level(level):
            for option in task.options:
                if option.shortcut and option.shortcut.upper() == key:
                    return task, option
        return None

    def option_name(self, option_id: int) -> str | None:
        for task in self.tasks:
            option = task.option(option_id)
            if option:
                return option.name
        return None

    def to_dict(self) -> dict:
        return {
            "tasks": [
                {
                    "id": t.id, "name": t.name, "kind": t.kind, "level": t.level, "target": t.target,
                    "options": [{"id": o.id, "name": o.name, "shortcut": o.shortcut} for o in t.options],
                }
                for t in self.tasks
            ]
        }


def default_scheme_spec() -> dict:
    return json.loads(read_resource_text("schemes", "default.json"))


def load_scheme(project: Project, install_default: bool = True) -> Scheme:
    """The project's scheme, ordered by position; installs the default one when there are no tasks
    (unless the project is open only for reading: then no tasks)."""
    db = project.db
    if install_default and not project.read_only and db["tasks"].count == 0:
        install_scheme(project, default_scheme_spec())
    tasks = [Task(**{k: row[k] for k in ("id", "name", "kind", "level", "target", "position")})
             for row in db.query("SELECT * FROM tasks ORDER BY position, id")]
    by_id = {t.id: t for t in tasks}
    for row in db.query("SELECT id, task_id, name, shortcut, position FROM options ORDER BY position, id"):
        if row["task_id"] in by_id:
            by_id[row["task_id"]].options.append(Option(**row))
    return Scheme(tasks)


def install_scheme(project: Project, spec: dict) -> Scheme:
    """Add the tasks of a scheme spec ({'tasks': [{name, kind, level, target, options: [...]}]})."""
    with project.write():
        for task_spec in spec.get("tasks", []):
            task_id = add_task(project, task_spec["name"], task_spec.get("kind", SINGLE),
                               task_spec.get("level", "article"), task_spec.get("target"))
            for option_spec in task_spec.get("options", []):
                add_option(project, task_id, option_spec["name"], option_spec.get("shortcut"))
    return load_scheme(project, install_default=False)


def _check_kind_level(kind: str, level: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"task kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if level not in LEVELS:
        raise ValueError(f"task level must be one of {', '.join(LEVELS)}, not {level!r}")


def add_task(project: Project, name: str, kind: str = SINGLE, level: str = "article",
             target: str | None = None) -> int:
    """Add a task at the end; returns its id. A name already used at that level is a ValueError."""
    _check_kind_level(kind, level)
    name = name.strip()
    if not name:
        raise ValueError("a task needs a name")
    name = clean_name(name, "task")
    with project.write() as db:
        if db.execute("SELECT 1 FROM tasks WHERE name = ? AND level = ?", [name, level]).fetchone():
            raise ValueError(f"there is already a task {name!r} for {level}s")
        position = db.execute("SELECT coalesce(max(position), -1) + 1 FROM tasks").fetchone()[0]
        return db["tasks"].insert(
            {"name": name, "kind": kind, "level": level, "target": target or None, "position": position}
        ).last_pk


def update_task(project: Project, task_id: int, *, name: str | None = None, target: str | None = None,
                kind: str | None = None) -> None:
    """Rename a task, change its target ('' clears it) or its kind; labels stay where they are."""
    changes: dict = {}
    if name is not None:
        if not name.strip():
            raise ValueError("a task needs a name")
        changes["name"] = clean_name(name, "task")
    if target is not None:
        changes["target"] = target.strip() or None
    if kind is not None:
        _check_kind_level(kind, "article")
        changes["kind"] = kind
    if changes:
        with project.write() as db:
            db["tasks"].update(task_id, changes)


def label_count(project: Project, *, task_id: int | None = None, option_id: int | None = None) -> int:
    """How many labels (all annotators) use a task or an option: what removing it would throw away."""
    if option_id is not None:
        return project.db["labels"].count_where("option_id = ?", [option_id])
    return project.db["labels"].count_where("task_id = ?", [task_id])


def remove_task(project: Project, task_id: int, *, drop_labels: bool = False) -> str | None:
    """Remove a task and its options. Refused (a sentence comes back) when it has labels, unless
    `drop_labels` says the person confirmed that those labels go too."""
    used = label_count(project, task_id=task_id)
    if used and not drop_labels:
        return f"{used} labels use this task; confirm to delete them with it"
    with project.write() as db:
        db.execute("DELETE FROM labels WHERE task_id = ?", [task_id])
        db.execute("DELETE FROM adjudications WHERE task_id = ?", [task_id])
        db.execute("DELETE FROM options WHERE task_id = ?", [task_id])
        db.execute("DELETE FROM tasks WHERE id = ?", [task_id])
    return None


def check_shortcut(project: Project, task_id: int, shortcut: str | None, option_id: int | None = None) -> str | None:
    """None when `shortcut` may be used by an option of this task, else a sentence saying why not."""
    if not shortcut:
        return None
    if len(shortcut) != 1 or not shortcut.isalnum():
        return f"a shortcut is one letter or digit, not {shortcut!r}"
    if shortcut == "0":
        return "0 is not a shortcut; use 1-9 or a letter"
    if shortcut.upper() in RESERVED_KEYS:
        return f"{shortcut.upper()} is taken by the window (N next, P previous, Q quote, S speaker)"
    level = project.db["tasks"].get(task_id)["level"]
    clash = project.db.execute(
        "SELECT o.name, t.name FROM options o JOIN tasks t ON t.id = o.task_id "
        "WHERE t.level = ? AND upper(o.shortcut) = upper(?) AND o.id IS NOT ?",
        [level, shortcut, option_id],
    ).fetchone()
    if clash:
        return f"{shortcut.upper()} is already the key of {clash[0]!r} ({clash[1]})"
    return None


def add_option(project: Project, task_id: int, name: str, shortcut: str | None = None) -> int:
    """Add an option at the end of a task; returns its id. A bad or taken shortcut is a ValueError."""
    name = name.strip()
    if not name:
        raise ValueError("an option needs a name")
    name = clean_name(name, "option")
    problem = check_shortcut(project, task_id, shortcut)
    if problem:
        raise ValueError(problem)
    with project.write() as db:
        if db.execute("SELECT 1 FROM options WHERE task_id = ? AND name = ?", [task_id, name]).fetchone():
            raise ValueError(f"this task already has an option {name!r}")
        position = db.execute(
            "SELECT coalesce(max(position), -1) + 1 FROM options WHERE task_id = ?", [task_id]
        ).fetchone()[0]
        return db["options"].insert(
            {"task_id": task_id, "name": name, "shortcut": shortcut.upper() if shortcut else None,
             "position": position}
        ).last_pk


def rename_option(project: Project, option_id: int, name: str) -> str:
    """Rename an option; labels keep pointing at it. Returns the old name (for undo)."""
    name = name.strip()
    if not name:
        raise ValueError("an option needs a name")
    name = clean_name(name, "option")
    row = project.db["options"].get(option_id)
    with project.write() as db:
        if db.execute("SELECT 1 FROM options WHERE task_id = ? AND name = ? AND id != ?",
                      [row["task_id"], name, option_id]).fetchone():
            raise ValueError(f"this task already has an option {name!r}")
        db["options"].update(option_id, {"name": name})
    return row["name"]


def set_option_shortcut(project: Project, option_id: int, shortcut: str | None) -> str | None:
    """Give an option a key ('' or None removes it); returns the old key. A bad key is a ValueError."""
    row = project.db["options"].get(option_id)
    problem = check_shortcut(project, row["task_id"], shortcut, option_id)
    if problem:
        raise ValueError(problem)
    with project.write() as db:
        db["options"].update(option_id, {"shortcut": shortcut.upper() if shortcut else None})
    return row["shortcut"]


def remove_option(project: Project, option_id: int, *, drop_labels: bool = False) -> str | None:
    """Remove an option. Refused (a sentence comes back) when labels use it, unless `drop_labels`."""
    used = label_count(project, option_id=option_id)
    if used and not drop_labels:
        return f"{used} labels use this option; confirm to delete them with it"
    with project.write() as db:
        db.execute("DELETE FROM labels WHERE option_id = ?", [option_id])
        db.execute("DELETE FROM adjudications WHERE option_id = ?", [option_id])
        db.execute("DELETE FROM options WHERE id = ?", [option_id])
    return None


def saved_rows(project: Project, *, task_id: int | None = None, option_id: int | None = None) -> dict:
    """The rows a removal of this task (with its options) or option would delete, labels and adjudications
    included: what `restore_task` / `restore_option` put back (undo)."""
    db = project.db
    if option_id is not None:
        where, args = "option_id = ?", [option_id]
        tasks, options = [], list(db.query("SELECT * FROM options WHERE id = ?", [option_id]))
    else:
        where, args = "task_id = ?", [task_id]
        tasks = list(db.query("SELECT * FROM tasks WHERE id = ?", [task_id]))
        options = list(db.query("SELECT * FROM options WHERE task_id = ?", [task_id]))
    return {"tasks": tasks, "options": options,
            "labels": list(db.query(f"SELECT * FROM labels WHERE {where}", args)),
            "adjudications": list(db.query(f"SELECT * FROM adjudications WHERE {where}", args))}


def restore_option(project: Project, saved: dict) -> None:
    """Put back an option (same id, key and position) and its labels from `saved_rows`, in one transaction.
    A name or key taken since is a ValueError and nothing is written."""
    try:
        with project.write() as db:
            for table in ("tasks", "options", "labels", "adjudications"):
                if saved[table]:
                    db[table].insert_all(saved[table])
            for option in saved["options"]:
                problem = check_shortcut(project, option["task_id"], option["shortcut"], option["id"])
                if problem:
                    raise ValueError(f"cannot put {option['name']!r} back: {problem}")
    except sqlite3.IntegrityError:
        raise ValueError("cannot put it back: a task or option of that name exists now") from None


def restore_task(project: Project, saved: dict) -> None:
    """Put back a task with its options and labels from `saved_rows` (same ids), in one transaction."""
    restore_option(project, saved)


def scheme_json(scheme: Scheme) -> str:
    return json.dumps(scheme.to_dict(), ensure_ascii=False, indent=2)

