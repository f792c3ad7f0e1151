"""Labels, notes and statuses: each setter returns what it replaced, so an undo can put it back."""

import pytest

from annotator.core import labels, scheme


@pytest.fixture
def setup(tmp_project):
    s = scheme.load_scheme(tmp_project)
    ids = [tmp_project.db["articles"].insert({"uid": f"a{i}", "title": f"t{i}", "text": "x"}).last_pk
           for i in range(5)]
    return tmp_project, s, ids


def test_single_choice_replaces_and_returns_previous(setup):
    project, s, ids = setup
    stance = s.stance_task()
    against, neutral = stance.options[0].id, stance.options[1].id
    assert labels.set_choice(project, ids[0], "ana", stance.id, against) is None
    assert labels.set_choice(project, ids[0], "ana", stance.id, neutral) == against
    assert labels.chosen_options(project, ids[0], "ana", stance.id) == [neutral]
    assert labels.set_choice(project, ids[0], "ana", stance.id, None) == neutral
    assert labels.chosen_options(project, ids[0], "ana", stance.id) == []


def test_multi_choice_toggles_independently(setup):
    project, s, ids = setup
    topic = next(t for t in s.tasks if t.kind == "multi")
    a, b = topic.options[0].id, topic.options[1].id
    assert labels.set_option(project, ids[0], "ana", topic.id, a, True) is False
    assert labels.set_option(project, ids[0], "ana", topic.id, b, True) is False
    assert sorted(labels.chosen_options(project, ids[0], "ana", topic.id)) == sorted([a, b])
    assert labels.set_option(project, ids[0], "ana", topic.id, a, False) is True
    assert labels.chosen_options(project, ids[0], "ana", topic.id) == [b]


def test_annotators_are_kept_apart(setup):
    project, s, ids = setup
    stance = s.stance_task()
    labels.set_choice(project, ids[0], "ana", stance.id, stance.options[0].id)
    labels.set_choice(project, ids[0], "ben", stance.id, stance.options[2].id)
    assert labels.chosen_options(project, ids[0], "ana", stance.id) == [stance.options[0].id]
    assert labels.item_labels(project, ids[0], "ben") == {stance.id: [stance.options[2].id]}


def test_quote_labels_do_not_touch_article_labels(setup):
    project, s, ids = setup
    quote_id = project.db["quotes"].insert(
        {"article_id": ids[0], "start": 0, "end": 1, "text": "x", "origin": "auto"}).last_pk
    qstance = s.stance_task("quote")
    labels.set_choice(project, ids[0], "ana", qstance.id, qstance.options[0].id, quote_id=quote_id)
    assert labels.item_labels(project, ids[0], "ana") == {}
    assert labels.quote_choices(project, ids[0], "ana", qstance.id) == {quote_id: qstance.options[0].id}


def test_status_note_and_progress(setup):
    project, _s, ids = setup
    assert labels.article_state(project, ids[0], "ana") == ("todo", "")
    assert labels.set_status(project, ids[0], "ana", "labelled") == "todo"
    assert labels.set_note(project, ids[0], "ana", "check the date") == ""
    assert labels.article_state(project, ids[0], "ana") == ("labelled", "check the date")
    labels.set_status(project, ids[1], "ana", "reviewed")
    labels.set_status(project, ids[2], "ben", "labelled")
    assert labels.progress(project, "ana").text() == "2 of 5 labelled by you"
    with pytest.raises(ValueError):
        labels.set_status(project, ids[0], "ana", "finished")


def test_progress_text_uses_thousands_separators():
    assert labels.Progress(312, 5000).text() == "312 of 5,000 labelled by you"


def test_annotator_names_are_trimmed_and_listed(tmp_project):
    assert labels.ensure_annotator(tmp_project, "  Ana   Lima ") == "Ana Lima"
    labels.ensure_annotator(tmp_project, "ben")
    labels.ensure_annotator(tmp_project, "Ana Lima")
    assert labels.list_annotators(tmp_project) == ["Ana Lima", "ben"]
    with pytest.raises(ValueError):
        labels.ensure_annotator(tmp_project, "   ")


def test_cli_label_and_scheme_use_the_same_core(tmp_path, capsys):
    from annotator.cli import main
    from annotator.core.store import open_project

    path = tmp_path / "p.db"
    with open_project(path) as project:
        project.db["articles"].insert({"uid": "a", "title": "t", "text": "words"})
    assert main(["label", str(path), "1", "stance", "3", "--annotator", "ana", "--status", "labelled"]) == 0
    assert main(["label", str(path), "1", "topic", "economy", "--annotator", "ana"]) == 0
    assert main(["label", str(path), "1", "stance", "maybe", "--annotator", "ana"]) == 2
    with open_project(path) as project:
        s = scheme.load_scheme(project)
        assert labels.chosen_options(project, 1, "ana", s.stance_task().id) == [s.stance_task().options[2].id]
        assert labels.progress(project, "ana").done == 1
    capsys.readouterr()
    assert main(["scheme", str(path)]) == 0
    assert "3  in favour" in capsys.readouterr().out
