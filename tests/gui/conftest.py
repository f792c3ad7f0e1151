"""Fixtures for the window tests: a small project with quotes and mentions, and an open window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt

from annotator.core.store import open_project

ARTICLES = [
    ("Bridge vote splits council", "Coastal Gazette", "2024-03-02",
     '"This bridge connects people," said Mayor Helena Okafor.\n\n'
     'Councillor Marcus Wren called the cost "wishful thinking" and voted against.\n\n'
     'Markup stays text: <b>not bold</b> & <i>not italic</i>.'),
    ("Trade talks resume", "Wire", "2024-01-15", "Negotiators met again over tariffs on grain."),
    ("Library reopens after flood", "Eastmoor News", "2024-02-20", "The library reopens after the flood."),
]


def fill(project) -> None:
    """Three articles; the first with two detected quotes, their cues and speakers, and an entity."""
    db = project.db
    for i, (title, outlet, published, text) in enumerate(ARTICLES):
        db["articles"].insert({"uid": f"g{i}", "title": title, "outlet": outlet, "published": published,
                               "text": text})
    text = ARTICLES[0][3]
    okafor = text.index("Helena Okafor")
    wren = text.index("Marcus Wren")
    entity = db["entities"].insert({"name": "Helena Okafor", "norm": "helena okafor", "kind": "person"}).last_pk
    db["mentions"].insert_all([
        {"article_id": 1, "start": okafor, "end": okafor + 13, "text": "Helena Okafor", "name": "Helena Okafor",
         "entity_id": entity, "origin": "auto"},
        {"article_id": 1, "start": wren, "end": wren + 11, "text": "Marcus Wren", "name": "Marcus Wren",
         "origin": "auto"},
    ])
    first = text.index("This bridge")
    second = text.index("wishful thinking")
    said = text.index("said")
    db["quotes"].insert_all([
        {"article_id": 1, "start": first, "end": first + len("This bridge connects people,"),
         "text": "This bridge connects people,", "origin": "auto", "speaker": "Helena Okafor",
         "speaker_start": okafor, "speaker_end": okafor + 13, "cue": "said", "cue_start": said,
         "cue_end": said + 4, "confidence": 0.93, "kind": "direct"},
        {"article_id": 1, "start": second, "end": second + 16, "text": "wishful thinking", "origin": "auto",
         "speaker": "Marcus Wren", "speaker_start": wren, "speaker_end": wren + 11, "confidence": 0.6,
         "kind": "direct"},
    ])


@pytest.fixture
def small_project(tmp_path):
    project = open_project(tmp_path / "small.db")
    fill(project)
    yield project
    project.close()


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def shown_window(qtbot, project, settings, annotator: str = "ana"):
    """A main window over `project`, shown, exposed, the focus on the text (as a person starts)."""
    from annotator.gui.main_window import MainWindow

    win = MainWindow(project, annotator, settings)
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitExposed(win)
    win.reader.text.setFocus()
    return win


def background_at(window, offset):
    """The background colour the highlighter gives the reader's character at a text offset (None: none)."""
    doc = window.reader.text.document()
    block = doc.findBlock(offset)
    pos = offset - block.position()
    found = None
    for fr in block.layout().formats():
        if fr.start <= pos < fr.start + fr.length and fr.format.background().style() != Qt.BrushStyle.NoBrush:
            found = fr.format.background().color()
    return found


def wait_for_jobs(win) -> None:
    for job in list(win.jobs):
        job.wait()


@pytest.fixture
def window(qtbot, small_project, settings):
    win = shown_window(qtbot, small_project, settings)
    yield win
    wait_for_jobs(win)
