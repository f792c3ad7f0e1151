"""The project in the files other tools read: REFI-QDA (.qdpx) for MAXQDA, ATLAS.ti, NVivo and
QualCoder; UIMA CAS XMI for INCEpTION; brat standoff; JSON lines for spaCy and Prodigy.

`export_exchange` is the one entry point the CLI and the window share; `qdpx_import.import_qdpx`
brings a .qdpx back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from annotator.core.store import Project

EXCHANGE_FORMATS = ("qdpx", "inception", "brat", "spacy", "prodigy")
TITLES = {
    "qdpx": "REFI-QDA project (.qdpx)",
    "inception": "INCEpTION (UIMA CAS XMI, .zip)",
    "brat": "brat standoff (.ann + .txt, .zip)",
    "spacy": "training JSONL, spaCy style",
    "prodigy": "training JSONL, Prodigy spans",
}
SUFFIXES = {"qdpx": ".qdpx", "inception": ".zip", "brat": ".zip", "spacy": ".jsonl", "prodigy": ".jsonl"}


class ExchangeCancelled(Exception):
    """Cancel was pressed; the partly written file has been removed."""


@dataclass
class ExchangeResult:
    path: Path
    articles: int
    quotes: int
    mentions: int

    def summary(self) -> str:
        return (f"{self.articles:,} articles, {self.quotes:,} quotes, {self.mentions:,} speaker mentions "
                f"written to {self.path}")


def export_exchange(project: Project, fmt: str, out: str | Path, *, annotator: str | None = None,
                    progress: Callable[[int, int, str], None] | None = None,
                    cancelled: Callable[[], bool] | None = None) -> ExchangeResult:
    """Write the project as `fmt` (one of EXCHANGE_FORMATS) to `out`; `annotator` picks one person's
    view for the span formats (qdpx always holds everyone). The file appears whole or not at all."""
    if fmt == "qdpx":
        from annotator.core.exchange.qdpx import export_qdpx

        return export_qdpx(project, out, progress=progress, cancelled=cancelled)
    if fmt == "inception":
        from annotator.core.exchange.inception import export_inception

        return export_inception(project, out, annotator=annotator, progress=progress, cancelled=cancelled)
    if fmt == "brat":
        from annotator.core.exchange.brat import export_brat

        return export_brat(project, out, annotator=annotator, progress=progress, cancelled=cancelled)
    if fmt in ("spacy", "prodigy"):
        from annotator.core.exchange.training import export_training

        return export_training(project, out, style=fmt, annotator=annotator, progress=progress, cancelled=cancelled)
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(EXCHANGE_FORMATS)}")
