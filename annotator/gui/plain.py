"""Data shown as plain text: names, titles and paths come from files and colleagues, so a label or
tooltip must never render them as markup (`<b>x</b>` bold, `<img src=...>` loaded).

QLabel and tooltips guess rich text (Qt.mightBeRichText) from what they are given; these helpers
fix the format for labels and escape tooltips, so the guess never applies to data.
"""

from __future__ import annotations

import html

from PySide6.QtGui import Qt  # QtGui adds mightBeRichText to the Qt namespace
from PySide6.QtWidgets import QLabel


def plain_label(text: str = "", parent=None) -> QLabel:
    """A QLabel that shows its text as typed, whatever it holds."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label


def make_plain(*labels: QLabel) -> None:
    for label in labels:
        label.setTextFormat(Qt.TextFormat.PlainText)


def plain_tip(text: str | None) -> str | None:
    """A tooltip showing `text` as typed: markup-like text is escaped (and kept on its lines)."""
    if not text or not Qt.mightBeRichText(text):
        return text or None
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"
