"""Save screenshots of the window on the demo project (offscreen): main window, one article under
review with its quotes, the label scheme dialog, and an article with direct, mixed and indirect
quotes (reported speech), into docs/screenshots/.

    python docs/screenshots.py [OUT_DIR]
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

from annotator.core import labels  # noqa: E402
from annotator.core.demo import open_default_project  # noqa: E402
from annotator.core.entities import list_entities  # noqa: E402
from annotator.gui.main_window import MainWindow  # noqa: E402

SIZE = (1440, 880)
# Written for the screenshot: every form of attribution, as detection finds them.
REPORTED_ARTICLE = "\n\n".join([
    "Harbour tunnel will cost twice as much, engineers warn",
    '"We were told a different story," said Tom Berg, who chairs the harbour board.',
    "Mayor Ann Lee said on Tuesday that the tunnel would still open in May, but the council's engineers warned "
    "that the costs had doubled since the spring.",
    'Berg said the first plan was "a fairy tale" and should never have been approved by the council.',
    "According to the city's finance office, the extra money will come from the port fund. Lee told reporters "
    "the fund could carry the cost without raising harbour fees.",
    '"Nobody will pay a cent more at the quay," she said.',
]) + "\n"
ENTITIES_SIZE = (1180, 640)


def settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    project = open_default_project()
    settings = QSettings(str(WORK / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(project, "Maria", settings, welcome=True)
    window.resize(*SIZE)
    window.show()
    settle(app)
    # A little labelling done, so the list and the status bar show real states.
    ids = list(window.list_model.ids)
    stance = window.scheme.stance_task("article")
    topic = next(t for t in window.scheme.tasks if t.kind == "multi")
    for n, article_id in enumerate(ids[:3]):
        labels.set_choice(project, article_id, "Maria", stance.id, stance.options[n % 3].id)
        labels.set_option(project, article_id, "Maria", topic.id, topic.options[n].id, True)
        labels.set_status(project, article_id, "Maria", "labelled")
    window.list_model.refresh_all()
    window.go_to(ids[0])
    window._update_progress()
    settle(app)
    window.grab().save(str(out / "main-window.png"))

    # The article with the most quotes, one of them confirmed, one rejected, the next one selected.
    best = max(ids, key=lambda i: len(window.project.db.execute(
        "SELECT id FROM quotes WHERE article_id = ?", [i]).fetchall()))
    window.hide_banner()
    window.go_to(best)
    settle(app)
    window.step_quote(1)
    window.confirm_quote()
    if window.panel.quotes_model.rowCount() > 2:
        window.reject_quote()
    window.label_key("2")
    settle(app)
    window.grab().save(str(out / "article-review.png"))

    window.edit_scheme()
    settle(app)
    window.scheme_dialog.grab().save(str(out / "scheme-dialog.png"))
    window.scheme_dialog.close()

    window.show_cheat_sheet()
    settle(app)
    window.cheat_sheet.grab().save(str(out / "keyboard-shortcuts.png"))
    window.cheat_sheet.close()

    # The entity list, with a few other names for the most quoted source, as a team would add them.
    entities_window = window.show_entities()
    entities_window.resize(*ENTITIES_SIZE)
    settle(app)
    first = list_entities(project)[0]
    for alias in (f"Mayor {first.name.split()[-1]}", f"{first.name[0]}. {first.name.split()[-1]}"):
        entities_window.add_alias(first.id, alias)
    entities_window.select_ids([first.id])
    entities_window.alias_list.setCurrentIndex(entities_window.alias_model.index(0))
    settle(app)
    entities_window.grab().save(str(out / "entities.png"))
    entities_window.close()

    # The File menu, open over the window (a menu is a window of its own: painted onto the window's picture).
    from PySide6.QtCore import QPoint  # noqa: PLC0415
    from PySide6.QtGui import QPainter  # noqa: PLC0415

    window.reader.banner.hide()
    window._fill_recent_menu()
    file_menu = window.menuBar().actions()[0].menu()
    at = window.menuBar().actionGeometry(window.menuBar().actions()[0]).bottomLeft()
    file_menu.popup(window.menuBar().mapToGlobal(at))
    settle(app)
    picture = window.grab()
    painter = QPainter(picture)
    painter.drawPixmap(window.mapFromGlobal(file_menu.pos()) + QPoint(0, 0), file_menu.grab())
    painter.end()
    picture.copy(0, 0, 760, 520).save(str(out / "file-menu.png"))
    file_menu.hide()

    # The first start on a computer: who is annotating (the login name filled in, one sentence why); it
    # comes before the window, which then opens with the welcome banner and the focus on the text.
    from annotator.gui.projects import AnnotatorDialog, login_name  # noqa: PLC0415

    dialog = AnnotatorDialog(labels.list_annotators(project), login_name())
    dialog.show()
    settle(app)
    dialog.grab().save(str(out / "first-start.png"))
    dialog.close()

    # File > Close project: the start window, with the recent projects.
    from annotator.gui.projects import StartWindow, remember_recent  # noqa: PLC0415

    remember_recent(settings, project.path)
    start = StartWindow(settings)
    start.show()
    settle(app)
    start.grab().save(str(out / "start-window.png"))
    start.close()

    # File > Export to other tools: the formats other tools read (REFI-QDA, INCEpTION, brat, training)
    window.exchange_menu.popup(window.mapToGlobal(window.rect().topLeft()))
    settle(app)
    window.exchange_menu.grab().save(str(out / "export-other-tools.png"))
    window.exchange_menu.hide()
    window.close()
    project.close()
    reported_speech(app, out)
    print(f"screenshots in {out}")
    return 0


def reported_speech(app: QApplication, out: Path) -> None:
    """An article holding all three forms, imported (so detected) into a project of its own."""
    from annotator.core.importer import import_paths
    from annotator.core.store import open_project

    source = WORK / "harbour_tunnel.txt"
    source.write_text(REPORTED_ARTICLE, encoding="utf-8")
    project = open_project(WORK / "reported.db")
    import_paths(project, [source], workers=1)
    settings = QSettings(str(WORK / "settings-reported.ini"), QSettings.Format.IniFormat)
    window = MainWindow(project, "Maria", settings)
    window.resize(*SIZE)
    window.show()
    settle(app)
    mixed = project.conn.execute("SELECT id FROM quotes WHERE form = 'mixed' ORDER BY start LIMIT 1").fetchone()
    first = project.conn.execute("SELECT id FROM quotes WHERE form = 'direct' ORDER BY start LIMIT 1").fetchone()
    window.panel.select_quote(first[0])
    window.confirm_quote()   # one checked (solid line), the mixed one selected
    if mixed:
        window.panel.select_quote(mixed[0])
    settle(app)
    window.reader.text.flash_timer.timeout.emit()   # the passing flash of a chosen quote gone, as a moment later
    settle(app)
    window.grab().save(str(out / "reported-speech.png"))
    window.close()
    project.close()


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "screenshots"
    sys.exit(main(target))
