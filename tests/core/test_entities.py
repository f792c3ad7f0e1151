"""Entities: one name per source across articles, and the edits a person makes to the registry."""

from pathlib import Path

import pytest

from annotator.core.entities import (
    EntityError,
    add_alias,
    create_entity,
    delete_entity,
    entity_for_name,
    export_entities_csv,
    get_entity,
    import_entities_csv,
    list_entities,
    merge_entities,
    remove_alias,
    rename_entity,
    restore_entity,
    restore_link,
    set_link,
    split_alias,
    undo_merge,
    undo_rename,
    undo_split,
)
from annotator.core.linking import link_all, link_article
from annotator.core.names import normalise_name, split_title

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "entities"


# --- building articles with detections ----------------------------------------------------------


def add_article(project, uid: str) -> int:
    return project.db["articles"].insert({"uid": uid, "title": uid, "text": "(text not needed here)"}).last_pk


def add_mention(project, article_id: int, start: int, text: str, name: str | None = None, kind="person",
                role=None) -> int:
    return project.db["mentions"].insert({
        "article_id": article_id, "start": start, "end": start + len(text), "text": text, "name": name or text,
        "kind": kind, "role": role, "origin": "auto",
    }).last_pk


def add_quote(project, article_id: int, start: int, speaker: str | None, kind="person", role=None,
              mention_id=None) -> int:
    return project.db["quotes"].insert({
        "article_id": article_id, "start": start, "end": start + 20, "text": "words", "speaker": speaker,
        "speaker_kind": kind, "speaker_role": role, "mention_id": mention_id, "origin": "auto",
    }).last_pk


def entity_of(project, table: str, row_id: int):
    row = project.conn.execute(f"SELECT entity_id, link_by, link_score FROM {table} WHERE id = ?", [row_id]).fetchone()
    return row


def entity_named(project, name: str):
    matches = [e for e in list_entities(project) if e.name == name]
    assert len(matches) == 1, [e.name for e in list_entities(project)]
    return matches[0]


# --- names --------------------------------------------------------------------------------------


@pytest.mark.parametrize("written, name, role", [
    ("US Deputy Secretary of State Christopher Landau", "Christopher Landau", "US Deputy Secretary of State"),
    ("State Department spokeswoman Tammy Bruce", "Tammy Bruce", "State Department spokeswoman"),
    ("Commerce Secretary Howard Lutnick", "Howard Lutnick", "Commerce Secretary"),
    ("Dr. Ana Ferreira", "Ana Ferreira", "Dr."),
    ("Senator Ruth Abernathy's", "Ruth Abernathy", "Senator"),
    ("Ines Okoro, a harbour authority spokeswoman", "Ines Okoro", "harbour authority spokeswoman"),
    ("Ines Okoro", "Ines Okoro", None),
])
def test_titles_and_roles_are_split_from_the_name(written, name, role):
    assert split_title(written) == (name, role)


def test_organisation_names_keep_their_words():
    assert split_title("State Department", "organisation") == ("State Department", None)


def test_normalised_names_ignore_case_accents_spacing_and_possessive():
    assert normalise_name("  José   ÁLVAREZ's ") == "jose alvarez"
    assert normalise_name("J.D. O'Hara") == normalise_name("j. d. ohara")


# --- auto-linking -------------------------------------------------------------------------------


def test_a_surname_links_to_the_full_name_used_in_the_same_article(tmp_project):
    a = add_article(tmp_project, "a1")
    full = add_mention(tmp_project, a, 10, "Marisol Quennell", role="Harbour Master")
    short = add_mention(tmp_project, a, 300, "Quennell")
    quote = add_quote(tmp_project, a, 320, "Quennell", mention_id=short)
    link_article(tmp_project, a)
    entity = entity_named(tmp_project, "Marisol Quennell")
    assert {entity_of(tmp_project, "mentions", m)[0] for m in (full, short)} == {entity.id}
    assert entity_of(tmp_project, "quotes", quote)[:2] == (entity.id, "auto")
    assert "Quennell" in entity.aliases
    assert entity.role == "Harbour Master"
    assert entity.links == 3


def test_title_in_a_speaker_name_is_kept_as_the_role_not_the_name(tmp_project):
    a = add_article(tmp_project, "a1")
    add_quote(tmp_project, a, 5, "US Deputy Trade Secretary Tobias Varga")
    add_quote(tmp_project, a, 200, "Varga")
    link_article(tmp_project, a)
    entity = entity_named(tmp_project, "Tobias Varga")
    assert entity.role == "US Deputy Trade Secretary"
    assert entity.quotes == 2


