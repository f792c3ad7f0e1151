"""File > Merge colleague's project...: pick their project files and merge each in turn through the job
helper (annotator.core.merge.merge_project on the job's own connection), then show the report.

Cancel stops at the next step: the file being merged is rolled back whole (each file is one
transaction), files merged before it stay merged, the rest are not started; the report says which.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from annotator.core.merge import MergeCancelled, MergeReport, merge_project
from annotator.gui.jobs import ProjectJob, run_job


def merge_work(others: list[str]):
    """The job's work: merge `others` one after another; returns one report per file tried."""
    def work(project, progress, cancelled) -> list[MergeReport]:
        reports: list[MergeReport] = []
        for i, other in enumerate(others):
            def step(done, steps, what, i=i, other=other):
                progress(i * steps + done, len(others) * steps, f"{other}: {what}")

            try:
                reports.append(merge_project(project, other, progress=step, cancelled=cancelled))
            except MergeCancelled as exc:
                reports.append(MergeReport(other, refused=str(exc)))
                break
        return reports

    return work


def merge_files(parent: QWidget | None, project_path, others: list[str], on_done=None) -> ProjectJob:
    """Merge `others` into the project with a progress dialog and Cancel; `on_done(reports)` runs
    afterwards (default: a message box with each report). Returns the running job."""
    return run_job(parent, project_path, merge_work(list(others)), title="Merging",
                   on_done=on_done or (lambda reports: show_reports(parent, reports)))


def show_reports(parent: QWidget | None, reports: list[MergeReport]) -> None:
    text = "\n\n".join("\n".join(r.lines()) for r in reports)
    refused = any(r.refused for r in reports)
    box = QMessageBox(QMessageBox.Icon.Warning if refused else QMessageBox.Icon.Information,
                      "Merge", "Some files were refused." if refused else "Merged.", parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # file paths and names from a colleague's file are data
    box.setDetailedText(text)
    box.setInformativeText(text[:1500])
    box.exec()


def choose_and_merge(parent: QWidget | None, project_path, on_done=None) -> ProjectJob | None:
    """Ask for colleagues' project files, then merge them (see merge_files)."""
    files, _ = QFileDialog.getOpenFileNames(parent, "Merge colleague's project", "",
                                            "Annotator projects (*.db *.sqlite);;All files (*)")
    if not files:
        return None
    return merge_files(parent, project_path, files, on_done)
