"""Team sync through a real PostgreSQL server (tests/pg.py): round trips of every kind of work,
idempotence, two machines of one annotator, a dropped connection, an unreachable server, a project
from an older schema, and the project file never holding a password."""

from __future__ import annotations

import shutil

import psycopg
import pytest

from annotator.core import annotate, changelog, labels
from annotator.core.adjudicate import set_adjudication
from annotator.core.scheme import add_option, add_task, load_scheme
from annotator.core.store import SCHEMA_VERSION, open_project
from annotator.core.sync import init_team, join_team, read_link, status_line, sync_project
from annotator.core.team import TeamError
from tests.core.team_helpers import article_ids, lead_project, server_labels, work
from tests.paths import FIXTURES
from tests.pg import team_server  # noqa: F401 (fixture)


def _ok(report):
    assert report.ok, report.lines()
    return report


@pytest.fixture
def team(tmp_path, team_server):  # noqa: F811
    """A team made from the lead's project, and Ann's login; yields (server, lead project, Ann's DSN)."""
    lead = lead_project(tmp_path)
    _ok(init_team(lead, team_server.dsn, "Lead", team_server.schema))
    ann_dsn = team_server.login("Ann")
    yield team_server, lead, ann_dsn
    lead.close()


@pytest.fixture(params=["one statement", "through COPY"])
def send_path(request, monkeypatch):
    """Small batches go in one statement, big ones through COPY: both are tried."""
    from annotator.core import sync

    if request.param == "through COPY":
        monkeypatch.setattr(sync, "COPY_FROM_ROWS", 0)
    return request.param


def _join(tmp_path, server, dsn, name, file=None):
    path = tmp_path / (file or f"{name.lower()}.db")
    _ok(join_team(dsn, path, name, server.schema))
    return open_project(path)


def test_join_makes_the_leads_corpus_scheme_entities_and_quotes(tmp_path, team):
    server, lead, ann_dsn = team
    ann = _join(tmp_path, server, ann_dsn, "Ann")
    for table in ("articles", "tasks", "options", "entities", "aliases", "quotes", "mentions"):
        assert ann.db[table].count == lead.db[table].count > 0 or table == "aliases", table
    assert set(ann.conn.execute("SELECT uid, title, text FROM articles")) == \
        set(lead.conn.execute("SELECT uid, title, text FROM articles"))
    same = 'SELECT start, "end", text, speaker, confidence, form, content_start, content_end, content FROM quotes'
    assert set(ann.conn.execute(same)) == set(lead.conn.execute(same))
    assert ann.schema_version == SCHEMA_VERSION
    link = read_link(ann)
    assert (link.annotator, link.schema, link.lead) == ("Ann", server.schema, False)
    assert status_line(ann)["pending"] == 0


def test_every_kind_of_work_goes_round_and_deletions_follow(tmp_path, team, send_path):
    server, lead, ann_dsn = team
    ann = _join(tmp_path, server, ann_dsn, "Ann")
    scheme = load_scheme(ann)
    ids = article_ids(ann)
    bridge = ids["Council backs harbour bridge"]
    stance = scheme.stance_task()
    topic = next(t for t in scheme.at_level("article") if t.kind == "multi")
    labels.set_choice(ann, bridge, "Ann", stance.id, stance.options[2].id)
    labels.set_options(ann, bridge, "Ann", topic.id, [topic.options[0].id, topic.options[1].id])
    labels.set_status(ann, bridge, "Ann", "labelled")
    labels.set_note(ann, bridge, "Ann", "check the date — ça va")
    quotes = [r[0] for r in ann.conn.execute("SELECT id FROM quotes WHERE article_id = ? ORDER BY start", [bridge])]
    annotate.confirm_quote(ann, quotes[0], "Ann")
    annotate.set_quote_speaker(ann, quotes[1], "Ann", name="Tom Berg")
    quote_task = next((t for t in scheme.at_level("quote")), None)
    if quote_task is not None:
        labels.set_choice(ann, bridge, "Ann", quote_task.id, quote_task.options[0].id, quote_id=quotes[0])
    marked = annotate.mark_quote(ann, bridge, 0, 12, "Ann")
    annotate.mark_mention(ann, bridge, 14, 19, "Ann")
    labels.set_choice(ann, bridge, "Ann", stance.id, stance.options[1].id, quote_id=None)
    assert status_line(ann)["pending"] > 0

    pushed = _ok(sync_project(ann))
    assert pushed.pushed["labels"] and pushed.pushed["quote_labels"] and pushed.pushed["quotes"]
    assert status_line(ann)["pending"] == 0
    _ok(sync_project(lead))
    mine = {k: {r for r in v if "Ann" in r} for k, v in work(ann).items()}
    theirs = {k: {r for r in v if "Ann" in r} for k, v in work(lead).items()}
    assert mine == theirs
    assert len(mine["labels"]) >= 3 and mine["human_quotes"] and mine["human_mentions"] and mine["statuses"]

    # Ann takes back a topic, a verdict and her marked quote: the lead's copy follows
    labels.set_options(ann, bridge, "Ann", topic.id, [topic.options[1].id])
    annotate.set_verdict(ann, quotes[0], "Ann", None)
    annotate.delete_human_quote(ann, marked)
    _ok(sync_project(ann))
    _ok(sync_project(lead))
    assert {k: {r for r in v if "Ann" in r} for k, v in work(lead).items()} == \
        {k: {r for r in v if "Ann" in r} for k, v in work(ann).items()}
    assert not {r for r in work(lead)["human_quotes"] if "Ann" in r}


