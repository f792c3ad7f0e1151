"""The reader highlights each piece of a quotation interrupted by its cue, not the cue between them."""

from __future__ import annotations

from PySide6.QtGui import QTextCharFormat

from annotator.core.articles import get_article
from annotator.core.importer import import_paths
from annotator.gui.highlight import OffsetMap
from annotator.gui.reader import ReaderView, spans_for
from tests.paths import FIXTURES


def _formats_at(reader, position):
    block = reader.text.document().findBlock(position)
    offset = position - block.position()
    return [QTextCharFormat(r.format) for r in block.layout().formats() if r.start <= offset < r.start + r.length]


def test_each_piece_is_highlighted_as_its_own_quote(qtbot, tmp_project):
    import_paths(tmp_project, [FIXTURES / "detect" / "interrupted.txt"], workers=1)
    article = get_article(tmp_project, 1, "ana")
    first, second = [q for q in article.quotes if q["form"] == "direct"][:2]
    assert first["content_start"] == second["content_start"] and first["content_end"] == second["content_end"]
    spans, quotes, reported = spans_for(article, OffsetMap(article.text))
    assert (first["start"], first["end"], first["id"], "auto") in quotes
    assert (second["start"], second["end"], second["id"], "auto") in quotes and not reported
    reader = ReaderView()
    qtbot.addWidget(reader)
    reader.show_article(article)
    dashed = QTextCharFormat.UnderlineStyle.DashUnderline
    for q in (first, second):
        assert any(f.underlineStyle() == dashed for f in _formats_at(reader, q["start"] + 2))
        assert reader.text.highlighter.quote_at(q["start"] + 2)[2] == q["id"]
    gap = article.text.index("Mayor", first["end"])
    assert reader.text.highlighter.quote_at(gap) is None   # the attribution between is no quote
    assert not any(f.underlineStyle() == dashed for f in _formats_at(reader, gap))
