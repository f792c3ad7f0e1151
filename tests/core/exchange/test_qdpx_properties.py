"""Property tests of the .qdpx reader: any text with any spans survives export and import; a damaged
file is refused with a QdpxError (never another exception) and leaves the project as it was."""

import json
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.exchange import export_exchange
from annotator.core.exchange.qdpx_import import QdpxError, import_qdpx
from annotator.core.records import text_uid
from annotator.core.store import open_project, utc_now
from tests.core.exchange.helpers import snapshot

TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=80)


@st.composite
def article_with_spans(draw):
    text = draw(TEXT.filter(lambda t: t.strip()))
    spans = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(text) - 1))
        spans.append((start, draw(st.integers(start + 1, len(text)))))
    return text, spans


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(item=article_with_spans())
def test_any_text_and_spans_round_trip(tmp_path_factory, item):
    text, spans = item
    folder = tmp_path_factory.mktemp("rt")
    source = open_project(folder / "a.db")
    with source.write() as db:
        db.execute("INSERT INTO articles (id, uid, title, text, imported_at) VALUES (1, ?, ?, ?, ?)",
                   [text_uid(text), text[:10], text, utc_now()])
        for start, end in spans:
            db.execute('INSERT INTO quotes (article_id, start, "end", text, origin, annotator) '
                       "VALUES (1, ?, ?, ?, 'human', 'ann')", [start, end, text[start:end]])
    export_exchange(source, "qdpx", folder / "a.qdpx")
    target = open_project(folder / "b.db")
    import_qdpx(target, folder / "a.qdpx")
    assert target.conn.execute("SELECT text FROM articles").fetchone()[0] == text
    got = sorted(target.conn.execute('SELECT start, "end", text FROM quotes').fetchall())
    assert got == sorted({(s, e, text[s:e]) for s, e in spans})
    # the span formats count the same code points
    export_exchange(source, "spacy", folder / "a.jsonl")
    record = json.loads((folder / "a.jsonl").read_text(encoding="utf-8"))
    assert sorted((x["start"], x["end"]) for x in record["spans"]) == sorted(spans)
    assert all(text[x["start"]:x["end"]] == x["text"] for x in record["spans"])
    export_exchange(source, "brat", folder / "a.zip")
    with zipfile.ZipFile(folder / "a.zip") as zf:
        assert zf.read("article_000001.txt").decode("utf-8") == text
        ann = zf.read("article_000001.ann").decode("utf-8")
        assert len(ann.splitlines()) == ann.count("\n")  # no other line break inside a line
        for line in ann.split("\n")[:-1]:
            ident, body = line.split("\t", 1)
            if ident.startswith("T"):
                where, shown = body.split(" ", 1)[1].split("\t", 1)
                pieces = [tuple(map(int, p.split())) for p in where.split(";")]
                assert shown == " ".join(text[a:b] for a, b in pieces)
    source.close()
    target.close()


@pytest.fixture(scope="module")
def good_members(tmp_path_factory) -> dict:
    """The members of a .qdpx of the exchange sample, made once."""
    from tests.core.exchange.helpers import build_exchange_sample

    folder = tmp_path_factory.mktemp("good")
    project = open_project(folder / "p.db")
    build_exchange_sample(project)
    export_exchange(project, "qdpx", folder / "good.qdpx")
    project.close()
    with zipfile.ZipFile(folder / "good.qdpx") as zf:
        return {n: zf.read(n) for n in zf.namelist()}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(0, 10_000), junk=st.binary(min_size=1, max_size=8), at=st.integers(0, 10_000))
def test_a_damaged_file_is_refused_cleanly(tmp_path_factory, good_members, cut, junk, at):
    folder = tmp_path_factory.mktemp("bad")
    members = dict(good_members)
    qde = members["project.qde"]
    at, cut = at % len(qde), cut % len(qde)
    damaged = qde[:at] + junk + qde[at:] if cut % 2 else qde[:cut]
    members["project.qde"] = damaged
    with zipfile.ZipFile(folder / "bad.qdpx", "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    other = open_project(folder / "other.db")
    before = snapshot(other)
    try:
        import_qdpx(other, folder / "bad.qdpx")
    except QdpxError as exc:
        assert "bad.qdpx" in str(exc)
        assert snapshot(other) == before
    other.close()