def test_an_unknown_role_before_a_known_name_is_not_part_of_the_name(tmp_project):
    a, b = add_article(tmp_project, "a1"), add_article(tmp_project, "a2")
    add_mention(tmp_project, a, 0, "Harbour Master Marisol Quennell")
    add_mention(tmp_project, a, 80, "Marisol Quennell")
    add_mention(tmp_project, b, 0, "Pilot Boat Skipper Marisol Quennell")
    link_all(tmp_project)
    entity = entity_named(tmp_project, "Marisol Quennell")
    assert entity.role == "Harbour Master"
    assert entity.mentions == 3 and len(list_entities(tmp_project)) == 1
    assert not any("Skipper" in alias or "Harbour" in alias for alias in entity.aliases)


def test_same_name_in_other_articles_is_the_same_entity_and_typos_link_with_a_score(tmp_project):
    first, second, third = (add_article(tmp_project, f"a{i}") for i in range(3))
    add_mention(tmp_project, first, 0, "Marisol Quennell")
    again = add_mention(tmp_project, second, 0, "Marisol Quennell")
    typo = add_mention(tmp_project, third, 0, "Marisol Quenell")
    report = link_all(tmp_project)
    assert report.articles == 3
    entity = entity_named(tmp_project, "Marisol Quennell")
    assert entity_of(tmp_project, "mentions", again) == (entity.id, "auto", 100.0)
    eid, by, score = entity_of(tmp_project, "mentions", typo)
    assert eid == entity.id and by == "auto" and 90 <= score < 100
    assert len(list_entities(tmp_project)) == 1


def test_different_people_sharing_a_surname_stay_apart(tmp_project):
    a = add_article(tmp_project, "a1")
    anna = add_mention(tmp_project, a, 0, "Anna Berg")
    jonas = add_mention(tmp_project, a, 100, "Jonas Berg")
    after_jonas = add_mention(tmp_project, a, 150, "Berg")
    link_article(tmp_project, a)
    anna_id = entity_of(tmp_project, "mentions", anna)[0]
    jonas_id = entity_of(tmp_project, "mentions", jonas)[0]
    assert anna_id != jonas_id
    assert entity_of(tmp_project, "mentions", after_jonas)[0] == jonas_id


def test_acronym_links_to_the_organisation_named_in_full(tmp_project):
    a = add_article(tmp_project, "a1")
    full = add_mention(tmp_project, a, 0, "Harbour Workers Guild", kind="organisation")
    short = add_mention(tmp_project, a, 90, "HWG", kind="organisation")
    link_article(tmp_project, a)
    assert entity_of(tmp_project, "mentions", full)[0] == entity_of(tmp_project, "mentions", short)[0]


def test_relinking_changes_nothing_and_keeps_links_a_person_made(tmp_project):
    a, b = add_article(tmp_project, "a1"), add_article(tmp_project, "a2")
    m1 = add_mention(tmp_project, a, 0, "Marisol Quennell")
    m2 = add_mention(tmp_project, b, 0, "Marisol Quennell")
    short = add_mention(tmp_project, b, 50, "Quennell")
    link_all(tmp_project)
    other = create_entity(tmp_project, "Dario Quennell")
    set_link(tmp_project, "mentions", m2, other, by="ana")
    before = len(list_entities(tmp_project))
    report = link_all(tmp_project)
    assert len(list_entities(tmp_project)) == before
    assert entity_of(tmp_project, "mentions", m2) == (other, "ana", None)
    assert report.kept == 1
    # The person's choice steers the short form in that article, not the first article.
    assert entity_of(tmp_project, "mentions", short)[0] == other
    assert entity_of(tmp_project, "mentions", m1)[0] != other


def test_pronouns_and_lowercase_descriptions_make_no_entities(tmp_project):
    a = add_article(tmp_project, "a1")
    add_quote(tmp_project, a, 0, "he")
    add_quote(tmp_project, a, 50, "a spokeswoman")
    add_quote(tmp_project, a, 90, None, kind="unknown")
    link_article(tmp_project, a)
    assert list_entities(tmp_project) == []


# --- registry edits and their undo --------------------------------------------------------------


