"""INCEpTION (CAS XMI, loaded back with cassis), brat standoff and the training JSON lines: every span,
attribute and relation, with offsets checked against the text."""

import json
import re
import zipfile

import pytest
from cassis import load_cas_from_xmi, load_typesystem
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.exchange import export_exchange
from annotator.core.exchange.brat import fragments
from annotator.core.exchange.spans import article_spans
from tests.core.exchange.helpers import build_exchange_sample


@pytest.fixture
def sample(tmp_project):
    build_exchange_sample(tmp_project)
    return tmp_project


def expected(project, annotator="ann") -> dict:
    """{article name: (text, quotes [(start, end, form, stance, speaker)], speakers [(start, end)], said-by pairs)}"""
    out = {}
    for article in article_spans(project, annotator):
        mentions = {m.id: (m.start, m.end) for m in article.mentions}
        quotes = [(q.start, q.end, q.form, (q.labels.get("stance") or [None])[0], q.speaker) for q in article.quotes]
        pairs = sorted(((q.start, q.end), mentions[q.mention_id]) for q in article.quotes if q.mention_id in mentions)
        out[article.name] = (article.text, sorted(quotes), sorted(mentions.values()), pairs)
    return out


def test_view_of_one_annotator(sample):
    spans = {a.id: a for a in article_spans(sample, "ann")}
    first = spans[1]
    assert [(q.start, q.end, q.speaker, q.labels) for q in first.quotes] == [
        (0, 21, "Li Wei", {"stance": ["against"]}), (37, 56, "he", {}), (65, 87, None, {})]
    assert first.quotes[0].mention_id == first.mentions[0].id  # ann confirmed: said by the mention "Li Wei"
    ben = {a.id: a for a in article_spans(sample, "ben")}[1]
    assert [(q.start, q.speaker) for q in ben.quotes] == [(0, "Zhang Min")]  # rejected and ann's own left out
    assert [m.text for m in {a.id: a for a in article_spans(sample, "ben")}[5].mentions] == ["Ana Ruiz"]
    assert [m.text for m in spans[5].mentions] == []  # ben's hand-marked mention is not in ann's view


def test_inception_xmi_loads_back_span_by_span(sample, tmp_path):
    out = tmp_path / "inception.zip"
    result = export_exchange(sample, "inception", out, annotator="ann")
    assert result.articles == 5
    want = expected(sample)
    with zipfile.ZipFile(out) as zf:
        ts = load_typesystem(zf.read("TypeSystem.xml").decode("utf-8"))
        names = sorted(n for n in zf.namelist() if n.endswith(".xmi"))
        assert [n[:-4] for n in names] == sorted(want)
        for name in names:
            cas = load_cas_from_xmi(zf.read(name).decode("utf-8"), typesystem=ts)
            text, quotes, speakers, pairs = want[name[:-4]]
            assert cas.sofa_string == text
            got_quotes = sorted((q.begin, q.end, q.form, q.stance, q.speaker)
                                for q in cas.select("webanno.custom.Quote"))
            assert got_quotes == quotes
            for q in cas.select("webanno.custom.Quote"):
                assert q.get_covered_text() == text[q.begin:q.end]
            assert sorted((s.begin, s.end) for s in cas.select("webanno.custom.Speaker")) == speakers
            got_pairs = sorted(((r.Governor.begin, r.Governor.end), (r.Dependent.begin, r.Dependent.end))
                               for r in cas.select("webanno.custom.SaidBy"))
            assert got_pairs == pairs
    # the relations are really there: the detected mention, and for "he" the nearest mention of his entity
    assert want["article_000001"][3] == [((0, 21), (29, 35)), ((37, 56), (29, 35))]


def test_inception_offsets_in_the_xmi_are_utf16(sample, tmp_path):
    """Java (INCEpTION) counts UTF-16 units: after the emoji the XMI offset is one more than Python's."""
    out = tmp_path / "inception.zip"
    export_exchange(sample, "inception", out)
    xmi = zipfile.ZipFile(out).read("article_000005.xmi").decode("utf-8")
    text = sample.conn.execute("SELECT text FROM articles WHERE id = 5").fetchone()[0]
    begin = int(re.search(r'<custom:Quote [^>]*begin="(\d+)"', xmi)[1])
    assert begin == text.index("We won") + 1


def _read_brat(folder_or_zip, name):
    with zipfile.ZipFile(folder_or_zip) as zf:
        return zf.read(f"{name}.txt").decode("utf-8"), zf.read(f"{name}.ann").decode("utf-8")


