"""CSV lines built by SQLite (the fast export) are byte for byte what `csv.writer` writes for the rows.

`write_export` writes CSV from lines SQLite puts together (cells quoted, neutralised and joined in
the query, each article's and quote's own cells once); `export_rows` gives the same rows as
tuples. For every kind of awkward value, option layout and filter, both must give one file.
"""

import csv
import io
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core import annotate, export_part, labels
from annotator.core.export import ExportCancelled, csv_lines, export_rows, write_export
from annotator.core.scheme import add_option, add_task, load_scheme
from annotator.core.store import open_project, utc_now
from tests.fixtures.review.sample import build_sample, option


def _via_csv_module(project, **kw) -> str:
    rows = export_rows(project, **kw)
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(rows.columns)
    writer.writerows(rows.rows)
    return buf.getvalue()


def _written(project, path, **kw) -> str:
    write_export(project, path, **kw)
    return path.read_bytes().decode("utf-8")


def _awkward(project) -> None:
    """Values that need quoting, neutralising, both or neither, in every column that takes text."""
    build_sample(project)
    scheme = load_scheme(project)
    stance = next(t for t in scheme.tasks if t.name == "stance" and t.level == "article")
    topic = next(t for t in scheme.tasks if t.name == "topic")
    qstance = next(t for t in scheme.tasks if t.name == "stance" and t.level == "quote")
    with project.write() as db:
        db["articles"].insert_all([
            {"id": 5, "uid": "=uid,5", "title": 'Line one\nline "two"', "outlet": None, "published": "-2024",
             "url": "@x", "text": "Five.", "imported_at": utc_now()},
            {"id": 6, "uid": "u6", "title": "Über, café\r\nnaïve", "outlet": "\tTabbed", "published": None,
             "url": None, "text": "Six.", "imported_at": utc_now()},
            {"id": 7, "uid": "u7", "title": "'=already quoted", "outlet": "'plain", "published": "2024-07-01",
             "url": "https://example.org/7?a=1,b=2", "text": "Seven.", "imported_at": utc_now()},
        ])
        db["entities"].insert({"id": 3, "name": "=Formula, Inc.", "norm": "formula inc", "kind": "org"})
        db["quotes"].insert_all([
            {"id": 10, "article_id": 5, "start": 0, "end": 4, "text": '"Five," she said', "speaker": "-Minus",
             "entity_id": 3, "origin": "auto", "confidence": 0.5},
            {"id": 11, "article_id": 6, "start": 0, "end": 3, "text": "=1+1\nnext", "speaker": None,
             "entity_id": None, "origin": "auto", "confidence": 0.5},
            {"id": 12, "article_id": 6, "start": 0, "end": 2, "text": "same start", "speaker": "Li Wei",
             "entity_id": 1, "origin": "auto", "confidence": 0.5},
        ])
    for name in ("Smith, J.", '"Quoted"', "+plus", "Zoë"):
        labels.ensure_annotator(project, name)
    labels.set_choice(project, 5, "Smith, J.", stance.id, option(scheme, "stance", "article", "neutral"))
    labels.set_options(project, 5, "Smith, J.", topic.id, [o.id for o in topic.options])  # every topic
    labels.set_note(project, 5, "Smith, J.", "=cmd|' /C calc'!A0")
    labels.set_status(project, 5, '"Quoted"', "todo")  # a status with no labels: its own kind of row
    labels.set_note(project, 6, "+plus", "note, with comma")
    labels.set_choice(project, 6, "Zoë", stance.id, option(scheme, "stance", "article", "in favour"))
    labels.set_status(project, 6, "ann", "labelled")  # ann: labels on 1-3, only a status on 6
    labels.set_choice(project, 7, "ben", stance.id, option(scheme, "stance", "article", "against"))
    labels.set_choice(project, 6, "Zoë", qstance.id, option(scheme, "stance", "quote", "in favour"), quote_id=11)
    annotate.set_verdict(project, 10, "Smith, J.", {"status": "corrected", "speaker": "@Speaker, Jr.",
                                                    "entity_id": 3})
    annotate.reject_quote(project, 12, "Zoë")
    annotate.mark_quote(project, 7, 0, 5, "+plus")
    with project.write() as db:  # a hand-marked quote of no one
        db["quotes"].insert({"article_id": 7, "start": 1, "end": 3, "text": "ev", "origin": "human",
                             "annotator": None, "created_at": utc_now()})


