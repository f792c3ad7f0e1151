"""Hostile inputs: readers bound memory before they read (a line of gigabytes, a zip member that
lies about its size or expands a thousand times), archive members that are links, leave the archive
or are archives are skipped with a reason, and what is stored has no control characters."""

import io
import json
import os
import struct
import tracemalloc
import zipfile

import pytest

from annotator.core.importer import import_paths
from annotator.core.ingest import ReadOptions, read_source
from annotator.core.ingest.decode import MAX_LINE_CHARS
from annotator.core.ingest.source import MAX_RATIO, InputTooLarge, Source, _CheckedMember
from tests.core.ingest_helpers import read_all

GIB = 1024**3


class _Endless(io.RawIOBase):
    """`size` bytes of one character and no newline, made as they are read; counts what was read."""

    def __init__(self, size: int, head: bytes = b""):
        self.left, self.head, self.read_bytes = size, head, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        n = min(len(buffer), self.left)
        if self.head:
            n = min(n, len(self.head))
            buffer[:n], self.head = self.head[:n], self.head[n:]
        else:
            buffer[:n] = b"x" * n
        self.left -= n
        self.read_bytes += n
        return n


class _StreamSource(Source):
    def open_binary(self):
        return io.BufferedReader(self.stream)


def _source(suffix, stream):
    source = _StreamSource(path=f"generated{suffix}", suffix=suffix, size=5 * GIB, fs_path="-")
    object.__setattr__(source, "stream", stream)
    return source


def _peak_mb(fn):
    tracemalloc.start()
    try:
        result = fn()
        return result, tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("suffix,head,line", [(".jsonl", b'{"text": "', 1), (".csv", b'text\n"', 2),
                                              (".ndjson", b"", 1)])
def test_a_five_gib_line_fails_early_in_bounded_memory(suffix, head, line):
    stream = _Endless(5 * GIB, head)
    got, peak = _peak_mb(lambda: list(read_source(_source(suffix, stream), ReadOptions())))
    assert len(got) == 1 and "longer than" in got[0].message and got[0].line == line, got
    assert stream.read_bytes < 3 * MAX_LINE_CHARS  # it stopped soon after the bound, not at 5 GiB
    assert peak < 120, f"{peak:.0f} MB"  # a line at the bound, not the gigabytes


@pytest.mark.skipif(os.name == "nt", reason="sparse files")
def test_a_sparse_five_gib_file_without_newline_fails_in_bounded_memory(tmp_path, tmp_project):
    path = tmp_path / "dump.jsonl"
    with open(path, "wb") as fh:
        fh.write(b'{"text": "' + b"x" * 70_000)
        fh.seek(5 * GIB)
        fh.write(b'"}\n')
    report, peak = _peak_mb(lambda: import_paths(tmp_project, [path], workers=1, detect=False))
    (row,) = report.files
    assert row.status == "failed" and "longer than" in row.message
    assert peak < 120, f"{peak:.0f} MB"
    assert tmp_project.db["articles"].count == 0


def _zip_with(tmp_path, members: dict, name="a.zip"):
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            if isinstance(data, zipfile.ZipInfo):
                archive.writestr(data, b"target.txt")
            else:
                archive.writestr(member, data)
    return path


def test_a_member_that_expands_a_thousand_times_is_skipped_unread(tmp_path, tmp_project):
    path = _zip_with(tmp_path, {"ok.txt": b"Title\n\nSome words of an article."})
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive, \
            archive.open("bomb.jsonl", "w") as member:  # 64 MB that packs into about 64 KB, written as a stream
        member.write(b'{"text": "')
        for _ in range(64):
            member.write(b"x" * 2**20)
    report, peak = _peak_mb(lambda: import_paths(tmp_project, [path], workers=1, detect=False))
    rows = {r.path.rsplit("!", 1)[1]: r for r in report.files}
    assert rows["bomb.jsonl"].status == "skipped" and "zip bomb" in rows["bomb.jsonl"].message
    assert rows["ok.txt"].status == "imported"
    assert peak < 40, f"{peak:.0f} MB"


