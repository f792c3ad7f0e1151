"""Save a screenshot of the entities window on the demo project (offscreen) as
docs/screenshots/entities.png: the table, one entity selected with its details, aliases added.

    python docs/entities_screenshot.py [OUT_DIR]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
WORK = Path(tempfile.mkdtemp(prefix="annotator-shots-"))
os.environ["ANNOTATOR_DATA_DIR"] = str(WORK / "data")  # a fresh demo project, not the user's

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core.demo import open_default_project  # noqa: E402
from annotator.core.entities import list_entities  # noqa: E402
from annotator.gui.main_window import MainWindow  # noqa: E402

SIZE = (1180, 640)


def settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    project = open_default_project()
    settings = QSettings(str(WORK / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(project, "Maria", settings)
    window.show()
    entities_window = window.show_entities()
    entities_window.resize(*SIZE)
    settle(app)
    first = list_entities(project)[0]
    # A few other names for the most quoted source, as a team would add them.
    for alias in (f"Mayor {first.name.split()[-1]}", f"{first.name[0]}. {first.name.split()[-1]}"):
        entities_window.add_alias(first.id, alias)
    entities_window.select_ids([first.id])
    entities_window.alias_list.setCurrentRow(0)
    settle(app)
    entities_window.grab().save(str(out / "entities.png"))
    entities_window.close()
    window.close()
    project.close()
    print(f"screenshot in {out / 'entities.png'}")
    return 0


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "screenshots"
    sys.exit(main(target))