@pytest.fixture
def awkward(tmp_project):
    _awkward(tmp_project)
    return tmp_project


@pytest.mark.parametrize("level", ["article", "quote"])
@pytest.mark.parametrize("neutralise", [True, False])
@pytest.mark.parametrize("annotator", [None, "ann", "Smith, J.", '"Quoted"', "nobody"])
@pytest.mark.parametrize("unchecked", [False, True])
def test_lines_are_what_the_csv_module_writes(awkward, tmp_path, level, neutralise, annotator, unchecked):
    kw = {"level": level, "neutralise": neutralise, "annotator": annotator, "include_unchecked": unchecked}
    written = _written(awkward, tmp_path / "x.csv", **kw)
    assert written == _via_csv_module(awkward, **kw)
    if annotator is None and (unchecked or level == "article"):
        assert written.count("\r\n") > 10  # the fixture gives rows of every kind


def test_the_fixture_has_rows_of_every_kind(awkward, tmp_path):
    """The comparisons above see statuses without labels, corrected speakers and quotes of no one."""
    articles = _written(awkward, tmp_path / "a.csv")
    quotes = _written(awkward, tmp_path / "q.csv", level="quote")
    assert '5,"\'=uid,5","Line one\nline ""two""",,\'-2024,\'@x,"""Quoted""",,,0,0,0,0,0,0,0,,todo,' in articles
    assert "economy; security; diplomacy; health; environment; migration; other,1,1,1,1,1,1,1" in articles
    # statuses without labels (+plus, ann) around labels (Zoë), in the order of the names' bytes
    rows = list(csv.DictReader(io.StringIO(articles, newline="")))
    assert [r["annotator"] for r in rows if r["article_id"] == "6"] == ["'+plus", "Zoë", "ann"]
    assert ('5,10,"""Five,"" she said",0,4,"\'@Speaker, Jr.",3,"\'=Formula, Inc.",direct,"""Five,"" she said",,'
            '"Smith, J.",corrected') in quotes
    assert quotes.endswith("7,13,Seven,0,5,,,,direct,Seven,,'+plus,human\r\n7,14,ev,1,3,,,,direct,ev,,,human\r\n")


@pytest.mark.parametrize("level", ["article", "quote"])
def test_tasks_the_fast_cells_cannot_take_fall_back_to_the_general_ones(awkward, tmp_path, level):
    """Option ids far apart, an option name ending in a space, a task with no options: the cells
    are then joined per row as before, and the file is still the same."""
    scheme = load_scheme(awkward)
    topic = next(t for t in scheme.tasks if t.name == "topic")
    qstance = next(t for t in scheme.tasks if t.name == "stance" and t.level == "quote")
    filler = add_task(awkward, "filler", kind="multi", level=level)
    for i in range(15):
        add_option(awkward, filler, f"f{i}")
    add_task(awkward, "empty", level=level)
    late = add_option(awkward, topic.id, "=late, option")
    spaced = add_option(awkward, qstance.id, "odd")
    with awkward.write() as db:
        db.execute("UPDATE options SET name = 'ends in space ' WHERE id = ?", [spaced])
    labels.set_options(awkward, 5, "Smith, J.", topic.id, [late, topic.options[0].id])
    labels.set_choice(awkward, 6, "Zoë", qstance.id, spaced, quote_id=11)
    chosen = [o.id for o in load_scheme(awkward).task(filler).options][::3]
    if level == "article":
        labels.set_options(awkward, 7, "ben", filler, chosen)
    else:
        labels.set_options(awkward, 6, "Zoë", filler, chosen, quote_id=11)
    for neutralise in (True, False):
        kw = {"level": level, "neutralise": neutralise}
        assert _written(awkward, tmp_path / "x.csv", **kw) == _via_csv_module(awkward, **kw)


