"""File > Export...: choose level, whose labels, format and spreadsheet safety; the export runs in a
worker thread on its own connection (annotator.core.export.write_export) so the window stays live."""

from __future__ import annotations

from pathlib import Path

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
from annotator.core.export_part import ExportCancelled
from annotator.core.labels import list_annotators
from annotator.core.store import open_project_read_only
from annotator.gui.jobs import JobCancelled, ProjectJob, run_job
from annotator.gui.plain import plain_label

ALL, ADJUDICATED = "All annotators", "Adjudicated values"


class ExportDialog(QDialog):
    """Export labels of the project at `project_path`; `annotators` lists the names to offer."""

    def __init__(self, project_path, annotators: list[str] | None = None, current: str | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Export labels")
        self.project_path = Path(project_path)
        if annotators is None:
            with open_project_read_only(self.project_path) as project:
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
        self.unchecked = QCheckBox("Also the detected quotes an annotator never checked (origin auto)")
        self.unchecked.setEnabled(False)
        self.level.currentIndexChanged.connect(
            lambda _i: self.unchecked.setEnabled(self.level.currentData() == "quote"))
        self.path = QLineEdit()
        self._proposed = ""
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        path_box = QWidget()
        path_box.setLayout(path_row)
        path_row.setContentsMargins(0, 0, 0, 0)
        self.format.currentIndexChanged.connect(self._format_changed)
        self.level.currentIndexChanged.connect(self._propose_name)
        self.who.currentIndexChanged.connect(self._propose_name)
        self._propose_name()
        form = QFormLayout()
        form.addRow("Rows:", self.level)
        form.addRow("Labels of:", self.who)
        form.addRow("Format:", self.format)
        form.addRow("", self.excel)
        form.addRow("", self.neutralise)
        form.addRow("", self.unchecked)
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
        self.job: ProjectJob | None = None
        self.result_ok: bool | None = None

    def options(self) -> dict:
        who = self.who.currentText()
        fmt = self.format.currentData()
        return {"level": self.level.currentData(), "annotator": None if who in (ALL, ADJUDICATED) else who,
                "adjudicated": who == ADJUDICATED, "fmt": fmt, "excel": self.excel.isChecked() and fmt == "csv",
                "neutralise": self.neutralise.isChecked(),
                "include_unchecked": self.unchecked.isChecked() and self.level.currentData() == "quote"}

    def _format_changed(self) -> None:
        csv_chosen = self.format.currentData() == "csv"
        self.excel.setEnabled(csv_chosen)
        self.neutralise.setEnabled(csv_chosen)
        if self.path.text() == self._proposed:
            self._propose_name()
        else:
            self.path.setText(str(Path(self.path.text()).with_suffix(".csv" if csv_chosen else ".jsonl")))

    def proposed_name(self) -> Path:
        """A file name that says what the export holds, so that exporting the quotes after the articles
        does not overwrite the first file: project_articles.csv, project_quotes_ana.csv, ..."""
        options = self.options()
        parts = [self.project_path.stem, f"{options['level']}s"]
        if options["adjudicated"]:
            parts.append("adjudicated")
        elif options["annotator"]:
            parts.append("".join(c if c.isalnum() or c in "-_" else "_" for c in options["annotator"]))
        return self.project_path.with_name("_".join(parts) + (".csv" if options["fmt"] == "csv" else ".jsonl"))

    def _propose_name(self) -> None:
        """Follow the choices with the proposed name, unless the person typed or chose their own."""
        if self.path.text() in ("", self._proposed):
            self._proposed = str(self.proposed_name())
            self.path.setText(self._proposed)

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export to", self.path.text(), "CSV (*.csv);;JSON lines (*.jsonl)")
        if name:
            self.path.setText(name)

    def start(self) -> None:
        """Write the file through the job helper (read-only on its own connection); Cancel stops it and
        leaves any earlier file of that name as it was."""
        if self.job is not None:
            return
        self.export_button.setEnabled(False)
        self.busy.show()
        self.status.setText("Exporting…")
        out, options = self.path.text(), self.options()

        def work(project, progress, cancelled):
            try:
                return write_export(project, out, cancelled=cancelled, **options)
            except ExportCancelled:
                raise JobCancelled() from None

        self.job = run_job(self, self.project_path, work, read_only=True, on_done=self._written,
                           on_failed=lambda message: self._done(f"Export failed: {message}", False),
                           on_stopped=lambda: self._done("Export cancelled; no file was written.", False),
                           on_ended=self._ended)

    def _written(self, result) -> None:
        self._done(f"{result.rows:,} rows written to {result.path}", True)

    def _done(self, message: str, ok: bool) -> None:
        self.busy.hide()
        self.status.setText(message)
        self.result_ok = ok
        self.export_button.setEnabled(True)
        if ok:
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Close")

    def _ended(self) -> None:
        self.job = None

    def _cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.job.wait()
        self.reject()
