"""Plain-text articles: one article a file, its first non-empty line the title.

Also recognised:
- news-database batch exports (Nexis), handed to `nexis.py`;
- the scraped-aggregator layout: a main article, site boilerplate ("Comments", "Related Articles"),
  then related articles each introduced by an outlet line, an age and "- <outlet>":

      South China Morning Post
      39 minutes ago
      - South China Morning Post
      <title>
      <one paragraph of body>
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from annotator.core.ingest.decode import SNIFF_BYTES, DecodeError, decode_problem, decode_source, sniff_text
from annotator.core.ingest.options import MAX_ARTICLE_CHARS, MAX_WHOLE_FILE_BYTES, ReadOptions, too_large
from annotator.core.ingest.source import Source, read_at_most
from annotator.core.records import Article, ImportProblem
from annotator.core.resources import read_word_list

_AGE = re.compile(r"^(?:\d+|an?|one)\s+(?:second|minute|min|hour|hr|day|week|month|year)s?\s+ago$", re.I)
# Inline remnants of removed page furniture inside one scraped paragraph ("... leaders. Advertisement 'The two")
_INLINE_FURNITURE = re.compile(r"(?<=[.!?'\"\u2019\u201d])\s+Advertisement(?=\s)")
_FIRST_INK = re.compile(r"\S")
_LEAD_FURNITURE = re.compile(r"^(?:Read more here|Read more|Advertisement)\s*:?\s+", re.I)


@lru_cache(maxsize=1)
def _boilerplate() -> re.Pattern:
    lines = read_word_list("ingest", "boilerplate.txt")
    return re.compile("^(?:" + "|".join(f"(?:{p})" for p in lines) + r")$", re.I)


def is_boilerplate(line: str) -> bool:
    return bool(_boilerplate().match(line.strip()))


def read(source: Source, options: ReadOptions) -> Iterator[Article | ImportProblem]:
    from annotator.core.ingest import nexis

    with source.open_binary() as fh:
        data = read_at_most(fh, SNIFF_BYTES if source.size > MAX_WHOLE_FILE_BYTES else MAX_WHOLE_FILE_BYTES + 1)
    if len(data) <= SNIFF_BYTES:
        head_text = decode_source(data, source.path)
        if isinstance(head_text, ImportProblem):
            yield head_text
            return
    else:
        try:
            head_text = sniff_text(data[:SNIFF_BYTES])
        except DecodeError as exc:
            yield decode_problem(source.path, exc)
            return
    if ("DOCUMENT" in head_text or "Document" in head_text) and nexis.looks_like_nexis(head_text):
        yield from nexis.read(source, options)  # streams: no size limit
        return
    problem = too_large(source, "for one article", "Split it, or export it as JSONL or CSV.")
    if problem:
        yield problem
        return
    text = head_text if len(data) <= SNIFF_BYTES else decode_source(data, source.path)
    if isinstance(text, ImportProblem):
        yield text
        return
    yield from parse_text(text, source.path)


def parse_text(text: str, path: str) -> Iterator[Article | ImportProblem]:
    """Articles of a decoded .txt file (one, or several in the aggregator layout)."""
    if "ago" not in text:  # no "39 minutes ago" line: one article, no need to look at each line
        main = _single_article(text, path)
        if main is None:
            yield ImportProblem(path, "no article text (only blank lines)")
        elif len(main.text) > MAX_ARTICLE_CHARS:
            yield ImportProblem(path, f"article text longer than {MAX_ARTICLE_CHARS:,} characters")
        else:
            yield main
        return
    lines = text.split("\n")
    blocks = _related_blocks(lines)
    main_end = blocks[0][0] if blocks else len(lines)
    main_lines = lines[:main_end]
    if blocks:
        main_lines = _cut_at_furniture(main_lines)
    main = _article_from_lines(main_lines, path, 0, outlet=None)
    if main is None:
        yield ImportProblem(path, "no article text (only blank lines)")
        return
    if len(main.text) > MAX_ARTICLE_CHARS:
        yield ImportProblem(path, f"article text longer than {MAX_ARTICLE_CHARS:,} characters")
        return
    yield main
    for index, (start, end, outlet) in enumerate(blocks, start=1):
        body_lines = [_clean_related(line) for line in lines[start + 3 : end]]
        body_lines = [line for line in body_lines if line.strip() and not is_boilerplate(line)]
        article = _article_from_lines(body_lines, path, index, outlet=outlet)
        if article is not None:
            yield article


def _single_article(text: str, path: str) -> Article | None:
    """The same as _article_from_lines over all lines (blank lines trimmed at both ends), without splitting."""
    first = _FIRST_INK.search(text)
    if first is None:
        return None
    start = text.rfind("\n", 0, first.start()) + 1
    last = len(text.rstrip())
    end = text.find("\n", last)
    text = text[start : end if end != -1 else len(text)]
    title_end = text.find("\n")
    title = (text if title_end == -1 else text[:title_end]).strip()
    return Article(text=text, title=title, outlet=None, source_path=path, source_index=0)


def _article_from_lines(lines: list[str], path: str, index: int, outlet: str | None) -> Article | None:
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    if not lines:
        return None
    text = "\n".join(lines)
    return Article(text=text, title=lines[0].strip(), outlet=outlet, source_path=path, source_index=index)


def _related_blocks(lines: list[str]) -> list[tuple[int, int, str]]:
    """(first line, end line, outlet) of each related article: outlet line, age line, '- outlet' line."""
    starts = []
    for i in range(len(lines) - 3):
        outlet = lines[i].strip()
        if (
            outlet
            and len(outlet) <= 80
            and _AGE.match(lines[i + 1].strip())
            and lines[i + 2].strip().lstrip("-\u2013\u2014 ").strip() == outlet
            and lines[i + 2].strip()[:1] in "-\u2013\u2014"
        ):
            starts.append((i, outlet))
    blocks = []
    for n, (start, outlet) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        blocks.append((start, end, outlet))
    return blocks


def _cut_at_furniture(lines: list[str]) -> list[str]:
    """The main article ends where the page's furniture (comments, AI promos, related links) begins."""
    seen_body = False
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if seen_body and is_boilerplate(line):
            return lines[:i]
        seen_body = True
    return lines


def _clean_related(line: str) -> str:
    line = _LEAD_FURNITURE.sub("", line.strip())
    return _INLINE_FURNITURE.sub("", line)
