"""Long work off the GUI thread: import and export run in a QThread that opens its own connection to
the project file, reports progress by signal and stops when Cancel is pressed."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QProgressDialog,
    QVBoxLayout,
)

from annotator.core.importer import ImportReport, import_paths
from annotator.core.store import open_project, open_project_read_only
from annotator.gui.plain import plain_label
from annotator.gui.rows_model import RowsModel, rows_view


class ProjectJob(QThread):
    """Runs `work(project, progress, cancelled)` on its own connection; `done` carries the result,
    `failed` a message (the traceback of a bug) instead."""

    progressed = Signal(int, int, str)
    done = Signal(object)
    failed = Signal(str)

    def __init__(self, project_path: Path, work: Callable, parent=None, read_only: bool = False):
        super().__init__(parent)
        self.project_path = Path(project_path)
        self.work = work
        self.read_only = read_only  # reading work opens the file read-only: no migration, no backup
        self._cancel = False

    def cancel(self) -> None:
        self._cancel = True

    def cancelled(self) -> bool:
        return self._cancel

    def run(self) -> None:
        try:
            opened = open_project_read_only(self.project_path) if self.read_only else open_project(self.project_path)
            with opened as project:
                result = self.work(project, self.progressed.emit, self.cancelled)
        except Exception as exc:  # reported to the person in a dialog, never lost silently
            traceback.print_exc()  # the details for a bug report, on the terminal; the person gets a sentence
            self.failed.emit(job_failure(self.project_path, exc))
            return
        self.done.emit(result)


def job_failure(project_path: Path, exc: BaseException) -> str:
    """The sentence a dialog shows for work that stopped: a full disk or a read-only file in words
    (every write is one transaction: nothing of the work was stored), anything else as itself."""
    import sqlite3

    from annotator.core.store import ProjectError, storage_problem

    problem = storage_problem(project_path, exc)
    if problem:
        return f"{problem}: nothing of this work was stored."
    if isinstance(exc, (ProjectError, OSError, sqlite3.DatabaseError)):
        return str(exc)
    return f"An unexpected error stopped the work ({type(exc).__name__}: {exc}). Nothing half-done was stored."


def import_job(project_path: Path, paths: list[str], parent=None, workers: int | None = None) -> ProjectJob:
    def work(project, progress, cancelled) -> ImportReport:
        return import_paths(project, paths, progress=progress, cancelled=cancelled, workers=workers)

    return ProjectJob(project_path, work, parent)


def progress_dialog(parent, title: str, job: ProjectJob) -> QProgressDialog:
    """A window-modal progress dialog wired to a job: its Cancel stops the job."""
    dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.canceled.connect(job.cancel)

    def step(done: int, total: int, path: str) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(done)
        dialog.setLabelText(f"{title}: {done} of {total} files\n{Path(path).name}")

    job.progressed.connect(step)
    job.finished.connect(dialog.close)
    return dialog


class ImportReportDialog(QDialog):
    """After an import: the summary line, then one row per file with what happened to it."""

    def __init__(self, report: ImportReport, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Import report")
        self.resize(760, 420)
        layout = QVBoxLayout(self)
        summary = plain_label(report.summary())  # says "(cancelled)" itself
        summary.setWordWrap(True)
        layout.addWidget(summary)
        rows = []
        for item in report.files:
            where = f" (row {item.row})" if item.row else (f" (line {item.line})" if item.line else "")
            status = item.status + (f", {item.left_out} left out" if item.left_out else "")
            rows.append([item.path, status, str(item.article_count), (item.message or "") + where])
        self.model = RowsModel(["File", "Result", "Articles", "Message"], rows, right={2})
        table = rows_view(self.model, stretch=(0, 3))
        self.table = table
        layout.addWidget(table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
