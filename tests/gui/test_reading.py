"""Reading and correcting: a quote chosen in the list is scrolled to and flashed in the text; the
search box's words are marked in the text, with next / previous hit."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.gui.reader import FLASH_MS
from tests.gui.conftest import ARTICLES


def test_choosing_a_quote_in_the_list_scrolls_to_it_and_flashes_it(window, qtbot):
    long_text = ARTICLES[0][3] + "\n\n" + "\n\n".join(f"Filler paragraph {i} about nothing." for i in range(300))
    window.project.db["articles"].update(1, {"text": long_text})
    late = len(long_text) - 20
    window.project.db["quotes"].insert({"article_id": 1, "start": late, "end": late + 9,
                                        "text": long_text[late:late + 9], "origin": "auto", "confidence": 0.8})
    window.project.conn.commit()
    window.go_to(1)
    text = window.reader.text
    assert text.verticalScrollBar().value() == 0
    quote = window.article.quotes[-1]
    window.panel.select_quote(quote["id"])
    assert text.verticalScrollBar().value() > 0  # scrolled down to it
    rect = text.cursorRect()
    assert text.viewport().rect().contains(rect.center())
    assert text.textCursor().position() == text.offsets.to_qt(quote["start"])
    assert text.flashing()
    [mark] = text.extraSelections()
    assert (mark.cursor.selectionStart(), mark.cursor.selectionEnd()) == (
        text.offsets.to_qt(quote["start"]), text.offsets.to_qt(quote["end"]))
    qtbot.waitUntil(lambda: not text.flashing(), timeout=FLASH_MS * 5)
    assert text.extraSelections() == []


def test_search_hits_are_marked_with_next_and_previous(window, qtbot):
    window.search.setFocus()
    qtbot.keyClicks(window.search, "bridge")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    text = window.reader.text
    body = window.article.text.casefold()
    expected = body.count("bridge")
    assert expected >= 1
    assert len(text.search_hits) == expected == len(text.extraSelections())
    assert "search hits" in window.statusBar().currentMessage()
    qtbot.keyClick(window.search, Qt.Key.Key_Escape)  # back to the text, then F3
    qtbot.keyClick(text, Qt.Key.Key_F3)
    first = text.textCursor().position()
    assert text.toPlainText()[first:first + 6].casefold() == "bridge"
    assert text.current_hit == 0
    qtbot.keyClick(text, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert text.current_hit == (expected - 1) % expected
    window.search.clear()
    window.apply_filter()
    assert text.search_hits == [] and text.extraSelections() == []


def test_quote_list_shows_confidence_and_hides_unchecked_detections_below_the_cli_threshold(window, qtbot):
    from annotator.core.detect.confidence import MIN_CONFIDENCE
    from annotator.gui.quotes_model import COL_CONFIDENCE

    text = window.article.text
    start = text.index("Markup")
    window.project.db["quotes"].insert({"article_id": 1, "start": start, "end": start + 6, "text": "Markup",
                                        "origin": "auto", "confidence": 0.3})
    window.project.conn.commit()
    window.go_to(1)
    model, panel = window.panel.quotes_model, window.panel
    assert panel.min_confidence.value() == MIN_CONFIDENCE == 0.5  # what `annotator quotes` leaves out
    assert [model.data(model.index(r, COL_CONFIDENCE)) for r in range(model.rowCount())] == ["0.93", "0.60"]
    assert "1 less sure hidden" in panel.quotes_label.text()
    panel.min_confidence.setValue(0.0)
    assert model.rowCount() == 3 and model.data(model.index(2, COL_CONFIDENCE)) == "0.30"
    low = model.quote(2)["id"]
    window.panel.select_quote(low)
    window.confirm_quote()  # checked by a person: shown whatever its confidence
    panel.min_confidence.setValue(0.8)
    assert [model.quote(r)["id"] for r in range(model.rowCount())] == [1, low]
    window.save_settings()
    assert float(window.settings.value("quotes/min_confidence")) == 0.8


def test_a_speaker_correction_can_apply_to_every_quote_of_the_same_mention_in_one_undo_step(window, qtbot,
                                                                                           monkeypatch):
    from annotator.core import annotate

    text = window.article.text
    start = text.index("not bold")
    okafor = text.index("Helena Okafor")
    window.project.db["quotes"].insert({"article_id": 1, "start": start, "end": start + 8, "text": "not bold",
                                        "origin": "auto", "confidence": 0.9, "speaker": "Helena Okafor",
                                        "speaker_start": okafor, "speaker_end": okafor + 13})
    window.project.conn.commit()
    window.go_to(1)
    asked = []
    monkeypatch.setattr(window, "ask_same_speaker", lambda quote, others, name: asked.append(len(others)) or True)
    first = window.article.quotes[0]
    window.panel.select_quote(first["id"])
    window.set_speaker_name("Marcus Wren")
    assert asked == [1]
    same = [q["id"] for q in window.article.quotes if q["speaker_start"] == okafor]
    assert len(same) == 2
    for quote_id in same:
        assert annotate.get_verdict(window.project, quote_id, "ana")["speaker"] == "Marcus Wren"
    other = next(q for q in window.article.quotes if q["speaker_start"] != okafor)
    assert annotate.get_verdict(window.project, other["id"], "ana") is None
    window.undo_stack.undo()  # one step takes both back
    assert all(annotate.get_verdict(window.project, q, "ana") is None for q in same)
    monkeypatch.setattr(window, "ask_same_speaker", lambda quote, others, name: False)
    window.panel.select_quote(first["id"])
    window.set_speaker_name("Marcus Wren")
    assert [annotate.get_verdict(window.project, q, "ana") is not None for q in same] == [True, False]
