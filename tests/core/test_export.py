"""Export files: every column of both levels, who is included, formats, Excel BOM and CSV injection."""

import csv
import json

import pandas as pd
import pytest

from annotator.core.adjudicate import set_adjudication
from annotator.core.csvsafe import neutralise, restore
from annotator.core.export import column_names, write_export
from annotator.core.scheme import load_scheme
from tests.fixtures.review.sample import TEXTS, build_sample

TOPICS = ["topic_economy", "topic_security", "topic_diplomacy", "topic_health", "topic_environment",
          "topic_migration", "topic_other"]


@pytest.fixture
def sample(tmp_project):
    ids = build_sample(tmp_project)
    return tmp_project, ids


def _read(path, **kw):
    return pd.read_csv(path, keep_default_na=False, dtype=str, **kw)


def test_article_columns_in_order(sample):
    project, _ = sample
    assert column_names(load_scheme(project), "article") == [
        "article_id", "uid", "title", "outlet", "published", "url", "annotator", "stance", "topics", *TOPICS,
        "note", "status", "labelled_at"]


def test_article_rows_one_per_article_and_annotator(sample, tmp_path):
    project, _ = sample
    out = tmp_path / "articles.csv"
    result = write_export(project, out)
    assert result.rows == 5
    df = pd.read_csv(out)  # no options at all
    assert list(df.columns) == result.columns
    assert list(zip(df.article_id, df.annotator, strict=True)) == [
        (1, "ann"), (1, "ben"), (2, "ann"), (2, "ben"), (3, "ann")]
    first = df.iloc[0]
    assert first.uid == project.db["articles"].get(1)["uid"]
    assert (first.title, first.outlet, first.published, first.url) == (
        "Article 1", "Daily Test", "2024-03-01", "https://example.org/1")
    assert first.stance == "against"
    assert first.topics == "economy; security"  # in the scheme's order, not the order ticked
    assert [int(first[c]) for c in TOPICS] == [1, 1, 0, 0, 0, 0, 0]
    assert first.status == "labelled"
    assert first.labelled_at.endswith("Z")
    ben2 = df.iloc[3]
    assert ben2.note == 'she said "no"\nthen left'  # quotes and a line break survive
    assert ben2.topics == "diplomacy; health"
    assert df.iloc[1].note == "plain note, with comma"
    assert df.iloc[4].status == "reviewed"
    assert pd.isna(df.iloc[4].topics) and df.iloc[4][TOPICS].sum() == 0


def test_python_csv_module_reads_the_same(sample, tmp_path):
    project, _ = sample
    out = tmp_path / "a.csv"
    write_export(project, out)
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == 6 and all(len(r) == len(rows[0]) for r in rows)
    assert out.read_bytes().count(b"\r\n") >= 6  # RFC 4180 line ends


def test_formula_like_cells_are_neutralised_by_default(sample, tmp_path):
    project, _ = sample
    out = tmp_path / "a.csv"
    write_export(project, out)
    df = _read(out)
    assert df.note[0] == "'=SUM(A1:A9)"
    assert df.title[2] == "'=HYPERLINK(\"x\")"
    assert df.outlet[4] == "'+Plus Times"
    assert df.note[4] == "'-minus"
    assert df.article_id[0] == "1"  # numbers are never touched


def test_no_neutralise_keeps_cells(sample, tmp_path):
    project, _ = sample
    out = tmp_path / "a.csv"
    write_export(project, out, neutralise=False)
    df = _read(out)
    assert (df.note[0], df.outlet[4], df.note[4]) == ("=SUM(A1:A9)", "+Plus Times", "-minus")


def test_neutralise_and_restore_are_inverse():
    for text in ["=1+1", "+x", "-3", "@a", "\tx", "\rx", "'=x", "''+y", "'plain", "plain", "", "'"]:
        assert restore(neutralise(text)) == text
    assert neutralise("'=x") == "''=x"
    assert neutralise("a=b") == "a=b"


