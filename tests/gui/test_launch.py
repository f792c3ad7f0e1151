"""Starting the window: a clear line without a display; the cold-start timing mode."""

from __future__ import annotations

import os
import subprocess
import sys

from annotator.gui import launch


def test_no_display_prints_one_line_and_returns_2(monkeypatch, capsys):
    monkeypatch.setattr(sys, "platform", "linux")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert launch.run_gui(None) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no display" in err[0] and "annotator --help" in err[0]


def test_exit_after_show_prints_time_and_exits_0(tmp_path, small_project):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ANNOTATOR_EXIT_AFTER_SHOW="1",
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    done = subprocess.run([sys.executable, "-m", "annotator", "gui", str(small_project.path)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "time since start to window:" in done.stdout


def test_bad_project_file_is_a_message_not_a_crash(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("not a database at all, just some notes" * 10)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ANNOTATOR_EXIT_AFTER_SHOW="1")
    done = subprocess.run([sys.executable, "-m", "annotator", "gui", str(bad)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "not an annotator project" in done.stderr
