"""File > Export to other tools (REFI-QDA, INCEpTION, brat, spaCy, Prodigy) and File > Import a
REFI-QDA project: each runs in a ProjectJob on its own connection with a progress dialog and Cancel;
the window only asks for the file and shows what came of it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QMessageBox

from annotator.core.exchange import EXCHANGE_FORMATS, SUFFIXES, TITLES, ExchangeCancelled, export_exchange
from annotator.core.exchange.qdpx_import import QdpxError, import_qdpx, list_codes
from annotator.core.labels import list_annotators
from annotator.gui.jobs import ProjectJob, run_job

MENU_TEXTS = {"qdpx": "&REFI-QDA project (.qdpx)…", "inception": "&INCEpTION (UIMA CAS XMI, .zip)…",
              "brat": "&brat standoff (.ann + .txt, .zip)…", "spacy": "training JSONL, &spaCy style…",
              "prodigy": "training JSONL, &Prodigy spans…"}
FILTERS = {"qdpx": "REFI-QDA project (*.qdpx)", "inception": "Zip archive (*.zip)", "brat": "Zip archive (*.zip)",
           "spacy": "JSON lines (*.jsonl)", "prodigy": "JSON lines (*.jsonl)"}


def add_exchange_actions(window, file_menu: QMenu) -> QMenu:
    """The submenu of exports and the .qdpx import, added to the window's File menu; returns the submenu."""
    menu = file_menu.addMenu("Export to o&ther tools")
    menu.setObjectName("exchange_menu")
    for fmt in EXCHANGE_FORMATS:
        action = menu.addAction(MENU_TEXTS[fmt])
        action.setObjectName(f"export_{fmt}")
        action.triggered.connect(lambda _checked=False, f=fmt: export_exchange_dialog(window, f))
    action = file_menu.addAction("Import a REFI-QDA pro&ject (.qdpx)…")
    action.setObjectName("import_qdpx")
    action.triggered.connect(lambda: import_qdpx_dialog(window))
    return menu


def _message(window, title: str, text: str, warning: bool = False) -> None:
    window.statusBar().showMessage(text.splitlines()[0], 10000)
    if window.show_report_dialogs:
        box = QMessageBox(QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information, title, text,
                          QMessageBox.StandardButton.Ok, window)
        box.setTextFormat(Qt.TextFormat.PlainText)  # file names and messages are data, never markup
        window.exchange_message = box
        box.open()


EVERYONE = "Everyone (each quote as last checked)"


def export_exchange_dialog(window, fmt: str, out: str | Path | None = None,
                           annotator: str | None = None) -> ProjectJob | None:
    """Ask where (unless `out` is given) and, for the span formats, whose view (everyone's, or one
    annotator's); then export in the background. None when the person cancels."""
    if out is None:
        if fmt != "qdpx":  # a .qdpx holds every annotator; the span formats show one view
            names = list_annotators(window.project)
            choices = [EVERYONE, *names]
            current = choices.index(window.annotator) if window.annotator in names else 0
            chosen, ok = QInputDialog.getItem(window, f"Export as {TITLES[fmt]}", "Quotes, speakers and stance of:",
                                              choices, current, False)
            if not ok:
                return None
            annotator = None if chosen == EVERYONE else chosen
        path = Path(window.project.path)
        who = f"_{annotator}" if annotator else ""
        suggested = str(path.with_name(f"{path.stem}_{fmt}{who}{SUFFIXES[fmt]}"))
        out, _ = QFileDialog.getSaveFileName(window, f"Export as {TITLES[fmt]}", suggested, FILTERS[fmt])
        if not out:
            return None

    def work(project, progress, cancelled):
        try:
            return True, export_exchange(project, fmt, out, annotator=annotator, progress=progress,
                                         cancelled=cancelled).summary()
        except ExchangeCancelled:
            return False, "Export cancelled; no file was written."
        except (OSError, ValueError) as exc:  # a folder that is not there, a full disk, a non-empty folder
            return False, f"{out}: {getattr(exc, 'strerror', None) or exc}"

    job = run_job(window, window.project.path, _counted(work, "articles"), title=f"Exporting ({TITLES[fmt]})",
                  read_only=True, on_done=lambda result: _finished(window, "Export", result),
                  on_failed=lambda message: _message(window, "Export failed", message, warning=True))
    window.exchange_job = job
    return job


def _counted(work, unit: str):
    """`work` with its progress said as "12 of 300 articles" (and the item's name when it gives one)."""

    def counted(project, progress, cancelled):
        def step(done: int, total: int, what: str) -> None:
            name = "" if what == unit else f": {what}"
            progress(done, total, f"{done:,} of {total:,} {unit}{name}")

        return work(project, step, cancelled)

    return counted


def _finished(window, what: str, result: tuple) -> None:
    ok, text = result
    window.last_exchange_message = text
    _message(window, what if ok else f"{what} did not finish", text, warning=not ok)


def import_qdpx_dialog(window, path: str | Path | None = None, mapping: dict | None = None) -> ProjectJob | None:
    """Ask for a .qdpx (unless given); with no `mapping`, read its codes first in the background and,
    when another tool's codes are there, let the person say what each becomes (QdpxMappingDialog);
    then import in the background. Returns the job running (the reading one, or the import)."""
    if path is None:
        path, _ = QFileDialog.getOpenFileName(window, "Import a REFI-QDA project", "", FILTERS["qdpx"])
        if not path:
            return None
    if mapping is not None:
        return _start_import(window, path, mapping)

    def work(_project, _progress, _cancelled):
        try:
            return True, [(p, used) for p, role, used in list_codes(path) if role == "foreign"]
        except QdpxError as exc:
            return False, str(exc)

    job = run_job(window, window.project.path, work, title="Reading the REFI-QDA project", read_only=True,
                  on_done=lambda result: _codes_read(window, path, result),
                  on_failed=lambda message: _message(window, "Import failed", message, warning=True))
    window.exchange_job = job
    return job


def _codes_read(window, path, result: tuple) -> None:
    ok, found = result
    if not ok:
        _finished(window, "Import", result)
        return
    if not found:  # our own file, or nothing to map: straight on
        _start_import(window, path, {})
        return
    from annotator.gui.qdpx_mapping import QdpxMappingDialog  # noqa: PLC0415

    dialog = QdpxMappingDialog(Path(path).name, found, window)
    window.qdpx_mapping_dialog = dialog
    dialog.accepted.connect(lambda: _start_import(window, path, dialog.mapping()))
    dialog.open()


def _start_import(window, path, mapping: dict) -> ProjectJob:
    def work(project, progress, cancelled):
        try:
            report = import_qdpx(project, path, mapping=mapping, progress=progress, cancelled=cancelled)
        except (QdpxError, ExchangeCancelled) as exc:
            return False, str(exc) if isinstance(exc, QdpxError) else "Import cancelled; nothing was imported."
        return True, "\n".join(report.lines())

    job = run_job(window, window.project.path, _counted(work, "sources"), title="Importing the REFI-QDA project",
                  on_done=lambda result: _imported(window, result),
                  on_failed=lambda message: _message(window, "Import failed", message, warning=True))
    window.exchange_job = job
    return job


def _imported(window, result: tuple) -> None:
    if result[0]:
        window.reload_scheme()
        window.apply_filter()
        window.list_model.refresh_all()
        window._update_progress()
        if window.article is None and window.list_model.ids:
            window.go_to(window.list_model.ids[0])
    _finished(window, "Import", result)
