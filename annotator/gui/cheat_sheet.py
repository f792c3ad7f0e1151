"""The keyboard cheat sheet (? or F1): every key of the window and of the current label scheme."""

from __future__ import annotations

from html import escape

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

from annotator.core.scheme import SINGLE, Scheme


def cheat_sheet_rows(window, scheme: Scheme) -> list[tuple[str, list[tuple[str, str]]]]:
    """(section, [(keys, what they do)]) for the window's actions and the scheme's options."""
    label_rows = []
    for task in scheme.tasks:
        where = "the article" if task.level == "article" else "the selected quote (quote list focused)"
        how = "choose" if task.kind == SINGLE else "tick/untick"
        for option in task.options:
            if option.shortcut:
                label_rows.append((option.shortcut, f"{how} {option.name!r}: {task.title}, on {where}"))
    window_rows = []
    for action in window.shortcut_actions:
        if action in window.label_key_actions or not action.shortcuts():
            continue
        # "Shift+?" is the same key as "?" on most layouts (a second binding for platforms that report Shift)
        keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()
                         if s.toString() != "Shift+?")
        window_rows.append((keys, action.text().replace("&", "").rstrip("…")))
    return [("Labels (this project's scheme)", label_rows), ("Window", window_rows)]


class CheatSheet(QDialog):
    def __init__(self, window, scheme: Scheme):
        super().__init__(window)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(620, 640)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        parts = []
        for section, rows in cheat_sheet_rows(window, scheme):
            parts.append(f"<h3>{escape(section)}</h3><table cellspacing='0' cellpadding='3'>")
            for keys, what in rows:
                parts.append(f"<tr><td style='padding-right:16px'><b><code>{escape(keys)}</code></b></td>"
                             f"<td>{escape(what)}</td></tr>")
            parts.append("</table>")
        parts.append("<p>Keys typed into the search, note or speaker boxes go to the box; press Esc or click "
                     "the text to label again.</p>")
        self.browser.setHtml("".join(parts))
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
