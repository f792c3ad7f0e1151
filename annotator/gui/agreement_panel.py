"""The agreement panel: a table per task, a bar chart of kappa and alpha per task and annotator pair
(drawn with QPainter), and each annotator's progress. Figures come
from annotator.core.agreement."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.agreement import AgreementReport, annotator_progress, project_agreement
from annotator.core.store import Project
from annotator.gui.jobs import ProjectJob, run_job
from annotator.gui.plain import plain_label
from annotator.gui.rows_model import RowsModel, rows_view

KAPPA, ALPHA = QColor("#3b6fb6"), QColor("#e08a2c")


def _f(value) -> str:
    return "n/a" if value is None else f"{value:.3f}"


class BarChart(QWidget):
    """Horizontal bars from -1 to 1 (zero marked), two per row: a blue kappa and an orange alpha."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[tuple[str, float | None, float | None]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

    def set_rows(self, rows: list[tuple[str, float | None, float | None]]) -> None:
        self.rows = rows
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(520, 44 + 30 * max(1, len(self.rows)))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()

    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), self.palette().base())
        metrics = p.fontMetrics()
        label_w = min(max([metrics.horizontalAdvance(r[0]) for r in self.rows] + [140]) + 12, self.width() // 2)
        left, right = label_w, self.width() - 56
        zero = left + (right - left) / 2
        top = 24
        p.setPen(self.palette().text().color())
        p.drawText(QRectF(left - 10, 2, 40, 18), Qt.AlignmentFlag.AlignLeft, "-1")
        p.drawText(QRectF(zero - 20, 2, 40, 18), Qt.AlignmentFlag.AlignCenter, "0")
        p.drawText(QRectF(right - 40, 2, 40, 18), Qt.AlignmentFlag.AlignRight, "1")
        p.fillRect(QRectF(4, 6, 10, 10), KAPPA)
        p.drawText(QRectF(18, 2, 50, 18), Qt.AlignmentFlag.AlignLeft, "kappa")
        p.fillRect(QRectF(70, 6, 10, 10), ALPHA)
        p.drawText(QRectF(84, 2, 50, 18), Qt.AlignmentFlag.AlignLeft, "alpha")
        if not self.rows:
            p.setPen(self.palette().text().color())
            p.drawText(QRectF(left, top, right - left, 24), Qt.AlignmentFlag.AlignCenter,
                       "no items with two annotators yet")
        for i, (name, kappa, alpha) in enumerate(self.rows):
            y = top + 30 * i + 6
            p.setPen(self.palette().text().color())
            p.drawText(QRectF(0, y, label_w - 8, 24), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, label_w - 8))
            for j, (value, colour) in enumerate(((kappa, KAPPA), (alpha, ALPHA))):
                bar_y = y + 2 + j * 11
                if value is None:
                    continue
                x = zero + (right - zero) * max(-1.0, min(1.0, value))
                p.fillRect(QRectF(min(zero, x), bar_y, abs(x - zero) or 1, 9), colour)
                p.setPen(colour)
                font = QFont(p.font())
                font.setPointSizeF(max(6.0, font.pointSizeF() * 0.8))
                p.setFont(font)
                p.drawText(QRectF(right + 4, bar_y - 3, 52, 14), Qt.AlignmentFlag.AlignLeft, f"{value:.2f}")
                p.setFont(self.font())
        p.setPen(QPen(self.palette().mid().color(), 1, Qt.PenStyle.DashLine))
        p.drawLine(int(zero), top, int(zero), self.height() - 4)
        p.end()


def _table(headers: list[str], rows: list[list[str]]) -> QTableView:
    """A table of figures: the first column names the row, the others are right-aligned numbers."""
    return rows_view(RowsModel(headers, rows, right=set(range(1, len(headers)))))


