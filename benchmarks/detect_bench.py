"""Speed of quote detection on real news, each figure beside the same run's baseline.

    python benchmarks/detect_bench.py [--corpus DIR] [--runs 5] [--profile] [--skip-import]

The corpus is ../shared/corpus/polnear-train/text/ when present (840 real political news
articles), else a seeded synthetic corpus of about 4 MB written to a temporary folder. Figures:

- detect(): MB/s per core of the default detector, as CPU time, best of --runs runs, beside
  reading and decoding the same files (the importer's reader, no detection).
- `annotator quotes FILES --jsonl` as a whole process, MB/s of input on one core (pinned with
  taskset where there is one) and on two, beside a process that starts, reads and decodes the
  same files and detects nothing.
- `annotator import` with detection, articles/s, beside `annotator import --no-detect`, and the CPU
  of the storing (main) process beside that of the reader processes.
- start-up: `annotator --version`, `annotator quotes` on one file and the window's start to a shown
  window (offscreen; the app's own ANNOTATOR_EXIT_AFTER_SHOW timer), best of several runs, each beside
  `python -c pass`; `quotes` with the compiled-pattern cache (core/patterncache) and without it.
- --profile: the top functions of detect() by own time (cProfile).

MB are 10^6 bytes of the files as stored. Figures only; no assertions. The processes it starts run
with byte code (as an installed app has: PYTHONDONTWRITEBYTECODE is dropped for them and their
__pycache__ goes to a temporary folder), and with a pattern cache of their own in that folder.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

POLNEAR = REPO.parent / "shared" / "corpus" / "polnear-train" / "text"

FIRST = ["Anna", "Peter", "Maria", "John", "Sarah", "David", "Elena", "Tom", "Grace", "Omar"]
LAST = ["Berger", "Costa", "Novak", "Lind", "Okafor", "Whitfield", "Brandt", "Aalto", "Mendes", "Reyes"]
ROLES = ["Finance Minister", "city council spokeswoman", "Sen.", "Gov.", "union leader", "Police Chief"]
ORGS = ["the transport ministry", "Norway's foreign ministry", "the city council", "the statement"]
VERBS = ["said", "told reporters", "added", "insisted", "warned", "wrote"]
CLAUSES = ["the plan will cost more than expected", "we have done everything we could",
           "nobody in this town wants another delay", "the numbers do not lie",
           "our members are tired of waiting", "this is only the beginning"]
FILLER = ["The council met on Tuesday to discuss the budget for next year.",
          "Officials did not say when the bridge would reopen.",
          "Traffic on the main road was slow for most of the day, and the Joneses' shop stayed shut.",
          "Residents who don't drive said buses in the '90s ran more often.",
          "The so-called \"green corridor\" has been debated for a decade.",
          "A report released last month found that costs had doubled since 2019."]


def paragraph(rng: random.Random) -> str:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    clause = rng.choice(CLAUSES)
    style = rng.randrange(24)   # about a third of paragraphs quote someone, as in real news
    if style == 0:
        return f'"{clause.capitalize()}," {rng.choice(ROLES)} {name} {rng.choice(VERBS)}.'
    if style == 1:
        return f"\u201c{clause.capitalize()},\u201d said {name}, who has lived here for years."
    if style == 2:
        return f"'{clause.capitalize()},' {name.split()[1]} said on Monday."
    if style == 3:
        return f"{name} {rng.choice(VERBS)}: \u00ab{clause.capitalize()}.\u00bb"
    if style == 4:
        return f"''{clause.capitalize()},'' {rng.choice(ORGS)} said."
    if style == 5:
        return f'"{clause.capitalize()}," she said, "and {rng.choice(CLAUSES)}."'
    if style == 6:
        return f"{name} said:\n\n\u201c{clause.capitalize()}.\n\n\u201c{rng.choice(CLAUSES).capitalize()}.\u201d"
    if style == 7:
        return f"According to {rng.choice(ORGS)}, the project is \u201c{clause}\u201d."
    return " ".join(rng.choice(FILLER) for _ in range(rng.randint(2, 4)))


def synthetic_article(rng: random.Random, size: int = 5000) -> str:
    parts, length = [], 0
    while length < size:
        p = paragraph(rng)
        parts.append(p)
        length += len(p) + 2
    return "Headline of a made-up article\n\n" + "\n\n".join(parts)[:size]


def write_synthetic(folder: Path, megabytes: float = 4.0) -> list[Path]:
    rng = random.Random(7)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(int(megabytes * 1_000_000 / 5000)):
        path = folder / f"article{i:05d}.txt"
        path.write_text(synthetic_article(rng), encoding="utf-8")
        paths.append(path)
    return paths


def read_texts(paths: list[Path]) -> list[str]:
    """What the importer's reader makes of the files (decoding, newlines, boilerplate): article texts."""
    from annotator.core.ingest import read_paths

    return [a.text for _, articles, _ in read_paths([str(p) for p in paths]) for a in articles]