def test_excel_adds_a_bom_and_pandas_still_reads_it(sample, tmp_path):
    project, _ = sample
    out = tmp_path / "a.csv"
    write_export(project, out, excel=True)
    assert out.read_bytes().startswith(b"\xef\xbb\xbfarticle_id,")
    assert list(pd.read_csv(out).columns)[0] == "article_id"
    plain = tmp_path / "b.csv"
    write_export(project, plain)
    assert plain.read_bytes().startswith(b"article_id,")


def test_one_annotator(sample, tmp_path):
    project, _ = sample
    out = tmp_path / "a.csv"
    assert write_export(project, out, annotator="ben").rows == 2
    assert set(_read(out).annotator) == {"ben"}
    assert write_export(project, out, annotator="nobody").rows == 0
    assert list(_read(out).columns)[0] == "article_id"


def test_jsonl(sample, tmp_path):
    project, _ = sample
    out = tmp_path / "a.jsonl"
    result = write_export(project, out, fmt="jsonl")
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == result.rows == 5
    assert records[0]["note"] == "=SUM(A1:A9)"  # JSON is never neutralised
    assert records[0]["topic_economy"] == 1 and records[0]["article_id"] == 1
    assert list(records[0]) == result.columns


def test_quote_level_columns_and_origins(sample, tmp_path):
    project, ids = sample
    out = tmp_path / "q.csv"
    result = write_export(project, out, level="quote")
    assert result.columns == ["article_id", "quote_id", "quote", "start", "end", "speaker", "entity_id",
                              "entity_name", "form", "content", "stance", "annotator", "origin"]
    df = pd.read_csv(out, keep_default_na=False, dtype={"entity_id": str})
    rows = {(r.quote_id, r.annotator): r for r in df.itertuples()}
    # the quotes each annotator checked: ben rejected 2, ann never looked at it
    assert set(rows) == {(1, "ann"), (1, "ben"), (ids["human_quote"], "ann")}
    write_export(project, out, level="quote", include_unchecked=True)
    df = pd.read_csv(out, keep_default_na=False, dtype={"entity_id": str})
    rows = {(r.quote_id, r.annotator): r for r in df.itertuples()}
    assert set(rows) == {(1, "ann"), (1, "ben"), (2, "ann"), (ids["human_quote"], "ann")}
    ann1, ben1 = rows[(1, "ann")], rows[(1, "ben")]
    assert (ann1.origin, ann1.speaker, ann1.entity_id, ann1.entity_name, ann1.stance) == (
        "confirmed", "Li Wei", "1", "Li Wei", "against")
    assert (ben1.origin, ben1.speaker, ben1.entity_id, ben1.entity_name, ben1.stance) == (
        "corrected", "Zhang Min", "2", "Zhang Min", "neutral")
    assert rows[(2, "ann")].origin == "auto"
    human = rows[(ids["human_quote"], "ann")]
    assert human.origin == "human"
    assert human.quote == TEXTS[0][human.start:human.end]
    assert (ann1.article_id, ann1.start, ann1.end, ann1.quote) == (1, 0, 21, TEXTS[0][0:21])


def test_quote_level_for_one_annotator_and_jsonl(sample, tmp_path):
    project, _ = sample
    out = tmp_path / "q.jsonl"
    write_export(project, out, level="quote", annotator="ben", fmt="jsonl")
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["quote_id"], r["origin"]) for r in records] == [(1, "corrected")]


def test_adjudicated_export_uses_adjudications_else_agreement(sample, tmp_path):
    project, ids = sample
    set_adjudication(project, 2, ids["stance"], "neutral", "zoe")
    set_adjudication(project, 1, ids["topic"], ["economy", "security"], "zoe")
    out = tmp_path / "adj.csv"
    write_export(project, out, adjudicated=True)
    df = _read(out).set_index("article_id")
    assert set(df.annotator) == {"adjudicated"}
    assert df.loc["1", "stance"] == "against"  # ann and ben agree
    assert df.loc["1", "topics"] == "economy; security"  # adjudicated
    assert (df.loc["1", "topic_economy"], df.loc["1", "topic_security"]) == ("1", "1")
    assert df.loc["2", "stance"] == "neutral"  # adjudicated
    assert df.loc["2", "topics"] == ""  # they differ, nobody adjudicated
    assert df.loc["3", "stance"] == "neutral"  # one annotator
    quotes = tmp_path / "adjq.csv"
    set_adjudication(project, 1, None, "Li Wei", "zoe", quote_id=1)
    write_export(project, quotes, level="quote", adjudicated=True)
    q = _read(quotes).set_index("quote_id")
    assert (q.loc["1", "speaker"], q.loc["1", "entity_name"], q.loc["1", "entity_id"]) == ("Li Wei", "Li Wei", "1")


