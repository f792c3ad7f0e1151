"""A colleague's file is untrusted: merge holds every row to the rules an import follows
(annotator.core.validate), lists what it refused by table and row id, merges the valid rest and
never grows the project beyond what the valid rows need."""

import shutil
import sqlite3

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core import validate
from annotator.core.merge import merge_project
from annotator.core.records import text_uid
from annotator.core.store import open_project, utc_now
from tests.fixtures.review.sample import build_sample

TEXT = 'Officials said "the port stays open" on Monday.'


def _colleague(path, rows: dict | None = None):
    """A valid small project, then raw rows written past every check (as a hostile file would be)."""
    project = open_project(path)
    build_sample(project)
    project.close()
    conn = sqlite3.connect(path)
    ids = {}
    for table, items in (rows or {}).items():
        for item in items:
            cols = ", ".join(f'"{c}"' for c in item)
            cur = conn.execute(f"INSERT OR IGNORE INTO {table} ({cols}) VALUES ({', '.join('?' * len(item))})",
                               list(item.values()))
            if cur.rowcount == 1:
                ids.setdefault(table, []).append(cur.lastrowid)
    conn.commit()
    conn.close()
    return ids


def _valid_project_problems(project) -> list[str]:
    """Every rule of the validation layer, checked over a whole project."""
    conn = project.conn
    out = []
    for table, column, what in (("annotators", "name", "annotator"), ("labels", "annotator", "annotator"),
                                ("quote_labels", "annotator", "annotator"),
                                ("article_status", "annotator", "annotator"),
                                ("tasks", "name", "task"), ("options", "name", "option"),
                                ("entities", "name", "entity"), ("aliases", "alias", "alias")):
        for (value,) in conn.execute(f"SELECT DISTINCT {column} FROM {table}"):
            if validate.check_name(value, what):
                out.append(f"{table}.{column} {value[:40]!r}: {validate.check_name(value, what)}")
    for article_id, uid, text in conn.execute("SELECT id, uid, text FROM articles"):
        problem = validate.check_article_text(text) or ("NUL in the text" if "\x00" in text else None)
        if problem or uid != text_uid(text):
            out.append(f"article {article_id}: {problem or 'uid is not the hash of its text'}")
    for qid, start, end, length in conn.execute(
            'SELECT q.id, q.start, q."end", length(a.text) FROM quotes q JOIN articles a ON a.id = q.article_id'):
        if validate.check_span(start, end, length):
            out.append(f"quote {qid}: {validate.check_span(start, end, length)}")
    for table, column, allowed in (("article_status", "status", validate.ARTICLE_STATUSES),
                                   ("quote_labels", "status", validate.VERDICTS),
                                   ("quotes", "origin", validate.ORIGINS),
                                   ("tasks", "kind", validate.TASK_KINDS), ("tasks", "level", validate.LEVELS)):
        for (value,) in conn.execute(f"SELECT DISTINCT {column} FROM {table}"):
            if value not in allowed:
                out.append(f"{table}.{column} {value!r}")
    for row in conn.execute(
            "SELECT l.article_id, ifnull(l.quote_id, 0), l.annotator, l.task_id FROM labels l JOIN tasks t "
            "ON t.id = l.task_id WHERE t.kind = 'single' GROUP BY 1, 2, 3, 4 HAVING count(*) > 1"):
        out.append(f"two options on a single-choice task: {row}")
    for row in conn.execute("SELECT l.id FROM labels l JOIN options o ON o.id = l.option_id "
                            "WHERE o.task_id != l.task_id"):
        out.append(f"label {row[0]} has an option of another task")
    if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        out.append("integrity_check failed")
    return out


def _listed(report, table, row_id) -> bool:
    return any(r.table == table and r.row_id == row_id for r in report.refused_rows)


