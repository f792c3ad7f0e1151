"""Team sync on a loopback PostgreSQL (scripts/pg-dev.sh): many annotators at once, and a big join.

1. 20 annotator processes, each labelling 1,000 articles and syncing every 50 labels, all at once:
   lost and doubled labels (goal 0 and 0), p50/p95 of one sync (push of 50 labels + pull of what the
   others sent meanwhile; goal p95 < 1 s), beside the baseline: a plain INSERT of 50 rows in one
   transaction on the same server while the annotators work.
2. A full join of a 100,000-article corpus (one detected quote and one mention per article; goal
   < 60 s), beside the baseline: COPY of the same rows out of the server into a plain SQLite table.
   The lead's upload (team init) is timed too, beside a plain COPY of the rows into the server.
3. Memory: the peak RSS of a sync process and of the join process, and the server's (the largest
   postgres backend, and all postgres processes together: shared buffers are counted in each).

Traffic goes to 127.0.0.1 only (another host is refused). Every loop is bounded.

    eval "$(scripts/pg-dev.sh)"
    .venv/bin/python benchmarks/team_bench.py [--annotators 20] [--articles 1000] [--every 50] [--corpus 100000]
        [--think-ms 0]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import psycopg  # noqa: E402
from psycopg.conninfo import conninfo_to_dict, make_conninfo  # noqa: E402

from annotator.core import labels  # noqa: E402
from annotator.core.scheme import load_scheme  # noqa: E402
from annotator.core.store import open_project, utc_now  # noqa: E402
from annotator.core.sync import KeptConnection, init_team, join_team, sync_project  # noqa: E402
from annotator.core.team import add_member, drop_team  # noqa: E402

WORDS = "the minister said trade talks would resume next week while critics warned of tariffs".split()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def server_rss_mb() -> tuple[float, float]:
    """(largest postgres process, all postgres processes) resident memory in MB, from /proc."""
    sizes = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/comm") as fh:
                if fh.read().strip() != "postgres":
                    continue
            with open(f"/proc/{pid}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        sizes.append(int(line.split()[1]) / 1024)
        except OSError:
            continue
    return (max(sizes, default=0.0), sum(sizes))


def loopback_only(dsn: str) -> dict:
    params = conninfo_to_dict(dsn)
    if params.get("host", "127.0.0.1") not in ("127.0.0.1", "localhost", "::1"):
        sys.exit(f"team_bench: refusing {params.get('host')!r}: this benchmark talks to 127.0.0.1 only")
    return params


def build_corpus(path: Path, n: int, seed: int = 1) -> None:
    """A lead's project: n articles, each with one detected quote and its speaker mention."""
    rng = random.Random(seed)
    project = open_project(path)
    load_scheme(project)
    now = utc_now()
    with project.write() as db:
        rows = []
        for i in range(1, n + 1):
            body = " ".join(rng.choice(WORDS) for _ in range(40))
            rows.append({"id": i, "uid": f"{i:040x}", "title": f"Article {i}", "outlet": "Daily",
                         "published": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", "url": f"https://example.org/{i}",
                         "text": f'"{body}," said Li Wei. {body}', "imported_at": now})
        db["articles"].insert_all(rows, batch_size=5000)
        quote_end = len(body) + 1
        db["mentions"].insert_all(({"id": i, "article_id": i, "start": quote_end + 8, "end": quote_end + 14,
                                    "text": "Li Wei", "name": "Li Wei", "kind": "person", "origin": "auto"}
                                   for i in range(1, n + 1)), batch_size=5000)
        db["quotes"].insert_all(({"article_id": i, "start": 1, "end": quote_end, "text": "...", "kind": "sentence",
                                  "speaker": "Li Wei", "mention_id": i, "confidence": 0.9, "origin": "auto",
                                  "detector_version": "bench"} for i in range(1, n + 1)), batch_size=5000)
    project.close()


class Team:
    """A fresh team on the server with logins whose passwords are in a pgpass file of our own."""

    def __init__(self, admin: str, folder: Path):
        self.admin, self.folder = admin, folder
        self.schema = "bench_" + uuid.uuid4().hex[:8]
        self.params = loopback_only(admin)
        self.passfile = folder / "pgpass"
        line = f"{self.params.get('host', '127.0.0.1')}:{self.params.get('port', 5432)}:{self.params.get('dbname')}"
        self.passfile.write_text(f"{line}:{self.params.get('user')}:{self.params.get('password', '')}\n")
        self.passfile.chmod(0o600)
        os.environ["PGPASSFILE"] = str(self.passfile)
        self.line = line

    def login(self, name: str) -> str:
        password = uuid.uuid4().hex
        member = add_member(self.admin, name, password, schema=self.schema)
        with open(self.passfile, "a") as fh:
            fh.write(f"{self.line}:{member.role}:{password}\n")
        params = {k: v for k, v in self.params.items() if k != "password"}
        params["user"] = member.role
        return make_conninfo(**params)

    def drop(self) -> None:
        drop_team(self.admin, self.schema)


# --- 1. many annotators at once ------------------------------------------------------------------