def test_export_replaces_a_file_only_when_complete(sample, tmp_path):
    project, _ = sample
    out = tmp_path / "a.csv"
    out.write_text("old")
    write_export(project, out)
    assert out.read_text(encoding="utf-8").startswith("article_id")
    assert not list(tmp_path.glob("*.part"))


def test_topic_columns_right_when_option_ids_lie_far_apart(sample, tmp_path):
    """An option added long after the others (its id far from theirs) still gets its own 0/1 column."""
    from annotator.core import labels
    from annotator.core.scheme import add_option, add_task

    project, ids = sample
    filler = add_task(project, "filler", kind="multi")
    for i in range(70):
        add_option(project, filler, f"f{i}")
    late = add_option(project, ids["topic"], "sport")
    assert late - min(o.id for o in load_scheme(project).task(ids["topic"]).options) > 62
    labels.set_options(project, 3, "ann", ids["topic"], [late])
    write_export(project, tmp_path / "a.csv")
    frame = _read(tmp_path / "a.csv")
    row = frame[(frame.article_id == "3") & (frame.annotator == "ann")].iloc[0]
    assert row.topic_sport == "1" and row.topics == "sport" and row.topic_economy == "0"
    other = frame[(frame.article_id == "1") & (frame.annotator == "ann")].iloc[0]
    assert (other.topic_sport, other.topic_economy, other.topic_security) == ("0", "1", "1")


def test_sql_neutralising_matches_the_python_rule_on_every_kind_of_cell():
    """A cell neutralised by SQLite in a big export (text or empty) comes out as `neutralise` would have made it."""
    import sqlite3

    from annotator.core.csvsafe import neutralise, sql_neutralise

    values = [None, "", "A", "@home", "=1+1", "+33", "-5", "\tx", "\rx", "'=x", "''+x", "'plain", "'", "2024-01-02",
              ".5", "<b>", "=", "?", ">", "Über", "~", "[x]", "a=b", "é=", "\u00a0=x", ":x", ";x"]
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (v)")
    conn.executemany("INSERT INTO t VALUES (?)", [(v,) for v in values])
    got = [r[0] for r in conn.execute(f"SELECT {sql_neutralise('v')} FROM t ORDER BY rowid")]
    assert got == [neutralise(v) for v in values]


def test_quote_rows_of_an_annotator_whose_name_looks_like_a_formula(sample, tmp_path):
    """The annotator cell of quote rows is made safe like every other cell, and left alone on request."""
    from annotator.core import labels

    project, _ = sample
    labels.ensure_annotator(project, "=evil")
    labels.set_status(project, 1, "=evil", "labelled")  # worked on article 1: its detections, if unchecked ones
    safe = _read(write_export(project, tmp_path / "q.csv", level="quote", include_unchecked=True).path)
    raw = _read(write_export(project, tmp_path / "r.csv", level="quote", neutralise=False,
                             include_unchecked=True).path)
    assert "'=evil" in set(safe["annotator"]) and "=evil" not in set(safe["annotator"])
    assert "=evil" in set(raw["annotator"])


def test_a_detected_quote_replaced_by_an_annotators_own_is_left_out_of_their_rows(sample, tmp_path):
    project, ids = sample
    before = _read(write_export(project, tmp_path / "a.csv", level="quote").path)
    assert ("1", "ann") in set(zip(before["quote_id"], before["annotator"]))
    with project.write() as db:
        db.execute("UPDATE quotes SET replaces_id = 1 WHERE id = ?", [ids["human_quote"]])
    after = _read(write_export(project, tmp_path / "b.csv", level="quote").path)
    pairs = set(zip(after["quote_id"], after["annotator"]))
    assert ("1", "ann") not in pairs and ("1", "ben") in pairs
    assert len(after) == len(before) - 1


