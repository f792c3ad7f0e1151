"""The window from the keyboard: labelling writes the store, label-and-next moves on, undo restores."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.core import annotate, articles, labels
from annotator.gui.quotes_model import COL_STANCE


def stance_of(window, article_id):
    task = window.scheme.stance_task()
    chosen = labels.chosen_options(window.project, article_id, "ana", task.id)
    return [task.option(o).name for o in chosen]


def topics_of(window, article_id):
    task = next(t for t in window.scheme.tasks if t.kind == "multi")
    return sorted(task.option(o).name for o in labels.chosen_options(window.project, article_id, "ana", task.id))


def test_opens_on_first_article_with_progress_and_annotator(window):
    assert window.article.id == 1
    assert window.progress_label.text() == "0 of 3 labelled by you"
    assert "ana" in window.annotator_button.text()
    assert window.list_model.rowCount() == 3


def test_number_key_sets_stance_and_letter_toggles_topic(window, qtbot):
    qtbot.keyClick(window.reader.text, Qt.Key.Key_1)
    assert stance_of(window, 1) == ["against"]
    qtbot.keyClick(window.reader.text, Qt.Key.Key_3)
    assert stance_of(window, 1) == ["in favour"]
    qtbot.keyClick(window.reader.text, Qt.Key.Key_E)
    qtbot.keyClick(window.reader.text, Qt.Key.Key_H)
    assert topics_of(window, 1) == ["economy", "health"]
    qtbot.keyClick(window.reader.text, Qt.Key.Key_E)
    assert topics_of(window, 1) == ["health"]
    # The panel and the list show it.
    stance_group = window.panel.article_groups[0]
    assert [b.isChecked() for b in stance_group.buttons.values()] == [False, False, True, False]
    assert window.list_model.data(window.list_model.index(0, 4)) == "in favour"


def test_pressing_the_chosen_stance_again_clears_it(window, qtbot):
    qtbot.keyClick(window.reader.text, Qt.Key.Key_2)
    qtbot.keyClick(window.reader.text, Qt.Key.Key_2)
    assert stance_of(window, 1) == []


def test_keys_typed_into_the_note_stay_there(window, qtbot):
    window.panel.note.setFocus()
    qtbot.keyClicks(window.panel.note, "1 E")
    qtbot.keyClick(window.panel.note, Qt.Key.Key_Return)
    assert stance_of(window, 1) == [] and topics_of(window, 1) == []
    assert labels.article_state(window.project, 1, "ana") == ("todo", "1 E")


def test_label_and_next_marks_labelled_and_moves_on(window, qtbot):
    qtbot.keyClick(window.reader.text, Qt.Key.Key_1)
    qtbot.keyClick(window.reader.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert labels.article_state(window.project, 1, "ana")[0] == "labelled"
    assert window.article.id == 2
    assert window.progress_label.text() == "1 of 3 labelled by you"
    assert window.list_model.data(window.list_model.index(0, 3)) == "labelled"
    assert window.list_view.currentIndex().row() == 1


def test_next_unlabelled_and_previous(window, qtbot):
    labels.set_status(window.project, 2, "ana", "labelled")
    qtbot.keyClick(window.reader.text, Qt.Key.Key_N)
    assert window.article.id == 3
    qtbot.keyClick(window.reader.text, Qt.Key.Key_P)
    assert window.article.id == 2


def test_undo_and_redo_restore_the_store(window, qtbot):
    qtbot.keyClick(window.reader.text, Qt.Key.Key_1)
    qtbot.keyClick(window.reader.text, Qt.Key.Key_4)
    qtbot.keyClick(window.reader.text, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stance_of(window, 1) == ["against"]
    qtbot.keyClick(window.reader.text, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stance_of(window, 1) == []
    qtbot.keyClick(window.reader.text, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert stance_of(window, 1) == ["against"]


def test_undo_of_label_and_next_goes_back_to_that_article(window, qtbot):
    qtbot.keyClick(window.reader.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.article.id == 2
    window.undo_stack.undo()
    assert labels.article_state(window.project, 1, "ana")[0] == "todo"
    assert window.article.id == 1


def test_select_text_and_q_marks_a_quote_then_undo_removes_it(window, qtbot):
    text = window.article.text
    start = text.index("Markup stays text")
    window.reader.text.select_offsets(start, start + len("Markup stays text"))
    qtbot.keyClick(window.reader.text, Qt.Key.Key_Q)
    marked = [q for q in articles.get_article(window.project, 1, "ana").quotes if q["origin"] == "human"]
    assert [(q["text"], q["annotator"]) for q in marked] == [("Markup stays text", "ana")]
    assert window.panel.quotes_model.rowCount() == 3
    assert window.panel.current_quote_id() == marked[0]["id"]
    window.undo_stack.undo()
    assert all(q["origin"] != "human" for q in articles.get_article(window.project, 1, "ana").quotes)


def test_s_marks_a_speaker_and_gives_it_to_the_selected_quote(window, qtbot):
    window.panel.select_quote(2)  # "wishful thinking"
    text = window.article.text
    start = text.index("Councillor")
    window.reader.text.select_offsets(start, start + len("Councillor"))
    qtbot.keyClick(window.reader.text, Qt.Key.Key_S)
    view = articles.get_article(window.project, 1, "ana")
    assert any(m["origin"] == "human" and m["text"] == "Councillor" for m in view.mentions)
    quote = next(q for q in view.quotes if q["id"] == 2)
    assert quote["shown_speaker"] == "Councillor" and quote["status"] == "corrected"


def test_q_without_a_selection_explains(window, qtbot):
    qtbot.keyClick(window.reader.text, Qt.Key.Key_Q)
    assert "Select the quoted words" in window.statusBar().currentMessage()


def test_enter_confirms_and_delete_rejects_the_selected_quote(window, qtbot):
    window.panel.select_quote(1)
    window.reader.text.setFocus()
    qtbot.keyClick(window.reader.text, Qt.Key.Key_Return)
    assert annotate.get_verdict(window.project, 1, "ana")["status"] == "confirmed"
    assert window.panel.current_quote_id() == 2  # moved on to the next quote
    qtbot.keyClick(window.reader.text, Qt.Key.Key_Delete)
    assert annotate.get_verdict(window.project, 2, "ana")["status"] == "rejected"
    statuses = [window.panel.quotes_model.quote(r)["status"] for r in range(2)]
    assert statuses == ["confirmed", "rejected"]
    window.undo_stack.undo()
    assert annotate.get_verdict(window.project, 2, "ana") is None


def test_digit_in_quote_list_labels_the_quote(window, qtbot):
    window.panel.quotes_view.setFocus()
    window.panel.select_quote(1)
    qtbot.keyClick(window.panel.quotes_view, Qt.Key.Key_1)
    task = window.scheme.stance_task("quote")
    assert labels.quote_choices(window.project, 1, "ana", task.id) == {1: task.options[0].id}
    assert stance_of(window, 1) == []
    assert window.panel.quotes_model.data(window.panel.quotes_model.index(0, COL_STANCE)) == "against"


def test_completer_offers_a_fuzzy_match_and_enter_sets_the_speaker(window, qtbot):
    window.panel.select_quote(2)
    window.panel.speaker.setFocus()
    window.panel.speaker.clear()
    qtbot.keyClicks(window.panel.speaker, "okafr")
    assert "Helena Okafor" in window.panel.completer_model.stringList()
    window.panel.speaker.setText("Helena Okafor")
    qtbot.keyClick(window.panel.speaker, Qt.Key.Key_Return)
    verdict = annotate.get_verdict(window.project, 2, "ana")
    assert verdict["status"] == "corrected" and verdict["speaker"] == "Helena Okafor"
    assert verdict["entity_id"] is not None


def test_typed_new_name_becomes_an_entity(window, qtbot):
    window.panel.select_quote(1)
    window.panel.speaker.setFocus()
    window.panel.speaker.setText("Petra Lindqvist")
    qtbot.keyClick(window.panel.speaker, Qt.Key.Key_Return)
    assert annotate.get_verdict(window.project, 1, "ana")["speaker"] == "Petra Lindqvist"
    assert window.project.db["entities"].count_where("name = ?", ["Petra Lindqvist"]) == 1


def test_search_and_status_filter(window, qtbot):
    qtbot.keyClicks(window.search, "flood")
    window.apply_filter()
    assert list(window.list_model.ids) == [3]
    assert window.list_count.text() == "1 articles match"
    window.search.clear()
    labels.set_status(window.project, 2, "ana", "labelled")
    window.status_filter.setCurrentIndex(window.status_filter.findData("labelled"))
    assert list(window.list_model.ids) == [2]
    window.status_filter.setCurrentIndex(window.status_filter.findData("todo"))
    assert list(window.list_model.ids) == [1, 3]


def test_search_waits_for_typing_to_pause(window, qtbot):
    qtbot.keyClicks(window.search, "tariffs")
    qtbot.waitUntil(lambda: list(window.list_model.ids) == [2], timeout=3000)


def test_sorting_the_list_by_title(window):
    window.list_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    titles = [window.list_model.data(window.list_model.index(r, 0)) for r in range(3)]
    assert titles == sorted(titles)


def test_switching_annotator_shows_their_own_work(window, qtbot):
    qtbot.keyClick(window.reader.text, Qt.Key.Key_1)
    window.switch_annotator("ben")
    assert "ben" in window.annotator_button.text()
    assert [b.isChecked() for b in window.panel.article_groups[0].buttons.values()] == [False] * 4
    assert window.settings.value("annotator") == "ben"
    assert "ben" in labels.list_annotators(window.project)


def test_position_zoom_and_splitter_are_remembered(qtbot, small_project, settings):
    from annotator.gui.main_window import MainWindow

    first = MainWindow(small_project, "ana", settings)
    qtbot.addWidget(first)
    first.go_to(3)
    first.zoom(2)
    first.splitter.setSizes([300, 700, 400])
    sizes = first.splitter.sizes()
    first.close()
    second = MainWindow(small_project, "ana", settings)
    qtbot.addWidget(second)
    assert second.article.id == 3
    assert second.zoom_steps == 2
    assert second.splitter.sizes() == sizes


def test_cheat_sheet_lists_the_scheme_keys(window, qtbot):
    qtbot.keyClick(window.reader.text, Qt.Key.Key_F1)
    text = window.cheat_sheet.browser.toPlainText()
    for expected in ("economy", "in favour", "Label and next", "Next unlabelled", "Mark selection as a quote"):
        assert expected in text
    window.cheat_sheet.close()


def test_welcome_banner_on_first_demo_start_then_never_again(qtbot, small_project, settings):
    from annotator.gui.main_window import MainWindow

    first = MainWindow(small_project, "ana", settings, welcome=True)
    qtbot.addWidget(first)
    assert "Welcome" in first.reader.banner.text() and not first.reader.banner.isHidden()
    first.label_and_next()
    assert first.reader.banner.isHidden()
    second = MainWindow(small_project, "ana", settings, welcome=True)
    qtbot.addWidget(second)
    assert second.reader.banner.isHidden()
