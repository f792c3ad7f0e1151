"""Where article files come from: plain files, folders (recursive) and members of .zip archives.

An archive is untrusted: a member is read through a check that counts the bytes it really gives
(never trusting the size its header claims) and stops it when it grows past that size or expands
more than MAX_RATIO times; members that are links, leave the archive (`..`, absolute paths) or are
archives themselves are not read and get a `skipped` report row saying why.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from annotator.core.ingest.options import MAX_WHOLE_FILE_BYTES
from annotator.core.records import ImportProblem

MAX_RATIO = 200  # news text packs 3-10 times; a member that expands more is a zip bomb
RATIO_SLACK = 1 << 20  # small members may pack better than that
_ARCHIVES = {".zip", ".tar", ".tgz", ".gz", ".bz2", ".xz", ".7z", ".rar", ".zst"}


class InputTooLarge(ValueError):
    """More bytes than a reader accepts or than an archive member may give; the message says which."""

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
        try:
            info = archive.getinfo(self.member)
            handle = archive.open(info)
        except BaseException:
            archive.close()
            raise
        return _ClosingMember(_CheckedMember(handle, info.file_size, info.compress_size), archive)

    def read_bytes(self, limit: int = MAX_WHOLE_FILE_BYTES) -> bytes:
        """The whole file, if it holds at most `limit` bytes (else InputTooLarge, having read no more)."""
        with self.open_binary() as fh:
            data = read_at_most(fh, limit + 1)
        if len(data) > limit:
            raise InputTooLarge(f"more than {limit / 2**20:.0f} MB to read whole")
        return data


def read_at_most(fh, size: int, chunk: int = 1 << 20) -> bytes:
    """Up to `size` bytes, read in chunks: `fh.read(size)` would set aside all `size` bytes at
    once, 64 MB for every small file."""
    parts, got = [], 0
    while got < size and (data := fh.read(min(chunk, size - got))):
        parts.append(data)
        got += len(data)
    return b"".join(parts)


class _CheckedMember(io.RawIOBase):
    """A zip member's bytes, counted as they come: more than its header claimed, or more than
    MAX_RATIO times its packed size, stops the read (InputTooLarge) before it is in memory."""

    def __init__(self, handle, claimed: int, packed: int):
        self._handle = handle
        self._claimed = claimed
        self._most = packed * MAX_RATIO + RATIO_SLACK
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._handle.read(len(buffer))
        self.count += len(data)
        if self.count > self._claimed:
            raise InputTooLarge(f"the archive member holds more than the {self._claimed:,} bytes its header says")
        if self.count > self._most:
            raise InputTooLarge(f"the archive member expands more than {MAX_RATIO} times (a zip bomb?)")
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        try:
            self._handle.close()
        finally:
            super().close()


class _ClosingMember(io.BufferedReader):
    """A zip member that closes its archive too."""

    def __init__(self, handle, archive):
        super().__init__(handle, 1 << 16)
        self._archive = archive

    def close(self):
        try:
            super().close()
        finally:
            self._archive.close()


def member_problem(info: zipfile.ZipInfo) -> str | None:
    """Why an archive member is not read (a link, a path out of the archive, a bomb), or None."""
    name = info.filename
    if (info.external_attr >> 16) & 0o170000 == 0o120000:
        return "a symbolic link, not a file; links in archives are not followed"
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "an absolute path; only paths inside the archive are read"
    if ".." in name.replace("\\", "/").split("/"):
        return "a path leading out of the archive (..)"
    if info.file_size > info.compress_size * MAX_RATIO + RATIO_SLACK:
        return f"expands {info.file_size // max(1, info.compress_size):,} times (a zip bomb?)"
    return None


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
        base = name.replace("\\", "/").rsplit("/", 1)[-1]
        if info.is_dir() or base.startswith(".") or name.startswith("__MACOSX/"):
            continue
        suffix = suffix_of(base)
        problem = member_problem(info)
        if problem is None and suffix in _ARCHIVES:
            problem = "an archive inside the archive is not opened; unpack it and import its files"
        if problem:
            yield ImportProblem(f"{path}!{name}", f"skipped: {problem}", skipped=True)
            continue
        if suffix not in KNOWN_SUFFIXES:
            continue
        yield Source(
            path=f"{path}!{name}", suffix=suffix, size=info.file_size, zip_path=str(path), member=name,
            explicit=False,
        )
