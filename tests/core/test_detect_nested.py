"""Nested and side-by-side attributions: an attribution inside another's content, on sentences written here."""

from annotator.core.detect import detect
from annotator.core.detect import reported as reported_mod


def items(text):
    return [q for q in detect(text).quotes if q.form != "direct"]


def spans(text):
    return {text[q.content_start:q.content_end]: q for q in items(text)}


def test_according_to_after_a_reported_clause_keeps_both():
    text = "The mayor said the town would wait for the state grant, according to two council aides."
    found = spans(text)
    outer = found["The mayor said the town would wait for the state grant"]
    inner = found["the town would wait for the state grant"]
    assert outer.cue.lower() == "according to" and "aides" in outer.speaker
    assert inner.cue == "said" and "mayor" in inner.speaker
    assert outer.content_start <= inner.content_start and inner.content_end <= outer.content_end


def test_according_to_holding_a_named_source():
    text = "Governor Ruth Pell told donors the budget would pass by June, according to a person at the dinner."
    found = spans(text)
    assert any(q.cue.lower() == "according to" and q.content_start == 0 for q in found.values())
    inner = next(q for q in found.values() if q.cue == "told")
    assert inner.speaker == "Ruth Pell"
    assert text[inner.content_start:inner.content_end] == "the budget would pass by June"


def test_two_attributions_side_by_side_each_get_their_own_content():
    text = "Most farmers said the new levy was fair, but a third of the growers said it would ruin them."
    found = spans(text)
    assert "the new levy was fair" in found
    assert found["it would ruin them"].cue == "said"
    assert "third" in (found["it would ruin them"].speaker or text[found["it would ruin them"].speaker_start:
                                                                     found["it would ruin them"].speaker_end])


def test_side_by_side_with_and_and_a_name():
    text = "Ann Vale said the dam was safe and Tom Reyes said the engineers had never checked it."
    found = spans(text)
    assert found["the dam was safe"].speaker == "Ann Vale"
    assert found["the engineers had never checked it"].speaker == "Tom Reyes"


def test_a_reported_clause_with_no_source_of_its_own_is_no_second_item():
    text = "Ann Vale said the dam was safe and the river had fallen since May."
    assert len(items(text)) == 1


def test_nested_inner_attribution_when_switched_on(monkeypatch):
    text = "Senator Brook said the mayor had told donors that the town would wait for the grant."
    monkeypatch.setattr(reported_mod, "NESTED_INNER", False)
    assert [text[q.content_start:q.content_end] for q in items(text)] == [
        "the mayor had told donors that the town would wait for the grant"]
    monkeypatch.setattr(reported_mod, "NESTED_INNER", True)
    found = spans(text)
    outer = found["the mayor had told donors that the town would wait for the grant"]
    inner = found["the town would wait for the grant"]
    assert outer.speaker == "Brook" or outer.speaker.endswith("Brook")
    assert "mayor" in inner.speaker and inner.cue == "told"


def test_nested_items_are_sorted_and_never_cross():
    text = ("The mayor said the town would wait for the state grant, according to two council aides. "
            "Most farmers said the new levy was fair, but a third of the growers said it would ruin them. "
            "Ann Vale said the dam was safe, according to Tom Reyes.")
    found = detect(text).quotes
    assert [q.start for q in found] == sorted(q.start for q in found)
    for i, q in enumerate(found):
        for r in found[i + 1:]:
            a, b, c, d = q.content_start, q.content_end, r.content_start, r.content_end
            assert b <= c or d <= a or (a <= c and d <= b) or (c <= a and b <= d), "contents cross"
    assert any(r.content_start >= q.content_start and r.content_end <= q.content_end
               for i, q in enumerate(found) for r in found[i + 1:])
