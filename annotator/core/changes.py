"""What one edit changed, so that each view redraws only that (as Anki's OpChanges).

Core edits that the window makes return a `Change`: which article, the labels as they are now (per
quote and task), the new status or note, whether quotes, mentions or verdicts changed (the article's
spans), and the value an undo puts back. A command hands it to the window, which applies it without
reading the project again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Change:
    article_id: int
    labels: dict[tuple[int | None, int], list[int]] = field(default_factory=dict)  # (quote id, task id) -> options
    status: str | None = None
    note: str | None = None
    spans: bool = False
    before: Any = None
