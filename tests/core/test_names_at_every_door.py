"""Names (annotator, task, option, entity, alias) are single-line text without control characters,
bounded, at every door; names stored before these checks survive export then import-labels unchanged;
printed names carry no terminal controls."""

import pytest

from annotator.cli import main
from annotator.core import labels, scheme, validate
from annotator.core.entities import EntityError, add_alias, create_entity, import_entities_csv
from annotator.core.export import write_export
from annotator.core.import_labels import import_labels
from annotator.core.scheme import load_scheme
from annotator.core.store import utc_now

BAD = ["bob\x1b[31mred", "a\x00b", "tab\tin", "line\nbreak", "cr\r", "\u202eevil", "x" * (validate.MAX_NAME_CHARS + 1),
       "del\x7f", "csi\x9b2J"]


@pytest.mark.parametrize("name", BAD)
def test_check_name_refuses(name):
    assert validate.check_name(name, "annotator")
    with pytest.raises(ValueError):
        validate.clean_name(name, "annotator")


@pytest.mark.parametrize("name", ["Ana", "José Álvarez", "=formula", "-1", "+2", "@handle", "<b>x</b>", "a  b"])
def test_check_name_allows_what_people_write(name):
    assert validate.check_name(name) is None
    assert validate.clean_name(name) == " ".join(name.split())


def test_every_door_refuses_a_control_character(tmp_project, tmp_path):
    evil = "bob\x1b[31m"
    with pytest.raises(ValueError, match="control characters"):
        labels.ensure_annotator(tmp_project, evil)
    with pytest.raises(ValueError, match="control characters"):
        scheme.add_task(tmp_project, "topic\x1b", "single")
    task = load_scheme(tmp_project).stance_task()
    with pytest.raises(ValueError, match="control characters"):
        scheme.add_option(tmp_project, task.id, "opt\x00")
    with pytest.raises(ValueError, match="control characters"):
        scheme.rename_option(tmp_project, task.options[0].id, "x\x07")
    with pytest.raises(ValueError, match="long"):
        scheme.update_task(tmp_project, task.id, name="t" * 500)
    with pytest.raises(EntityError, match="control characters"):
        create_entity(tmp_project, "Eve\x1b]0;x\x07")
    entity = create_entity(tmp_project, "Eve")
    with pytest.raises(EntityError, match="control characters"):
        add_alias(tmp_project, entity, "E\x1bve")
    listing = tmp_path / "entities.csv"
    listing.write_text("name,kind,aliases\nGood,person,\n\"Bad\x1bName\",person,\nOk,person,\"x|y\x00z\"\n",
                       encoding="utf-8")
    report = import_entities_csv(tmp_project, listing)
    assert [p.row for p in report.problems] == [3, 4]
    assert [r[0] for r in tmp_project.conn.execute("SELECT name FROM annotators")] == []


def test_the_label_command_refuses_an_escape_in_a_name(tmp_project, capsys):
    tmp_project.db["articles"].insert({"uid": "u", "title": "T", "text": "Text."})
    code = main(["label", str(tmp_project.path), "1", "stance", "against", "--annotator", "bob\x1b[31m...\r\n"])
    err = capsys.readouterr().err
    assert code != 0 and "control characters" in err and "\x1b" not in err
    assert tmp_project.db["labels"].count == 0


LEGACY = ["\tbob", "\rcarl", "dan\x1b[31m", "eve  two"]  # as versions before the checks stored them


def _legacy_labels(project):
    stance = load_scheme(project).stance_task()
    now = utc_now()
    with project.write() as db:
        for i in range(4):
            db["articles"].insert({"uid": f"u{i}", "title": f"T{i}", "text": f"Text {i}."})
        for who in LEGACY:
            db["annotators"].insert({"name": who, "created_at": now})
            for article_id in range(1, 5):
                db["labels"].insert({"article_id": article_id, "annotator": who, "task_id": stance.id,
                                     "option_id": stance.options[(article_id + LEGACY.index(who)) % 3].id,
                                     "updated_at": now})
            db["article_status"].insert({"article_id": 1, "annotator": who, "status": "labelled", "updated_at": now})


def test_export_then_import_labels_is_lossless_for_names_stored_before_the_checks(tmp_project, tmp_path):
    _legacy_labels(tmp_project)
    rows = "SELECT article_id, annotator, task_id, option_id FROM labels ORDER BY id"
    before = tmp_project.conn.execute(rows).fetchall()
    out = tmp_path / "labels.csv"
    write_export(tmp_project, out)
    report = import_labels(tmp_project, out)
    assert report.ok and report.changed == 0, report.problems
    after = tmp_project.conn.execute(rows).fetchall()
    assert after == before
    assert sorted(r[0] for r in tmp_project.conn.execute("SELECT name FROM annotators")) == sorted(LEGACY)


def test_printed_names_carry_no_terminal_controls(tmp_project, capsys):
    _legacy_labels(tmp_project)
    tmp_project.close()
    for command in (["agreement"], ["disagreements"]):
        assert main([command[0], str(tmp_project.path)]) == 0
        out = capsys.readouterr().out
        assert "\x1b" not in out and "\r" not in out and "dan" in out
