"""Random input into every reader: Articles or ImportProblems come back, nothing raises."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.records import Article, ImportProblem
from tests.core.ingest_helpers import read_all

SUFFIXES = [".txt", ".json", ".jsonl", ".csv", ".tsv", ".html", ".docx", ".zip"]
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes(tmp_path, data, suffix):
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    articles, problems = read_all(path)
    assert all(isinstance(a, Article) for a in articles)
    assert all(isinstance(p, ImportProblem) and "input" in p.path for p in problems)
    assert len(problems) <= 1


@FUZZ
@given(text=st.text(max_size=3000), suffix=st.sampled_from(SUFFIXES[:5]))
def test_random_unicode(tmp_path, text, suffix):
    path = tmp_path / f"input{suffix}"
    path.write_text(text, encoding="utf-8")
    articles, problems = read_all(path)
    assert all(a.text.strip() for a in articles)
    assert len(problems) <= 1
    assert articles or problems


@FUZZ
@given(
    rows=st.lists(
        st.lists(st.text(alphabet=st.sampled_from(list('ab ,;"\n\t\r\'')), max_size=12), min_size=1, max_size=4),
        max_size=6,
    )
)
def test_broken_csv_quoting(tmp_path, rows):
    path = tmp_path / "input.csv"
    body = "\n".join(",".join(cells) for cells in rows)
    path.write_text("title,text\n" + body, encoding="utf-8")
    articles, problems = read_all(path)
    assert articles or problems
