"""All long work (import, export, merge, detection, agreement, finding disagreements) runs through one
helper, as Anki's CollectionOp / QueryOp do: `run_job(owner, project_path, work, ...)`.

`work(project, progress, cancelled)` runs in a QThread on its own connection to the project file (read-
only for reading work: no migration, no backup); `progress(done, total, text)` moves the progress dialog,
`cancelled()` says Cancel was pressed. The result goes to `on_done`, a problem to `on_failed` as a
sentence naming the file (a bug's traceback only for a bug), both called in the GUI thread; the window
stays live meanwhile.
"""

from __future__ import annotations

import sqlite3
import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QProgressDialog,
    QVBoxLayout,
)

from annotator.core.importer import ImportReport, import_paths
from annotator.core.store import ProjectError, open_project, open_project_read_only, storage_problem
from annotator.gui.plain import plain_label
from annotator.gui.rows_model import RowsModel, rows_view

_running: set[ProjectJob] = set()


class JobCancelled(Exception):
    """Raised by work that stops because Cancel was pressed (what it wrote is rolled back)."""


def failure_text(exc: BaseException, project_path: Path) -> str:
    """A problem as a person reads it: the file and the reason. A full disk or a read-only file is said
    in words (every write is one transaction: nothing of the work was stored); a bug's traceback goes
    to the terminal for a bug report, never into the dialog."""
    problem = storage_problem(project_path, exc)
    if problem:
        return f"{problem}: nothing of this work was stored."
    if isinstance(exc, ProjectError):
        return str(exc)  # names the file itself
    if isinstance(exc, OSError):
        return f"{exc.filename or project_path}: {exc.strerror or exc}"
    if isinstance(exc, (ValueError, sqlite3.Error)):
        return f"{project_path}: {exc}"
    traceback.print_exc()
    return (f"{project_path}: an unexpected error stopped the work ({exc.__class__.__name__}: {exc}). "
            "Nothing half-done was stored.")


class ProjectJob(QThread):
    """Runs `work(project, progress, cancelled)` on its own connection; `done` carries the result,
    `failed` a sentence instead, `stopped` says the work ended because it was cancelled."""

    progressed = Signal(int, int, str)
    done = Signal(object)
    failed = Signal(str)
    stopped = Signal()

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
        except JobCancelled:
            self.stopped.emit()
            return
        except Exception as exc:  # reported to the person, never lost silently
            if self._cancel:
                self.stopped.emit()
            else:
                self.failed.emit(failure_text(exc, self.project_path))
            return
        self.done.emit(result)


class _Callbacks(QObject):
    """Lives in the GUI thread, so the job's signals reach the callbacks queued, in that thread."""

    def __init__(self, job: ProjectJob, on_done, on_failed, on_stopped, on_ended):
        super().__init__(job)
        self.on_done, self.on_failed, self.on_stopped, self.on_ended = on_done, on_failed, on_stopped, on_ended
        job.done.connect(self.done)
        job.failed.connect(self.failed)
        job.stopped.connect(self.stopped)
        job.finished.connect(self.ended)

    @Slot(object)
    def done(self, result) -> None:
        if self.on_done is not None:
            self.on_done(result)

    @Slot(str)
    def failed(self, message: str) -> None:
        if self.on_failed is not None:
            self.on_failed(message)

    @Slot()
    def stopped(self) -> None:
        if self.on_stopped is not None:
            self.on_stopped()

    @Slot()
    def ended(self) -> None:
        job = self.parent()
        job.wait()  # `finished` comes just before the thread's very end
        owner_jobs = getattr(job.parent(), "jobs", None)
        if isinstance(owner_jobs, list) and job in owner_jobs:
            owner_jobs.remove(job)
        if self.on_ended is not None:
            self.on_ended()
        _running.discard(job)


def run_job(owner, project_path, work: Callable, *, title: str | None = None, read_only: bool = False,
            on_done: Callable | None = None, on_failed: Callable | None = None,
            on_stopped: Callable | None = None, on_ended: Callable | None = None,
            cancellable: bool = True) -> ProjectJob:
    """Start `work` in a worker thread (see the module docstring). With a `title`, a window-modal
    progress dialog shows meanwhile (Cancel stops the work when `cancellable`); a failure with no
    `on_failed` is shown in a message box titled after the work. `on_ended()` runs last, however the
    work ended. The owner's `jobs` list, if it has
    one, holds the job while it runs (the window waits for it on close)."""
    job = ProjectJob(Path(project_path), work, owner, read_only=read_only)
    if on_failed is None and title is not None:
        def on_failed(message: str) -> None:
            from annotator.gui.projects import show_problem  # noqa: PLC0415

            show_problem(owner, f"{title} failed", message)
    job.callbacks = _Callbacks(job, on_done, on_failed, on_stopped, on_ended)
    if title is not None:
        job.dialog = progress_dialog(owner, title, job, cancellable)
    _running.add(job)  # a job with no owner is held here until its thread has ended
    running = getattr(owner, "jobs", None)
    if isinstance(running, list):
        running.append(job)
    job.start()
    if title is not None:
        job.dialog.show()
    return job


def import_job(owner, project_path: Path, paths: list[str], workers: int | None = None, **callbacks) -> ProjectJob:
    def work(project, progress, cancelled) -> ImportReport:
        def step(done: int, total: int, path: str) -> None:
            progress(done, total, f"{done:,} of {total:,} files: {Path(path).name}")

        return import_paths(project, paths, progress=step, cancelled=cancelled, workers=workers)

    return run_job(owner, project_path, work, title="Importing", **callbacks)


def progress_dialog(parent, title: str, job: ProjectJob, cancellable: bool = True) -> QProgressDialog:
    """A window-modal progress dialog wired to a job: its Cancel stops the job."""
    dialog = QProgressDialog(title, "Cancel" if cancellable else None, 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    if cancellable:
        dialog.canceled.connect(job.cancel)

    def step(done: int, total: int, text: str) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(done)
        dialog.setLabelText(f"{title}…\n{text}")

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
            rows.append([item.path, status, item.reader, str(item.article_count), (item.message or "") + where])
        self.model = RowsModel(["File", "Result", "Read as", "Articles", "Message"], rows, right={3})
        table = rows_view(self.model, stretch=(0, 4))
        self.table = table
        layout.addWidget(table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
