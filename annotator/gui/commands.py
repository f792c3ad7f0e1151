"""Every edit a person makes, as a QUndoCommand: redo and undo each call one core function.

A command holds ids and before/after values only. After each redo or undo it hands the core's change
record (annotator.core.changes.Change) to `changed`, so the window redraws only what changed (and goes
back to the article when the undo concerns another one).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from annotator.core import annotate, labels
from annotator.core.changes import Change
from annotator.core.store import Project

Changed = Callable[[Change], None]


class _Edit(QUndoCommand):
    touches_spans = False

    def __init__(self, text: str, project: Project, annotator: str, article_id: int, changed: Changed):
        super().__init__(text)
        self.project, self.annotator, self.article_id, self.changed = project, annotator, article_id, changed

    def _done(self, change: Change | None = None) -> None:
        self.changed(change or Change(self.article_id, spans=self.touches_spans))


class SetChoice(_Edit):
    """Single-choice label (stance) of an article or a quote; option None clears it."""

    def __init__(self, project, annotator, article_id, task_id, option_id, changed, quote_id=None, text=""):
        super().__init__(text or "set label", project, annotator, article_id, changed)
        self.task_id, self.option_id, self.quote_id = task_id, option_id, quote_id
        self.before: list[int] = []

    def redo(self):
        change = labels.choose_options(self.project, self.article_id, self.annotator, self.task_id,
                                       [] if self.option_id is None else [self.option_id], self.quote_id)
        self.before = change.before
        self._done(change)

    def undo(self):
        self._done(labels.choose_options(self.project, self.article_id, self.annotator, self.task_id, self.before,
                                         self.quote_id))


class SetOption(_Edit):
    """Tick or untick one option of a multiple-choice task (topics)."""

    def __init__(self, project, annotator, article_id, task_id, option_id, on, changed, quote_id=None, text=""):
        super().__init__(text or ("tick" if on else "untick"), project, annotator, article_id, changed)
        self.task_id, self.option_id, self.on, self.quote_id = task_id, option_id, on, quote_id
        self.before = False

    def redo(self):
        change = labels.toggle_option(self.project, self.article_id, self.annotator, self.task_id,
                                      self.option_id, self.on, self.quote_id)
        self.before = change.before
        self._done(change)

    def undo(self):
        self._done(labels.toggle_option(self.project, self.article_id, self.annotator, self.task_id,
                                        self.option_id, self.before, self.quote_id))


class SetStatus(_Edit):
    def __init__(self, project, annotator, article_id, status, changed):
        super().__init__(f"mark {status}", project, annotator, article_id, changed)
        self.status, self.before = status, "todo"

    def redo(self):
        change = labels.change_state(self.project, self.article_id, self.annotator, status=self.status)
        self.before = change.before
        self._done(change)

    def undo(self):
        self._done(labels.change_state(self.project, self.article_id, self.annotator, status=self.before))


class SetNote(_Edit):
    def __init__(self, project, annotator, article_id, note, changed):
        super().__init__("edit note", project, annotator, article_id, changed)
        self.note, self.before = note, ""

    def redo(self):
        change = labels.change_state(self.project, self.article_id, self.annotator, note=self.note)
        self.before = change.before
        self._done(change)

    def undo(self):
        self._done(labels.change_state(self.project, self.article_id, self.annotator, note=self.before))


class _QuoteVerdict(_Edit):
    """Base of confirm / reject / set speaker: the undo restores the verdict row from before."""

    touches_spans = True

    def __init__(self, text, project, annotator, article_id, quote_id, changed):
        super().__init__(text, project, annotator, article_id, changed)
        self.quote_id = quote_id
        self.before: dict | None = None

    def undo(self):
        annotate.set_verdict(self.project, self.quote_id, self.annotator, self.before)
        self._done()


class ConfirmQuote(_QuoteVerdict):
    def __init__(self, project, annotator, article_id, quote_id, changed):
        super().__init__("confirm quote", project, annotator, article_id, quote_id, changed)

    def redo(self):
        self.before = annotate.confirm_quote(self.project, self.quote_id, self.annotator)
        self._done()


class RejectQuote(_QuoteVerdict):
    def __init__(self, project, annotator, article_id, quote_id, changed):
        super().__init__("reject quote", project, annotator, article_id, quote_id, changed)

    def redo(self):
        self.before = annotate.reject_quote(self.project, self.quote_id, self.annotator)
        self._done()


class SetSpeaker(_QuoteVerdict):
    def __init__(self, project, annotator, article_id, quote_id, changed, mention_id=None, name=None):
        super().__init__("set speaker", project, annotator, article_id, quote_id, changed)
        self.mention_id, self.name = mention_id, name

    def redo(self):
        self.before = annotate.set_quote_speaker(self.project, self.quote_id, self.annotator,
                                                 mention_id=self.mention_id, name=self.name)
        self._done()


class MarkQuote(_Edit):
    """A quote marked from a selection; redo after undo brings back the same row (same id)."""

    touches_spans = True

    def __init__(self, project, annotator, article_id, start, end, changed):
        super().__init__("mark quote", project, annotator, article_id, changed)
        self.start, self.end = start, end
        self.quote_id: int | None = None
        self.saved: dict | None = None

    def redo(self):
        if self.saved is None:
            self.quote_id = annotate.mark_quote(self.project, self.article_id, self.start, self.end, self.annotator)
        else:
            self.quote_id = annotate.restore_quote(self.project, self.saved)
        self._done()

    def undo(self):
        self.saved = annotate.delete_human_quote(self.project, self.quote_id)
        self._done()


class MarkReported(_Edit):
    """Reported speech marked from a selection (its content); over a selected detected quote it is a
    correction: the person's quote replaces the detected one, which is rejected for them."""

    touches_spans = True

    def __init__(self, project, annotator, article_id, start, end, form, changed, replaces_id=None):
        super().__init__("mark reported speech" if replaces_id is None else "correct a quote", project, annotator,
                         article_id, changed)
        self.start, self.end, self.form, self.replaces_id = start, end, form, replaces_id
        self.quote_id: int | None = None
        self.saved: dict | None = None
        self.before: dict | None = None

    def redo(self):
        if self.replaces_id is not None:
            self.quote_id, self.before = annotate.correct_span(self.project, self.replaces_id, self.annotator,
                                                               self.start, self.end, self.form)
        elif self.saved is None:
            self.quote_id = annotate.mark_quote(self.project, self.article_id, self.start, self.end, self.annotator,
                                                form=self.form)
        else:
            self.quote_id = annotate.restore_quote(self.project, self.saved)
        self._done()

    def undo(self):
        if self.replaces_id is not None:
            annotate.undo_correct_span(self.project, self.quote_id, self.replaces_id, self.annotator, self.before)
        else:
            self.saved = annotate.delete_human_quote(self.project, self.quote_id)
        self._done()


