"""Nested reported speech in the reader: an attribution inside another's content keeps its own, deeper wash."""

from __future__ import annotations

import os

import pytest

from annotator.core.store import open_project
from annotator.gui import palette
from annotator.gui.reader import nested_reported
from tests.gui.conftest import background_at as _background_at, shown_window, wait_for_jobs

TEXT = ("Harbour tunnel costs double\n\n"
        "Mayor Ann Lee said the tunnel would open in May, according to two council aides.\n\n"
        "Tom Berg said the first plan was sound.")


def _at(words):
    start = TEXT.index(words)
    return start, start + len(words)


def _row(content, speaker, who, cue, qid, near=None):
    a, b = _at(content)
    s, e = _at(who)
    c = TEXT.index(near or cue)
    return dict(id=qid, article_id=1, start=a, end=b, form="indirect", content_start=a, content_end=b,
                text=content, content=content, speaker=speaker, speaker_start=s, speaker_end=e, cue=cue,
                cue_start=c, cue_end=c + len(cue), open_mark="", close_mark="", origin="auto", confidence=0.75,
                kind="clause")


OUTER = "Mayor Ann Lee said the tunnel would open in May"
INNER = "the tunnel would open in May"


@pytest.fixture
def nested_window(qtbot, tmp_path, settings):
    project = open_project(tmp_path / "nested.db")
    db = project.db
    db["articles"].insert({"uid": "n1", "title": "Harbour tunnel costs double", "outlet": "Coastal Gazette",
                           "published": "2024-03-02", "text": TEXT})
    db["quotes"].insert_all([
        _row(OUTER, "council aides", "two council aides", "according to", 1),
        _row(INNER, "Ann Lee", "Ann Lee", "said", 2, near="said the tunnel"),
        _row("the first plan was sound", "Tom Berg", "Tom Berg", "said", 3, near="said the first"),
    ])
    win = shown_window(qtbot, project, settings)
    yield win
    wait_for_jobs(win)
    project.close()




def test_nested_reported_ids():
    rows = [dict(id=1, form="indirect", content_start=0, content_end=50, status="auto"),
            dict(id=2, form="indirect", content_start=10, content_end=40, status="auto"),
            dict(id=3, form="mixed", content_start=12, content_end=20, status="confirmed"),
            dict(id=4, form="indirect", content_start=60, content_end=80, status="auto"),
            dict(id=5, form="direct", content_start=61, content_end=70, status="auto"),
            dict(id=6, form="indirect", content_start=65, content_end=70, status="rejected")]
    assert nested_reported(rows) == {2, 3}


def test_a_nested_attribution_has_a_deeper_wash_inside_the_outer_one(nested_window, qtbot):
    w = nested_window
    outer_only = TEXT.index("Mayor Ann")   # in the outer content, not the inner
    inner_word = TEXT.index("would open")
    other = TEXT.index("first plan")
    outer_bg, inner_bg, other_bg = (_background_at(w, outer_only), _background_at(w, inner_word),
                                    _background_at(w, other))
    hue = palette.translucent(palette.REPORTED_HUE)
    for bg in (outer_bg, inner_bg, other_bg):
        assert bg is not None and (bg.red(), bg.green(), bg.blue()) == (hue.red(), hue.green(), hue.blue())
    assert inner_bg.alpha() > outer_bg.alpha()            # the inner content reads as a band inside the outer
    assert other_bg.alpha() == outer_bg.alpha()           # a lone attribution keeps the light wash
    # the mouse over the inner content finds the inner attribution, over the rest of the outer the outer one
    hl = w.reader.text.highlighter
    assert hl.quote_at(inner_word)[2] == 2 and hl.quote_at(outer_only)[2] == 1
    # selecting the outer one marks all its content, the inner one's stays its own
    hl.set_current_quote(1)
    assert _background_at(w, outer_only).alpha() > outer_bg.alpha()
    shot = os.environ.get("ANNOTATOR_SCREENSHOT_DIR")
    if shot:   # for a person to look at: ANNOTATOR_SCREENSHOT_DIR=/tmp/x pytest tests/gui/test_reported_nested.py
        hl.set_current_quote(None)
        w.grab().save(os.path.join(shot, "nested_reported.png"))
