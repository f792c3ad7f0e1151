"""Edits of the label scheme as QUndoCommands, on the window's undo stack with the label edits.

Redo and undo each call one core function of annotator.core.scheme. Added or removed tasks and options
come back with the same ids, so commands above them on the stack (labels, renames) stay valid. A step
the core refuses (a key taken, labels given meanwhile) is reported through `changed(problem, select)`
and the command drops out of the stack; `select` is the (kind, id) the scheme view should show.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from annotator.core import scheme as core_scheme
from annotator.core.store import Project

TASK, OPTION = "task", "option"
Changed = Callable[[str | None, tuple[str, int] | None], None]


class _SchemeEdit(QUndoCommand):
    def __init__(self, text: str, project: Project, changed: Changed):
        super().__init__(text)
        self.project, self.changed = project, changed
        self.problem: str | None = None

    def _run(self, step: Callable[[], tuple[str, int] | None]) -> None:
        """Do one step; a refusal (a sentence or a ValueError) makes the command obsolete and is reported."""
        select = None
        try:
            select = step()
            self.problem = None
        except ValueError as exc:
            self.problem = str(exc)
        if self.problem:
            self.setObsolete(True)
        self.changed(self.problem, select)

    def redo(self):
        self._run(self._redo)

    def undo(self):
        self._run(self._undo)


class RenameOption(_SchemeEdit):
    def __init__(self, project, option_id: int, name: str, changed: Changed):
        super().__init__(f"rename option to {name.strip()!r}", project, changed)
        self.option_id, self.name, self.before = option_id, name, ""

    def _redo(self):
        self.before = core_scheme.rename_option(self.project, self.option_id, self.name)
        return OPTION, self.option_id

    def _undo(self):
        core_scheme.rename_option(self.project, self.option_id, self.before)
        return OPTION, self.option_id


class SetShortcut(_SchemeEdit):
    def __init__(self, project, option_id: int, shortcut: str | None, changed: Changed):
        super().__init__("change key", project, changed)
        self.option_id, self.shortcut, self.before = option_id, shortcut, None

    def _redo(self):
        self.before = core_scheme.set_option_shortcut(self.project, self.option_id, self.shortcut)
        return OPTION, self.option_id

    def _undo(self):
        core_scheme.set_option_shortcut(self.project, self.option_id, self.before)
        return OPTION, self.option_id


class UpdateTask(_SchemeEdit):
    """Name or target of a task; `before` holds the previous values of the same fields ('' for no target)."""

    def __init__(self, project, task_id: int, after: dict, before: dict, changed: Changed):
        super().__init__("edit task", project, changed)
        self.task_id, self.after, self.before = task_id, after, before

    def _redo(self):
        core_scheme.update_task(self.project, self.task_id, **self.after)
        return TASK, self.task_id

    def _undo(self):
        core_scheme.update_task(self.project, self.task_id, **self.before)
        return TASK, self.task_id


class _Removal(_SchemeEdit):
    """Shared by add and remove: take a task or option out (saving its rows), or put it back."""

    def __init__(self, text, project, what: str, item_id: int | None, changed: Changed, drop_labels=False):
        super().__init__(text, project, changed)
        self.what, self.item_id, self.drop_labels = what, item_id, drop_labels
        self.saved: dict | None = None

    def _take_out(self):
        key = {"task_id": self.item_id} if self.what == TASK else {"option_id": self.item_id}
        saved = core_scheme.saved_rows(self.project, **key)
        remove = core_scheme.remove_task if self.what == TASK else core_scheme.remove_option
        refused = remove(self.project, self.item_id, drop_labels=self.drop_labels)
        if refused:
            raise ValueError(f"cannot take the {self.what} out: {refused}")
        self.saved = saved
        return None

    def _put_back(self):
        restore = core_scheme.restore_task if self.what == TASK else core_scheme.restore_option
        restore(self.project, self.saved)
        return self.what, self.item_id


class RemoveItem(_Removal):
    """Remove a task (with its options) or an option; with `drop_labels` its labels go too, and come back
    on undo."""

    def __init__(self, project, what: str, item_id: int, changed: Changed, drop_labels: bool = False):
        super().__init__(f"remove {what}", project, what, item_id, changed, drop_labels)

    def _redo(self):
        return self._take_out()

    def _undo(self):
        return self._put_back()


class AddOption(_Removal):
    """The first redo creates the option; undo removes it (refused if labels use it by then); a later redo
    puts back the same row."""

    def __init__(self, project, task_id: int, name: str, changed: Changed, shortcut: str | None = None):
        super().__init__(f"add option {name.strip()!r}", project, OPTION, None, changed)
        self.task_id, self.name, self.shortcut = task_id, name, shortcut

    def _redo(self):
        if self.saved is None:
            self.item_id = core_scheme.add_option(self.project, self.task_id, self.name, self.shortcut)
            return OPTION, self.item_id
        return self._put_back()

    def _undo(self):
        return self._take_out()


class AddTask(_Removal):
    def __init__(self, project, name: str, kind: str, level: str, target: str | None, changed: Changed):
        super().__init__(f"add task {name.strip()!r}", project, TASK, None, changed)
        self.args = (name, kind, level, target)

    def _redo(self):
        if self.saved is None:
            self.item_id = core_scheme.add_task(self.project, *self.args)
            return TASK, self.item_id
        return self._put_back()

    def _undo(self):
        return self._take_out()