def test_syncing_again_changes_nothing_and_resending_doubles_nothing(tmp_path, team, send_path):
    server, lead, ann_dsn = team
    ann = _join(tmp_path, server, ann_dsn, "Ann")
    stance = load_scheme(ann).stance_task()
    for article_id in article_ids(ann).values():
        labels.set_choice(ann, article_id, "Ann", stance.id, stance.options[0].id)
    _ok(sync_project(ann))
    before = server_labels(server.dsn, server.schema)
    again = _ok(sync_project(ann))
    assert not any(again.pushed.values()) and not any(again.pulled.values())
    # as after a kill between the server's commit and forgetting the log: everything is sent again
    with ann.write() as db:
        db.execute("INSERT INTO team_changes (tbl, key, changed_at) SELECT 'labels', "
                   f"{changelog.KEYS['labels']('r')}, '2000-01-01T00:00:00Z' FROM labels AS r")
    _ok(sync_project(ann))
    assert server_labels(server.dsn, server.schema) == before
    with psycopg.connect(server.dsn) as pg:
        rows = pg.execute(f'SELECT count(*), count(DISTINCT (article_uid, qkey, annotator, task_name)) '
                          f'FROM "{server.schema}".labels').fetchone()
    assert rows[0] == rows[1] == 3  # Ann's three, none doubled
    _ok(sync_project(lead))
    assert len([r for r in work(lead)["labels"] if r[2] == "Ann"]) == 3


def test_two_machines_of_one_annotator_newer_edit_wins_and_is_listed(tmp_path, team, send_path):
    server, lead, ann_dsn = team
    laptop = _join(tmp_path, server, ann_dsn, "Ann", "laptop.db")
    desktop = _join(tmp_path, server, ann_dsn, "Ann", "desktop.db")
    stance = load_scheme(laptop).stance_task()
    article = article_ids(laptop)["Trade talks stall again"]
    labels.set_choice(laptop, article, "Ann", stance.id, stance.options[0].id)
    labels.set_choice(desktop, article, "Ann", stance.id, stance.options[1].id)  # later: the newer edit
    labels.set_note(desktop, article, "Ann", "from the desktop")
    _ok(sync_project(laptop))
    report = _ok(sync_project(desktop))
    assert [c.kind for c in report.conflicts] == ["label"]
    conflict = report.conflicts[0]
    assert (conflict.annotator, conflict.winner, conflict.ours, conflict.theirs) == \
        ("Ann", "ours", stance.options[1].name, stance.options[0].name)
    assert "Trade talks" in str(conflict)
    _ok(sync_project(laptop))
    assert work(laptop)["labels"] == work(desktop)["labels"]
    assert labels.article_state(laptop, article, "Ann")[1] == "from the desktop"
    # an edit the other machine already saw is no conflict
    labels.set_choice(laptop, article, "Ann", stance.id, stance.options[2].id)
    _ok(sync_project(laptop))
    assert _ok(sync_project(desktop)).conflicts == []
    assert work(laptop)["labels"] == work(desktop)["labels"]


