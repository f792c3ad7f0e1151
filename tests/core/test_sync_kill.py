"""Kill -9 at random points of working and syncing, several times, for two annotators at once; then
sync once more: the server and every project hold exactly the union of what each annotator has,
nothing lost, nothing doubled."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import psycopg

from annotator.core.importer import import_paths
from annotator.core.scheme import load_scheme
from annotator.core.store import open_project
from annotator.core.sync import init_team, join_team, status_line, sync_project
from tests.core.team_helpers import server_labels, work
from tests.paths import REPO
from tests.pg import team_server  # noqa: F401 (fixture)

NAMES = ("Ann", "Bob")


def _corpus(tmp_path, n=30):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for i in range(n):
        (folder / f"a{i:03}.txt").write_text(f"Article number {i}\n\nSomething happened in town {i} today.\n")
    return folder


def _own(project, name):
    return {r for r in work(project)["labels"] if r[2] == name}, {r for r in work(project)["statuses"] if r[1] == name}


def test_kill_9_at_random_points_then_sync_gives_exactly_the_union(tmp_path, team_server):  # noqa: F811
    lead = open_project(tmp_path / "lead.db")
    import_paths(lead, [_corpus(tmp_path)], workers=1, detect=False)
    load_scheme(lead)
    assert init_team(lead, team_server.dsn, "Lead", team_server.schema).ok
    paths = {}
    for name in NAMES:
        paths[name] = tmp_path / f"{name}.db"
        assert join_team(team_server.login(name), paths[name], name, team_server.schema).ok
    rng = random.Random(20)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for round_ in range(6):
        workers = [subprocess.Popen([sys.executable, "-m", "tests.core.sync_worker", str(paths[n]), n,
                                     str(round_ * 10 + i)], stdout=subprocess.PIPE, env=env, cwd=REPO)
                   for i, n in enumerate(NAMES)]
        for w in workers:
            assert w.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.3, 2.5))
        for w in workers:
            time.sleep(rng.uniform(0, 0.3))
            w.send_signal(signal.SIGKILL)
            w.wait(timeout=30)
            w.stdout.close()
    projects = {n: open_project(p) for n, p in paths.items()}
    try:
        assert any(status_line(p)["pending"] for p in projects.values()), "the kills left nothing unsent"
        for _ in range(2):  # everyone sends, then everyone receives the rest
            for project in projects.values():
                report = sync_project(project)
                assert report.ok, report.lines()
        truth = set().union(*(_own(projects[n], n)[0] for n in NAMES))
        statuses = set().union(*(_own(projects[n], n)[1] for n in NAMES))
        assert truth, "the workers labelled nothing"
        on_server = {(uid, q or None, a, t, o)
                     for uid, q, a, t, o in server_labels(team_server.dsn, team_server.schema)}
        assert on_server == truth
        assert sync_project(lead).ok
        for project in [*projects.values(), lead]:
            assert work(project)["labels"] == truth
            assert {r for r in work(project)["statuses"] if r[1] in NAMES} == statuses
            assert status_line(project)["pending"] == 0
            doubled = project.conn.execute(
                "SELECT count(*) - count(DISTINCT article_id || ':' || annotator || ':' || task_id || ':' || "
                "option_id) FROM labels").fetchone()[0]
            assert doubled == 0
        with psycopg.connect(team_server.dsn) as pg:
            assert pg.execute(f'SELECT count(*) - count(DISTINCT (article_uid, annotator)) '
                              f'FROM "{team_server.schema}".article_status').fetchone()[0] == 0
    finally:
        for project in projects.values():
            project.close()
        lead.close()
