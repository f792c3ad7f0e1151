"""An article's detection made ready to store, on a worker's core.

Import runs this in its reader processes beside reading the file, so the writer only stores: the
quotes and mentions, and the names linking compares (normalised once, here). No database code here.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.detect import Detection, detect
from annotator.core.names import link_names


@dataclass(frozen=True)
class PreparedDetection:
    detection: Detection
    mention_names: list[tuple]   # link_names(...) of each mention, in order
    speaker_names: list[tuple]   # ... of each quote's speaker


def prepare_detection(text: str, forms=None) -> PreparedDetection:
    """detect(text, forms) with the names linking will compare."""
    det = detect(text, forms)
    return PreparedDetection(
        det,
        [link_names(m.name, m.text, m.kind, m.role) for m in det.mentions],
        [link_names(q.speaker, None, q.speaker_kind, q.role) for q in det.quotes],
    )
