"""File > Merge colleague's project...: pick their project files, merge each in a worker thread
(annotator.core.merge.merge_project on its own connection) and show the report."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from annotator.core.merge import MergeReport, merge_project
from annotator.core.store import ProjectError, open_project


class MergeWorker(QObject):
    """Merges the files one after another; `progress(text, step, steps)`, then `finished(reports)`."""

    progress = Signal(str, int, int)
    finished = Signal(list)

    def __init__(self, project_path, others: list[str]):
        super().__init__()
        self.project_path, self.others = project_path, others

    def run(self) -> None:
        reports: list[MergeReport] = []
        try:
            with open_project(self.project_path, create=False) as project:
                for i, other in enumerate(self.others):
                    def step(done, steps, what, i=i, other=other):
                        self.progress.emit(f"{other}: {what}", i * steps + done, len(self.others) * steps)
                    reports.append(merge_project(project, other, progress=step))
        except ProjectError as exc:
            reports.append(MergeReport(str(self.project_path), refused=str(exc)))
        self.finished.emit(reports)


class _MergeRun(QObject):
    """Lives in the window's thread, so the worker's signals reach the progress dialog queued."""

    def __init__(self, parent: QWidget | None, dialog: QProgressDialog, thread: QThread, on_done):
        super().__init__(parent)
        self.window, self.dialog, self.thread, self.on_done = parent, dialog, thread, on_done

    @Slot(str, int, int)
    def progress(self, text: str, done: int, total: int) -> None:
        self.dialog.setMaximum(max(1, total))
        self.dialog.setValue(done)
        self.dialog.setLabelText(text)

    @Slot(list)
    def finished(self, reports: list) -> None:
        self.dialog.close()
        self.thread.quit()
        self.thread.wait()
        if self.on_done is not None:
            self.on_done(reports)
        else:
            show_reports(self.window, reports)


def merge_files(parent: QWidget | None, project_path, others: list[str], on_done=None) -> QThread:
    """Merge `others` into the project with a progress dialog; `on_done(reports)` runs afterwards
    (default: a message box with each report). Returns the running thread."""
    dialog = QProgressDialog("Merging…", None, 0, 100, parent)
    dialog.setWindowTitle("Merge colleague's project")
    dialog.setMinimumDuration(0)
    thread = QThread(parent)
    worker = MergeWorker(project_path, list(others))
    worker.moveToThread(thread)
    run = _MergeRun(parent, dialog, thread, on_done)
    thread.started.connect(worker.run)
    worker.progress.connect(run.progress)
    worker.finished.connect(run.finished)
    thread._keep = (worker, run, dialog)  # alive as long as the thread
    thread.start()
    return thread


def show_reports(parent: QWidget | None, reports: list[MergeReport]) -> None:
    text = "\n\n".join("\n".join(r.lines()) for r in reports)
    refused = any(r.refused for r in reports)
    box = QMessageBox(QMessageBox.Icon.Warning if refused else QMessageBox.Icon.Information,
                      "Merge", "Some files were refused." if refused else "Merged.", parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # file paths and names from a colleague's file are data
    box.setDetailedText(text)
    box.setInformativeText(text[:1500])
    box.exec()


def choose_and_merge(parent: QWidget | None, project_path, on_done=None) -> QThread | None:
    """Ask for colleagues' project files, then merge them (see merge_files)."""
    files, _ = QFileDialog.getOpenFileNames(parent, "Merge colleague's project", "",
                                            "Annotator projects (*.db *.sqlite);;All files (*)")
    if not files:
        return None
    return merge_files(parent, project_path, files, on_done)