def test_the_attackers_file_of_the_issue_is_refused_row_by_row(tmp_path, tmp_project):
    now = utc_now()
    huge_name = "A" * 1_000_000
    ids = _colleague(tmp_path / "c.db", {
        "articles": [{"uid": "x", "text": "y" * (validate.MAX_ARTICLE_CHARS + 1)},  # over the import limit
                     {"uid": "not-the-hash", "text": TEXT, "title": "fine"}],
        "labels": [{"article_id": 1, "annotator": huge_name, "task_id": 1, "option_id": 1, "updated_at": now}],
        "quotes": [{"article_id": 1, "start": 999999, "end": -5, "origin": "auto", "text": "x"},
                   {"article_id": 1, "start": 5, "end": 2, "origin": "auto"},
                   {"article_id": 1, "start": "zero", "end": 3, "origin": "auto"},
                   {"article_id": 1, "start": 0, "end": 3, "origin": "martian"}],
        "article_status": [{"article_id": 3, "annotator": "eve", "status": "hacked-status", "updated_at": now}],
    })
    conn = sqlite3.connect(tmp_path / "c.db")
    stance = conn.execute("SELECT id FROM tasks WHERE name = 'stance' AND level = 'article'").fetchone()[0]
    two = [r[0] for r in conn.execute("SELECT id FROM options WHERE task_id = ? LIMIT 2", [stance])]
    single = [conn.execute("INSERT INTO labels (article_id, annotator, task_id, option_id, updated_at) "
                           "VALUES (4, 'mal', ?, ?, ?)", [stance, o, now]).lastrowid for o in two]
    conn.commit()
    conn.close()
    size_before = (tmp_path / "c.db").stat().st_size
    report = merge_project(tmp_project, tmp_path / "c.db")
    assert report.refused is None
    big, hashless = ids["articles"]
    assert _listed(report, "articles", big)
    assert _listed(report, "labels", ids["labels"][0])
    assert all(_listed(report, "quotes", q) for q in ids["quotes"])
    assert _listed(report, "article_status", ids["article_status"][0])
    assert all(_listed(report, "labels", lab) for lab in single)
    assert report.refused_count["annotators"] == 1
    # the article whose uid was not its text's hash is merged under the right uid
    assert tmp_project.conn.execute("SELECT uid FROM articles WHERE text = ?", [TEXT]).fetchone()[0] == text_uid(TEXT)
    assert not tmp_project.conn.execute("SELECT 1 FROM articles WHERE uid = 'not-the-hash'").fetchone()
    assert _valid_project_problems(tmp_project) == []
    # the valid rest is there: the sample's four articles and their labels
    assert report.articles_added == 5 and report.labels_added > 0
    tmp_project.conn.execute("VACUUM")
    assert tmp_project.path.stat().st_size < size_before  # nothing of the 5 MB article, the 1 MB name
    lines = report.lines()
    assert all(len(line) < 600 for line in lines) and "refused" in "\n".join(lines)
    assert any("articles" in line and str(big) in line for line in lines)


def test_a_colleague_name_with_terminal_escapes_is_refused_and_never_printed(tmp_path, tmp_project):
    now = utc_now()
    evil = "bob\x1b]0;pwned\x07\x1b[2J\r\nmerge ok"
    _colleague(tmp_path / "c.db", {
        "labels": [{"article_id": 1, "annotator": evil, "task_id": 1, "option_id": 1, "updated_at": now}],
        "annotators": [{"name": "\u202eevil", "created_at": now}],
    })
    report = merge_project(tmp_project, tmp_path / "c.db")
    text = "\n".join(report.lines())
    assert "\x1b" not in text and "\r" not in text and "\u202e" not in text
    assert evil not in {r[0] for r in tmp_project.conn.execute("SELECT name FROM annotators")}
    assert _valid_project_problems(tmp_project) == []


def test_names_options_and_entities_of_a_colleague_are_checked(tmp_path, tmp_project):
    ids = _colleague(tmp_path / "c.db", {
        "tasks": [{"name": "bad\ttask", "kind": "single", "level": "article"},
                  {"name": "odd kind", "kind": "several", "level": "article"},
                  {"name": "ok task", "kind": "single", "level": "paragraph"}],
        "entities": [{"name": "Eve\x00", "norm": "eve", "kind": "person"},
                     {"name": "Mallory", "norm": "not the norm", "kind": "spy"},
                     {"name": "Trent", "norm": "whatever", "kind": "person"}],
    })
    conn = sqlite3.connect(tmp_path / "c.db")
    option = conn.execute("INSERT INTO options (task_id, name) VALUES (?, 'x')", [ids["tasks"][0]]).lastrowid
    conn.commit()
    conn.close()
    report = merge_project(tmp_project, tmp_path / "c.db")
    assert all(_listed(report, "tasks", t) for t in ids["tasks"])
    assert _listed(report, "options", option)
    assert _listed(report, "entities", ids["entities"][0]) and _listed(report, "entities", ids["entities"][1])
    norm = tmp_project.conn.execute("SELECT norm FROM entities WHERE name = 'Trent'").fetchone()[0]
    assert norm == "trent"  # recomputed, not read
    assert _valid_project_problems(tmp_project) == []


