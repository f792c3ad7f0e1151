"""Where article files come from: plain files, folders (recursive) and members of .zip archives."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from annotator.core.records import ImportProblem

# Suffixes an importer exists for; anything else in a folder is passed over, named on the command line it fails.
KNOWN_SUFFIXES = {
    ".txt", ".text", ".html", ".htm", ".xhtml", ".xml", ".json", ".jsonl", ".ndjson", ".csv", ".tsv", ".docx", ".zip",
}


@dataclass(frozen=True)
class Source:
    """One file to read: `path` is what the report shows (`archive.zip!inner/a.txt` for a zip member)."""

    path: str
    suffix: str
    size: int
    fs_path: str | None = None  # on disk
    zip_path: str | None = None  # archive on disk, with `member` inside it
    member: str | None = None
    explicit: bool = True  # named by the user, not found by walking a folder or an archive

    def open_binary(self) -> BinaryIO:
        if self.fs_path is not None:
            return open(self.fs_path, "rb")
        archive = zipfile.ZipFile(self.zip_path)
        handle = archive.open(self.member)
        return _ClosingMember(handle, archive)

    def read_bytes(self) -> bytes:
        with self.open_binary() as fh:
            return fh.read()


class _ClosingMember(io.BufferedReader):
    """A zip member that closes its archive too."""

    def __init__(self, handle, archive):
        super().__init__(handle)
        self._archive = archive

    def close(self):
        try:
            super().close()
        finally:
            self._archive.close()


def suffix_of(name: str) -> str:
    return Path(name).suffix.lower()


def iter_sources(paths: list[str | os.PathLike]) -> Iterator[Source | ImportProblem]:
    """Every importable file under `paths`, in a stable order; problems for paths that cannot be walked."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith(".") or suffix_of(name) not in KNOWN_SUFFIXES:
                        continue
                    yield from _file_sources(Path(root) / name, explicit=False)
        elif path.is_file():
            yield from _file_sources(path)
        elif path.exists():
            yield ImportProblem(str(path), "not a regular file or folder")
        else:
            yield ImportProblem(str(path), "no such file or folder")


def _file_sources(path: Path, explicit: bool = True) -> Iterator[Source | ImportProblem]:
    suffix = suffix_of(path.name)
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield ImportProblem(str(path), f"cannot be read ({exc.strerror or exc})")
        return
    if suffix == ".zip":
        yield from _zip_sources(path)
        return
    yield Source(path=str(path), suffix=suffix, size=size, fs_path=str(path), explicit=explicit)


def _zip_sources(path: Path) -> Iterator[Source | ImportProblem]:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
        yield ImportProblem(str(path), f"not a readable zip archive ({exc or type(exc).__name__})")
        return
    for info in sorted(infos, key=lambda i: i.filename):
        name = info.filename
        base = name.rsplit("/", 1)[-1]
        if info.is_dir() or base.startswith(".") or name.startswith("__MACOSX/"):
            continue
        suffix = suffix_of(base)
        if suffix not in KNOWN_SUFFIXES or suffix == ".zip":
            continue
        yield Source(
            path=f"{path}!{name}", suffix=suffix, size=info.file_size, zip_path=str(path), member=name,
            explicit=False,
        )