def test_adjudicated_export_says_where_each_value_comes_from(sample, tmp_path):
    """Read back with pandas: an unsettled task is empty (value and 0/1 columns), one coder is 'single'
    not 'agreed', and `<task>_source` names the source of every value."""
    from annotator.core import labels
    from tests.fixtures.review.sample import option

    project, ids = sample
    scheme = load_scheme(project)
    labels.set_choice(project, 4, "cleo", ids["stance"], option(scheme, "stance", "article", "against"))
    set_adjudication(project, 2, ids["stance"], "neutral", "zoe")
    out = tmp_path / "adj.csv"
    write_export(project, out, adjudicated=True)
    assert column_names(scheme, "article", adjudicated=True)[7:11] == ["stance", "stance_source", "topics",
                                                                        "topic_economy"]
    df = pd.read_csv(out).set_index("article_id")  # no options: what a researcher would type
    # article 1: stance agreed by ann and ben; topics differ and nobody settled them
    assert (df.loc[1, "stance"], df.loc[1, "stance_source"]) == ("against", "agreed")
    assert df.loc[1, "topics_source"] == "disputed" and pd.isna(df.loc[1, "topics"])
    assert df.loc[1, TOPICS].isna().all()  # not 0: nobody said "none of these"
    # article 2: stance adjudicated; topics differ
    assert (df.loc[2, "stance"], df.loc[2, "stance_source"]) == ("neutral", "adjudicated")
    assert df.loc[2, TOPICS].isna().all() and df.loc[2, "topics_source"] == "disputed"
    # article 3: only ann, who finished it choosing no topic: hers, and 'single'
    assert (df.loc[3, "stance"], df.loc[3, "stance_source"]) == ("neutral", "single")
    assert df.loc[3, "topics_source"] == "single" and (df.loc[3, TOPICS] == 0).all()
    # article 4: cleo's stance only, and she did not finish it: topics not coded at all
    assert (df.loc[4, "stance"], df.loc[4, "stance_source"]) == ("against", "single")
    assert pd.isna(df.loc[4, "topics_source"]) and df.loc[4, TOPICS].isna().all()
    set_adjudication(project, 1, ids["topic"], ["economy"], "zoe")
    write_export(project, out, adjudicated=True)
    df = pd.read_csv(out).set_index("article_id")
    assert df.loc[1, "topics_source"] == "adjudicated" and df.loc[1, "topics"] == "economy"
    assert df.loc[1, "topic_economy"] == 1 and df.loc[1, "topic_security"] == 0


def test_adjudicated_quote_export_has_sources_too(sample, tmp_path):
    project, _ = sample
    out = tmp_path / "adjq.csv"
    write_export(project, out, level="quote", adjudicated=True)
    q = pd.read_csv(out).set_index("quote_id")
    assert q.loc[1, "stance_source"] == "disputed" and pd.isna(q.loc[1, "stance"])  # ann against, ben neutral


def test_quote_export_leaves_out_detections_the_annotator_never_saw(sample, tmp_path):
    """An annotator who looked at one quote of an article with many gets one row, not one per detection
    under her name; --include-unchecked brings the others back, marked origin auto."""
    from annotator.core import annotate, labels

    project, _ = sample
    with project.write() as db:
        db["quotes"].insert_all({"article_id": 3, "start": i, "end": i + 3, "text": TEXTS[2][i:i + 3],
                                 "origin": "auto", "confidence": 0.7} for i in range(0, 40, 4))
    first = project.conn.execute("SELECT min(id) FROM quotes WHERE article_id = 3").fetchone()[0]
    labels.ensure_annotator(project, "alice")
    annotate.confirm_quote(project, first, "alice")
    out = tmp_path / "q.csv"
    write_export(project, out, level="quote", annotator="alice")
    df = pd.read_csv(out)
    assert list(zip(df.quote_id, df.origin, strict=True)) == [(first, "confirmed")]
    write_export(project, out, level="quote", annotator="alice", include_unchecked=True)
    df = pd.read_csv(out)
    assert len(df) == 10 and set(df.origin) == {"confirmed", "auto"}
