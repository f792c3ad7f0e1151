"""File > Export to other tools and File > Import REFI-QDA project: in the background, with progress."""

import zipfile

from lxml import etree

from annotator.core.resources import resource_path
from annotator.core.store import open_project
from annotator.gui.exchange_actions import export_exchange_dialog, import_qdpx_dialog


def _wait(qtbot, window, job):
    qtbot.waitUntil(lambda: job.isFinished() and job not in window.jobs, timeout=20000)


def test_file_menu_has_every_format(window, tmp_path):
    names = [a.objectName() for a in window.exchange_menu.actions()]
    assert names == ["export_qdpx", "export_inception", "export_brat", "export_spacy", "export_prodigy"]
    window.exchange_menu.popup(window.mapToGlobal(window.rect().center()))
    window.exchange_menu.grab().save(str(tmp_path / "exchange-menu.png"))
    window.exchange_menu.hide()


def test_export_runs_off_the_gui_thread_and_writes_valid_qdpx(window, qtbot, tmp_path):
    window.show_report_dialogs = False
    out = tmp_path / "out.qdpx"
    job = export_exchange_dialog(window, "qdpx", out)
    assert job.read_only and job is not None
    steps = []
    job.progressed.connect(lambda done, total, _: steps.append((done, total)))
    _wait(qtbot, window, job)
    assert window.last_exchange_message.startswith("3 articles, 2 quotes, 2 speaker mentions written to")
    assert steps and steps[-1] == (3, 3)
    schema = etree.XMLSchema(etree.parse(str(resource_path("schemas", "Project-mrt2019.xsd"))))
    schema.assertValid(etree.fromstring(zipfile.ZipFile(out).read("project.qde")))
    assert "written to" in window.statusBar().currentMessage()


def test_a_failed_export_is_a_sentence(window, qtbot, tmp_path):
    window.show_report_dialogs = False
    job = export_exchange_dialog(window, "brat", tmp_path / "missing" / "b.zip")
    _wait(qtbot, window, job)
    assert "No such file or directory" in window.last_exchange_message
    assert "Traceback" not in window.last_exchange_message


def test_import_reloads_the_window(window, qtbot, tmp_path, small_project):
    window.show_report_dialogs = False
    out = tmp_path / "out.qdpx"
    _wait(qtbot, window, export_exchange_dialog(window, "qdpx", out))
    # a colleague's empty project window imports it
    from PySide6.QtCore import QSettings

    from annotator.gui.main_window import MainWindow

    other = open_project(tmp_path / "other.db")
    second = MainWindow(other, "ana", QSettings(str(tmp_path / "s2.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(second)
    second.show_report_dialogs = False
    assert second.list_model.rowCount() == 0
    job = import_qdpx_dialog(second, out)  # our own file: its codes are read, nothing to map, imported
    _wait(qtbot, second, job)
    job = second.exchange_job
    _wait(qtbot, second, job)
    assert second.last_exchange_message.startswith(f"{out}: 3 articles added")
    assert second.list_model.rowCount() == 3
    assert second.article is not None
    bad = tmp_path / "bad.qdpx"
    bad.write_text("nope", encoding="utf-8")
    _wait(qtbot, second, import_qdpx_dialog(second, bad, mapping={}))
    assert "not a .qdpx file" in second.last_exchange_message and second.list_model.rowCount() == 3
    second.close()


def test_another_tools_codes_are_mapped_in_a_dialog(window, qtbot, tmp_path, qtmodeltester):
    from PySide6.QtCore import Qt

    from annotator.gui.qdpx_mapping import COL_TARGET
    from tests.paths import FIXTURES

    folder = FIXTURES / "exchange" / "maxqda_style"
    qdpx = tmp_path / "m.qdpx"
    with zipfile.ZipFile(qdpx, "w") as zf:
        for item in folder.rglob("*"):
            if item.is_file():
                zf.write(item, item.relative_to(folder).as_posix())
    window.show_report_dialogs = False
    _wait(qtbot, window, import_qdpx_dialog(window, qdpx))
    dialog = window.qdpx_mapping_dialog
    qtbot.addWidget(dialog)
    model = dialog.model
    qtmodeltester.check(model)
    assert [model.data(model.index(r, 0)) for r in range(model.rowCount())] == [
        "Haltung", "Haltung/positiv", "Haltung/negativ", "Zitat", "Sprecher"]
    # Zitat becomes quotes, chosen with the real editor (the combo box of the Becomes column)
    index = model.index(3, COL_TARGET)
    dialog.view.setCurrentIndex(index)
    dialog.view.edit(index)
    editor = dialog.view.focusWidget()
    editor.setCurrentIndex(editor.findData("quote"))
    dialog.view.commitData(editor)
    dialog.view.closeEditor(editor, dialog.view.itemDelegate().EndEditHint.NoHint)
    assert model.data(index) == "quotes (direct)"
    assert model.setData(model.index(4, COL_TARGET), "speaker", Qt.ItemDataRole.EditRole)
    assert not model.setData(model.index(4, COL_TARGET), "nonsense", Qt.ItemDataRole.EditRole)
    assert dialog.mapping() == {"Zitat": "quote", "Sprecher": "speaker"}
    dialog.grab().save(str(tmp_path / "qdpx-mapping.png"))
    dialog.accept()
    _wait(qtbot, window, window.exchange_job)
    assert "1 quotes, 1 speaker mentions" in window.last_exchange_message


def test_span_formats_ask_whose_view(window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QInputDialog

    from annotator.core import labels

    labels.ensure_annotator(window.project, "ben")
    asked = {}

    def get_item(parent, title, label, items, current, editable):
        asked.update(items=items, current=current)
        return "ben", True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(get_item))
    out = tmp_path / "train.jsonl"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
    window.show_report_dialogs = False
    job = export_exchange_dialog(window, "spacy")
    _wait(qtbot, window, job)
    assert asked["items"][0].startswith("Everyone") and "ben" in asked["items"]
    assert asked["items"][asked["current"]] == "ana" or "ana" not in asked["items"]
    assert out.exists() and window.last_exchange_message.startswith("3 articles")
    # ben has checked nothing and marked nothing: his view holds the detected quotes only
    import json

    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert sorted(s["label"] for s in first["spans"]) == ["QUOTE", "QUOTE", "SPEAKER", "SPEAKER"]
