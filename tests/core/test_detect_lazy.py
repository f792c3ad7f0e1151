"""The detector does work only near quotes, yet what it finds still depends on the whole article:
names, genders and cues written far from any quotation mark."""

from __future__ import annotations

from annotator.core.detect import PIECE_CHARS, detect

FILLER = "The committee met again on Tuesday and the vote was put off until the spring session.\n\n"


def test_a_surname_resolves_to_the_full_name_given_paragraphs_away():
    text = ("Tammy Bruce, a radio host from Ohio, spoke at the fair last week.\n\n" + FILLER * 30
            + "\u201cWe will not give up,\u201d Bruce said.\n")
    det = detect(text)
    assert [q.speaker for q in det.quotes] == ["Tammy Bruce"]
    assert text[det.quotes[0].speaker_start:det.quotes[0].speaker_end] == "Bruce"


def test_names_in_paragraphs_without_quotes_are_still_mentions():
    text = "Ann Lee, the mayor of Salem, opened the bridge.\n\n" + FILLER * 5 + "Tom Berg, a councillor, stayed home.\n"
    det = detect(text)
    assert det.quotes == []
    assert [m.name for m in det.mentions] == ["Ann Lee", "Tom Berg"]


def test_a_pronoun_finds_the_person_of_the_paragraph_before():
    text = ("Governor Ann Lee visited the flooded town on Monday.\n\n"
            "\u201cWe will rebuild every house,\u201d she said.\n")
    det = detect(text)
    assert [(q.speaker, text[q.speaker_start:q.speaker_end]) for q in det.quotes] == [("Ann Lee", "she")]


def test_a_gender_learnt_far_away_picks_the_right_person():
    # Tom Berg is the nearer name, but "she" can only be Ann Lee (her gender comes from "Mrs." far above)
    text = ("Mrs. Lee arrived early.\n\n" + FILLER * 12 + "Ann Lee and Tom Berg met the press.\n\n"
            "Berg left first. \u201cIt was a long day,\u201d she said.\n")
    det = detect(text)
    assert [q.speaker for q in det.quotes] == ["Ann Lee"]


def test_a_cue_in_the_paragraph_before_a_colon_introduces_the_quote():
    text = FILLER * 3 + "The minister, Ana Costa, told reporters:\n\n\u201cThe budget is balanced.\u201d\n"
    det = detect(text)
    assert [(q.speaker, q.cue) for q in det.quotes] == [("Ana Costa", "told reporters")]


def test_a_text_longer_than_a_piece_gives_what_its_pieces_give():
    part = ("Ann Lee, the mayor, spoke on Monday.\n\n" + FILLER * 20
            + "\u201cWe have done everything we could,\u201d Lee said.\n\n")
    text = part * (PIECE_CHARS // len(part) + 2)
    det = detect(text)
    assert len(text) > PIECE_CHARS
    assert len(det.quotes) == text.count("\u201cWe have")
    assert {q.speaker for q in det.quotes} == {"Ann Lee"}
    assert all(text[q.start:q.end] == "We have done everything we could," for q in det.quotes)


def test_the_same_text_twice_gives_the_same_detection():
    text = "\u201cIt is late,\u201d said Peter Novak, a union leader.\n\n" + FILLER
    assert detect(text) == detect(text)
