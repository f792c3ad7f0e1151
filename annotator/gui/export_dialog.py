"""File > Export...: choose level, whose labels, format and spreadsheet safety; the export runs in a
worker thread on its own connection (annotator.core.export.write_export) so the window stays live."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.export import write_export
from annotator.core.labels import list_annotators
from annotator.core.store import ProjectError, open_project
from annotator.gui.plain import plain_label

ALL, ADJUDICATED = "All annotators", "Adjudicated values"


class ExportWorker(QObject):
    """Runs one export; `finished(message, ok)` says how it went."""

    finished = Signal(str, bool)

    def __init__(self, project_path, out, options: dict):
        super().__init__()
        self.project_path, self.out, self.options = project_path, out, options
        self.cancelled = False

    def run(self) -> None:
        try:
            with open_project(self.project_path, create=False) as project:
                result = write_export(project, self.out, cancelled=lambda: self.cancelled, **self.options)
            self.finished.emit(f"{result.rows:,} rows written to {result.path}", True)
        except (ProjectError, OSError, ValueError) as exc:
            self.finished.emit(f"Export failed: {exc}", False)
        except Exception as exc:  # the export was cancelled, or a bug: say so rather than die silently
            self.finished.emit(f"Export stopped: {exc.__class__.__name__} {exc}", False)


class ExportDialog(QDialog):
    """Export labels of the project at `project_path`; `annotators` lists the names to offer."""

    def __init__(self, project_path, annotators: list[str] | None = None, current: str | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Export labels")
        self.project_path = Path(project_path)
        if annotators is None:
            with open_project(self.project_path, create=False) as project:
                annotators = list_annotators(project)
        self.level = QComboBox()
        self.level.addItem("One row per article and annotator", "article")
        self.level.addItem("One row per quote and annotator", "quote")
        self.who = QComboBox()
        self.who.addItems([ALL, *annotators, ADJUDICATED])
        if current in annotators:
            self.who.setCurrentText(current)
        self.format = QComboBox()
        self.format.addItem("CSV (spreadsheets, pandas, R)", "csv")
        self.format.addItem("JSON lines", "jsonl")
        self.excel = QCheckBox("For Excel: start the file with a BOM so accents show right")
        self.neutralise = QCheckBox("Make cells starting with = + - @ safe to open (prefix ')")
        self.neutralise.setChecked(True)
        self.path = QLineEdit(str(self.project_path.with_name(self.project_path.stem + "_labels.csv")))
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        path_box = QWidget()
        path_box.setLayout(path_row)
        path_row.setContentsMargins(0, 0, 0, 0)
        self.format.currentIndexChanged.connect(self._format_changed)
        form = QFormLayout()
        form.addRow("Rows:", self.level)
        form.addRow("Labels of:", self.who)
        form.addRow("Format:", self.format)
        form.addRow("", self.excel)
        form.addRow("", self.neutralise)
        form.addRow("File:", path_box)
        self.status = plain_label()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self._cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.busy)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.thread: QThread | None = None
        self.worker: ExportWorker | None = None
        self.result_ok: bool | None = None

    def options(self) -> dict:
        who = self.who.currentText()
        fmt = self.format.currentData()
        return {"level": self.level.currentData(), "annotator": None if who in (ALL, ADJUDICATED) else who,
                "adjudicated": who == ADJUDICATED, "fmt": fmt, "excel": self.excel.isChecked() and fmt == "csv",
                "neutralise": self.neutralise.isChecked()}

    def _format_changed(self) -> None:
        csv_chosen = self.format.currentData() == "csv"
        self.excel.setEnabled(csv_chosen)
        self.neutralise.setEnabled(csv_chosen)
        path = Path(self.path.text())
        self.path.setText(str(path.with_suffix(".csv" if csv_chosen else ".jsonl")))

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export to", self.path.text(), "CSV (*.csv);;JSON lines (*.jsonl)")
        if name:
            self.path.setText(name)

    def start(self) -> None:
        if self.thread is not None:
            return
        self.export_button.setEnabled(False)
        self.busy.show()
        self.status.setText("Exporting…")
        self.thread = QThread(self)
        self.worker = ExportWorker(self.project_path, self.path.text(), self.options())
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.finished.connect(self._done)
        self.thread.start()

    def _done(self, message: str, ok: bool) -> None:
        self.busy.hide()
        self.status.setText(message)
        self.result_ok = ok
        self.export_button.setEnabled(True)
        if self.thread is not None:
            self.thread.quit()
            self.thread.wait()
        self.thread = None
        if ok:
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Close")

    def _cancel(self) -> None:
        if self.worker is not None and self.thread is not None:
            self.worker.cancelled = True
            self.thread.quit()
            self.thread.wait()
        self.reject()
