"""An article's detection made ready to store, on a worker's core.

Import runs this in its reader processes beside reading the file, so the writer only stores: the
quotes and mentions, the names linking compares (normalised once, here), the rows as items to link
and their groups by source (link_plan), so that the writer only looks the groups up in the registry.
No database code here.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.detect import Detection, detect
from annotator.core.link_plan import GroupPlan, detection_items, plan_links
from annotator.core.names import link_names


@dataclass(frozen=True)
class PreparedDetection:
    detection: Detection
    mention_names: list[tuple]   # link_names(...) of each mention, in order
    speaker_names: list[tuple]   # ... of each quote's speaker
    plans: list[GroupPlan] | None = None   # link_plan.plan_links of its rows as items (detection_items)


def prepare_detection(text: str, forms=None) -> PreparedDetection:
    """detect(text, forms) with the names linking will compare."""
    det = detect(text, forms)
    mention_names = [link_names(m.name, m.text, m.kind, m.role) for m in det.mentions]
    speaker_names = [link_names(q.speaker, None, q.speaker_kind, q.role) for q in det.quotes]
    items = detection_items(det, mention_names, speaker_names)[3]   # rebuilt where stored: cheaper than sent
    return PreparedDetection(det, mention_names, speaker_names, plan_links(items))
