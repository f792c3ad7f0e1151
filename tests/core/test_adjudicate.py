"""Disagreements per task and the adjudicated value, with who and when, and its undo."""

import pytest

from annotator.core.adjudicate import (
    adjudication_values,
    disagreements,
    get_adjudication,
    item_side_by_side,
    restore_adjudication,
    set_adjudication,
    with_adjudication,
)
from annotator.core.scheme import load_scheme
from tests.fixtures.review.sample import build_sample


def test_disagreements_list_items_where_annotators_differ(tmp_project):
    build_sample(tmp_project)
    items = disagreements(tmp_project)
    found = {(d.task, d.level, d.article_id, d.quote_id) for d in items}
    assert found == {("stance", "article", 2, None), ("topic", "article", 1, None), ("topic", "article", 2, None),
                     ("stance", "quote", 1, 1), ("speaker", "quote", 1, 1)}
    stance = next(d for d in items if d.task == "stance" and d.level == "article")
    assert stance.values == {"ann": "in favour", "ben": "neutral"}
    assert stance.title == '=HYPERLINK("x")'
    assert "unclear" in stance.options
    speaker = next(d for d in items if d.task == "speaker")
    assert speaker.values == {"ann": "Li Wei", "ben": "Zhang Min"}
    assert [d.task for d in disagreements(tmp_project, "topic")] == ["topic", "topic"]


def test_adjudication_is_stored_with_who_and_when_and_can_be_undone(tmp_project):
    ids = build_sample(tmp_project)
    before = set_adjudication(tmp_project, 2, ids["stance"], "neutral", "zoe")
    assert before == []
    rows = get_adjudication(tmp_project, 2, ids["stance"])
    assert [(r["value"], r["adjudicator"]) for r in rows] == [("neutral", "zoe")]
    assert rows[0]["option_id"] is not None and rows[0]["updated_at"].endswith("Z")
    item = next(d for d in disagreements(tmp_project, "stance") if d.level == "article")
    assert (item.adjudicated, item.adjudicator) == ("neutral", "zoe")
    previous = set_adjudication(tmp_project, 2, ids["stance"], "AGAINST", "yan")  # any case: the option
    assert [r["value"] for r in get_adjudication(tmp_project, 2, ids["stance"])] == ["against"]
    restore_adjudication(tmp_project, 2, ids["stance"], None, previous)
    assert [r["value"] for r in get_adjudication(tmp_project, 2, ids["stance"])] == ["neutral"]
    restore_adjudication(tmp_project, 2, ids["stance"], None, [])
    assert get_adjudication(tmp_project, 2, ids["stance"]) == []


def test_only_the_tasks_options_are_accepted_by_name_or_key(tmp_project):
    ids = build_sample(tmp_project)
    with pytest.raises(ValueError, match=r"no option 'healthx' \(options: .*economy"):
        set_adjudication(tmp_project, 1, ids["topic"], "economy; healthx", "zoe")
    assert get_adjudication(tmp_project, 1, ids["topic"]) == []  # nothing half-stored
    with pytest.raises(ValueError, match="takes one value"):
        set_adjudication(tmp_project, 1, ids["stance"], "against; neutral", "zoe")
    key = next(o for o in load_scheme(tmp_project).task(ids["topic"]).options if o.shortcut and o.name != "economy")
    assert adjudication_values(tmp_project, ids["topic"], f" {key.shortcut.lower()} ; Economy ") == \
        [key.name, "economy"]


def test_multi_choice_and_empty_adjudications(tmp_project):
    ids = build_sample(tmp_project)
    set_adjudication(tmp_project, 1, ids["topic"], "economy; security", "zoe")
    assert sorted(r["value"] for r in get_adjudication(tmp_project, 1, ids["topic"])) == ["economy", "security"]
    set_adjudication(tmp_project, 2, ids["topic"], [], "zoe")
    item = next(d for d in disagreements(tmp_project, "topic") if d.article_id == 2)
    assert item.adjudicated == "" and item.adjudicator == "zoe"


def test_side_by_side_view_of_an_article(tmp_project):
    build_sample(tmp_project)
    view = item_side_by_side(tmp_project, 1)
    assert view["labels"]["ann"]["stance towards China"] == "against"
    assert view["labels"]["ann"]["topic"] == "economy; security"
    quote = next(q for q in view["quotes"] if q["id"] == 1)
    assert quote["speakers"] == {"ann": "Li Wei", "ben": "Zhang Min"}
    assert next(q for q in view["quotes"] if q["id"] == 2)["speakers"]["ben"] == "(not a quote)"


def test_with_adjudication_reads_one_items_adjudication_again(tmp_project):
    build_sample(tmp_project)
    items = disagreements(tmp_project)
    topic = next(d for d in items if d.task == "topic")
    speaker = next(d for d in items if d.task_id is None)
    set_adjudication(tmp_project, topic.article_id, topic.task_id, "health; diplomacy", "zoe")
    set_adjudication(tmp_project, speaker.article_id, None, "Li Wei", "zoe", quote_id=speaker.quote_id)
    fresh = with_adjudication(tmp_project, topic)
    assert (fresh.adjudicated, fresh.adjudicator) == ("diplomacy; health", "zoe")  # in the scheme's order
    assert fresh.values == topic.values and topic.adjudicated is None  # a copy; the values stay
    assert with_adjudication(tmp_project, speaker).adjudicated == "Li Wei"
    assert [d for d in disagreements(tmp_project) if d.task == "topic"][0].adjudicated == fresh.adjudicated
    restore_adjudication(tmp_project, topic.article_id, topic.task_id, None, [])
    assert with_adjudication(tmp_project, topic).adjudicator is None
