from tests.core.ingest_helpers import read_all
from tests.paths import FIXTURES

INGEST = FIXTURES / "ingest"


def test_news_please_json_list_maps_every_field():
    articles, problems = read_all(INGEST / "news_please_records.json")
    assert problems == []
    first, second = articles
    assert first.title == "Harbour fees rise"
    assert first.text.startswith("Harbour fees will rise")
    assert first.authors == ["Ola Berg"]
    assert first.published == "2026-03-02T10:00:00"
    assert first.outlet == "portnews.example"
    assert first.url == "https://portnews.example/fees"
    assert first.language == "en"
    assert second.published == "2026-03-03" and second.source_index == 1


def test_jsonl_with_headline_body_fields_and_blank_lines():
    articles, problems = read_all(INGEST / "headline_body.jsonl")
    assert problems == []
    assert [a.title for a in articles] == ["School roof repaired", "New crossing lights"]
    assert articles[0].published == "2026-01-05"
    assert articles[0].authors == ["Tim Cole", "Ana West"]
    assert articles[0].outlet == "Elm Gazette"


def test_malformed_jsonl_line_is_reported_with_its_line_number():
    articles, problems = read_all(INGEST / "malformed.jsonl")
    [problem] = problems
    assert problem.line == 2
    assert "malformed JSON" in problem.message
    assert "malformed.jsonl" in str(problem)


def test_csv_with_custom_columns_needs_map_and_reads_with_it():
    articles, problems = read_all(INGEST / "custom_columns.csv")
    assert articles == []
    assert "--map text=" in problems[0].message
    articles, problems = read_all(
        INGEST / "custom_columns.csv", field_map={"text": "Volltext", "title": "Ueberschrift", "outlet": "Zeitung"}
    )
    assert problems == []
    assert [a.title for a in articles] == ["Bridge closed", "Market moves"]
    assert articles[0].outlet == "Town Crier"
    assert articles[0].text.startswith("The old bridge is closed")


def test_csv_row_with_extra_field_names_row_and_line():
    articles, problems = read_all(INGEST / "broken_row.csv")
    [problem] = problems
    assert problem.row == 2 and problem.line == 3
    assert "4 fields where the header has 3" in problem.message


def test_tsv_reads_tab_separated_rows():
    [article], problems = read_all(INGEST / "articles.tsv")
    assert problems == []
    assert article.title == "Park reopens" and article.published == "2026-04-01" and article.outlet == "City Paper"


def test_csv_multiline_quoted_text_keeps_paragraphs(tmp_path):
    path = tmp_path / "multi.csv"
    path.write_text('title,text\nT,"First paragraph.\n\n""Quoted,"" she said."\n', encoding="utf-8")
    [article], problems = read_all(path)
    assert problems == []
    assert article.text == 'First paragraph.\n\n"Quoted," she said.'


def test_json_without_text_field_explains_keys(tmp_path):
    path = tmp_path / "odd.json"
    path.write_text('[{"heading": "A", "words": "B"}]', encoding="utf-8")
    articles, [problem] = read_all(path)
    assert articles == []
    assert problem.row == 1 and "keys are: heading, words" in problem.message


def test_deeply_nested_json_is_a_problem_not_a_crash(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    articles, [problem] = read_all(path)
    assert articles == [] and "deep.json" in problem.path
