"""Find the app's data files (resources/) from a source checkout, an installed wheel or a bundle."""

from __future__ import annotations

import sys
from importlib import resources as _ir
from pathlib import Path


def resources_dir() -> Path:
    """The folder holding demo corpus, word lists, icons and the default label scheme."""
    bundle = getattr(sys, "_MEIPASS", None)  # PyInstaller one-folder bundle
    if bundle and (Path(bundle) / "annotator" / "resources").is_dir():
        return Path(bundle) / "annotator" / "resources"
    try:
        found = Path(str(_ir.files("annotator.resources")))
        if found.is_dir():
            return found
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parents[2] / "resources"


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def read_resource_text(*parts: str) -> str:
    return resource_path(*parts).read_text(encoding="utf-8")


def read_word_list(*parts: str) -> list[str]:
    """Lines of a word list, without blanks and `#` comments."""
    words = []
    for line in read_resource_text(*parts).splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.append(line)
    return words
