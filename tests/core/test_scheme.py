"""The label scheme: default installed once, edits keep labels, refusals come back as sentences."""

import pytest

from annotator.core import labels, scheme


def _article(project, text="Some words here."):
    return project.db["articles"].insert({"uid": text, "title": "t", "text": text}).last_pk


def test_default_scheme_installed_once_with_stance_and_topics(tmp_project):
    first = scheme.load_scheme(tmp_project)
    again = scheme.load_scheme(tmp_project)
    assert [t.id for t in first.tasks] == [t.id for t in again.tasks]
    stance = first.stance_task("article")
    assert stance.kind == "single" and stance.target == "China"
    assert [o.name for o in stance.options] == ["against", "neutral", "in favour", "unclear"]
    assert [o.shortcut for o in stance.options] == ["1", "2", "3", "4"]
    topic = next(t for t in first.at_level("article") if t.kind == "multi")
    assert "economy" in [o.name for o in topic.options]
    assert all(o.shortcut.isalpha() for o in topic.options)
    assert first.stance_task("quote") is not None


def test_keys_are_found_per_level(tmp_project):
    s = scheme.load_scheme(tmp_project)
    task, option = s.option_for_key("e")
    assert (task.name, option.name) == ("topic", "economy")
    task, option = s.option_for_key("1", "quote")
    assert task.level == "quote" and option.name == "against"


def test_renaming_an_option_keeps_its_labels(tmp_project):
    s = scheme.load_scheme(tmp_project)
    stance = s.stance_task()
    article = _article(tmp_project)
    labels.set_choice(tmp_project, article, "ana", stance.id, stance.options[0].id)
    old = scheme.rename_option(tmp_project, stance.options[0].id, "critical")
    assert old == "against"
    again = scheme.load_scheme(tmp_project).stance_task()
    assert again.options[0].name == "critical"
    assert labels.chosen_options(tmp_project, article, "ana", stance.id) == [stance.options[0].id]


def test_removing_a_used_option_is_refused_unless_confirmed(tmp_project):
    stance = scheme.load_scheme(tmp_project).stance_task()
    article = _article(tmp_project)
    labels.set_choice(tmp_project, article, "ana", stance.id, stance.options[1].id)
    refused = scheme.remove_option(tmp_project, stance.options[1].id)
    assert refused and "1 labels" in refused
    assert len(scheme.load_scheme(tmp_project).stance_task().options) == 4
    assert scheme.remove_option(tmp_project, stance.options[1].id, drop_labels=True) is None
    assert len(scheme.load_scheme(tmp_project).stance_task().options) == 3
    assert labels.chosen_options(tmp_project, article, "ana", stance.id) == []


def test_unused_option_and_task_are_removed_at_once(tmp_project):
    scheme.load_scheme(tmp_project)
    task_id = scheme.add_task(tmp_project, "genre", "single", "article")
    option_id = scheme.add_option(tmp_project, task_id, "news", "7")
    assert scheme.remove_option(tmp_project, option_id) is None
    assert scheme.remove_task(tmp_project, task_id) is None
    assert all(t.name != "genre" for t in scheme.load_scheme(tmp_project).tasks)


def test_shortcut_clashes_and_reserved_keys_are_refused(tmp_project):
    s = scheme.load_scheme(tmp_project)
    topic = next(t for t in s.tasks if t.kind == "multi")
    with pytest.raises(ValueError, match="already the key"):
        scheme.add_option(tmp_project, topic.id, "sport", "e")
    with pytest.raises(ValueError, match="taken by the window"):
        scheme.add_option(tmp_project, topic.id, "sport", "n")
    option_id = scheme.add_option(tmp_project, topic.id, "sport", "t")
    assert scheme.load_scheme(tmp_project).task(topic.id).option(option_id).shortcut == "T"
    # The same key at another level is fine: quote keys act on the selected quote.
    quote_task = s.stance_task("quote")
    assert scheme.check_shortcut(tmp_project, quote_task.id, "T") is None


def test_task_target_and_kind_checks(tmp_project):
    stance = scheme.load_scheme(tmp_project).stance_task()
    scheme.update_task(tmp_project, stance.id, target="the EU")
    assert scheme.load_scheme(tmp_project).stance_task().title == "stance towards the EU"
    with pytest.raises(ValueError):
        scheme.add_task(tmp_project, "x", "ranking")
    with pytest.raises(ValueError, match="already a task"):
        scheme.add_task(tmp_project, "stance", "single", "article")


def test_a_removed_option_comes_back_with_its_id_key_and_labels(tmp_project):
    stance = scheme.load_scheme(tmp_project).stance_task()
    article = _article(tmp_project)
    neutral = stance.options[1]
    labels.set_choice(tmp_project, article, "ana", stance.id, neutral.id)
    saved = scheme.saved_rows(tmp_project, option_id=neutral.id)
    scheme.remove_option(tmp_project, neutral.id, drop_labels=True)
    scheme.restore_option(tmp_project, saved)
    again = scheme.load_scheme(tmp_project).stance_task()
    assert [(o.id, o.name, o.shortcut) for o in again.options] == [(o.id, o.name, o.shortcut) for o in stance.options]
    assert labels.chosen_options(tmp_project, article, "ana", stance.id) == [neutral.id]


def test_a_removed_task_comes_back_with_its_options(tmp_project):
    scheme.load_scheme(tmp_project)
    task_id = scheme.add_task(tmp_project, "genre", "multi", "article")
    option_id = scheme.add_option(tmp_project, task_id, "news", "7")
    article = _article(tmp_project)
    labels.set_option(tmp_project, article, "ana", task_id, option_id, True)
    saved = scheme.saved_rows(tmp_project, task_id=task_id)
    scheme.remove_task(tmp_project, task_id, drop_labels=True)
    scheme.restore_task(tmp_project, saved)
    genre = scheme.load_scheme(tmp_project).task(task_id)
    assert genre.name == "genre" and [(o.id, o.shortcut) for o in genre.options] == [(option_id, "7")]
    assert labels.chosen_options(tmp_project, article, "ana", task_id) == [option_id]


def test_putting_back_an_option_whose_key_was_taken_since_is_refused_whole(tmp_project):
    stance = scheme.load_scheme(tmp_project).stance_task()
    saved = scheme.saved_rows(tmp_project, option_id=stance.options[3].id)
    scheme.remove_option(tmp_project, stance.options[3].id)
    scheme.add_option(tmp_project, stance.id, "mixed", "4")
    with pytest.raises(ValueError, match="already the key"):
        scheme.restore_option(tmp_project, saved)
    assert [o.name for o in scheme.load_scheme(tmp_project).stance_task().options][-1] == "mixed"
    assert tmp_project.db["options"].count_where("id = ?", [stance.options[3].id]) == 0