def test_lines_without_an_annotator_or_labels(tmp_project, tmp_path):
    """An empty project and one with articles but no work give just the header, as before."""
    for level in ("article", "quote"):
        kw = {"level": level}
        assert _written(tmp_project, tmp_path / "x.csv", **kw) == _via_csv_module(tmp_project, **kw)
        assert list(csv_lines(tmp_project, level=level).rows) == []


TRICKY = st.text(alphabet=st.sampled_from(list("ab ,;\"'=+-@\t\r\n\u00e9\u4e2d0")), max_size=12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.one_of(st.none(), TRICKY), note=TRICKY, speaker=st.one_of(st.none(), TRICKY), name=TRICKY)
def test_any_text_gives_the_same_file(tmp_project, tmp_path, title, note, speaker, name):
    """Random cells from the characters that matter (separators, quotes, line breaks, formula starts)."""
    if not tmp_project.db["articles"].count:
        build_sample(tmp_project)
    with tmp_project.write() as db:
        db.execute("UPDATE articles SET title = ? WHERE id = 1", [title])
        db.execute("UPDATE quotes SET speaker = ? WHERE id = 1", [speaker])
        db.execute("UPDATE entities SET name = ? WHERE id = 1", [name])
        db.execute("UPDATE article_status SET note = ? WHERE article_id = 1 AND annotator = 'ann'", [note])
    for level in ("article", "quote"):
        for neutralise in (True, False):
            kw = {"level": level, "neutralise": neutralise}
            assert _written(tmp_project, tmp_path / "x.csv", **kw) == _via_csv_module(tmp_project, **kw)


# --- a big export in parts, each built by its own process ---------------------------------------


def _out(tmp_path):
    """A folder of its own for the files written (the project sits in tmp_path)."""
    out = tmp_path / "out"
    out.mkdir()
    return out


def _more_articles(project, n=60):
    """Enough articles that an export in three parts has rows in each."""
    scheme = load_scheme(project)
    stance = next(t for t in scheme.tasks if t.name == "stance" and t.level == "article")
    with project.write() as db:
        db["articles"].insert_all({"id": 100 + i, "uid": f"m{i}", "title": f"More, {i}", "text": "x",
                                   "imported_at": utc_now()} for i in range(n))
        db["quotes"].insert_all({"article_id": 100 + i, "start": 0, "end": 1, "text": f'"{i}"', "origin": "auto"}
                                for i in range(n))
        db["labels"].insert_all({"article_id": 100 + i, "annotator": who, "task_id": stance.id,
                                 "option_id": stance.options[i % len(stance.options)].id, "updated_at": utc_now()}
                                for i in range(n) for who in ("ann", "Zoë"))


@pytest.mark.parametrize("level", ["article", "quote"])
@pytest.mark.parametrize("annotator", [None, "Zoë"])
def test_an_export_in_parts_is_the_same_file(awkward, tmp_path, monkeypatch, level, annotator):
    _more_articles(awkward)
    tmp_path = _out(tmp_path)
    kw = {"level": level, "annotator": annotator}
    whole = _written(awkward, tmp_path / "one.csv", **kw)
    started = []
    real = export_part.Part.__init__
    monkeypatch.setattr(export_part.Part, "__init__", lambda self, *a: started.append(1) or real(self, *a))
    monkeypatch.setenv("ANNOTATOR_EXPORT_PROCESSES", "3")
    parted = _written(awkward, tmp_path / "three.csv", **kw)
    assert len(started) == 2  # this process and two children
    assert parted == whole == _via_csv_module(awkward, **kw)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.csv", "three.csv"]  # no pieces left
    write_export(awkward, tmp_path / "excel.csv", excel=True, **kw)  # one BOM, at the start
    assert (tmp_path / "excel.csv").read_bytes() == b"\xef\xbb\xbf" + whole.encode("utf-8")


