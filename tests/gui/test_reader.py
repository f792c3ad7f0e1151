"""The reader: plain text only, highlights from the span table, tooltips name the speaker."""

from __future__ import annotations

from PySide6.QtGui import QTextCharFormat

from annotator.core.articles import get_article
from annotator.gui.highlight import OffsetMap
from annotator.gui.reader import ReaderView, quote_tip, spans_for


def formats_at(reader, position):
    block = reader.text.document().findBlock(position)
    offset = position - block.position()
    return [QTextCharFormat(r.format) for r in block.layout().formats() if r.start <= offset < r.start + r.length]


def test_markup_is_shown_as_text(qtbot, small_project):
    reader = ReaderView()
    qtbot.addWidget(reader)
    reader.show_article(get_article(small_project, 1, "ana"))
    assert "<b>not bold</b> & <i>not italic</i>" in reader.text.toPlainText()


def test_automatic_quotes_dashed_checked_solid(qtbot, small_project):
    from annotator.core import annotate

    reader = ReaderView()
    qtbot.addWidget(reader)
    article = get_article(small_project, 1, "ana")
    reader.show_article(article)
    quote = article.quotes[0]
    [fmt] = formats_at(reader, quote["start"] + 2)
    assert fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.DashUnderline
    assert fmt.background().color().alpha() > 0
    speaker = formats_at(reader, quote["speaker_start"] + 1)
    assert speaker and speaker[0].background().color() != fmt.background().color()
    annotate.confirm_quote(small_project, quote["id"], "ana")
    reader.show_article(get_article(small_project, 1, "ana"), keep_scroll=True)
    [fmt] = formats_at(reader, quote["start"] + 2)
    assert fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.SingleUnderline
    assert formats_at(reader, 0) == []  # the opening quotation mark is outside the span


def test_hover_tip_and_quote_lookup(qtbot, small_project):
    reader = ReaderView()
    qtbot.addWidget(reader)
    article = get_article(small_project, 1, "ana")
    reader.show_article(article)
    span = reader.text.highlighter.quote_at(article.quotes[1]["start"] + 3)
    assert span[2] == article.quotes[1]["id"]
    tip = quote_tip(reader.text.quotes_by_id[span[2]])
    assert "Marcus Wren" in tip and "automatic" in tip
    assert reader.text.highlighter.quote_at(len(article.text) - 1) is None


def test_offsets_survive_characters_outside_the_basic_plane(qtbot, tmp_project):
    text = "Fans 🎉🎉 cheered. \"We won,\" said Coach Ana Ruiz."
    tmp_project.db["articles"].insert({"uid": "e", "title": "Emoji", "text": text})
    start = text.index("We won")
    tmp_project.db["quotes"].insert({"article_id": 1, "start": start, "end": start + 6, "text": "We won",
                                     "origin": "auto"})
    reader = ReaderView()
    qtbot.addWidget(reader)
    reader.show_article(get_article(tmp_project, 1, None))
    offsets = reader.text.offsets
    assert not offsets.identity and offsets.to_qt(start) == start + 2
    reader.text.select_offsets(start, start + 6)
    assert reader.text.textCursor().selectedText() == "We won"
    assert reader.text.selected_span() == (start, start + 6)
    assert formats_at(reader, offsets.to_qt(start))


def test_offset_map_identity_for_plain_text():
    assert OffsetMap("plain ascii").identity and OffsetMap("café ümlaut").identity


def test_spans_cover_quotes_cues_speakers_and_mentions(small_project):
    article = get_article(small_project, 1, "ana")
    spans, quotes, _reported = spans_for(article, OffsetMap(article.text))
    count = {kind: sum(len(r) for (k, _state), r in spans.items() if k == kind) for kind in ("quote", "cue", "speaker")}
    assert count == {"quote": 2, "cue": 1, "speaker": 4} and len(quotes) == 2


def test_selecting_a_quote_strengthens_only_its_background(qtbot, small_project):
    reader = ReaderView()
    qtbot.addWidget(reader)
    article = get_article(small_project, 1, "ana")
    reader.show_article(article)
    first, second = article.quotes
    plain = formats_at(reader, second["start"] + 1)[0].background().color().alpha()
    reader.text.highlighter.set_current_quote(second["id"])
    assert formats_at(reader, second["start"] + 1)[-1].background().color().alpha() > plain
    assert formats_at(reader, first["start"] + 1)[-1].background().color().alpha() == plain
