"""Export, merge and agreement on 100,000 synthetic articles labelled by 3 annotators.

Prints each export level's time (as it runs, in parts on up to four processes, and in one
process) next to pandas `to_csv` of the same rows, the time to merge a
colleague's 100,000-article project (3 other annotators), and the agreement time.
Goals: export within 2x pandas, merge under 30 s, agreement under 2 s.

    .venv/bin/python benchmarks/review_bench.py [--articles N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

import pandas as pd

from annotator.core.agreement import project_agreement
from annotator.core.export import _export_parts, export_rows, write_export
from annotator.core.merge import merge_project
from annotator.core.records import text_uid
from annotator.core.scheme import load_scheme
from annotator.core.store import open_project, utc_now

ANNOTATORS = ("ann", "ben", "cleo")
WORDS = "the minister said trade talks would resume next week while critics warned of tariffs".split()


def build(path: Path, n: int, annotators=ANNOTATORS, seed: int = 1) -> None:
    rng = random.Random(seed)
    project = open_project(path)
    scheme = load_scheme(project)
    stance = next(t for t in scheme.tasks if t.name == "stance" and t.level == "article")
    topic = next(t for t in scheme.tasks if t.name == "topic")
    qstance = next(t for t in scheme.tasks if t.level == "quote")
    now = utc_now()
    db = project.db

    def articles():
        words = random.Random(0)  # the same texts in every project built, so a merge matches them by uid
        for i in range(1, n + 1):
            body = " ".join(words.choice(WORDS) for _ in range(40))
            text = f'"{body}," said Li Wei. {body} ({i})'
            yield {"id": i, "uid": text_uid(text), "title": f"Article {i}",
                   "outlet": rng.choice(["Daily", "Post", "=Wire"]),
                   "published": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", "url": f"https://example.org/{i}",
                   "text": text, "imported_at": now}

    def quotes():
        for i in range(1, n + 1):
            yield {"id": i, "article_id": i, "start": 0, "end": 120, "text": "quote", "speaker": "Li Wei",
                   "origin": "auto", "confidence": 0.9}

    def labels():
        for i in range(1, n + 1):
            truth = rng.choice(stance.options).id
            topics = rng.sample(topic.options, rng.choice((1, 1, 2)))
            for who in annotators:
                s = truth if rng.random() < 0.8 else rng.choice(stance.options).id
                yield {"article_id": i, "annotator": who, "task_id": stance.id, "option_id": s, "updated_at": now}
                chosen = topics if rng.random() < 0.7 else rng.sample(topic.options, 1)
                for o in chosen:
                    yield {"article_id": i, "annotator": who, "task_id": topic.id, "option_id": o.id, "updated_at": now}
                yield {"article_id": i, "quote_id": i, "annotator": who, "task_id": qstance.id,
                       "option_id": rng.choice(qstance.options).id, "updated_at": now}

    def statuses():
        for i in range(1, n + 1):
            for who in annotators:
                yield {"article_id": i, "annotator": who, "status": "labelled",
                       "note": "check, later" if i % 10 == 0 else None, "updated_at": now}

    def verdicts():
        for i in range(1, n + 1):
            for who in annotators:
                yield {"quote_id": i, "annotator": who, "status": rng.choice(["confirmed"] * 8 + ["rejected"]),
                       "updated_at": now}

    with project.write():
        db["articles"].insert_all(articles(), batch_size=5000)
        db["quotes"].insert_all(quotes(), batch_size=5000)
        db["annotators"].insert_all([{"name": a, "created_at": now} for a in annotators])
        db["labels"].insert_all(labels(), batch_size=10000)
        db["article_status"].insert_all(statuses(), batch_size=10000)
        db["quote_labels"].insert_all(verdicts(), batch_size=10000)
    project.close()


def timed(fn):
    t0 = time.perf_counter()
    value = fn()
    return time.perf_counter() - t0, value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="build the projects here and leave them")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="review_bench_"))
    folder.mkdir(parents=True, exist_ok=True)
    main_db, other_db = folder / "main.db", folder / "colleague.db"
    for p in folder.glob("*.db*"):
        if p.is_file():
            p.unlink()
    t, _ = timed(lambda: build(main_db, args.articles))
    print(f"built {args.articles:,} articles x {len(ANNOTATORS)} annotators in {t:.1f} s")
    build(other_db, args.articles, annotators=("dev", "eve", "fay"), seed=2)

    project = open_project(main_db)
    for level in ("article", "quote"):
        out = folder / f"{level}.csv"
        t_ours, result = timed(lambda level=level, out=out: write_export(project, out, level=level))
        os.environ["ANNOTATOR_EXPORT_PROCESSES"] = "1"
        t_one, _ = timed(lambda level=level, out=out: write_export(project, out.with_suffix(".one.csv"), level=level))
        del os.environ["ANNOTATOR_EXPORT_PROCESSES"]
        same = out.read_bytes() == out.with_suffix(".one.csv").read_bytes()
        rows = export_rows(project, level=level)
        frame = pd.DataFrame.from_records(list(rows.rows), columns=rows.columns)
        t_pandas, _ = timed(lambda frame=frame, out=out: frame.to_csv(out.with_suffix(".pandas.csv"), index=False))
        print(f"export {level:7s}: {result.rows:,} rows in {t_ours:.2f} s ({_export_parts()[0]} processes; one "
              f"process {t_one:.2f} s, same file: {same}); pandas to_csv of the same rows {t_pandas:.2f} s; "
              f"ratio {t_ours / t_pandas:.2f} (goal <= 2; one process {t_one / t_pandas:.2f})")
    t, report = timed(lambda: project_agreement(project))
    print(f"agreement: {t:.2f} s (goal < 2 s); stance alpha {report.tasks[0].alpha:.3f}")
    t, report = timed(lambda: merge_project(project, other_db))
    print(f"merge of a {args.articles:,}-article colleague project: {t:.1f} s (goal < 30 s); "
          f"{report.labels_added:,} label choices, {report.verdicts_added:,} verdicts added")
    t, report = timed(lambda: merge_project(project, other_db))
    print(f"merge again (nothing new): {t:.1f} s, changed {report.changed}")
    t, _ = timed(lambda: project_agreement(project))
    print(f"agreement with 6 annotators: {t:.2f} s")
    project.close()
    with sqlite3.connect(main_db) as conn:
        print("labels now:", conn.execute("SELECT count(*) FROM labels").fetchone()[0])
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
