"""Nested attributions beyond detection: stored overlapping, kept on re-runs, exported, compared, merged."""

import json

import pandas as pd
import pytest

from annotator.core import annotate, labels
from annotator.core.agreement import overlap_matches, project_agreement
from annotator.core.export import write_export
from annotator.core.importer import import_paths
from annotator.core.merge import merge_project
from annotator.core.quotes import run_detection
from annotator.core.store import open_project
from tests.paths import FIXTURES

NESTED = FIXTURES / "detect" / "nested.txt"
OUTER = "Mayor Ann Lee said the harbour tunnel would wait for the state grant"
INNER = "the harbour tunnel would wait for the state grant"


def _quotes(project):
    return list(project.db.query("SELECT * FROM quotes ORDER BY start, id"))


@pytest.fixture
def nested(tmp_project):
    import_paths(tmp_project, [NESTED], workers=1)
    rows = {q["content"]: q for q in _quotes(tmp_project)}
    return tmp_project, rows[OUTER], rows[INNER]


def test_both_nested_items_are_stored_each_with_its_speaker_and_cue(nested):
    project, outer, inner = nested
    assert outer["content_start"] < inner["content_start"] < inner["content_end"] == outer["content_end"]
    assert (outer["cue"].lower(), outer["speaker"]) == ("according to", "two council aides")
    assert (inner["cue"], inner["speaker"]) == ("said", "Ann Lee")
    assert outer["form"] == inner["form"] == "indirect"


def test_a_rerun_keeps_a_confirmed_outer_item_and_lays_the_inner_one_again(nested):
    project, outer, inner = nested
    labels.ensure_annotator(project, "ana")
    annotate.confirm_quote(project, outer["id"], "ana")
    report = run_detection(project, workers=1)
    assert report.kept == 1
    after = {q["content"]: q for q in _quotes(project)}
    assert after[OUTER]["id"] == outer["id"]
    assert after[INNER]["speaker"] == "Ann Lee"   # the nested attribution is found again beside the kept one
    assert sum(1 for q in _quotes(project) if q["content"] == INNER) == 1


def test_a_rerun_lays_no_second_reading_over_a_corrected_content(nested):
    """A person's narrower content for the same attribution (its cue outside both) is not doubled by the
    detector's wider one."""
    project, outer, inner = nested
    labels.ensure_annotator(project, "ana")
    text = project.db["articles"].get(inner["article_id"])["text"]
    start = text.index("the harbour tunnel would wait")
    annotate.mark_quote(project, inner["article_id"], start, start + len("the harbour tunnel would wait"), "ana",
                        form="indirect")
    with project.write() as db:   # the person's item replaces the detector's reading of Lee's words
        db.execute("DELETE FROM quotes WHERE id = ?", (inner["id"],))
    run_detection(project, workers=1)
    contents = [q["content"] for q in _quotes(project)]
    assert "the harbour tunnel would wait" in contents and INNER not in contents


def test_export_has_a_row_for_each_nested_item(nested, tmp_path):
    project, outer, inner = nested
    labels.ensure_annotator(project, "ana")
    annotate.confirm_quote(project, inner["id"], "ana")
    out = write_export(project, tmp_path / "q.csv", level="quote", include_unchecked=True)
    df = pd.read_csv(out.path, keep_default_na=False, dtype=str)
    assert {OUTER, INNER} <= set(df["content"])
    write_export(project, tmp_path / "q.jsonl", level="quote", fmt="jsonl", include_unchecked=True)
    records = [json.loads(line) for line in (tmp_path / "q.jsonl").read_text(encoding="utf-8").splitlines()]
    by_content = {r["content"]: r for r in records}
    assert by_content[INNER]["speaker"] == "Ann Lee" and by_content[OUTER]["form"] == "indirect"


def test_agreement_counts_nested_items_apart(nested):
    project, outer, inner = nested
    for name in ("ana", "ben"):
        labels.ensure_annotator(project, name)
    for q in (outer, inner):
        annotate.confirm_quote(project, q["id"], "ana")
    annotate.confirm_quote(project, outer["id"], "ben")
    annotate.set_verdict(project, inner["id"], "ben", {"status": "corrected", "speaker": "Tom Berg"})
    pair = project_agreement(project).quotes.forms["indirect"].pairs[0]
    assert (pair.a_quotes, pair.b_quotes, pair.shared) == (2, 2, 2)
    assert pair.speaker_observed == 0.5   # the outer speaker agreed, the inner one not
    # overlapping spans pair one to one: the outer does not take both of the other side's items
    assert overlap_matches([(0, 50), (10, 50)], [(0, 50), (10, 50)]) == 2
    assert overlap_matches([(0, 50), (10, 50)], [(10, 50)]) == 1


def test_merge_carries_both_nested_items(nested, tmp_path):
    project, outer, inner = nested
    labels.ensure_annotator(project, "ana")
    annotate.confirm_quote(project, outer["id"], "ana")
    annotate.confirm_quote(project, inner["id"], "ana")
    ours = open_project(tmp_path / "ours.db")
    try:
        report = merge_project(ours, project.path)
        assert report.refused is None
        merged = {q["content"]: q for q in _quotes(ours)}
        assert merged[OUTER]["speaker"] == "two council aides" and merged[INNER]["speaker"] == "Ann Lee"
        assert merged[INNER]["content_start"] > merged[OUTER]["content_start"]
    finally:
        ours.close()
