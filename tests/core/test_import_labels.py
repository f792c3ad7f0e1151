"""Labels read back from CSV: the round trip is the identity; bad rows are named and nothing is applied."""

import csv

from annotator.core.export import write_export
from annotator.core.import_labels import import_labels
from annotator.core.store import open_project
from tests.fixtures.review.sample import build_sample


def _copy_articles(source, target):
    rows = list(source.db.query("SELECT * FROM articles"))
    with target.write() as db:
        db["articles"].insert_all(rows)


def _snapshot(project):
    return {
        "labels": sorted(project.conn.execute(
            "SELECT article_id, ifnull(quote_id, 0), annotator, task_id, option_id, updated_at FROM labels")),
        "status": sorted(project.conn.execute(
            "SELECT article_id, annotator, status, ifnull(note, ''), updated_at FROM article_status")),
    }


def test_export_then_import_into_the_same_project_changes_nothing(tmp_project, tmp_path):
    build_sample(tmp_project)
    out = tmp_path / "a.csv"
    write_export(tmp_project, out)
    before = _snapshot(tmp_project)
    report = import_labels(tmp_project, out)
    assert report.ok and report.rows == 5 and report.changed == 0
    assert _snapshot(tmp_project) == before


def test_round_trip_into_another_project_gives_the_same_export(tmp_project, tmp_path):
    build_sample(tmp_project)
    first = tmp_path / "first.csv"
    write_export(tmp_project, first)
    other = open_project(tmp_path / "other.db")
    _copy_articles(tmp_project, other)
    report = import_labels(other, first)
    assert report.ok, report.problems
    second = tmp_path / "second.csv"
    write_export(other, second)
    assert second.read_bytes() == first.read_bytes()
    for neutralised in (False,):
        plain = tmp_path / "plain.csv"
        write_export(tmp_project, plain, neutralise=neutralised, excel=True)
        third = open_project(tmp_path / "third.db")
        _copy_articles(tmp_project, third)
        assert import_labels(third, plain).ok
        again = tmp_path / "again.csv"
        write_export(third, again, neutralise=False, excel=True)
        assert again.read_bytes() == plain.read_bytes()
        third.close()
    other.close()


def test_quote_level_round_trip(tmp_project, tmp_path):
    build_sample(tmp_project)
    out = tmp_path / "q.csv"
    write_export(tmp_project, out, level="quote")
    tmp_project.conn.execute("DELETE FROM labels WHERE quote_id IS NOT NULL")
    tmp_project.conn.commit()
    report = import_labels(tmp_project, out)
    assert report.ok and report.level == "quote" and report.changed == 2
    again = tmp_path / "q2.csv"
    write_export(tmp_project, again, level="quote")
    assert again.read_bytes() == out.read_bytes()


def _write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def test_bad_rows_are_reported_by_number_and_nothing_is_applied(tmp_project, tmp_path):
    build_sample(tmp_project)
    before = _snapshot(tmp_project)
    uid1 = tmp_project.db["articles"].get(1)["uid"]
    path = tmp_path / "bad.csv"
    _write(path, ["article_id", "uid", "annotator", "stance", "topics"], [
        [1, uid1, "dora", "against", "economy"],  # fine on its own
        [99, "f" * 40, "dora", "against", ""],  # unknown article
        [1, uid1, "eli", "furious", ""],  # unknown option
        [1, uid1, "fay", "", "economy; weather"],  # unknown topic
        [1, uid1, "dora", "neutral", ""],  # same article and annotator as row 2
    ])
    report = import_labels(tmp_project, path)
    assert not report.ok
    text = "\n".join(report.problems)
    assert "row 3: no article with uid" in text
    assert "row 4: stance: no option 'furious'" in text
    assert "row 5: topics: no option 'weather'" in text
    assert "row 6: the same article and annotator as row 2" in text
    assert "row 2" not in text.replace("as row 2", "")
    assert _snapshot(tmp_project) == before
    assert "nothing imported" in report.summary()


def test_spreadsheet_file_with_annotator_option_and_topic_columns(tmp_project, tmp_path):
    build_sample(tmp_project)
    path = tmp_path / "sheet.csv"
    _write(path, ["article_id", "stance", "topic_health", "topic_economy", "note"], [
        [4, "unclear", 1, 0, "'=checked"],
        [3, "", 0, 1, ""],
    ])
    report = import_labels(tmp_project, path, annotator="gus")
    assert report.ok, report.problems
    rows = dict(tmp_project.conn.execute(
        "SELECT o.name, l.article_id FROM labels l JOIN options o ON o.id = l.option_id WHERE l.annotator = 'gus' "
        "AND l.article_id = 4"))
    assert set(rows) == {"unclear", "health"}
    assert tmp_project.conn.execute(
        "SELECT note FROM article_status WHERE annotator = 'gus' AND article_id = 4").fetchone()[0] == "=checked"
    assert "gus" in [r[0] for r in tmp_project.conn.execute("SELECT name FROM annotators")]


def test_missing_annotator_and_bad_flags(tmp_project, tmp_path):
    build_sample(tmp_project)
    path = tmp_path / "x.csv"
    _write(path, ["article_id", "stance"], [[1, "against"]])
    assert "annotator" in import_labels(tmp_project, path).problems[0]
    _write(path, ["article_id", "annotator", "topic_health"], [[1, "hal", "yes"]])
    assert import_labels(tmp_project, path).problems == ["row 2: topic_health: 'yes' is not 0 or 1"]
    path.write_bytes(b"article_id,annotator\n1,\xff\xfe\n")
    assert "UTF-8" in import_labels(tmp_project, path).problems[0]
