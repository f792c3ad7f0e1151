"""The main window: article list (left), reader (centre), labels and quotes (right).

Every edit is pushed onto one QUndoStack as a command that commits at once; navigation, search and
the list's sort order are not edits and are not undone.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QIcon, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core import articles, labels
from annotator.core.articles import ArticleQuery, ArticleView
from annotator.core.changes import Change
from annotator.core.detect.confidence import MIN_CONFIDENCE
from annotator.core.resources import resource_path
from annotator.core.scheme import SINGLE, load_scheme
from annotator.core.store import Project
from annotator.core.sync import status_line
from annotator.gui import commands
from annotator.gui.article_list import COL_DATE, COL_OUTLET, COL_STANCE, COL_STATUS, COL_TITLE, ArticleListModel
from annotator.gui.exchange_actions import add_exchange_actions
from annotator.gui.jobs import ImportReportDialog, ProjectJob, import_job, run_job
from annotator.gui.labels_panel import LabelsPanel
from annotator.gui.plain import plain_label, plain_tip
from annotator.gui.projects import ANNOTATOR_WHY, remember_annotator, remember_recent
from annotator.gui.reader import ReaderView
from annotator.gui.speaker_names import SpeakerNames

STATUS_FILTERS = [("All articles", None), ("To do", "todo"), ("Labelled", "labelled"), ("Reviewed", "reviewed")]
SEARCH_DELAY_MS = 250
WELCOME = (
    "<b>Welcome.</b> This is the demo project: {count} news articles with their quotes and speakers "
    "highlighted. Start with the first article on the left (it is open), or press <b>N</b> for the next one "
    "you have not labelled. Press <b>1</b>-<b>4</b> for the stance, a letter for a topic, <b>Ctrl+Enter</b> "
    "to mark it labelled and move on, and <b>?</b> for every key. Select words and press <b>Q</b> to mark a "
    "quote, <b>S</b> a speaker."
)
EMPTY = "This project has no articles yet: use File > Import, or drop files and folders on this window."


class MainWindow(QMainWindow):
    article_shown = Signal(int)
    import_finished = Signal(object)

    def __init__(self, project: Project, annotator: str, settings: QSettings | None = None,
                 welcome: bool = False, parent=None):
        super().__init__(parent)
        self.project = project
        self.annotator = labels.ensure_annotator(project, annotator)
        self.settings = settings if settings is not None else QSettings("annotator", "annotator")
        self.undo_stack = QUndoStack(self)
        self.scheme = load_scheme(project)
        self.article: ArticleView | None = None
        self.labels_now: dict[tuple[int | None, int], list[int]] = {}  # the shown article's labels, by this annotator
        self.state_now = ["todo", ""]  # its status and note
        self.zoom_steps = 0
        self.jobs: list[ProjectJob] = []
        self.last_import_report = None
        self.show_report_dialogs = True
        self.speaker_names = SpeakerNames(project)
        self.entities_window = None  # opened on first View > Entities…
        self.owns_project = False  # a window opened from File > Open closes its project with itself
        self.setWindowTitle(f"News Annotator: {Path(project.path).name}")
        self.setWindowFilePath(str(project.path))
        remember_recent(self.settings, project.path)
        icon = resource_path("icons", "annotator-256.png")  # PNG: QtSvg's image plugin may be absent
        if icon.exists():
            self.setWindowIcon(QIcon(str(icon)))
        self.setAcceptDrops(True)

        self._build_list()
        self.reader = ReaderView()
        self.reader.text.quote_clicked.connect(self._quote_clicked_in_text)
        self.panel = LabelsPanel(self.speaker_names)
        self.panel.set_scheme(self.scheme)
        self._connect_panel()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.list_side)
        self.splitter.addWidget(self.reader)
        self.splitter.addWidget(self.panel)
        # the panel's quote list has six columns: it gets as much room as the article list
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setStretchFactor(2, 4)
        self.splitter.setSizes([530, 500, 410])
        self.setCentralWidget(self.splitter)
        self._build_actions()
        self._build_status_bar()
        self._restore_settings()
        self._update_progress()
        from annotator.core.detection_state import detection_pending  # noqa: PLC0415

        unfinished = detection_pending(project)
        if unfinished:  # a run was killed: say what to do (Annotate > Detect quotes again does it)
            self.statusBar().showMessage(unfinished[0].upper() + unfinished[1:] + ".", 60_000)

        start = articles.last_position(project, self.annotator)
        if start is None and self.list_model.ids:
            start = self.list_model.ids[0]
        if start is not None:
            self.go_to(start)
        else:
            self.reader.show_article(None)
        if not self.list_model.ids:
            self.show_banner(EMPTY)
        elif welcome and not self.settings.value("seen_welcome", False, type=bool):
            self.show_banner(WELCOME.format(count=len(self.list_model.ids)))
        self.reader.text.setFocus()  # the keys the banner names (N, 1-4, ?) work at once

    # --- building ---------------------------------------------------------------------------------

    def _query(self) -> ArticleQuery:
        stance = self.scheme.stance_task("article")
        return ArticleQuery(annotator=self.annotator, stance_task_id=stance.id if stance else None)

    def _build_list(self) -> None:
        self.list_side = QWidget()
        layout = QVBoxLayout(self.list_side)
        layout.setContentsMargins(6, 6, 0, 0)
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search titles and texts (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAcceptDrops(False)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self.search_timer.start())
        self.search.returnPressed.connect(self.apply_filter)
        self.status_filter = QComboBox()
        for text, value in STATUS_FILTERS:
            self.status_filter.addItem(text, value)
        self.status_filter.currentIndexChanged.connect(lambda _i: self.apply_filter())
        row.addWidget(self.search, 1)
        row.addWidget(self.status_filter)
        layout.addLayout(row)
        self.list_model = ArticleListModel(self.project, self._query(), self)
        self.list_view = QTableView()
        self.list_view.setModel(self.list_model)
        self.list_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list_view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # import order
        self.list_view.setSortingEnabled(True)
        self.list_view.verticalHeader().hide()
        self.list_view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.list_view.setWordWrap(False)
        self.list_view.setAlternatingRowColors(True)
        header = self.list_view.horizontalHeader()
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        for column, width in ((COL_OUTLET, 104), (COL_DATE, 82), (COL_STATUS, 66), (COL_STANCE, 84)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        self.list_view.selectionModel().currentRowChanged.connect(self._list_row_changed)
        layout.addWidget(self.list_view, 1)
        self.list_count = plain_label()
        layout.addWidget(self.list_count)
        self._update_list_count()

    def _connect_panel(self) -> None:
        p = self.panel
        p.choice_clicked.connect(lambda t, o, on: self.label_option(t, o, on))
        p.quote_choice_clicked.connect(lambda t, o, on: self.label_option(t, o, on, quote=True))
        p.status_chosen.connect(self.set_status)
        p.note_edited.connect(self.set_note)
        p.quote_selected.connect(self._quote_selected)
        p.confirm_requested.connect(self.confirm_quote)
        p.reject_requested.connect(self.reject_quote)
        p.speaker_entered.connect(self.set_speaker_name)

    def _action(self, text: str, keys, slot, menu=None, context=Qt.ShortcutContext.WindowShortcut,
                widgets=()) -> QAction:
        action = QAction(text, self)
        if keys:
            seqs = [QKeySequence(k) for k in (keys if isinstance(keys, (list, tuple)) else [keys])]
            action.setShortcuts(seqs)
        action.setShortcutContext(context)
        action.triggered.connect(slot)
        if menu is not None:
            menu.addAction(action)
        for widget in widgets:
            widget.addAction(action)
        if not widgets:
            self.addAction(action)
        self.shortcut_actions.append(action)
        return action

    def _build_actions(self) -> None:
        self.shortcut_actions: list[QAction] = []
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action("&New project…", "Ctrl+Shift+N", self.new_project_dialog, file_menu)
        self._action("&Open project…", QKeySequence.StandardKey.Open, self.open_project_dialog, file_menu)
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self._action("&Close project", "Ctrl+W", self.close_project, file_menu)
        file_menu.addSeparator()
        self._action("&Import files…", "Ctrl+Shift+O", self.import_files_dialog, file_menu)
        self._action("Import a &folder…", None, self.import_folder_dialog, file_menu)
        self.export_actions = self._build_export(file_menu)
        self.exchange_menu = add_exchange_actions(self, file_menu)  # other tools' formats, in and out
        self.merge_action = self._action("&Merge colleague's project…", None, self.merge_dialog, file_menu)
        self.sync_action = self._action("S&ync with team", "Ctrl+Shift+Y", self.sync_with_team, file_menu)
        file_menu.addSeparator()
        self._action("S&witch annotator…", None, self.switch_annotator_dialog, file_menu)
        file_menu.addSeparator()
        self._action("&Quit", "Ctrl+Q", self.quit_app, file_menu)

        edit_menu = bar.addMenu("&Edit")
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence("Ctrl+Z"))
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (undo, redo):
            edit_menu.addAction(action)
            self.addAction(action)
            self.shortcut_actions.append(action)
        edit_menu.addSeparator()
        self._action("&Label scheme…", None, self.edit_scheme, edit_menu)
        self._action("&Search", "Ctrl+F", lambda: (self.search.setFocus(), self.search.selectAll()), edit_menu)
        self._action("Next search &hit", "F3", lambda: self.step_search_hit(1), edit_menu)
        self._action("Previous search hi&t", "Shift+F3", lambda: self.step_search_hit(-1), edit_menu)

        go = bar.addMenu("&Go")
        self._action("&Label and next", ["Ctrl+Return", "Ctrl+Enter"], self.label_and_next, go)
        self._action("&Next unlabelled", "N", self.next_unlabelled, go)
        self._action("&Previous article", "P", self.previous_article, go)
        self._action("Next &article", "Ctrl+Down", lambda: self.step_article(1), go)
        self._action("Previous article &in list", "Ctrl+Up", lambda: self.step_article(-1), go)
        self._action("&Back to the text (leave a box)", "Escape", self.reader.text.setFocus, go)
        self._action("&Read the text", "Ctrl+R", self.reader.text.setFocus, go)
        self._action("&Quote list", "Ctrl+L", self.panel.quotes_view.setFocus, go)
        self._action("Quote list: all / direct / re&ported", "Ctrl+Shift+F", self.panel.cycle_form_filter, go)

        annotate_menu = bar.addMenu("&Annotate")
        self._action("Mark selection as a &quote", "Q", self.mark_quote, annotate_menu)
        self._action("Mark selection as &reported speech (corrects the selected quote)", "R", self.mark_reported,
                     annotate_menu)
        self._action("Mark selection as a &speaker", "S", self.mark_speaker, annotate_menu)
        targets = (self.reader.text, self.panel.quotes_view)
        ctx = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self._action("&Confirm the selected quote", ["Return", "Enter"], self.confirm_quote, annotate_menu, ctx,
                     targets)
        self._action("&Reject the selected quote", "Delete", self.reject_quote, annotate_menu, ctx, targets)
        self._action("&Next quote", "]", lambda: self.step_quote(1), annotate_menu)
        self._action("&Previous quote", "[", lambda: self.step_quote(-1), annotate_menu)
        self._action("Set the quote's spea&ker", "Ctrl+K", self._focus_speaker, annotate_menu)
        annotate_menu.addSeparator()
        self._action("&Detect quotes again…", None, self.detect_quotes, annotate_menu)

        view = bar.addMenu("&View")
        self._action("Zoom &in", ["Ctrl++", "Ctrl+="], lambda: self.zoom(1), view)
        self._action("Zoom &out", "Ctrl+-", lambda: self.zoom(-1), view)
        self._action("&Normal size", "Ctrl+0", lambda: self.zoom(-self.zoom_steps), view)
        view.addSeparator()
        # Ctrl+E is taken by "Export article labels"; I (index of sources) is free.
        self._action("&Entities…", "Ctrl+I", self.show_entities, view)
        self.review_action = self._action("&Review disagreements…", "Ctrl+Shift+D", self.show_review, view)
        self.agreement_action = self._action("&Agreement…", None, self.show_agreement, view)

        help_menu = bar.addMenu("&Help")
        self._action("&Keyboard shortcuts", ["?", "Shift+?", "F1"], self.show_cheat_sheet, help_menu)
        self.label_key_actions: list[QAction] = []
        self._build_label_keys()

    def _build_export(self, menu) -> list[QAction]:
        try:
            from annotator.core import export  # noqa: F401, PLC0415
        except ImportError:
            action = QAction("&Export…", self)
            action.setEnabled(False)
            action.setToolTip("coming")
            menu.addAction(action)
            return [action]
        return [
            self._action("&Export…", "Ctrl+E", lambda: self.export_dialog("article"), menu),
            self._action("Export &quote labels…", "Ctrl+Shift+E", lambda: self.export_dialog("quote"), menu),
        ]

    def _build_label_keys(self) -> None:
        """One action per option key of the scheme; digits act on the selected quote when the quote list
        has focus, on the article otherwise."""
        for action in self.label_key_actions:
            self.removeAction(action)
            self.shortcut_actions.remove(action)
            action.deleteLater()
        self.label_key_actions = []
        keys = sorted({o.shortcut.upper() for t in self.scheme.tasks for o in t.options if o.shortcut})
        for key in keys:
            action = self._action(f"label {key}", key, lambda _c=False, k=key: self.label_key(k))
            self.label_key_actions.append(action)

    def _build_status_bar(self) -> None:
        self.annotator_button = QPushButton()
        self.annotator_button.setFlat(True)
        self.annotator_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.annotator_button.setToolTip("Click to switch annotator")
        self.annotator_button.clicked.connect(self.switch_annotator_dialog)
        self.progress_label = plain_label()
        self.statusBar().addPermanentWidget(self.progress_label)
        self.statusBar().addPermanentWidget(self.annotator_button)
        self._show_annotator()
        self.team_sync = None
        if status_line(self.project):
            from annotator.gui.team_sync import TeamSync  # noqa: PLC0415

            self.team_sync = TeamSync(self, self.project)
            self.team_sync.synced.connect(self._team_synced)
            self.statusBar().addPermanentWidget(self.team_sync.label)
            self.undo_stack.indexChanged.connect(self.team_sync.refresh)
        self.sync_action.setEnabled(self.team_sync is not None)
        self.sync_action.setToolTip("Send your work to the team's server and receive everyone else's"
                                    if self.team_sync else "This project is not joined to a team "
                                    "(annotator team join makes one that is)")

    def _show_annotator(self) -> None:
        self.annotator_button.setText(f"Annotator: {self.annotator}")

    # --- settings ---------------------------------------------------------------------------------

    def _restore_settings(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1440, 880)
        splitter = self.settings.value("window/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        else:  # first start: the list wide enough for titles, the reader a comfortable line length
            width = self.width()
            self.splitter.setSizes([int(width * 0.295), int(width * 0.42), int(width * 0.285)])
        self.zoom(int(self.settings.value("reader/zoom", 0)))
        with contextlib.suppress(TypeError, ValueError):
            self.panel.set_min_confidence(float(self.settings.value("quotes/min_confidence", MIN_CONFIDENCE)))

    def save_settings(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("reader/zoom", self.zoom_steps)
        self.settings.setValue("quotes/min_confidence", self.panel.min_confidence.value())
        remember_annotator(self.settings, self.project.path, self.annotator)
        self.settings.sync()

    def closeEvent(self, event):  # noqa: N802 (Qt override)
        self.panel.note.clearFocus()  # a note being typed is kept
        self.search_timer.stop()
        self.save_settings()
        if self.team_sync is not None:
            self.team_sync.stop()
        for job in list(self.jobs):
            job.cancel()
            job.wait()
        if getattr(self, "agreement_panel", None) is not None:
            self.agreement_panel.wait()
        for side in (self.entities_window, getattr(self, "review_window", None),
                     getattr(self, "agreement_panel", None)):
            if side is not None:
                side.close()
        super().closeEvent(event)
        if self.owns_project:
            self.project.close()

    # --- projects ---------------------------------------------------------------------------------

    def open_project_file(self, path, create: bool = False):
        """Open (or with `create` make) the project at `path` in a new window in this one's place; this
        one stays when the file is refused (the reason is shown). Returns the new window or None."""
        from annotator.gui.projects import open_project_window, replace_window  # noqa: PLC0415

        self.save_settings()
        window = open_project_window(path, self.settings, create=create, parent=self)
        return replace_window(self, window)

    def open_project_dialog(self):
        from annotator.gui.projects import choose_project_to_open  # noqa: PLC0415

        path = choose_project_to_open(self)
        return self.open_project_file(path) if path else None

    def new_project_dialog(self):
        """File > New project: choose a file, then (optionally) files or a folder to import into it."""
        from annotator.gui.projects import choose_new_project  # noqa: PLC0415

        path = choose_new_project(self)
        if not path:
            return None
        window = self.open_project_file(path, create=True)
        if window is not None and not window.list_model.ids:
            window.offer_first_import()
        return window

    def offer_first_import(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, "New project",
                          "The project is empty. Import articles into it now?", parent=self)
        files = box.addButton("Import &files…", QMessageBox.ButtonRole.AcceptRole)
        folder = box.addButton("Import a f&older…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("&Later", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is files:
            self.import_files_dialog()
        elif box.clickedButton() is folder:
            self.import_folder_dialog()

    def _fill_recent_menu(self) -> None:
        from annotator.gui.projects import recent_projects  # noqa: PLC0415

        self.recent_menu.clear()
        paths = recent_projects(self.settings)
        for n, path in enumerate(paths, start=1):
            action = self.recent_menu.addAction(f"&{n} {Path(path).name}" if n < 10 else Path(path).name)
            action.setToolTip(plain_tip(path))
            action.setData(path)
            action.triggered.connect(lambda _c=False, p=path: self.open_project_file(p))
        if not paths:
            self.recent_menu.addAction("(no recent projects)").setEnabled(False)

    def close_project(self):
        """File > Close: the start window (new, open, recent) takes this window's place."""
        from annotator.gui.projects import StartWindow, keep_alive, replace_window  # noqa: PLC0415

        self.save_settings()
        return replace_window(self, keep_alive(StartWindow(self.settings)))

    def quit_app(self) -> None:
        from PySide6.QtWidgets import QApplication  # noqa: PLC0415

        QApplication.closeAllWindows()

    def zoom(self, steps: int) -> None:
        if not steps or not (-6 <= self.zoom_steps + steps <= 20):
            return
        self.zoom_steps += steps
        self.reader.zoom(steps)

    # --- navigation -------------------------------------------------------------------------------

    def current_id(self) -> int | None:
        return self.article.id if self.article else None

    def go_to(self, article_id: int) -> None:
        """Show an article and select it in the list (when the list holds it)."""
        self._show(article_id)
        row = self.list_model.row_of(article_id)
        selection = self.list_view.selectionModel()
        selection.blockSignals(True)
        if row is None:
            self.list_view.clearSelection()
        else:
            index = self.list_model.index(row, 0)
            self.list_view.setCurrentIndex(index)
            self.list_view.selectRow(row)
            self.list_view.scrollTo(index)
        selection.blockSignals(False)
        self.list_view.viewport().update()

    def _list_row_changed(self, current, _previous) -> None:
        article_id = self.list_model.article_id(current.row()) if current.isValid() else None
        if article_id is not None and article_id != self.current_id():
            self._show(article_id)

    def _show(self, article_id: int) -> None:
        self.panel.note.clearFocus()
        self.article = articles.get_article(self.project, article_id, self.annotator)
        if self.article is None:
            return
        self.reader.show_article(self.article)
        self._mark_search()
        self.speaker_names.set_article(article_id)
        self._refresh_panel(keep_quote_id=None)
        articles.remember_position(self.project, self.annotator, article_id)
        self.article_shown.emit(article_id)

    def _mark_search(self) -> None:
        """Mark the search box's words in the article shown (F3 / Shift+F3 go from hit to hit)."""
        count = self.reader.text.mark_search(self.search.text())
        if self.search.text().strip():
            self.statusBar().showMessage(f"{count} search hits in this article (F3 next, Shift+F3 previous)"
                                         if count else "No search hits in this article's text", 5000)

    def step_search_hit(self, delta: int) -> None:
        if not self.reader.text.step_hit(delta):
            self.statusBar().showMessage("No search hits in this article: type words in the search box "
                                         "(Ctrl+F)", 4000)

    def _refresh_panel(self, keep_quote_id: int | None) -> None:
        """Read the article's labels, status and note (two queries) and show them with its quotes."""
        article = self.article
        self.labels_now = labels.article_labels(self.project, article.id, self.annotator)
        self.state_now = list(labels.article_state(self.project, article.id, self.annotator))
        self._show_article_labels()
        self.panel.show_quotes(article.quotes, self._quote_stance_names(), keep_quote_id)
        self._refresh_quote_labels()

    def _labels_of(self, quote_id: int | None) -> dict[int, list[int]]:
        """{task id: option ids} of the article (None) or one of its quotes, from what the window holds."""
        return {task_id: chosen for (q, task_id), chosen in self.labels_now.items() if q == quote_id and chosen}

    def _show_article_labels(self) -> None:
        self.panel.show_article_labels(self._labels_of(None), *self.state_now)

    def _quote_stance_names(self) -> dict[int, str]:
        quote_stance = self.scheme.stance_task("quote")
        names: dict[int, str] = {}
        if quote_stance:
            for (quote_id, task_id), chosen in self.labels_now.items():
                option = quote_stance.option(chosen[0]) if quote_id is not None and task_id == quote_stance.id \
                    and chosen else None
                if option is not None:
                    names[quote_id] = option.name
        return names

    def _refresh_quote_labels(self) -> None:
        quote_id = self.panel.current_quote_id()
        self.panel.show_quote_labels({} if quote_id is None else self._labels_of(quote_id))

    def step_article(self, delta: int) -> None:
        row = self.list_model.row_of(self.current_id()) if self.article else None
        target = self.list_model.article_id((row if row is not None else -1) + delta)
        if target is not None:
            self.go_to(target)

    def previous_article(self) -> None:
        self.step_article(-1)

    def next_unlabelled(self) -> bool:
        """Go to the next article (list order) you have not labelled; False when there is none."""
        target = articles.next_unlabelled(self.project, self.annotator, self.list_model.ids, self.current_id())
        if target is None:
            self.statusBar().showMessage("Every article in the list is labelled by you.", 5000)
            return False
        self.go_to(target)
        return True

    def label_and_next(self) -> None:
        if self.article is None:
            return
        if self.state_now[0] not in labels.DONE_STATUSES:
            self.push(commands.SetStatus(self.project, self.annotator, self.article.id, "labelled", self.changed))
        if not self.reader.banner.isHidden():
            self.hide_banner()
        self.next_unlabelled()

    def apply_filter(self) -> None:
        """Apply the search box and status filter to the list (the open article stays open)."""
        self.search_timer.stop()
        query = self.list_model.query
        query.search = self.search.text()
        query.status = self.status_filter.currentData()
        self.list_model.set_query(query)
        self._update_list_count()
        self._mark_search()
        if self.article is not None:
            row = self.list_model.row_of(self.article.id)
            if row is not None:
                self.list_view.selectionModel().blockSignals(True)
                self.list_view.selectRow(row)
                self.list_view.selectionModel().blockSignals(False)

    def _update_list_count(self) -> None:
        shown = len(self.list_model.ids)
        filtered = bool(self.list_model.query.search.strip() or self.list_model.query.status)
        self.list_count.setText(f"{shown:,} articles" + (" match" if filtered else ""))

    # --- edits ------------------------------------------------------------------------------------

    def push(self, command) -> None:
        self.undo_stack.push(command)

    def changed(self, change: Change) -> None:
        """After a command ran (or was undone): apply its change record, redrawing only what it says
        changed (labels and status from the record itself, without reading the project again); an
        edit of another article (an undo) goes back to it first."""
        article_id = change.article_id
        if self.current_id() != article_id:
            self.go_to(article_id)
            self.list_model.refresh_article(article_id)
            self._update_progress()
            return
        if change.spans:
            keep = self.panel.current_quote_id()
            self.article = articles.get_article(self.project, article_id, self.annotator)
            self.reader.show_article(self.article, keep, keep_scroll=True)
            self.speaker_names.set_article(article_id)
            self._refresh_panel(keep_quote_id=keep)
            self.list_model.refresh_article(article_id)
            return
        self.labels_now.update(change.labels)
        if change.status is not None:
            self.state_now[0] = change.status
        if change.note is not None:
            self.state_now[1] = change.note
        self._show_article_labels()
        stance = self.scheme.stance_task("article")
        if any(q is not None for q, _t in change.labels):
            self.panel.quotes_model.set_stance_names(self._quote_stance_names())
            self._refresh_quote_labels()
        if stance is not None and (None, stance.id) in change.labels:
            names = [stance.option(o).name for o in change.labels[(None, stance.id)] if stance.option(o)]
            self.list_model.patch(article_id, stance=", ".join(names))
        if change.status is not None:
            self.list_model.patch(article_id, status=change.status)
            self._update_progress()

    def _update_progress(self) -> None:
        self.progress_label.setText(labels.progress(self.project, self.annotator).text())

    def label_key(self, key: str) -> None:
        if self.article is None:
            return
        on_quote = self.panel.quotes_view.hasFocus() and self.panel.current_quote_id() is not None
        found = self.scheme.option_for_key(key, "quote" if on_quote else "article")
        if found is None and on_quote:
            found, on_quote = self.scheme.option_for_key(key, "article"), False
        if found is None:
            return
        task, option = found
        quote_id = self.panel.current_quote_id() if on_quote else None
        chosen = self.labels_now.get((quote_id, task.id), [])
        self.label_option(task.id, option.id, option.id not in chosen, quote=on_quote)

    def label_option(self, task_id: int, option_id: int, on: bool, quote: bool = False) -> None:
        """Choose (on) or clear an option for the article or the selected quote."""
        if self.article is None:
            return
        task = self.scheme.task(task_id)
        quote_id = self.panel.current_quote_id() if quote else None
        if quote and quote_id is None:
            return
        option = task.option(option_id)
        text = f"{task.name}: {option.name}" if on else f"{task.name}: clear {option.name}"
        if task.kind == SINGLE:
            self.push(commands.SetChoice(self.project, self.annotator, self.article.id, task_id,
                                         option_id if on else None, self.changed, quote_id, text))
        else:
            self.push(commands.SetOption(self.project, self.annotator, self.article.id, task_id, option_id, on,
                                         self.changed, quote_id, text))

    def set_status(self, status: str) -> None:
        if self.article and status != self.state_now[0]:
            self.push(commands.SetStatus(self.project, self.annotator, self.article.id, status, self.changed))

    def set_note(self, note: str) -> None:
        if self.article and note != self.state_now[1]:
            self.push(commands.SetNote(self.project, self.annotator, self.article.id, note, self.changed))

    def _current_quote(self) -> dict | None:
        quote_id = self.panel.current_quote_id()
        if quote_id is None or self.article is None:
            return None
        return next((q for q in self.article.quotes if q["id"] == quote_id), None)

    def confirm_quote(self) -> None:
        quote = self._current_quote()
        if quote is None:
            self.statusBar().showMessage("Select a quote first (click it in the text or the list).", 4000)
            return
        self.push(commands.ConfirmQuote(self.project, self.annotator, self.article.id, quote["id"], self.changed))
        self.step_quote(1)

    def reject_quote(self) -> None:
        quote = self._current_quote()
        if quote is None:
            self.statusBar().showMessage("Select a quote first (click it in the text or the list).", 4000)
            return
        if quote["status"] == "added":
            self.push(commands.DeleteQuote(self.project, self.annotator, self.article.id, quote["id"], self.changed))
        else:
            self.push(commands.RejectQuote(self.project, self.annotator, self.article.id, quote["id"], self.changed))
            self.step_quote(1)

    def set_speaker_name(self, name: str) -> None:
        quote = self._current_quote()
        if quote is None:
            return
        mention = next((m for m in self.article.mentions if (m["name"] or m["text"]) == name), None)
        others = articles.same_speaker_quotes(self.article.quotes, quote)
        targets = [quote] + (others if others and self.ask_same_speaker(quote, others, name) else [])

        def command(q):
            return commands.SetSpeaker(self.project, self.annotator, self.article.id, q["id"], self.changed,
                                       mention_id=mention["id"] if mention else None, name=None if mention else name)

        if len(targets) == 1:
            self.push(command(quote))
        else:  # one undo step for all of them
            self.undo_stack.beginMacro(f"set speaker of {len(targets)} quotes to {name}")
            for q in targets:
                self.push(command(q))
            self.undo_stack.endMacro()
            self.statusBar().showMessage(f"{name} is now the speaker of {len(targets)} quotes (one undo step).", 5000)
        self.speaker_names.entity_added()
        self.reader.text.setFocus()

    def ask_same_speaker(self, quote: dict, others: list[dict], name: str) -> bool:
        """Ask whether a correction applies to the other quotes of the same speaker mention too."""
        was = quote.get("speaker") or "the same speaker"
        box = QMessageBox(QMessageBox.Icon.Question, "Same speaker",
                          f"{len(others)} other quote(s) in this article are attributed to the same mention "
                          f"({was!r}). Make {name!r} their speaker too?", parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)  # names are data
        every = box.addButton(f"&All {len(others) + 1} quotes", QMessageBox.ButtonRole.YesRole)
        box.addButton("&Only this one", QMessageBox.ButtonRole.NoRole)
        box.setDefaultButton(every)
        box.exec()
        return box.clickedButton() is every

    def mark_quote(self) -> None:
        span = self.reader.text.selected_span()
        if span is None or self.article is None:
            self.statusBar().showMessage("Select the quoted words in the text first, then press Q.", 4000)
            return
        command = commands.MarkQuote(self.project, self.annotator, self.article.id, *span, self.changed)
        self.push(command)
        self.panel.select_quote(command.quote_id)

    def mark_reported(self) -> None:
        """R: the selection is reported speech (mixed when it holds quotation marks, else indirect). With a
        detected quote selected that the selection overlaps, it corrects that quote."""
        from annotator.core.quote_forms import form_of_selection, own_span

        span = self.reader.text.selected_span()
        if span is None or self.article is None:
            self.statusBar().showMessage("Select the reported words in the text first, then press R.", 4000)
            return
        start, end = span
        form = form_of_selection(self.article.text[start:end])
        current = self._current_quote()
        if current:   # a direct quote stands over its quoted words (pieces of one quotation share a content)
            own = own_span(current["start"], current["end"], current.get("form"), current["content_start"],
                           current["content_end"])
        replaces = current["id"] if current and current["origin"] == "auto" and own[0] < end \
            and start < own[1] else None
        command = commands.MarkReported(self.project, self.annotator, self.article.id, start, end, form,
                                        self.changed, replaces_id=replaces)
        self.push(command)
        self.panel.select_quote(command.quote_id)
        self.statusBar().showMessage(
            f"Marked {form} reported speech" + (" in place of the detected quote." if replaces else "."), 4000)

    def mark_speaker(self) -> None:
        span = self.reader.text.selected_span()
        if span is None or self.article is None:
            self.statusBar().showMessage("Select the speaker's name in the text first, then press S.", 4000)
            return
        quote_id = self.panel.current_quote_id()
        self.push(commands.MarkSpeaker(self.project, self.annotator, self.article.id, *span, self.changed,
                                       quote_id=quote_id))
        if quote_id is not None:
            self.statusBar().showMessage("Marked a speaker and made it the selected quote's speaker.", 4000)

    def _quote_selected(self, quote_id) -> None:
        """A quote chosen in the list: scrolled to in the text (unless words are selected there, which
        a scroll would lose) and flashed, so the sentence is in view while its speaker is corrected."""
        self.reader.text.highlighter.set_current_quote(quote_id)
        self._refresh_quote_labels()
        if quote_id is not None and self.article is not None:
            quote = next((q for q in self.article.quotes if q["id"] == quote_id), None)
            if quote:
                # reported speech flashes its whole clause, a quote its quoted words
                start, end = (quote["start"], quote["end"]) if (quote.get("form") or "direct") == "direct" \
                    else (quote["content_start"], quote["content_end"])
                if not self.reader.text.textCursor().hasSelection():
                    self.reader.text.show_offset(start)
                self.reader.text.flash(start, end)

    def _quote_clicked_in_text(self, quote_id: int) -> None:
        if self.panel.quotes_model.row_of(quote_id) is None:
            self.statusBar().showMessage("This detection is hidden in the quote list: the detector is less sure of "
                                         "it than the 'hide below' threshold (set it lower to check it).", 6000)
        self.panel.select_quote(quote_id, emit=False)
        self.reader.text.highlighter.set_current_quote(quote_id)
        self._refresh_quote_labels()

    def step_quote(self, delta: int) -> None:
        count = self.panel.quotes_model.rowCount()
        if not count:
            return
        quote_id = self.panel.current_quote_id()
        row = self.panel.quotes_model.row_of(quote_id) if quote_id is not None else None
        row = 0 if row is None else min(max(row + delta, 0), count - 1)
        self.panel.select_quote(self.panel.quotes_model.quote(row)["id"])

    def _focus_speaker(self) -> None:
        if self.panel.current_quote_id() is not None:
            self.panel.speaker.setFocus()
            self.panel.speaker.selectAll()

    # --- banner, dialogs --------------------------------------------------------------------------

    def show_banner(self, html: str) -> None:
        self.reader.banner.setText(html)
        self.reader.banner.show()

    def hide_banner(self) -> None:
        self.reader.banner.hide()
        self.settings.setValue("seen_welcome", True)

    def show_entities(self):
        """Open (or raise) the entities window; its edits go on this window's undo stack."""
        from annotator.gui.entities_window import EntitiesWindow  # noqa: PLC0415

        if self.entities_window is None:
            self.entities_window = EntitiesWindow(self.project, self.undo_stack, self.speaker_names, self)
            self.entities_window.entities_changed.connect(self._entities_changed)
        self.entities_window.show()
        self.entities_window.raise_()
        self.entities_window.activateWindow()
        return self.entities_window

    def _entities_changed(self, _entity_ids) -> None:
        """An entity was renamed, merged or split: the quotes' shown names are read again."""
        if self.article is not None:
            self.article = articles.get_article(self.project, self.article.id, self.annotator)
            self._refresh_panel(keep_quote_id=self.panel.current_quote_id())

    def show_cheat_sheet(self) -> None:
        from annotator.gui.cheat_sheet import CheatSheet  # noqa: PLC0415

        self.cheat_sheet = CheatSheet(self, self.scheme)
        self.cheat_sheet.open()

    def edit_scheme(self) -> None:
        from annotator.gui.scheme_dialog import SchemeDialog  # noqa: PLC0415

        self.scheme_dialog = SchemeDialog(self.project, self, self.undo_stack, self.scheme_edited)
        self.scheme_dialog.open()

    def scheme_edited(self, problem: str | None, select) -> None:
        """A scheme command was done or undone: redraw the scheme everywhere; the undo history stays."""
        self.show_scheme()
        if problem:
            self.statusBar().showMessage(problem, 10000)
        dialog = getattr(self, "scheme_dialog", None)
        if dialog is not None and dialog.isVisible():
            dialog.show_edit(problem, select)

    def reload_scheme(self) -> None:
        """The scheme changed outside the undo stack (a merge): redraw it; the undo history goes."""
        self.undo_stack.clear()
        self.show_scheme()

    def show_scheme(self) -> None:
        """Rebuild the label groups, keys and the list's stance column from the project's scheme."""
        self.scheme = load_scheme(self.project)
        self.panel.set_scheme(self.scheme)
        self._build_label_keys()
        self.list_model.query.stance_task_id = self.scheme.stance_task("article").id \
            if self.scheme.stance_task("article") else None
        self.list_model.refresh_all()
        if self.article:
            self._refresh_panel(self.panel.current_quote_id())

    def switch_annotator_dialog(self) -> None:
        names = labels.list_annotators(self.project)
        name, ok = QInputDialog.getItem(self, "Switch annotator", f"{ANNOTATOR_WHY}\n\nWho is annotating? "
                                        "(type a new name or pick one)",
                                        names or [self.annotator], max(0, names.index(self.annotator))
                                        if self.annotator in names else 0, True)
        if ok and name.strip():
            self.switch_annotator(name)

    def switch_annotator(self, name: str) -> None:
        """Everything shown (statuses, labels, verdicts, progress) becomes this annotator's."""
        self.annotator = labels.ensure_annotator(self.project, name)
        remember_annotator(self.settings, self.project.path, self.annotator)
        self.undo_stack.clear()
        query = self.list_model.query
        query.annotator = self.annotator
        self.list_model.set_query(query)
        self._show_annotator()
        self._update_progress()
        if self.article:
            self.go_to(self.article.id)

    # --- import and export ------------------------------------------------------------------------

    def import_files_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Import articles", "", "Articles (*.txt *.csv *.tsv *.json *.jsonl *.html *.htm *.xml *.zip *.docx);;"
            "All files (*)")
        if paths:
            self.import_paths(paths)

    def import_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import a folder of articles")
        if folder:
            self.import_paths([folder])

    def import_paths(self, paths: list[str], workers: int | None = None) -> ProjectJob:
        """Import in a worker thread with a progress dialog; the report shows when it is done."""
        return import_job(self, self.project.path, list(paths), workers=workers, on_done=self._import_done)

    def detect_quotes(self, workers: int | None = None) -> ProjectJob:
        """Run quote and speaker detection again over every article (what people checked is kept)."""
        from annotator.core.quotes import run_detection  # noqa: PLC0415

        def work(project, progress, cancelled):
            return run_detection(project, progress=progress, cancelled=cancelled, workers=workers)

        return run_job(self, self.project.path, work, title="Detecting quotes", on_done=self._detected)

    def _detected(self, report) -> None:
        self.undo_stack.clear()  # the spans the history points at may have been replaced
        self.list_model.refresh_all()
        if self.article is not None:
            self.go_to(self.article.id)
        self.statusBar().showMessage(report.summary(), 10000)

    def _import_done(self, report) -> None:
        self.last_import_report = report
        self.apply_filter()
        self._update_progress()
        if self.article is None and self.list_model.ids:
            self.go_to(self.list_model.ids[0])
        if self.list_model.ids and self.reader.banner.text() == EMPTY:
            self.reader.banner.hide()
        if self.show_report_dialogs:
            self.report_dialog = ImportReportDialog(report, self)
            self.report_dialog.open()
        self.statusBar().showMessage(report.summary(), 10000)
        self.import_finished.emit(report)

    def export_dialog(self, level: str):
        """The export dialog (rows, whose labels, format, Excel BOM, formula safety), `level` chosen;
        it writes the file in a worker thread on its own connection."""
        from annotator.gui.export_dialog import ExportDialog  # noqa: PLC0415

        dialog = ExportDialog(self.project.path, labels.list_annotators(self.project), self.annotator, self)
        dialog.level.setCurrentIndex(max(0, dialog.level.findData(level)))
        self.export_window = dialog
        dialog.open()
        return dialog

    # --- colleagues' work -------------------------------------------------------------------------

    def merge_dialog(self):
        """Pick colleagues' project files and merge them in a worker; the views reload afterwards."""
        from annotator.gui.merge_action import choose_and_merge  # noqa: PLC0415

        return choose_and_merge(self, self.project.path, on_done=self._merged)

    def sync_with_team(self):
        """File > Sync with team: a sync now, in the background, with its report afterwards."""
        if self.team_sync is not None:
            return self.team_sync.sync_now(show_report=True)
        return None

    def _team_synced(self, report) -> None:
        """After a sync: reload what it brought (articles, labels, scheme); say what happened."""
        # colleagues' labels change nothing shown here (review and agreement read them when opened);
        # new articles, scheme, quotes, or this annotator's work from another machine do
        shown = ("articles", "tasks", "options", "entities", "quotes", "mentions")
        if report.pulled_own or any(report.pulled.get(t) for t in shown):
            self._reload_after_outside_change(bool(report.pulled.get("tasks") or report.pulled.get("options")))
        self.statusBar().showMessage(report.summary(), 8000)

    def _merged(self, reports: list) -> None:
        from annotator.gui.merge_action import show_reports  # noqa: PLC0415

        self.last_merge_reports = reports
        self._reload_after_outside_change(any(r.tasks_added or r.options_added for r in reports))
        self.statusBar().showMessage("; ".join(r.lines()[0] for r in reports), 10000)
        if self.show_report_dialogs:
            show_reports(self, reports)

    def _reload_after_outside_change(self, scheme: bool) -> None:
        """Another connection changed the project (a merge, a sync): re-read the list, scheme and article."""
        if scheme:
            self.reload_scheme()
        self.apply_filter()  # re-reads the list: added articles, changed statuses
        self.list_model.refresh_all()
        self._update_progress()
        if self.article is not None:
            self.go_to(self.article.id)
        elif self.list_model.ids:
            self.go_to(self.list_model.ids[0])
            if self.reader.banner.text() == EMPTY:
                self.reader.banner.hide()

    def show_review(self):
        """The review window: items where annotators disagree, side by side; the adjudicator (asked once
        per machine, the annotator's name offered) settles them."""
        from annotator.gui.projects import adjudicator_for  # noqa: PLC0415
        from annotator.gui.review import open_review_window  # noqa: PLC0415

        adjudicator = adjudicator_for(self.settings, labels.list_annotators(self.project), self.annotator, self)
        if adjudicator is None:
            return None
        self.review_window = open_review_window(self.project.path, adjudicator, self)
        return self.review_window

    def show_agreement(self):
        """The agreement panel (tables per task, chart, progress), recomputed each time it is opened."""
        from annotator.gui.agreement_panel import AgreementPanel  # noqa: PLC0415

        if getattr(self, "agreement_panel", None) is None:
            self.agreement_panel = AgreementPanel(self.project, self)
            self.agreement_panel.setWindowFlag(Qt.WindowType.Window, True)
        else:
            self.agreement_panel.refresh()
        self.agreement_panel.show()
        self.agreement_panel.raise_()
        return self.agreement_panel

    # --- drag and drop ----------------------------------------------------------------------------

    def dragEnterEvent(self, event):  # noqa: N802 (Qt override)
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event):  # noqa: N802 (Qt override)
        self.dragEnterEvent(event)

    def dropEvent(self, event):  # noqa: N802 (Qt override)
        """A project file dropped alone is opened; anything else is imported."""
        from annotator.gui.projects import is_project_file  # noqa: PLC0415

        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if not paths:
            return
        event.acceptProposedAction()
        if len(paths) == 1 and is_project_file(paths[0]):
            QTimer.singleShot(0, lambda: self.open_project_file(paths[0]))  # after the drop has returned
        else:
            self.import_paths(paths)


def plain_message(parent, title: str, text: str) -> None:
    """A warning whose text is shown as typed: file names and messages are data, never markup."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()
