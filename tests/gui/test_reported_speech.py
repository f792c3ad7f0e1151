"""Reported speech in the window: its own highlight, the form column and filter, keyboard checks and corrections."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from annotator.core import annotate, articles, labels
from annotator.core.store import open_project
from annotator.gui import palette
from annotator.gui.quotes_model import COL_FORM, COL_SNIPPET, COL_STANCE
from tests.gui.conftest import background_at as _background_at, shown_window, wait_for_jobs

TEXT = ('"We were told a different story," said Tom Berg, who chairs the harbour board.\n\n'
        'Mayor Ann Lee said the tunnel would open in May.\n\n'
        'Berg said the first plan was "a fairy tale" and should never have been approved.')


def _at(words):
    start = TEXT.index(words)
    return start, start + len(words)


def _fill(project):
    db = project.db
    db["articles"].insert({"uid": "r1", "title": "Harbour tunnel costs double", "outlet": "Coastal Gazette",
                           "published": "2024-03-02", "text": TEXT})
    direct, berg = _at("We were told a different story,"), _at("Tom Berg")
    indirect, lee, said = _at("the tunnel would open in May"), _at("Ann Lee"), _at("said the tunnel")
    clause, quoted = _at('the first plan was "a fairy tale" and should never have been approved'), _at("a fairy tale")
    berg2 = _at("Berg said the first")
    rows = [
        dict(start=direct[0], end=direct[1], form="direct", content_start=direct[0], content_end=direct[1],
             speaker="Tom Berg", speaker_start=berg[0], speaker_end=berg[1], open_mark='"', close_mark='"'),
        dict(start=indirect[0], end=indirect[1], form="indirect", content_start=indirect[0],
             content_end=indirect[1], speaker="Ann Lee", speaker_start=lee[0], speaker_end=lee[1], cue="said",
             cue_start=said[0], cue_end=said[0] + 4, open_mark="", close_mark=""),
        dict(start=quoted[0], end=quoted[1], form="mixed", content_start=clause[0], content_end=clause[1],
             speaker="Tom Berg", speaker_start=berg2[0], speaker_end=berg2[0] + 4, open_mark='"', close_mark='"'),
    ]
    for r in rows:
        r.update(article_id=1, text=TEXT[r["start"]:r["end"]], content=TEXT[r["content_start"]:r["content_end"]],
                 origin="auto", confidence=0.8, kind="direct" if r["form"] == "direct" else "clause")
    db["quotes"].insert_all(rows)


@pytest.fixture
def reported_window(qtbot, tmp_path, settings):
    project = open_project(tmp_path / "reported.db")
    _fill(project)
    win = shown_window(qtbot, project, settings)
    yield win
    wait_for_jobs(win)
    project.close()




def _same_hue(color, hue):
    want = QColor(hue)
    return color is not None and (color.red(), color.green(), color.blue()) == (want.red(), want.green(), want.blue())


def test_reported_speech_has_its_own_highlight_and_a_mixed_ones_quoted_words_stay_quotes(reported_window):
    w = reported_window
    indirect = _at("the tunnel would open in May")
    assert _same_hue(_background_at(w, indirect[0] + 3), palette.REPORTED_HUE)
    clause_word = TEXT.index("should never")
    assert _same_hue(_background_at(w, clause_word), palette.REPORTED_HUE)
    assert _same_hue(_background_at(w, TEXT.index("fairy")), palette.QUOTE_HUE)   # quoted words inside
    assert _same_hue(_background_at(w, TEXT.index("different story")), palette.QUOTE_HUE)
    assert _background_at(w, TEXT.index("chairs")) is None
    legend = [label.text() for label in w.reader.legend.findChildren(type(w.progress_label))]
    assert "reported speech" in legend


def test_quote_list_shows_the_form_and_filters_all_direct_reported(reported_window, qtbot, qtmodeltester):
    w = reported_window
    model = w.panel.quotes_model
    qtmodeltester.check(model)
    forms = [model.data(model.index(r, COL_FORM)) for r in range(model.rowCount())]
    assert forms == ["direct", "indirect", "mixed"]
    # a reported quote shows its whole content in the list
    assert model.data(model.index(2, COL_SNIPPET)).startswith('the first plan was "a fairy tale"')
    w.panel.set_form_filter("reported")
    assert [model.quote(r)["form"] for r in range(model.rowCount())] == ["indirect", "mixed"]
    qtmodeltester.check(model)
    assert "1 not shown" in w.panel.quotes_label.text()
    w.panel.set_form_filter("direct")
    assert [model.quote(r)["form"] for r in range(model.rowCount())] == ["direct"]
    assert w.panel.form_filter.currentData() == "direct"
    qtbot.keyClick(w.reader.text, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert model.filter == "reported"
    qtbot.keyClick(w.reader.text, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert model.filter == "all" and model.rowCount() == 3


def test_enter_confirms_and_delete_rejects_reported_speech(reported_window, qtbot):
    w = reported_window
    w.panel.set_form_filter("reported")
    w.panel.select_quote(2)
    w.reader.text.setFocus()
    qtbot.keyClick(w.reader.text, Qt.Key.Key_Return)
    assert annotate.get_verdict(w.project, 2, "ana")["status"] == "confirmed"
    assert w.panel.current_quote_id() == 3   # moved on to the next reported one
    qtbot.keyClick(w.reader.text, Qt.Key.Key_Delete)
    assert annotate.get_verdict(w.project, 3, "ana")["status"] == "rejected"
    w.undo_stack.undo()
    assert annotate.get_verdict(w.project, 3, "ana") is None


def test_re_attribute_and_label_the_stance_of_reported_speech(reported_window, qtbot):
    w = reported_window
    w.panel.select_quote(2)
    w.set_speaker_name("Tom Berg")
    quote = next(q for q in articles.get_article(w.project, 1, "ana").quotes if q["id"] == 2)
    assert quote["shown_speaker"] == "Tom Berg" and quote["status"] == "corrected"
    w.panel.quotes_view.setFocus()
    w.panel.select_quote(2)
    qtbot.keyClick(w.panel.quotes_view, Qt.Key.Key_1)
    task = w.scheme.stance_task("quote")
    assert labels.quote_choices(w.project, 1, "ana", task.id) == {2: task.options[0].id}
    row = w.panel.quotes_model.row_of(2)
    assert w.panel.quotes_model.data(w.panel.quotes_model.index(row, COL_STANCE)) == "against"


def test_r_corrects_the_selected_reported_quote_and_undo_restores_it(reported_window, qtbot):
    w = reported_window
    w.panel.select_quote(2)
    start, end = _at("Mayor Ann Lee said the tunnel would open in May")
    start = TEXT.index("the tunnel")   # the person reads the clause the same, but wants 'in May' out
    end = TEXT.index(" in May")
    w.reader.text.select_offsets(start, end)
    qtbot.keyClick(w.reader.text, Qt.Key.Key_R)
    view = articles.get_article(w.project, 1, "ana")
    mine = [q for q in view.quotes if q["origin"] == "human"]
    assert [(q["form"], q["content"]) for q in mine] == [("indirect", "the tunnel would open")]
    assert w.project.db["quotes"].get(mine[0]["id"])["replaces_id"] == 2
    assert annotate.get_verdict(w.project, 2, "ana")["status"] == "rejected"
    assert w.panel.current_quote_id() == mine[0]["id"]
    w.undo_stack.undo()
    assert all(q["origin"] != "human" for q in articles.get_article(w.project, 1, "ana").quotes)
    assert annotate.get_verdict(w.project, 2, "ana") is None


def test_r_on_a_selection_with_quote_marks_marks_mixed_speech(reported_window, qtbot):
    w = reported_window
    w.panel.select_quote(None)
    start, end = _at('the first plan was "a fairy tale"')
    w.reader.text.select_offsets(start, end)
    qtbot.keyClick(w.reader.text, Qt.Key.Key_R)
    mine = [q for q in articles.get_article(w.project, 1, "ana").quotes if q["origin"] == "human"]
    assert [(q["form"], q["text"]) for q in mine] == [("mixed", "a fairy tale")]