# --- fuzz: random bad rows in a colleague's file --------------------------------------------------

_BAD_TEXT = st.one_of(st.just("x" * (validate.MAX_NAME_CHARS + 1)), st.just("a\x1bb"), st.just(""), st.just("\n"),
                      st.just("  "), st.just("bob\r\n"), st.binary(max_size=4))
_BAD_INT = st.one_of(st.integers(min_value=-10**6, max_value=-1), st.integers(min_value=10**6, max_value=10**9),
                     st.just("seven"), st.just(1.5))


def _bad_row():
    now = utc_now()
    return st.one_of(
        st.builds(lambda n: ("labels", {"article_id": 1, "annotator": n, "task_id": 1, "option_id": 1,
                                        "updated_at": now}), _BAD_TEXT),
        st.builds(lambda o: ("labels", {"article_id": 1, "annotator": "zed", "task_id": 1, "option_id": o,
                                        "updated_at": now}), st.integers(10**5, 10**6)),
        st.builds(lambda a, b: ("quotes", {"article_id": 1, "start": a, "end": b, "origin": "auto"}), _BAD_INT,
                  _BAD_INT),
        st.builds(lambda s: ("article_status", {"article_id": 2, "annotator": "zed", "status": s,
                                                "updated_at": now}), st.text(max_size=8).filter(
                                                    lambda s: s not in validate.ARTICLE_STATUSES)),
        st.builds(lambda s: ("quote_labels", {"quote_id": 2, "annotator": "zed", "status": s, "updated_at": now}),
                  st.text(max_size=8).filter(lambda s: s not in validate.VERDICTS)),
        st.builds(lambda n: ("tasks", {"name": n, "kind": "single", "level": "article"}), _BAD_TEXT),
        st.builds(lambda n: ("entities", {"name": n, "norm": "n", "kind": "person"}), _BAD_TEXT),
        st.builds(lambda t: ("articles", {"uid": "u", "text": t}), st.one_of(
            st.just(""), st.just("   "), st.binary(min_size=1, max_size=4), st.just("\n\t "))),
        st.builds(lambda n: ("article_status", {"article_id": 2, "annotator": "zed", "status": "todo",
                                                "note": n, "updated_at": now}),
                  st.just("n" * (validate.MAX_NOTE_CHARS + 1))),
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bad=st.lists(_bad_row(), min_size=1, max_size=6), with_sample=st.booleans())
def test_fuzz_merge_refuses_every_bad_row_and_keeps_the_project_valid(tmp_path_factory, bad, with_sample):
    folder = tmp_path_factory.mktemp("fuzz")
    base = folder / "ours.db"
    ours = open_project(base)
    build_sample(ours)
    ours.close()
    snapshot = folder / "before.db"
    shutil.copy(base, snapshot)
    other = folder / "c.db"
    rows: dict = {}
    for table, row in bad:
        rows.setdefault(table, []).append(row)
    ids = _colleague(other, rows)
    if not with_sample:  # only the bad rows: take the sample's own rows out again
        conn = sqlite3.connect(other)
        for table in ("adjudications", "labels", "quote_labels", "article_status", "annotators"):
            keep = ids.get(table, [])
            conn.execute(f"DELETE FROM {table} WHERE rowid NOT IN ({','.join(map(str, keep)) or 'NULL'})")
        conn.commit()
        conn.close()
    project = open_project(base)
    try:
        counts = {t: project.db[t].count for t in ("articles", "labels", "quotes", "quote_labels", "article_status",
                                                   "tasks", "options", "entities", "annotators")}
        report = merge_project(project, other)
        assert report.refused is None
        for table, row_ids in ids.items():
            for row_id in row_ids:
                listed = _listed(report, table, row_id) or (table in ("labels", "quote_labels", "article_status")
                                                            and report.refused_count.get("annotators"))
                assert listed, (table, row_id, report.refused_rows)
        assert _valid_project_problems(project) == []
        if not with_sample:
            after = {t: project.db[t].count for t in counts}
            assert after == counts  # nothing of a file of bad rows came in
    finally:
        project.close()
