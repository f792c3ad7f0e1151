"""Options every reader accepts."""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.core.records import ImportProblem
from annotator.core.validate import MAX_ARTICLE_CHARS  # noqa: F401 - a single article larger is refused

# Whole-file formats (one .txt article, .json, .html, .docx) larger than this are refused with a message;
# streaming formats (.jsonl, .csv, Nexis .txt) have no file size limit.
MAX_WHOLE_FILE_BYTES = 64 * 1024 * 1024


def too_large(source, what: str, advice: str = "") -> ImportProblem | None:
    """The problem for a whole-file input over MAX_WHOLE_FILE_BYTES (e.g. "too large for a web page"), else None."""
    if source.size <= MAX_WHOLE_FILE_BYTES:
        return None
    message = (f"too large {what} ({source.size / 2**20:.0f} MB; the limit is "
               f"{MAX_WHOLE_FILE_BYTES / 2**20:.0f} MB)")
    return ImportProblem(source.path, message + (f". {advice}" if advice else ""))


@dataclass(frozen=True)
class ReadOptions:
    """`field_map` maps our field names (text, title, ...) to a file's column/key names (`--map`)."""

    field_map: dict[str, str] = field(default_factory=dict)


def parse_field_map(spec: str | None) -> dict[str, str]:
    """`text=body,title=headline` -> {"text": "body", "title": "headline"}; raises ValueError on bad specs."""
    from annotator.core.ingest.fields import FIELDS

    mapping: dict[str, str] = {}
    if not spec:
        return mapping
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        if "=" not in part:
            raise ValueError(f"'{part}' is not of the form field=column")
        ours, theirs = (s.strip() for s in part.split("=", 1))
        if ours not in FIELDS:
            raise ValueError(f"unknown field '{ours}' (known: {', '.join(FIELDS)})")
        if not theirs:
            raise ValueError(f"no column named for '{ours}'")
        mapping[ours] = theirs
    return mapping
