"""Which project a window shows and who annotates it: File > New / Open / Open recent / Close, the
list of recent projects, and the annotator name (asked once per machine, remembered per project).

A window always holds one open project; opening another makes a new window in its place (nothing of
the old project's state, undo history or side windows can leak into the new one), and File > Close
leaves the start window, which offers the same choices.
"""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path

from PySide6.QtCore import QSettings, QStringListModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core import labels
from annotator.core.store import Project, ProjectError, check_project_file, open_project

RECENT_KEY = "recent_projects"
PROJECT_ANNOTATORS_KEY = "project_annotators"
MACHINE_ANNOTATOR_KEY = "annotator"
ADJUDICATOR_KEY = "adjudicator"
MAX_RECENT = 8
PROJECT_FILTER = "Annotator projects (*.db *.sqlite *.annotator.db);;All files (*)"
PROJECT_SUFFIXES = (".db", ".sqlite", ".sqlite3")
ANNOTATOR_WHY = ("Your labels are stored under this name, so that colleagues' work stays apart when projects "
                 "are merged; File > Switch annotator changes it.")

ADJUDICATOR_WHY = ("Decisions on disagreements are stored under this name as the adjudicator's, apart from every "
                   "coder's own labels; it is asked once.")

_windows: set[QWidget] = set()  # top-level windows made here, kept alive until they close


def keep_alive(widget: QWidget) -> QWidget:
    """Hold a parentless window until it is destroyed (Python would otherwise collect it)."""
    widget.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    _windows.add(widget)
    widget.destroyed.connect(lambda _obj=None, w=widget: _windows.discard(w))
    return widget


def default_settings() -> QSettings:
    return QSettings("annotator", "annotator")


def _key(path: str | Path) -> str:
    return str(Path(path).expanduser().resolve())


# --- recent projects ----------------------------------------------------------------------------


def recent_projects(settings: QSettings) -> list[str]:
    """The recently opened project files that still exist, newest first."""
    stored = settings.value(RECENT_KEY, [], type=list) or []
    return [p for p in stored if isinstance(p, str) and Path(p).is_file()][:MAX_RECENT]


def remember_recent(settings: QSettings, path: str | Path) -> None:
    path = _key(path)
    stored = [p for p in (settings.value(RECENT_KEY, [], type=list) or []) if p != path]
    settings.setValue(RECENT_KEY, [path, *stored][:MAX_RECENT])


# --- who is annotating --------------------------------------------------------------------------


def login_name() -> str:
    """The person's login name, as the first guess of their annotator name."""
    try:
        return getpass.getuser() or "annotator"
    except (OSError, KeyError, ImportError):
        return os.environ.get("USER") or os.environ.get("USERNAME") or "annotator"


def _project_annotators(settings: QSettings) -> dict[str, str]:
    try:
        found = json.loads(settings.value(PROJECT_ANNOTATORS_KEY, "{}", type=str) or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def remembered_annotator(settings: QSettings, path: str | Path) -> str | None:
    """The name last used on this project, else the one this machine's user gave, else None."""
    name = _project_annotators(settings).get(_key(path)) or settings.value(MACHINE_ANNOTATOR_KEY, "", type=str)
    return name or None


def remember_annotator(settings: QSettings, path: str | Path, name: str) -> None:
    """This project's annotator, and this machine's for projects not opened before."""
    names = _project_annotators(settings)
    names[_key(path)] = name
    settings.setValue(PROJECT_ANNOTATORS_KEY, json.dumps(names, ensure_ascii=False))
    settings.setValue(MACHINE_ANNOTATOR_KEY, name)


class AnnotatorDialog(QDialog):
    """'Who is annotating?': one line to type a name (the login name filled in), the names used in the
    project offered as completions, and one sentence on why it is asked."""

    def __init__(self, known: list[str], suggested: str, parent=None, title: str = "Who is annotating?",
                 why_text: str = ANNOTATOR_WHY):
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        heading.setFont(font)
        layout.addWidget(heading)
        why = QLabel(why_text)
        why.setWordWrap(True)
        why.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(why)
        self.name = QLineEdit(suggested)
        self.name.selectAll()
        self.name.setCompleter(QCompleter(QStringListModel(known, self), self))
        label = QLabel("&Your name:")
        label.setBuddy(self.name)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.name, 1)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.name.textChanged.connect(
            lambda text: buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(text.strip())))
        layout.addWidget(buttons)
        self.resize(460, self.sizeHint().height())

    def chosen(self) -> str:
        return self.name.text().strip()


def ask_annotator(parent, known: list[str], suggested: str) -> str | None:
    dialog = AnnotatorDialog(known, suggested, parent)
    return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted and dialog.chosen() else None


