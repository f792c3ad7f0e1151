"""Edits to the entity registry as QUndoCommands on the main window's undo stack: redo calls one core
function of annotator.core.entities and undo its matching undo function.

After each redo or undo a command calls `changed(entity_ids)` with the entities it touched, so the
window can refresh its table and the suggestion indexes. A change the core refuses (EntityError)
calls `failed(message)` and drops the command from the stack: nothing was changed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from annotator.core import entities
from annotator.core.entities import EntityError
from annotator.core.store import Project

Changed = Callable[[list[int]], None]
Failed = Callable[[str], None]


class _EntityEdit(QUndoCommand):
    def __init__(self, text: str, project: Project, changed: Changed, failed: Failed):
        super().__init__(text)
        self.project, self.changed, self.failed = project, changed, failed
        self.error: str | None = None

    def _do(self) -> list[int]:
        raise NotImplementedError

    def _undo(self) -> list[int]:
        raise NotImplementedError

    def _run(self, step: Callable[[], list[int]]) -> None:
        try:
            ids = step()
        except EntityError as exc:  # refused, or the registry changed under the stack (another program)
            self.error = str(exc)
            self.setObsolete(True)
            self.failed(self.error)
            return
        self.changed(ids)

    def redo(self):
        self._run(self._do)

    def undo(self):
        self._run(self._undo)


class RenameEntity(_EntityEdit):
    def __init__(self, project, entity_id: int, name: str, changed, failed):
        super().__init__(f"rename entity to {name!r}", project, changed, failed)
        self.entity_id, self.name = entity_id, name
        self.record: entities.RenameRecord | None = None

    def _do(self):
        self.record = entities.rename_entity(self.project, self.entity_id, self.name)
        return [self.entity_id]

    def _undo(self):
        entities.undo_rename(self.project, self.record)
        return [self.entity_id]


class UpdateEntity(_EntityEdit):
    """Kind and/or role; undone by the same core call with the values from before."""

    def __init__(self, project, entity_id: int, changed, failed, *, kind: str | None = None,
                 role: str | None = None):
        what = "kind" if role is None else "role" if kind is None else "kind and role"
        super().__init__(f"change entity {what}", project, changed, failed)
        self.entity_id, self.kind, self.role = entity_id, kind, role
        self.before: dict | None = None

    def _do(self):
        self.before = entities.update_entity(self.project, self.entity_id, kind=self.kind, role=self.role)
        return [self.entity_id]

    def _undo(self):
        entities.update_entity(self.project, self.entity_id, **self.before)
        return [self.entity_id]


class AddAlias(_EntityEdit):
    def __init__(self, project, entity_id: int, alias: str, changed, failed):
        super().__init__(f"add alias {alias!r}", project, changed, failed)
        self.entity_id, self.alias = entity_id, alias
        self.added = False

    def _do(self):
        self.added = entities.add_alias(self.project, self.entity_id, self.alias)
        if not self.added:
            raise EntityError(f"{self.alias!r} is already one of this entity's names")
        return [self.entity_id]

    def _undo(self):
        entities.remove_alias(self.project, self.entity_id, self.alias)
        return [self.entity_id]


class RemoveAlias(_EntityEdit):
    def __init__(self, project, entity_id: int, alias: str, changed, failed):
        super().__init__(f"remove alias {alias!r}", project, changed, failed)
        self.entity_id, self.alias = entity_id, alias

    def _do(self):
        if not entities.remove_alias(self.project, self.entity_id, self.alias):
            raise EntityError(f"the entity has no alias {self.alias!r}")
        return [self.entity_id]

    def _undo(self):
        entities.add_alias(self.project, self.entity_id, self.alias)
        return [self.entity_id]


class MergeEntities(_EntityEdit):
    def __init__(self, project, keep_id: int, other_id: int, changed, failed, text: str = ""):
        super().__init__(text or "merge entities", project, changed, failed)
        self.keep_id, self.other_id = keep_id, other_id
        self.record: entities.MergeRecord | None = None

    def _do(self):
        self.record = entities.merge_entities(self.project, self.keep_id, self.other_id)
        return [self.keep_id, self.other_id]

    def _undo(self):
        entities.undo_merge(self.project, self.record)
        return [self.keep_id, self.other_id]


class SplitAlias(_EntityEdit):
    """An alias becomes its own entity (with the mentions and quotes that wrote it); `new_entity_id`
    is known after redo."""

    def __init__(self, project, entity_id: int, alias: str, changed, failed):
        super().__init__(f"split {alias!r} off", project, changed, failed)
        self.entity_id, self.alias = entity_id, alias
        self.record: entities.SplitRecord | None = None

    @property
    def new_entity_id(self) -> int | None:
        return self.record.new_entity_id if self.record else None

    def _do(self):
        self.record = entities.split_alias(self.project, self.entity_id, self.alias)
        return [self.entity_id, self.record.new_entity_id]

    def _undo(self):
        entities.undo_split(self.project, self.record)
        return [self.entity_id, self.record.new_entity_id]


class DeleteEntity(_EntityEdit):
    """Delete an entity nothing links to; the core refuses (with its reason) when something does."""

    def __init__(self, project, entity_id: int, changed, failed, text: str = ""):
        super().__init__(text or "delete entity", project, changed, failed)
        self.entity_id = entity_id
        self.saved: entities.Entity | None = None

    def _do(self):
        self.saved = entities.delete_entity(self.project, self.entity_id)
        return [self.entity_id]

    def _undo(self):
        entities.restore_entity(self.project, self.saved)
        return [self.entity_id]
