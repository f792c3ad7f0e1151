"""The records a detector returns, and the protocol every detector follows."""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from typing import Protocol


def quick_init(cls):
    """A frozen dataclass whose __init__ fills the instance's __dict__ directly: the generated one
    calls object.__setattr__ once per field, three times slower, and detection makes many of these
    records. Same parameters, defaults and result; the class stays frozen (assignment raises),
    with the same eq, hash, repr and dataclasses.replace."""
    params = cls.__dataclass_params__
    assert params.frozen and not hasattr(cls, "__post_init__") and "__slots__" not in cls.__dict__, cls
    names, args, defaults = [], [], {}
    for f in fields(cls):
        assert f.init and f.default_factory is MISSING and not f.kw_only, (cls, f.name)
        names.append(f.name)
        if f.default is MISSING:
            args.append(f.name)
        else:
            defaults[f"_default_{f.name}"] = f.default
            args.append(f"{f.name}=_default_{f.name}")
    lines = [f"def __init__(__record, {', '.join(args)}):", "    __fields = __record.__dict__"]
    lines += [f"    __fields[{n!r}] = {n}" for n in names]
    namespace = dict(defaults)
    exec("\n".join(lines), namespace)   # noqa: S102 - the source is built from the field names above
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init
    return cls


@quick_init
@dataclass(frozen=True)
class Mention:
    """A place where the article names or points at a source."""
    start: int
    end: int
    text: str                 # as written ("he", "Bruce", "the statement")
    name: str | None       # resolved: the most complete name the article gives
    kind: str                 # "person" | "organisation" | "document" | "unknown"
    role: str | None = None


@quick_init
@dataclass(frozen=True)
class Quote:
    """One attribution. Direct: text[start:end] is what stands between the marks."""
    start: int
    end: int
    open_mark: str
    close_mark: str           # "" when a paragraph of a long quote ends without closing
    kind: str                 # "sentence" | "fragment" | "paragraph"
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    role: str | None = None
    speaker_kind: str = "unknown"
    confidence: float = 0.0
    form: str = "direct"      # "direct" | "mixed" | "indirect"
    # the attribution's content, what the source is reported to have said: for a direct quote its
    # quoted words (for the pieces of one quotation interrupted by its cue, '"A," she said. "B."', all of
    # them: the first piece's start to the last one's end, the same on every piece); for mixed and indirect ones the whole reported clause (start/end then run over
    # the quoted words of a mixed one, and equal the content for an indirect one)
    content_start: int | None = None
    content_end: int | None = None


@dataclass(frozen=True)
class Detection:
    quotes: list[Quote] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    detector: str = ""


class Detector(Protocol):
    """Anything that turns an article's text into quotes and mentions (rules now, a model later)."""
    version: str

    def detect(self, text: str, forms=None) -> Detection: ...
