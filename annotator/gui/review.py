"""Review mode: the items where annotators disagree, each annotator's labels and speakers side by side,
and the adjudicated value chosen or typed by the reviewer (stored with who and when, undoable).

Data comes from annotator.core.adjudicate; this module only shows it and passes choices back.
"""

from __future__ import annotations

import html
from dataclasses import replace

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from annotator.core.adjudicate import (
    Disagreement,
    adjudication_values,
    disagreements,
    item_side_by_side,
    restore_adjudication,
    set_adjudication,
    with_adjudication,
)
from annotator.core.store import Project, open_project
from annotator.gui.jobs import ProjectJob, run_job
from annotator.gui.plain import plain_label, plain_tip

COLUMNS = ("Task", "Level", "Article", "Title", "Annotators' values", "Adjudicated", "By")


class DisagreementModel(QAbstractTableModel):
    """One row per item where annotators differ (a Disagreement from the core)."""

    def __init__(self, items: list[Disagreement] | None = None, parent=None):
        super().__init__(parent)
        self.items: list[Disagreement] = items or []

    def set_items(self, items: list[Disagreement]) -> None:
        self.beginResetModel()
        self.items = items
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self.items)):
            return None
        d = self.items[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            where = d.article_id if d.quote_id is None else f"{d.article_id} / quote {d.quote_id}"
            values = "   ".join(f"{a}: {v or '(none)'}" for a, v in d.values.items())
            adjudicated = None if d.adjudicator is None else (d.adjudicated or "(none)")
            return (d.task, d.level, where, d.title, values, adjudicated, d.adjudicator)[col]
        if role == Qt.ItemDataRole.UserRole:  # sort keys
            return (d.task, d.level, d.article_id, d.title, str(d.values), d.adjudicated or "", d.adjudicator or "")[col]
        if role == Qt.ItemDataRole.ToolTipRole and col == 4:
            return plain_tip("\n".join(f"{a}: {v or '(none)'}" for a, v in d.values.items()))
        return None

    def item(self, row: int) -> Disagreement:
        return self.items[row]

    def refresh_row(self, row: int, fresh: Disagreement) -> None:
        self.items[row] = fresh
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))


class AdjudicateCommand(QUndoCommand):
    """Store an adjudicated value; undo puts back whatever adjudication was there before."""

    def __init__(self, project: Project, item: Disagreement, value: str, adjudicator: str, on_change):
        super().__init__(f"adjudicate {item.task} of article {item.article_id} as {value or '(none)'}")
        self.project, self.item, self.value, self.adjudicator = project, item, value, adjudicator
        self.on_change = on_change
        self.previous: list[dict] | None = None

    def redo(self) -> None:
        self.previous = set_adjudication(self.project, self.item.article_id, self.item.task_id, self.value,
                                         self.adjudicator, quote_id=self.item.quote_id)
        self.on_change(self.item)

    def undo(self) -> None:
        restore_adjudication(self.project, self.item.article_id, self.item.task_id, self.item.quote_id,
                             self.previous or [])
        self.on_change(self.item)


