"""Reported speech beyond detection: hand-marked and corrected, exported, compared between annotators, merged."""

import json

import pandas as pd
import pytest

from annotator.core import annotate, labels
from annotator.core.agreement import project_agreement
from annotator.core.export import write_export
from annotator.core.importer import import_paths
from annotator.core.merge import merge_project
from annotator.core.scheme import load_scheme
from annotator.core.store import open_project
from tests.fixtures.review.sample import option, task_id
from tests.paths import FIXTURES

THREE_FORMS = FIXTURES / "detect" / "three_forms.txt"


def _quotes(project, form=None):
    sql = "SELECT * FROM quotes" + (" WHERE form = ?" if form else "") + " ORDER BY start"
    return list(project.db.query(sql, [form] if form else []))


@pytest.fixture
def three(tmp_project):
    import_paths(tmp_project, [THREE_FORMS], workers=1)
    article_id = _quotes(tmp_project)[0]["article_id"]
    text = tmp_project.db["articles"].get(article_id)["text"]
    return tmp_project, article_id, text


def test_mark_reported_speech_by_hand(three):
    project, article_id, text = three
    clause = 'the first plan was "a fairy tale" and should never have been approved'
    start = text.index(clause)
    qid = annotate.mark_quote(project, article_id, start, start + len(clause), "ana", form="mixed")
    row = project.db["quotes"].get(qid)
    assert (row["form"], row["content"], row["text"]) == ("mixed", clause, "a fairy tale")
    assert row["content_start"] == start and row["content_end"] == start + len(clause)
    qid = annotate.mark_quote(project, article_id, start, start + 18, "ana", form="indirect")
    row = project.db["quotes"].get(qid)
    assert row["text"] == row["content"] == "the first plan was" and row["open_mark"] == ""
    with pytest.raises(ValueError, match="form must be one of"):
        annotate.mark_quote(project, article_id, start, start + 5, "ana", form="quote")


def test_quote_export_has_form_and_content_columns_in_csv_and_jsonl(three, tmp_path):
    project, article_id, text = three
    indirect = _quotes(project, "indirect")[0]
    scheme = load_scheme(project)
    labels.ensure_annotator(project, "ana")
    annotate.confirm_quote(project, indirect["id"], "ana")
    labels.set_choice(project, article_id, "ana", task_id(scheme, "stance", "quote"),
                      option(scheme, "stance", "quote", "against"), quote_id=indirect["id"])
    out = write_export(project, tmp_path / "q.csv", level="quote", include_unchecked=True)
    df = pd.read_csv(out.path, keep_default_na=False, dtype=str)
    assert {"form", "content"} <= set(df.columns)
    assert set(df["form"]) == {"direct", "mixed", "indirect"}
    row = df[df["quote_id"] == str(indirect["id"])].iloc[0]
    assert (row["form"], row["content"], row["stance"], row["origin"]) == (
        "indirect", indirect["content"], "against", "confirmed")
    mixed = df[df["form"] == "mixed"].iloc[0]
    assert mixed["quote"] == "a fairy tale" and '"a fairy tale"' in mixed["content"]
    write_export(project, tmp_path / "q.jsonl", level="quote", fmt="jsonl", include_unchecked=True)
    records = [json.loads(line) for line in (tmp_path / "q.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["form"] for r in records} == {"direct", "mixed", "indirect"}
    assert all(r["content"] for r in records)


def test_agreement_is_reported_per_form(three):
    project, article_id, text = three
    for name in ("ana", "ben"):
        labels.ensure_annotator(project, name)
    direct = _quotes(project, "direct")[0]
    indirect = _quotes(project, "indirect")
    for q in (direct, *indirect):
        annotate.confirm_quote(project, q["id"], "ana")
    annotate.confirm_quote(project, direct["id"], "ben")
    annotate.confirm_quote(project, indirect[0]["id"], "ben")
    annotate.set_verdict(project, indirect[0]["id"], "ben", {"status": "corrected", "speaker": "Tom Berg"})
    report = project_agreement(project)
    forms = report.quotes.forms
    assert set(forms) == {"direct", "indirect"}
    d, i = forms["direct"].pairs[0], forms["indirect"].pairs[0]
    assert (d.a_quotes, d.b_quotes, d.shared, d.speaker_observed) == (1, 1, 1, 1.0)
    assert (i.a_quotes, i.b_quotes, i.shared) == (len(indirect), 1, 1)
    assert i.speaker_observed == 0.0   # Ann Lee / Tom Berg
    assert any(line.strip().startswith("indirect:") for line in report.lines())
    assert report.to_dict()["quotes"]["forms"]["indirect"]["shared_quotes"] == 1


def test_merge_carries_form_and_content(three, tmp_path):
    project, article_id, text = three
    labels.ensure_annotator(project, "ana")
    clause = "the tunnel would open in May"
    start = text.index(clause)
    mine = annotate.mark_quote(project, article_id, start, start + len(clause), "ana", form="indirect")
    annotate.confirm_quote(project, _quotes(project, "mixed")[0]["id"], "ana")
    ours = open_project(tmp_path / "ours.db")
    try:
        report = merge_project(ours, project.path)
        assert report.refused is None
        rows = {(q["start"], q["end"], q["origin"]): q for q in _quotes(ours)}
        theirs = project.db["quotes"].get(mine)
        merged = rows[(theirs["start"], theirs["end"], "human")]
        assert (merged["form"], merged["content"], merged["annotator"]) == ("indirect", clause, "ana")
        assert {q["form"] for q in _quotes(ours)} == {"direct", "mixed", "indirect"}
        for q in _quotes(ours):
            assert q["content_start"] <= q["start"] <= q["end"] <= q["content_end"]
    finally:
        ours.close()


def test_merge_refuses_a_quote_with_a_bad_form(three, tmp_path):
    project, article_id, text = three
    with project.write() as db:
        db.execute("UPDATE quotes SET form = 'rumour' WHERE form = 'indirect'")
    ours = open_project(tmp_path / "ours.db")
    try:
        report = merge_project(ours, project.path)
        assert any("quote form" in r.reason for r in report.refused_rows if r.table == "quotes")
        assert "rumour" not in {q["form"] for q in _quotes(ours)}
    finally:
        ours.close()


def test_adjudication_shows_the_form_and_settles_the_speaker_of_reported_speech(three):
    from annotator.core.adjudicate import disagreements, item_side_by_side, set_adjudication

    project, article_id, text = three
    indirect = _quotes(project, "indirect")[0]
    for name, speaker in (("ana", "Ann Lee"), ("ben", "Tom Berg")):
        labels.ensure_annotator(project, name)
        annotate.set_verdict(project, indirect["id"], name, {"status": "corrected", "speaker": speaker})
    view = item_side_by_side(project, article_id)
    shown = next(q for q in view["quotes"] if q["id"] == indirect["id"])
    assert (shown["form"], shown["content"]) == ("indirect", indirect["content"])
    assert shown["speakers"] == {"ana": "Ann Lee", "ben": "Tom Berg"}
    speaker_items = [d for d in disagreements(project) if d.quote_id == indirect["id"]]
    assert speaker_items and speaker_items[0].values == {"ana": "ann lee", "ben": "tom berg"}   # folded
    set_adjudication(project, article_id, None, "ann lee", "zoe", quote_id=indirect["id"])
    assert [d.adjudicated for d in disagreements(project) if d.quote_id == indirect["id"]] == ["ann lee"]
