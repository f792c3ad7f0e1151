"""CSV cells a spreadsheet opens safely: control characters removed, formulas neutralised.

A cell is neutralised when, after any leading single quotes, it starts with = + - @ tab or CR
(OWASP's list): it gets a leading single quote. Quotes already there count, so `restore` undoes
`neutralise` exactly. Control characters (NUL, ESC, DEL, C1 ...; not tab, newline or CR, which are
text) are removed first, so that no removal can bring a formula character to the front.

`csv_cell` is the one function every CSV cell goes through, header cells included, in every export
(labels, adjudicated, entities); `clean_csv_line` does the same for a line SQLite built.
"""

from __future__ import annotations

import csv
import io
import re

TRIGGERS = "=+-@\t\r"
_NEEDS = re.compile(r"'*[=+\-@\t\r]")
_RESTORE = re.compile(r"'+[=+\-@\t\r]")
# C0 controls but tab, LF and CR; DEL; C1 controls (U+0080-U+009F, CSI among them)
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


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


def strip_controls(value):
    """Text without control characters (tab, newline and CR kept); non-strings unchanged."""
    if isinstance(value, str) and CONTROLS.search(value):
        return CONTROLS.sub("", value)
    return value


def csv_cell(value, neutral: bool = True):
    """A value as a CSV cell: control characters removed, then (if `neutral`) neutralised."""
    value = strip_controls(value)
    return neutralise(value) if neutral else value


def clean_csv_line(line: str, neutral: bool = True) -> str:
    """A finished CSV line (no line ending) with `csv_cell` applied to each cell. A line without
    control characters comes back as it is (SQLite already neutralised its cells); only a cell that
    removing control characters brings a formula character to the front gets a quote here."""
    if not CONTROLS.search(line):
        return line
    cells = next(csv.reader([line]), [])
    out = []
    for cell in cells:
        clean = strip_controls(cell)
        if neutral and clean != cell and _NEEDS.match(clean) and not _NEEDS.match(cell):
            clean = "'" + clean
        out.append(clean)
    buf = io.StringIO()
    csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n").writerow(out)
    return buf.getvalue()[:-2]


def sql_neutralise(column: str) -> str:
    """An SQL expression doing what `neutralise` does, so the work stays in SQLite for big exports."""
    first = f"substr(ltrim({column}, ''''), 1, 1)"
    # Text from 'A' up to DEL (below any blob) and from '.' to '<' (digits) cannot start with a
    # trigger, nor can NULL: a few comparisons, no function call, let most cells through; unicode()
    # gives the first character's code for the rest (above the C1 controls: no trigger either).
    return (
        f"CASE WHEN {column} >= 'A' COLLATE BINARY AND {column} < char(127) COLLATE BINARY THEN {column} "
        f"WHEN {column} IS NULL OR ({column} >= '.' COLLATE BINARY AND {column} < '=' COLLATE BINARY) "
        f"THEN {column} "
        f"WHEN unicode({column}) > 159 THEN {column} "
        f"WHEN {first} IN ('=', '+', '-', '@', char(9), char(13)) "
        f"THEN '''' || {column} ELSE {column} END"
    )
