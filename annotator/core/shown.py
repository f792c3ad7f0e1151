"""Which speaker and entity a quote shows an annotator: one rule, used by the window, the CSV and JSON
lines exports and the agreement figures, so that they cannot disagree.

A verdict of 'corrected' carries the annotator's own speaker (its name and entity, either may be
empty); any other verdict (confirmed, rejected) or none shows what the quote holds: the detection, or
for a hand-marked quote what its maker gave it.
"""

from __future__ import annotations

CORRECTED = "corrected"


def corrected_sql(verdict: str = "ql") -> str:
    """SQL: true when the verdict row `verdict` (a quote_labels alias) sets the speaker."""
    return f"{verdict}.status = '{CORRECTED}'"


def speaker_sql(quote: str = "q", verdict: str = "ql") -> str:
    """SQL: the speaker text a quote (alias `quote`) shows with the verdict row `verdict` (may be NULL)."""
    return f"CASE WHEN {corrected_sql(verdict)} THEN {verdict}.speaker ELSE {quote}.speaker END"


def entity_sql(quote: str = "q", verdict: str = "ql") -> str:
    """SQL: the entity id a quote shows with the verdict row `verdict`."""
    return f"CASE WHEN {corrected_sql(verdict)} THEN {verdict}.entity_id ELSE {quote}.entity_id END"


def shown_speaker(status: str | None, verdict_speaker: str | None, verdict_entity_id: int | None,
                  speaker: str | None, entity_id: int | None) -> tuple[str | None, int | None]:
    """The same rule for values already read: (speaker text, entity id)."""
    if status == CORRECTED:
        return verdict_speaker, verdict_entity_id
    return speaker, entity_id
