"""One rule for the speaker and entity a quote shows: the window's article view, the CSV export and
the JSON lines export agree on every quote of every annotator, with confirmed, corrected and rejected
quotes from two annotators and quotes and verdicts brought in by a merge."""

from __future__ import annotations

import json

import pandas as pd

from annotator.core import annotate
from annotator.core.articles import get_article
from annotator.core.export import write_export
from annotator.core.merge import merge_project
from annotator.core.records import text_uid
from annotator.core.store import open_project
from tests.fixtures.review.sample import TEXTS, build_sample


def colleague(path):
    """dan's project: article 1 again, its detected quote corrected to a name with no entity, the
    second confirmed, and a quote of his own with a speaker."""
    with open_project(path) as project:
        db = project.db
        db["articles"].insert({"id": 1, "uid": text_uid(TEXTS[0]), "title": "Article 1", "text": TEXTS[0]})
        db["quotes"].insert_all([
            {"id": 1, "article_id": 1, "start": 0, "end": 21, "text": TEXTS[0][0:21], "speaker": "Li Wei",
             "origin": "auto", "confidence": 0.9},
            {"id": 2, "article_id": 1, "start": 37, "end": 56, "text": TEXTS[0][37:56], "speaker": "he",
             "origin": "auto", "confidence": 0.6},
        ])
        annotate.set_verdict(project, 1, "dan", {"status": "corrected", "speaker": "A Spokesman", "entity_id": None})
        annotate.confirm_quote(project, 2, "dan")
        own = annotate.mark_quote(project, 1, 65, 87, "dan")
        annotate.set_verdict(project, own, "dan", {"status": "corrected", "speaker": "Li Wei", "entity_id": None})
    return path


def window_view(project, annotator):
    """{(quote id): (speaker, entity id)} as the window shows the annotator's kept quotes."""
    out = {}
    for (article_id,) in project.conn.execute("SELECT id FROM articles"):
        for q in get_article(project, article_id, annotator).quotes:
            if q["status"] != "rejected":
                out[q["id"]] = (q["shown_speaker_text"] or None, q["shown_entity_id"])
    return out


def test_window_csv_and_jsonl_show_the_same_speaker_and_entity(tmp_project, tmp_path):
    build_sample(tmp_project)
    report = merge_project(tmp_project, colleague(tmp_path / "dan.db"))
    assert report.refused is None and "dan" in report.annotators
    csv_path, jsonl_path = tmp_path / "q.csv", tmp_path / "q.jsonl"
    write_export(tmp_project, csv_path, level="quote", include_unchecked=True)
    write_export(tmp_project, jsonl_path, level="quote", fmt="jsonl", include_unchecked=True)
    frame = pd.read_csv(csv_path, keep_default_na=False, dtype=str)
    records = [json.loads(line) for line in jsonl_path.read_text(encoding="utf-8").splitlines()]
    statuses = set()
    for who in ("ann", "ben", "dan"):
        shown = window_view(tmp_project, who)
        rows = frame[frame.annotator == who]
        from_csv = {int(r.quote_id): (r.speaker or None, int(r.entity_id) if r.entity_id else None)
                    for r in rows.itertuples()}
        from_jsonl = {r["quote_id"]: (r["speaker"], r["entity_id"]) for r in records if r["annotator"] == who}
        assert from_csv == from_jsonl
        assert from_csv and set(from_csv) <= set(shown)
        assert {q: shown[q] for q in from_csv} == from_csv, who
        statuses |= set(rows.origin)
    assert {"confirmed", "corrected", "human"} <= statuses
    # the corrections show as corrected everywhere: ben's entity, dan's name with no entity
    assert window_view(tmp_project, "ben")[1] == ("Zhang Min", 2)
    assert window_view(tmp_project, "dan")[1] == ("A Spokesman", None)
    assert 2 not in window_view(tmp_project, "ben")  # ben rejected it: in no view of his