class ReviewWindow(QWidget):
    """Disagreements on the left (sortable by task), the article side by side on the right, and a
    value box: choose one annotator's value or an option, or type a new one, then Adjudicate."""

    adjudicated = Signal(int)  # article id
    loaded = Signal()  # the list of disagreements is in (found in a worker thread)

    def __init__(self, project: Project, adjudicator: str, parent=None, owns_project: bool = False):
        super().__init__(parent)
        self.project, self.adjudicator, self._owns = project, adjudicator, owns_project
        self.job: ProjectJob | None = None
        self.setWindowTitle(f"Review disagreements: {adjudicator} adjudicating")
        self.undo_stack = QUndoStack(self)
        self.model = DisagreementModel(parent=self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(3, 150)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())

        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        self.value_box = QComboBox()
        self.value_box.setEditable(True)
        self.value_box.setMinimumWidth(200)
        self.value_box.lineEdit().setPlaceholderText("choose or type the adjudicated value")
        self.value_box.lineEdit().returnPressed.connect(self.adjudicate_current)
        self.apply_button = QPushButton("&Adjudicate")
        self.apply_button.clicked.connect(self.adjudicate_current)
        self.count_label = plain_label()
        self.adjudicator_label = QLabel()
        self.adjudicator_label.setTextFormat(Qt.TextFormat.PlainText)  # a name is data, never markup
        self.adjudicator_label.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #a40000")
        self.problem.hide()

        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        self.addActions([undo, redo])

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.detail, 1)
        rl.addWidget(self.adjudicator_label)
        rl.addWidget(self.problem)
        row = QHBoxLayout()
        row.addWidget(QLabel("Adjudicated value:"))
        row.addWidget(self.value_box, 1)
        row.addWidget(self.apply_button)
        rl.addLayout(row)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.count_label)
        ll.addWidget(self.table, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([640, 460])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.resize(1180, 620)
        self.reload()

    # --- data ---------------------------------------------------------------------------------

    def reload(self) -> None:
        """Find the disagreements again, in a worker thread on its own connection (seconds for a big
        project); the window answers meanwhile and `loaded` says when the list is in."""
        if self.job is not None:
            return
        self.count_label.setText("Finding the items where annotators differ…")
        self.job = run_job(self, self.project.path, lambda project, progress, cancelled: disagreements(project),
                           read_only=True, on_done=self._loaded, on_failed=self._load_failed,
                           on_ended=self._load_ended)

    def _loaded(self, items: list[Disagreement]) -> None:
        self.model.set_items(items)
        self._count()
        if self.model.items:
            self.table.selectRow(0)
            self._show_current()

    def _load_failed(self, message: str) -> None:
        self.count_label.setText(f"The disagreements could not be found: {message.splitlines()[0]}")

    def _load_ended(self) -> None:
        job, self.job = self.job, None
        if job is not None:
            job.deleteLater()
        self.loaded.emit()

    def _count(self) -> None:
        open_items = sum(1 for d in self.model.items if d.adjudicator is None)
        self.count_label.setText(f"{len(self.model.items)} items where annotators differ; {open_items} not adjudicated")

    def current_item(self) -> Disagreement | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.item(self.proxy.mapToSource(index).row())

    def _show_current(self) -> None:
        d = self.current_item()
        self.value_box.clear()
        self.problem.clear()
        self.problem.hide()
        self._show_adjudicator(d)
        if d is None:
            self.detail.clear()
            return
        choices = list(dict.fromkeys([v for v in d.values.values() if v] + d.options))
        self.value_box.addItems(choices)
        self.value_box.setCurrentText(d.adjudicated if d.adjudicator is not None else (choices[0] if choices else ""))
        self.detail.setHtml(self._side_by_side_html(d))

    def _show_adjudicator(self, d: Disagreement | None) -> None:
        """Who settles this item, and a warning when that person is one of its coders."""
        text = f"Adjudicating as {self.adjudicator}."
        if d is not None and self.adjudicator in d.values:
            text += (f" {self.adjudicator} is one of the coders of this item: the decision is stored as the "
                     "adjudicator's, apart from their own label, but a colleague may be the fairer judge.")
        self.adjudicator_label.setText(text)

    def _side_by_side_html(self, d: Disagreement) -> str:
        view = item_side_by_side(self.project, d.article_id)
        e = html.escape
        people = sorted(set(view["labels"]) | {a for q in view["quotes"] for a in q["speakers"]} | set(d.values))
        out = [f"<h3>{e(view['title'])}</h3>",
               f"<p><b>{e(d.task)}</b> ({e(d.level)}): annotators differ"
               + (f"; adjudicated <b>{e(d.adjudicated or '(none)')}</b> by {e(d.adjudicator)}" if d.adjudicator else "")
               + "</p>"]
        tasks = sorted({t for per in view["labels"].values() for t in per})
        out.append("<table border='1' cellspacing='0' cellpadding='4'><tr><th></th>"
                   + "".join(f"<th>{e(p)}</th>" for p in people) + "</tr>")
        for t in tasks:
            out.append(f"<tr><td><b>{e(t)}</b></td>"
                       + "".join(f"<td>{e(view['labels'].get(p, {}).get(t, '–'))}</td>" for p in people) + "</tr>")
        for q in view["quotes"]:
            mark = " style='background:#fff3c4'" if q["id"] == d.quote_id else ""
            form = q.get("form") or "direct"
            shown = q["text"] if form == "direct" else (q.get("content") or q["text"])
            text = shown if len(shown) <= 90 else shown[:87] + "…"
            what = f"speaker of “{e(text)}”" if form == "direct" else f"speaker of ({e(form)}) {e(text)}"
            out.append(f"<tr{mark}><td>{what}</td>"
                       + "".join(f"<td>{e(q['speakers'].get(p, '–'))}</td>" for p in people) + "</tr>")
        out.append("</table>")
        body = view["text"]
        out.append(f"<p style='color:#333'>{e(body[:3000])}{'…' if len(body) > 3000 else ''}</p>")
        return "".join(out)

    # --- adjudicating -------------------------------------------------------------------------

    def adjudicate_current(self) -> bool:
        """Store the value in the box for the selected item and move on to the next unsettled one; a
        value that is not one of the task's options is refused (the same check as the command line)."""
        d = self.current_item()
        if d is None:
            return False
        value = self.value_box.currentText().strip()
        if d.task_id is not None:
            try:
                value = "; ".join(adjudication_values(self.project, d.task_id, value))
            except ValueError as exc:
                self.problem.setText(f"Not stored: {exc}.")
                self.problem.show()
                return False
        self.adjudicate(d, value)
        self._select_next_open(self.table.currentIndex().row())
        return True

    def _select_next_open(self, after: int) -> None:
        """Select the next item (in the list's order) nobody has adjudicated, wrapping round."""
        rows = self.proxy.rowCount()
        for step in range(1, rows + 1):
            row = (after + step) % rows
            item = self.model.item(self.proxy.mapToSource(self.proxy.index(row, 0)).row())
            if item.adjudicator is None:
                self.table.selectRow(row)
                return

    def adjudicate(self, item: Disagreement, value: str) -> None:
        """Store `value` for `item` through the undo stack."""
        self.undo_stack.push(AdjudicateCommand(self.project, item, value, self.adjudicator, self._changed))

    def _changed(self, item: Disagreement) -> None:
        """An adjudication was made or undone: that row shows it (one lookup, not a new search)."""
        fresh = with_adjudication(self.project, item)
        key = (item.task_id, item.article_id, item.quote_id)
        for row, d in enumerate(self.model.items):
            if (d.task_id, d.article_id, d.quote_id) == key:
                self.model.refresh_row(row, replace(fresh, title=d.title))
        self._count()
        if self.current_item() is not None and self.current_item().article_id == item.article_id:
            self.detail.setHtml(self._side_by_side_html(self.current_item()))
        self.adjudicated.emit(item.article_id)

    def closeEvent(self, event) -> None:  # noqa: N802
        if self.job is not None:
            self.job.wait()
        if self._owns:
            self.project.close()
        super().closeEvent(event)


def open_review_window(project_path, annotator: str, parent=None) -> ReviewWindow:
    """Open (and show) a review window on its own connection to the project; `annotator` adjudicates."""
    window = ReviewWindow(open_project(project_path, create=False), annotator, parent, owns_project=True)
    if parent is not None:
        window.setWindowFlag(Qt.WindowType.Window, True)
    window.show()
    return window
