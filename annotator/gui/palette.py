"""Highlight colours: Okabe-Ito hues (safe for the common colour-vision deficiencies), drawn as
translucent backgrounds plus underlines so they read on light and dark themes alike."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

QUOTE_HUE = "#0072B2"  # blue
SPEAKER_HUE = "#E69F00"  # orange
CUE_HUE = "#CC79A7"  # reddish purple
REPORTED_HUE = "#009E73"  # bluish green: reported speech (mixed and indirect attributions)
REJECTED_HUE = "#999999"
# passing marks over the text: a quote chosen in the list flashes; search hits (the current one stronger)
FLASH = "#FFE066"
SEARCH_HIT = "#F0E442"
SEARCH_CURRENT = "#E6B800"


def is_dark() -> bool:
    app = QApplication.instance()
    if app is None:
        return False
    return app.palette().color(QPalette.ColorRole.Base).lightness() < 128


def translucent(hue: str, alpha_light: int = 55, alpha_dark: int = 95) -> QColor:
    color = QColor(hue)
    color.setAlpha(alpha_dark if is_dark() else alpha_light)
    return color


def line(hue: str) -> QColor:
    """The underline colour: the hue itself, lightened a little on dark backgrounds."""
    color = QColor(hue)
    return color.lighter(130) if is_dark() else color