def _patch_sizes(path, member: str, claimed: int):
    """Make a member's local and central headers claim `claimed` uncompressed bytes."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = 0
        while (at := data.find(sig, at)) >= 0:
            name_at = at + (30 if sig == b"PK\x03\x04" else 46)
            if data[name_at:name_at + len(name)] == name:
                data[at + offset:at + offset + 4] = struct.pack("<I", claimed)
            at += 4
    path.write_bytes(bytes(data))


def test_a_member_whose_header_claims_1000_bytes_is_read_no_further(tmp_path, tmp_project):
    path = _zip_with(tmp_path, {"liar.jsonl": json.dumps({"title": "t", "text": "words " * 2_000_000})})  # 12 MB
    _patch_sizes(path, "liar.jsonl", 1000)
    report, peak = _peak_mb(lambda: import_paths(tmp_project, [path], workers=1, detect=False))
    (row,) = report.files
    assert row.status in ("failed", "skipped"), row
    assert peak < 40, f"{peak:.0f} MB"
    assert tmp_project.db["articles"].count == 0


def test_the_member_check_counts_real_bytes_not_the_claimed_size():
    handle = io.BufferedReader(_Endless(GIB))
    checked = io.BufferedReader(_CheckedMember(handle, claimed=10 * GIB, packed=1000))
    with pytest.raises(InputTooLarge, match="expands more than"):
        while checked.read(1 << 16):
            pass
    assert handle.raw.read_bytes < 1000 * MAX_RATIO + 2**21
    liar = io.BufferedReader(_CheckedMember(io.BufferedReader(_Endless(GIB)), claimed=1000, packed=10**9))
    with pytest.raises(InputTooLarge, match="more than the 1,000 bytes"):
        liar.read()


def test_links_escaping_paths_and_nested_archives_get_a_skipped_row(tmp_path, tmp_project):
    link = zipfile.ZipInfo("link.txt")
    link.external_attr = (0o120777 << 16)
    inner = _zip_with(tmp_path, {"x.txt": b"Inner\n\nText."}, name="inner.zip").read_bytes()
    path = _zip_with(tmp_path, {
        "..\\evil.txt": b"Evil\n\nText.", "../up.txt": b"Up\n\nText.", "/abs.txt": b"Abs\n\nText.",
        "C:\\win.txt": b"Win\n\nText.", "link.txt": link, "inner.zip": inner, "logs.tar.gz": b"\x1f\x8b",
        "good.txt": b"Good\n\nA real article.",
    })
    report = import_paths(tmp_project, [path], workers=1, detect=False)
    rows = {r.path.rsplit("!", 1)[1]: r for r in report.files}
    reasons = {
        "..\\evil.txt": "out of the archive", "../up.txt": "out of the archive", "/abs.txt": "absolute path",
        "C:\\win.txt": "absolute path", "link.txt": "symbolic link", "inner.zip": "archive inside",
        "logs.tar.gz": "archive inside",
    }
    for member, reason in reasons.items():
        assert rows[member].status == "skipped" and reason in rows[member].message, (member, rows[member])
    assert rows["good.txt"].status == "imported"
    assert [r[0] for r in tmp_project.conn.execute("SELECT title FROM articles")] == ["Good"]


def test_a_number_is_not_an_article_text(tmp_path):
    path = tmp_path / "odd.json"
    path.write_text(json.dumps({"articles": "x", "text": 5}), encoding="utf-8")
    articles, problems = read_all(path)
    assert not articles and "the number 5" in problems[0].message


def test_the_json_size_limit_is_said_as_the_readme_says_it(tmp_path):
    path = tmp_path / "big.json"
    with open(path, "wb") as fh:
        fh.seek(65 * 2**20)
        fh.write(b"]")
    articles, problems = read_all(path)
    assert "the limit is 64 MB" in problems[0].message


def test_control_characters_are_not_stored_in_fields_and_nul_not_in_text(tmp_path, tmp_project):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"title": "\x1b]0;pwned\x07Red\x9b", "text": "Body\x00 with\x1b[2J a NUL.\tTab\nok",
                                "source": "o\x08ut"}) + "\n", encoding="utf-8")
    import_paths(tmp_project, [path], workers=1, detect=False)
    title, text, outlet, uid = tmp_project.conn.execute("SELECT title, text, outlet, uid FROM articles").fetchone()
    # the text keeps its length (offsets into it hold): NUL becomes U+FFFD, the rest stays
    assert (title, text, outlet) == ("]0;pwnedRed", "Body\ufffd with\x1b[2J a NUL.\tTab\nok", "out")
    from annotator.core.records import text_uid

    assert uid == text_uid(text)


def test_a_csv_cell_spanning_lines_is_bounded_too(tmp_path):
    path = tmp_path / "long.csv"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('title,text\nT,"')
        line = "y" * 999 + "\n"
        for _ in range(MAX_LINE_CHARS // 1000 + 10):
            fh.write(line)
        fh.write('"\n')
    articles, problems = read_all(path)
    assert not articles and "malformed CSV" in problems[0].message and "field larger" in problems[0].message


def _docx_with(tmp_path, change):
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph("Title of the piece")
    document.add_paragraph("First words then the rest of the paragraph.")
    plain = tmp_path / "plain.docx"
    document.save(plain)
    out = tmp_path / "changed.docx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, change(info.filename, src.read(info)))
    return out


def test_a_docx_declaring_an_xml_entity_is_refused_not_cut_short(tmp_path):
    def xxe(name, data):
        if name != "word/document.xml":
            return data
        head, rest = data.split(b"?>", 1)
        data = head + b'?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + rest
        return data.replace(b"First words", b"First &xxe; words")

    articles, problems = read_all(_docx_with(tmp_path, xxe))
    assert not articles and "declares XML entities" in problems[0].message


def test_a_docx_whose_part_is_a_zip_bomb_is_refused_before_unpacking(tmp_path):
    bomb = _docx_with(tmp_path, lambda name, data: data)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as package, package.open("word/media/x.bin", "w") as part:
        for _ in range(64):
            part.write(b"\0" * 2**20)
    articles, problems = _peak_mb(lambda: read_all(bomb))[0]
    assert not articles and "zip bomb" in problems[0].message
