"""The entities window: a fuzzy filter, edits that go on the main window's undo stack, refusals that
change nothing, and CSV lists in and out."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.core import entities
from annotator.gui.entities_model import COL_MENTIONS, COL_NAME, EntitiesModel


def entity_named(project, name):
    return next(e for e in entities.list_entities(project) if e.name == name)


def names_shown(win):
    return [win.model.entity(r).name for r in range(win.model.rowCount())]


def test_model_passes_the_qt_model_tester(qtmodeltester, small_project):
    entities.create_entity(small_project, "Marcus Wren", aliases=["Wren", "Councillor Wren"])
    entities.create_entity(small_project, "Eastmoor Council", kind="organisation")
    model = EntitiesModel(small_project)
    qtmodeltester.check(model)
    model.sort(COL_NAME, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    model.set_filter([model.entities[-1].id])
    qtmodeltester.check(model)


def test_opens_from_the_view_menu_and_sorts(window, qtbot):
    action = next(a for a in window.shortcut_actions if a.text().replace("&", "") == "Entities…")
    action.trigger()
    win = window.entities_window
    qtbot.waitExposed(win)
    assert names_shown(win) == ["Helena Okafor"]
    entities.create_entity(window.project, "Anwen Barros")
    win.reload()
    win.view.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
    assert names_shown(win) == ["Anwen Barros", "Helena Okafor"]
    win.view.sortByColumn(COL_MENTIONS, Qt.SortOrder.DescendingOrder)
    assert names_shown(win)[0] == "Helena Okafor"
    assert window.show_entities() is win   # a second Ctrl+I raises the same window


def test_filter_with_a_typo_puts_the_entity_first(window, qtbot):
    for name in ("Howard Lutnick", "Howard Stern", "Luther Vandross", "Lucia Nikolaidis"):
        entities.create_entity(window.project, name)
    win = window.show_entities()
    qtbot.keyClicks(win.filter, "lutnik")
    assert names_shown(win)[0] == "Howard Lutnick"
    assert win.count_label.text().endswith("of 5 entities match")
    win.filter.clear()
    assert len(names_shown(win)) == 5


def test_merge_moves_links_and_ctrl_z_in_the_main_window_restores_both(window, qtbot):
    project = window.project
    okafor = entity_named(project, "Helena Okafor")
    other = entities.create_entity(project, "H. Okafor", aliases=["Mayor Okafor"])
    mention = project.db["mentions"].insert({"article_id": 1, "start": 0, "end": 5, "text": "Mayor",
                                             "name": "H. Okafor", "entity_id": other, "origin": "auto"}).last_pk
    win = window.show_entities()
    win.reload()
    win.select_ids([okafor.id, other])
    dialog = win.merge_selected()
    dialog.choose(okafor.id)
    dialog.accept()
    assert entities.get_entity(project, other) is None
    kept = entities.get_entity(project, okafor.id)
    assert kept.mentions == 2 and {"H. Okafor", "Mayor Okafor"} <= set(kept.aliases)
    assert project.db["mentions"].get(mention)["entity_id"] == okafor.id
    assert names_shown(win) == ["Helena Okafor"]

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.reader.text.setFocus()
    qtbot.keyClick(window.reader.text, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert entities.get_entity(project, other).aliases == ["Mayor Okafor"]
    assert entities.get_entity(project, okafor.id).mentions == 1
    assert project.db["mentions"].get(mention)["entity_id"] == other
    assert sorted(names_shown(win)) == ["H. Okafor", "Helena Okafor"]


def test_rename_in_the_details_and_undo(window, qtbot):
    project = window.project
    okafor = entity_named(project, "Helena Okafor")
    project.db["quotes"].update(1, {"entity_id": okafor.id, "speaker": "Mayor Helena Okafor"})
    window.go_to(1)
    assert window.panel.quotes_model.quote(0)["shown_speaker"] == "Helena Okafor"   # the entity's name
    win = window.show_entities()
    qtbot.waitUntil(win.isActiveWindow)   # keys go to the window that has focus
    win.select_ids([okafor.id])
    win.name_edit.setFocus()
    win.name_edit.setText("Helena Okafor-Reyes")
    qtbot.keyClick(win.name_edit, Qt.Key.Key_Return)
    renamed = entities.get_entity(project, okafor.id)
    assert renamed.name == "Helena Okafor-Reyes"
    assert names_shown(win) == ["Helena Okafor-Reyes"]
    # The quotes table of the main window shows the entity's canonical name.
    assert window.panel.quotes_model.quote(0)["shown_speaker"] == "Helena Okafor-Reyes"
    window.undo_stack.undo()
    assert entities.get_entity(project, okafor.id).name == "Helena Okafor"
    assert win.name_edit.text() == "Helena Okafor"
    assert window.panel.quotes_model.quote(0)["shown_speaker"] == "Helena Okafor"


def test_kind_role_aliases_and_split_are_undoable(window):
    project = window.project
    okafor = entity_named(project, "Helena Okafor").id
    win = window.show_entities()
    assert win.set_kind(okafor, "organisation") and win.set_role(okafor, "Mayor")
    assert win.add_alias(okafor, "Nell Okafor") and win.add_alias(okafor, "Okafor")
    assert not win.add_alias(okafor, "OKAFOR")   # already there: refused, nothing pushed
    assert win.remove_alias(okafor, "Okafor")
    new_id = win.split_alias(okafor, "Nell Okafor")
    assert entities.get_entity(project, new_id).name == "Nell Okafor"
    assert win.current_id() == new_id
    entity = entities.get_entity(project, okafor)
    assert (entity.kind, entity.role, entity.aliases) == ("organisation", "Mayor", [])
    while window.undo_stack.canUndo():
        window.undo_stack.undo()
    entity = entities.get_entity(project, okafor)
    assert (entity.kind, entity.role, entity.aliases) == ("person", None, [])
    assert entities.get_entity(project, new_id) is None


def test_deleting_a_linked_entity_is_refused_with_the_reason_and_changes_nothing(window):
    project = window.project
    okafor = entity_named(project, "Helena Okafor")
    win = window.show_entities()
    win.select_ids([okafor.id])
    before = window.undo_stack.count()
    win.delete_button.click()
    assert "still linked from 1 mentions" in win.message_box.text()
    assert win.message_box.isVisible()
    assert entities.get_entity(project, okafor.id) == okafor
    assert window.undo_stack.count() == before
    # One with no links goes, and comes back with Ctrl+Z.
    lonely = entities.create_entity(project, "Otto Fenn")
    win.reload()
    assert win.delete(lonely) and entities.get_entity(project, lonely) is None
    window.undo_stack.undo()
    assert entities.get_entity(project, lonely).name == "Otto Fenn"


def test_csv_import_with_a_bad_row_shows_it_and_imports_nothing(window, tmp_path):
    bad = tmp_path / "sources.csv"
    bad.write_text("name,kind,aliases\nIsolde Marchetti,person,Marchetti\nGreywater Port Authority,harbour,GPA\n",
                   encoding="utf-8")
    win = window.show_entities()
    assert win.import_csv(str(bad)) is False
    assert "Nothing imported" in win.message_box.windowTitle() or "nothing imported" in win.message_box.text()
    assert "row 3" in win.message_box.informativeText() and "harbour" in win.message_box.informativeText()
    assert [e.name for e in entities.list_entities(window.project)] == ["Helena Okafor"]
    assert not window.undo_stack.canUndo()


def test_csv_import_adds_entities_undo_takes_them_back_and_export_writes_them(window, tmp_path):
    good = tmp_path / "sources.csv"
    good.write_text("name,kind,aliases,role\nIsolde Marchetti,person,Marchetti|I. Marchetti,Harbour master\n"
                    "Helena Okafor,,Nell Okafor,\n", encoding="utf-8")
    win = window.show_entities()
    assert win.import_csv(str(good))
    assert entities.get_entity(window.project, entity_named(window.project, "Isolde Marchetti").id).role \
        == "Harbour master"
    assert "Nell Okafor" in entity_named(window.project, "Helena Okafor").aliases
    assert sorted(names_shown(win)) == ["Helena Okafor", "Isolde Marchetti"]
    window.undo_stack.undo()
    assert [(e.name, e.aliases) for e in entities.list_entities(window.project)] == [("Helena Okafor", [])]
    out = tmp_path / "out.csv"
    assert win.export_csv(str(out)) == 1
    assert out.read_text(encoding="utf-8-sig").splitlines()[1].startswith("Helena Okafor,person")


def test_speaker_completer_offers_a_fuzzy_match_once_the_entity_exists(window, qtbot):
    window.panel.select_quote(2)
    window.panel.speaker.setFocus()
    qtbot.keyClicks(window.panel.speaker, "lutnik")
    assert "Howard Lutnick" not in window.panel.completer_model.stringList()
    # The entity is made in the entities window (a name typed there, or here an import).
    win = window.show_entities()
    csv_file = window.project.path.with_name("list.csv")
    csv_file.write_text("name,kind\nHoward Lutnick,person\n", encoding="utf-8")
    assert win.import_csv(str(csv_file))
    window.activateWindow()
    window.panel.speaker.setFocus()
    window.panel.speaker.clear()
    qtbot.keyClicks(window.panel.speaker, "lutnik")
    assert window.panel.completer_model.stringList()[0] == "Howard Lutnick"
    # A rename in the entities window reaches the completer's index without a rebuild.
    lutnick = entity_named(window.project, "Howard Lutnick").id
    index = window.speaker_names._index
    assert win.rename(lutnick, "Howard W. Lutnick")
    assert window.speaker_names._index is index
    window.panel.speaker.clear()
    qtbot.keyClicks(window.panel.speaker, "lutnik")
    assert window.panel.completer_model.stringList()[0] == "Howard W. Lutnick"


def test_refreshing_the_entities_an_edit_touched_gives_what_a_full_reload_gives(qtmodeltester, small_project):
    """After each kind of edit (and its undo), re-reading only the touched entities leaves the model
    with the same entities, in the same order, as re-reading all of them."""
    p = small_project
    ids = [entities.create_entity(p, n, aliases=a) for n, a in (
        ("Marcus Wren", ["Wren"]), ("Eastmoor Council", []), ("Anwen Barros", ["A. Barros", "Barros"]),
        ("Zed Quill", []))]
    model = EntitiesModel(p)
    model.set_filter([ids[2], ids[0], ids[3]])  # a filter on: it stays, ranked as given

    def same_as_reload(touched):
        model.refresh(touched)
        fresh = EntitiesModel(p)
        fresh.set_filter(model.filter_ids)
        assert [(e.id, e.name, e.aliases, e.links) for e in model.entities] == \
            [(e.id, e.name, e.aliases, e.links) for e in fresh.entities]
        assert [e.id for e in model.rows] == [e.id for e in fresh.rows]
        assert all(model.row_of(e.id) == r for r, e in enumerate(model.rows))
        qtmodeltester.check(model)

    record = entities.rename_entity(p, ids[3], "Aaron Quill")
    same_as_reload([ids[3]])
    entities.undo_rename(p, record)
    same_as_reload([ids[3]])
    merged = entities.merge_entities(p, ids[0], ids[2])
    same_as_reload([ids[0], ids[2]])
    assert model.by_id(ids[2]) is None and ids[2] not in [e.id for e in model.rows]
    entities.undo_merge(p, merged)
    same_as_reload([ids[0], ids[2]])
    split = entities.split_alias(p, ids[2], "Barros")
    same_as_reload([ids[2], split.new_entity_id])
    assert model.by_id(split.new_entity_id).name == "Barros"
    saved = entities.delete_entity(p, ids[1])
    same_as_reload([ids[1]])
    entities.restore_entity(p, saved)
    same_as_reload([ids[1]])


def test_only_edits_made_elsewhere_make_the_window_read_everything_again(window, monkeypatch):
    """The window's own edits refresh what they touched; an edit in the main window (which may type a
    new speaker) makes it re-read the registry when it is next shown."""
    from PySide6.QtGui import QUndoCommand

    win = window.show_entities()
    okafor = entity_named(window.project, "Helena Okafor").id
    full = []
    real = win.model.reload
    monkeypatch.setattr(win.model, "reload", lambda: full.append(1) or real())
    assert win.add_alias(okafor, "Nell Okafor")
    window.undo_stack.undo()
    window.undo_stack.redo()
    assert not win._stale and full == []
    window.undo_stack.push(QUndoCommand("an edit in the main window"))
    assert win._stale
    win.hide()
    win.show()
    assert full == [1] and not win._stale


def test_choosing_an_alias_in_the_list_enables_remove_and_split(window):
    win = window.show_entities()
    okafor = entity_named(window.project, "Helena Okafor").id
    assert win.add_alias(okafor, "Nell Okafor") and win.add_alias(okafor, "Mayor Okafor")
    win.select_ids([okafor])
    assert win.alias_model.stringList() == ["Nell Okafor", "Mayor Okafor"]
    assert win.chosen_alias() is None and not win.remove_alias_button.isEnabled()
    win.alias_list.setCurrentIndex(win.alias_model.index(1))
    assert win.chosen_alias() == "Mayor Okafor"
    assert win.remove_alias_button.isEnabled() and win.split_button.isEnabled()
    win.remove_alias_button.click()
    assert entities.get_entity(window.project, okafor).aliases == ["Nell Okafor"]
    assert win.alias_model.stringList() == ["Nell Okafor"]