def adjudicator_for(settings: QSettings, known: list[str], suggested: str, parent=None) -> str | None:
    """Who settles disagreements on this machine: asked once (the annotator's name offered), then kept."""
    name = settings.value(ADJUDICATOR_KEY, "", type=str)
    if not name:
        dialog = AnnotatorDialog(known, suggested, parent, "Who adjudicates?", ADJUDICATOR_WHY)
        name = dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else ""
        if name:
            settings.setValue(ADJUDICATOR_KEY, name)
    return name or None


def annotator_for(settings: QSettings, project: Project, parent=None, ask: bool = True) -> str | None:
    """The annotator of this project: a team project's own member name; else remembered (per project,
    else per machine), else asked once."""
    from annotator.core.sync import status_line  # noqa: PLC0415

    name = status_line(project).get("annotator") or remembered_annotator(settings, project.path)
    if name is None:
        name = ask_annotator(parent, labels.list_annotators(project), login_name()) if ask else login_name()
    if name:
        remember_annotator(settings, project.path, name)
    return name


# --- opening --------------------------------------------------------------------------------------


def show_problem(parent, title: str, text: str) -> QMessageBox:
    """A warning whose text is shown as typed (file names are data, never markup); not blocking."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    box.open()
    return box


def open_project_window(path: str | Path, settings: QSettings, *, create: bool = False, parent=None,
                        welcome: bool = False, ask: bool = True):
    """A main window on the project at `path`, or None (the problem shown) when it cannot be opened.

    The same checks as the command line: a file that is not a project, is damaged or is from a newer
    version is refused with a sentence naming it, and left as it was.
    """
    from annotator.gui.main_window import MainWindow  # noqa: PLC0415

    try:
        project = open_project(path, create=create)
    except ProjectError as exc:
        show_problem(parent, "Cannot open the project", str(exc))
        return None
    name = annotator_for(settings, project, parent, ask=ask)
    if not name:
        project.close()
        return None
    window = MainWindow(project, name, settings, welcome=welcome)
    window.owns_project = True
    return keep_alive(window)


def replace_window(old: QWidget | None, new: QWidget | None) -> QWidget | None:
    """Show `new` where `old` was and close `old`; keeps `old` when there is no `new`."""
    if new is None:
        return None
    if old is not None and old.isVisible():
        new.setGeometry(old.geometry())
    new.show()
    new.activateWindow()
    if old is not None:
        old.close()
    return new


def is_project_file(path: str | Path) -> bool:
    """True for a dropped file that is one of our projects (not an article file to import)."""
    path = Path(path)
    if not path.is_file() or path.suffix.lower() not in PROJECT_SUFFIXES:
        return False
    try:
        return check_project_file(path, thorough=False) == "project"
    except ProjectError:
        return path.suffix.lower() in PROJECT_SUFFIXES  # ours by its name: opening it says what is wrong


def choose_project_to_open(parent) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, "Open project", "", PROJECT_FILTER)
    return path or None


def choose_new_project(parent) -> str | None:
    """A file name for a new project (an existing project file chosen is opened instead)."""
    path, _ = QFileDialog.getSaveFileName(parent, "New project", "project.db", PROJECT_FILTER,
                                          options=QFileDialog.Option.DontConfirmOverwrite)
    if not path:
        return None
    if not Path(path).suffix:
        path += ".db"
    return path


class StartWindow(QWidget):
    """No project open (after File > Close): new, open, or one of the recent projects."""

    def __init__(self, settings: QSettings, parent=None):
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("News Annotator")
        self.opened = None  # the window that replaced this one
        layout = QVBoxLayout(self)
        title = QLabel("<b>No project is open.</b> Make a new one, open one, or pick a recent project.")
        layout.addWidget(title)
        buttons = QHBoxLayout()
        self.new_button = QPushButton("&New project…")
        self.open_button = QPushButton("&Open project…")
        self.new_button.clicked.connect(self.new_project_dialog)
        self.open_button.clicked.connect(self.open_project_dialog)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        recent_label = QLabel("&Recent projects (Enter or double-click opens):")
        layout.addWidget(recent_label)
        self.recent_model = QStringListModel(recent_projects(settings), self)
        self.recent_view = QListView()
        self.recent_view.setModel(self.recent_model)
        self.recent_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.recent_view.activated.connect(lambda index: self.open_path(index.data()))
        recent_label.setBuddy(self.recent_view)
        layout.addWidget(self.recent_view, 1)
        self.resize(640, 360)

    def open_path(self, path: str, create: bool = False):
        window = open_project_window(path, self.settings, create=create, parent=self)
        self.opened = replace_window(self, window)
        return self.opened

    def open_project_dialog(self):
        path = choose_project_to_open(self)
        return self.open_path(path) if path else None

    def new_project_dialog(self):
        path = choose_new_project(self)
        return self.open_path(path, create=True) if path else None
