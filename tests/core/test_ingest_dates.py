import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.ingest.dates import to_iso


@pytest.mark.parametrize(
    "written, iso",
    [
        ("2026-11-18", "2026-11-18"),
        ("2026-11-18T14:05:00Z", "2026-11-18T14:05:00"),
        ("2026-11-18 08:30", "2026-11-18T08:30:00"),
        ("November 12, 2024 Tuesday", "2024-11-12"),
        ("Tuesday, 5 May 2026", "2026-05-05"),
        ("12. November 2024", "2024-11-12"),
        ("Mittwoch, 3. Dezember 2025", "2025-12-03"),
        ("3 mars 2025", "2025-03-03"),
        ("05/06/2026", "2026-05-06"),
        (1700000000, "2023-11-14T22:13:20"),
        ("not a date", None),
        ("2026-02-30", None),
        ("", None),
        (None, None),
    ],
)
def test_dates_as_news_files_write_them(written, iso):
    assert to_iso(written) == iso


@given(st.one_of(st.text(max_size=40), st.integers(), st.floats()))
def test_never_raises(value):
    result = to_iso(value)
    assert result is None or result[:4].isdigit()
