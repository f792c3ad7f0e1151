"""The window of a team project: File > Sync with team, the background sync, the status line; with the
server down the window keeps working and says so."""

from __future__ import annotations

import pytest

from annotator.core import labels
from annotator.core.scheme import load_scheme
from annotator.core.store import open_project
from annotator.core.sync import init_team, join_team, sync_project
from annotator.gui.article_list import COL_STANCE
from tests.core.team_helpers import article_ids, lead_project, work
from tests.paths import REPO
from tests.pg import team_server  # noqa: F401 (fixture)

SHOTS = REPO / "docs" / "screenshots"


@pytest.fixture
def team_window(qtbot, tmp_path, team_server, settings, monkeypatch):  # noqa: F811
    """Ann's window on her joined project (no timer: the tests sync when they choose)."""
    monkeypatch.setenv("ANNOTATOR_SYNC_MINUTES", "0")
    lead = lead_project(tmp_path)
    assert init_team(lead, team_server.dsn, "Lead", team_server.schema).ok
    lead.close()
    dsn = team_server.login("Ann")
    assert join_team(dsn, tmp_path / "ann.db", "Ann", team_server.schema).ok
    from annotator.gui.main_window import MainWindow

    project = open_project(tmp_path / "ann.db")
    win = MainWindow(project, "Ann", settings)
    win.show_report_dialogs = False
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win, team_server, tmp_path
    for job in list(win.jobs):
        job.wait()
    win.close()
    project.close()


def _sync(qtbot, win):
    with qtbot.waitSignal(win.team_sync.synced, timeout=30_000) as signal:
        assert win.sync_with_team() is not None
    return signal.args[0]


def test_sync_with_team_sends_and_receives_and_the_line_says_when(qtbot, team_window):
    win, server, tmp_path = team_window
    assert win.sync_action.isEnabled()
    assert "nothing to send" in win.team_sync.label.text()
    # Bob labels on his own machine and syncs
    bob_path = tmp_path / "bob.db"
    assert join_team(server.login("Bob"), bob_path, "Bob", server.schema).ok
    with open_project(bob_path) as bob:
        stance = load_scheme(bob).stance_task()
        for article_id in article_ids(bob).values():
            labels.set_choice(bob, article_id, "Bob", stance.id, stance.options[1].id)
        assert sync_project(bob).ok
    win.label_key("1")
    assert "1 change to send" in win.team_sync.label.text()
    report = _sync(qtbot, win)
    assert report.ok and report.pushed["labels"] == 1 and report.pulled["labels"] == 3
    assert "synced" in win.team_sync.label.text() and "nothing to send" in win.team_sync.label.text()
    assert len({r for r in work(win.project)["labels"] if r[2] == "Bob"}) == 3
    # Ann's own work from her other machine shows in the window after the next sync
    laptop = tmp_path / "laptop.db"
    assert join_team(server.login_again("Ann"), laptop, "Ann", server.schema).ok
    with open_project(laptop) as other:
        stance = load_scheme(other).stance_task()
        labels.set_choice(other, article_ids(other)["Storm closes schools"], "Ann", stance.id, stance.options[2].id)
        assert sync_project(other).ok
    assert _sync(qtbot, win).pulled_own == 1
    row = win.list_model.ids.index(article_ids(win.project)["Storm closes schools"])
    assert win.list_model.data(win.list_model.index(row, COL_STANCE)) == stance.options[2].name
    qtbot.wait(100)  # the status bar lays out its new text
    win.statusBar().grab().save(str(SHOTS / "team-sync-status.png"))


def test_server_down_the_window_keeps_working_and_says_so(qtbot, team_window):
    win, server, _ = team_window
    with win.project.write() as db:  # the server is now somewhere nothing answers
        db.execute("UPDATE team_sync SET value = 'host=127.0.0.1 port=9 dbname=x connect_timeout=2' "
                   "WHERE key = 'dsn'")
    win.label_key("1")
    report = _sync(qtbot, win)
    assert report.offline and not report.ok
    text = win.team_sync.label.text()
    assert "offline since" in text and "work kept" in text and "1 change to send" in text
    assert "your work is kept" in win.statusBar().currentMessage()
    assert "cannot reach" in win.team_sync.label.toolTip()
    # the window goes on: the next label is saved and counted
    win.go_to(win.list_model.ids[1])
    win.label_key("2")
    assert "2 changes to send" in win.team_sync.label.text()
    assert labels.chosen_options(win.project, win.list_model.ids[1], "Ann", win.scheme.stance_task().id)
    qtbot.wait(100)
    win.grab().save(str(SHOTS / "team-offline.png"))


def test_the_window_syncs_by_itself_every_few_minutes(qtbot, team_window, monkeypatch):
    from annotator.gui.team_sync import TeamSync

    win, _, _ = team_window
    monkeypatch.setenv("ANNOTATOR_SYNC_MINUTES", "0.003")  # 180 ms, for the test
    timed = TeamSync(win, win.project)
    assert timed.timer.isActive()
    with qtbot.waitSignal(timed.synced, timeout=30_000) as signal:
        pass
    assert signal.args[0].ok
    timed.stop()


def test_a_project_without_a_team_has_no_sync(window):
    assert window.team_sync is None
    assert not window.sync_action.isEnabled()
    assert window.sync_with_team() is None


def test_a_team_project_opens_as_its_members_annotator(team_window, settings):
    from annotator.gui.projects import annotator_for, remember_annotator

    win, _, _ = team_window
    remember_annotator(settings, win.project.path, "somebody else")
    assert annotator_for(settings, win.project, ask=False) == "Ann"
