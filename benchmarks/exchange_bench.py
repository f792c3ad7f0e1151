"""REFI-QDA export and import of 10,000 synthetic articles labelled by 3 annotators, beside the CSV
export of the same project in the same run (the baseline), each step in a fresh process so its peak
memory is its own. Also the INCEpTION, brat and spaCy exports.

Articles are news-like (about 3,000 characters) with 4 detected quotes and 4 speaker mentions each,
linked to 300 entities; every annotator gives article stance, topics, a quote stance, a verdict on
every quote and a status (a note on every tenth). Goals: export < 10 s, import < 20 s, RSS < 500 MB.

    .venv/bin/python benchmarks/exchange_bench.py [--articles N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import FIRST, LAST, article  # noqa: E402

from annotator.core.scheme import load_scheme  # noqa: E402
from annotator.core.store import open_project, utc_now  # noqa: E402

ANNOTATORS = ("ann", "ben", "cleo")
QUOTES = 4


def build(path: Path, n: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    project = open_project(path)
    scheme = load_scheme(project)
    stance = next(t for t in scheme.tasks if t.name == "stance" and t.level == "article")
    topic = next(t for t in scheme.tasks if t.name == "topic")
    qstance = next(t for t in scheme.tasks if t.level == "quote")
    now = utc_now()
    conn = project.conn
    names = sorted({f"{f} {last}" for f in FIRST for last in LAST})[:300]
    with project.write() as db:
        db["entities"].insert_all([{"id": i, "name": name, "norm": name.lower(), "kind": "person"}
                                   for i, name in enumerate(names, 1)])
        db["annotators"].insert_all([{"name": a, "created_at": now} for a in ANNOTATORS])
        quote_id = mention_id = 0
        for i in range(1, n + 1):
            item = article(rng, i, target_chars=3000)
            text = item["text"]
            conn.execute("INSERT INTO articles (id, uid, title, outlet, published, url, text, imported_at) "
                         "VALUES (?,?,?,?,?,?,?,?)", [i, f"{i:040x}", item["title"], item["outlet"], item["published"],
                                                     item["url"], text, now])
            step = len(text) // QUOTES
            quote_rows, mention_rows = [], []
            for k in range(QUOTES):
                base = k * step
                entity = rng.randint(1, len(names))
                mention_id += 1
                mention_rows.append((mention_id, i, base, base + 12, text[base:base + 12], names[entity - 1], entity))
                quote_id += 1
                quote_rows.append((quote_id, i, base + 20, base + 20 + step // 2, text[base + 20:base + 20 + step // 2],
                                   names[entity - 1], entity, mention_id))
            conn.executemany('INSERT INTO mentions (id, article_id, start, "end", text, name, entity_id, kind, origin) '
                             "VALUES (?,?,?,?,?,?,?,'person','auto')", mention_rows)
            conn.executemany('INSERT INTO quotes (id, article_id, start, "end", text, speaker, entity_id, mention_id, '
                             "origin, confidence) VALUES (?,?,?,?,?,?,?,?,'auto',0.9)", quote_rows)
            labels, verdicts, statuses = [], [], []
            truth = rng.choice(stance.options).id
            for who in ANNOTATORS:
                labels.append((i, None, who, stance.id, truth if rng.random() < 0.8 else rng.choice(stance.options).id))
                for o in rng.sample(topic.options, rng.choice((1, 1, 2))):
                    labels.append((i, None, who, topic.id, o.id))
                labels.append((i, quote_rows[0][0], who, qstance.id, rng.choice(qstance.options).id))
                for q in quote_rows:
                    verdicts.append((q[0], who, "rejected" if rng.random() < 0.1 else "confirmed"))
                statuses.append((i, who, "labelled", "check, later" if i % 10 == 0 else None))
            conn.executemany("INSERT INTO labels (article_id, quote_id, annotator, task_id, option_id, updated_at) "
                             f"VALUES (?,?,?,?,?,'{now}')", labels)
            conn.executemany("INSERT INTO quote_labels (quote_id, annotator, status, updated_at) "
                             f"VALUES (?,?,?,'{now}')", verdicts)
            conn.executemany("INSERT INTO article_status (article_id, annotator, status, note, updated_at) "
                             f"VALUES (?,?,?,?,'{now}')", statuses)
    project.close()


def _step(name: str, project_path: str, out: str, queue) -> None:
    from annotator.core.exchange import export_exchange
    from annotator.core.exchange.qdpx_import import import_qdpx
    from annotator.core.export import write_export

    project = open_project(project_path)
    t0, c0 = time.perf_counter(), time.process_time()
    if name == "csv":
        what = f"{write_export(project, out).rows:,} rows"
    elif name == "import":
        report = import_qdpx(project, out)
        what = f"{report.articles_added:,} articles, {report.labels:,} labels, {report.quotes:,} quotes"
    else:
        what = export_exchange(project, name, out).summary().split(" written")[0]
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    project.close()
    queue.put((seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, f"{what}; CPU {cpu:.2f} s"))


def run(name: str, project_path: Path, out: Path) -> tuple[float, float, str]:
    """One step in a fresh (spawned) process: wall seconds, peak RSS in MB, what it did and its CPU
    seconds (on a shared machine the CPU time is the steadier figure)."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_step, args=(name, str(project_path), str(out), queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="build the projects here and leave them")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="exchange_bench_"))
    folder.mkdir(parents=True, exist_ok=True)
    for p in folder.iterdir():
        shutil.rmtree(p) if p.is_dir() else p.unlink()
    source, target = folder / "main.db", folder / "imported.db"
    t0 = time.perf_counter()
    build(source, args.articles)
    print(f"built {args.articles:,} articles x {len(ANNOTATORS)} annotators in {time.perf_counter() - t0:.1f} s")
    open_project(target).close()
    t_csv, rss_csv, what = run("csv", source, folder / "labels.csv")
    print(f"baseline CSV export (article rows): {t_csv:.2f} s, peak RSS {rss_csv:.0f} MB ({what})")
    t_out, rss_out, what = run("qdpx", source, folder / "project.qdpx")
    size = (folder / "project.qdpx").stat().st_size / 1024**2
    print(f"qdpx export: {t_out:.2f} s (goal < 10 s; {t_out / t_csv:.1f}x the CSV export), peak RSS {rss_out:.0f} MB "
          f"(goal < 500), {size:.0f} MB file ({what})")
    t_in, rss_in, what = run("import", target, folder / "project.qdpx")
    print(f"qdpx import into an empty project: {t_in:.2f} s (goal < 20 s; {t_in / t_csv:.1f}x the CSV export), "
          f"peak RSS {rss_in:.0f} MB (goal < 500) ({what})")
    for fmt, name in (("inception", "inception.zip"), ("brat", "brat.zip"), ("spacy", "train.jsonl")):
        t, rss, what = run(fmt, source, folder / name)
        print(f"{fmt} export: {t:.2f} s ({t / t_csv:.1f}x the CSV export), peak RSS {rss:.0f} MB ({what})")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
