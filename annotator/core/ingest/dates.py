"""Dates as news files write them, to ISO 8601 (YYYY-MM-DD, or with a time when one is given)."""

from __future__ import annotations

import re
from datetime import datetime, timezone

# Month names as news databases print them in the interface languages they offer: English, German,
# French, Spanish, Italian, Portuguese and Dutch (full names and the usual abbreviations).
_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january", "januar", "janvier", "janv", "jänner", "enero", "ene", "gennaio", "gen", "janeiro",
             "januari"),
            ("feb", "february", "februar", "février", "févr", "fevrier", "febrero", "febbraio", "fevereiro", "fev",
             "februari"),
            ("mar", "march", "märz", "maerz", "mär", "mars", "marzo", "março", "marco", "maart", "mrt"),
            ("apr", "april", "avril", "avr", "abril", "abr", "aprile"),
            ("may", "mai", "mayo", "maggio", "mag", "maio", "mei"),
            ("jun", "june", "juni", "juin", "junio", "giugno", "giu", "junho"),
            ("jul", "july", "juli", "juillet", "juil", "julio", "luglio", "lug", "julho"),
            ("aug", "august", "août", "aout", "agosto", "ago", "augustus"),
            ("sep", "sept", "september", "septembre", "septiembre", "setiembre", "set", "settembre", "setembro"),
            ("oct", "october", "oktober", "okt", "octobre", "octubre", "ottobre", "ott", "outubro", "out"),
            ("nov", "november", "novembre", "noviembre", "novembro"),
            ("dec", "december", "dezember", "dez", "décembre", "déc", "decembre", "diciembre", "dic", "dicembre",
             "dezembro"),
        ],
        start=1,
    )
    for m in names
}
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_MONTH_FIRST = re.compile(r"^(?:\w+,?\s+)?(\w{3,10})\.?\s+(\d{1,2}),?\s+(\d{4})\b")
# '3 January 1993', '3. Januar 1993', '1er janvier 1993', '3 de enero de 1993', 'martes, 3 de enero de 1993'
_DAY_FIRST = re.compile(r"^(?:\w+,?\s+)?(\d{1,2})(?:\.|er|º|°)?\s+(?:de\s+)?(\w{3,10})\.?,?\s+(?:de\s+)?(\d{4})\b")
# Chinese and Japanese '1993年1月3日', Korean '1993년 1월 3일'
_CJK = re.compile(r"^(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?")
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
    m = _CJK.match(text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        if _valid(y, mo, d):
            return f"{y:04d}-{mo:02d}-{d:02d}"
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
