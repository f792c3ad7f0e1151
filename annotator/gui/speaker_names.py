"""Speaker names to offer while a person types: the article's own mentions first, then the project's
entities ranked by the core's fuzzy suggestion index (annotator.core.suggest)."""

from __future__ import annotations

from rapidfuzz import fuzz, process, utils

from annotator.core import annotate
from annotator.core.store import Project
from annotator.core.suggest import SuggestIndex


class SpeakerNames:
    """Candidate names for typed text; the entity index is built on first use and kept."""

    def __init__(self, project: Project):
        self.project = project
        self.article_names: list[str] = []
        self._index: SuggestIndex | None = None

    def set_article(self, article_id: int | None) -> None:
        self.article_names = annotate.speaker_names(self.project, article_id, limit=0)

    def entity_added(self) -> None:
        """A typed name may have created an entity: rebuild the index on next use."""
        self._index = None

    def suggest(self, typed: str, limit: int = 10) -> list[str]:
        typed = typed.strip()
        if not typed:
            return self.article_names[:limit]
        local = [name for name, _s, _i in process.extract(
            typed, self.article_names, scorer=fuzz.WRatio, processor=utils.default_process, limit=5,
            score_cutoff=60)]
        if self._index is None:
            self._index = SuggestIndex.from_project(self.project)
        found = [s.name for s in self._index.search(typed, limit)]
        return list(dict.fromkeys(local + found))[:limit]
