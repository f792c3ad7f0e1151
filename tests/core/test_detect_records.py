"""The detector's records built by quick_init: same fields, defaults, equality and hash as the
dataclass's own __init__, still frozen, and dataclasses.replace works."""

from __future__ import annotations

import dataclasses

import pytest

from annotator.core.detect.cues import Cue
from annotator.core.detect.marks import MarkSpan
from annotator.core.detect.model import Mention, Quote, quick_init
from annotator.core.detect.names import NameRun, PersonMention
from annotator.core.detect.reported import Reported
from annotator.core.detect.speakers import Source


@dataclasses.dataclass(frozen=True)
class _Plain:
    start: int
    end: int
    name: str | None = None
    kind: str = "unknown"


@quick_init
@dataclasses.dataclass(frozen=True)
class _Quick:
    start: int
    end: int
    name: str | None = None
    kind: str = "unknown"


def test_quick_init_gives_what_the_generated_init_gives():
    for args, kwargs in [((1, 2), {}), ((1, 2, "Ann Lee"), {}), ((3, 4), {"kind": "person"}),
                         ((), {"start": 5, "end": 6, "name": None, "kind": "document"})]:
        plain, quick = _Plain(*args, **kwargs), _Quick(*args, **kwargs)
        assert dataclasses.astuple(plain) == dataclasses.astuple(quick)
        assert quick == _Quick(*args, **kwargs) and hash(quick) == hash(_Quick(*args, **kwargs))
        assert repr(quick).replace("_Quick", "_Plain") == repr(plain)
    with pytest.raises(TypeError):
        _Quick(1)   # a required field missing
    with pytest.raises(TypeError):
        _Quick(1, 2, wrong=3)


def test_quick_records_stay_frozen_and_replace_works():
    src = Source(3, 9, "Ann Lee", "Ann Lee", "person")
    with pytest.raises(dataclasses.FrozenInstanceError):
        src.name = "Tom Berg"   # type: ignore[misc]
    moved = dataclasses.replace(src, name=None, kind="unknown")
    assert (moved.start, moved.end, moved.name, moved.kind, moved.role, moved.pronoun) == (3, 9, None, "unknown", None, False)
    q = Quote(start=1, end=5, open_mark='"', close_mark='"', kind="sentence")
    assert (q.form, q.confidence, q.content_start, q.speaker_kind) == ("direct", 0.0, None, "unknown")
    assert dataclasses.replace(q, form="mixed").form == "mixed" and q.form == "direct"


def test_every_detector_record_uses_quick_init():
    for cls in (Cue, MarkSpan, Mention, Quote, NameRun, PersonMention, Reported, Source):
        assert cls.__init__.__qualname__ == f"{cls.__qualname__}.__init__"
        assert "__fields" in cls.__init__.__code__.co_varnames, cls   # not the dataclass's own
        assert cls.__dataclass_params__.frozen
