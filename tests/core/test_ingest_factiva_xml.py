"""Factiva's XML delivery: one article per `article` element; entities never expanded."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.records import ImportProblem
from tests.core.ingest_helpers import read_all

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest"


def test_articles_with_their_fields_and_one_without_text_named():
    articles, problems = read_all(FIXTURES / "factiva_pps_two.xml")
    first, german = articles
    assert first.reader == "factiva-xml"
    assert first.title == "Ferry pier to be rebuilt after council vote"  # the <hlt> search word kept as a word
    assert (first.outlet, first.published, first.language) == ("The Harbour Gazette", "2024-03-12", "en")
    assert first.authors == ["Mira Olsen"] and first.source_id == "factiva:HBRG000020240312ek3c0001a"
    assert first.text.startswith("The town council voted") and first.text.endswith("begin in the spring.")
    assert first.text.count("\n\n") == 2
    for furniture in ("Norway", "gcat", "HBRG", "64", "(c) 2024"):
        assert furniture not in first.text
    assert (german.language, german.published) == ("de", "2024-11-12T06:30:00")
    (note,) = problems
    assert note.note and "document 2 ('Photo of the day') left out" in note.message


def test_entities_are_not_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    path = tmp_path / "evil.xml"
    path.write_text(
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE PPSResponse [<!ENTITY xxe SYSTEM "{secret.as_uri()}"><!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n'
        '<PPSResponse><ppsArticleResponse xmlns="http://global.factiva.com/pps/2.0"><ppsarticleResultSet>'
        "<ppsarticle><article><accessionNo>EVIL000020240101ek1a0001a</accessionNo>"
        "<headline><paragraph>Head &xxe;</paragraph></headline><sourceName>Evil</sourceName>"
        "<tailParagraphs><paragraph>Body &xxe; &c;</paragraph></tailParagraphs></article></ppsarticle>"
        "</ppsarticleResultSet></ppsArticleResponse></PPSResponse>",
        encoding="utf-8",
    )
    articles, _ = read_all(path)
    for article in articles:
        assert "TOP SECRET" not in article.text + (article.title or "")
        assert "aaaaaaaaaa" not in article.text


def test_a_cut_off_delivery_keeps_what_came_before_the_break(tmp_path):
    data = (FIXTURES / "factiva_pps_two.xml").read_bytes()
    path = tmp_path / "cut.xml"
    path.write_bytes(data[: data.index(b"Die Stadt")])
    articles, problems = read_all(path)
    assert [a.source_id for a in articles] == ["factiva:HBRG000020240312ek3c0001a"]
    broken = [p for p in problems if "breaks off" in p.message]
    assert len(broken) == 1 and broken[0].note and broken[0].line and "after document 2" in broken[0].message


def test_other_xml_is_passed_over_in_a_folder_and_refused_when_named(tmp_path):
    (tmp_path / "sitemap.xml").write_text('<?xml version="1.0"?><urlset><url>x</url></urlset>', encoding="utf-8")
    articles, (problem,) = read_all(tmp_path)
    assert articles == [] and problem.skipped
    articles, (problem,) = read_all(tmp_path / "sitemap.xml")
    assert not problem.skipped and "not a Factiva XML" in problem.message


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=400))
def test_random_tails_give_articles_or_problems(tmp_path_factory, tail):
    path = tmp_path_factory.mktemp("pps") / "x.xml"
    path.write_bytes((FIXTURES / "factiva_pps_two.xml").read_bytes()[:900] + tail)
    articles, problems = read_all(path)
    assert all(a.text.strip() for a in articles)
    assert all(isinstance(p, ImportProblem) and p.path == str(path) for p in problems)
