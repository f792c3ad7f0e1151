"""`annotator team init / add-annotator / join` and `annotator sync` on a real server (tests/pg.py)."""

from __future__ import annotations

import json

from annotator.cli import main
from annotator.core import labels
from annotator.core.scheme import load_scheme
from annotator.core.store import open_project
from tests.core.team_helpers import article_ids, lead_project
from tests.pg import team_server, with_login  # noqa: F401 (fixture)


def test_team_commands_from_init_to_sync(tmp_path, team_server, capsys, monkeypatch):  # noqa: F811
    lead = lead_project(tmp_path)
    lead.close()
    s = team_server.schema
    assert main(["team", "init", str(tmp_path / "lead.db"), team_server.dsn, "--annotator", "Lead", "--team", s]) == 0
    out = capsys.readouterr().out
    assert f"team {s!r} made" in out and "sent 3 articles" in out

    monkeypatch.setenv("ANN_PASSWORD", "correct horse battery")
    assert main(["team", "add-annotator", team_server.dsn, "Ann", "--team", s, "--password-env", "ANN_PASSWORD"]) == 0
    out = capsys.readouterr().out
    role = team_server.role_of("Ann")
    assert f"login role {role}" in out and "annotator team join" in out
    with open(team_server.passfile, "a") as fh:
        fh.write(f"{team_server.host}:{team_server.port}:{team_server.dbname}:{role}:correct horse battery\n")

    ann_dsn = with_login(team_server.dsn, role)
    assert main(["team", "join", ann_dsn, str(tmp_path / "ann.db"), "--annotator", "Ann", "--team", s]) == 0
    assert "joined the team" in capsys.readouterr().out
    with open_project(tmp_path / "ann.db") as ann:
        stance = load_scheme(ann).stance_task()
        labels.set_choice(ann, article_ids(ann)["Storm closes schools"], "Ann", stance.id, stance.options[0].id)
    assert main(["sync", str(tmp_path / "ann.db"), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["pushed"] == {"labels": 1} and report["error"] is None and report["pending"] == 0
    assert main(["sync", str(tmp_path / "lead.db")]) == 0
    assert "received 1 labels" in capsys.readouterr().out
    assert main(["info", str(tmp_path / "ann.db"), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["team"]["team"] == s and info["team"]["annotator"] == "Ann" and info["team"]["pending"] == 0
    assert main(["info", str(tmp_path / "ann.db")]) == 0
    assert f"team: {s} as Ann, last synced 20" in capsys.readouterr().out


def test_team_command_errors_are_sentences(tmp_path, team_server, capsys):  # noqa: F811
    plain = open_project(tmp_path / "plain.db")
    plain.close()
    assert main(["sync", str(tmp_path / "plain.db")]) == 1
    err = capsys.readouterr().err
    assert "not joined to a team" in err and "Traceback" not in err
    assert main(["team", "join", team_server.dsn, str(tmp_path / "x.db"), "--annotator", "A", "--team", "nosuch"]) == 1
    assert "no team named 'nosuch'" in capsys.readouterr().err
    assert main(["team", "init", str(tmp_path / "plain.db"), "host=127.0.0.1 port=9 connect_timeout=2",
                 "--annotator", "L"]) == 1
    err = capsys.readouterr().err
    assert "cannot reach the team server" in err and "Traceback" not in err
    assert main(["team", "add-annotator", team_server.dsn, "Bo", "--team", "Bad-Name", "--no-password"]) == 1
    assert "not a usable team name" in capsys.readouterr().err
