"""brat standoff: per article `<name>.txt` (the text) and `<name>.ann`, plus `annotation.conf`.

T lines for quotes (`Quote`) and speaker mentions (`Speaker`), R lines `Said-by Arg1:quote Arg2:speaker`,
A lines for a quote's `Form` and `Stance`. Offsets are characters (code points) of the .txt; a span
crossing a line break is written as fragments (`start end;start end`), as brat wants.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from annotator.core.exchange import ExchangeResult
from annotator.core.exchange.bundle import write_article_bundle
from annotator.core.exchange.spans import FORMS, stance_task_name
from annotator.core.store import Project


def _value(name: str) -> str:
    """An attribute value brat accepts (no white space)."""
    return re.sub(r"\s+", "_", name.strip()) or "_"


_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines breaks at
_UNBROKEN = re.compile(f"[^{_LINE_BREAKS}]+")


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The span cut at line breaks (brat draws no span across one, and reads the .ann a line at a
    time), empty pieces dropped: none for a span of line breaks only."""
    return [(m.start(), m.end()) for m in _UNBROKEN.finditer(text, start, end)]


def conf(stance_values: list[str]) -> str:
    values = "|".join(_value(v) for v in stance_values) or "unclear"
    return (
        "[entities]\nQuote\nSpeaker\n\n[relations]\nSaid-by\tArg1:Quote, Arg2:Speaker\n\n[events]\n\n"
        f"[attributes]\nForm\tArg:Quote, Value:{'|'.join(FORMS)}\nStance\tArg:Quote, Value:{values}\n"
    )


def ann_lines(article, stance: str | None) -> list[str]:
    lines, ids, n_t, n_a = [], {}, 0, 0
    text = article.text

    def t_line(label: str, start: int, end: int) -> str | None:
        nonlocal n_t
        parts = fragments(text, start, end)
        if not parts:  # nothing but line breaks: no span brat can draw
            return None
        n_t += 1
        where = ";".join(f"{a} {b}" for a, b in parts)
        shown = " ".join(text[a:b] for a, b in parts)
        lines.append(f"T{n_t}\t{label} {where}\t{shown}")
        return f"T{n_t}"

    for mention in article.mentions:
        tid = t_line("Speaker", mention.start, mention.end)
        if tid is not None:
            ids[mention.id] = tid
    relations = []
    for quote in article.quotes:
        tid = t_line("Quote", quote.start, quote.end)
        if tid is None:
            continue
        n_a += 1
        lines.append(f"A{n_a}\tForm {tid} {quote.form}")
        chosen = quote.labels.get(stance) if stance else None
        if chosen:
            n_a += 1
            lines.append(f"A{n_a}\tStance {tid} {_value(chosen[0])}")
        if quote.mention_id in ids:
            relations.append((tid, ids[quote.mention_id]))
    for n, (quote_t, speaker_t) in enumerate(relations, 1):
        lines.append(f"R{n}\tSaid-by Arg1:{quote_t} Arg2:{speaker_t}")
    return lines


def export_brat(project: Project, out: str | Path, *, annotator: str | None = None,
                progress: Callable | None = None, cancelled: Callable | None = None) -> ExchangeResult:
    stance = stance_task_name(project)
    options = [r[0] for r in project.conn.execute(
        "SELECT o.name FROM options o JOIN tasks t ON t.id = o.task_id WHERE t.level = 'quote' AND t.name = ? "
        "ORDER BY o.position, o.id", [stance])] if stance else []
    return write_article_bundle(
        project, out, {"annotation.conf": conf(options)},
        lambda article: ((f"{article.name}.txt", article.text),
                         (f"{article.name}.ann", "".join(line + "\n" for line in ann_lines(article, stance)))),
        annotator=annotator, progress=progress, cancelled=cancelled)
