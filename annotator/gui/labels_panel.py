"""The right-hand panel: the article's labels (one group per task, shortcut keys shown), status and
note; below, the article's quotes with the selected quote's speaker, stance, confirm and reject.

The panel only shows state and emits what the person asked for; the window turns requests into
undoable commands.
"""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.detect.confidence import MIN_CONFIDENCE
from annotator.core.scheme import SINGLE, Scheme
from annotator.gui.quotes_model import (
    COL_CONFIDENCE,
    COL_FORM,
    COL_SNIPPET,
    COL_SPEAKER,
    COL_STANCE,
    COL_STATUS,
    FILTERS,
    QuoteTableModel,
)
from annotator.gui.speaker_names import SpeakerNames

STATUS_CHOICES = [("todo", "to do"), ("labelled", "labelled"), ("reviewed", "reviewed")]


def _option_text(name: str, shortcut: str | None) -> str:
    return f"{shortcut}  {name}" if shortcut else name


class TaskGroup(QGroupBox):
    """One task: radio buttons (single choice) or check boxes (multiple), each showing its key."""

    clicked = Signal(int, int, bool)  # task id, option id, checked

    def __init__(self, task, parent=None):
        super().__init__(task.title, parent)
        self.task = task
        self.buttons: dict[int, QCheckBox | QRadioButton] = {}
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)  # exclusivity is the store's; a second click clears a stance
        layout = QVBoxLayout(self) if task.kind == SINGLE or len(task.options) < 5 else None
        if layout is None:
            from PySide6.QtWidgets import QGridLayout  # noqa: PLC0415

            layout = QGridLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(2)
        for i, option in enumerate(task.options):
            cls = QRadioButton if task.kind == SINGLE else QCheckBox
            button = cls(_option_text(option.name, option.shortcut))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAutoExclusive(False)
            button.setToolTip(f"press {option.shortcut}" if option.shortcut else "no key; click to choose")
            button.clicked.connect(lambda checked, o=option.id: self.clicked.emit(self.task.id, o, checked))
            self.group.addButton(button)
            self.buttons[option.id] = button
            if isinstance(layout, QVBoxLayout):
                layout.addWidget(button)
            else:
                layout.addWidget(button, i // 2, i % 2)

    def show_chosen(self, option_ids: list[int]) -> None:
        for option_id, button in self.buttons.items():
            button.setChecked(option_id in option_ids)

    def set_enabled_all(self, enabled: bool) -> None:
        for button in self.buttons.values():
            button.setEnabled(enabled)


class LabelsPanel(QWidget):
    choice_clicked = Signal(int, int, bool)  # article task id, option id, checked
    quote_choice_clicked = Signal(int, int, bool)  # quote task id, option id, checked
    status_chosen = Signal(str)
    note_edited = Signal(str)
    quote_selected = Signal(object)  # quote id or None
    confirm_requested = Signal()
    reject_requested = Signal()
    speaker_entered = Signal(str)

    def __init__(self, speaker_names: SpeakerNames, parent=None):
        super().__init__(parent)
        self.speaker_names = speaker_names
        self.article_groups: list[TaskGroup] = []
        self.quote_groups: list[TaskGroup] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        self.article_box = QVBoxLayout()
        outer.addLayout(self.article_box)
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        self.status = QComboBox()
        for key, word in STATUS_CHOICES:
            self.status.addItem(word, key)
        self.status.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.status.activated.connect(lambda i: self.status_chosen.emit(self.status.itemData(i)))
        form.addRow("Status", self.status)
        self.note = QLineEdit()
        self.note.setPlaceholderText("note (Enter keeps it)")
        self.note.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.note.editingFinished.connect(lambda: self.note_edited.emit(self.note.text()))
        form.addRow("Note", self.note)
        outer.addLayout(form)

        self.quotes_label = QLabel("Quotes")
        self.quotes_label.setStyleSheet("font-weight: bold; margin-top: 6px;")
        # the count may be long ("13 (5 reported), 2 checked by you; 1 not shown"): a line of its own that
        # wraps, and the filters on the next, so the panel does not widen and squeeze the article list
        self.quotes_label.setWordWrap(True)
        outer.addWidget(self.quotes_label)
        quotes_row = QHBoxLayout()
        self.form_filter = QComboBox()   # all / direct / reported: the filter lives in the quote model
        for key, words, _forms in FILTERS:
            self.form_filter.addItem(words, key)
        self.form_filter.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.form_filter.setToolTip("Which quotes the list shows (Ctrl+Shift+F cycles)")
        self.form_filter.currentIndexChanged.connect(lambda i: self.set_form_filter(self.form_filter.itemData(i)))
        quotes_row.addWidget(self.form_filter)
        self.min_confidence = QDoubleSpinBox()
        self.min_confidence.setRange(0.0, 1.0)
        self.min_confidence.setSingleStep(0.05)
        self.min_confidence.setDecimals(2)
        self.min_confidence.setValue(MIN_CONFIDENCE)
        self.min_confidence.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.min_confidence.setToolTip("Detections nobody checked that the detector is less sure of are hidden "
                                       f"(as `annotator quotes` leaves them out; its default is {MIN_CONFIDENCE}). "
                                       "0 shows all.")
        hide_label = QLabel("hide below")
        hide_label.setBuddy(self.min_confidence)
        quotes_row.addStretch(1)
        quotes_row.addWidget(hide_label)
        quotes_row.addWidget(self.min_confidence)
        outer.addLayout(quotes_row)
        self.quotes_model = QuoteTableModel(self)
        self.quotes_view = QTableView()
        self.quotes_view.setModel(self.quotes_model)
        self.quotes_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.quotes_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.quotes_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.quotes_view.verticalHeader().hide()
        self.quotes_view.setWordWrap(False)
        self.quotes_view.setAlternatingRowColors(True)
        header = self.quotes_view.horizontalHeader()
        header.setSectionResizeMode(COL_SNIPPET, QHeaderView.ResizeMode.Stretch)
        for column, width in ((COL_FORM, 56), (COL_SPEAKER, 104), (COL_STANCE, 58), (COL_STATUS, 70),
                              (COL_CONFIDENCE, 42)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)  # measured widths would read every row: slow at 2,000 quotes
        self.quotes_view.selectionModel().currentRowChanged.connect(self._current_quote_changed)
        self.min_confidence.valueChanged.connect(self.set_min_confidence)
        outer.addWidget(self.quotes_view, 1)

        detail = QGroupBox("Selected quote")
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(8, 4, 8, 4)
        speaker_row = QHBoxLayout()
        speaker_row.addWidget(QLabel("Speaker"))
        self.speaker = QLineEdit()
        self.speaker.setPlaceholderText("type a name or pick a mention, Enter sets it")
        self.speaker.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.completer_model = QStringListModel(self)
        self.completer = QCompleter(self.completer_model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.speaker.setCompleter(self.completer)
        self.speaker.textEdited.connect(self._speaker_typed)
        self.speaker.returnPressed.connect(self._speaker_return)
        speaker_row.addWidget(self.speaker, 1)
        detail_layout.addLayout(speaker_row)
        self.quote_box = QVBoxLayout()
        detail_layout.addLayout(self.quote_box)
        buttons = QHBoxLayout()
        self.confirm_button = QPushButton("Confirm  (Enter)")
        self.confirm_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.confirm_button.clicked.connect(self.confirm_requested)
        self.reject_button = QPushButton("Reject  (Delete)")
        self.reject_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.reject_button.clicked.connect(self.reject_requested)
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.reject_button)
        detail_layout.addLayout(buttons)
        self.detail = detail
        outer.addWidget(detail)
        self._set_quote_enabled(False)

    # --- building --------------------------------------------------------------------------------

    def set_scheme(self, scheme: Scheme) -> None:
        for group in self.article_groups + self.quote_groups:
            group.setParent(None)
            group.deleteLater()
        self.article_groups, self.quote_groups = [], []
        for task in scheme.at_level("article"):
            group = TaskGroup(task, self)
            group.clicked.connect(self.choice_clicked)
            self.article_box.addWidget(group)
            self.article_groups.append(group)
        for task in scheme.at_level("quote"):
            group = TaskGroup(task, self)
            group.setTitle(f"quote {task.title}")
            group.setToolTip("Its keys act on the selected quote while the quote list has focus (Ctrl+L).")
            group.clicked.connect(self.quote_choice_clicked)
            self.quote_box.addWidget(group)
            self.quote_groups.append(group)
        self._set_quote_enabled(self.current_quote_id() is not None)

    # --- showing state ---------------------------------------------------------------------------

    def show_article_labels(self, chosen: dict[int, list[int]], status: str, note: str) -> None:
        for group in self.article_groups:
            group.show_chosen(chosen.get(group.task.id, []))
        self.status.setCurrentIndex(max(0, self.status.findData(status)))
        if not self.note.hasFocus():
            self.note.setText(note)

    def show_quotes(self, quotes: list[dict], stance_names: dict[int, str], keep_quote_id: int | None) -> None:
        self.quotes_view.selectionModel().blockSignals(True)
        self.quotes_model.set_quotes(quotes, stance_names)
        self.quotes_view.selectionModel().blockSignals(False)
        self._count_quotes()
        row = self.quotes_model.row_of(keep_quote_id) if keep_quote_id is not None else None
        if row is not None:
            self.select_quote(keep_quote_id, emit=False)
        else:
            self._show_quote(None)

    def _count_quotes(self) -> None:
        quotes = self.quotes_model.all_quotes
        checked = sum(1 for q in quotes if q["status"] != "auto")
        reported = sum(1 for q in quotes if (q.get("form") or "direct") != "direct")
        text = f"Quotes: {len(quotes)} ({reported} reported), {checked} checked by you" if quotes else "Quotes: none"
        hidden = self.quotes_model.hidden()
        unsure = self.quotes_model.hidden_count()
        self.quotes_label.setText(text + (f"; {hidden} not shown" if hidden else "")
                                  + (f", {unsure} less sure hidden" if unsure else ""))

    def set_form_filter(self, key: str) -> None:
        """Show all quotes, the direct ones or reported speech; the selected quote stays if still shown."""
        keep = self.current_quote_id()
        self.quotes_view.selectionModel().blockSignals(True)
        self.quotes_model.set_filter(key)
        self.quotes_view.selectionModel().blockSignals(False)
        index = self.form_filter.findData(key)
        if index != self.form_filter.currentIndex():
            self.form_filter.blockSignals(True)
            self.form_filter.setCurrentIndex(index)
            self.form_filter.blockSignals(False)
        self._kept_after_filtering(keep)

    def set_min_confidence(self, threshold: float) -> None:
        """Hide unchecked detections below `threshold`; the selected quote stays selected if shown."""
        keep = self.current_quote_id()
        self.quotes_view.selectionModel().blockSignals(True)
        self.quotes_model.set_min_confidence(threshold)
        self.quotes_view.selectionModel().blockSignals(False)
        if self.min_confidence.value() != threshold:
            self.min_confidence.setValue(threshold)
        self._kept_after_filtering(keep)

    def _kept_after_filtering(self, keep: int | None) -> None:
        self._count_quotes()
        if keep is not None and self.quotes_model.row_of(keep) is not None:
            self.select_quote(keep, emit=False)
        else:
            self._show_quote(None)
            self.quote_selected.emit(None)

    def cycle_form_filter(self) -> None:
        keys = [k for k, _, _ in FILTERS]
        self.set_form_filter(keys[(keys.index(self.quotes_model.filter) + 1) % len(keys)])

    def show_quote_labels(self, chosen: dict[int, list[int]]) -> None:
        for group in self.quote_groups:
            group.show_chosen(chosen.get(group.task.id, []))

    def current_quote_id(self) -> int | None:
        index = self.quotes_view.currentIndex()
        quote = self.quotes_model.quote(index.row()) if index.isValid() else None
        return quote["id"] if quote and self.quotes_view.selectionModel().isRowSelected(index.row()) else None

    def select_quote(self, quote_id: int | None, emit: bool = True) -> None:
        row = self.quotes_model.row_of(quote_id) if quote_id is not None else None
        selection = self.quotes_view.selectionModel()
        if not emit:
            selection.blockSignals(True)
        if row is None:
            self.quotes_view.clearSelection()
            selection.clearCurrentIndex()
        else:
            self.quotes_view.selectRow(row)
            self.quotes_view.scrollTo(self.quotes_model.index(row, 0))
        if not emit:
            selection.blockSignals(False)
        self._show_quote(self.quotes_model.quote(row) if row is not None else None)

    def _current_quote_changed(self, current, _previous) -> None:
        quote = self.quotes_model.quote(current.row()) if current.isValid() else None
        self._show_quote(quote)
        self.quote_selected.emit(quote["id"] if quote else None)

    def _show_quote(self, quote: dict | None) -> None:
        self._set_quote_enabled(quote is not None)
        if not self.speaker.hasFocus():
            self.speaker.setText(quote["shown_speaker"] if quote else "")
        if quote is None:
            self.show_quote_labels({})
        else:
            self.reject_button.setText("Delete  (Delete)" if quote["status"] == "added" else "Reject  (Delete)")

    def _set_quote_enabled(self, enabled: bool) -> None:
        self.detail.setEnabled(enabled)

    # --- speaker completer -----------------------------------------------------------------------

    def _speaker_typed(self, text: str) -> None:
        self.completer_model.setStringList(self.speaker_names.suggest(text))
        self.completer.complete()

    def _speaker_return(self) -> None:
        text = self.speaker.text().strip()
        if text:
            self.speaker_entered.emit(text)
