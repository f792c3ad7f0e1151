"""The entity window with a large registry (offscreen): open it, then time each edit from the
keyboard's point of view (the command runs, the table, the filter and the suggestion index catch
up): rename, add an alias, merge two entities, and undo each.

    python benchmarks/entities_bench.py [--entities 100000] [--aliases 300000]

Prints the open time and the median and worst time per kind of edit, in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

from PySide6.QtGui import QUndoStack  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core.store import open_project  # noqa: E402
from annotator.gui.entities_window import EntitiesWindow  # noqa: E402

SYLLABLES = ["ka", "lo", "mi", "ren", "dor", "sa", "vel", "tu", "pra", "no", "ix", "ber", "han", "ti", "qua"]


def name(i: int) -> str:
    """A distinct made-up name for entity i: two words of syllables."""
    def word(n: int) -> str:
        parts = []
        for _ in range(3):
            n, r = divmod(n, len(SYLLABLES))
            parts.append(SYLLABLES[r])
        return "".join(parts).capitalize()
    return f"{word(i)} {word(i * 7919 + 13)}"


def build(path: Path, entities: int, aliases: int) -> None:
    project = open_project(path)
    with project.write() as db:
        db["entities"].insert_all(({"id": i, "name": f"{name(i)} {i}", "norm": f"{name(i).lower()} {i}",
                                    "kind": "person"} for i in range(1, entities + 1)), batch_size=10_000)
        db["aliases"].insert_all(({"entity_id": 1 + k % entities, "alias": f"{name(k)[:6]} {k}",
                                   "norm": f"{name(k)[:6].lower()} {k}"} for k in range(aliases)), batch_size=10_000)
    project.close()


def timed(app: QApplication, fn) -> float:
    t0 = time.perf_counter()
    fn()
    app.processEvents()
    return (time.perf_counter() - t0) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--aliases", type=int, default=300_000)
    parser.add_argument("--edits", type=int, default=10, help="edits of each kind")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "entities.db"
        build(path, args.entities, args.aliases)
        project = open_project(path)
        stack = QUndoStack()
        t0 = time.perf_counter()
        window = EntitiesWindow(project, stack)
        window.show()
        app.processEvents()
        print(f"{args.entities:,} entities, {args.aliases:,} aliases: window open in "
              f"{time.perf_counter() - t0:.2f} s")
        window.set_filter_text("ka")  # a filter is on, as when someone looks for a name
        app.processEvents()
        times: dict[str, list[float]] = {}
        for k in range(args.edits):
            a, b = 1 + 2 * k, 2 + 2 * k
            for kind, fn in (("rename", lambda a=a, k=k: window.rename(a, f"Renamed Person {k}")),
                             ("add alias", lambda a=a, k=k: window.add_alias(a, f"R. Person {k}")),
                             ("merge", lambda a=a, b=b: window.merge(a, b)),
                             ("undo", stack.undo), ("undo", stack.undo), ("undo", stack.undo)):
                times.setdefault(kind, []).append(timed(app, fn))
        for kind, values in times.items():
            print(f"{kind:10s}: median {statistics.median(values):7.1f} ms, worst {max(values):7.1f} ms "
                  f"({len(values)} edits)")
        window.close()
        project.close()


if __name__ == "__main__":
    main()
