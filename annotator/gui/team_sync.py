"""File > Sync with team, the background sync every few minutes, and the status-bar line (last synced,
changes waiting, offline) for a project joined to a team. The sync runs in a ProjectJob (its own
connection, off the GUI thread); while the server cannot be reached the window goes on working and
the line says so, and the changes wait in the project until a later sync sends them."""

from __future__ import annotations

import os
from datetime import datetime

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMessageBox

from annotator.core.sync import KeptConnection, SyncReport, status_line, sync_project
from annotator.gui.jobs import ProjectJob, run_job

DEFAULT_MINUTES = 3.0


def interval_ms() -> int:
    """ANNOTATOR_SYNC_MINUTES sets how often the window syncs (default 3; 0 turns it off)."""
    try:
        minutes = float(os.environ.get("ANNOTATOR_SYNC_MINUTES", DEFAULT_MINUTES))
    except ValueError:
        minutes = DEFAULT_MINUTES
    return max(0, int(minutes * 60_000))


def _clock(iso: str | None) -> str:
    if not iso:
        return "never"
    try:
        when = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return iso
    return when.strftime("%H:%M") if when.date() == datetime.now().astimezone().date() else when.strftime("%d %b %H:%M")


class TeamSync(QObject):
    """Owns the status label and the timer; `synced(report)` after each sync that ran."""

    synced = Signal(object)

    def __init__(self, window, project):
        super().__init__(window)
        self.window, self.project = window, project
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.job: ProjectJob | None = None
        self.last_report: SyncReport | None = None
        self.offline_since: str | None = None
        self._show_dialog = False
        self.stopped = False
        self.kept = KeptConnection()  # one server connection for the window's syncs, closed with it
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.sync_now)
        if interval_ms():
            self.timer.start(interval_ms())
        self.refresh()

    def refresh(self) -> None:
        """Redraw the line from the project's sync bookkeeping (cheap: read on every edit)."""
        if self.stopped:
            return
        state = status_line(self.project)
        if not state:
            self.label.setText("")
            return
        pending = state["pending"]
        waiting = f"{pending} change{'s' if pending != 1 else ''} to send" if pending else "nothing to send"
        if self.job is not None:
            text = f"Team: syncing… · {waiting}"
        elif self.offline_since:
            text = f"Team: offline since {self.offline_since} (work kept here) · {waiting}"
        elif self.last_report is not None and not self.last_report.ok:
            text = f"Team: last sync failed · {waiting}"
        else:
            text = f"Team: synced {_clock(state['last_synced'])} · {waiting}"
        self.label.setText(text)
        tip = "\n".join(self.last_report.lines()) if self.last_report is not None else "File > Sync with team"
        self.label.setToolTip(f"team {state['team']} as {state['annotator']}\n{tip}")

    def sync_now(self, show_report: bool = False) -> ProjectJob | None:
        """Start a sync unless one is running; returns the job (None when one was already running).
        Asked for from the menu it shows a progress dialog with Cancel, then the report."""
        self._show_dialog = self._show_dialog or show_report
        if self.job is not None or self.stopped:
            return None

        def work(project, progress, cancelled):
            return sync_project(project, cancelled=cancelled, progress=progress, keep=self.kept)

        self._result = None
        self.job = run_job(self.window, self.project.path, work, title="Sync with team" if show_report else None,
                           on_done=self._done, on_failed=self._failed, on_stopped=self._stopped,
                           on_ended=self._ended)
        self.refresh()
        return self.job

    def _done(self, report: SyncReport) -> None:
        self._result = report

    def _failed(self, message: str) -> None:
        self._result = SyncReport(error=message.split("\n", 1)[0])

    def _stopped(self) -> None:
        self._result = SyncReport(cancelled=True)

    def _ended(self) -> None:
        self.job = None
        report = self._result or SyncReport(error="the sync ended without a report")
        self.last_report = report
        if report.offline:
            self.offline_since = self.offline_since or datetime.now().strftime("%H:%M")
        elif report.ok:
            self.offline_since = None
        if self.stopped:
            self.kept.close()
            return
        self.refresh()
        self.synced.emit(report)
        self._report(report)

    def _report(self, report: SyncReport) -> None:
        show, self._show_dialog = self._show_dialog, False
        if not show or not getattr(self.window, "show_report_dialogs", True):
            return
        text = "\n".join(report.lines())
        box = QMessageBox(QMessageBox.Icon.Information if report.ok else QMessageBox.Icon.Warning, "Sync with team",
                          "Synced." if report.ok else "The sync did not finish; your work is kept here.",
                          parent=self.window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText(text[:1500])
        box.setDetailedText(text)
        box.exec()

    def stop(self) -> None:
        """The window closes: no more syncs; a running one is asked to stop (the window waits for it)."""
        self.stopped = True
        self.timer.stop()
        if self.job is not None:
            self.job.cancel()  # its end closes the connection
        else:
            self.kept.close()
