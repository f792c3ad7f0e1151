"""What one edit costs in the window: SQL statements and milliseconds per stance key press and per undo,
beside the baseline measured in the same run: redrawing the article from the project as the window did
after every edit before change records (read the article, its quotes, mentions, labels, state, the
list row and the progress).

    python benchmarks/edit_bench.py [--presses 200]

On the demo project's article with the most quotes (offscreen).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--presses", type=int, default=200)
    args = parser.parse_args()
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from annotator.core.demo import demo_corpus_dir
    from annotator.core.importer import import_paths
    from annotator.core.store import open_project
    from annotator.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    work = Path(tempfile.mkdtemp(prefix="edit-bench-"))
    project = open_project(work / "demo.db")
    import_paths(project, [demo_corpus_dir()], workers=1)
    window = MainWindow(project, "bench", QSettings(str(work / "s.ini"), QSettings.Format.IniFormat))
    window.show()
    app.processEvents()
    busiest = project.conn.execute(
        "SELECT article_id FROM quotes GROUP BY article_id ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    window.go_to(busiest)
    app.processEvents()
    seen: list[str] = []
    project.conn.set_trace_callback(seen.append)

    def measure(step) -> tuple[float, float]:
        counts, times, raw = [], [], []
        for _ in range(args.presses):
            seen.clear()
            start = time.perf_counter()
            step()
            app.processEvents()
            times.append((time.perf_counter() - start) * 1000)
            # SQLite reports a trigger program (the team log's) under its statement's text, right after it
            counts.append(sum(1 for i, sql in enumerate(seen) if i == 0 or sql != seen[i - 1]))
            raw.append(len(seen))
        return statistics.mean(counts), statistics.median(times), statistics.mean(raw)

    keys = iter(["2", "3"] * args.presses)
    press = measure(lambda: QTest.keyClick(window.reader.text, next(keys)))
    undo = measure(lambda: QTest.keyClick(window.reader.text, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier))

    def full_redraw() -> None:  # the baseline: what every edit cost before
        window._show(busiest)
        window.list_model.refresh_article(busiest)
        window.list_view.viewport().repaint()
        window._update_progress()

    baseline = measure(full_redraw)
    project.conn.set_trace_callback(None)
    quotes = len(window.article.quotes)
    print(f"article with {quotes} quotes, {args.presses} presses each")
    print(f"stance key press:  {press[0]:.1f} statements ({press[2]:.1f} with trigger programs), "
          f"{press[1]:.2f} ms (median)")
    print(f"undo:              {undo[0]:.1f} statements ({undo[2]:.1f} with trigger programs), {undo[1]:.2f} ms (median)")
    print(f"baseline, the article redrawn from the project: {baseline[0]:.1f} statements, {baseline[1]:.2f} ms "
          f"(key press {baseline[1] / max(press[1], 1e-9):.1f}x faster)")
    window.close()
    project.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