def test_the_lead_adjudicates_and_changes_the_scheme_annotators_receive_it(tmp_path, team):
    server, lead, ann_dsn = team
    ann = _join(tmp_path, server, ann_dsn, "Ann")
    scheme = load_scheme(lead)
    stance = scheme.stance_task()
    article = article_ids(lead)["Storm closes schools"]
    set_adjudication(lead, article, stance.id, stance.options[0].name, "Lead")
    add_option(lead, stance.id, "sarcastic")
    add_task(lead, "framing")
    _ok(sync_project(lead))
    got = _ok(sync_project(ann))
    assert got.pulled["adjudications"] == 1 and got.pulled["options"] >= 1
    assert work(ann)["adjudications"] == work(lead)["adjudications"]
    assert ("stance", "sarcastic") in work(ann)["options"] or any(o[1] == "sarcastic" for o in work(ann)["options"])
    assert ann.conn.execute("SELECT 1 FROM tasks WHERE name = 'framing'").fetchone()


def test_an_annotators_scheme_edit_is_not_sent(tmp_path, team):
    server, lead, ann_dsn = team
    ann = _join(tmp_path, server, ann_dsn, "Ann")
    add_option(ann, load_scheme(ann).stance_task().id, "mine only")
    report = _ok(sync_project(ann))
    assert report.not_sent["options"] == 1
    _ok(sync_project(lead))
    assert not any(o[1] == "mine only" for o in work(lead)["options"])


def test_a_dropped_connection_mid_push_then_sync_again_finishes(tmp_path, team):
    server, lead, ann_dsn = team
    ann = _join(tmp_path, server, ann_dsn, "Ann")
    stance = load_scheme(ann).stance_task()
    for article_id in article_ids(ann).values():
        labels.set_choice(ann, article_id, "Ann", stance.id, stance.options[1].id)
        labels.set_status(ann, article_id, "Ann", "labelled")

    def cut(done, total, what):  # the server goes away after the first batch of one entry
        with psycopg.connect(server.dsn, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s",
                          [server.role_of("Ann")])

    from annotator.core import sync

    link = read_link(ann)
    report = sync.SyncReport()
    with pytest.raises((TeamError, psycopg.OperationalError)):
        with psycopg.connect(ann_dsn, autocommit=True) as pg:
            sync.push(ann, pg, link, report, progress=cut, batch=1)
            sync.push(ann, pg, link, report, batch=1)
    assert 0 < status_line(ann)["pending"] < 6
    _ok(sync_project(ann))
    assert status_line(ann)["pending"] == 0
    _ok(sync_project(lead))
    assert {r for r in work(lead)["labels"] if r[2] == "Ann"} == work(ann)["labels"] - {
        r for r in work(ann)["labels"] if r[2] != "Ann"}
    assert len({r for r in work(lead)["statuses"] if r[1] == "Ann"}) == 3


def test_an_unreachable_server_leaves_the_project_working(tmp_path, team):
    server, lead, ann_dsn = team
    ann = _join(tmp_path, server, ann_dsn, "Ann")
    with ann.write() as db:
        db.execute("UPDATE team_sync SET value = 'host=127.0.0.1 port=9 dbname=x connect_timeout=2' WHERE key = 'dsn'")
    stance = load_scheme(ann).stance_task()
    labels.set_choice(ann, next(iter(article_ids(ann).values())), "Ann", stance.id, stance.options[0].id)
    report = sync_project(ann)
    assert not report.ok and report.offline and report.pending == 1
    assert "cannot reach" in report.lines()[0]
    assert status_line(ann)["pending"] == 1


def test_the_project_file_never_holds_the_password(tmp_path, team_server):  # noqa: F811
    lead = lead_project(tmp_path)
    password = team_server.dsn.split(":")[2].split("@")[0]
    assert password and len(password) > 8
    _ok(init_team(lead, team_server.dsn, "Lead", team_server.schema))
    assert password not in read_link(lead).dsn
    lead.close()
    data = b"".join(p.read_bytes() for p in tmp_path.glob("lead.db*"))
    assert password.encode() not in data


