"""The entities window: every source in the project as a table with a fuzzy filter, and the edits a
person makes to the registry (rename, kind and role, aliases, merge, split, delete, CSV import and
export). Each edit is a command on the main window's undo stack, so Ctrl+Z there undoes it too.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QStringListModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core import entities
from annotator.core.entities import Entity, EntityError
from annotator.core.names import ENTITY_KINDS, normalise_name
from annotator.core.store import Project
from annotator.core.suggest import IndexRow, SuggestIndex
from annotator.gui import entity_commands as ec
from annotator.gui.entities_model import (
    COL_ALIASES,
    COL_KIND,
    COL_MENTIONS,
    COL_NAME,
    COL_QUOTES,
    COL_ROLE,
    EntitiesModel,
)
from annotator.gui.plain import plain_label

FILTER_LIMIT = 300   # entities shown for a filter, best match first


def _plural(n: int, word: str) -> str:
    if n == 1:
        return f"1 {word}"
    return f"{n:,} {word[:-1]}ies" if word.endswith("y") else f"{n:,} {word}s"


class MergeDialog(QDialog):
    """Which of two entities to keep: the other's aliases and links move to it."""

    def __init__(self, first: Entity, second: Entity, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Merge two entities")
        self.pair = (first, second)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Keep which name? The other entity's aliases, mentions and quotes move to it;\n"
                                "Ctrl+Z undoes the merge."))
        self.group = QButtonGroup(self)
        self.buttons: dict[int, QRadioButton] = {}
        for entity in (first, second):
            button = QRadioButton(f"{entity.name}   ({_plural(entity.mentions, 'mention')}, "
                                  f"{_plural(entity.quotes, 'quote')})")
            self.group.addButton(button)
            self.buttons[entity.id] = button
            layout.addWidget(button)
        # The more linked one is usually the name the corpus uses.
        keep = first if first.links >= second.links else second
        self.buttons[keep.id].setChecked(True)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.button(QDialogButtonBox.StandardButton.Ok).setText("Merge")
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

    def keep_and_other(self) -> tuple[int, int]:
        first, second = self.pair
        return (first.id, second.id) if self.buttons[first.id].isChecked() else (second.id, first.id)

    def choose(self, keep_id: int) -> None:
        self.buttons[keep_id].setChecked(True)


class ImportEntities(QUndoCommand):
    """An entity list from CSV. The core has no undo for an import, so the undo takes back what the
    import added, seen by comparing the registry before and after: new entities are deleted, new
    aliases removed, roles it filled cleared (each with the core's functions)."""

    def __init__(self, project: Project, path: str, changed, failed):
        super().__init__(f"import entities from {Path(path).name}")
        self.project, self.path, self.changed, self.failed = project, path, changed, failed
        self.report: entities.EntityImportReport | None = None
        self.created: list[int] = []
        self.added_aliases: dict[int, list[str]] = {}
        self.filled_roles: list[int] = []
        self.error: str | None = None

    def redo(self):
        before = {e.id: e for e in entities.list_entities(self.project)}
        self.report = entities.import_entities_csv(self.project, self.path)
        if not self.report.ok:
            self.error = "\n".join([self.report.summary(), *(str(p) for p in self.report.problems)])
            self.setObsolete(True)
            self.failed(self.error)
            return
        after = entities.list_entities(self.project)
        self.created = [e.id for e in after if e.id not in before]
        self.added_aliases, self.filled_roles = {}, []
        for e in after:
            old = before.get(e.id)
            if old is None:
                continue
            known = {normalise_name(a) for a in old.aliases}
            new = [a for a in e.aliases if normalise_name(a) not in known]
            if new:
                self.added_aliases[e.id] = new
            if e.role and not old.role:
                self.filled_roles.append(e.id)
        self.changed(None)

    def undo(self):
        try:
            for entity_id in self.created:
                entities.delete_entity(self.project, entity_id)
            for entity_id, aliases in self.added_aliases.items():
                for alias in aliases:
                    entities.remove_alias(self.project, entity_id, alias)
            for entity_id in self.filled_roles:
                entities.update_entity(self.project, entity_id, role="")
        except EntityError as exc:
            self.error = str(exc)
            self.setObsolete(True)
            self.failed(f"The import could not be taken back completely: {exc}")
        self.changed(None)


