"""The detector's quicker paths give what the plain ones give, on texts written for the test."""

from __future__ import annotations

import bisect

from annotator.core.detect import detect
from annotator.core.detect.marks import find_mark_spans
from annotator.core.detect.names import Cast, _name_runs
from annotator.core.detect.speakers import np_after, np_before, tokens

TEXT = ("Mayor Ann Lee of Salem said on Monday that \u201cTom Berg and Eli Cobb will not decide this.\u201d\n\n"
        "\u201cAsk Rosa Diaz,\u201d she said. Councillor Mira Hale, who sat beside Lee, said nothing.\n\n"
        "'Dana Novak knows,' Hale added, and \u201cPeter King\u201d laughed. Tom Berg left early.\n")


def _inside(text):
    return [(s.start, s.end) for s in find_mark_spans(text)]


def test_name_runs_skip_exactly_the_matches_that_start_inside_a_quote():
    skip = _inside(TEXT)
    assert len(skip) == 4
    plain = _name_runs(TEXT, [])
    starts = [s for s, _ in skip]
    # the plain rule, a bisect per run: the runs kept are those that start outside every quote
    outside = [r for r in plain if not (bisect.bisect_right(starts, r.role_start) - 1 >= 0
                                       and r.role_start < skip[bisect.bisect_right(starts, r.role_start) - 1][1])]
    assert [(r.start, r.end, r.name) for r in _name_runs(TEXT, skip)] == [(r.start, r.end, r.name) for r in outside]
    names = [r.name for r in _name_runs(TEXT, skip)]
    assert "Tom Berg" in names and "Ann Lee" in names and "Mira Hale" in names
    assert not {"Eli Cobb", "Rosa Diaz", "Dana Novak", "Peter King"} & set(names)   # only ever inside quotes
    assert [r.name for r in Cast(TEXT, skip).runs] == names


def test_cached_phrases_are_per_text():
    a = "and then Ann Lee said it."
    b = "and then the new mayor said it."
    assert np_before(a, 0, 16) == (9, 16) and np_before(a, 0, 16) == (9, 16)
    assert np_before(b, 0, 16) is None   # the same range of another text: its own answer ('the new' is no phrase)
    assert np_before(b, 0, 22) == (9, 22)
    assert tokens(a, 9, 16) == [(9, 12, "Ann"), (13, 16, "Lee")] and tokens(b, 9, 16) == [(9, 12, "the"), (13, 16, "new")]
    assert tokens("Mr. Lee left.", 0, 13) == [(0, 3, "Mr."), (4, 7, "Lee"), (8, 12, "left")]   # the full stop tidied off
    assert tokens("Lee left, then", 0, 14) == [(0, 3, "Lee"), (4, 8, "left"), (8, 9, ","), (10, 14, "then")]
    assert np_after("according to Ann Lee, who", 13, 25) == (13, 20)


def test_pronouns_still_prefer_the_person_who_spoke():
    text = ("Ann Lee met Mary Hale on Monday.\n\n\u201cWe will win,\u201d Lee said.\n\n"
            "Hale did not answer. \u201cIt is over,\u201d she said.\n")
    det = detect(text)
    assert [q.speaker for q in det.quotes if q.form == "direct"] == ["Ann Lee", "Mary Hale"]
    again = detect(text)   # caches warm: the same answer
    assert again == det
