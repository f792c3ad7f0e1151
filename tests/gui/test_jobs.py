"""The one job helper: work off the GUI thread with progress, results and failures back in the GUI
thread, a failure as a sentence naming the file; detection from the window runs through it."""

from __future__ import annotations

import threading

from annotator.gui.jobs import run_job


def test_a_job_runs_off_the_gui_thread_and_reports_back(qtbot, small_project):
    seen, done = {}, []

    def work(project, progress, cancelled):
        seen["thread"] = threading.current_thread()
        progress(1, 2, "half")
        return project.db["articles"].count

    run_job(None, small_project.path, work, read_only=True, on_done=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    assert done == [3] and seen["thread"] is not threading.main_thread()


def test_a_failure_names_the_file(qtbot, tmp_path):
    failures = []
    missing = tmp_path / "gone.db"
    run_job(None, missing, lambda project, progress, cancelled: None, read_only=True, on_failed=failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=10_000)
    assert "gone.db" in failures[0] and "no such project" in failures[0] and "Traceback" not in failures[0]


def test_detect_quotes_from_the_window_runs_as_a_job(qtbot, window):
    window.project.db["quotes"].delete_where()
    window.project.conn.commit()
    job = window.detect_quotes(workers=1)
    assert job in window.jobs
    qtbot.waitUntil(lambda: not window.jobs, timeout=30_000)
    assert window.project.db["quotes"].count >= 1
    assert window.panel.quotes_model.rowCount() >= 1