class EntitiesWindow(QWidget):
    """A separate window over the project's entities; edits go on `undo_stack` (the main window's)."""

    entities_changed = Signal(object)   # the entity ids an edit touched (None: many)

    def __init__(self, project: Project, undo_stack: QUndoStack, speaker_names=None, parent=None):
        super().__init__(parent, Qt.WindowType.Window)
        self.project = project
        self.undo_stack = undo_stack
        self.speaker_names = speaker_names
        self.index: SuggestIndex | None = None
        self._indexed: set[int] = set()
        self.message_box: QMessageBox | None = None
        self.merge_dialog: MergeDialog | None = None
        self._stale = False
        self._own_change = False  # set by this window's edits, read by `_mark_stale`
        self.setWindowTitle(f"Entities: {Path(project.path).name}")
        self.resize(1180, 680)

        self.model = EntitiesModel(project, self)
        self._build()
        self._build_actions()
        undo_stack.indexChanged.connect(self._mark_stale)
        self._update_count()
        self._show_details()

    # --- building ---------------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by name or alias; typos are fine (Ctrl+F)")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.set_filter_text)
        top.addWidget(self.filter, 1)
        self.count_label = plain_label()
        top.addWidget(self.count_label)
        top.addSpacing(12)
        self.merge_button = QPushButton("Merge two selected…")
        self.merge_button.setToolTip("Select two entities (Ctrl+click), then merge them (Ctrl+M)")
        self.merge_button.clicked.connect(self.merge_selected)
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Delete the selected entity (only one nothing links to)")
        self.delete_button.clicked.connect(self.delete_selected)
        self.import_button = QPushButton("Import CSV…")
        self.import_button.setToolTip("Add entities from a CSV list: name, kind, aliases (separated by |), role")
        self.import_button.clicked.connect(lambda: self.import_csv())
        self.export_button = QPushButton("Export CSV…")
        self.export_button.clicked.connect(lambda: self.export_csv())
        for button in (self.merge_button, self.delete_button, self.import_button, self.export_button):
            top.addWidget(button)
        outer.addLayout(top)

        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(COL_ALIASES, QHeaderView.ResizeMode.Stretch)
        for column, width in ((COL_NAME, 170), (COL_KIND, 92), (COL_ROLE, 220), (COL_MENTIONS, 76),
                              (COL_QUOTES, 64)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._show_details())

        self.details = QGroupBox("Selected entity")
        form = QFormLayout(self.details)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("Enter renames (F2)")
        self.name_edit.returnPressed.connect(self._name_entered)
        form.addRow("Name", self.name_edit)
        self.kind_combo = QComboBox()
        for kind in ENTITY_KINDS:
            self.kind_combo.addItem(kind, kind)
        self.kind_combo.activated.connect(self._kind_chosen)
        form.addRow("Kind", self.kind_combo)
        self.role_edit = QLineEdit()
        self.role_edit.setPlaceholderText("e.g. Commerce Secretary; Enter keeps it")
        self.role_edit.editingFinished.connect(self._role_entered)
        form.addRow("Role", self.role_edit)
        self.links_label = plain_label()
        form.addRow("Linked", self.links_label)
        self.alias_model = QStringListModel(self)   # the chosen entity's other names
        self.alias_list = QListView()
        self.alias_list.setModel(self.alias_model)
        self.alias_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.alias_list.selectionModel().selectionChanged.connect(self._alias_selection_changed)
        form.addRow("Aliases", self.alias_list)
        alias_row = QHBoxLayout()
        self.alias_edit = QLineEdit()
        self.alias_edit.setPlaceholderText("another name for it")
        self.alias_edit.returnPressed.connect(self._alias_entered)
        self.add_alias_button = QPushButton("Add")
        self.add_alias_button.clicked.connect(self._alias_entered)
        alias_row.addWidget(self.alias_edit, 1)
        alias_row.addWidget(self.add_alias_button)
        form.addRow("", alias_row)
        alias_buttons = QHBoxLayout()
        self.remove_alias_button = QPushButton("Remove alias")
        self.remove_alias_button.clicked.connect(self._remove_chosen_alias)
        self.split_button = QPushButton("Split off as new entity")
        self.split_button.setToolTip("The alias becomes its own entity, with the mentions and quotes that wrote it")
        self.split_button.clicked.connect(self._split_chosen_alias)
        alias_buttons.addWidget(self.remove_alias_button)
        alias_buttons.addWidget(self.split_button)
        form.addRow("", alias_buttons)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([800, 360])
        outer.addWidget(self.splitter, 1)
        self.status = plain_label()
        self.status.setWordWrap(True)
        outer.addWidget(self.status)

    def _build_actions(self) -> None:
        undo = self.undo_stack.createUndoAction(self, "Undo")
        undo.setShortcut(QKeySequence("Ctrl+Z"))
        redo = self.undo_stack.createRedoAction(self, "Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.addActions([undo, redo])
        for keys, slot in (("Ctrl+F", lambda: (self.filter.setFocus(), self.filter.selectAll())),
                           ("Ctrl+M", self.merge_selected),
                           ("F2", lambda: (self.name_edit.setFocus(), self.name_edit.selectAll())),
                           ("Ctrl+W", self.close), ("Escape", self.close)):
            action = QAction(self)
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(slot)
            self.addAction(action)
        delete = QAction(self.view)
        delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self.delete_selected)
        self.view.addAction(delete)

    # --- the table and its filter -----------------------------------------------------------------

    def _ensure_index(self) -> SuggestIndex:
        if self.index is None:
            self.index = SuggestIndex.build(
                IndexRow(e.id, e.name, e.kind, [(n, normalise_name(n)) for n in (e.name, *e.aliases)], e.links)
                for e in self.model.entities)
            self._indexed = {e.id for e in self.model.entities}
        return self.index

    def set_filter_text(self, text: str) -> None:
        """Show the entities the fuzzy suggestion index finds for `text`, best first (all when empty)."""
        if self.filter.text() != text:
            self.filter.blockSignals(True)
            self.filter.setText(text)
            self.filter.blockSignals(False)
        keep = self.selected_ids()
        if text.strip():
            found = self._ensure_index().search(text, FILTER_LIMIT)
            self.model.set_filter([s.entity_id for s in found])
        else:
            self.model.set_filter(None)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.select_ids(keep)
        if not self.selected_ids() and self.model.rowCount():
            self.select_ids([self.model.entity(0).id])
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), len(self.model.entities)
        text = _plural(total, "entity")
        if self.model.filter_ids is not None:
            text = f"{shown:,} of {total:,} entities match"
        self.count_label.setText(text)

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.model.entity(r).id for r in rows if self.model.entity(r)]

    def current_id(self) -> int | None:
        ids = self.selected_ids()
        return ids[0] if len(ids) == 1 else None

    def select_ids(self, entity_ids) -> None:
        selection = QItemSelection()
        first = None
        for entity_id in entity_ids:
            row = self.model.row_of(entity_id)
            if row is not None:
                selection.select(self.model.index(row, 0), self.model.index(row, self.model.columnCount() - 1))
                first = row if first is None else first
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.view.selectionModel().select(selection, flags)
        if first is not None:
            self.view.selectionModel().setCurrentIndex(self.model.index(first, 0),
                                                       QItemSelectionModel.SelectionFlag.NoUpdate)
            self.view.scrollTo(self.model.index(first, 0))
        self._show_details()

    def _show_details(self) -> None:
        ids = self.selected_ids()
        entity = self.model.by_id(ids[0]) if len(ids) == 1 else None
        self.details.setEnabled(entity is not None)
        self.merge_button.setEnabled(len(ids) == 2)
        self.delete_button.setEnabled(entity is not None)
        self.details.setTitle("Selected entity" if entity or not ids else f"{len(ids)} entities selected")
        self.name_edit.setText(entity.name if entity else "")
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(entity.kind)) if entity else 0)
        self.role_edit.setText(entity.role or "" if entity else "")
        self.links_label.setText(f"{_plural(entity.mentions, 'mention')}, {_plural(entity.quotes, 'quote')}"
                                 if entity else "")
        self.alias_model.setStringList(entity.aliases if entity else [])
        self._alias_selection_changed()

    def _alias_selection_changed(self, *_selection) -> None:
        chosen = bool(self.alias_list.selectionModel().selectedIndexes())
        self.remove_alias_button.setEnabled(chosen)
        self.split_button.setEnabled(chosen)

    def chosen_alias(self) -> str | None:
        chosen = self.alias_list.selectionModel().selectedIndexes()
        return self.alias_model.data(chosen[0]) if chosen else None

    # --- after an edit ----------------------------------------------------------------------------

    def _mark_stale(self, _index: int) -> None:
        """The undo stack moved: an edit in the main window may have made an entity (a typed
        speaker), so re-read them all when this window is next shown; not for this window's own
        edits, which refreshed what they touched (`_changed`) just before the stack said so."""
        if self._own_change:
            self._own_change = False
            return
        self._stale = True

    def changeEvent(self, event):  # noqa: N802 (Qt override)
        if event.type() == event.Type.ActivationChange and self.isActiveWindow() and self._stale:
            self.reload()
        super().changeEvent(event)

    def showEvent(self, event):  # noqa: N802 (Qt override)
        if self._stale:
            self.reload()
        super().showEvent(event)

    def reload(self, entity_ids=None) -> None:
        """Re-read the registry, or with `entity_ids` (those an edit touched) only those entities:
        the table and the filter's suggestion index learn what was changed, made or removed."""
        keep = self.selected_ids()
        if entity_ids is None:
            self.model.reload()
            if self.index is not None:
                current = {e.id: e for e in self.model.entities}
                for entity_id in self._indexed - current.keys():
                    self.index.remove_entity(entity_id)
                for entity_id in current.keys() - self._indexed:
                    e = current[entity_id]
                    self.index.add_entity(e.id, e.name, e.kind, e.aliases, e.links)
                self._indexed = set(current)
        else:
            self.model.refresh(entity_ids)
            if self.index is not None:
                self.index.refresh_entities(self.project, entity_ids)  # adds new ones, drops gone ones
                for entity_id in entity_ids:
                    if self.model.by_id(entity_id) is None:
                        self._indexed.discard(entity_id)
                    else:
                        self._indexed.add(entity_id)
        self._stale = False
        self.set_filter_text(self.filter.text())
        self.select_ids([i for i in keep if self.model.by_id(i)] or (entity_ids or [])[:1])

    def _changed(self, entity_ids) -> None:
        """A command ran or was undone: refresh the table, both suggestion indexes, the main window."""
        self._own_change = True
        if entity_ids is None:   # an import: many entities, rebuild
            self.index = None
            if self.speaker_names is not None:
                self.speaker_names.entity_added()
            self.reload()
        else:
            self.reload(entity_ids)
            speaker_index = getattr(self.speaker_names, "_index", None)  # built on first keystroke
            if speaker_index is not None:
                speaker_index.refresh_entities(self.project, entity_ids)
        self.entities_changed.emit(entity_ids)

    def _failed(self, message: str) -> None:
        self.show_message("Not changed", message[:1].upper() + message[1:].rstrip(".") + ".")

    def show_message(self, title: str, text: str, details: list[str] | None = None,
                     icon=QMessageBox.Icon.Warning) -> QMessageBox:
        """A message that does not block (tests read `message_box`)."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)  # names and file paths are data, never markup
        if details:
            box.setInformativeText("\n".join(details))
        box.setWindowModality(Qt.WindowModality.WindowModal)
        self.message_box = box
        box.open()
        return box

    def push(self, command) -> bool:
        """Run a command on the undo stack; False when the core refused it (the message is shown)."""
        self.undo_stack.push(command)
        if command.error is None:
            self.status.setText(f"{command.text()[:1].upper()}{command.text()[1:]}: done. "
                                "Ctrl+Z undoes it (here or in the main window).")
            return True
        return False

    # --- edits ------------------------------------------------------------------------------------

    def rename(self, entity_id: int, name: str) -> bool:
        return self.push(ec.RenameEntity(self.project, entity_id, name, self._changed, self._failed))

    def set_kind(self, entity_id: int, kind: str) -> bool:
        return self.push(ec.UpdateEntity(self.project, entity_id, self._changed, self._failed, kind=kind))

    def set_role(self, entity_id: int, role: str) -> bool:
        return self.push(ec.UpdateEntity(self.project, entity_id, self._changed, self._failed, role=role))

    def add_alias(self, entity_id: int, alias: str) -> bool:
        return self.push(ec.AddAlias(self.project, entity_id, alias, self._changed, self._failed))

    def remove_alias(self, entity_id: int, alias: str) -> bool:
        return self.push(ec.RemoveAlias(self.project, entity_id, alias, self._changed, self._failed))

    def split_alias(self, entity_id: int, alias: str) -> int | None:
        """Split an alias off; returns the new entity's id (selected), or None when refused."""
        command = ec.SplitAlias(self.project, entity_id, alias, self._changed, self._failed)
        if not self.push(command):
            return None
        new_id = command.new_entity_id
        self.select_ids([new_id])
        return new_id

    def merge(self, keep_id: int, other_id: int) -> bool:
        keep, other = self.model.by_id(keep_id), self.model.by_id(other_id)
        text = f"merge {other.name!r} into {keep.name!r}" if keep and other else "merge entities"
        done = self.push(ec.MergeEntities(self.project, keep_id, other_id, self._changed, self._failed, text))
        if done:
            self.select_ids([keep_id])
        return done

    def merge_selected(self) -> MergeDialog | None:
        """With two entities selected, ask which one to keep (the dialog is `merge_dialog`)."""
        ids = self.selected_ids()
        if len(ids) != 2:
            self.status.setText("Select two entities to merge (Ctrl+click the second one).")
            return None
        first, second = (self.model.by_id(i) for i in ids)
        self.merge_dialog = MergeDialog(first, second, self)
        self.merge_dialog.accepted.connect(lambda: self.merge(*self.merge_dialog.keep_and_other()))
        self.merge_dialog.open()
        return self.merge_dialog

    def delete(self, entity_id: int) -> bool:
        entity = self.model.by_id(entity_id)
        text = f"delete {entity.name!r}" if entity else "delete entity"
        return self.push(ec.DeleteEntity(self.project, entity_id, self._changed, self._failed, text))

    def delete_selected(self) -> None:
        entity_id = self.current_id()
        if entity_id is None:
            self.status.setText("Select one entity to delete.")
            return
        self.delete(entity_id)

    def import_csv(self, path: str | None = None) -> bool:
        """Add entities from a CSV list; a file with bad rows imports nothing and its problems are shown."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Import an entity list", "", "CSV (*.csv);;All files (*)")
            if not path:
                return False
        command = ImportEntities(self.project, str(path), self._changed, self._import_failed)
        if not self.push(command):
            return False
        report = command.report
        self.status.setText(f"{report.summary()}. Ctrl+Z takes the import back.")
        return True

    def _import_failed(self, message: str) -> None:
        summary, *problems = message.split("\n")
        self.show_message("Nothing imported", f"{summary}. Fix these rows and import the file again:",
                          problems)

    def export_csv(self, path: str | None = None) -> int | None:
        if path is None:
            default = str(Path(self.project.path).with_name(f"{Path(self.project.path).stem}-entities.csv"))
            path, _ = QFileDialog.getSaveFileName(self, "Export the entity list", default, "CSV (*.csv)")
            if not path:
                return None
        try:
            count = entities.export_entities_csv(self.project, path)
        except OSError as exc:
            self.show_message("Not exported", f"{path}: {exc.strerror or exc}")
            return None
        self.status.setText(f"Wrote {_plural(count, 'entity')} to {path}.")
        return count

    # --- the details panel ------------------------------------------------------------------------

    def _name_entered(self) -> None:
        entity_id = self.current_id()
        entity = self.model.by_id(entity_id) if entity_id is not None else None
        name = " ".join(self.name_edit.text().split())
        if entity and name and name != entity.name:
            self.rename(entity_id, name)

    def _kind_chosen(self, _i: int) -> None:
        entity_id = self.current_id()
        entity = self.model.by_id(entity_id) if entity_id is not None else None
        kind = self.kind_combo.currentData()
        if entity and kind != entity.kind:
            self.set_kind(entity_id, kind)

    def _role_entered(self) -> None:
        entity_id = self.current_id()
        entity = self.model.by_id(entity_id) if entity_id is not None else None
        role = " ".join(self.role_edit.text().split())
        if entity and role != (entity.role or ""):
            self.set_role(entity_id, role)

    def _alias_entered(self) -> None:
        entity_id = self.current_id()
        alias = " ".join(self.alias_edit.text().split())
        if entity_id is not None and alias and self.add_alias(entity_id, alias):
            self.alias_edit.clear()

    def _remove_chosen_alias(self) -> None:
        entity_id, alias = self.current_id(), self.chosen_alias()
        if entity_id is not None and alias:
            self.remove_alias(entity_id, alias)

    def _split_chosen_alias(self) -> None:
        entity_id, alias = self.current_id(), self.chosen_alias()
        if entity_id is not None and alias:
            self.split_alias(entity_id, alias)