def linked_pair(project):
    """Two entities that are one person, each with links and aliases."""
    a, b = add_article(project, "a1"), add_article(project, "a2")
    add_mention(project, a, 0, "Marisol Quennell")
    add_mention(project, a, 60, "Quennell")
    add_mention(project, b, 0, "M. Quennell-Ortiz")
    add_quote(project, b, 40, "M. Quennell-Ortiz")
    link_all(project)
    return entity_named(project, "Marisol Quennell"), entity_named(project, "M. Quennell-Ortiz")


def snapshot(project):
    return (
        sorted(project.conn.execute("SELECT id, entity_id, alias, norm FROM aliases")),
        sorted(project.conn.execute("SELECT id, name, norm, kind, role FROM entities")),
        sorted(project.conn.execute("SELECT id, entity_id, link_by FROM mentions")),
        sorted(project.conn.execute("SELECT id, entity_id, link_by FROM quotes")),
    )


def test_merge_moves_aliases_and_links_and_undo_restores_everything(tmp_project):
    keep, other = linked_pair(tmp_project)
    before = snapshot(tmp_project)
    record = merge_entities(tmp_project, keep.id, other.id)
    merged = get_entity(tmp_project, keep.id)
    assert get_entity(tmp_project, other.id) is None
    assert merged.links == keep.links + other.links
    assert set(merged.aliases) >= {"Quennell", "M. Quennell-Ortiz"}
    undo_merge(tmp_project, record)
    assert snapshot(tmp_project) == before
    # Redo after undo gives the same result again.
    merge_entities(tmp_project, keep.id, other.id)
    assert get_entity(tmp_project, keep.id).links == merged.links


def test_merging_an_entity_with_itself_is_refused(tmp_project):
    eid = create_entity(tmp_project, "Ines Okoro")
    with pytest.raises(EntityError, match="itself"):
        merge_entities(tmp_project, eid, eid)


def test_split_moves_the_alias_and_the_mentions_that_wrote_it(tmp_project):
    keep, other = linked_pair(tmp_project)
    merge_entities(tmp_project, keep.id, other.id)
    before = snapshot(tmp_project)
    record = split_alias(tmp_project, keep.id, "M. Quennell-Ortiz")
    split_off = get_entity(tmp_project, record.new_entity_id)
    assert split_off.name == "M. Quennell-Ortiz"
    assert (split_off.mentions, split_off.quotes) == (1, 1)
    assert get_entity(tmp_project, keep.id).links == keep.links
    assert "M. Quennell-Ortiz" not in get_entity(tmp_project, keep.id).aliases
    undo_split(tmp_project, record)
    assert snapshot(tmp_project) == before


def test_split_of_the_entity_own_name_is_refused(tmp_project):
    keep, _ = linked_pair(tmp_project)
    with pytest.raises(EntityError, match="own name"):
        split_alias(tmp_project, keep.id, "marisol quennell")


def test_linked_entity_cannot_be_deleted_an_unlinked_one_can_and_comes_back(tmp_project):
    keep, _ = linked_pair(tmp_project)
    with pytest.raises(EntityError, match="2 mentions"):
        delete_entity(tmp_project, keep.id)
    assert get_entity(tmp_project, keep.id) is not None
    lonely = create_entity(tmp_project, "Otto Fenn", aliases=["Fenn"])
    removed = delete_entity(tmp_project, lonely)
    assert get_entity(tmp_project, lonely) is None
    restore_entity(tmp_project, removed)
    assert get_entity(tmp_project, lonely).aliases == ["Fenn"]


def test_rename_keeps_the_old_name_as_an_alias_and_undoes(tmp_project):
    eid = create_entity(tmp_project, "Ines Okoro")
    record = rename_entity(tmp_project, eid, "Ines Okoro-Blake")
    entity = get_entity(tmp_project, eid)
    assert entity.name == "Ines Okoro-Blake" and "Ines Okoro" in entity.aliases
    undo_rename(tmp_project, record)
    entity = get_entity(tmp_project, eid)
    assert entity.name == "Ines Okoro" and entity.aliases == []


def test_aliases_add_and_remove_but_the_name_stays(tmp_project):
    eid = create_entity(tmp_project, "Ines Okoro")
    assert add_alias(tmp_project, eid, "Okoro") is True
    assert add_alias(tmp_project, eid, "OKORO") is False
    assert remove_alias(tmp_project, eid, "okoro") is True
    with pytest.raises(EntityError):
        remove_alias(tmp_project, eid, "Ines Okoro")
    with pytest.raises(EntityError, match="name"):
        create_entity(tmp_project, "   ")


