"""Keep the interpreter alive under a PySide6 6.12 bug on Python 3.11.

That PySide6 drops one reference to `None` on every call of a Qt method that returns nothing
(measured: 1,000 `QLabel.setText` calls lower `sys.getrefcount(None)` by 1,000). Python before 3.12
counts references to None, so after some tens of thousands of calls (a few long articles) the count
reaches zero and the process aborts with "Fatal Python error: none_dealloc". When the leak is seen,
None's count is topped up (None is never freed anyway); on Python 3.12+ None is immortal and nothing
is done. Remove this module once the PySide6 in use no longer leaks.
"""

from __future__ import annotations

import ctypes
import platform
import sys

LOW_WATER = 1_000_000
TOP_UP = 1_000_000_000
_active = False


def needed() -> bool:
    """True when Qt calls returning nothing lose references to None in this interpreter."""
    if sys.version_info >= (3, 12) or platform.python_implementation() != "CPython":
        return False
    from PySide6.QtCore import QObject  # noqa: PLC0415

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(200):
        probe.setObjectName("probe")
    return sys.getrefcount(None) < before - 100


def top_up() -> None:
    """Raise None's reference count far above what any session can lose, when it runs low."""
    if _active and sys.getrefcount(None) < LOW_WATER:
        ctypes.c_ssize_t.from_address(id(None)).value += TOP_UP


def install() -> bool:
    """Turn the guard on if this PySide6 leaks; returns whether it is on."""
    global _active
    if not _active and needed():
        _active = True
        top_up()
    return _active
