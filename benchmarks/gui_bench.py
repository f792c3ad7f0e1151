"""Window speed with a 100,000-article project (offscreen): open, show a 20,000-word article with
~2,000 quote spans, apply a search filter; and peak memory.

    python benchmarks/gui_bench.py [--articles 100000] [--keep PATH]

Goals: open < 1.5 s, show < 50 ms, filter < 200 ms, memory < 400 MB. The project is built in a child
process first (synthetic text, sqlite-utils insert_all), so the memory figure is the window's own.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

OUTLETS = ["Coastal Gazette", "The Evening Star", "Valley Courier", "Harbour Times", "Northern Ledger",
           "Wire Service", "The Lakeside Post", "Hillcrest Herald"]
TOPICS = ["harbour", "bridge", "tariff", "grain", "turbine", "council", "ferry", "school", "hospital",
          "budget", "election", "flood", "library", "commuters", "factory", "minister", "summit", "trade"]
SYLLABLES = ["ka", "lo", "mi", "ren", "dor", "sa", "vel", "tu", "pra", "no", "ix", "ber", "han", "ti", "qua"]
NAMES = ["Helena Okafor", "Marcus Wren", "Petra Lindqvist", "Tomas Varga", "Amira Said", "Ruth Ellison"]


def vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    words = {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3))) for _ in range(size * 2)}
    return sorted(words)[:size] + TOPICS


def build(path: Path, count: int) -> None:
    """Write the synthetic project: `count` articles of ~150 words, one of 20,000 words with quotes."""
    from annotator.core.scheme import load_scheme
    from annotator.core.store import open_project

    rng = random.Random(5)
    words = vocabulary(rng)
    project = open_project(path)
    load_scheme(project)

    def article(i: int) -> dict:
        body = " ".join(rng.choice(words) for _ in range(150))
        title = " ".join(rng.choice(words) for _ in range(6)).capitalize()
        return {"uid": f"syn{i}", "title": title, "outlet": rng.choice(OUTLETS),
                "published": f"20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "text": body, "language": "en"}

    with project.write() as db:
        db["articles"].insert_all((article(i) for i in range(count - 1)), batch_size=2000)
    text, quotes, mentions = big_article(rng, words)
    with project.write() as db:
        big_id = db["articles"].insert({"uid": "big", "title": "A very long article", "outlet": "Wire Service",
                                        "published": "2024-05-01", "text": text}).last_pk
        for row in quotes:
            row["article_id"] = big_id
        for row in mentions:
            row["article_id"] = big_id
        db["quotes"].insert_all(quotes, batch_size=2000)
        db["mentions"].insert_all(mentions, batch_size=2000)
        db["settings"].upsert({"key": "bench:big", "value": str(big_id)}, pk="key")
    project.close()


def big_article(rng: random.Random, words: list[str]) -> tuple[str, list[dict], list[dict]]:
    """400 paragraphs of 50 words, each with 5 quotes said by a named speaker: 20,000 words."""
    parts: list[str] = []
    quotes: list[dict] = []
    mentions: list[dict] = []
    pos = 0
    for p in range(400):
        for q in range(5):
            quoted = " ".join(rng.choice(words) for _ in range(7))
            name = rng.choice(NAMES)
            chunk = f'"{quoted}," said {name}. ' if q < 4 else f'"{quoted}," said {name}.'
            qs = pos + 1
            quotes.append({"start": qs, "end": qs + len(quoted) + 1, "text": quoted + ",", "origin": "auto",
                           "speaker": name, "cue_start": qs + len(quoted) + 3, "cue_end": qs + len(quoted) + 7,
                           "speaker_start": qs + len(quoted) + 8, "speaker_end": qs + len(quoted) + 8 + len(name),
                           "confidence": 0.8, "kind": "direct"})
            mentions.append({"start": qs + len(quoted) + 8, "end": qs + len(quoted) + 8 + len(name),
                             "text": name, "name": name, "origin": "auto"})
            parts.append(chunk)
            pos += len(chunk)
        parts.append("\n\n")
        pos += 2
    return "".join(parts), quotes, mentions


def measure(path: Path) -> None:
    t0 = time.perf_counter()
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from annotator.core.store import open_project
    from annotator.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    t_import = time.perf_counter() - t0
    settings = QSettings(str(path.with_suffix(".ini")), QSettings.Format.IniFormat)
    t1 = time.perf_counter()
    project = open_project(path)
    window = MainWindow(project, "bench", settings)
    window.resize(1440, 880)
    window.show()
    while not (window.windowHandle() and window.windowHandle().isExposed()):
        app.processEvents()
    window.repaint()
    app.processEvents()
    t_open = time.perf_counter() - t1

    big_id = int(project.conn.execute("SELECT value FROM settings WHERE key = 'bench:big'").fetchone()[0])
    show_times = []
    for _ in range(5):  # the machine may be shared: report the median of five
        window.go_to(window.list_model.ids[0])
        app.processEvents()
        t2 = time.perf_counter()
        window.go_to(big_id)
        window.repaint()
        show_times.append(time.perf_counter() - t2)
    t_show = statistics.median(show_times)
    spans = window.reader.text.highlighter.span_count
    words = len(window.article.text.split())

    t3 = time.perf_counter()
    window.list_view.scrollToBottom()
    window.repaint()
    t_scroll = time.perf_counter() - t3

    shown = {}
    for query in ("harbour", "tariff grain", "zzzznothing"):
        times = []
        for _ in range(5):
            window.search.setText("")
            window.apply_filter()
            window.search.setText(query)
            t4 = time.perf_counter()
            window.apply_filter()
            window.list_view.repaint()
            times.append(time.perf_counter() - t4)
        shown[query] = (statistics.median(times), len(window.list_model.ids))
    window.search.setText("")
    t5 = time.perf_counter()
    window.apply_filter()
    t_clear = time.perf_counter() - t5

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    count = project.db["articles"].count
    print(f"articles: {count:,}")
    print(f"python + Qt imports: {t_import:.2f} s")
    print(f"open window (project, list, first article, painted): {t_open:.2f} s   goal < 1.5 s")
    print(f"show article of {words:,} words with {spans:,} highlight spans (2,000 quotes with cues and speakers): "
          f"{t_show * 1000:.0f} ms median, {min(show_times) * 1000:.0f} ms best   goal < 50 ms")
    print(f"scroll the list to the bottom: {t_scroll * 1000:.0f} ms")
    for query, (seconds, n) in shown.items():
        print(f"search filter {query!r} ({n:,} match): {seconds * 1000:.0f} ms median   goal < 200 ms")
    print(f"clear the filter (all {count:,} back): {t_clear * 1000:.0f} ms")
    print(f"peak memory (RSS): {peak_mb:.0f} MB   goal < 400 MB")
    window.close()
    project.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the project at this path")
    parser.add_argument("--build-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_only:
        build(args.build_only, args.articles)
        return 0
    path = args.keep or Path(tempfile.mkdtemp(prefix="annotator-bench-")) / "bench.db"
    if not path.exists():
        t = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--build-only", str(path), "--articles", str(args.articles)],
                       check=True)
        print(f"built {args.articles:,} synthetic articles in {time.perf_counter() - t:.1f} s: {path}")
    measure(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
