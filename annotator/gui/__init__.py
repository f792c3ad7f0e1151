"""The desktop window (PySide6): a shell over annotator.core; no SQL or parsing lives here."""

from annotator.gui import none_refcount as _none_refcount

_none_refcount.install()  # before any window exists: see none_refcount.py (PySide6 6.12 on Python 3.11)
