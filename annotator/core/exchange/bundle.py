"""Many files out as one: a .zip (written to a temporary name, then moved into place) or a folder."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
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


def write_article_bundle(project, out: str | Path, head: dict[str, str | bytes],
                         files: Callable[[object], Iterable[tuple[str, str | bytes]]], *,
                         annotator: str | None = None, progress: Callable | None = None,
                         cancelled: Callable | None = None):
    """The loop a one-file-per-article format shares (brat, INCEpTION): `head` (name -> data) first,
    then `files(article)` for each article of `article_spans`, counting articles, quotes and mentions
    and saying progress every 100 articles. Whole or nothing, as `open_bundle`."""
    from annotator.core.exchange import ExchangeResult
    from annotator.core.exchange.spans import article_spans, count_articles

    out = Path(out)
    total, done, quotes, mentions = count_articles(project), 0, 0, 0
    with open_bundle(out) as bundle:
        for name, data in head.items():
            bundle.write(name, data)
        for article in article_spans(project, annotator, cancelled):
            for name, data in files(article):
                bundle.write(name, data)
            done += 1
            quotes += len(article.quotes)
            mentions += len(article.mentions)
            if progress is not None and done % 100 == 0:
                progress(done, total, "articles")
    return ExchangeResult(out, done, quotes, mentions)