def test_every_part_reads_the_file_as_it_was_when_the_export_began(awkward, tmp_path, monkeypatch):
    """A label saved while the parts run (here: while this process writes its part) is in none of them."""
    _more_articles(awkward)
    tmp_path = _out(tmp_path)
    monkeypatch.setenv("ANNOTATOR_EXPORT_PROCESSES", "2")
    expected = _via_csv_module(awkward)
    other = open_project(awkward.path)
    scheme = load_scheme(other)
    stance = next(t for t in scheme.tasks if t.name == "stance" and t.level == "article")

    def meanwhile():
        if not other.conn.execute("SELECT 1 FROM labels WHERE annotator = 'late'").fetchone():
            for article_id in (1, 159):  # one in each part
                labels.set_choice(other, article_id, "late", stance.id, stance.options[0].id)
        return False

    result = write_export(awkward, tmp_path / "x.csv", cancelled=meanwhile)
    assert (tmp_path / "x.csv").read_bytes().decode("utf-8") == expected
    assert ",late," not in expected and result.rows == len(list(csv.reader(io.StringIO(expected, newline="")))) - 1
    assert _written(awkward, tmp_path / "after.csv").count(",late,") == 2  # the next export has them
    other.close()


def test_cancelling_an_export_in_parts_leaves_no_file_and_no_process(awkward, tmp_path, monkeypatch):
    _more_articles(awkward)
    tmp_path = _out(tmp_path)
    monkeypatch.setenv("ANNOTATOR_EXPORT_PROCESSES", "3")
    parts = []
    real = export_part.Part.__init__
    monkeypatch.setattr(export_part.Part, "__init__", lambda self, *a: parts.append(self) or real(self, *a))
    with pytest.raises(ExportCancelled):
        write_export(awkward, tmp_path / "x.csv", cancelled=lambda: True)
    assert list(tmp_path.iterdir()) == []
    assert len(parts) == 2 and all(p.proc.returncode is not None for p in parts)


def test_when_no_part_can_start_this_process_writes_it_all(awkward, tmp_path, monkeypatch):
    _more_articles(awkward)
    tmp_path = _out(tmp_path)
    monkeypatch.setenv("ANNOTATOR_EXPORT_PROCESSES", "2")
    monkeypatch.setattr(export_part, "command", lambda: [sys.executable, "-c", "import sys; sys.exit(3)"])
    for level in ("article", "quote"):
        assert _written(awkward, tmp_path / "x.csv", level=level) == _via_csv_module(awkward, level=level)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.csv"]


def test_a_part_that_fails_midway_fails_the_export_and_keeps_the_old_file(awkward, tmp_path, monkeypatch):
    _more_articles(awkward)
    tmp_path = _out(tmp_path)
    out = tmp_path / "x.csv"
    out.write_text("old", encoding="utf-8")
    monkeypatch.setenv("ANNOTATOR_EXPORT_PROCESSES", "2")
    monkeypatch.setattr(export_part, "command", lambda: [sys.executable, "-c", "print('R', end='', flush=True); 1/0"])
    with pytest.raises(RuntimeError, match="an export process failed: ZeroDivisionError"):
        write_export(awkward, out)
    assert out.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.csv"]


def test_a_part_that_does_not_start_in_time_is_killed_and_this_process_writes_it_all(awkward, tmp_path, monkeypatch):
    """The exporting process holds the write lock while parts start, so it waits for them a bounded time."""
    _more_articles(awkward)
    tmp_path = _out(tmp_path)
    monkeypatch.setenv("ANNOTATOR_EXPORT_PROCESSES", "2")
    monkeypatch.setattr(export_part.Part.wait_ready, "__defaults__", (0.5,))  # not 20 s
    monkeypatch.setattr(export_part, "command", lambda: [sys.executable, "-c", "import time; time.sleep(30)"])
    parts = []
    real = export_part.Part.__init__
    monkeypatch.setattr(export_part.Part, "__init__", lambda self, *a: parts.append(self) or real(self, *a))
    assert _written(awkward, tmp_path / "x.csv") == _via_csv_module(awkward)
    assert len(parts) == 1 and parts[0].proc.returncode is not None  # killed, not left behind
    labels.set_status(awkward, 5, "ann", "labelled")  # the write lock was given back
