"""Many files out as one: a .zip (written to a temporary name, then moved into place) or a folder."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path


class Bundle:
    def __init__(self, zf: zipfile.ZipFile | None, folder: Path | None):
        self.zf, self.folder = zf, folder

    def write(self, name: str, data: str | bytes) -> None:
        data = data.encode("utf-8") if isinstance(data, str) else data
        if self.zf is not None:
            self.zf.writestr(name, data)
        else:
            target = self.folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


@contextlib.contextmanager
def open_bundle(out: Path) -> Iterator[Bundle]:
    """A zip when `out` ends in .zip, else a folder (made; must be new or empty). Whole or nothing:
    on an error the partial zip or folder is removed."""
    out = Path(out)
    if out.suffix.lower() == ".zip":
        fd, tmp = tempfile.mkstemp(prefix=".bundle-", suffix=".tmp", dir=out.parent)
        os.close(fd)
        try:
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
                yield Bundle(zf, None)
            os.replace(tmp, out)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        return
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ValueError(f"{out}: exists and is not an empty folder; name a new folder or a .zip file")
    made = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    try:
        yield Bundle(None, out)
    except BaseException:
        if made:
            shutil.rmtree(out, ignore_errors=True)
        raise
