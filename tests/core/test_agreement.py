"""Agreement statistics checked against the krippendorff package, scikit-learn and Fleiss' worked example."""

import random

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from annotator.core.agreement import (
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha_nominal,
    observed_agreement,
    overlap_matches,
    project_agreement,
)
from tests.fixtures.review.sample import build_sample

# Fleiss (1971) as worked on Wikipedia: 10 subjects, 14 raters, 5 categories; kappa = 0.210.
FLEISS_TABLE = [
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
]


def test_fleiss_kappa_matches_the_worked_example():
    counts = [{c: n for c, n in enumerate(row) if n} for row in FLEISS_TABLE]
    assert fleiss_kappa(counts) == pytest.approx(0.2099, abs=5e-4)


def _random_units(seed: int, coders=3, items=200, categories=4, missing=0.2):
    rng = random.Random(seed)
    units = {}
    for i in range(items):
        truth = rng.randrange(categories)
        values = {}
        for c in range(coders):
            if rng.random() < missing:
                continue
            values[f"c{c}"] = truth if rng.random() < 0.6 else rng.randrange(categories)
        units[i] = values
    return units


@pytest.mark.parametrize("seed", range(6))
def test_alpha_matches_krippendorff_package(seed):
    units = _random_units(seed, coders=2 + seed % 3)
    coders = sorted({c for v in units.values() for c in v})
    matrix = np.array([[units[i].get(c, np.nan) for i in sorted(units)] for c in coders], dtype=float)
    expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    assert krippendorff_alpha_nominal(units) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("seed", range(6))
def test_cohen_kappa_matches_scikit_learn(seed):
    rng = random.Random(seed)
    a = [rng.choice("xyz") for _ in range(150)]
    b = [x if rng.random() < 0.5 + seed / 20 else rng.choice("xyz") for x in a]
    assert cohen_kappa(zip(a, b, strict=True)) == pytest.approx(cohen_kappa_score(a, b), abs=1e-12)


def test_undefined_values_are_none_not_errors():
    assert cohen_kappa([]) is None
    assert cohen_kappa([("a", "a"), ("a", "a")]) is None  # one category: chance agreement is 1
    assert krippendorff_alpha_nominal({1: {"a": 1}}) is None
    assert fleiss_kappa([]) is None
    assert observed_agreement({1: {"a": 1}}) is None


def test_observed_agreement_is_the_share_of_agreeing_pairs():
    units = {1: {"a": 1, "b": 1, "c": 2}, 2: {"a": 3, "b": 3}, 3: {"a": 1}}
    assert observed_agreement(units) == pytest.approx((1 / 3 + 1) / 2)


def test_overlap_matches_pairs_each_span_once():
    assert overlap_matches([(0, 10), (20, 30)], [(5, 25)]) == 1
    assert overlap_matches([(0, 10), (20, 30)], [(5, 8), (25, 40), (50, 60)]) == 2
    assert overlap_matches([(0, 10)], [(10, 20)]) == 0


def test_project_agreement_on_the_sample(tmp_project):
    build_sample(tmp_project)
    report = project_agreement(tmp_project)
    stance = next(t for t in report.tasks if t.task == "stance" and t.level == "article")
    assert stance.items == 2  # articles 1 and 2 have two annotators; 3 has one
    assert stance.observed == pytest.approx(0.5)
    ann_ben = stance.pairs[0]
    assert (ann_ben.a, ann_ben.b, ann_ben.items) == ("ann", "ben", 2)
    assert ann_ben.kappa == pytest.approx(cohen_kappa_score(["against", "in favour"], ["against", "neutral"]))
    units = {1: {"ann": 0, "ben": 0}, 2: {"ann": 1, "ben": 2}}
    assert stance.alpha == pytest.approx(krippendorff_alpha_nominal(units))
    topic = next(t for t in report.tasks if t.task == "topic")
    # economy: both yes on 1, both no on 2 -> full agreement; security: yes/no on 1, no/no on 2
    assert topic.option_alpha["economy"] == pytest.approx(1.0)
    matrix = np.array([[1, 0], [0, 0]], dtype=float)
    assert topic.option_alpha["security"] == pytest.approx(
        krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))
    quotes = report.quotes
    pair = quotes.pairs[0]
    # ann kept quote 1 and marked one of her own; ben kept quote 1 only (rejected quote 2)
    assert (pair.a_quotes, pair.b_quotes, pair.shared) == (2, 1, 1)
    assert pair.exact_f1 == pytest.approx(2 * 1 / 3)
    assert pair.speaker_observed == 0.0  # Li Wei vs Zhang Min
    assert report.lines()


