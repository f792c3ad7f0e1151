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


def first_window(project_path: str | None, settings, ask: bool = True):
    """The window the app starts with (not shown yet), or the exit code when there is none: the
    project could not be opened (said on stderr and in a message box) or no annotator was given."""
    from PySide6.QtCore import Qt  # noqa: PLC0415
    from PySide6.QtWidgets import QMessageBox  # noqa: PLC0415

    from annotator.core.demo import default_project_path, open_default_project  # noqa: PLC0415
    from annotator.core.store import ProjectError, open_project  # noqa: PLC0415
    from annotator.gui.main_window import MainWindow  # noqa: PLC0415
    from annotator.gui.projects import annotator_for, keep_alive  # noqa: PLC0415

    try:
        project = open_project(project_path) if project_path else open_default_project()
    except ProjectError as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        if ask:
            box = QMessageBox(QMessageBox.Icon.Critical, "Cannot open the project", str(exc))
            box.setTextFormat(Qt.TextFormat.PlainText)  # the message names the file: data, never markup
            box.exec()
        return 2
    annotator = annotator_for(settings, project, ask=ask)
    if not annotator:
        project.close()
        return 1
    demo = not project_path or Path(project_path).resolve() == default_project_path().resolve()
    window = keep_alive(MainWindow(project, annotator, settings, welcome=demo))
    window.owns_project = True
    return window


def run_gui(project_path: str | None = None) -> int:
    """Open the window on a project (None: the default demo project); returns the exit code."""
    if not has_display():
        print(NO_DISPLAY, file=sys.stderr)
        return 2
    exit_after_show = os.environ.get("ANNOTATOR_EXIT_AFTER_SHOW") == "1"
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from annotator.gui.projects import default_settings  # noqa: PLC0415

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("annotator")
    app.setApplicationName("annotator")
    app.setApplicationDisplayName("News Annotator")
    app.setDesktopFileName("annotator")  # lets Wayland match the window to annotator.desktop
    window = first_window(project_path, default_settings(), ask=not exit_after_show)
    if isinstance(window, int):
        return window
    window.show()
    from annotator.core.patterncache import save_new  # noqa: PLC0415

    save_new()   # the window's own patterns, compiled this time, ready for the next start
    if exit_after_show:
        deadline = time.monotonic() + 10
        while not (window.windowHandle() and window.windowHandle().isExposed()) and time.monotonic() < deadline:
            app.processEvents()
        window.repaint()
        app.processEvents()
        print(f"time since start to window: {seconds_since_process_start():.2f} s")
        window.close()
        return 0
    return app.exec()
