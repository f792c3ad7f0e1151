"""Dates as news files write them, to ISO 8601 (YYYY-MM-DD, or with a time when one is given)."""

from __future__ import annotations

import re
from datetime import datetime, timezone

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            # English, then German and French names as news databases print them
            ("jan", "january", "januar", "janvier", "jänner"), ("feb", "february", "februar", "février"),
            ("mar", "march", "märz", "maerz", "mars"), ("apr", "april", "avril"), ("may", "mai"),
            ("jun", "june", "juni", "juin"), ("jul", "july", "juli", "juillet"),
            ("aug", "august", "août"), ("sep", "sept", "september", "septembre"),
            ("oct", "october", "oktober", "okt", "octobre"), ("nov", "november", "novembre"),
            ("dec", "december", "dezember", "dez", "décembre"),
        ],
        start=1,
    )
    for m in names
}
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_MONTH_FIRST = re.compile(r"^(?:\w+,?\s+)?(\w{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})\b")
_DAY_FIRST = re.compile(r"^(?:\w+,?\s+)?(\d{1,2})\.?\s+(\w{3,9})\.?,?\s+(\d{4})\b")
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_EPOCH = re.compile(r"^\d{9,13}$")


def to_iso(value) -> str | None:
    """ISO form of a date string or number, or None when it cannot be read (never guesses wildly)."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_epoch(float(value))
    text = str(value).strip()
    if not text:
        return None
    m = _ISO.match(text)
    if m:
        y, mo, d, hh, mm, ss, _tz = m.groups()
        if not _valid(int(y), int(mo), int(d)):
            return None
        if hh is None:
            return f"{y}-{mo}-{d}"
        return f"{y}-{mo}-{d}T{hh}:{mm}:{ss or '00'}"
    if _EPOCH.match(text):
        return _from_epoch(float(text))
    for pattern, order in ((_MONTH_FIRST, "mdy"), (_DAY_FIRST, "dmy")):
        m = pattern.match(text)
        if m:
            a, b, y = m.groups()
            month_name, day = (a, b) if order == "mdy" else (b, a)
            month = _MONTHS.get(month_name.lower().rstrip("."))
            if month and _valid(int(y), month, int(day)):
                return f"{int(y):04d}-{month:02d}-{int(day):02d}"
    m = _SLASHED.match(text)
    if m:  # US order, as US news databases write it
        mo, d, y = (int(g) for g in m.groups())
        if _valid(y, mo, d):
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def _valid(y: int, mo: int, d: int) -> bool:
    try:
        datetime(y, mo, d)
    except ValueError:
        return False
    return 1800 <= y <= 2200


def _from_epoch(seconds: float) -> str | None:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000
    try:
        moment = datetime.fromtimestamp(seconds, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%S") if 1800 <= moment.year <= 2200 else None
