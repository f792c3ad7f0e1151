"""A member working and syncing in a loop until killed: `python -m tests.core.sync_worker PROJECT NAME SEED`.
Used by test_sync_kill.py, which kills it (SIGKILL) at random moments."""

from __future__ import annotations

import random
import sys

from annotator.core import labels
from annotator.core.scheme import load_scheme
from annotator.core.store import open_project
from annotator.core.sync import sync_project


def main(path: str, name: str, seed: int) -> None:
    rng = random.Random(seed)
    project = open_project(path, create=False)
    scheme = load_scheme(project, install_default=False)
    tasks = [t for t in scheme.at_level("article") if t.options]
    articles = [r[0] for r in project.conn.execute("SELECT id FROM articles ORDER BY id")]
    print("ready", flush=True)
    for _ in range(10_000):  # bounded: the test kills it long before
        for _ in range(rng.randint(1, 12)):
            article, task = rng.choice(articles), rng.choice(tasks)
            if task.kind == "multi":
                labels.set_options(project, article, name, task.id, [o.id for o in rng.sample(task.options, 2)])
            elif rng.random() < 0.15:
                labels.set_choice(project, article, name, task.id, None)
            else:
                labels.set_choice(project, article, name, task.id, rng.choice(task.options).id)
            if rng.random() < 0.3:
                labels.set_note(project, article, name, f"note {rng.randint(0, 99)}")
        sync_project(project, batch=rng.choice([1, 3, 50]))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
