import pytest

from annotator.core.ingest.text import parse_text
from tests.core.ingest_helpers import read_all
from tests.paths import DEV_CORPUS, FIXTURES

INGEST = FIXTURES / "ingest"


def test_plain_article_title_is_first_non_empty_line_and_text_is_kept():
    articles, problems = read_all(INGEST / "plain_article.txt")
    assert problems == []
    [article] = articles
    assert article.title == "Council approves night bus pilot"
    assert article.text.startswith("Council approves night bus pilot\n\nThe city council")
    assert '"People who work late deserve a safe ride home," councillor Mira Hale said.' in article.text
    assert article.source_index == 0


def test_aggregator_page_gives_main_and_related_articles_without_boilerplate():
    articles, problems = read_all(INGEST / "aggregator_two_related.txt")
    assert problems == []
    assert [a.title for a in articles] == [
        "Ministers meet to discuss river treaty",
        "Fishermen welcome river talks",
        "Dam operators wait for details",
    ]
    assert [a.outlet for a in articles] == [None, "Delta Herald", "Upland Post"]
    assert [a.source_index for a in articles] == [0, 1, 2]
    for article in articles:
        for furniture in ("Try Our AI Features", "Comments", "Related Articles", "minutes ago", "Advertisement",
                          "Read more here"):
            assert furniture not in article.text
    assert articles[0].text.endswith("'We share one river, so we must share one plan,' Ekberg said.")
    assert "'Clean water is our living,' said Ana Ruiz" in articles[1].text
    assert "'We will watch closely,' she added." in articles[1].text


def test_crlf_newlines_are_normalised():
    [article] = list(parse_text("Title\r\n\r\nBody line.\r\n".replace("\r\n", "\n"), "x.txt"))
    assert article.text == "Title\n\nBody line."


def test_blank_file_is_a_problem_naming_the_file():
    articles = list(parse_text("\n\n  \n", "blank.txt"))
    assert len(articles) == 1 and "no article text" in articles[0].message and articles[0].path == "blank.txt"


@pytest.mark.skipif(not DEV_CORPUS.exists(), reason="shared dev corpus absent")
def test_shared_aggregator_sample_gives_four_articles_with_outlets():
    articles, problems = read_all(DEV_CORPUS / "text" / "daily8_us_china_diplomats.txt")
    assert problems == []
    assert len(articles) == 4
    assert articles[0].title.startswith("Senior US, China diplomats hold phone call")
    assert [a.outlet for a in articles[1:]] == ["South China Morning Post"] * 3
    assert articles[1].title.startswith("China and Japan must overcome mutual hostility")
    assert articles[2].title.startswith("China, US top negotiators agree to")
    assert articles[3].title.startswith("China, US top negotiators agree on")
    for article in articles:
        for furniture in ("Try Our AI Features", "No comments yet", "Related Articles", "Explore what"):
            assert furniture not in article.text


def test_single_article_fast_path_matches_the_line_by_line_reading():
    from annotator.core.ingest.text import _article_from_lines, _single_article

    for text in ["\n\n  Title here  \nBody one.\n\n  Body two.  \n\n\n", "Only title", "T\n\t\nB\n \n", " \n x \n"]:
        fast = _single_article(text, "p")
        slow = _article_from_lines(text.split("\n"), "p", 0, None)
        assert (fast.text, fast.title) == (slow.text, slow.title)
