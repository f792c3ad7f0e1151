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
