"""CSV injection: cells a spreadsheet would run as a formula get a leading single quote.

A cell is neutralised when, after any leading single quotes, it starts with = + - @ tab or CR
(OWASP's list). Quotes already there count, so `restore` undoes `neutralise` exactly.
"""

from __future__ import annotations

import re

TRIGGERS = "=+-@\t\r"
_NEEDS = re.compile(r"'*[=+\-@\t\r]")
_RESTORE = re.compile(r"'+[=+\-@\t\r]")


def neutralise(value):
    """The cell as a spreadsheet can open it safely; non-strings come back unchanged."""
    if isinstance(value, str) and value and _NEEDS.match(value):
        return "'" + value
    return value


def restore(value):
    """The inverse of `neutralise`: the text as it was before export."""
    if isinstance(value, str) and value and _RESTORE.match(value):
        return value[1:]
    return value


def sql_neutralise(column: str) -> str:
    """An SQL expression doing what `neutralise` does, so the work stays in SQLite for big exports."""
    first = f"substr(ltrim({column}, ''''), 1, 1)"
    # Text from 'A' up (below any blob) and from '.' to '<' (digits) cannot start with a trigger, nor
    # can NULL: a few comparisons, no function call, let most cells through; unicode() gives the
    # first character's code for the rest.
    return (
        f"CASE WHEN {column} >= 'A' COLLATE BINARY AND {column} < X'' THEN {column} "
        f"WHEN {column} IS NULL OR ({column} >= '.' COLLATE BINARY AND {column} < '=' COLLATE BINARY) "
        f"THEN {column} "
        f"WHEN unicode({column}) NOT IN (9, 13, 39, 43, 45, 61, 64) THEN {column} "
        f"WHEN {first} IN ('=', '+', '-', '@', char(9), char(13)) "
        f"THEN '''' || {column} ELSE {column} END"
    )
