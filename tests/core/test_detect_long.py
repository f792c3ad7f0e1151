"""Very long texts are detected in pieces: the same quotes, offsets into the whole text."""

from annotator.core import detect as detect_module
from annotator.core.detect import detect


def test_long_text_gives_the_quotes_of_its_paragraphs_with_whole_text_offsets(monkeypatch):
    paragraph = '"We will rebuild the pier by spring," harbour master Lena Brandt said on Monday.'
    text = "\n\n".join([paragraph] * 40)
    whole = detect(text)
    monkeypatch.setattr(detect_module, "PIECE_CHARS", 400)  # force many pieces
    pieced = detect(text)
    assert len(pieced.quotes) == len(whole.quotes) == 40
    for quote in pieced.quotes:
        assert text[quote.start : quote.end] == "We will rebuild the pier by spring,"
        assert quote.speaker == "Lena Brandt"
        assert text[quote.speaker_start : quote.speaker_end] == "Lena Brandt"
    for mention in pieced.mentions:
        assert text[mention.start : mention.end] == mention.text


def test_one_huge_paragraph_is_cut_at_sentence_ends(monkeypatch):
    monkeypatch.setattr(detect_module, "PIECE_CHARS", 300)
    text = " ".join(['The mayor said the plan was "ready to go" this week.'] * 60)
    result = detect(text)
    starts = [q.start for q in result.quotes]
    assert starts == sorted(starts)
    assert all(0 <= q.start <= q.end <= len(text) for q in result.quotes)
