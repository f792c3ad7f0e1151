"""Start the window: find a display, open the project (the demo one by default), ask who is annotating.

`ANNOTATOR_EXIT_AFTER_SHOW=1` shows the window, prints the seconds from process start until it is
painted and exits: packaging uses it to time a cold start.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

NO_DISPLAY = ("annotator: no display found (DISPLAY and WAYLAND_DISPLAY are unset), so the window cannot "
              "open here; the command line works without one: annotator --help")


def has_display() -> bool:
    """False on Linux/BSD with no X or Wayland display and no Qt platform chosen (Qt would abort)."""
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return True
    return any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def seconds_since_process_start() -> float:
    """Wall seconds since this process started (Linux: from /proc; elsewhere from interpreter start)."""
    try:
        with open("/proc/self/stat") as fh:
            start_ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as fh:
            uptime = float(fh.read().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return time.perf_counter()


def ask_annotator(parent, known: list[str], suggested: str) -> str | None:
    from PySide6.QtWidgets import QInputDialog  # noqa: PLC0415

    items = known or [suggested]
    name, ok = QInputDialog.getItem(
        parent, "Who is annotating?",
        "Your labels are stored under this name, so colleagues' work stays apart.\n"
        "Type your name (or pick one used before):", items, 0, True)
    return name.strip() if ok and name.strip() else None


def run_gui(project_path: str | None = None) -> int:
    """Open the window on a project (None: the default demo project); returns the exit code."""
    if not has_display():
        print(NO_DISPLAY, file=sys.stderr)
        return 2
    exit_after_show = os.environ.get("ANNOTATOR_EXIT_AFTER_SHOW") == "1"
    from PySide6.QtCore import QSettings, Qt  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: PLC0415

    from annotator.core import labels  # noqa: PLC0415
    from annotator.core.demo import default_project_path, open_default_project  # noqa: PLC0415
    from annotator.core.store import ProjectError, open_project  # noqa: PLC0415
    from annotator.gui.main_window import MainWindow  # noqa: PLC0415

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("annotator")
    app.setApplicationName("annotator")
    app.setApplicationDisplayName("News Annotator")
    app.setDesktopFileName("annotator")  # lets Wayland match the window to annotator.desktop
    try:
        project = open_project(project_path) if project_path else open_default_project()
    except ProjectError as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        if not exit_after_show:
            box = QMessageBox(QMessageBox.Icon.Critical, "Cannot open the project", str(exc))
            box.setTextFormat(Qt.TextFormat.PlainText)  # the message names the file: data, never markup
            box.exec()
        return 2
    settings = QSettings("annotator", "annotator")
    annotator = settings.value("annotator", "", type=str)
    if not annotator:
        suggested = os.environ.get("USER") or os.environ.get("USERNAME") or "annotator"
        annotator = suggested if exit_after_show else ask_annotator(None, labels.list_annotators(project), suggested)
        if not annotator:
            project.close()
            return 1
        settings.setValue("annotator", annotator)
    demo = not project_path or Path(project_path).resolve() == default_project_path().resolve()
    window = MainWindow(project, annotator, settings, welcome=demo)
    window.show()
    if exit_after_show:
        deadline = time.monotonic() + 10
        while not (window.windowHandle() and window.windowHandle().isExposed()) and time.monotonic() < deadline:
            app.processEvents()
        window.repaint()
        app.processEvents()
        print(f"time since start to window: {seconds_since_process_start():.2f} s")
        window.close()
        project.close()
        return 0
    code = app.exec()
    project.close()
    return code