def test_brat_offsets_match_the_text(sample, tmp_path):
    out = tmp_path / "brat.zip"
    export_exchange(sample, "brat", out, annotator="ann")
    want = expected(sample)
    conf = zipfile.ZipFile(out).read("annotation.conf").decode("utf-8")
    assert "Said-by\tArg1:Quote, Arg2:Speaker" in conf and "Value:against|neutral|in_favour|unclear" in conf
    for name, (text, quotes, speakers, pairs) in want.items():
        txt, ann = _read_brat(out, name)
        assert txt == text
        spans, attrs, relations = {}, {}, []
        for line in ann.splitlines():
            ident, body = line.split("\t", 1)
            if ident.startswith("T"):
                label_where, shown = body.split("\t")
                label, where = label_where.split(" ", 1)
                parts = [tuple(map(int, p.split())) for p in where.split(";")]
                assert shown == " ".join(text[a:b] for a, b in parts)  # brat checks this on load
                spans[ident] = (label, parts[0][0], parts[-1][1])
            elif ident.startswith("A"):
                kind, target, value = body.split()
                attrs.setdefault(target, {})[kind] = value
            elif ident.startswith("R"):
                kind, arg1, arg2 = body.split()
                assert kind == "Said-by"
                relations.append((spans[arg1.split(":")[1]][1:], spans[arg2.split(":")[1]][1:]))
        got = sorted((s, e, attrs[t]["Form"], attrs[t].get("Stance"))
                     for t, (label, s, e) in spans.items() if label == "Quote")
        assert got == sorted((s, e, form, stance.replace(" ", "_") if stance else None)
                             for s, e, form, stance, _ in quotes)
        assert sorted((s, e) for label, s, e in spans.values() if label == "Speaker") == speakers
        assert sorted(relations) == pairs


def test_brat_cuts_spans_at_line_breaks():
    text = 'He said: "First line\nsecond line" and left.'
    start, end = text.index("First"), text.index('"', 10)
    assert fragments(text, start, end) == [(start, text.index("\n")), (text.index("second"), end)]


def test_brat_to_a_folder(sample, tmp_path):
    out = tmp_path / "brat"
    export_exchange(sample, "brat", out)
    assert sorted(p.name for p in out.iterdir())[:3] == ["annotation.conf", "article_000001.ann", "article_000001.txt"]
    with pytest.raises(ValueError, match="not an empty folder"):
        export_exchange(sample, "brat", out)


def test_spacy_jsonl(sample, tmp_path):
    out = tmp_path / "train.jsonl"
    export_exchange(sample, "spacy", out, annotator="ann")
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    want = expected(sample)
    assert len(records) == len(want) == 5
    for record in records:
        text, quotes, speakers, pairs = want[f"article_{record['meta']['article_id']:06d}"]
        assert record["text"] == text
        for span in record["spans"]:
            assert text[span["start"]:span["end"]] == span["text"]
        assert sorted((s["start"], s["end"], s["form"], s["stance"], s["speaker"])
                      for s in record["spans"] if s["label"] == "QUOTE") == quotes
        assert sorted((s["start"], s["end"]) for s in record["spans"] if s["label"] == "SPEAKER") == speakers
        got = sorted(((record["spans"][r["head"]]["start"], record["spans"][r["head"]]["end"]),
                      (record["spans"][r["child"]]["start"], record["spans"][r["child"]]["end"]))
                     for r in record["relations"])
        assert got == pairs
        assert all(r["label"] == "SAID_BY" for r in record["relations"])


def test_prodigy_jsonl(sample, tmp_path):
    out = tmp_path / "prodigy.jsonl"
    export_exchange(sample, "prodigy", out, annotator="ann")
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    want = expected(sample)
    for record in records:
        text, quotes, speakers, _ = want[f"article_{record['meta']['article_id']:06d}"]
        assert set(record) == {"text", "spans", "meta", "answer"}
        assert sorted((s["start"], s["end"]) for s in record["spans"] if s["label"] == "QUOTE") == \
            [(s, e) for s, e, *_ in quotes]
        assert sorted((s["start"], s["end"]) for s in record["spans"] if s["label"] == "SPEAKER") == speakers
        assert all(set(s) == {"start", "end", "label"} for s in record["spans"])


def test_cancel_leaves_no_file(sample, tmp_path):
    from annotator.core.exchange import ExchangeCancelled

    for fmt, name in (("qdpx", "x.qdpx"), ("spacy", "x.jsonl"), ("brat", "x.zip")):
        with pytest.raises(ExchangeCancelled):
            export_exchange(sample, fmt, tmp_path / name, cancelled=lambda: True)
        assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("project.db")) == []


@given(text=st.text(alphabet="ab \n\r\u2028\U0001F600é", min_size=1, max_size=40), data=st.data())
def test_brat_fragments_cover_the_span_but_its_line_breaks(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    parts = fragments(text, start, end)
    assert all(start <= a < b <= end for a, b in parts)
    assert all(len(text[a:b].splitlines()) == 1 for a, b in parts)
    assert "".join(text[a:b] for a, b in parts) == "".join(text[start:end].splitlines())
