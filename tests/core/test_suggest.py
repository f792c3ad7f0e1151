"""Suggestions while typing a source's name: prefixes, initials, accents and typos."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.entities import create_entity
from annotator.core.suggest import SuggestIndex, suggest

PEOPLE = [
    (1, "Howard Lutnick", "person", ["Lutnick", "Commerce Secretary Howard Lutnick"]),
    (2, "Xi Jinping", "person", ["President Xi"]),
    (3, "José Álvarez", "person", ["Pepe Álvarez"]),
    (4, "Harbour Workers Guild", "organisation", ["HWG"]),
    (5, "Omar Tahir", "person", []),
    (6, "Marisol Quennell", "person", ["Quennell"]),
    (7, "Hilde Larsen", "person", []),
    (8, "Lutz Nickel", "person", []),
    (9, "Jinny Xiang", "person", []),
    (10, "Port Selwyn", "place", []),
]


@pytest.fixture(scope="module")
def index():
    idx = SuggestIndex()
    for eid, name, kind, aliases in PEOPLE:
        idx.add_entity(eid, name, kind, aliases)
    return idx


def names(index, query, limit=10):
    return [s.name for s in index.search(query, limit)]


@pytest.mark.parametrize("query, expected", [
    ("lutnik", "Howard Lutnick"),        # a letter missing
    ("lutnikc", "Howard Lutnick"),       # letters swapped
    ("xi jin", "Xi Jinping"),
    ("h lutnick", "Howard Lutnick"),     # initial and surname
    ("Jose", "José Álvarez"),            # accents ignored
    ("ÁLV", "José Álvarez"),
    ("mar", "Marisol Quennell"),         # a prefix beats "Omar" containing it
    ("quenel", "Marisol Quennell"),
    ("hwg", "Harbour Workers Guild"),
])
def test_the_wanted_entity_comes_first(index, query, expected):
    assert names(index, query)[0] == expected


def test_initials_find_every_name_with_them_first(index):
    assert set(names(index, "hl")[:2]) == {"Howard Lutnick", "Hilde Larsen"}
    assert names(index, "h lut")[0] == "Howard Lutnick"   # an initial, then part of the surname


def test_a_match_through_an_alias_says_which_alias(index):
    top = index.search("pepe", 1)[0]
    assert (top.name, top.alias, top.kind) == ("José Álvarez", "Pepe Álvarez", "person")
    assert top.match == "prefix"


def test_prefix_matches_rank_above_fuzzy_ones(index):
    found = index.search("lut", 10)
    assert {s.name for s in found[:2]} == {"Howard Lutnick", "Lutz Nickel"}
    assert all(s.match in ("prefix", "words") for s in found[:2])


def test_each_entity_appears_once_and_limit_is_respected(index):
    found = index.search("l", 3)
    assert len(found) == 3
    assert len({s.entity_id for s in found}) == 3


def test_nothing_typed_or_nothing_like_it_gives_no_suggestions(index):
    assert index.search("", 10) == []
    assert index.search("   ", 10) == []
    assert index.search("zzqxv", 10) == []


def test_index_follows_additions_removals_and_renames():
    idx = SuggestIndex()
    idx.add_entity(1, "Ines Okoro", "person")
    assert names(idx, "okoro") == ["Ines Okoro"]
    idx.add_entity(1, "Ines Okoro-Blake", "person", ["Ines Okoro"])   # renamed: replaced
    assert names(idx, "okoro") == ["Ines Okoro-Blake"]
    idx.add_entity(2, "Otto Fenn", "person")
    assert names(idx, "fen") == ["Otto Fenn"]
    assert idx.remove_entity(2) is True
    assert names(idx, "fen") == []
    assert 2 not in idx and len(idx) == 1


def test_more_often_quoted_entities_come_first_among_equal_matches(tmp_project):
    rare = create_entity(tmp_project, "Dana Whitcombe")
    common = create_entity(tmp_project, "Dana Whitfield")
    article = tmp_project.db["articles"].insert({"uid": "a", "text": "x"}).last_pk
    tmp_project.db["mentions"].insert_all(
        [{"article_id": article, "start": i, "end": i + 1, "origin": "auto", "entity_id": common} for i in range(3)])
    found = suggest(tmp_project, "dana whit")
    assert [s.entity_id for s in found] == [common, rare]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_typed_text_gives_a_list_and_never_an_error(index, query):
    found = index.search(query, 5)
    assert isinstance(found, list) and len(found) <= 5


def test_an_index_refreshed_after_a_merge_offers_the_kept_entity_for_both_names(tmp_project):
    from annotator.core.entities import merge_entities

    keep = create_entity(tmp_project, "Ines Okoro")
    other = create_entity(tmp_project, "Ines Okoro-Blake")
    idx = SuggestIndex.from_project(tmp_project)
    merge_entities(tmp_project, keep, other)
    idx.refresh_entities(tmp_project, [keep, other])
    found = idx.search("okoro-bl", 5)
    assert [s.entity_id for s in found] == [keep]
    assert found[0].alias == "Ines Okoro-Blake"