def test_a_typed_speaker_name_finds_the_entity_by_name_or_alias_and_keeps_a_title_as_role(tmp_project):
    eid = create_entity(tmp_project, "Howard Lutnick", aliases=["Lutnick"])
    assert entity_for_name(tmp_project, "  howard   LUTNICK ") == eid
    assert entity_for_name(tmp_project, "Commerce Secretary Howard Lutnick") == eid
    assert entity_for_name(tmp_project, "Lutnick's") == eid
    new = entity_for_name(tmp_project, "State Department spokeswoman Tammy Bruce")
    entity = get_entity(tmp_project, new)
    assert (entity.name, entity.kind) == ("Tammy Bruce", "person")
    assert entity.role == "State Department spokeswoman"
    assert "State Department spokeswoman Tammy Bruce" in entity.aliases
    assert entity_for_name(tmp_project, "Tammy Bruce") == new
    assert entity_for_name(tmp_project, "Harbour Workers Guild", kind="organisation") != new
    assert get_entity(tmp_project, entity_for_name(tmp_project, "Harbour Workers Guild")).kind == "organisation"
    assert len(list_entities(tmp_project)) == 3
    with pytest.raises(EntityError, match="name"):
        entity_for_name(tmp_project, " ... ")


def test_hand_link_returns_the_state_to_restore(tmp_project):
    a = add_article(tmp_project, "a1")
    mention = add_mention(tmp_project, a, 0, "Marisol Quennell")
    link_article(tmp_project, a)
    auto_state = entity_of(tmp_project, "mentions", mention)
    other = create_entity(tmp_project, "Dario Quennell")
    previous = set_link(tmp_project, "mentions", mention, other, by="ana")
    assert entity_of(tmp_project, "mentions", mention) == (other, "ana", None)
    restore_link(tmp_project, previous)
    assert entity_of(tmp_project, "mentions", mention) == auto_state


# --- CSV lists ----------------------------------------------------------------------------------


def test_csv_import_creates_entities_with_aliases_and_kinds(tmp_project):
    report = import_entities_csv(tmp_project, FIXTURES / "entity_list.csv")
    assert report.ok and report.created == 5
    guild = entity_named(tmp_project, "Harbour Workers Guild")
    assert guild.kind == "organisation" and set(guild.aliases) == {"HWG", "the Guild"}
    assert entity_named(tmp_project, "Tobias Varga").kind == "person"   # empty kind: person
    again = import_entities_csv(tmp_project, FIXTURES / "entity_list.csv")
    assert (again.created, again.updated) == (0, 5)
    assert len(list_entities(tmp_project)) == 5


def test_csv_import_with_bad_rows_names_them_and_imports_nothing(tmp_project):
    report = import_entities_csv(tmp_project, FIXTURES / "entity_list_bad_rows.csv")
    assert not report.ok
    assert [p.row for p in report.problems] == [3, 4, 6]
    assert "politician" in str(report.problems[1])
    assert str(report.problems[0]).startswith("row 3:")
    assert list_entities(tmp_project) == []


def test_csv_without_a_name_column_is_reported(tmp_project):
    report = import_entities_csv(tmp_project, FIXTURES / "entity_list_no_header.csv")
    assert [p.row for p in report.problems] == [1]
    assert "name" in report.problems[0].message


def test_csv_export_reads_back_the_same(tmp_project, tmp_path):
    import_entities_csv(tmp_project, FIXTURES / "entity_list.csv")
    update_role = create_entity(tmp_project, "Clara Wendt", role="Port Selwyn mayor", aliases=["Wendt"])
    out = tmp_path / "entities.csv"
    assert export_entities_csv(tmp_project, out) == 6
    from annotator.core.store import open_project

    with open_project(tmp_path / "other.db") as other:
        assert import_entities_csv(other, out).created == 6
        shape = lambda p: sorted((e.name, e.kind, e.role, tuple(sorted(e.aliases))) for e in list_entities(p))  # noqa: E731
        assert shape(other) == shape(tmp_project)
    assert update_role


def test_linking_after_a_merge_uses_the_kept_entity(tmp_project):
    older, newer = linked_pair(tmp_project)
    link_all(tmp_project)                       # the cached aliases now know both entities
    merge_entities(tmp_project, newer.id, older.id)
    c = add_article(tmp_project, "a3")
    late = add_mention(tmp_project, c, 0, "Marisol Quennell")
    link_article(tmp_project, c)
    assert entity_of(tmp_project, "mentions", late)[0] == newer.id
