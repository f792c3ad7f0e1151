"""The desktop window (PySide6): a shell over annotator.core; no SQL or parsing lives here."""
