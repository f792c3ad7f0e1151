"""Names, titles and paths are data: every label that shows them is plain text and every tooltip
of them is escaped, so `<b>x</b>` is not bold and `<img src=...>` loads nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import (
    Qt,  # with mightBeRichText
    QTextDocument,
)
from PySide6.QtWidgets import QLabel

from annotator.core import labels
from annotator.core.entities import create_entity
from annotator.core.scheme import load_scheme
from annotator.core.store import open_project
from annotator.gui.plain import plain_tip

BOLD = "<b>x</b>"
IMAGE = "<img src='file:///etc/passwd'>"


def _hostile_project(path):
    return _fill_hostile(open_project(path))


def _fill_hostile(project):
    stance = load_scheme(project).stance_task()
    with project.write() as db:
        for i, title in enumerate((BOLD, IMAGE)):
            db["articles"].insert({"uid": f"u{i}", "title": title, "outlet": IMAGE, "text": f"Text {i} {BOLD}."})
    for who in (BOLD, IMAGE):
        for article_id in (1, 2):
            labels.set_choice(project, article_id, who, stance.id, stance.options[article_id % 2].id)
    create_entity(project, "Eve " + BOLD, aliases=[IMAGE + " Eve"])
    return project


def _labels_showing_data(widget) -> list[QLabel]:
    found = [label for label in widget.findChildren(QLabel) if BOLD in label.text() or "<img" in label.text()]
    return found


def _rendered(tip: str) -> str:
    doc = QTextDocument()
    doc.setHtml(tip) if Qt.mightBeRichText(tip) else doc.setPlainText(tip)
    return doc.toPlainText()


def test_the_agreement_panel_shows_annotator_names_as_text(qtbot, tmp_project):
    from annotator.gui.agreement_panel import AgreementPanel

    _fill_hostile(tmp_project)
    panel = AgreementPanel(tmp_project)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.waitUntil(lambda: panel.job is None, timeout=10_000)  # computed in a worker thread
    qtbot.wait(50)  # the new rows laid out
    names = {label.text(): label.textFormat() for label in _labels_showing_data(panel)}
    assert names.get(BOLD) == names.get(IMAGE) == Qt.TextFormat.PlainText, names


def test_the_entities_window_shows_names_and_aliases_as_text(qtbot, tmp_path, settings):
    from annotator.gui.main_window import MainWindow

    project = _hostile_project(tmp_path / "p.db")
    window = MainWindow(project, BOLD, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    for label in _labels_showing_data(window):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
    entities = window.show_entities()
    entities.view.selectRow(0)
    qtbot.wait(50)
    model = entities.view.model()
    tips = [model.data(model.index(0, column), Qt.ItemDataRole.ToolTipRole) for column in range(model.columnCount())]
    tips = [tip for tip in tips if tip]
    assert tips and all(IMAGE in _rendered(tip) for tip in tips), tips  # the aliases, as written
    for label in _labels_showing_data(entities):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
    entities.grab().save(str(tmp_path / "entities.png"))
    window.grab().save(str(tmp_path / "window.png"))
    if SHOTS_TO := __import__("os").environ.get("ANNOTATOR_SHOTS"):  # to look at them: a folder to save into
        for name, widget in (("hostile-window.png", window), ("hostile-entities.png", entities)):
            widget.grab().save(str(Path(SHOTS_TO) / name))
    window.close()
    project.close()


def test_the_export_dialog_status_shows_a_path_as_text(qtbot, tmp_path):
    from annotator.gui.export_dialog import ExportDialog

    project = _hostile_project(tmp_path / "p.db")
    project.close()
    folder = tmp_path / "<b>x<"
    folder.mkdir()
    dialog = ExportDialog(tmp_path / "p.db")
    qtbot.addWidget(dialog)
    dialog.path.setText(str(folder / "<img src=x>.csv"))
    dialog.start()
    qtbot.waitUntil(lambda: dialog.result_ok is not None, timeout=10_000)
    assert dialog.result_ok, dialog.status.text()
    assert "<img src=x>" in dialog.status.text()
    assert dialog.status.textFormat() == Qt.TextFormat.PlainText


def test_a_tooltip_of_data_is_escaped():
    for text in (BOLD, IMAGE, "a <i>b</i>\nc"):
        assert _rendered(plain_tip(text)) == text.replace("\n", "\n")
    assert plain_tip("plain words") == "plain words" and plain_tip("") is None