def test_a_project_from_an_older_schema_becomes_a_team(tmp_path, team_server):  # noqa: F811
    old = sorted(FIXTURES.glob("schemas/schema_v*.db"))[0]
    path = tmp_path / "old.db"
    shutil.copyfile(old, path)
    project = open_project(path)
    assert project.schema_version == SCHEMA_VERSION
    before = work(project)
    _ok(init_team(project, team_server.dsn, "Lead", team_server.schema))
    copy = _join(tmp_path, team_server, team_server.dsn, "Lead", "copy.db")
    assert work(copy) == before
    assert copy.db["articles"].count == project.db["articles"].count
    project.close()


def test_join_refuses_a_name_that_is_not_the_logins(tmp_path, team):
    server, lead, ann_dsn = team
    with pytest.raises(TeamError, match="belongs to the annotator 'Ann'"):
        join_team(ann_dsn, tmp_path / "x.db", "Bob", server.schema)
    with pytest.raises(TeamError, match="no team named"):
        join_team(ann_dsn, tmp_path / "x.db", "Ann", "nosuchteam")


def test_join_refuses_a_team_made_by_a_newer_version(tmp_path, team):
    server, lead, ann_dsn = team
    with psycopg.connect(server.dsn) as pg:
        pg.execute(f"UPDATE \"{server.schema}\".meta SET value = '99' WHERE key = 'format'")
    with pytest.raises(TeamError, match="newer version"):
        join_team(ann_dsn, tmp_path / "x.db", "Ann", server.schema)
    assert not (tmp_path / "x.db").exists()


def test_a_join_cut_off_mid_pull_is_finished_by_the_next_sync(tmp_path, team):
    server, lead, ann_dsn = team

    def cut(done, total, what):  # the server goes away while the quotes stream in
        if what == "receiving quotes":
            with psycopg.connect(server.dsn, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s",
                              [server.role_of("Ann")])

    report = join_team(ann_dsn, tmp_path / "ann.db", "Ann", server.schema, progress=cut)
    assert not report.ok and report.offline and "team server" in report.error
    assert not any(report.pulled.values())
    with open_project(tmp_path / "ann.db") as ann:
        assert ann.db["articles"].count == 0  # the pull was one transaction: nothing half-applied
        assert read_link(ann).pull_xmin == "0"
        _ok(sync_project(ann))
        for table in ("articles", "quotes", "mentions", "options"):
            assert ann.db[table].count == lead.db[table].count, table


def test_an_edit_received_while_one_waited_here_is_not_lost_when_the_server_keeps_the_newer(tmp_path, team):
    """The desktop pulls while its own older edit still waits (the laptop's newer one is left for
    later), then sends its edit: the server keeps the laptop's, the desktop takes it and lists it."""
    from annotator.core import sync

    server, lead, ann_dsn = team
    laptop = _join(tmp_path, server, ann_dsn, "Ann", "laptop.db")
    desktop = _join(tmp_path, server, ann_dsn, "Ann", "desktop.db")
    stance = load_scheme(desktop).stance_task()
    article = article_ids(desktop)["Trade talks stall again"]
    labels.set_choice(desktop, article, "Ann", stance.id, stance.options[0].id)  # the older edit
    labels.set_choice(laptop, article, "Ann", stance.id, stance.options[1].id)  # the newer one
    _ok(sync_project(laptop))
    link = sync.read_link(desktop)
    with psycopg.connect(ann_dsn, autocommit=True) as pg:
        report = sync.SyncReport()
        sync.pull(desktop, pg, link, report)  # the laptop's label waits: the desktop changed that item
        assert not report.pulled["labels"]
        report = sync.SyncReport()
        sync.push(desktop, pg, link, report)
        sync.pull(desktop, pg, link, report)
    assert report.pulled["labels"] == 1
    assert [(c.kind, c.winner) for c in report.conflicts] == [("label", "theirs")]
    assert work(desktop)["labels"] == work(laptop)["labels"]
    assert labels.chosen_options(desktop, article, "Ann", stance.id) == [stance.options[1].id]