def worker(path: str, name: str, every: int, start_at: float, think_ms: float = 0.0) -> None:
    """One annotator: label every article once, syncing after every `every` labels; prints JSON."""
    project = open_project(path, create=False)
    stance = load_scheme(project, install_default=False).stance_task()
    ids = [r[0] for r in project.conn.execute("SELECT id FROM articles ORDER BY id")]
    rng = random.Random(name)
    while time.time() < start_at:  # bounded: all start together
        time.sleep(0.01)
    times, cpu, failed = [], [], 0
    kept = KeptConnection()  # as an open window keeps one for its syncs
    for n, article_id in enumerate(ids, start=1):
        labels.set_choice(project, article_id, name, stance.id, rng.choice(stance.options).id)
        if think_ms:
            time.sleep(think_ms / 1000)  # a person takes seconds; this is the reading time, much shortened
        if n % every == 0 or n == len(ids):
            started, cpu_started = time.perf_counter(), time.process_time()
            report = sync_project(project, keep=kept)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            failed += not report.ok
    kept.close()
    project.close()
    print(json.dumps({"times": times, "cpu": cpu, "failed": failed, "rss_mb": peak_rss_mb()}))


def baseline_inserts(admin: str, rows: int, rounds: int, stop: float) -> list[float]:
    """A plain INSERT of `rows` rows in one transaction, repeated while the annotators work."""
    out = []
    with psycopg.connect(admin, autocommit=True) as pg:
        table = "bench_plain_" + uuid.uuid4().hex[:8]
        pg.execute(f"CREATE TABLE {table} (article_uid text, annotator text, task text, options jsonb, "
                   "updated_at text, PRIMARY KEY (article_uid, annotator, task))")
        try:
            for r in range(rounds):
                if time.time() > stop:
                    break
                started = time.perf_counter()
                with pg.transaction():
                    with pg.cursor() as cur:
                        cur.executemany(f"INSERT INTO {table} VALUES (%s, %s, 'stance', '[\"for\"]', %s)",
                                        [(f"{r}-{i}", "base", utc_now()) for i in range(rows)])
                out.append(time.perf_counter() - started)
                time.sleep(0.05)
        finally:
            pg.execute(f"DROP TABLE {table}")
    return out


