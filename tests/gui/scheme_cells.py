"""Reaching the label-scheme dialog's cells through its model, as its tree view and editor do."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication


def cell(dialog, task_row, option_row=None, column=0):
    task = dialog.model.index(task_row, 0)
    return dialog.model.index(task_row, column) if option_row is None else dialog.model.index(option_row, column, task)


def edit(dialog, task_row, option_row, column, text):
    """Type into a cell as the tree's editor hands it over; the edit is taken on the next event-loop turn."""
    assert dialog.model.setData(cell(dialog, task_row, option_row, column), text)
    QApplication.processEvents()


def current_text(dialog, column=0):
    index = dialog.tree.currentIndex()
    return dialog.model.data(index.siblingAtColumn(column))
