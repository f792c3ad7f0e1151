"""The project's entities as a table (name, kind, role, aliases, mentions, quotes), sortable, and
narrowed to a ranked list of ids when the entities window filters it."""

from __future__ import annotations

import bisect

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from annotator.core.entities import Entity, entity_order, get_entity, list_entities
from annotator.core.store import Project
from annotator.gui.plain import plain_tip

COL_NAME, COL_KIND, COL_ROLE, COL_ALIASES, COL_MENTIONS, COL_QUOTES = range(6)
HEADERS = ("Name", "Kind", "Role", "Aliases", "Mentions", "Quotes")
EntityIdRole = Qt.ItemDataRole.UserRole + 1
ALIAS_SHOWN = " | "


def _sort_key(column: int):
    if column == COL_NAME:
        return lambda e: (e.name.casefold(), e.id)
    if column == COL_KIND:
        return lambda e: (e.kind, e.name.casefold(), e.id)
    if column == COL_ROLE:
        return lambda e: ((e.role or "").casefold(), e.name.casefold(), e.id)
    if column == COL_ALIASES:
        return lambda e: (len(e.aliases), e.name.casefold(), e.id)
    if column == COL_MENTIONS:
        return lambda e: (e.mentions, e.quotes, e.id)
    if column == COL_QUOTES:
        return lambda e: (e.quotes, e.mentions, e.id)
    return None


class EntitiesModel(QAbstractTableModel):
    """Rows are `Entity` values from the core; `reload` re-reads them all, `refresh` only those an
    edit touched, `set_filter` shows only some ids in the given (ranked) order, `sort` orders the rows
    shown (column -1: the natural order)."""

    def __init__(self, project: Project, parent=None):
        super().__init__(parent)
        self.project = project
        self.entities: list[Entity] = []   # every entity, most linked first (the core's order)
        self._by_id: dict[int, Entity] = {}
        self.rows: list[Entity] = []       # what is shown
        self._row_of: dict[int, int] | None = None  # entity id -> row shown, made when first asked
        self.filter_ids: list[int] | None = None
        self.sort_column, self.sort_order = -1, Qt.SortOrder.AscendingOrder
        self.reload()

    # --- contents ---------------------------------------------------------------------------------

    def reload(self) -> list[Entity]:
        """Re-read every entity from the project (after an edit); the filter and sort stay."""
        self.beginResetModel()
        self.entities = list_entities(self.project)
        self._by_id = {e.id: e for e in self.entities}
        self._show()
        self.endResetModel()
        return self.entities

    def refresh(self, entity_ids) -> None:
        """Re-read only these entities (an edit touched them): changed ones take their new place in
        the natural order, removed ones go, new ones come in; the filter and sort stay. Cheap with
        100,000 entities, where `reload` takes half a second."""
        fresh = {i: get_entity(self.project, i) for i in set(entity_ids)}
        self.beginResetModel()
        if any(i in self._by_id for i in fresh):
            self.entities = [e for e in self.entities if e.id not in fresh]
        for entity_id, entity in fresh.items():
            self._by_id.pop(entity_id, None)
            if entity is not None:
                bisect.insort(self.entities, entity, key=entity_order)
                self._by_id[entity_id] = entity
        self._show()
        self.endResetModel()

    def _show(self) -> None:
        self.rows = self._natural_rows()
        self._apply_sort()
        self._row_of = None

    def set_filter(self, entity_ids: list[int] | None) -> None:
        """Show only these entities in this order (None: all); the sort goes back to that order."""
        self.beginResetModel()
        self.filter_ids = None if entity_ids is None else list(entity_ids)
        self.sort_column = -1
        self._show()
        self.endResetModel()

    def _natural_rows(self) -> list[Entity]:
        if self.filter_ids is None:
            return list(self.entities)
        return [self._by_id[i] for i in self.filter_ids if i in self._by_id]

    def _apply_sort(self) -> None:
        key = _sort_key(self.sort_column)
        if key is not None:
            self.rows.sort(key=key, reverse=self.sort_order == Qt.SortOrder.DescendingOrder)

    def sort(self, column, order=Qt.SortOrder.AscendingOrder):
        self.layoutAboutToBeChanged.emit()
        old_ids = [e.id for e in self.rows]
        persistent = self.persistentIndexList()
        self.sort_column, self.sort_order = column, order
        self._show()
        new_row = {e.id: r for r, e in enumerate(self.rows)}
        moved = []
        for index in persistent:
            row = new_row.get(old_ids[index.row()]) if 0 <= index.row() < len(old_ids) else None
            moved.append(self.index(row, index.column()) if row is not None else QModelIndex())
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    # --- lookups ----------------------------------------------------------------------------------

    def entity(self, row: int) -> Entity | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def row_of(self, entity_id: int) -> int | None:
        if self._row_of is None:
            self._row_of = {e.id: r for r, e in enumerate(self.rows)}
        return self._row_of.get(entity_id)

    def by_id(self, entity_id: int) -> Entity | None:
        return self._by_id.get(entity_id)

    # --- Qt model ---------------------------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()):  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802, B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if isinstance(index, QPersistentModelIndex):
            index = QModelIndex(index)
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        entity = self.rows[index.row()]
        column = index.column()
        if role == EntityIdRole:
            return entity.id
        if role == Qt.ItemDataRole.DisplayRole:
            return {COL_NAME: entity.name, COL_KIND: entity.kind, COL_ROLE: entity.role or "",
                    COL_ALIASES: ALIAS_SHOWN.join(entity.aliases), COL_MENTIONS: entity.mentions,
                    COL_QUOTES: entity.quotes}.get(column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (COL_ALIASES, COL_ROLE) and \
                (entity.aliases if column == COL_ALIASES else entity.role):
            return plain_tip("\n".join(entity.aliases) if column == COL_ALIASES else entity.role)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (COL_MENTIONS, COL_QUOTES):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