def many_annotators(admin: str, folder: Path, annotators: int, articles: int, every: int,
                    think_ms: float = 0.0) -> None:
    team = Team(admin, folder)
    lead = folder / "lead-many.db"
    build_corpus(lead, articles, seed=2)
    try:
        with open_project(lead) as project:
            assert init_team(project, admin, "lead", team.schema).ok
        paths = []
        for i in range(annotators):
            name = f"coder{i:02d}"
            path = folder / f"{name}.db"
            report = join_team(team.login(name), path, name, team.schema)
            assert report.ok, report.lines()
            paths.append((str(path), name))
        start_at = time.time() + 2.0
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        procs = [subprocess.Popen([sys.executable, __file__, "--worker", p, n, str(every), str(start_at),
                                   str(think_ms)],
                                  stdout=subprocess.PIPE, text=True, env=env) for p, n in paths]
        base = baseline_inserts(admin, every, 400, stop=time.time() + 600)
        server_peak = server_rss_mb()
        results = []
        for proc in procs:
            out, _ = proc.communicate(timeout=3600)
            results.append(json.loads(out.strip().splitlines()[-1]))
        times = sorted(t for r in results for t in r["times"])
        # once more each (nothing to send), so every project has received everyone's labels
        with open_project(paths[0][0]) as project:
            assert sync_project(project).ok
            local_others = project.conn.execute("SELECT count(*) FROM labels").fetchone()[0]
        with psycopg.connect(admin) as pg:
            on_server, keys = pg.execute(
                f'SELECT count(*), count(DISTINCT (article_uid, annotator, task_name)) FROM "{team.schema}".labels '
                "WHERE annotator LIKE 'coder%%'").fetchone()
        expected = annotators * articles
        print(f"\n{annotators} annotators x {articles} articles, a sync every {every} labels, all at once"
              + (f" ({think_ms:g} ms between labels)" if think_ms else " (labels as fast as the machine goes)"))
        print(f"  labels on the server {on_server:,} of {expected:,}: lost {expected - keys}, "
              f"doubled {on_server - keys}")
        print(f"  one annotator's project after a last sync holds {local_others:,} labels (expected {expected:,})")
        print(f"  failed syncs: {sum(r['failed'] for r in results)}")
        print(f"  sync (push {every} + pull): p50 {statistics.median(times) * 1000:.0f} ms, "
              f"p95 {times[int(len(times) * 0.95) - 1] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms "
              f"({len(times)} syncs; goal p95 < 1000 ms)")
        cpu = sorted(t for r in results for t in r["cpu"])
        print(f"  client CPU of one sync (does not grow with the machine's load): "
              f"p50 {statistics.median(cpu) * 1000:.0f} ms, "
              f"p95 {cpu[int(len(cpu) * 0.95) - 1] * 1000:.0f} ms; load average at the end "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        if base:
            base.sort()
            print(f"  baseline, plain INSERT of {every} rows in one transaction meanwhile: "
                  f"p50 {statistics.median(base) * 1000:.1f} ms, p95 {base[int(len(base) * 0.95) - 1] * 1000:.1f} ms")
        print(f"  sync process peak RSS: max {max(r['rss_mb'] for r in results):.0f} MB")
        print(f"  server RSS during the run: largest backend {server_peak[0]:.0f} MB, all postgres processes "
              f"{server_peak[1]:.0f} MB")
    finally:
        team.drop()


# --- 2. a big join -------------------------------------------------------------------------------


def join_process(dsn: str, path: str, name: str, schema: str) -> None:
    started = time.perf_counter()
    report = join_team(dsn, path, name, schema)
    print(json.dumps({"seconds": time.perf_counter() - started, "ok": report.ok, "rss_mb": peak_rss_mb(),
                      "pulled": dict(report.pulled)}))


def baseline_copy(admin: str, lead: Path, folder: Path) -> tuple[float, float]:
    """(seconds to COPY the corpus rows into a plain server table, seconds to COPY them out into a plain
    SQLite table): the least any upload and any join must do."""
    src = sqlite3.connect(lead)
    table = "bench_copy_" + uuid.uuid4().hex[:8]
    with psycopg.connect(admin, autocommit=True) as pg:
        pg.execute(f"CREATE TABLE {table} (uid text PRIMARY KEY, text text, fields jsonb)")
        try:
            started = time.perf_counter()
            with pg.transaction(), pg.cursor().copy(f"COPY {table} FROM STDIN") as copy:
                for uid, text, title, url in src.execute("SELECT uid, text, title, url FROM articles"):
                    copy.write_row((uid, text, json.dumps({"title": title, "url": url})))
            upload = time.perf_counter() - started
            started = time.perf_counter()
            out = sqlite3.connect(folder / "baseline.db")
            out.execute("CREATE TABLE articles (uid TEXT PRIMARY KEY, text TEXT, fields TEXT)")
            with pg.cursor().copy(f"COPY {table} TO STDOUT") as copy:
                out.executemany("INSERT INTO articles VALUES (?, ?, ?)", copy.rows())
            out.commit()
            out.close()
            download = time.perf_counter() - started
        finally:
            pg.execute(f"DROP TABLE {table}")
    src.close()
    return upload, download


def big_join(admin: str, folder: Path, corpus: int) -> None:
    team = Team(admin, folder)
    lead = folder / "lead-big.db"
    started = time.perf_counter()
    build_corpus(lead, corpus)
    print(f"\ncorpus of {corpus:,} articles (1 quote, 1 mention each) built in {time.perf_counter() - started:.1f} s")
    try:
        upload_base, join_base = baseline_copy(admin, lead, folder)
        started = time.perf_counter()
        with open_project(lead) as project:
            report = init_team(project, admin, "lead", team.schema)
        assert report.ok, report.lines()
        init_s = time.perf_counter() - started
        print(f"  team init (upload of everything): {init_s:.1f} s; baseline COPY of the article rows in: "
              f"{upload_base:.1f} s")
        dsn = team.login("joiner")
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        out = subprocess.run([sys.executable, __file__, "--join", dsn, str(folder / "joined.db"), "joiner",
                              team.schema], capture_output=True, text=True, env=env, timeout=3600)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        server = server_rss_mb()
        print(f"  join of the corpus: {result['seconds']:.1f} s (goal < 60 s); baseline COPY out into plain SQLite "
              f"{join_base:.1f} s; received {result['pulled']}")
        print(f"  join process peak RSS {result['rss_mb']:.0f} MB; server RSS after: largest backend "
              f"{server[0]:.0f} MB, all postgres processes {server[1]:.0f} MB")
    finally:
        team.drop()


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6]))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--join":
        join_process(*sys.argv[2:6])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dsn", default=os.environ.get("ANNOTATOR_TEST_PG"),
                        help="an administrator's DSN on 127.0.0.1 (default: $ANNOTATOR_TEST_PG)")
    parser.add_argument("--annotators", type=int, default=20)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--every", type=int, default=50)
    parser.add_argument("--corpus", type=int, default=100_000)
    parser.add_argument("--think-ms", type=float, default=0.0,
                        help="pause after each label (0: label as fast as the machine goes)")
    parser.add_argument("--skip-join", action="store_true")
    parser.add_argument("--skip-many", action="store_true")
    args = parser.parse_args()
    if not args.dsn:
        sys.exit("team_bench: no server: run `eval \"$(scripts/pg-dev.sh)\"` or pass --dsn")
    loopback_only(args.dsn)
    with tempfile.TemporaryDirectory(prefix="team-bench-") as tmp:
        folder = Path(tmp)
        if not args.skip_many:
            many_annotators(args.dsn, folder, args.annotators, args.articles, args.every, args.think_ms)
        if not args.skip_join:
            big_join(args.dsn, folder, args.corpus)


if __name__ == "__main__":
    main()