class DeleteQuote(_Edit):
    """Delete a quote this annotator marked by hand."""

    touches_spans = True

    def __init__(self, project, annotator, article_id, quote_id, changed):
        super().__init__("delete quote", project, annotator, article_id, changed)
        self.quote_id = quote_id
        self.saved: dict | None = None

    def redo(self):
        self.saved = annotate.delete_human_quote(self.project, self.quote_id)
        self._done()

    def undo(self):
        annotate.restore_quote(self.project, self.saved)
        self._done()


class MarkSpeaker(_Edit):
    """A speaker mention marked from a selection; with `quote_id`, it also becomes that quote's speaker."""

    touches_spans = True

    def __init__(self, project, annotator, article_id, start, end, changed, quote_id=None):
        super().__init__("mark speaker", project, annotator, article_id, changed)
        self.start, self.end, self.quote_id = start, end, quote_id
        self.mention_id: int | None = None
        self.saved: dict | None = None
        self.verdict_before: dict | None = None

    def redo(self):
        if self.saved is None:
            self.mention_id = annotate.mark_mention(self.project, self.article_id, self.start, self.end,
                                                    self.annotator)
        else:
            self.mention_id = annotate.restore_mention(self.project, self.saved)
        if self.quote_id is not None:
            self.verdict_before = annotate.set_quote_speaker(self.project, self.quote_id, self.annotator,
                                                             mention_id=self.mention_id)
        self._done()

    def undo(self):
        if self.quote_id is not None:
            annotate.set_verdict(self.project, self.quote_id, self.annotator, self.verdict_before)
        self.saved = annotate.delete_human_mention(self.project, self.mention_id)
        self._done()