def best_cpu(fn, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def best_wall(cmd: list[str], runs: int, env: dict | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and the processes it started), each the best of runs.
    On a loaded machine the CPU figure is the one that holds."""
    best, best_cpu = float("inf"), float("inf")
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
                       env=CHILD_ENV if env is None else env)
        best = min(best, time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        best_cpu = min(best_cpu, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return best, best_cpu


_TMP = Path(tempfile.mkdtemp(prefix="annotator-detect-bench-env-"))
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
CHILD_ENV.update(PYTHONPYCACHEPREFIX=str(_TMP / "pycache"), ANNOTATOR_PATTERN_CACHE=str(_TMP / "patterns.json"))
NO_CACHE_ENV = {**CHILD_ENV, "ANNOTATOR_PATTERN_CACHE": "0"}


def annotator_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("annotator")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "annotator"]


def pinned(cmd: list[str], cores: int) -> list[str]:
    """cmd on `cores` cores (taskset where there is one; the process picks its own otherwise)."""
    taskset = shutil.which("taskset")
    if taskset and cores < (os.cpu_count() or 1):
        return [taskset, "-c", ",".join(str(c) for c in range(cores)), *cmd]
    return cmd


_READ_ONLY = (
    "import sys\n"
    "from annotator.core.ingest import read_paths\n"
    "n = sum(len(a.text) for _, arts, _ in read_paths(sys.argv[1:]) for a in arts)\n"
    "print(n)\n"
)


def bench_detect(paths: list[Path], megabytes: float, runs: int) -> None:
    from annotator.core.detect import detect

    texts = read_texts(paths)
    detect(texts[0])   # first use: word lists and patterns
    read_s = best_cpu(lambda: read_texts(paths), runs)
    detect_s = best_cpu(lambda: [detect(t) for t in texts], runs)
    quotes = sum(len(detect(t).quotes) for t in texts)
    print(f"detect(), CPU time, best of {runs}: {megabytes / detect_s:.2f} MB/s per core "
          f"({detect_s * 1000 / len(texts):.2f} ms an article, {quotes:,} quotes)")
    print(f"  baseline, reading and decoding the files: {megabytes / read_s:.2f} MB/s "
          f"(detection costs {detect_s / read_s:.1f}x reading)")


def bench_quotes(paths: list[Path], megabytes: float, runs: int) -> None:
    files = [str(p) for p in paths]
    base = [sys.executable, "-c", _READ_ONLY, *files]
    cmd = [*annotator_cmd(), "quotes", *files, "--jsonl"]
    for cores in (1, 2):
        read_s, read_cpu = best_wall(pinned(base, cores), runs)
        quotes_s, quotes_cpu = best_wall(pinned(cmd, cores), runs)
        print(f"annotator quotes, whole process, {cores} core{'s' if cores > 1 else ''}: "
              f"{megabytes / quotes_s:.2f} MB/s ({quotes_s:.2f} s; CPU {quotes_cpu:.2f} s, "
              f"{megabytes / quotes_cpu:.2f} MB/s a CPU second)")
        print(f"  baseline, a process reading and decoding the files: {megabytes / read_s:.2f} MB/s ({read_s:.2f} s; "
              f"CPU {read_cpu:.2f} s)")


def bench_startup(paths: list[Path], runs: int) -> None:
    one = str(paths[0])
    python_s, python_cpu = best_wall([sys.executable, "-c", "pass"], runs)
    best_wall([*annotator_cmd(), "quotes", one, "--jsonl"], 1)   # byte code written, pattern cache filled
    version_s, version_cpu = best_wall([*annotator_cmd(), "--version"], runs)
    one_s, one_cpu = best_wall([*annotator_cmd(), "quotes", one, "--jsonl"], runs)
    cold_s, cold_cpu = best_wall([*annotator_cmd(), "quotes", one, "--jsonl"], runs, env=NO_CACHE_ENV)
    print(f"start-up, best of {runs}: annotator --version {version_s:.3f} s (CPU {version_cpu:.3f} s); "
          f"annotator quotes on one file {one_s:.3f} s (CPU {one_cpu:.3f} s), without the pattern cache "
          f"{cold_s:.3f} s (CPU {cold_cpu:.3f} s)")
    print(f"  baseline, python -c pass: {python_s:.3f} s (CPU {python_cpu:.3f} s)")
    window = window_start(paths, max(1, runs // 2))
    if window is not None:
        print(f"window, start to shown (offscreen, the app's own timer), best of {max(1, runs // 2)}: {window:.2f} s")


def window_start(paths: list[Path], runs: int) -> float | None:
    """Seconds from process start to the painted main window on a small project (None without PySide6)."""
    try:
        import PySide6  # noqa: F401
    except ImportError:
        return None
    folder = Path(tempfile.mkdtemp(prefix="annotator-window-", dir=_TMP))
    project = folder / "window.db"
    subprocess.run([*annotator_cmd(), "import", str(project), *map(str, paths[:20])],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=CHILD_ENV)
    env = {**CHILD_ENV, "QT_QPA_PLATFORM": "offscreen", "ANNOTATOR_EXIT_AFTER_SHOW": "1",
           "XDG_CONFIG_HOME": str(folder / "config"), "QT_LOGGING_RULES": "qt.qpa.*=false"}
    best = None
    for _ in range(runs + 1):   # the first run writes the window modules' byte code
        done = subprocess.run([*annotator_cmd(), "gui", str(project)], capture_output=True, text=True,
                              env=env, check=False, timeout=120)
        for line in done.stdout.splitlines():
            if line.startswith("time since start to window:"):
                seconds = float(line.split(":")[1].split()[0])
                best = seconds if best is None or seconds < best else best
    return best


def bench_import(folder: Path, articles: int, runs: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="annotator-detect-bench-"))
    try:
        def timed(*extra: str) -> tuple[float, float]:
            best, best_cpu = float("inf"), float("inf")
            for k in range(runs):
                db = tmp / f"p{k}{''.join(extra)}.db"
                wall, cpu = best_wall([*annotator_cmd(), "import", str(db), str(folder), *extra], 1)
                best, best_cpu = min(best, wall), min(best_cpu, cpu)
                for p in tmp.glob(db.name + "*"):
                    shutil.rmtree(p) if p.is_dir() else p.unlink()
            return best, best_cpu

        base_s, base_cpu = timed("--no-detect")
        detect_s, detect_cpu = timed()
        main_cpu, readers_cpu = import_split(folder, tmp / "split.db")
        print(f"annotator import with detection: {articles / detect_s:,.0f} articles/s ({detect_s:.2f} s; "
              f"CPU {detect_cpu:.2f} s, {articles / detect_cpu:,.0f} articles a CPU second)")
        print(f"  baseline, annotator import --no-detect: {articles / base_s:,.0f} articles/s ({base_s:.2f} s; "
              f"CPU {base_cpu:.2f} s)")
        print(f"  CPU of one import with detection: storing process {main_cpu:.2f} s, reader processes "
              f"{readers_cpu:.2f} s ({main_cpu / (main_cpu + readers_cpu):.0%} in the storing process)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


_SPLIT = (
    "import io, contextlib, resource, sys\n"
    "from annotator.cli import main\n"
    "with contextlib.redirect_stdout(io.StringIO()):\n"
    "    main(['import', *sys.argv[1:]])\n"
    "me = resource.getrusage(resource.RUSAGE_SELF); kids = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime)\n"
)


def import_split(folder: Path, db: Path) -> tuple[float, float]:
    """(CPU seconds of the storing process, of its reader processes) of one import with detection."""
    done = subprocess.run([sys.executable, "-c", _SPLIT, str(db), str(folder)], capture_output=True, text=True,
                          env=CHILD_ENV, check=False)
    main_cpu, readers_cpu = (float(x) for x in done.stdout.split()[-2:])
    return main_cpu, readers_cpu


def profile_detect(paths: list[Path], top: int = 25) -> None:
    from annotator.core.detect import detect

    texts = read_texts(paths)
    detect(texts[0])
    prof = cProfile.Profile()
    prof.enable()
    for t in texts:
        detect(t)
    prof.disable()
    print(f"\ntop {top} functions of detect() by own time:")
    pstats.Stats(prof).sort_stats("tottime").print_stats(top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path,
                        help="a folder of .txt articles (default: polnear-train, else synthetic)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print detect()'s top functions")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--skip-process", action="store_true", help="no `annotator quotes` / import processes")
    args = parser.parse_args(argv)

    tmp = None
    folder = args.corpus or (POLNEAR if POLNEAR.is_dir() else None)
    if folder is None:
        tmp = Path(tempfile.mkdtemp(prefix="annotator-synthetic-"))
        folder = tmp / "text"
        write_synthetic(folder)
        label = "synthetic (no ../shared/corpus/polnear-train)"
    else:
        label = str(folder)
    try:
        paths = sorted(folder.glob("*.txt"))
        megabytes = sum(p.stat().st_size for p in paths) / 1e6
        print(f"corpus: {label}: {len(paths)} files, {megabytes:.2f} MB; {os.cpu_count()} cores")
        bench_detect(paths, megabytes, args.runs)
        if not args.skip_process:
            bench_startup(paths, args.runs)
            bench_quotes(paths, megabytes, max(1, args.runs // 2))
            if not args.skip_import:
                bench_import(folder, len(read_texts(paths)), max(1, args.runs // 2))
        if args.profile:
            profile_detect(paths)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(_TMP, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
