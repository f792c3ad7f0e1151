"""Two programs writing one project at once (the window open while `annotator import` or `annotator
merge` runs): neither sees "database is locked", and no write of either is lost."""

import json
import subprocess
import sys
import time

import pytest

from annotator.core import labels
from annotator.core.records import text_uid
from annotator.core.scheme import load_scheme
from annotator.core.store import open_project
from tests.paths import REPO

ROUNDS_AFTER_OTHER = 50  # labelling writes made after the other program finished, so the two overlap


def label_loop(path: str, annotator: str, minimum: int, stop_flag: str) -> None:
    """Child side: label like a person at the keyboard (as the GUI's commands do) until `stop_flag`
    exists and at least `minimum` rounds are done; prints what was written as JSON."""
    from pathlib import Path

    project = open_project(path)
    scheme = load_scheme(project, install_default=False)
    stance = scheme.stance_task()
    ids = [r[0] for r in project.conn.execute("SELECT id FROM articles ORDER BY id LIMIT 200")]
    final: dict[int, int] = {}
    rounds = after = 0
    while rounds < minimum or after < ROUNDS_AFTER_OTHER:
        article_id = ids[rounds % len(ids)]
        option = stance.options[rounds % len(stance.options)].id
        labels.set_choice(project, article_id, annotator, stance.id, option)
        labels.set_status(project, article_id, annotator, "labelled")
        final[article_id] = option
        rounds += 1
        if Path(stop_flag).exists():
            after += 1
    project.close()
    print(json.dumps({"rounds": rounds, "writes": rounds * 2, "final": final}))


def _labeler(path, annotator, minimum, stop_flag):
    code = (f"from tests.core.test_concurrency import label_loop; "
            f"label_loop({str(path)!r}, {annotator!r}, {minimum}, {str(stop_flag)!r})")
    return subprocess.Popen([sys.executable, "-c", code], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _cli(*args):
    return subprocess.Popen([sys.executable, "-m", "annotator", *map(str, args)], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(proc, timeout=300):
    out, err = proc.communicate(timeout=timeout)
    assert "locked" not in err.lower() and "busy" not in err.lower(), err
    assert proc.returncode == 0, err[-3000:]
    return out


def _check_labels(path, annotator, result):
    with open_project(path) as project:
        rows = dict(project.conn.execute(
            "SELECT article_id, option_id FROM labels WHERE annotator = ? AND quote_id IS NULL", [annotator]))
        statuses = project.conn.execute("SELECT count(*) FROM article_status WHERE annotator = ? AND status = "
                                        "'labelled'", [annotator]).fetchone()[0]
    assert rows == {int(k): v for k, v in result["final"].items()}
    assert statuses == len(result["final"])


@pytest.fixture
def labelled_project(tmp_path):
    path = tmp_path / "shared project.db"
    project = open_project(path)
    load_scheme(project)
    with project.write() as db:
        db["articles"].insert_all({"uid": text_uid(f"Base article {i}."), "title": f"Base {i}",
                                   "text": f"Base article {i}."}
                                  for i in range(200))
    project.close()
    return path


def _article_folder(folder, n):
    folder.mkdir()
    for i in range(n):
        (folder / f"story {i:04d}.txt").write_text(
            f"Story number {i}\n\nThe minister said on day {i}: \"We will act now.\" Critics were unsure "
            f"about plan {i}, said Anna Lind.\n", encoding="utf-8")


def test_import_while_labelling(labelled_project, tmp_path):
    folder = tmp_path / "incoming"
    _article_folder(folder, 1500)
    stop = tmp_path / "import done"
    labeler = _labeler(labelled_project, "ana", 100, stop)
    time.sleep(0.3)
    importer = _cli("import", labelled_project, folder, "--json")
    report = json.loads(_finish(importer))
    stop.touch()
    result = json.loads(_finish(labeler))
    assert report["articles_imported"] == 1500 and report["failed_files"] == 0
    assert report["quotes_detected"] > 0
    with open_project(labelled_project) as project:
        assert project.db["articles"].count == 1700
    _check_labels(labelled_project, "ana", result)
    assert result["writes"] >= 2 * (100 + ROUNDS_AFTER_OTHER)
    print(f"import of 1500 files while labelling: {result['writes']} label writes, none lost")


def test_two_labelers_at_once(labelled_project, tmp_path):
    stop = tmp_path / "stop"
    stop.touch()
    first = _labeler(labelled_project, "ana", 400, stop)
    second = _labeler(labelled_project, "björn", 400, stop)
    results = {"ana": json.loads(_finish(first)), "björn": json.loads(_finish(second))}
    for annotator, result in results.items():
        _check_labels(labelled_project, annotator, result)
    print(f"two labelers: {sum(r['writes'] for r in results.values())} writes, none lost")


def test_several_programs_create_the_same_new_project_at_once(tmp_path):
    path = tmp_path / "new.db"
    code = ("import sys\nfrom annotator.core.store import open_project\n"
            f"p = open_project({str(path)!r})\n"
            "with p.write() as db:\n"
            "    db['articles'].insert({'uid': sys.argv[1], 'title': 't', 'text': 'x ' + sys.argv[1]})\n")
    procs = [subprocess.Popen([sys.executable, "-c", code, f"u{i}"], cwd=REPO, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for i in range(4)]
    for proc in procs:
        _finish(proc)
    with open_project(path) as project:
        assert project.db["articles"].count == 4


def test_merge_while_labelling(labelled_project, tmp_path):
    pytest.importorskip("annotator.core.merge", reason="merge is not there yet")
    theirs = tmp_path / "colleague.db"
    project = open_project(theirs)
    stance = load_scheme(project).stance_task()
    with project.write() as db:
        db["articles"].insert_all({"uid": text_uid(f"Base article {i}."), "title": f"Base {i}",
                                   "text": f"Base article {i}."}
                                  for i in range(200))
        db["articles"].insert_all({"uid": text_uid(f"Their article {i}."), "title": f"Theirs {i}",
                                   "text": f"Their article {i}."}
                                  for i in range(3000))
    for article_id in range(1, 201):
        labels.set_choice(project, article_id, "carla", stance.id, stance.options[article_id % 3].id)
    project.close()

    stop = tmp_path / "merge done"
    labeler = _labeler(labelled_project, "ana", 100, stop)
    time.sleep(0.3)
    merge = _cli("merge", labelled_project, theirs)
    _finish(merge)
    stop.touch()
    result = json.loads(_finish(labeler))
    _check_labels(labelled_project, "ana", result)
    with open_project(labelled_project) as project:
        assert project.db["articles"].count == 3200
        carla = project.conn.execute("SELECT count(*) FROM labels WHERE annotator = 'carla'").fetchone()[0]
    assert carla == 200
    print(f"merge while labelling: {result['writes']} label writes and 3200 merged articles, none lost")
