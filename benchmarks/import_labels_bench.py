"""import-labels against merge for the same labels, and the label lookup each row makes.

A colleague labels N articles (stance and topics, about 2.7 rows a label group); their labels come
in once by `merge` of their project and once by `import-labels` of their export, each into a fresh
copy of the same project. Before issue 14 import-labels looked up each row's labels with
`quote_id IS ?`, which the unique index on ifnull(quote_id, 0) cannot serve (8,012 rows: 47-85 s
against 2.6 s for the merge); the last lines time that lookup beside the one now used.

    .venv/bin/python benchmarks/import_labels_bench.py [--articles N]
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from pathlib import Path

from annotator.core import labels
from annotator.core.export import write_export
from annotator.core.import_labels import import_labels
from annotator.core.merge import merge_project
from annotator.core.records import text_uid
from annotator.core.scheme import load_scheme
from annotator.core.store import open_project, utc_now


def build(path: Path, n: int, annotators: tuple[str, ...], seed: int) -> None:
    rng = random.Random(seed)
    project = open_project(path)
    scheme = load_scheme(project)
    stance = next(t for t in scheme.tasks if t.name == "stance" and t.level == "article")
    topic = next(t for t in scheme.tasks if t.name == "topic")
    now = utc_now()
    texts = [f"Article {i}: the minister said talks would resume." for i in range(n)]
    with project.write() as db:
        db["articles"].insert_all({"id": i + 1, "uid": text_uid(t), "title": f"A {i}", "text": t, "imported_at": now}
                                  for i, t in enumerate(texts))
        rows = []
        for who in annotators:
            labels.ensure_annotator(project, who)
            for article_id in range(1, n + 1):
                rows.append({"article_id": article_id, "annotator": who, "task_id": stance.id,
                             "option_id": rng.choice(stance.options).id, "updated_at": now})
                for option in rng.sample(topic.options, rng.choice((1, 2))):
                    rows.append({"article_id": article_id, "annotator": who, "task_id": topic.id,
                                 "option_id": option.id, "updated_at": now})
        db["labels"].insert_all(rows, batch_size=10000)
    project.close()


EVE = "SELECT article_id, task_id, option_id FROM labels WHERE annotator = 'eve' ORDER BY 1, 2, 3"


def timed(fn):
    t0 = time.perf_counter()
    value = fn()
    return time.perf_counter() - t0, value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=3000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="import_labels_bench_"))
    try:
        base, other = folder / "base.db", folder / "colleague.db"
        build(base, args.articles, ("ann", "ben", "cleo"), 1)
        build(other, args.articles, ("eve",), 2)
        with open_project(other) as project:
            exported = write_export(project, folder / "eve.csv", annotator="eve")
            label_rows = project.db["labels"].count
        for name in ("merged.db", "imported.db"):
            shutil.copy(base, folder / name)
        with open_project(folder / "merged.db") as project:
            t_merge, report = timed(lambda: merge_project(project, other))
        with open_project(folder / "imported.db") as project:
            t_import, imported = timed(lambda: import_labels(project, folder / "eve.csv"))
            assert imported.ok, imported.problems[:3]
            rows = project.conn.execute(EVE).fetchall()
        with open_project(folder / "merged.db") as project:
            same = rows == project.conn.execute(EVE).fetchall()
        print(f"{label_rows:,} label rows of {exported.rows:,} articles: merge {t_merge:.2f} s, "
              f"import-labels {t_import:.2f} s (ratio {t_import / t_merge:.2f}); the same labels: {same}")
        with open_project(folder / "imported.db") as project:
            keys = [(a, "eve", t) for a, t in project.conn.execute(
                "SELECT DISTINCT article_id, task_id FROM labels WHERE annotator = 'eve'")]
            for name, sql in (("quote_id IS ? (before)", "quote_id IS ?"),
                              ("ifnull(quote_id, 0) = ? (now)", "ifnull(quote_id, 0) = ?")):
                t, _ = timed(lambda sql=sql: [project.conn.execute(
                    f"SELECT option_id FROM labels WHERE article_id = ? AND {sql} AND annotator = ? AND task_id = ?",
                    [a, None if "IS" in sql else 0, who, t]).fetchall() for a, who, t in keys])
                print(f"  lookup of {len(keys):,} label groups by {name}: {t:.3f} s")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
