"""The article list model: ids in list order in memory, the rows on screen fetched a page at a time.

Sorting, searching and the status filter are done by the core (SQLite); the model only holds the
ordered ids (an int array) and a small cache of recently shown pages.
"""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from annotator.core.articles import ArticleQuery, ArticleRow, article_rows, list_article_ids
from annotator.core.store import Project

COL_TITLE, COL_OUTLET, COL_DATE, COL_STATUS, COL_STANCE = range(5)
HEADERS = {COL_TITLE: "Title", COL_OUTLET: "Outlet", COL_DATE: "Date", COL_STATUS: "Status", COL_STANCE: "Your stance"}
SORT_COLUMNS = {COL_TITLE: "title", COL_OUTLET: "outlet", COL_DATE: "published", COL_STATUS: "status",
                COL_STANCE: "stance"}
STATUS_WORDS = {"todo": "to do", "labelled": "labelled", "reviewed": "reviewed"}
SortRole = Qt.ItemDataRole.UserRole + 1
ArticleIdRole = Qt.ItemDataRole.UserRole + 2
PAGE_SIZE = 200
CACHED_PAGES = 40


class ArticleListModel(QAbstractTableModel):
    def __init__(self, project: Project, query: ArticleQuery, parent=None):
        super().__init__(parent)
        self.project = project
        self.query = query
        self.ids = list_article_ids(project, query)
        self._pages: OrderedDict[int, list[ArticleRow | None]] = OrderedDict()
        self._row_of: dict[int, int] | None = None

    # --- queries ---------------------------------------------------------------------------------

    def set_query(self, query: ArticleQuery) -> None:
        """Show what another query selects (search, status filter, sort, annotator)."""
        self.beginResetModel()
        self.query = query
        self.ids = list_article_ids(self.project, query)
        self._pages.clear()
        self._row_of = None
        self.endResetModel()

    def refresh_article(self, article_id: int) -> None:
        """Re-read one article's row (its status or stance changed)."""
        row = self.row_of(article_id)
        if row is None:
            return
        self._pages.pop(row // PAGE_SIZE, None)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    def patch(self, article_id: int, **values) -> None:
        """Show a new status or stance of one article from what the edit said (no query): the cached
        row is updated in place; a row not read yet is read when it is drawn."""
        row = self.row_of(article_id)
        if row is None:
            return
        rows = self._pages.get(row // PAGE_SIZE)
        cached = rows[row - (row // PAGE_SIZE) * PAGE_SIZE] if rows is not None else None
        if cached is not None:
            for name, value in values.items():
                setattr(cached, name, value)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    def refresh_all(self) -> None:
        self._pages.clear()
        if self.ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.ids) - 1, len(HEADERS) - 1))

    def row_of(self, article_id: int) -> int | None:
        if self._row_of is None:
            self._row_of = {article_id: row for row, article_id in enumerate(self.ids)}
        return self._row_of.get(article_id)

    def article_id(self, row: int) -> int | None:
        return self.ids[row] if 0 <= row < len(self.ids) else None

    def _row(self, row: int) -> ArticleRow | None:
        page = row // PAGE_SIZE
        rows = self._pages.get(page)
        if rows is None:
            ids = self.ids[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
            found = article_rows(self.project, ids, self.query.annotator, self.query.stance_task_id)
            rows = [found.get(i) for i in ids]
            self._pages[page] = rows
            while len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        return rows[row - page * PAGE_SIZE]

    # --- Qt model --------------------------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()):  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802, B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS.get(section)
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self.ids)):
            return None
        if role == ArticleIdRole:
            return self.ids[index.row()]
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, SortRole):
            return None
        row = self._row(index.row())
        if row is None:
            return None
        column = index.column()
        if column == COL_TITLE:
            return row.title
        if column == COL_OUTLET:
            return row.outlet
        if column == COL_DATE:
            return row.published
        if column == COL_STATUS:
            return row.status if role == SortRole else STATUS_WORDS.get(row.status, row.status)
        if column == COL_STANCE:
            return row.stance
        return None

    def sort(self, column, order=Qt.SortOrder.AscendingOrder):
        key = SORT_COLUMNS.get(column)
        if key is None:
            return
        self.query.sort = key
        self.query.descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(self.query)