class AgreementPanel(QWidget):
    """Agreement of a project's annotators; `refresh()` recomputes it in a worker thread on its own
    connection (1.5 s for 100,000 articles and three annotators, more with more), the window live
    meanwhile; `finished` says when new figures are shown."""

    finished = Signal()

    def __init__(self, project: Project, parent=None):
        super().__init__(parent)
        self.project = project
        self.job: ProjectJob | None = None
        self.setWindowTitle("Agreement")
        self.tabs = QTabWidget()
        self.chart = BarChart()
        self.progress_box = QGroupBox("Progress per annotator")
        self.progress_layout = QGridLayout(self.progress_box)
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)   # no steps to count: it moves while the figures are computed
        self.busy.setFormat("")
        self.status = plain_label()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        chart_box = QGroupBox("Cohen's kappa (pairs) or Fleiss' kappa (all), and Krippendorff's alpha")
        QVBoxLayout(chart_box).addWidget(self.chart)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 3)
        layout.addWidget(chart_box, 2)
        layout.addWidget(self.progress_box)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.busy, 1)
        bottom.addWidget(self.cancel_button)
        bottom.addWidget(self.refresh_button)
        layout.addLayout(bottom)
        self.report: AgreementReport | None = None
        self._ignore = self._again = False   # the running job's result is not wanted / start another after it
        self._working(False)
        self.resize(900, 760)
        self.refresh()

    def _working(self, on: bool) -> None:
        self.busy.setVisible(on)
        self.cancel_button.setVisible(on)
        self.refresh_button.setEnabled(not on)
        if on or not self.status.text().startswith("Agreement could not"):
            self.status.setText("Computing agreement…" if on else "")

    def refresh(self) -> None:
        """Compute the figures again, off the GUI thread; those shown stay until the new ones come."""
        self._working(True)
        if self.job is not None:   # a cancelled one still ending: start again once it has
            self._again = True
            return
        self._ignore = self._again = False
        self.job = run_job(self, self.project.path, lambda project, progress, cancelled: (
            project_agreement(project), annotator_progress(project)), read_only=True,
            on_done=self._job_done, on_failed=self._job_failed, on_ended=self._job_ended)

    def cancel(self) -> None:
        """Stop waiting: the figures shown stay (the computation ends on its own, its result unused)."""
        if self.job is not None:
            self._ignore, self._again = True, False
            self._working(False)
            self.status.setText("Not recomputed (cancelled).")

    def _job_done(self, result) -> None:
        if not self._ignore:
            self._show(*result)

    def _job_failed(self, message: str) -> None:
        if not self._ignore:
            self._failed(message)

    def _job_ended(self) -> None:
        job, self.job = self.job, None
        if job is not None:
            job.deleteLater()
        if self._again:
            self.refresh()
            return
        if not self._ignore:
            self._working(False)
        self.finished.emit()

    def _failed(self, message: str) -> None:
        self.status.setText(f"Agreement could not be computed: {message.splitlines()[0]}")

    def wait(self) -> None:
        """Let a running computation end (before the window closes)."""
        if self.job is not None:
            self.job.wait()

    def _show(self, report: AgreementReport, progress) -> None:
        self.report = report
        self.tabs.clear()
        bars = []
        for t in report.tasks:
            label = f"{t.task} ({t.level})"
            rows = [["all annotators", str(t.items), _f(t.observed), _f(t.fleiss_kappa), _f(t.alpha)]]
            rows += [[f"{p.a} / {p.b}", str(p.items), _f(p.observed), _f(p.kappa), ""] for p in t.pairs]
            rows += [[f"option {name} (yes/no)", "", "", "", _f(a)] for name, a in t.option_alpha.items()]
            self.tabs.addTab(_table(["", "items", "observed", "kappa", "alpha"], rows), label)
            bars.append((label, t.fleiss_kappa, t.alpha))
            bars += [(f"  {label}: {p.a} / {p.b}", p.kappa, None) for p in t.pairs]
        q = report.quotes
        rows = [[f"{p.a} / {p.b}", str(p.articles), f"{p.a_quotes} / {p.b_quotes}", _f(p.exact_f1), _f(p.overlap_f1),
                 str(p.shared), _f(p.speaker_observed), _f(p.speaker_kappa)] for p in q.pairs]
        rows.append(["all: speaker alpha", "", "", "", "", str(q.shared_quotes), "", _f(q.speaker_alpha)])
        self.tabs.addTab(_table(["pair", "articles", "quotes", "F1 exact", "F1 overlap", "shared", "speaker agree",
                                 "speaker kappa / alpha"], rows), "quotes and speakers")
        bars += [(f"  speaker: {p.a} / {p.b}", p.speaker_kappa, None) for p in q.pairs]
        if q.shared_quotes:
            bars.append(("speaker (all)", None, q.speaker_alpha))
        self.chart.set_rows(bars)
        while self.progress_layout.count():
            self.progress_layout.takeAt(0).widget().deleteLater()
        for i, p in enumerate(progress):
            bar = QProgressBar()
            bar.setRange(0, max(1, p.total))
            bar.setValue(p.done)
            bar.setFormat(f"{p.done:,} of {p.total:,} done ({p.labelled:,} with labels)")
            self.progress_layout.addWidget(plain_label(p.annotator), i, 0)
            self.progress_layout.addWidget(bar, i, 1)