def test_agreement_for_one_task(tmp_project):
    build_sample(tmp_project)
    report = project_agreement(tmp_project, "topic")
    assert [t.task for t in report.tasks] == ["topic"]
    assert report.to_dict()["tasks"][0]["kind"] == "multi"


def _random_project(project, seed: int):
    """Three coders label 40 articles at random (some left out, some with two topics or none ticked but
    marked done); one coder is missing from the annotators table."""
    from annotator.core.scheme import load_scheme
    from annotator.core.store import utc_now

    rng = random.Random(seed)
    scheme = load_scheme(project)
    now = utc_now()
    with project.write() as db:
        db["articles"].insert_all([{"id": i, "uid": f"u{i}", "text": "x", "imported_at": now} for i in range(1, 41)])
        db["annotators"].insert_all([{"name": n, "created_at": now} for n in ("ann", "ben")])
        for who in ("ann", "ben", "zoe"):
            for i in range(1, 41):
                if rng.random() < 0.25:
                    continue
                for task in scheme.at_level("article"):
                    k = rng.choice([0, 1, 1, 2]) if task.kind == "multi" else 1
                    for o in rng.sample(task.options, min(k, len(task.options))):
                        db["labels"].insert({"article_id": i, "annotator": who, "task_id": task.id,
                                             "option_id": o.id, "updated_at": now})
                db["article_status"].insert({"article_id": i, "annotator": who, "status": "labelled",
                                             "updated_at": now})
    return scheme


@pytest.mark.parametrize("seed", range(3))
def test_project_agreement_matches_the_reference_packages(tmp_project, seed):
    from annotator.core.agreement import task_units

    scheme = _random_project(tmp_project, seed)
    report = project_agreement(tmp_project)
    for task in scheme.at_level("article"):
        result = next(t for t in report.tasks if t.task == task.name and t.level == "article")
        units = task_units(tmp_project, task)
        assert result.annotators == ["ann", "ben", "zoe"]
        codes = {v: i for i, v in enumerate({v for u in units.values() for v in u.values()})}
        matrix = np.array([[codes[units[i][c]] if c in units[i] else np.nan for i in sorted(units)]
                           for c in ("ann", "ben", "zoe")], dtype=float)
        assert result.alpha == pytest.approx(
            krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"), abs=1e-9)
        for pair in result.pairs:
            both = [(u[pair.a], u[pair.b]) for u in units.values() if pair.a in u and pair.b in u]
            assert pair.items == len(both)
            assert pair.kappa == pytest.approx(
                cohen_kappa_score([str(a) for a, _ in both], [str(b) for _, b in both]), abs=1e-12)
        if task.kind == "multi":
            for option in task.options:
                yes_no = np.array([[float(option.id in units[i][c]) if c in units[i] else np.nan
                                    for i in sorted(units)] for c in ("ann", "ben", "zoe")])
                assert result.option_alpha[option.name] == pytest.approx(
                    krippendorff.alpha(reliability_data=yes_no, level_of_measurement="nominal"), abs=1e-9)


def test_a_name_registered_without_work_is_no_coder_in_progress(tmp_project):
    """The window registers the name it opens with; a person who then switches to their own name
    leaves that one behind, and it must not show as a coder."""
    from annotator.core import labels
    from annotator.core.agreement import annotator_progress

    build_sample(tmp_project)
    labels.ensure_annotator(tmp_project, "login-name")
    names = [p.annotator for p in annotator_progress(tmp_project)]
    assert "login-name" not in names and {"ann", "ben"} <= set(names)
